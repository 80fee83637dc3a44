"""One measurement run and the processes it starts: the fresh output folder, the scratch folder,
`circuitgrad generate` and `bench`, commands logged to stderr, and `/usr/bin/time -v` steps."""
from __future__ import annotations

import datetime
import json
import math
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

from shapes import SHAPES

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


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

    def scratch_path(self, name):
        """A file in the scratch folder, removed first if an earlier step of ours left it there."""
        path = os.path.join(self.scratch, name)
        if os.path.exists(path):
            os.remove(path)
        return path

    def finish(self):
        if not self.args.keep and not self.args.work:
            shutil.rmtree(self.scratch, ignore_errors=True)
        log(f"{self.name}: done; results in {self.dir}")

    # ------------------------------------------------------------ circuitgrad calls
    def generate(self, key, options, batch=None, seed=None):
        """`circuitgrad generate` into the scratch folder; returns (circuit path, batch path or None)."""
        seed = self.args.seed if seed is None else seed
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{key}-s{seed}")
        circuit = self.scratch_path(safe + ".circuit")
        batch_path = self.scratch_path(f"{safe}-b{batch}.npy") if batch else None
        command = [self.cg, "generate", *shlex.split(options), "--seed", str(seed), "-o", circuit]
        if batch:
            command += ["--batch", str(batch), "--batch-out", batch_path]
        check_call(command)
        return circuit, batch_path

    def bench(self, circuit, batch, threads, single_core=False, inputs=None):
        """`circuitgrad bench --json`, on `inputs` (a batch file) when given, else on `batch` random
        samples; returns the parsed object. Measured again with more reps (``short_case_reps``) when
        `--reps` of the fastest thread count took less than `--min-seconds`."""
        def measure(reps=None):
            command = self.bench_command(circuit, batch, threads, inputs=inputs, reps=reps)
            return parse_json(check_output(on_one_core(command) if single_core else command))
        result = measure()
        fastest = min(r["totalSeconds"] for r in result["results"])
        reps = self.short_case_reps(fastest)
        return measure(reps) if reps > self.args.reps else result

    def short_case_reps(self, seconds):
        """Repetitions that time at least `--min-seconds` of a measurement taking `seconds` (at
        least `--reps`, at most 400): sub-millisecond evaluations are noisy over a few reps."""
        wanted = math.ceil(getattr(self.args, "min_seconds", 0) / max(seconds, 1e-6))
        return max(self.args.reps, min(400, wanted))

    def bench_command(self, circuit, batch, threads, inputs=None, lane_block=None, reps=None):
        """The `circuitgrad bench --json` command line of ``bench`` (`--lane-block` when given,
        `reps` repetitions instead of `--reps` when given)."""
        data = ["--inputs", inputs] if inputs else ["--batch", str(batch), "--seed", str(self.args.seed)]
        command = [self.cg, "bench", circuit, *data, "--threads", ",".join(map(str, threads)),
                   "--reps", str(reps or self.args.reps), "--json"]
        return command + (["--lane-block", str(lane_block)] if lane_block else [])


def check_call(command, **kwargs):
    log("$ " + " ".join(shlex.quote(c) for c in command))
    subprocess.run(command, check=True, stdout=sys.stderr, **kwargs)


def check_output(command, env=None, timeout=None):
    log("$ " + " ".join(shlex.quote(c) for c in command))
    return subprocess.run(command, check=True, stdout=subprocess.PIPE, env=env, timeout=timeout, text=True).stdout


def run_at_once(commands):
    """Starts every command at once (stderr passed through); returns each one's standard output
    once all have ended."""
    log("$ together: " + "  &  ".join(" ".join(c) for c in commands))
    processes = [subprocess.Popen(c, stdout=subprocess.PIPE, text=True) for c in commands]
    outputs = [p.communicate()[0] for p in processes]
    for p, c in zip(processes, commands):
        if p.returncode != 0:
            raise subprocess.CalledProcessError(p.returncode, c)
    return outputs


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


def on_one_core(command):
    """`command` run under `taskset` on the first allowed core."""
    return ["taskset", "-c", str(first_allowed_cpu())] + command


def thread_counts(args):
    if args.threads:
        return [int(t) for t in args.threads.split(",")]
    return list(range(1, len(allowed_cpus()) + 1))


def timed_step(name, command, capture=False):
    """Runs `command` under `/usr/bin/time -v`: wall seconds, peak resident set, error text if it failed."""
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
