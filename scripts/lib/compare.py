"""`scripts/compare`: the same generated circuits and batches through CircuitGrad and the peers
(peers.py, one process per tool), every peer checked against `circuitgrad eval`, node-evaluations/s
on one core and on all cores. Writes compare.csv, compare.png and summary.md."""
from __future__ import annotations

import os
import subprocess
import sys

from machine import git_describe, record_machine
from plots import figure, grouped_bars
from report import fmt, write_csv, write_summary
from run import HERE, Run, check_call, check_output, first_allowed_cpu, log, on_one_core, parse_json, thread_counts
from shapes import COMPARE_CIRCUITS, PEERS, SINGLE_CORE_ENV

FIELDS = ["circuit", "nodes", "batch", "cores", "tool", "version", "compileSeconds", "runSeconds", "rate",
          "circuitgradRatio", "agrees", "maxRelError", "mismatches", "checked", "error"]


def compare(args):
    run = Run("compare", args)
    cpu = record_machine(run)
    all_threads = max(thread_counts(args))
    circuits = args.kinds.split(",") if args.kinds else COMPARE_CIRCUITS
    tools = args.tools.split(",") if args.tools else PEERS
    batches = [int(b) for b in args.batches.split(",")]
    rows, notes = [], []
    cases = [(key, batch) for key in circuits for batch in batches]
    for step, (key, batch) in enumerate(cases, 1):
        log(f"[{step}/{len(cases)}] {key}, batch {batch}")
        measure_case(run, args, key, batch, tools, all_threads, rows, notes)
    add_ratios(rows)
    write_csv(run.path("compare.csv"), rows, FIELDS)
    plot_compare(run, rows, tools)
    table = rate_table(rows, cases, tools, all_threads)
    write_summary(run, "CircuitGrad vs JAX, NumPy, PyTorch, micrograd", summary_body(args, cpu, all_threads, rows, notes, table))
    run.finish()


def measure_case(run, args, key, batch, tools, all_threads, rows, notes):
    """One circuit at one batch size: CircuitGrad's reference results, then every tool on one core and
    on all cores; appends the rows and any note (a disagreement, a fallback reference)."""
    circuit, batch_path = run.generate(key, run.shape(key), batch=batch)
    nodes = count_nodes(circuit)
    out = run.scratch_path(f"{key}-b{batch}-out.npy")
    grads = run.scratch_path(f"{key}-b{batch}-pg.csv")
    try:
        check_call([run.cg, "eval", circuit, "--inputs", batch_path, "--output", out, "--param-grads", grads])
    except subprocess.CalledProcessError:
        # No usable `circuitgrad eval`: check the peers against the NumPy implementation instead, and say so.
        numpy_reference(circuit, batch_path, out, grads)
        message = (f"- **`circuitgrad eval` failed on {key} batch {batch}**: peers were checked against the "
                   "NumPy implementation of the spec instead of CircuitGrad")
        notes.append(message)
        log(message)
    base = {"circuit": key, "nodes": nodes, "batch": batch}
    for cores, single in core_settings(all_threads):
        # Timed on the batch the peers are timed on: elementary functions' speed depends on their arguments.
        result = run.bench(circuit, batch, [1 if single else all_threads], single_core=single, inputs=batch_path)
        r = result["results"][0]
        rows.append(dict(base, tool="circuitgrad", cores=cores, runSeconds=r["totalSeconds"], rate=r["rate"],
                         compileSeconds=0.0, agrees="reference", version=git_describe()))
        for tool in tools:
            skip = skip_reason(args, tool, nodes, batch)
            report = {"error": skip} if skip else run_peer(args, tool, circuit, batch_path, out, grads, single)
            rows.append(dict(base, cores=cores, **{**report, "tool": tool}))
            if report.get("agrees") is False:
                notes.append(f"- **{tool} disagrees** on {key} batch {batch}: {report.get('mismatches')} of "
                             f"{report.get('checked')} numbers, max relative error {report.get('maxRelError'):.3g}")


def core_settings(all_threads):
    """(cores label, single-core?) for each pass: one core pinned, then all cores unless that is one."""
    return [("1", True)] + ([(str(all_threads), False)] if all_threads > 1 else [])


def run_peer(args, tool, circuit, batch_path, expect, expect_params, single):
    """peers.py for one tool in its own process; its JSON report, or {"error": ...}."""
    command = [sys.executable, os.path.join(HERE, "peers.py"), "--tool", tool, "--circuit", circuit,
               "--batch", batch_path, "--reps", str(args.reps), "--expect", expect,
               "--expect-params", expect_params]
    env = dict(os.environ)
    if single:
        command = on_one_core(command) + ["--single-core"]
        env.update(SINGLE_CORE_ENV)
    try:
        return parse_json(check_output(command, env=env, timeout=args.peer_timeout))
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {args.peer_timeout} s"}
    except subprocess.CalledProcessError as error:
        return {"error": f"exit {error.returncode}"}


def add_ratios(rows):
    """circuitgradRatio on every peer row that has a rate: CircuitGrad's rate on the same case / the peer's."""
    for row in rows:
        if row["tool"] != "circuitgrad" and row.get("rate"):
            cg = next(r for r in rows if r["tool"] == "circuitgrad" and r["circuit"] == row["circuit"]
                      and r["batch"] == row["batch"] and r["cores"] == row["cores"])
            row["circuitgradRatio"] = cg["rate"] / row["rate"]


def rate_table(rows, cases, tools, all_threads):
    """Markdown: one row per circuit x batch x cores, a column per tool with rate and CircuitGrad's ratio."""
    lines = ["| circuit | nodes | batch | cores | CircuitGrad node-evals/s | " +
             " | ".join(f"{t}: rate (CG ratio)" for t in tools) + " |", "|" + "---|" * (5 + len(tools))]
    for key, batch in cases:
        for cores, _ in core_settings(all_threads):
            group = {r["tool"]: r for r in rows if r["circuit"] == key and r["batch"] == batch and r["cores"] == cores}
            cg = group.get("circuitgrad", {})
            cells = []
            for tool in tools:
                r = group.get(tool, {})
                if r.get("rate"):
                    mark = {True: "", False: " ✗ disagrees"}.get(r.get("agrees"), " (unchecked)")
                    cells.append(f"{fmt(r['rate'])} ({fmt(r['circuitgradRatio'])}x){mark}")
                else:
                    cells.append(r.get("error", "")[:60])
            lines.append(f"| {key} | {cg.get('nodes', '')} | {batch} | {cores} | {fmt(cg.get('rate', ''))} | " +
                         " | ".join(cells) + " |")
    return "\n".join(lines)


def summary_body(args, cpu, all_threads, rows, notes, table):
    compile_rows = [r for r in rows if r["tool"] == "jax" and r.get("compileSeconds") is not None]
    compile_text = "\n".join(f"- {r['circuit']} batch {r['batch']} cores {r['cores']}: compile {r['compileSeconds']:.2f} s, "
                             f"run {r['runSeconds'] * 1e3:.3f} ms" for r in compile_rows)
    checks = [r for r in rows if "agrees" in r and r["tool"] != "circuitgrad"]
    agree = sum(1 for r in checks if r["agrees"] is True)
    versions = sorted({f"{r['tool']} {r['version']}" for r in rows if r.get("version") and r["tool"] != "circuitgrad"})
    return f"""CPU: {cpu}; 1 core = `taskset -c {first_allowed_cpu()}` with OMP/MKL threads 1,
`XLA_FLAGS=--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1`, torch `set_num_threads(1)`,
`circuitgrad bench --threads 1`; all cores = {all_threads} threads, no mask. Rate = function nodes x samples /
(forward+backward seconds for the whole batch), median of {args.reps} reps (CircuitGrad: more where {args.reps}
would time less than {args.min_seconds} s, at most 400), all tools measured in this run.
The ratio in brackets is CircuitGrad's rate / the tool's rate (above 1: CircuitGrad is faster).
Every tool is timed on the same circuit and the same generated batch (`circuitgrad bench --inputs`);
CircuitGrad's results for the check come from `circuitgrad eval` on that batch.

Peer versions: {', '.join(versions) or 'none ran'}.

{table}

Gradient check (every value, input gradient and parameter gradient vs `circuitgrad eval`, tolerance
1e-9 relative with a floor of 1e-12 x the largest entry of the sample's row): {agree} of {len(checks)} peer runs agree.
{chr(10).join(notes)}

JAX compile time (reported apart from run time):
{compile_text or '- (JAX did not run)'}

micrograd runs only circuits up to {args.micrograd_max_nodes} nodes and batches up to {args.micrograd_max_batch};
JAX only circuits up to {args.jax_max_nodes} nodes. {'; '.join(args.note or [])}

![compare](compare.png)"""


def numpy_reference(circuit_path, batch_path, out, grads):
    """Writes the NumPy implementation's results in `eval`'s formats (results NPY, param,grad CSV)."""
    import numpy as np
    from circuit_file import read_batch, read_circuit
    from numpy_eval import NumpyCircuit
    circuit = read_circuit(circuit_path)
    values, gx, gp = NumpyCircuit(circuit).evaluate(read_batch(batch_path, circuit))
    np.save(out, np.column_stack([values, gx]))
    with open(grads, "w") as handle:
        handle.write("param,grad\n" + "".join(f"{name},{float(g)!r}\n" for (name, _), g in zip(circuit.params, gp)))


def skip_reason(args, tool, nodes, batch):
    if tool == "micrograd" and (nodes > args.micrograd_max_nodes or batch > args.micrograd_max_batch):
        return f"skipped (micrograd limit {args.micrograd_max_nodes} nodes, batch {args.micrograd_max_batch})"
    if tool == "jax" and nodes > args.jax_max_nodes:
        return f"skipped (JAX compile limit {args.jax_max_nodes} nodes)"
    return None


def count_nodes(path):
    from circuit_file import read_circuit
    return read_circuit(path).node_count


def plot_compare(run, rows, tools):
    groups = sorted({(r["circuit"], r["batch"]) for r in rows}, key=lambda g: (g[0], g[1]))
    cores = sorted({r["cores"] for r in rows}, key=int)
    names = ["circuitgrad"] + tools
    with figure(run.path("compare.png"), (6 * len(cores), 4.5), panels=len(cores), grid={"axis": "y"},
                legend={"fontsize": 8}) as axes:
        for ax, c in zip(axes, cores):
            series = [(tool, [next((r.get("rate") or 0 for r in rows if (r["circuit"], r["batch"]) == g and r["cores"] == c
                                    and r["tool"] == tool), 0) for g in groups]) for tool in names]
            ax.set_xticks(grouped_bars(ax, groups, series), [f"{g[0][4:]}\nB={g[1]}" for g in groups], fontsize=8)
            ax.set(yscale="log", ylabel="node-evaluations/s (fwd+bwd)", title=f"{c} core(s)")
