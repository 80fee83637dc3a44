// Small C helpers for what Swift cannot import from hwloc and glibc directly:
// statement macros (bitmap iteration), variadic syscall() (gettid, futex) and
// sched_getcpu(), which glibc declares only under _GNU_SOURCE.
#ifndef CHWLOC_SHIM_H
#define CHWLOC_SHIM_H
#include <stdint.h>
#include <hwloc.h>

/// Writes up to `max` indexes of the set bits of `set` into `out`; returns how many bits are set.
int chwloc_bitmap_to_list(hwloc_const_bitmap_t set, int *out, int max);
/// The processor the calling thread runs on now, or -1.
int chwloc_sched_getcpu(void);
/// The kernel thread id of the calling thread.
int chwloc_gettid(void);
/// Sleeps while `*addr == expected` (FUTEX_WAIT_PRIVATE); returns 0 or -1 (errno set).
int chwloc_futex_wait(uint32_t *addr, uint32_t expected);
/// Wakes up to `count` threads sleeping on `addr` (FUTEX_WAKE_PRIVATE).
int chwloc_futex_wake(uint32_t *addr, int count);

/// A spin-wait hint to the processor.
static inline void chwloc_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/// A hint that `address` will be read soon: its cache line is fetched without waiting for it.
static inline void chwloc_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}
#endif
