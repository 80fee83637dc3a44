/*
 * What the plain C probes share: a monotonic clock in seconds and pinning the calling thread to
 * one CPU (exits with a message when the CPU is not allowed). Include after <pthread.h> with
 * _GNU_SOURCE defined; compile with -pthread.
 */
#ifndef CIRCUITGRAD_PROBE_COMMON_H
#define CIRCUITGRAD_PROBE_COMMON_H

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (pthread_setaffinity_np(pthread_self(), sizeof set, &set) != 0) {
        fprintf(stderr, "cannot pin to cpu %d\n", cpu);
        exit(1);
    }
}

#endif
