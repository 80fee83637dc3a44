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
