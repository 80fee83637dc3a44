"""`scripts/engine-targets`: the engine's performance targets in one run (1 and 2 threads side by side
per circuit, each target and whether it is met) and the peak memory of one large `eval`."""
from __future__ import annotations

import os

from machine import record_machine
from report import markdown_table, write_csv, write_summary
from run import Run, check_output, log, parse_json, timed_step
from shapes import TARGETS


def engine_targets(args):
    """The engine's performance targets in one run: 1 and 2 threads side by side per circuit."""
    run = Run("engine-targets", args)
    record_machine(run)
    rows = []
    for i, (key, batch, kind, bound) in enumerate(TARGETS, 1):
        log(f"[{i}/{len(TARGETS)}] {key}: generate, bench batch {batch} threads 1,2")
        circuit, _ = run.generate(key, run.shape(key))
        result = run.bench(circuit, batch, [1, 2])
        one = next(r for r in result["results"] if r["threads"] == 1)
        two = next(r for r in result["results"] if r["threads"] == 2)
        speedup = one["totalSeconds"] / two["totalSeconds"]
        ratio = one["backwardSeconds"] / one["forwardSeconds"] if one["forwardSeconds"] > 0 else float("nan")
        if kind == "rate":
            target, met = f"1 thread ≥ {bound / 1e6:.0f} M/s", one["rate"] >= bound
        elif bound < 1:
            target, met = "2 threads no slower (≥ 0.95×, noise)", speedup >= bound
        else:
            target, met = f"2 threads ≥ {bound}×", speedup >= bound
        rows.append({"circuit": key, "nodes": result["circuit"]["nodes"], "batch": batch,
                     "rate1": one["rate"], "rate2": two["rate"], "speedup": speedup,
                     "strategy2": f'{two.get("strategy")}/L{two.get("laneBlock")}', "bwdOverFwd": ratio,
                     "target": target, "met": "yes" if met else "NO",
                     "bwdMet": "yes" if ratio <= 2.5 else "NO",
                     "bitwise": two.get("bitwiseEqualToOneThread")})
    fields = ["circuit", "nodes", "batch", "rate1", "rate2", "speedup", "strategy2", "bwdOverFwd", "target", "met", "bwdMet", "bitwise"]
    write_csv(run.path("targets.csv"), rows, fields)
    # Memory of a whole `eval` of the 1M-node circuit at batch 64 (read, plan, workers, results).
    log("peak memory: circuitgrad eval of t-layered1m at batch 64")
    circuit, batch_path = run.generate("t-layered1m", run.shape("t-layered1m"), batch=64)
    info = parse_json(check_output([run.cg, "info", circuit, "--json", "--batch", "64"]))
    step = timed_step("eval", [run.cg, "eval", circuit, "--inputs", batch_path, "--output",
                               os.path.join(run.scratch, "eval-1m.npy")])
    nodes = info.get("functionNodes") or info.get("nodes") or rows[0]["nodes"]
    schedule = info.get("schedule", {})
    memory = [{"circuit": "t-layered1m", "nodes": nodes, "batch": 64,
               "planBytesPerNode": schedule.get("planBytesPerNode"),
               "workspaceBytesPerNodeLane": schedule.get("workspaceBytesPerNodeLane"),
               "evalWallSeconds": step["wallSeconds"], "evalMaxRssBytes": step.get("maxRssBytes"),
               "rssBytesPerNode": step["maxRssBytes"] / nodes if step.get("maxRssBytes") else None,
               "error": step.get("error", "")}]
    memory_fields = list(memory[0].keys())
    write_csv(run.path("memory.csv"), memory, memory_fields)
    for r in rows:
        r["rate1"] = f'{r["rate1"] / 1e6:.1f} M'
        r["rate2"] = f'{r["rate2"] / 1e6:.1f} M'
    table = markdown_table(rows, fields, ["circuit", "nodes", "batch", "1 thread node-evals/s", "2 threads", "speedup",
                                          "2-thread plan", "bwd/fwd (1 thread)", "target", "met", "bwd ≤ 2.5× fwd",
                                          "bitwise = 1 thread"])
    memory_table = markdown_table(memory, memory_fields, ["circuit", "nodes", "batch", "plan bytes/node",
                                                          "workspace bytes/node-lane", "eval wall s",
                                                          "eval peak RSS bytes", "peak RSS bytes/node", "error"])
    write_summary(run, "Engine targets: throughput, speedup and memory on six circuits",
                  f"`circuitgrad bench --threads 1,2 --reps {args.reps}` per circuit, medians, one run.\n\n{table}\n\n"
                  "Memory: `circuitgrad info --json` (plan and workspace) and `/usr/bin/time -v circuitgrad eval` "
                  "of the 1M-node circuit at batch 64 with NPY output (peak resident set of the whole process: "
                  f"reader, circuit, plan, workers, batch and results).\n\n{memory_table}")
    run.finish()
