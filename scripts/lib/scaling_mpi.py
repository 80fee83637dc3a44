"""scaling-mpi: `circuitgrad eval --mpi` under mpirun for several ranks × threads on this machine.

Each configuration evaluates the same circuit and batch `--reps` times; every rank prints its
evaluate, wait, gather, reduce and write seconds (`--mpi-timing`). A step is rank 0's evaluate +
wait + gather + reduce (the barrier after evaluating makes rank 0 wait for the slowest rank).
"gather" moves every sample's value and input gradients to rank 0 (zero when the ranks write their
own rows of the output file); "reduce" moves the parameter-gradient node sums and combines them
along the pairwise tree. Shares are those seconds over the step. "write" (not in the step) is rank
0's time from the reduction to the outputs in place: formatting, writing and fsync. Results of every configuration are compared byte for byte with
one process (`circuitgrad eval` without MPI).
"""
from __future__ import annotations

import argparse
import filecmp
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from machine import record_machine  # noqa: E402
from plots import pyplot  # noqa: E402
from report import markdown_table, write_csv, write_summary  # noqa: E402
from run import ROOT, Run, log  # noqa: E402

CIRCUIT = ("layered --nodes 100000 --width 1000 --params 2000", "layered --nodes 4000 --width 100 --params 100")
MPI_ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")


def mpi_eval(run, ranks, threads, circuit, batch, out):
    """One `mpirun … eval --mpi --mpi-timing`; returns rank 0's timing and the wall seconds."""
    command = ["mpirun", "--oversubscribe", "--bind-to", "none", "-np", str(ranks), run.cg, "eval", circuit,
               "--inputs", batch, "--output", out, "--param-grads", out + ".params.csv",
               "--threads", str(threads), "--mpi", "--mpi-timing"]
    done = subprocess.run(command, capture_output=True, text=True, env=MPI_ENV, timeout=1800)
    if done.returncode != 0:
        sys.exit(f"error: {' '.join(command)} failed:\n{done.stderr[-3000:]}")
    ranks_seen = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{\"rank\"")]
    return next(r for r in ranks_seen if r["rank"] == 0), ranks_seen


def same_bytes(a, b):
    return os.path.exists(a) and os.path.exists(b) and filecmp.cmp(a, b, shallow=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--circuitgrad", default=os.environ.get("CIRCUITGRAD", "circuitgrad"))
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "performance"))
    parser.add_argument("--work", help="scratch folder (kept)")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--quick", action="store_true", help="a 4,000-node circuit, to check the script")
    parser.add_argument("--batches", default="1024,4096,16384")
    parser.add_argument("--configs", default="1x1,1x2,2x1", help="RANKSxTHREADS list")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--note", action="append")
    args = parser.parse_args()
    args.shape, args.threads = None, None
    run = Run("scaling-mpi", args)
    record_machine(run)
    configs = [tuple(int(x) for x in c.split("x")) for c in args.configs.split(",")]
    batches = [int(b) for b in args.batches.split(",")]
    shape = CIRCUIT[1] if args.quick else CIRCUIT[0]
    rows = []
    for batch in batches:
        circuit, batch_path = run.generate("layered", shape, batch=batch)
        reference = os.path.join(run.scratch, f"one-{batch}.npy")
        subprocess.run([run.cg, "eval", circuit, "--inputs", batch_path, "--output", reference,
                        "--param-grads", reference + ".params.csv", "--threads", "1"], check=True)
        # Alternate the configurations within each repetition, so load changes hit them alike.
        samples = {c: [] for c in configs}
        for rep in range(args.reps):
            for ranks, threads in configs:
                out = os.path.join(run.scratch, f"r{ranks}t{threads}-{batch}.npy")
                log(f"batch {batch}: {ranks} rank(s) × {threads} thread(s), rep {rep + 1}/{args.reps}")
                zero, everyone = mpi_eval(run, ranks, threads, circuit, batch_path, out)
                step = zero["evaluateSeconds"] + zero["waitSeconds"] + zero["gatherSeconds"] + zero["reduceSeconds"]
                samples[(ranks, threads)].append((step, zero["gatherSeconds"], zero["reduceSeconds"], zero["placement"],
                                                  same_bytes(out, reference) and same_bytes(out + ".params.csv", reference + ".params.csv"),
                                                  zero.get("writeSeconds", float("nan"))))
        base = statistics.median(s[0] for s in samples[configs[0]])
        for ranks, threads in configs:
            mine = samples[(ranks, threads)]
            step = statistics.median(s[0] for s in mine)
            gather = statistics.median(s[1] for s in mine)
            reduce = statistics.median(s[2] for s in mine)
            shares = sorted((s[1] + s[2]) / s[0] for s in mine)
            rows.append({"batch": batch, "ranks": ranks, "threads": threads, "stepSeconds": step,
                         "gatherSeconds": gather, "reduceSeconds": reduce, "gatherShare": gather / step,
                         "reduceShare": reduce / step, "gatherReduceShare": statistics.median(shares),
                         "gatherReduceShareMax": shares[-1], "writeSeconds": statistics.median(s[5] for s in mine),
                         "speedup": base / step,
                         "bitwiseEqualToOneProcess": all(s[4] for s in mine), "placementRank0": mine[-1][3]})
    fields = ["batch", "ranks", "threads", "stepSeconds", "gatherSeconds", "reduceSeconds", "gatherShare", "reduceShare",
              "gatherReduceShare", "gatherReduceShareMax", "writeSeconds", "speedup", "bitwiseEqualToOneProcess", "placementRank0"]
    write_csv(run.path("mpi.csv"), rows, fields)
    plt = pyplot()
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    for ranks, threads in configs:
        mine = [r for r in rows if (r["ranks"], r["threads"]) == (ranks, threads)]
        label = f"{ranks} rank{'s' if ranks > 1 else ''} × {threads} thread{'s' if threads > 1 else ''}"
        ax1.plot([r["batch"] for r in mine], [r["speedup"] for r in mine], "o-", label=label)
        line, = ax2.plot([r["batch"] for r in mine], [100 * r["gatherReduceShare"] for r in mine], "o-", label=label + ", gather + reduce")
        ax2.plot([r["batch"] for r in mine], [100 * r["reduceShare"] for r in mine], "s--", color=line.get_color(),
                 label=label + ", reduce")
    ax1.set(xscale="log", xlabel="batch", ylabel=f"speedup vs {configs[0][0]} rank × {configs[0][1]} thread",
            title="Ranks × threads, one machine")
    ax2.set(xscale="log", yscale="log", xlabel="batch", ylabel="% of step", title="Gathering results and reducing parameter sums")
    ax2.axhline(1.0, color="k", ls="--", lw=0.8)
    for ax in (ax1, ax2):
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(run.path("mpi.png"), dpi=110)
    table = markdown_table(rows, fields[:-1], ["batch", "ranks", "threads", "step s", "gather s", "reduce s",
                                               "gather share", "reduce share", "gather+reduce share", "(max of reps)",
                                               "write s", "speedup", "bitwise = 1 process"])
    notes = "\n".join(f"- {n}" for n in args.note or [])
    write_summary(run, "Ranks × threads (Open MPI)",
                  f"Circuit `{shape}`, median of {args.reps} reps per configuration (alternated), "
                  f"`mpirun --bind-to none` (each rank takes its share of the cores when they suffice). "
                  f"Step = rank 0's evaluate + wait for the slowest rank + gather (values and input gradients to rank 0; zero when each rank writes its own rows of the output) + reduce (parameter node sums, combined along the tree). "
                  f"Gather+reduce share: the median over the reps of (gather + reduce) / step, and its largest rep. Write (not in the step) = rank 0's seconds from the reduction to the outputs in place.\n\n{table}\n\n"
                  f"![ranks x threads](mpi.png)\n\n{notes}")
    run.finish()


if __name__ == "__main__":
    main()
