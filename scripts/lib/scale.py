"""`scripts/scale-10m`: a 10M-node layered circuit generated, evaluated and benched under
`/usr/bin/time -v`: wall time, peak memory and bytes per node of each step."""
from __future__ import annotations

import os
import shlex

from machine import record_machine
from report import markdown_table, write_csv, write_summary
from run import Run, log, parse_json, thread_counts, timed_step


def scale_10m(args):
    run = Run("scale-10m", args)
    record_machine(run)
    nodes = args.nodes // 1000 if args.quick else args.nodes
    options = f"layered --nodes {nodes} --width {args.width}"
    circuit = run.scratch_path("big.circuit")
    batch_path = run.scratch_path(f"big-b{args.batch}.npy")
    out = run.scratch_path("big-out.npy")
    steps = []
    log(f"[1/3] generate {nodes} nodes")
    steps.append(timed_step("generate", [run.cg, "generate", *shlex.split(options), "--seed", str(args.seed),
                                         "-o", circuit, "--batch", str(args.batch), "--batch-out", batch_path]))
    size = os.path.getsize(circuit)
    log(f"[2/3] eval at batch {args.batch} (file {size / 1e6:.1f} MB)")
    steps.append(timed_step("eval", [run.cg, "eval", circuit, "--inputs", batch_path, "--output", out]))
    log(f"[3/3] bench at batch {args.batch}, threads {max(thread_counts(args))}")
    bench = timed_step("bench", [run.cg, "bench", circuit, "--batch", str(args.batch), "--threads",
                                 str(max(thread_counts(args))), "--reps", "1", "--json"], capture=True)
    steps.append(bench)
    rate = ""
    try:
        result = parse_json(bench.pop("stdout"))
        rate = result["results"][0]["rate"]
        bench["rate"] = rate
    except Exception as error:
        bench["error"] = f"bench output unreadable: {error}"
    for step in steps:
        step["nodes"] = nodes
        step["bytesPerNode"] = step["maxRssBytes"] / nodes if step.get("maxRssBytes") and not step.get("error") else None
    write_csv(run.path("scale-10m.csv"), steps, ["step", "nodes", "wallSeconds", "maxRssBytes", "bytesPerNode", "rate", "error"])
    table = markdown_table(steps, ["step", "wallSeconds", "maxRssBytes", "bytesPerNode", "rate", "error"],
                           ["step", "wall s", "max RSS bytes", "RSS bytes / node", "node-evals/s", "error"])
    write_summary(run, f"{nodes:,} nodes at batch {args.batch}",
                  f"Circuit `circuitgrad generate {options}` ({size:,} bytes of text); peak memory is "
                  f"`/usr/bin/time -v` maximum resident set size of each whole process (reading the file included).\n\n{table}")
    run.finish()
