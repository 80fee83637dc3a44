"""Drives the measurement scripts: scaling-strong, scaling-weak, sweep-batch, sweep-shape, compare,
scale-10m. Each run writes into a fresh folder `OUT/NAME-YYYYmmdd-HHMMSS/`: CSV, PNG plots,
`summary.md` and `machine.md`. Circuits and batches go to a scratch folder (removed unless --keep).

Circuits come from `circuitgrad generate KIND ...`; the exact generator options per shape are in
the SHAPES table of shapes.py and can be replaced from the command line with
`--shape 'NAME=KIND --opt value ...'` (repeatable).

This file is the command line; the work is in scaling.py (strong, weak, sweep-batch, sweep-shape),
compare.py, targets.py (engine-targets), probe.py (probe-level-exchange, probe-shared-bandwidth),
two_cores.py (probe-two-cores)
and scale.py (scale-10m),
on top of run.py (a run and its processes), machine.py, report.py (CSV, Markdown) and plots.py.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys

from compare import compare
from probe import probe_level_exchange, probe_shared_bandwidth
from run import ROOT
from scale import scale_10m
from scaling import strong, sweep_batch, sweep_shape, weak
from shapes import COMPARE_CIRCUITS, PEERS, SHAPE_SWEEP, STRONG_KINDS
from targets import engine_targets
from two_cores import probe_two_cores

COMMANDS = {"strong": strong, "weak": weak, "sweep-batch": sweep_batch, "sweep-shape": sweep_shape,
            "compare": compare, "scale-10m": scale_10m, "engine-targets": engine_targets,
            "probe-level-exchange": probe_level_exchange, "probe-two-cores": probe_two_cores,
            "probe-shared-bandwidth": probe_shared_bandwidth}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p, batch=64):
        p.add_argument("--circuitgrad", default=os.environ.get("CIRCUITGRAD", "circuitgrad"), help="binary to run")
        p.add_argument("--out", default=os.path.join(ROOT, "docs", "performance"),
                       help="parent of the fresh run folder (default docs/performance)")
        p.add_argument("--work", help="scratch folder for circuits and batches (kept); default a temporary one (removed)")
        p.add_argument("--keep", action="store_true", help="keep the temporary scratch folder")
        p.add_argument("--quick", action="store_true", help="small sizes, to check the script works")
        p.add_argument("--threads", help="thread counts, e.g. 1,2 (default 1 .. allowed cores)")
        p.add_argument("--reps", type=int, default=5, help="timed repetitions (median)")
        p.add_argument("--min-seconds", type=float, default=0.25,
                       help="timed seconds a CircuitGrad measurement should take at least: more reps than --reps "
                            "where it is short (at most 400)")
        p.add_argument("--seed", type=int, default=1)
        p.add_argument("--batch", type=int, default=batch)
        p.add_argument("--shape", action="append", metavar="NAME=GENERATOR OPTIONS",
                       help="replace a SHAPES entry, e.g. 'layered=layered --nodes 1000 --width 10'")
        p.add_argument("--note", action="append", help="a line to add to the summary")
        return p

    p = common(sub.add_parser("strong", help="fixed circuit per kind, threads 1..all"))
    p.add_argument("--kinds", help=f"comma list of SHAPES names (default {','.join(STRONG_KINDS)})")
    p = common(sub.add_parser("weak", help="layered circuit growing with the thread count"))
    p.add_argument("--nodes-per-thread", type=int, default=100000)
    p.add_argument("--width-per-thread", type=int, default=500)
    p = common(sub.add_parser("sweep-batch", help="one circuit over batch sizes"))
    p.add_argument("--kind", default="layered")
    p.add_argument("--batches", default="1,4,16,64,256,1024,4096")
    p = common(sub.add_parser("sweep-shape", help="wide vs deep, fan-out and transcendental heavy"))
    p.add_argument("--kinds", help=f"comma list (default {','.join(SHAPE_SWEEP)})")
    p = common(sub.add_parser("compare", help="CircuitGrad vs JAX, NumPy, PyTorch, micrograd"), batch=64)
    p.add_argument("--kinds", help=f"comma list (default {','.join(COMPARE_CIRCUITS)})")
    p.add_argument("--tools", help=f"comma list (default {','.join(PEERS)})")
    p.add_argument("--batches", default="64,1024")
    p.add_argument("--jax-max-nodes", type=int, default=12000)
    p.add_argument("--micrograd-max-nodes", type=int, default=12000)
    p.add_argument("--micrograd-max-batch", type=int, default=64)
    p.add_argument("--peer-timeout", type=int, default=900, help="seconds per peer process")
    common(sub.add_parser("engine-targets", help="the engine's performance targets, 1 and 2 threads per circuit"))
    p = common(sub.add_parser("probe-level-exchange", help="plain-C ceiling of level-split parallelism at batch 1"))
    p.add_argument("--width", type=int, default=10000)
    p.add_argument("--levels", type=int, default=30)
    p = common(sub.add_parser("probe-two-cores", help="the engine's two threads against two independent processes"))
    p.add_argument("--kinds", help="comma list (default the every-op circuits and cmp-mlp)")
    p.add_argument("--batches", default="64,1024")
    p.add_argument("--rounds", type=int, default=3, help="alternated rounds per case")
    p = common(sub.add_parser("probe-shared-bandwidth", help="plain-C: what two cores take from each other, by working set"))
    p.add_argument("--rounds", type=int, default=5, help="alternated rounds per size")
    p = common(sub.add_parser("scale-10m", help="10M-node circuit at batch 8: peak memory, bytes/node"), batch=8)
    p.add_argument("--nodes", type=int, default=10_000_000)
    p.add_argument("--width", type=int, default=1000)
    args = parser.parse_args()
    if shutil.which(args.circuitgrad) is None and not os.path.exists(args.circuitgrad):
        sys.exit(f"error: circuitgrad binary '{args.circuitgrad}' not found (set CIRCUITGRAD or --circuitgrad)")
    COMMANDS[args.command](args)


if __name__ == "__main__":
    main()
