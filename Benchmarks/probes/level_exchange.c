/*
 * level_exchange: what splitting the levels of a wide random circuit between pinned threads can
 * gain on this machine, with nothing of CircuitGrad in the way (plain C, one double per node).
 *
 * A "circuit" of LEVELS levels of WIDTH nodes; node i of level l reads two values of level l-1
 * (indexes drawn at random; with --local P, P% of them from the half of the level the same
 * thread computed) and writes one value. Every level is cut into equal contiguous stretches,
 * one per thread, followed by a spin barrier: the level strategy of the engine at batch 1.
 * Prints one CSV line: threads,width,levels,op,local_percent,best_us,ns_per_node.
 *
 *   cc -O2 -pthread level_exchange.c -o level_exchange -lm
 *   ./level_exchange THREADS WIDTH LEVELS add|sin LOCAL_PERCENT REPS
 */
#define _GNU_SOURCE
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "probe_common.h"

static int threads, width, levels, heavy, local_percent, reps;
static double *values;  /* (levels + 1) x width */
static int *arguments;  /* levels x width x 2 */
static _Alignas(64) atomic_int arrived;
static _Alignas(64) atomic_int generation;

static void barrier(void) {
    if (threads == 1) return;
    int round = atomic_load(&generation);
    if (atomic_fetch_add(&arrived, 1) == threads - 1) {
        atomic_store(&arrived, 0);
        atomic_fetch_add(&generation, 1);
    } else {
        while (atomic_load(&generation) == round) __builtin_ia32_pause();
    }
}

static void sweep(int worker) {
    int first = (int)((long)width * worker / threads), last = (int)((long)width * (worker + 1) / threads);
    for (int l = 1; l <= levels; l++) {
        double *out = values + (size_t)l * width;
        const int *args = arguments + (size_t)(l - 1) * width * 2;
        for (int i = first; i < last; i++) {
            double x = values[args[2 * i]], y = values[args[2 * i + 1]];
            out[i] = heavy ? sin(x) + y : x + 0.5 * y;
        }
        barrier();
    }
}

static void *hosted(void *arg) {
    int worker = (int)(long)arg;
    pin(worker);
    for (int r = 0; r < reps; r++) {
        barrier();
        sweep(worker);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: %s THREADS WIDTH LEVELS add|sin LOCAL_PERCENT REPS\n", argv[0]);
        return 2;
    }
    threads = atoi(argv[1]);
    width = atoi(argv[2]);
    levels = atoi(argv[3]);
    heavy = strcmp(argv[4], "sin") == 0;
    local_percent = atoi(argv[5]);
    reps = atoi(argv[6]);
    if (threads < 1 || threads > 64 || width < threads || levels < 1 || reps < 1) return 2;
    values = aligned_alloc(64, ((size_t)(levels + 1) * width * sizeof(double) + 63) / 64 * 64);
    arguments = malloc((size_t)levels * width * 2 * sizeof(int));
    srand(1);
    for (int i = 0; i < width; i++) values[i] = (double)rand() / RAND_MAX;
    for (int l = 0; l < levels; l++) {
        for (int i = 0; i < width; i++) {
            int owner = (int)((long)i * threads / width);
            for (int k = 0; k < 2; k++) {
                int source;
                if (rand() % 100 < local_percent) {  /* from the stretch the same thread computed */
                    int a = (int)((long)width * owner / threads), b = (int)((long)width * (owner + 1) / threads);
                    source = a + rand() % (b - a);
                } else {
                    source = rand() % width;
                }
                arguments[((size_t)l * width + i) * 2 + k] = l * width + source;
            }
        }
    }
    pthread_t hosts[64];
    for (int w = 1; w < threads; w++) pthread_create(&hosts[w], NULL, hosted, (void *)(long)w);
    pin(0);
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        barrier();
        sweep(0);
        double t = now() - t0;
        if (t < best) best = t;
    }
    for (int w = 1; w < threads; w++) pthread_join(hosts[w], NULL);
    printf("%d,%d,%d,%s,%d,%.2f,%.3f\n", threads, width, levels, heavy ? "sin" : "add", local_percent,
           best * 1e6, best * 1e9 / ((double)levels * width));
    return 0;
}
