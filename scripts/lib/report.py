"""What a run writes besides plots: CSV tables, Markdown tables and summary.md, and the rows of
`circuitgrad bench --json` flattened for them."""
from __future__ import annotations

import csv
import os

from run import ROOT, log


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


def write_summary(run, title, body):
    text = [f"# {title}", "", f"Run folder: `{os.path.relpath(run.dir, ROOT)}`; machine: see `machine.md`.", "", body, ""]
    with open(run.path("summary.md"), "w") as handle:
        handle.write("\n".join(text))
    log(f"wrote {run.path('summary.md')}")
    print("\n".join(text))


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


# How the bench columns read in Markdown tables (others read as their field name).
BENCH_HEADERS = {"totalSeconds": "fwd+bwd s", "rate": "node-evals/s", "bitwiseEqualToOneThread": "bitwise = 1 thread",
                 "laneBlock": "L", "ratePerThread": "per thread", "weakEfficiency": "t(1)/t(P)"}


def bench_table(rows, fields):
    """A Markdown table of bench rows, headed by BENCH_HEADERS."""
    return markdown_table(rows, fields, [BENCH_HEADERS.get(f, f) for f in fields])


BENCH_FIELDS = ["nodes", "levels", "batch", "threads", "strategy", "laneBlock", "forwardSeconds",
                "backwardSeconds", "totalSeconds", "rate", "speedup", "efficiency", "bitwiseEqualToOneThread"]
