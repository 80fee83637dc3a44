"""Drives the measurement scripts: scaling-strong, scaling-weak, sweep-batch, sweep-shape, compare,
scale-10m. Each run writes into a fresh folder `OUT/NAME-YYYYmmdd-HHMMSS/`: CSV, PNG plots,
`summary.md` and `machine.md`. Circuits and batches go to a scratch folder (removed unless --keep).

Circuits come from `circuitgrad generate KIND ...`; the exact generator options per shape are in
the SHAPES table below and can be replaced from the command line with
`--shape 'NAME=KIND --opt value ...'` (repeatable).
"""
from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# name -> (generator options at full size, options at --quick size). Option names follow the
# generator shapes (LayeredShape nodes/width/depth/fanIn/ops, MLPShape layerSizes, GridShape
# rows/columns, TreeShape leaves as --inputs, ChainShape length as --nodes); edit here if `circuitgrad generate` spells
# them differently; `--shape NAME='...'` overrides one entry for a run.
SHAPES = {
    # strong scaling: one fixed circuit per kind
    "layered":      ("layered --nodes 200000 --width 1000", "layered --nodes 4000 --width 100"),
    "mlp":          ("mlp --layers 64,512,512,512,1", "mlp --layers 8,32,32,1"),
    "grid":         ("grid --rows 400 --columns 400", "grid --rows 40 --columns 40"),
    "tree":         ("tree --inputs 131072", "tree --inputs 2048"),
    "chain":        ("chain --nodes 100000", "chain --nodes 2000"),
    # sweep-shape: same node count, different shapes and op mixes
    "wide":         ("layered --nodes 200000 --width 10000", "layered --nodes 4000 --width 1000"),
    "square":       ("layered --nodes 200000 --width 450", "layered --nodes 4000 --width 64"),
    "deep":         ("layered --nodes 200000 --width 50", "layered --nodes 4000 --width 8"),
    "fanout-heavy": ("layered --nodes 200000 --width 1000 --fan-in 8 --ops add:1,mul:1,max:1", "layered --nodes 4000 --width 100 --fan-in 8 --ops add:1,mul:1,max:1"),
    "transcendental": ("layered --nodes 200000 --width 1000 --ops sin:1,cos:1,exp:1,tanh:1,sigmoid:1,log:1",
                       "layered --nodes 4000 --width 100 --ops sin:1,cos:1,exp:1,tanh:1,sigmoid:1,log:1"),
    # compare: the circuits every peer runs (JAX must compile them in about a minute)
    "cmp-mlp":      ("mlp --layers 16,64,64,1", "mlp --layers 4,8,1"),
    "cmp-layered":  ("layered --nodes 5000 --width 100 --params 4", "layered --nodes 500 --width 20 --params 4"),
    "cmp-addtree":  ("tree --inputs 10001 --ops add", "tree --inputs 257 --ops add"),
    "cmp-transcendental": ("layered --nodes 5000 --width 100 --ops sin:1,cos:1,exp:1,tanh:1,sigmoid:1,log:1",
                           "layered --nodes 500 --width 20 --ops sin:1,cos:1,exp:1,tanh:1,sigmoid:1,log:1"),
    # compare: circuits that mix every op the way users' circuits do (elementary functions beside adds)
    "mix-layered10k":  ("layered --nodes 10000 --ops add,sub,mul,div,neg,recip,square,sqrt,exp,log,sin,cos,tanh,sigmoid,relu,abs,max,min,pow,scale,offset,powc,const", "layered --nodes 1000 --ops add,sub,mul,div,neg,recip,square,sqrt,exp,log,sin,cos,tanh,sigmoid,relu,abs,max,min,pow,scale,offset,powc,const"),
    "mix-layered200k": ("layered --nodes 200000 --ops add,sub,mul,div,neg,recip,square,sqrt,exp,log,sin,cos,tanh,sigmoid,relu,abs,max,min,pow,scale,offset,powc,const", "layered --nodes 4000 --ops add,sub,mul,div,neg,recip,square,sqrt,exp,log,sin,cos,tanh,sigmoid,relu,abs,max,min,pow,scale,offset,powc,const"),
    "mix-chain100k":   ("chain --nodes 100000", "chain --nodes 2000"),
    "mix-tree10k":     ("tree --inputs 10000 --ops add:1,mul:1,sin:1,cos:1,tanh:1,sigmoid:1",
                        "tree --inputs 1000 --ops add:1,mul:1,sin:1,cos:1,tanh:1,sigmoid:1"),
    "mix-grid300":     ("grid --rows 300 --columns 300", "grid --rows 30 --columns 30"),
    # engine-targets: the circuits of issue 3's acceptance figures
    "t-layered1m":  ("layered --nodes 1000000 --width 1000 --ops add:1,mul:1", "layered --nodes 20000 --width 200 --ops add:1,mul:1"),
    "t-layered100k": ("layered --nodes 100000 --width 1000 --ops add:1,mul:1", "layered --nodes 5000 --width 100 --ops add:1,mul:1"),
    "t-mlp":        ("mlp --layers 64,256,256,10", "mlp --layers 8,32,32,2"),
    "t-grid":       ("grid --rows 300 --columns 300", "grid --rows 30 --columns 30"),
    "t-wide-batch1": ("layered --nodes 300000 --width 10000", "layered --nodes 20000 --width 2000"),
    "t-chain-batch1": ("chain --nodes 100000", "chain --nodes 5000"),
}
# (shape, batch, what is checked): "rate" = 1-thread node-evaluations/s at least the bound;
# "speedup" = 2-thread total time speedup at least the bound; every row also checks backward ≤ 2.5× forward.
TARGETS = [
    ("t-layered1m", 64, "rate", 150e6),
    ("t-layered100k", 64, "speedup", 1.8),
    ("t-mlp", 64, "speedup", 1.8),
    ("t-grid", 64, "speedup", 1.8),
    ("t-wide-batch1", 1, "speedup", 1.8),
    ("t-chain-batch1", 1, "speedup", 0.95),
]
STRONG_KINDS = ["layered", "mlp", "grid", "tree", "chain"]
SHAPE_SWEEP = ["wide", "square", "deep", "fanout-heavy", "transcendental"]
COMPARE_CIRCUITS = ["cmp-mlp", "cmp-layered", "cmp-addtree", "cmp-transcendental"]
MIX_CIRCUITS = ["mix-layered10k", "mix-layered200k", "mix-chain100k", "mix-tree10k", "mix-grid300"]
PEERS = ["numpy", "jax", "torch", "micrograd"]
SINGLE_CORE_ENV = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
                   "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"}


def log(message):
    """Progress line on stderr."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Run:
    """One script run: options, its fresh output folder, scratch folder and the circuitgrad binary."""

    def __init__(self, name, args):
        self.name, self.args = name, args
        self.cg = args.circuitgrad
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        base = os.path.join(args.out, f"{name}-{stamp}")
        self.dir, n = base, 1
        while os.path.exists(self.dir):  # never write into an existing folder
            n += 1
            self.dir = f"{base}-{n}"
        os.makedirs(self.dir)
        self.scratch = args.work or tempfile.mkdtemp(prefix=f"circuitgrad-{name}-")
        os.makedirs(self.scratch, exist_ok=True)
        self.shapes = dict(SHAPES)
        for override in args.shape or []:
            key, _, value = override.partition("=")
            self.shapes[key.strip()] = (value.strip(), value.strip())
        log(f"{name}: writing into {self.dir} (scratch {self.scratch})")

    def shape(self, key):
        full, quick = self.shapes[key]
        return quick if self.args.quick else full

    def path(self, name):
        return os.path.join(self.dir, name)

    def finish(self):
        if not self.args.keep and not self.args.work:
            shutil.rmtree(self.scratch, ignore_errors=True)
        log(f"{self.name}: done; results in {self.dir}")

    # ------------------------------------------------------------ circuitgrad calls
    def generate(self, key, options, batch=None, seed=None):
        """`circuitgrad generate` into the scratch folder; returns (circuit path, batch path or None)."""
        seed = self.args.seed if seed is None else seed
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{key}-s{seed}")
        circuit = os.path.join(self.scratch, safe + ".circuit")
        batch_path = os.path.join(self.scratch, f"{safe}-b{batch}.npy") if batch else None
        for stale in (circuit, batch_path):
            if stale and os.path.exists(stale):
                os.remove(stale)  # our own scratch file from an earlier step
        command = [self.cg, "generate", *shlex.split(options), "--seed", str(seed), "-o", circuit]
        if batch:
            command += ["--batch", str(batch), "--batch-out", batch_path]
        check_call(command)
        return circuit, batch_path

    def bench(self, circuit, batch, threads, single_core=False):
        """`circuitgrad bench --json`; returns the parsed object."""
        command = [self.cg, "bench", circuit, "--batch", str(batch), "--threads", ",".join(map(str, threads)),
                   "--reps", str(self.args.reps), "--seed", str(self.args.seed), "--json"]
        if single_core:
            command = ["taskset", "-c", str(first_allowed_cpu())] + command
        return parse_json(check_output(command))


def check_call(command, **kwargs):
    log("$ " + " ".join(shlex.quote(c) for c in command))
    subprocess.run(command, check=True, stdout=sys.stderr, **kwargs)


def check_output(command, env=None, timeout=None):
    log("$ " + " ".join(shlex.quote(c) for c in command))
    return subprocess.run(command, check=True, stdout=subprocess.PIPE, env=env, timeout=timeout, text=True).stdout


def parse_json(text):
    """The JSON object in a command's output (the last line that starts one, or the whole text)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        start = text.rfind("\n{")
        return json.loads(text[start + 1:] if start >= 0 else text[text.index("{"):])


def allowed_cpus():
    return sorted(os.sched_getaffinity(0))


def first_allowed_cpu():
    return allowed_cpus()[0]


def thread_counts(args):
    if args.threads:
        return [int(t) for t in args.threads.split(",")]
    return list(range(1, len(allowed_cpus()) + 1))


def write_csv(path, rows, fields):
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    log(f"wrote {path}")


def markdown_table(rows, fields, headers=None):
    headers = headers or fields
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(fields)]
    for row in rows:
        out.append("| " + " | ".join(fmt(row.get(f, "")) for f in fields) + " |")
    return "\n".join(out)


def fmt(value):
    if isinstance(value, float):
        if value == 0 or 1e-3 <= abs(value) < 1e6:
            return f"{value:.4g}"
        return f"{value:.3e}"
    return str(value)


def record_machine(run):
    """machine.md: CPU model, allowed cores, memory, hwloc topology (circuitgrad topology or lstopo)."""
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = next((l.split(":", 1)[1].strip() for l in open("/proc/meminfo") if l.startswith("MemTotal")), "?")
    lines = [f"# Machine for {run.name}", "",
             f"- date: {datetime.datetime.now().isoformat(timespec='seconds')}",
             f"- CPU model: {cpu}",
             f"- nproc: {os.cpu_count()} online, {len(allowed_cpus())} allowed ({allowed_cpus()})",
             f"- memory: {mem}",
             f"- kernel: {platform.platform()}",
             f"- git: {git_describe()}",
             f"- command: `{' '.join(shlex.quote(a) for a in sys.argv)}`", ""]
    try:
        topology = subprocess.run([run.cg, "topology", "--json"], capture_output=True, text=True, timeout=60)
        if topology.returncode == 0 and topology.stdout.strip():
            lines += ["## circuitgrad topology --json", "", "```json", topology.stdout.strip(), "```", ""]
        else:
            raise RuntimeError(topology.stderr.strip())
    except Exception as error:  # fall back to hwloc's own tool
        lines += [f"(circuitgrad topology unavailable: {str(error)[:200]})", ""]
        if shutil.which("lstopo-no-graphics"):
            text = subprocess.run(["lstopo-no-graphics", "--of", "console"], capture_output=True, text=True).stdout
            lines += ["## lstopo-no-graphics", "", "```", text.strip(), "```", ""]
    with open(run.path("machine.md"), "w") as handle:
        handle.write("\n".join(lines))
    return cpu


def git_describe():
    try:
        head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return head + (" (with uncommitted changes)" if dirty else "")
    except OSError:
        return "unknown"


def write_summary(run, title, body):
    text = [f"# {title}", "", f"Run folder: `{os.path.relpath(run.dir, ROOT)}`; machine: see `machine.md`.", "", body, ""]
    with open(run.path("summary.md"), "w") as handle:
        handle.write("\n".join(text))
    log(f"wrote {run.path('summary.md')}")
    print("\n".join(text))


def pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def bench_rows(result, extra):
    """Flattens `bench --json` into CSV rows (one per thread count) with speedup vs the 1-thread row."""
    base = next((r for r in result["results"] if r["threads"] == 1), None)
    rows = []
    for r in result["results"]:
        row = dict(extra)
        row.update({"nodes": result["circuit"]["nodes"], "levels": result["circuit"].get("levels"),
                    "batch": result["batch"], "threads": r["threads"], "strategy": r.get("strategy"),
                    "laneBlock": r.get("laneBlock"), "forwardSeconds": r["forwardSeconds"],
                    "backwardSeconds": r["backwardSeconds"], "totalSeconds": r["totalSeconds"],
                    "rate": r["rate"], "bitwiseEqualToOneThread": r.get("bitwiseEqualToOneThread")})
        if base:
            row["speedup"] = base["totalSeconds"] / r["totalSeconds"]
            row["efficiency"] = row["speedup"] / r["threads"]
        rows.append(row)
    return rows


BENCH_FIELDS = ["nodes", "levels", "batch", "threads", "strategy", "laneBlock", "forwardSeconds",
                "backwardSeconds", "totalSeconds", "rate", "speedup", "efficiency", "bitwiseEqualToOneThread"]


# ============================================================== scaling-strong
def strong(args):
    run = Run("scaling-strong", args)
    record_machine(run)
    threads = thread_counts(args)
    kinds = args.kinds.split(",") if args.kinds else STRONG_KINDS
    rows = []
    for i, kind in enumerate(kinds, 1):
        log(f"[{i}/{len(kinds)}] {kind}: generate, bench threads {threads}")
        circuit, _ = run.generate(kind, run.shape(kind))
        rows += bench_rows(run.bench(circuit, args.batch, threads), {"kind": kind})
    write_csv(run.path("strong.csv"), rows, ["kind"] + BENCH_FIELDS)
    plt = pyplot()
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    for kind in kinds:
        mine = [r for r in rows if r["kind"] == kind]
        ax1.plot([r["threads"] for r in mine], [r["speedup"] for r in mine], "o-", label=kind)
        ax2.plot([r["threads"] for r in mine], [r["efficiency"] for r in mine], "o-", label=kind)
    ax1.plot(threads, threads, "k--", lw=0.8, label="ideal")
    ax1.set(xlabel="threads", ylabel="speedup vs 1 thread", title=f"Strong scaling, batch {args.batch}")
    ax2.set(xlabel="threads", ylabel="parallel efficiency", ylim=(0, 1.2), title="Efficiency")
    for ax in (ax1, ax2):
        ax.set_xticks(threads)
        ax.grid(alpha=0.3)
    ax1.legend()
    fig.tight_layout()
    fig.savefig(run.path("strong.png"), dpi=110)
    table = markdown_table(rows, ["kind", "nodes", "threads", "strategy", "totalSeconds", "rate", "speedup", "efficiency",
                                  "bitwiseEqualToOneThread"],
                           ["kind", "nodes", "threads", "strategy", "fwd+bwd s", "node-evals/s", "speedup", "efficiency", "bitwise = 1 thread"])
    write_summary(run, "Strong scaling", f"Fixed circuit per kind, batch {args.batch}, median of {args.reps} reps "
                  f"(`circuitgrad bench`), threads {threads}.\n\n{table}\n\n![strong scaling](strong.png)")
    run.finish()


# ============================================================== scaling-weak
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
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 4.2))
    ax.plot([r["threads"] for r in rows], [r.get("weakEfficiency") for r in rows], "o-", label="t(1) / t(P)")
    ax.axhline(1.0, color="k", ls="--", lw=0.8, label="ideal")
    ax.set(xlabel="threads P (circuit = P x base size)", ylabel="weak-scaling efficiency", ylim=(0, 1.2),
           title=f"Weak scaling, layered, {nodes} nodes/thread, batch {args.batch}")
    ax.set_xticks(threads)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(run.path("weak.png"), dpi=110)
    table = markdown_table(rows, ["threads", "nodes", "strategy", "totalSeconds", "rate", "ratePerThread", "weakEfficiency"],
                           ["threads", "nodes", "strategy", "fwd+bwd s", "node-evals/s", "per thread", "t(1)/t(P)"])
    write_summary(run, "Weak scaling", f"Layered circuit of {nodes} nodes x P (width {width} x P), P threads, "
                  f"batch {args.batch}, median of {args.reps} reps.\n\n{table}\n\n![weak scaling](weak.png)")
    run.finish()


# ============================================================== sweep-batch
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
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    for p in threads:
        mine = [r for r in rows if r["threads"] == p]
        ax.plot([r["batch"] for r in mine], [r["rate"] for r in mine], "o-", label=f"{p} thread(s)")
    ax.set(xscale="log", yscale="log", xlabel="batch size", ylabel="node-evaluations/s (fwd+bwd)",
           title=f"Batch sweep, {args.kind} ({rows[0]['nodes'] if rows else '?'} nodes)")
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    fig.tight_layout()
    fig.savefig(run.path("sweep-batch.png"), dpi=110)
    table = markdown_table(rows, ["batch", "threads", "strategy", "laneBlock", "totalSeconds", "rate", "speedup"],
                           ["batch", "threads", "strategy", "L", "fwd+bwd s", "node-evals/s", "speedup"])
    write_summary(run, "Batch-size sweep", f"Circuit `{run.shape(args.kind)}`, median of {args.reps} reps.\n\n"
                  f"{table}\n\n![batch sweep](sweep-batch.png)")
    run.finish()


# ============================================================== sweep-shape
def sweep_shape(args):
    run = Run("sweep-shape", args)
    record_machine(run)
    threads = sorted({1, max(thread_counts(args))})
    shapes = args.kinds.split(",") if args.kinds else SHAPE_SWEEP
    rows = []
    for i, shape in enumerate(shapes, 1):
        log(f"[{i}/{len(shapes)}] {shape}")
        circuit, _ = run.generate(shape, run.shape(shape))
        rows += bench_rows(run.bench(circuit, args.batch, threads), {"shape": shape, "generator": run.shape(shape)})
    write_csv(run.path("sweep-shape.csv"), rows, ["shape", "generator"] + BENCH_FIELDS)
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(8, 4.2))
    width = 0.8 / len(threads)
    for j, p in enumerate(threads):
        mine = [next((r["rate"] for r in rows if r["shape"] == s and r["threads"] == p), 0) for s in shapes]
        ax.bar([i + j * width for i in range(len(shapes))], mine, width, label=f"{p} thread(s)")
    ax.set_xticks([i + width * (len(threads) - 1) / 2 for i in range(len(shapes))], shapes, rotation=15)
    ax.set(ylabel="node-evaluations/s (fwd+bwd)", title=f"Shape sweep, batch {args.batch}")
    ax.grid(alpha=0.3, axis="y")
    ax.legend()
    fig.tight_layout()
    fig.savefig(run.path("sweep-shape.png"), dpi=110)
    table = markdown_table(rows, ["shape", "nodes", "levels", "threads", "strategy", "totalSeconds", "rate", "speedup"],
                           ["shape", "nodes", "levels", "threads", "strategy", "fwd+bwd s", "node-evals/s", "speedup"])
    gens = "\n".join(f"- {s}: `circuitgrad generate {run.shape(s)}`" for s in shapes)
    write_summary(run, "Shape sweep", f"Batch {args.batch}, median of {args.reps} reps.\n\n{gens}\n\n{table}\n\n"
                  "![shape sweep](sweep-shape.png)")
    run.finish()


# ============================================================== compare
def compare(args):
    run = Run("compare", args)
    cpu = record_machine(run)
    python = sys.executable
    all_threads = max(thread_counts(args))
    circuits = args.kinds.split(",") if args.kinds else COMPARE_CIRCUITS + MIX_CIRCUITS
    tools = args.tools.split(",") if args.tools else PEERS
    batches = [int(b) for b in args.batches.split(",")]
    rows, notes = [], []
    steps = len(circuits) * len(batches)
    step = 0
    for key in circuits:
        for batch in batches:
            step += 1
            log(f"[{step}/{steps}] {key}, batch {batch}")
            circuit, batch_path = run.generate(key, run.shape(key), batch=batch)
            nodes = count_nodes(circuit)
            out = os.path.join(run.scratch, f"{key}-b{batch}-out.npy")
            grads = os.path.join(run.scratch, f"{key}-b{batch}-pg.csv")
            for stale in (out, grads):
                if os.path.exists(stale):
                    os.remove(stale)
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
            for cores, single in (("1", True), (str(all_threads), False)):
                result = run.bench(circuit, batch, [1 if single else all_threads], single_core=single)
                r = result["results"][0]
                rows.append(dict(base, tool="circuitgrad", cores=cores, runSeconds=r["totalSeconds"], rate=r["rate"],
                                 compileSeconds=0.0, agrees="reference", version=git_describe()))
                for tool in tools:
                    skip = skip_reason(args, tool, nodes, batch)
                    if skip:
                        rows.append(dict(base, tool=tool, cores=cores, error=skip))
                        continue
                    command = [python, os.path.join(HERE, "peers.py"), "--tool", tool, "--circuit", circuit,
                               "--batch", batch_path, "--reps", str(args.reps), "--expect", out,
                               "--expect-params", grads]
                    env = dict(os.environ)
                    if single:
                        command = ["taskset", "-c", str(first_allowed_cpu()), *command, "--single-core"]
                        env.update(SINGLE_CORE_ENV)
                    try:
                        report = parse_json(check_output(command, env=env, timeout=args.peer_timeout))
                    except subprocess.TimeoutExpired:
                        report = {"error": f"timed out after {args.peer_timeout} s"}
                    except subprocess.CalledProcessError as error:
                        report = {"error": f"exit {error.returncode}"}
                    rows.append(dict(base, cores=cores, **{**report, "tool": tool}))
                    if report.get("agrees") is False:
                        notes.append(f"- **{tool} disagrees** on {key} batch {batch}: {report.get('mismatches')} of "
                                     f"{report.get('checked')} numbers, max relative error {report.get('maxRelError'):.3g}")
    for row in rows:
        if row["tool"] != "circuitgrad" and row.get("rate"):
            cg = next(r for r in rows if r["tool"] == "circuitgrad" and r["circuit"] == row["circuit"]
                      and r["batch"] == row["batch"] and r["cores"] == row["cores"])
            row["circuitgradRatio"] = cg["rate"] / row["rate"]
    fields = ["circuit", "nodes", "batch", "cores", "tool", "version", "compileSeconds", "runSeconds", "rate",
              "circuitgradRatio", "agrees", "maxRelError", "mismatches", "checked", "error"]
    write_csv(run.path("compare.csv"), rows, fields)
    plot_compare(run, rows, tools)
    # Markdown: one row per circuit x batch x cores, a column per tool with rate and CircuitGrad's ratio.
    lines = ["| circuit | nodes | batch | cores | CircuitGrad node-evals/s | " +
             " | ".join(f"{t}: rate (CG ratio)" for t in tools) + " |", "|" + "---|" * (5 + len(tools))]
    for key in circuits:
        for batch in batches:
            for cores in ("1", str(all_threads)):
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
    compile_rows = [r for r in rows if r["tool"] == "jax" and r.get("compileSeconds") is not None]
    compile_text = "\n".join(f"- {r['circuit']} batch {r['batch']} cores {r['cores']}: compile {r['compileSeconds']:.2f} s, "
                             f"run {r['runSeconds'] * 1e3:.3f} ms" for r in compile_rows)
    checks = [r for r in rows if "agrees" in r and r["tool"] != "circuitgrad"]
    agree = sum(1 for r in checks if r["agrees"] is True)
    versions = sorted({f"{r['tool']} {r['version']}" for r in rows if r.get("version") and r["tool"] != "circuitgrad"})
    body = f"""CPU: {cpu}; 1 core = `taskset -c {first_allowed_cpu()}` with OMP/MKL threads 1,
`XLA_FLAGS=--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1`, torch `set_num_threads(1)`,
`circuitgrad bench --threads 1`; all cores = {all_threads} threads, no mask. Rate = function nodes x samples /
(forward+backward seconds for the whole batch), median of {args.reps} reps, all tools measured in this run.
The ratio in brackets is CircuitGrad's rate / the tool's rate (above 1: CircuitGrad is faster).
CircuitGrad's timing comes from `circuitgrad bench` (its own random batch, same circuit); its results
for the check come from `circuitgrad eval` on the generated batch.

Peer versions: {', '.join(versions) or 'none ran'}.

{chr(10).join(lines)}

Gradient check (every value, input gradient and parameter gradient vs `circuitgrad eval`, tolerance
1e-9 relative with a floor of 1e-12 x the largest entry of the sample's row): {agree} of {len(checks)} peer runs agree.
{chr(10).join(notes)}

JAX compile time (reported apart from run time):
{compile_text or '- (JAX did not run)'}

micrograd runs only circuits up to {args.micrograd_max_nodes} nodes and batches up to {args.micrograd_max_batch};
JAX only circuits up to {args.jax_max_nodes} nodes. {'; '.join(args.note or [])}

![compare](compare.png)"""
    write_summary(run, "CircuitGrad vs JAX, NumPy, PyTorch, micrograd", body)
    run.finish()


def numpy_reference(circuit_path, batch_path, out, grads):
    """Writes the NumPy implementation's results in `eval`'s formats (results NPY, param,grad CSV)."""
    import numpy as np
    sys.path.insert(0, HERE)
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
    sys.path.insert(0, HERE)
    from circuit_file import read_circuit
    return read_circuit(path).node_count


def plot_compare(run, rows, tools):
    plt = pyplot()
    groups = sorted({(r["circuit"], r["batch"]) for r in rows}, key=lambda g: (g[0], g[1]))
    cores = sorted({r["cores"] for r in rows}, key=int)
    fig, axes = plt.subplots(1, len(cores), figsize=(6 * len(cores), 4.5), squeeze=False)
    names = ["circuitgrad"] + tools
    width = 0.8 / len(names)
    for ax, c in zip(axes[0], cores):
        for j, tool in enumerate(names):
            values = [next((r.get("rate") or 0 for r in rows if (r["circuit"], r["batch"]) == g and r["cores"] == c
                            and r["tool"] == tool), 0) for g in groups]
            ax.bar([i + j * width for i in range(len(groups))], [v or float("nan") for v in values], width, label=tool)
        ax.set_xticks([i + 0.4 - width / 2 for i in range(len(groups))], [f"{g[0][4:]}\nB={g[1]}" for g in groups], fontsize=8)
        ax.set(yscale="log", ylabel="node-evaluations/s (fwd+bwd)", title=f"{c} core(s)")
        ax.grid(alpha=0.3, axis="y")
    axes[0][0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(run.path("compare.png"), dpi=110)


# ============================================================== scale-10m
def scale_10m(args):
    run = Run("scale-10m", args)
    record_machine(run)
    nodes = args.nodes // 1000 if args.quick else args.nodes
    options = f"layered --nodes {nodes} --width {args.width}"
    circuit = os.path.join(run.scratch, "big.circuit")
    batch_path = os.path.join(run.scratch, f"big-b{args.batch}.npy")
    out = os.path.join(run.scratch, "big-out.npy")
    for stale in (circuit, batch_path, out):
        if os.path.exists(stale):
            os.remove(stale)
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


def timed_step(name, command, capture=False):
    log("$ /usr/bin/time -v " + " ".join(shlex.quote(c) for c in command))
    start = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-v", *command], stdout=subprocess.PIPE if capture else sys.stderr,
                          stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    step = {"step": name, "wallSeconds": wall, "maxRssBytes": int(match.group(1)) * 1024 if match else None}
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-25:]
        step["error"] = f"exit {done.returncode}: " + " / ".join(l for l in tail if "\t" not in l)[-300:]
    if capture:
        step["stdout"] = done.stdout
    return step


# ============================================================== engine-targets
def engine_targets(args):
    """Issue 3's acceptance figures in one run: 1 and 2 threads side by side per circuit."""
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
    write_summary(run, "Engine acceptance figures (issue 3)",
                  f"`circuitgrad bench --threads 1,2 --reps {args.reps}` per circuit, medians, one run.\n\n{table}\n\n"
                  "Memory: `circuitgrad info --json` (plan and workspace) and `/usr/bin/time -v circuitgrad eval` "
                  "of the 1M-node circuit at batch 64 with NPY output (peak resident set of the whole process: "
                  f"reader, circuit, plan, workers, batch and results).\n\n{memory_table}")
    run.finish()


# ============================================================== probe-level-exchange
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


# ============================================================== command line
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
    p.add_argument("--kinds", help=f"comma list (default {','.join(COMPARE_CIRCUITS + MIX_CIRCUITS)})")
    p.add_argument("--tools", help=f"comma list (default {','.join(PEERS)})")
    p.add_argument("--batches", default="64,1024")
    p.add_argument("--jax-max-nodes", type=int, default=12000)
    p.add_argument("--micrograd-max-nodes", type=int, default=12000)
    p.add_argument("--micrograd-max-batch", type=int, default=64)
    p.add_argument("--peer-timeout", type=int, default=900, help="seconds per peer process")
    common(sub.add_parser("engine-targets", help="issue 3's acceptance figures, 1 and 2 threads per circuit"))
    p = common(sub.add_parser("probe-level-exchange", help="plain-C ceiling of level-split parallelism at batch 1"))
    p.add_argument("--width", type=int, default=10000)
    p.add_argument("--levels", type=int, default=30)
    p = common(sub.add_parser("scale-10m", help="10M-node circuit at batch 8: peak memory, bytes/node"), batch=8)
    p.add_argument("--nodes", type=int, default=10_000_000)
    p.add_argument("--width", type=int, default=1000)
    args = parser.parse_args()
    if shutil.which(args.circuitgrad) is None and not os.path.exists(args.circuitgrad):
        sys.exit(f"error: circuitgrad binary '{args.circuitgrad}' not found (set CIRCUITGRAD or --circuitgrad)")
    {"strong": strong, "weak": weak, "sweep-batch": sweep_batch, "sweep-shape": sweep_shape,
     "compare": compare, "scale-10m": scale_10m, "engine-targets": engine_targets,
     "probe-level-exchange": probe_level_exchange}[args.command](args)


if __name__ == "__main__":
    main()
