"""Determinism soak: the same circuit and batch evaluated under many engine settings must
give byte-identical outputs. Runs `circuitgrad eval` on generated circuits and batches of
several sizes with random threads, lane blocks, pin modes and strategies (seeded), hashes
both outputs (per-sample results and parameter gradients) and counts the distinct hashes
per output: the run passes when every output has exactly one."""
import argparse, hashlib, os, random, subprocess, sys, tempfile, time
from collections import defaultdict

CIRCUITS = [  # (name, generate arguments)
    ("layered", ["layered", "--nodes", "3000", "--params", "16", "--seed", "11"]),
    ("mlp", ["mlp", "--layers", "6,24,24,1", "--seed", "12"]),
    ("tree", ["tree", "--inputs", "512", "--ops", "add:2,mul:1,max:1", "--seed", "13"]),
    ("grid", ["grid", "--rows", "24", "--columns", "24", "--seed", "14"]),
    ("logistic", ["logistic", "--features", "40", "--seed", "15"]),
]
BATCHES = [1, 7, 64, 1000]
THREADS = [1, 2, 3, 4]
LANES = [None, "1", "8", "16", "32", "64", "256"]
PINS = ["core", "pu", "none"]
STRATEGIES = ["auto", "levels", "blocks"]


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--circuitgrad", required=True)
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="circuitgrad-soak-")
    cases = []
    for name, gen in CIRCUITS:
        for b in BATCHES:
            c, batch = f"{work}/{name}.circuit", f"{work}/{name}-{b}.npy"
            subprocess.run([args.circuitgrad, "generate", *gen, "-o", c, "--batch", str(b), "--batch-out", batch,
                            "--force", "--quiet"], check=True)
            cases.append((name, b, c, batch))
    hashes = defaultdict(set)
    settings_seen = set()
    failures = 0
    start = time.time()
    for k in range(args.runs):
        name, b, c, batch = cases[k % len(cases)]
        t, lanes, pin, strategy = rng.choice(THREADS), rng.choice(LANES), rng.choice(PINS), rng.choice(STRATEGIES)
        settings_seen.add((t, lanes, pin, strategy))
        out, pg = f"{work}/out.npy", f"{work}/pg.csv"
        cmd = [args.circuitgrad, "eval", c, "--inputs", batch, "--output", out, "--param-grads", pg,
               "--threads", str(t), "--pin", pin, "--strategy", strategy]
        if lanes:
            cmd += ["--lane-block", lanes]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            failures += 1
            print(f"soak: run {k} failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr.strip()}", file=sys.stderr)
            continue
        for kind, path in (("results", out), ("param-grads", pg)):
            with open(path, "rb") as f:
                hashes[(name, b, kind)].add(hashlib.sha256(f.read()).hexdigest())
        if (k + 1) % 100 == 0:
            print(f"soak: {k + 1}/{args.runs} runs, {time.time() - start:.0f} s", file=sys.stderr)
    distinct = {key: len(v) for key, v in hashes.items()}
    bad = {key: n for key, n in distinct.items() if n != 1}
    print(f"soak: {args.runs} runs ({failures} failed) over {len(cases)} circuit/batch pairs and "
          f"{len(settings_seen)} distinct settings (threads {THREADS}, lane blocks {LANES}, pins {PINS}, "
          f"strategies {STRATEGIES}, batches {BATCHES}) in {time.time() - start:.0f} s")
    print(f"soak: {len(distinct)} outputs, distinct hashes per output: "
          f"{sorted(set(distinct.values()))}{' -- NONDETERMINISTIC: ' + str(bad) if bad else ' (one each)'}")
    return 1 if bad or failures else 0


if __name__ == "__main__":
    sys.exit(main())
