#!/usr/bin/env python3
"""An independent evaluator for `.circuit` files (format version 1), written from the format
description (docs/format.md) with the Python standard library only (`math`, no numpy).

It exists to cross-check `circuitgrad eval`: its own parser, its own fan-out handling, its own
node order (a depth-first topological sort rather than levels), forward and reverse per sample.

    independent_eval.py CIRCUIT [--inputs BATCH.csv] --output OUT.csv [--param-grads PG.csv]

Results: `value,d_NAME...` per sample (inputs in declaration order); parameter gradients
`param,grad`, summed over the batch with math.fsum (correctly rounded, so the order is this
tool's own). Numbers are written with repr(), which reads back to the same binary64; non-finite
numbers as nan, inf, -inf.

Gradient rules (from the spec): the backward pass is seeded with 1 on the output wire; a node
sends upstream * partial to each argument; a wire read several times (fan-out, implicit or
`split`) gets the sum of the gradients of its uses, in the spec's use order: node arguments
(nodes in file order, then argument position), then written `split` sources (in file order),
then the `output` line. Dead nodes (no path to the output) are not run backward.
"""

import math
import re
import sys

NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
NUMBER_RE = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
RESERVED = {"circuit", "input", "param", "output", "split", "inf", "nan"}

# op -> (arity: int or "2+", takes a number literal)
OPS = {
    "add": ("2+", False), "sub": (2, False), "mul": ("2+", False), "div": (2, False),
    "neg": (1, False), "recip": (1, False), "square": (1, False), "sqrt": (1, False),
    "exp": (1, False), "log": (1, False), "sin": (1, False), "cos": (1, False),
    "tanh": (1, False), "sigmoid": (1, False), "relu": (1, False), "abs": (1, False),
    "max": ("2+", False), "min": ("2+", False), "pow": (2, False),
    "scale": (1, True), "offset": (1, True), "powc": (1, True), "const": (0, True),
}


class CircuitFileError(Exception):
    pass


# ---------------------------------------------------------------- IEEE-754 math without exceptions
# Python's math module raises where IEEE arithmetic returns inf or NaN; these wrappers return them.

def f_div(a, b):
    try:
        return a / b
    except ZeroDivisionError:
        if math.isnan(a) or a == 0:
            return math.nan
        negative = (math.copysign(1.0, a) < 0) != (math.copysign(1.0, b) < 0)
        return -math.inf if negative else math.inf


def f_exp(a):
    try:
        return math.exp(a)
    except OverflowError:
        return math.inf


def f_log(a):
    if math.isnan(a) or a < 0:
        return math.nan
    if a == 0:
        return -math.inf
    return math.log(a)


def f_sqrt(a):
    if math.isnan(a) or a < 0:
        return math.nan
    return math.sqrt(a)


def f_pow(a, b):
    try:
        return math.pow(a, b)
    except OverflowError:
        # Overflow: the sign is negative only for a negative base and an odd integer exponent.
        odd = b == math.floor(b) and math.fmod(b, 2.0) != 0
        return -math.inf if (a < 0 and odd) else math.inf
    except ValueError:
        if a == 0 and b < 0:
            odd = b == math.floor(b) and math.fmod(b, 2.0) != 0
            return math.copysign(math.inf, a) if odd else math.inf
        return math.nan


def f_mul(a, b):
    return a * b  # float multiplication never raises


def f_sin(a):
    return math.nan if math.isinf(a) else math.sin(a)


def f_cos(a):
    return math.nan if math.isinf(a) else math.cos(a)


# ---------------------------------------------------------------- op values and partials

def extreme(args, largest):
    """max/min; NaN if any argument is NaN."""
    if any(math.isnan(a) for a in args):
        return math.nan
    return max(args) if largest else min(args)


def op_value(op, a, c):
    if op == "add":
        s = a[0]
        for x in a[1:]:
            s = s + x
        return s
    if op == "sub":
        return a[0] - a[1]
    if op == "mul":
        p = a[0]
        for x in a[1:]:
            p = f_mul(p, x)
        return p
    if op == "div":
        return f_div(a[0], a[1])
    if op == "neg":
        return -a[0]
    if op == "recip":
        return f_div(1.0, a[0])
    if op == "square":
        return a[0] * a[0]
    if op == "sqrt":
        return f_sqrt(a[0])
    if op == "exp":
        return f_exp(a[0])
    if op == "log":
        return f_log(a[0])
    if op == "sin":
        return f_sin(a[0])
    if op == "cos":
        return f_cos(a[0])
    if op == "tanh":
        return math.tanh(a[0])
    if op == "sigmoid":
        return f_div(1.0, 1.0 + f_exp(-a[0]))
    if op == "relu":
        x = a[0]
        return x if (x > 0 or math.isnan(x)) else 0.0
    if op == "abs":
        return abs(a[0])
    if op == "max":
        return extreme(a, True)
    if op == "min":
        return extreme(a, False)
    if op == "pow":
        return f_pow(a[0], a[1])
    if op == "scale":
        return c * a[0]
    if op == "offset":
        return a[0] + c
    if op == "powc":
        return f_pow(a[0], c)
    if op == "const":
        return c
    raise ValueError(op)


def op_partials(op, a, v, c):
    """Local partials dv/da_i at the forward values (the spec's table)."""
    k = len(a)
    if op == "add":
        return [1.0] * k
    if op == "sub":
        return [1.0, -1.0]
    if op == "mul":
        out = []
        for i in range(k):
            p = 1.0
            for j in range(k):
                if j != i:
                    p = f_mul(p, a[j])
            out.append(p)
        return out
    if op == "div":
        return [f_div(1.0, a[1]), f_div(-a[0], a[1] * a[1])]
    if op == "neg":
        return [-1.0]
    if op == "recip":
        return [f_div(-1.0, a[0] * a[0])]
    if op == "square":
        return [2.0 * a[0]]
    if op == "sqrt":
        return [f_div(1.0, 2.0 * f_sqrt(a[0]))]
    if op == "exp":
        return [f_exp(a[0])]
    if op == "log":
        return [f_div(1.0, a[0])]
    if op == "sin":
        return [f_cos(a[0])]
    if op == "cos":
        return [-f_sin(a[0])]
    if op == "tanh":
        t = math.tanh(a[0])
        return [1.0 - t * t]
    if op == "sigmoid":
        return [v * (1.0 - v)]
    if op == "relu":
        return [1.0 if a[0] > 0 else 0.0]
    if op == "abs":
        x = a[0]
        if math.isnan(x):
            return [x]
        return [1.0 if x > 0 else (-1.0 if x < 0 else 0.0)]
    if op in ("max", "min"):
        tied = [i for i in range(k) if a[i] == v]
        share = 1.0 / len(tied) if tied else 0.0
        return [share if a[i] == v else 0.0 for i in range(k)]
    if op == "pow":
        x, b = a
        d_base = f_mul(b, f_pow(x, b - 1.0))
        if x == 0 and b > 0:
            d_exp = 0.0
        else:
            d_exp = f_mul(v, f_log(x))
        return [d_base, d_exp]
    if op == "scale":
        return [c]
    if op == "offset":
        return [1.0]
    if op == "powc":
        return [f_mul(c, f_pow(a[0], c - 1.0))]
    if op == "const":
        return []
    raise ValueError(op)


# ---------------------------------------------------------------- parsing

def parse_number(token, where):
    t = token
    if t in ("inf", "+inf"):
        return math.inf
    if t == "-inf":
        return -math.inf
    if not NUMBER_RE.match(t):
        raise CircuitFileError(f"{where}: '{token}' is not a number")
    x = float(t)
    if math.isinf(x):
        raise CircuitFileError(f"{where}: '{token}' overflows binary64")
    return x


def check_name(name, where):
    if not NAME_RE.match(name) or len(name.encode()) > 255 or name in RESERVED:
        raise CircuitFileError(f"{where}: '{name}' is not a valid wire name")


class Circuit:
    """Statements of a `.circuit` file, by name."""

    def __init__(self):
        self.inputs = []        # names, declaration order
        self.params = []        # (name, value), declaration order
        self.nodes = []         # (name, op, [arg names], c), file order
        self.splits = []        # ([output names], source name), file order
        self.output = None
        self.defined = {}       # name -> ("input", i) | ("param", i) | ("node", n) | ("split", s, k)


def parse_circuit(path):
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = data.decode("utf-8")
    circuit = Circuit()
    header_seen = False
    for lineno, raw in enumerate(text.split("\n"), start=1):
        line = raw[:-1] if raw.endswith("\r") else raw
        line = line.split("#", 1)[0]
        tokens = line.replace("\t", " ").split()
        if not tokens:
            continue
        where = f"{path}:{lineno}"
        if not header_seen:
            if tokens != ["circuit", "1"]:
                raise CircuitFileError(f"{where}: expected the header 'circuit 1'")
            header_seen = True
            continue

        def define(name, what):
            check_name(name, where)
            if name in circuit.defined:
                raise CircuitFileError(f"{where}: '{name}' is already defined")
            circuit.defined[name] = what

        head = tokens[0]
        if head == "input" and "=" not in tokens:
            if len(tokens) < 2:
                raise CircuitFileError(f"{where}: 'input' needs at least one name")
            for name in tokens[1:]:
                define(name, ("input", len(circuit.inputs)))
                circuit.inputs.append(name)
        elif head == "param" and "=" not in tokens:
            if len(tokens) != 3:
                raise CircuitFileError(f"{where}: expected 'param NAME VALUE'")
            define(tokens[1], ("param", len(circuit.params)))
            circuit.params.append((tokens[1], parse_number(tokens[2], where)))
        elif head == "output" and "=" not in tokens:
            if len(tokens) != 2:
                raise CircuitFileError(f"{where}: expected 'output NAME'")
            if circuit.output is not None:
                raise CircuitFileError(f"{where}: a second 'output' statement")
            circuit.output = tokens[1]
        elif "=" in tokens:
            eq = tokens.index("=")
            lhs, rhs = tokens[:eq], tokens[eq + 1:]
            if not lhs or not rhs:
                raise CircuitFileError(f"{where}: malformed statement")
            if rhs[0] == "split":
                if len(rhs) != 2 or len(lhs) < 2:
                    raise CircuitFileError(f"{where}: expected 'Y1 Y2 ... = split X'")
                s = len(circuit.splits)
                for k, name in enumerate(lhs):
                    define(name, ("split", s, k))
                check_name(rhs[1], where)
                circuit.splits.append((lhs, rhs[1]))
            else:
                if len(lhs) != 1:
                    raise CircuitFileError(f"{where}: a function node drives exactly one wire")
                op = rhs[0]
                if op not in OPS:
                    raise CircuitFileError(f"{where}: unknown op '{op}'")
                arity, takes_c = OPS[op]
                operands = rhs[1:]
                c = 0.0
                if takes_c:
                    if not operands:
                        raise CircuitFileError(f"{where}: '{op}' needs a number")
                    c = parse_number(operands[-1], where)
                    operands = operands[:-1]
                if arity == "2+":
                    if len(operands) < 2:
                        raise CircuitFileError(f"{where}: '{op}' takes 2 or more wires")
                elif len(operands) != arity:
                    raise CircuitFileError(f"{where}: '{op}' takes {arity} wires")
                for name in operands:
                    check_name(name, where)
                define(lhs[0], ("node", len(circuit.nodes)))
                circuit.nodes.append((lhs[0], op, operands, c))
        else:
            raise CircuitFileError(f"{where}: unknown statement '{head}'")
    if not header_seen:
        raise CircuitFileError(f"{path}: empty file; expected the header 'circuit 1'")
    if circuit.output is None:
        raise CircuitFileError(f"{path}: no 'output' statement")
    for name, _, args, _ in circuit.nodes:
        for a in args:
            if a not in circuit.defined:
                raise CircuitFileError(f"{path}: wire '{a}' is used but never defined")
    for _, src in circuit.splits:
        if src not in circuit.defined:
            raise CircuitFileError(f"{path}: wire '{src}' is used but never defined")
    if circuit.output not in circuit.defined:
        raise CircuitFileError(f"{path}: wire '{circuit.output}' is used but never defined")
    return circuit


# ---------------------------------------------------------------- the graph

class Graph:
    """Uses of every wire in the spec's order, a topological order, liveness."""

    def __init__(self, c):
        self.c = c
        # uses[name]: list of ("arg", node, position) | ("split", s) | ("output",), in canonical order.
        self.uses = {name: [] for name in c.defined}
        for n, (_, _, args, _) in enumerate(c.nodes):
            for pos, a in enumerate(args):
                self.uses[a].append(("arg", n, pos))
        for s, (_, src) in enumerate(c.splits):
            self.uses[src].append(("split", s))
        self.uses[c.output].append(("output",))
        self.order = self._topological_order()
        self.live = self._live_nodes()

    def source_node(self, name):
        """The node whose value the wire carries, or None for inputs/params."""
        while True:
            d = self.c.defined[name]
            if d[0] == "node":
                return d[1]
            if d[0] == "split":
                name = self.c.splits[d[1]][1]
                continue
            return None

    def _node_deps(self, n):
        deps = []
        for a in self.c.nodes[n][2]:
            m = self.source_node(a)
            if m is not None:
                deps.append(m)
        return deps

    def _topological_order(self):
        # Split chains must be acyclic too.
        for s, (_, src) in enumerate(self.c.splits):
            seen = set()
            name = src
            while self.c.defined[name][0] == "split":
                if name in seen:
                    raise CircuitFileError("cycle through split statements")
                seen.add(name)
                name = self.c.splits[self.c.defined[name][1]][1]
        state = [0] * len(self.c.nodes)  # 0 new, 1 open, 2 done
        order = []
        for root in range(len(self.c.nodes)):
            if state[root]:
                continue
            stack = [(root, iter(self._node_deps(root)))]
            state[root] = 1
            while stack:
                n, it = stack[-1]
                advanced = False
                for m in it:
                    if state[m] == 1:
                        raise CircuitFileError(f"cycle through node '{self.c.nodes[m][0]}'")
                    if state[m] == 0:
                        state[m] = 1
                        stack.append((m, iter(self._node_deps(m))))
                        advanced = True
                        break
                if not advanced:
                    state[n] = 2
                    order.append(n)
                    stack.pop()
        return order

    def _live_nodes(self):
        live = [False] * len(self.c.nodes)
        start = self.source_node(self.c.output)
        work = [start] if start is not None else []
        if start is not None:
            live[start] = True
        while work:
            n = work.pop()
            for m in self._node_deps(n):
                if not live[m]:
                    live[m] = True
                    work.append(m)
        return live


# ---------------------------------------------------------------- sweeps

def evaluate_sample(g, inputs, params):
    """(value, {wire name: gradient}) for one sample."""
    c = g.c
    value_of_node = [0.0] * len(c.nodes)

    def value(name):
        d = c.defined[name]
        if d[0] == "input":
            return inputs[d[1]]
        if d[0] == "param":
            return params[d[1]]
        if d[0] == "node":
            return value_of_node[d[1]]
        return value(c.splits[d[1]][1])

    for n in g.order:
        _, op, args, k = c.nodes[n]
        value_of_node[n] = op_value(op, [value(a) for a in args], k)

    # contribution[(n, pos)]: what live node n sent to its argument `pos`.
    contribution = {}
    memo = {}

    def gradient(name):
        """Gradient of a wire: the sum over its uses, in use order (0 for an unused wire)."""
        if name in memo:
            return memo[name]
        total = None
        for use in g.uses[name]:
            if use[0] == "arg":
                part = contribution.get((use[1], use[2]), 0.0)
            elif use[0] == "split":
                outs = c.splits[use[1]][0]
                part = gradient(outs[0])
                for o in outs[1:]:
                    part = part + gradient(o)
            else:
                part = 1.0
            total = part if total is None else total + part
        result = 0.0 if total is None else total
        memo[name] = result
        return result

    for n in reversed(g.order):
        if not g.live[n]:
            continue
        name, op, args, k = c.nodes[n]
        up = gradient(name)
        vals = [value(a) for a in args]
        for pos, p in enumerate(op_partials(op, vals, value_of_node[n], k)):
            contribution[(n, pos)] = f_mul(up, p)

    return value(c.output), gradient


# ---------------------------------------------------------------- CSV

def read_batch(path, c):
    with open(path, "r", encoding="utf-8-sig", newline="") as f:
        lines = [ln.rstrip("\r\n") for ln in f]
    lines = [ln for ln in lines if ln.strip() != ""]
    if not lines:
        raise CircuitFileError(f"{path}: empty batch file")
    header = [h.strip() for h in lines[0].split(",")]
    if sorted(header) != sorted(c.inputs) or len(set(header)) != len(header):
        raise CircuitFileError(f"{path}:1: columns {header} do not match the inputs {c.inputs}")
    column = {name: header.index(name) for name in c.inputs}
    rows = []
    for lineno, ln in enumerate(lines[1:], start=2):
        cells = [x.strip() for x in ln.split(",")]
        if len(cells) != len(header):
            raise CircuitFileError(f"{path}:{lineno}: expected {len(header)} values")
        nums = [parse_number(x, f"{path}:{lineno}") for x in cells]
        rows.append([nums[column[name]] for name in c.inputs])
    return rows


def fmt(x):
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return repr(x)


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description="Independent .circuit evaluator (values and gradients).")
    ap.add_argument("circuit")
    ap.add_argument("--inputs", help="batch CSV (not needed for a circuit without inputs)")
    ap.add_argument("--output", required=True, help="results CSV: value,d_NAME...")
    ap.add_argument("--param-grads", help="parameter gradients CSV: param,grad")
    args = ap.parse_args(argv)
    try:
        c = parse_circuit(args.circuit)
        g = Graph(c)
        if c.inputs:
            if not args.inputs:
                raise CircuitFileError(f"{args.circuit}: the circuit has inputs; pass --inputs")
            rows = read_batch(args.inputs, c)
        else:
            rows = [[]]
    except (CircuitFileError, OSError, UnicodeDecodeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    params = [v for _, v in c.params]
    per_param = [[] for _ in c.params]
    with open(args.output, "w", encoding="utf-8", newline="\n") as out:
        out.write(",".join(["value"] + [f"d_{n}" for n in c.inputs]) + "\n")
        for row in rows:
            value, gradient = evaluate_sample(g, row, params)
            out.write(",".join([fmt(value)] + [fmt(gradient(n)) for n in c.inputs]) + "\n")
            for p, (name, _) in enumerate(c.params):
                per_param[p].append(gradient(name))
    if args.param_grads:
        with open(args.param_grads, "w", encoding="utf-8", newline="\n") as out:
            out.write("param,grad\n")
            for p, (name, _) in enumerate(c.params):
                terms = per_param[p]
                total = math.fsum(terms) if all(math.isfinite(t) for t in terms) else sum(terms)
                out.write(f"{name},{fmt(total)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
