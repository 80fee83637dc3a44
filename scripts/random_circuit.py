#!/usr/bin/env python3
"""Writes a random valid `.circuit` file (format version 1) and a CSV batch for it.

    random_circuit.py --seed S --nodes N --circuit OUT.circuit --batch OUT.csv [--samples M]

The circuit covers every op, fan-out (a wire read by several nodes, by one node twice, and by
a node plus the `output` line), explicit splits (including splits of split outputs), params,
consts, dead nodes, op names used as wire names, comments, tabs and CR LF line ends, with the
statements shuffled. The generator evaluates the values of every wire on the batch as it goes,
so it can keep everything finite and well scaled: log, sqrt, recip, pow and powc only read wires
that are ≥ 0.3 on every sample (or a fresh `offset(square(·), 0.5)` / `exp(·)` of a bounded
wire), exp only reads wires bounded by 3, and general arguments are bounded by 4.
The same seed always gives the same files.
"""

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from ops import ALL_OPS, value  # noqa: E402  (the op table shared by the scripts)



def fmt(x):
    return repr(float(x))


class Generator:
    def __init__(self, seed, nodes, samples):
        self.r = random.Random(seed)
        self.target = nodes
        self.samples = samples
        self.statements = []        # lines (without the header)
        self.values = {}            # wire name -> list of values per sample
        self.names = set()
        self.node_count = 0
        self.counter = 0
        self.split_outputs = []

    # -- names and bookkeeping
    def fresh(self, stem):
        self.counter += 1
        # Sometimes use an op name or a dotted name as a wire name (both are allowed).
        roll = self.r.random()
        if roll < 0.04:
            name = self.r.choice(ALL_OPS)
        elif roll < 0.1:
            name = f"{stem}.{self.counter}"
        else:
            name = f"{stem}{self.counter}"
        if name in self.names:
            name = f"{stem}_{self.counter}"
        self.names.add(name)
        return name

    def add_node(self, op, args, c=None):
        name = self.fresh("n")
        vals = [self.values[a] for a in args]
        out = []
        for s in range(self.samples):
            out.append(value(op, [v[s] for v in vals], c))
        self.values[name] = out
        literal = f" {fmt(c)}" if c is not None else ""
        sep = "\t" if self.r.random() < 0.1 else " "
        self.statements.append(f"{name} ={sep}{op} {' '.join(args)}{literal}")
        self.node_count += 1
        return name

    def bound(self, name):
        return max(abs(v) for v in self.values[name])

    def wires(self, limit):
        return [w for w in self.values if self.bound(w) <= limit]

    def pick(self, limit=4.0):
        return self.r.choice(self.wires(limit))

    def positive(self):
        """A wire ≥ 0.3 and ≤ 20 on every sample, made fresh if none exists (or sometimes anyway)."""
        ok = [w for w in self.values if min(self.values[w]) >= 0.3 and self.bound(w) <= 20]
        if ok and self.r.random() < 0.6:
            return self.r.choice(ok)
        base = self.pick(3.0)
        if self.r.random() < 0.5:
            return self.add_node("offset", [self.add_node("square", [base])], 0.5)
        return self.add_node("exp", [base])

    # -- the circuit
    def generate(self):
        r = self.r
        inputs = [self.fresh("x") for _ in range(r.randint(2, 5))]
        self.inputs = inputs
        self.batch = [[r.uniform(-2, 2) for _ in inputs] for _ in range(self.samples)]
        for i, name in enumerate(inputs):
            self.values[name] = [row[i] for row in self.batch]
        # Inputs declared in one or several statements.
        cut = r.randint(1, len(inputs))
        self.statements.append("input " + " ".join(inputs[:cut]))
        if cut < len(inputs):
            self.statements.append("input\t" + " ".join(inputs[cut:]))
        self.params = []
        for _ in range(r.randint(1, 3)):
            name = self.fresh("w")
            v = round(r.uniform(-1.5, 1.5), 6)
            self.params.append(name)
            self.values[name] = [v] * self.samples
            self.statements.append(f"param {name} {fmt(v)}")

        plan = ALL_OPS[:]
        r.shuffle(plan)
        splits = 0
        while self.node_count < self.target or plan:
            op = plan.pop() if plan else r.choice(ALL_OPS)
            self.make(op)
            if r.random() < 0.12:
                self.make_split(splits)
                splits += 1
        if splits == 0:
            self.make_split(0)
            splits = 1
        # A split of a split output.
        self.make_split(splits, source=self.r.choice(self.split_outputs))

        # Output: the sum of most wires nobody reads yet; a few are left dead, and sometimes
        # the output wire is also read by a (dead) node.
        used = set()
        for st in self.statements:
            lhs, _, rhs = st.partition("=")
            if rhs:
                used.update(rhs.split()[1:])
        sinks = [w for w in self.values if w not in used and w not in self.inputs
                 and w not in self.params and self.bound(w) <= 50]
        r.shuffle(sinks)
        dead = sinks[: max(1, len(sinks) // 6)] if len(sinks) > 2 else []
        live = [w for w in sinks if w not in dead] or [self.pick()]
        out = self.add_node("add", live + [self.pick()])
        if r.random() < 0.5:
            self.add_node("scale", [out], 2.0)   # dead: reads the output wire
        # A dead node reading a live wire.
        self.add_node("log", [self.positive()])
        self.statements.append(f"output {out}")

    def make_split(self, k, source=None):
        src = source or self.pick()
        outs = [self.fresh("sp") for _ in range(self.r.randint(2, 3))]
        for o in outs:
            self.values[o] = self.values[src]
        self.split_outputs = self.split_outputs + outs
        self.statements.append(f"{' '.join(outs)} = split {src}")

    def make(self, op):
        r = self.r
        if op in ("add", "mul", "max", "min"):
            k = r.randint(2, 4)
            limit = 2.0 if op == "mul" else 4.0
            args = [self.pick(limit) for _ in range(k)]
            if op in ("max", "min", "mul") and r.random() < 0.3:
                args[1] = args[0]          # the same wire twice: a tie / a square
            return self.add_node(op, args)
        if op == "sub":
            return self.add_node(op, [self.pick(), self.pick()])
        if op == "div":
            return self.add_node(op, [self.pick(), self.positive()])
        if op in ("recip", "sqrt", "log"):
            return self.add_node(op, [self.positive()])
        if op == "pow":
            return self.add_node(op, [self.positive(), self.pick(2.0)])
        if op == "powc":
            return self.add_node(op, [self.positive()], r.choice([0.5, 1.5, -0.5, 2.0, 3.0]))
        if op == "exp":
            return self.add_node(op, [self.pick(3.0)])
        if op == "scale":
            return self.add_node(op, [self.pick()], round(r.uniform(-2, 2), 3))
        if op == "offset":
            return self.add_node(op, [self.pick()], round(r.uniform(-2, 2), 3))
        if op == "const":
            return self.add_node(op, [], round(r.uniform(-2, 2), 4))
        return self.add_node(op, [self.pick()])

    def write(self, circuit_path, batch_path):
        body = self.statements[:]
        self.r.shuffle(body)
        crlf = self.r.random() < 0.3
        end = "\r\n" if crlf else "\n"
        lines = ["# random circuit", "circuit 1  # format version"]
        for i, st in enumerate(body):
            if self.r.random() < 0.05:
                lines.append("")
            lines.append(st + ("  # comment" if self.r.random() < 0.05 else ""))
        with open(circuit_path, "w", encoding="utf-8", newline="") as f:
            f.write(end.join(lines) + end)
        order = list(range(len(self.inputs)))
        self.r.shuffle(order)
        with open(batch_path, "w", encoding="utf-8", newline="") as f:
            f.write(",".join(self.inputs[i] for i in order) + "\n")
            for row in self.batch:
                f.write(",".join(repr(row[i]) for i in order) + "\n")


def main():
    ap = argparse.ArgumentParser(description="Random valid .circuit file and CSV batch.")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--nodes", type=int, default=60, help="at least this many function nodes")
    ap.add_argument("--samples", type=int, default=8)
    ap.add_argument("--circuit", required=True, help="where to write the .circuit file")
    ap.add_argument("--batch", required=True, help="where to write the CSV batch")
    args = ap.parse_args()
    g = Generator(args.seed, args.nodes, args.samples)
    g.generate()
    g.write(args.circuit, args.batch)


if __name__ == "__main__":
    main()
