#define _GNU_SOURCE
#include <sched.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/futex.h>
#include "chwloc_shim.h"

int chwloc_bitmap_to_list(hwloc_const_bitmap_t set, int *out, int max) {
    int n = 0;
    unsigned id;
    hwloc_bitmap_foreach_begin(id, set) {
        if (n < max) out[n] = (int)id;
        n++;
    } hwloc_bitmap_foreach_end();
    return n;
}

int chwloc_sched_getcpu(void) { return sched_getcpu(); }

int chwloc_gettid(void) { return (int)syscall(SYS_gettid); }

int chwloc_futex_wait(uint32_t *addr, uint32_t expected) {
    return (int)syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0);
}

int chwloc_futex_wake(uint32_t *addr, int count) {
    return (int)syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, count, NULL, NULL, 0);
}
