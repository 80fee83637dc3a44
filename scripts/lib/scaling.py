"""Scaling and sweeps of `circuitgrad bench`: strong scaling (a fixed circuit per kind, threads
1..all), weak scaling (a layered circuit growing with the thread count), and sweeps over batch
sizes and over circuit shapes. Each writes a CSV, a PNG plot and summary.md into its run folder."""
from __future__ import annotations

from machine import record_machine
from plots import figure, grouped_bars
from report import BENCH_FIELDS, bench_rows, bench_table, write_csv, write_summary
from run import Run, log, thread_counts
from shapes import SHAPE_SWEEP, STRONG_KINDS


def bench_each(run, keys, batch, threads, columns):
    """Generates each SHAPES entry of `keys` and benches it at `batch` on `threads`; the rows of all,
    each with the extra `columns(key)`."""
    rows = []
    for i, key in enumerate(keys, 1):
        log(f"[{i}/{len(keys)}] {key}: generate, bench threads {threads}")
        circuit, _ = run.generate(key, run.shape(key))
        rows += bench_rows(run.bench(circuit, batch, threads), columns(key))
    return rows


def strong(args):
    run = Run("scaling-strong", args)
    record_machine(run)
    threads = thread_counts(args)
    kinds = args.kinds.split(",") if args.kinds else STRONG_KINDS
    rows = bench_each(run, kinds, args.batch, threads, lambda kind: {"kind": kind})
    write_csv(run.path("strong.csv"), rows, ["kind"] + BENCH_FIELDS)
    with figure(run.path("strong.png"), (11, 4.2), panels=2) as (ax1, ax2):
        for kind in kinds:
            mine = [r for r in rows if r["kind"] == kind]
            ax1.plot([r["threads"] for r in mine], [r["speedup"] for r in mine], "o-", label=kind)
            ax2.plot([r["threads"] for r in mine], [r["efficiency"] for r in mine], "o-", label=kind)
        ax1.plot(threads, threads, "k--", lw=0.8, label="ideal")
        ax1.set(xlabel="threads", ylabel="speedup vs 1 thread", title=f"Strong scaling, batch {args.batch}")
        ax2.set(xlabel="threads", ylabel="parallel efficiency", ylim=(0, 1.2), title="Efficiency")
        for ax in (ax1, ax2):
            ax.set_xticks(threads)
    table = bench_table(rows, ["kind", "nodes", "threads", "strategy", "totalSeconds", "rate", "speedup", "efficiency",
                               "bitwiseEqualToOneThread"])
    write_summary(run, "Strong scaling", f"Fixed circuit per kind, batch {args.batch}, median of {args.reps} reps "
                  f"(`circuitgrad bench`), threads {threads}.\n\n{table}\n\n![strong scaling](strong.png)")
    run.finish()


def weak(args):
    run = Run("scaling-weak", args)
    record_machine(run)
    threads = thread_counts(args)
    nodes, width = (args.nodes_per_thread, args.width_per_thread)
    if args.quick:
        nodes, width = nodes // 50, max(1, width // 10)
    rows = []
    for i, p in enumerate(threads, 1):
        log(f"[{i}/{len(threads)}] {p} thread(s): layered, {nodes * p} nodes, width {width * p}")
        circuit, _ = run.generate(f"weak-{p}", f"layered --nodes {nodes * p} --width {width * p}")
        result = run.bench(circuit, args.batch, [p])
        rows += bench_rows(result, {"nodesPerThread": nodes})
    one = rows[0]["totalSeconds"] if rows and rows[0]["threads"] == 1 else None
    for row in rows:
        row["speedup"] = row["efficiency"] = None
        if one:
            row["weakEfficiency"] = one / row["totalSeconds"]
        row["ratePerThread"] = row["rate"] / row["threads"]
    write_csv(run.path("weak.csv"), rows, ["nodesPerThread", "weakEfficiency", "ratePerThread"] + BENCH_FIELDS)
    with figure(run.path("weak.png"), (6, 4.2)) as (ax,):
        ax.plot([r["threads"] for r in rows], [r.get("weakEfficiency") for r in rows], "o-", label="t(1) / t(P)")
        ax.axhline(1.0, color="k", ls="--", lw=0.8, label="ideal")
        ax.set(xlabel="threads P (circuit = P x base size)", ylabel="weak-scaling efficiency", ylim=(0, 1.2),
               title=f"Weak scaling, layered, {nodes} nodes/thread, batch {args.batch}")
        ax.set_xticks(threads)
    table = bench_table(rows, ["threads", "nodes", "strategy", "totalSeconds", "rate", "ratePerThread", "weakEfficiency"])
    write_summary(run, "Weak scaling", f"Layered circuit of {nodes} nodes x P (width {width} x P), P threads, "
                  f"batch {args.batch}, median of {args.reps} reps.\n\n{table}\n\n![weak scaling](weak.png)")
    run.finish()


def sweep_batch(args):
    run = Run("sweep-batch", args)
    record_machine(run)
    threads = sorted({1, max(thread_counts(args))})
    batches = [int(b) for b in args.batches.split(",")]
    circuit, _ = run.generate(args.kind, run.shape(args.kind))
    rows = []
    for i, batch in enumerate(batches, 1):
        log(f"[{i}/{len(batches)}] batch {batch}")
        rows += bench_rows(run.bench(circuit, batch, threads), {"kind": args.kind})
    write_csv(run.path("sweep-batch.csv"), rows, ["kind"] + BENCH_FIELDS)
    with figure(run.path("sweep-batch.png"), (6.5, 4.2), grid={"which": "both"}) as (ax,):
        for p in threads:
            mine = [r for r in rows if r["threads"] == p]
            ax.plot([r["batch"] for r in mine], [r["rate"] for r in mine], "o-", label=f"{p} thread(s)")
        ax.set(xscale="log", yscale="log", xlabel="batch size", ylabel="node-evaluations/s (fwd+bwd)",
               title=f"Batch sweep, {args.kind} ({rows[0]['nodes'] if rows else '?'} nodes)")
    table = bench_table(rows, ["batch", "threads", "strategy", "laneBlock", "totalSeconds", "rate", "speedup"])
    write_summary(run, "Batch-size sweep", f"Circuit `{run.shape(args.kind)}`, median of {args.reps} reps.\n\n"
                  f"{table}\n\n![batch sweep](sweep-batch.png)")
    run.finish()


def sweep_shape(args):
    run = Run("sweep-shape", args)
    record_machine(run)
    threads = sorted({1, max(thread_counts(args))})
    shapes = args.kinds.split(",") if args.kinds else SHAPE_SWEEP
    rows = bench_each(run, shapes, args.batch, threads, lambda shape: {"shape": shape, "generator": run.shape(shape)})
    write_csv(run.path("sweep-shape.csv"), rows, ["shape", "generator"] + BENCH_FIELDS)
    with figure(run.path("sweep-shape.png"), (8, 4.2), grid={"axis": "y"}) as (ax,):
        series = [(f"{p} thread(s)", [next((r["rate"] for r in rows if r["shape"] == s and r["threads"] == p), 0)
                                      for s in shapes]) for p in threads]
        ax.set_xticks(grouped_bars(ax, shapes, series), shapes, rotation=15)
        ax.set(ylabel="node-evaluations/s (fwd+bwd)", title=f"Shape sweep, batch {args.batch}")
    table = bench_table(rows, ["shape", "nodes", "levels", "threads", "strategy", "totalSeconds", "rate", "speedup"])
    gens = "\n".join(f"- {s}: `circuitgrad generate {run.shape(s)}`" for s in shapes)
    write_summary(run, "Shape sweep", f"Batch {args.batch}, median of {args.reps} reps.\n\n{gens}\n\n{table}\n\n"
                  "![shape sweep](sweep-shape.png)")
    run.finish()
