/*
 * shared_bandwidth: what two cores of this machine take from each other, with nothing of
 * CircuitGrad in the way. One process, pinned to one CPU, repeats a sweep over its own buffer of
 * MIB mebibytes for about SECONDS seconds and prints the rate it kept; scripts/probe-shared-bandwidth
 * runs it alone, then two at once on two cores, and compares.
 *
 *   stream:  b[i] = b[i] * 0.5 + 1.0 over the buffer (one read and one write of each double, as
 *            the engine's kernels read argument rows and write result rows)
 *   compute: 64 independent multiply-add chains in registers over a buffer that is never read
 *            (the cost of arithmetic alone)
 *
 * Prints one CSV line: mode,mib,cpu,seconds,gigabytes_per_second (compute: billions of
 * multiply-adds per second).
 *
 *   cc -O3 -march=native -pthread shared_bandwidth.c -o shared_bandwidth
 *   ./shared_bandwidth stream|compute MIB CPU SECONDS
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe_common.h"

/* One sweep: one read and one write of every double. */
static void sweep(double *restrict b, size_t n) {
    for (size_t i = 0; i < n; i++) b[i] = b[i] * 0.5 + 1.0;
}

/* 64 chains of multiply-adds, `rounds` times each; returns a sum so nothing is optimised away. */
static double chains(long rounds) {
    double a[64];
    for (int j = 0; j < 64; j++) a[j] = j;
    for (long r = 0; r < rounds; r++)
        for (int j = 0; j < 64; j++) a[j] = a[j] * 0.999999 + 1e-7;
    double s = 0;
    for (int j = 0; j < 64; j++) s += a[j];
    return s;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s stream|compute MIB CPU SECONDS\n", argv[0]);
        return 2;
    }
    int stream = strcmp(argv[1], "stream") == 0;
    if (!stream && strcmp(argv[1], "compute") != 0) {
        fprintf(stderr, "mode must be stream or compute, got '%s'\n", argv[1]);
        return 2;
    }
    double mib = atof(argv[2]), seconds = atof(argv[4]);
    pin(atoi(argv[3]));
    size_t n = (size_t)(mib * 1024 * 1024 / sizeof(double));
    double *b = NULL;
    if (stream) {
        b = aligned_alloc(64, (n * sizeof(double) + 63) / 64 * 64);
        if (!b) { fprintf(stderr, "cannot allocate %g MiB\n", mib); return 1; }
        for (size_t i = 0; i < n; i++) b[i] = (double)i;
        sweep(b, n);  /* touch and warm */
    }
    long sweeps = 0;
    double sink = 0, start = now(), elapsed;
    do {
        if (stream) sweep(b, n);
        else sink += chains(1 << 20);
        sweeps++;
        elapsed = now() - start;
    } while (elapsed < seconds);
    double rate = stream ? 2.0 * n * sizeof(double) * sweeps / elapsed / 1e9
                         : 64.0 * (1 << 20) * sweeps / elapsed / 1e9;
    if (stream) sink = b[n / 2];
    printf("%s,%g,%s,%.4f,%.3f\n", argv[1], mib, argv[3], elapsed, rate);
    volatile double keep = sink;  /* the sweeps' result is used, so they are not optimised away */
    (void)keep;
    return 0;
}
