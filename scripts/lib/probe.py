"""`scripts/probe-level-exchange`: the ceiling of level-split parallelism at batch 1 on this machine,
from the plain C kernel in Benchmarks/probes/level_exchange.c."""
from __future__ import annotations

import os
import shutil
import sys

from machine import record_machine
from report import markdown_table, write_csv, write_summary
from run import ROOT, Run, check_call, check_output, log, thread_counts


def probe_level_exchange(args):
    """The ceiling of level-split parallelism at batch 1 on this machine, from a plain C kernel."""
    run = Run("probe-level-exchange", args)
    record_machine(run)
    source = os.path.join(ROOT, "Benchmarks", "probes", "level_exchange.c")
    binary = os.path.join(run.scratch, "level_exchange")
    compiler = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if compiler is None:
        sys.exit("error: no C compiler (cc, gcc or clang) on PATH")
    check_call([compiler, "-O2", "-pthread", source, "-o", binary, "-lm"])
    width, levels = (2000, 10) if args.quick else (args.width, args.levels)
    counts = thread_counts(args)
    rows = []
    for op, reps in (("add", 300), ("sin", 60)):
        for local in (0, 90, 100):
            base = None
            for t in counts:
                log(f"{op}, {local}% local, {t} thread(s)")
                line = check_output([binary, str(t), str(width), str(levels), op, str(local), str(reps if not args.quick else 20)])
                _, _, _, _, _, best_us, ns = line.strip().split(",")
                best_us = float(best_us)
                base = base or best_us
                rows.append({"op": op, "localPercent": local, "threads": t, "microseconds": best_us,
                             "nsPerNode": float(ns), "speedup": base / best_us})
    fields = ["op", "localPercent", "threads", "microseconds", "nsPerNode", "speedup"]
    write_csv(run.path("probe.csv"), rows, fields)
    table = markdown_table(rows, fields, ["node op", "arguments from the same thread's stretch (%)", "threads",
                                          "best sweep (µs)", "ns per node", "speedup vs 1 thread"])
    body = (f"`Benchmarks/probes/level_exchange.c`: {levels} levels of {width} nodes, two arguments per node from the "
            "level before, each level cut into one contiguous stretch per pinned thread and closed by a spin barrier "
            "(the engine's level strategy at batch 1, in plain C, one double per node). '0 %' draws arguments "
            "uniformly from the whole level (a random circuit: with 2 threads half the reads cross cores); "
            "'100 %' keeps every read on the thread that wrote it. Best of the repetitions.\n\n" + table)
    write_summary(run, "Level-split ceiling at batch 1 (plain C probe)", body)
    run.finish()


SHARED_BANDWIDTH_SIZES = [0.5, 2, 4, 8, 12, 16, 32, 128]


def probe_shared_bandwidth(args):
    """What two cores take from each other on this machine: a plain C sweep (and a register-only
    multiply-add loop) over a private buffer per process, alone on one core and then two at once on
    two cores, per working-set size, alternated over rounds."""
    import statistics

    from run import allowed_cpus, run_at_once
    run = Run("probe-shared-bandwidth", args)
    record_machine(run)
    cpus = allowed_cpus()
    if len(cpus) < 2:
        sys.exit("error: probe-shared-bandwidth needs two allowed cores")
    first, second = cpus[0], cpus[1]
    source = os.path.join(ROOT, "Benchmarks", "probes", "shared_bandwidth.c")
    binary = os.path.join(run.scratch, "shared_bandwidth")
    compiler = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if compiler is None:
        sys.exit("error: no C compiler (cc, gcc or clang) on PATH")
    check_call([compiler, "-O3", "-march=native", "-pthread", source, "-o", binary])
    seconds = "0.1" if args.quick else "0.4"
    cases = [("compute", 0)] + [("stream", s) for s in ([0.5, 16] if args.quick else SHARED_BANDWIDTH_SIZES)]

    def rate(line):
        return float(line.strip().split(",")[-1])

    def alone(mode, mib):
        return rate(check_output([binary, mode, str(mib), str(first), seconds]))

    def together(mode, mib):
        return [rate(o) for o in run_at_once([[binary, mode, str(mib), str(cpu), seconds] for cpu in (first, second)])]

    rows = []
    for mode, mib in cases:
        samples = []
        for r in range(args.rounds):
            log(f"{mode} {mib} MiB, round {r + 1}")
            a = alone(mode, mib)
            t = together(mode, mib)
            samples.append((a, min(t), sum(t)))
        one = statistics.median(s[0] for s in samples)
        slower = statistics.median(s[1] for s in samples)
        both = statistics.median(s[2] for s in samples)
        rows.append({"mode": mode, "mibPerCore": mib, "alone": one, "togetherSlower": slower, "togetherBoth": both,
                     "perCore": slower / one, "twoCores": both / one,
                     "perCoreWorst": min(s[1] / s[0] for s in samples)})
    fields = ["mode", "mibPerCore", "alone", "togetherSlower", "togetherBoth", "perCore", "twoCores", "perCoreWorst"]
    write_csv(run.path("probe.csv"), rows, fields)
    table = markdown_table(rows, fields, ["sweep", "MiB per core", "alone (GB/s)", "two at once, slower (GB/s)",
                                          "two at once, both (GB/s)", "slower / alone", "both / alone",
                                          "slower / alone, worst round"])
    body = (f"`Benchmarks/probes/shared_bandwidth.c`, cores {first} and {second}, {args.rounds} rounds alternating "
            f"one process alone on core {first} and two at once (one per core), each sweeping its own buffer for "
            f"{seconds} s; medians over the rounds. 'stream' reads and writes every double of the buffer (`b[i] = "
            "b[i]·0.5 + 1`), as the engine's kernels read argument rows and write result rows; 'compute' runs 64 "
            "multiply-add chains in registers and moves no data (GFMA/s instead of GB/s).\n\n"
            "A machine whose two cores are independent shows both / alone = 2 at every size. Where it is lower, "
            "no program can run two cores at twice the speed of one on work whose rows take that many bytes per "
            "core.\n\n" + table)
    write_summary(run, "What two cores share (plain C probe)", body)
    run.finish()
