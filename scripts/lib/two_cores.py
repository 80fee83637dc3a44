"""`scripts/probe-two-cores`: what two cores of this machine give CircuitGrad's work with no
coordination at all, beside what the engine's two threads give, on the same circuits and batches.

For one circuit, one batch B and a round, all timed with `circuitgrad bench --threads 1` or `2` on
the same generated batch:

- `one`: one thread, the whole batch, alone on the first allowed core (as `compare` times one core);
- `two`: the engine, two threads, the whole batch;
- `halfAlone`: one thread, half of the batch (the first B/2 samples), alone on the first core, with
  the lane block the two-thread engine chose (each of its workers does that much);
- `halvesTogether`: two processes at once, one thread each, one pinned to each core, each on its
  half of the batch with that lane block; the slower of the two.

Then `one / two` = 2 × split × interference × coordination, with split = one / (2 · halfAlone) (what
halving the work per core costs on one core), interference = halfAlone / halvesTogether (how much the
other core's work slows a core: shared memory bandwidth, shared caches, a slower vCPU) and
coordination = halvesTogether / two (what the engine's own pool, barrier and dispenser cost or save).
A machine whose two cores are independent has interference 1; the engine cannot beat
2 × split × interference by more than its measurement noise.
"""
from __future__ import annotations

import os

from machine import record_machine
from report import fmt, markdown_table, write_csv, write_summary
from run import Run, allowed_cpus, check_output, log, parse_json, run_at_once
from shapes import MIX_CIRCUITS

FIELDS = ["circuit", "batch", "round", "reps", "laneBlock", "one", "two", "halfAlone", "halvesTogether",
          "halfOther", "speedup", "split", "interference", "coordination", "ceiling"]


def probe_two_cores(args):
    run = Run("probe-two-cores", args)
    cpu = record_machine(run)
    cpus = allowed_cpus()
    if len(cpus) < 2:
        raise SystemExit("error: probe-two-cores needs two allowed cores")
    first, second = cpus[0], cpus[1]
    kinds = args.kinds.split(",") if args.kinds else MIX_CIRCUITS + ["cmp-mlp"]
    batches = [int(b) for b in args.batches.split(",")]
    rows = []
    cases = [(k, b) for k in kinds for b in batches]
    for step, (key, batch) in enumerate(cases, 1):
        log(f"[{step}/{len(cases)}] {key}, batch {batch}")
        circuit, batch_path = run.generate(key, run.shape(key), batch=batch)
        halves = split_batch(run, key, batch_path)
        reps = case_reps(run, circuit, batch_path, first)
        for r in range(1, args.rounds + 1):
            rows.append(measure_round(run, key, batch, r, reps, circuit, batch_path, halves, first, second))
    write_csv(run.path("probe-two-cores.csv"), rows, FIELDS)
    best = best_rows(rows)
    headers = ["circuit", "batch", "best round", "reps", "lane block (2 threads)", "1 thread (ms)", "2 threads (ms)",
               "half, alone (ms)", "halves together, slower (ms)", "halves together, other (ms)",
               "engine speedup", "split", "interference", "coordination", "ceiling 2·split·interference"]
    body = f"""CPU: {cpu}; cores {first} and {second}. Every time is the median of the case's reps (at least
{args.reps}, more where {args.reps} would time less than {args.min_seconds} s of one thread's work) of
`circuitgrad bench` (forward + backward for the whole batch or half), on the batch `compare` generates.
Rounds alternate all four measurements; the table shows, per case, the round whose engine two-thread
time was fastest, and `probe-two-cores.csv` has every round. Times in ms.

- **1 thread**: `taskset -c {first} circuitgrad bench --threads 1`, the whole batch.
- **2 threads**: `circuitgrad bench --threads 2`, the whole batch (the engine's lane block is noted).
- **half, alone**: the first half of the batch, one thread, that lane block, on core {first} alone.
- **halves together**: both halves at once in two processes, one on core {first}, one on core {second}; the
  slower of the two (and the other).

engine speedup = 1 thread / 2 threads = 2 × split × interference × coordination, where
split = 1 thread / (2 × half alone), interference = half alone / halves together, coordination =
halves together / 2 threads. **ceiling** = 2 × split × interference: what two cores give this work with
no coordination at all. {'; '.join(args.note or [])}

{markdown_table(best, FIELDS, headers)}

{all_rounds(rows)}
"""
    write_summary(run, "Two cores: the engine against two independent processes", body)
    run.finish()


def split_batch(run, key, batch_path):
    """The batch's first and second halves as .npy files (the samples a two-thread engine's workers take)."""
    import numpy as np
    samples = np.load(batch_path)
    half = len(samples) // 2
    paths = []
    for name, part in (("a", samples[:half]), ("b", samples[half:])):
        path = run.scratch_path(f"{key}-{len(samples)}-half-{name}.npy")
        np.save(path, part)
        paths.append(path)
    return paths


def seconds(result):
    return result["results"][0]["totalSeconds"]


def on_cpu(run, circuit, cpu, inputs, threads, lanes=None, reps=None):
    """The bench command for `threads` on `inputs`, pinned to `cpu` with taskset when given (one
    thread runs on the calling thread, unpinned, so taskset alone places it)."""
    command = run.bench_command(circuit, None, [threads], inputs=inputs, lane_block=lanes, reps=reps)
    return ["taskset", "-c", str(cpu)] + command if cpu is not None else command


def case_reps(run, circuit, batch_path, first):
    """Repetitions for every measurement of a case: `--reps`, or more where one thread on the whole
    batch takes less than `--min-seconds` over that many (sub-millisecond evaluations are noisy)."""
    one = seconds(parse_json(check_output(on_cpu(run, circuit, first, batch_path, 1, reps=3))))
    return run.short_case_reps(one)


def measure_round(run, key, batch, r, reps, circuit, batch_path, halves, first, second):
    def on(cpu, inputs, threads, lanes=None):
        return on_cpu(run, circuit, cpu, inputs, threads, lanes, reps)
    one = seconds(parse_json(check_output(on(first, batch_path, 1))))
    two_result = parse_json(check_output(on(None, batch_path, 2)))["results"][0]
    two, lanes = two_result["totalSeconds"], two_result["laneBlock"]
    half_alone = seconds(parse_json(check_output(on(first, halves[0], 1, lanes))))
    together = run_together([on(first, halves[0], 1, lanes), on(second, halves[1], 1, lanes)])
    slower, other = max(together), min(together)
    split, interference, coordination = one / (2 * half_alone), half_alone / slower, slower / two
    row = {"circuit": key, "batch": batch, "round": r, "reps": reps, "laneBlock": lanes, "one": one * 1e3, "two": two * 1e3,
           "halfAlone": half_alone * 1e3, "halvesTogether": slower * 1e3, "halfOther": other * 1e3,
           "speedup": one / two, "split": split, "interference": interference, "coordination": coordination,
           "ceiling": 2 * split * interference}
    log(f"{key} batch {batch} round {r}: speedup {fmt(row['speedup'])}, ceiling {fmt(row['ceiling'])} "
        f"(split {fmt(split)}, interference {fmt(interference)}, coordination {fmt(coordination)})")
    return row


def run_together(commands):
    """Starts every command at once; returns each one's bench seconds."""
    return [seconds(parse_json(o)) for o in run_at_once(commands)]


def all_rounds(rows):
    """One paragraph on every round: medians and ranges of the engine's speedup, the ceiling and
    coordination, and how many rounds reached 1.8."""
    import statistics

    def spread(field):
        values = [row[field] for row in rows]
        return (f"median {fmt(statistics.median(values))} ({fmt(min(values))}–{fmt(max(values))}), "
                f"≥ 1.8 in {sum(v >= 1.8 for v in values)} of {len(values)}")
    coordination = statistics.median(row["coordination"] for row in rows)
    interference = [row["interference"] for row in rows]
    return (f"**Every round** ({len(rows)}): engine speedup {spread('speedup')}; ceiling {spread('ceiling')}; "
            f"coordination median {fmt(coordination)}; interference median {fmt(statistics.median(interference))}, "
            f"worst {fmt(min(interference))}.")


def best_rows(rows):
    """Per (circuit, batch), the round whose two-thread engine time was the fastest."""
    best = {}
    for row in rows:
        key = (row["circuit"], row["batch"])
        if key not in best or row["two"] < best[key]["two"]:
            best[key] = row
    return list(best.values())
