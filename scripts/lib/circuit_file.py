"""Reads a `.circuit` file (format version 1, docs/format.md) into a
plain Python structure the peer implementations share, and reads/writes batch and result tables.

Written from the spec for the comparison scripts; it accepts valid files and reports the first
problem of an invalid one as `FILE:LINE: message`. It does not need numpy except for NPY batches.
"""
from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, field

from ops import OPS

RESERVED = {"circuit", "input", "param", "output", "split", "inf", "nan"}
NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*\Z")
NUMBER_RE = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z")


class CircuitFileError(ValueError):
    """A located problem in a circuit or table file."""


def parse_number(token: str, where: str) -> float:
    """Reads a number literal by the spec's rules (decimal/scientific, ±inf; no nan, no overflow)."""
    low = token.lower()
    if low in ("inf", "+inf"):
        return math.inf
    if low == "-inf":
        return -math.inf
    if not NUMBER_RE.match(token):
        raise CircuitFileError(f"{where}: '{token}' is not a number")
    value = float(token)
    if math.isinf(value):
        raise CircuitFileError(f"{where}: '{token}' overflows binary64")
    return value


@dataclass
class Node:
    """One function node: output wire name, op, argument wire names, constant (or None), file line."""
    name: str
    op: str
    args: list
    const: float | None
    line: int


@dataclass
class Circuit:
    """A parsed and resolved circuit.

    `order` lists function nodes in level order (ties in file order); `value_index` maps every value
    wire (inputs, params, nodes in `order`) to a row; `root` maps explicit splitter outputs to the
    value wire they carry; `live` is the set of node names from which the output is reachable.
    """
    path: str
    inputs: list = field(default_factory=list)
    params: list = field(default_factory=list)  # [(name, value)]
    nodes: list = field(default_factory=list)  # file order
    splits: list = field(default_factory=list)  # [(outputs, source, line)]
    output: str = ""
    root: dict = field(default_factory=dict)
    level: dict = field(default_factory=dict)
    order: list = field(default_factory=list)
    live: set = field(default_factory=set)
    value_index: dict = field(default_factory=dict)

    @property
    def node_count(self) -> int:
        """Function nodes (what node-evaluations/s counts per sample)."""
        return len(self.nodes)

    def carried(self, wire: str) -> str:
        """The value wire that `wire` carries (follows explicit splitter outputs)."""
        return self.root.get(wire, wire)


def read_circuit(path: str) -> Circuit:
    """Parses and resolves the `.circuit` file at `path`; raises CircuitFileError with file:line."""
    with open(path, "rb") as handle:
        raw = handle.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CircuitFileError(f"{path}: not UTF-8 ({error})") from None
    circuit = Circuit(path=path)
    defined: dict = {}  # name -> line
    seen_header = False
    output_line = None

    def define(name: str, where: str, lineno: int):
        if not NAME_RE.match(name) or name in RESERVED or len(name.encode()) > 255:
            raise CircuitFileError(f"{where}: '{name}' is not a valid wire name")
        if name in defined:
            raise CircuitFileError(f"{where}: wire '{name}' already defined on line {defined[name]}")
        defined[name] = lineno

    for lineno, line in enumerate(text.split("\n"), start=1):
        where = f"{path}:{lineno}"
        tokens = line.rstrip("\r").split("#", 1)[0].split()
        if not tokens:
            continue
        if not seen_header:
            if tokens != ["circuit", "1"]:
                raise CircuitFileError(f"{where}: expected the header 'circuit 1'")
            seen_header = True
            continue
        head = tokens[0]
        if head == "input":
            if len(tokens) < 2:
                raise CircuitFileError(f"{where}: 'input' needs at least one name")
            for name in tokens[1:]:
                define(name, where, lineno)
                circuit.inputs.append(name)
        elif head == "param":
            if len(tokens) != 3:
                raise CircuitFileError(f"{where}: expected 'param NAME VALUE'")
            define(tokens[1], where, lineno)
            circuit.params.append((tokens[1], parse_number(tokens[2], where)))
        elif head == "output":
            if len(tokens) != 2:
                raise CircuitFileError(f"{where}: expected 'output NAME'")
            if output_line is not None:
                raise CircuitFileError(f"{where}: second 'output' (first on line {output_line})")
            circuit.output, output_line = tokens[1], lineno
        elif "=" in tokens:
            eq = tokens.index("=")
            lhs, rhs = tokens[:eq], tokens[eq + 1:]
            if not lhs or not rhs:
                raise CircuitFileError(f"{where}: expected 'NAME = OP ARG ...'")
            if rhs[0] == "split":
                if len(lhs) < 2 or len(rhs) != 2:
                    raise CircuitFileError(f"{where}: expected 'Y1 Y2 ... = split X' with two or more outputs")
                for name in lhs:
                    define(name, where, lineno)
                circuit.splits.append((lhs, rhs[1], lineno))
            else:
                if len(lhs) != 1:
                    raise CircuitFileError(f"{where}: a function node drives exactly one wire")
                op, args = rhs[0], rhs[1:]
                if op not in OPS:
                    raise CircuitFileError(f"{where}: unknown op '{op}'")
                low, high, has_const = OPS[op]
                const = None
                if has_const:
                    if not args:
                        raise CircuitFileError(f"{where}: '{op}' needs a number after its arguments")
                    const = parse_number(args[-1], where)
                    args = args[:-1]
                if len(args) < low or (high is not None and len(args) > high):
                    raise CircuitFileError(f"{where}: '{op}' takes {low}{'' if high == low else '+'} wire argument(s), got {len(args)}")
                define(lhs[0], where, lineno)
                circuit.nodes.append(Node(lhs[0], op, args, const, lineno))
        else:
            raise CircuitFileError(f"{where}: cannot read statement '{line.strip()}'")
    if not seen_header:
        raise CircuitFileError(f"{path}: empty file, expected the header 'circuit 1'")
    if output_line is None:
        raise CircuitFileError(f"{path}: no 'output' statement")
    _resolve(circuit, defined, output_line)
    return circuit


def _resolve(circuit: Circuit, defined: dict, output_line: int):
    """Checks references, follows explicit splits, computes levels (iteratively), order and liveness."""
    node_by_name = {node.name: node for node in circuit.nodes}
    for outputs, source, line in circuit.splits:
        if source not in defined:
            raise CircuitFileError(f"{circuit.path}:{line}: unknown wire '{source}'")
        for name in outputs:
            circuit.root[name] = source
    for node in circuit.nodes:
        for arg in node.args:
            if arg not in defined:
                raise CircuitFileError(f"{circuit.path}:{node.line}: unknown wire '{arg}'")
    if circuit.output not in defined:
        raise CircuitFileError(f"{circuit.path}:{output_line}: unknown output wire '{circuit.output}'")
    # Collapse split chains to their value wire (with cycle detection among splits).
    for name in list(circuit.root):
        seen, current = set(), name
        while current in circuit.root:
            if current in seen:
                raise CircuitFileError(f"{circuit.path}: cycle through splitter output '{name}'")
            seen.add(current)
            current = circuit.root[current]
        circuit.root[name] = current
    level = {name: 0 for name in circuit.inputs}
    level.update({name: 0 for name, _ in circuit.params})
    state = {}  # 1 = on stack, 2 = done
    for start in circuit.nodes:
        if start.name in level:
            continue
        stack = [(start, 0)]
        state[start.name] = 1
        while stack:
            node, i = stack[-1]
            if i < len(node.args):
                stack[-1] = (node, i + 1)
                arg = circuit.carried(node.args[i])
                if arg in level:
                    continue
                if state.get(arg) == 1:
                    raise CircuitFileError(f"{circuit.path}:{node.line}: cycle through wire '{arg}'")
                state[arg] = 1
                stack.append((node_by_name[arg], 0))
            else:
                level[node.name] = 1 + max((level[circuit.carried(a)] for a in node.args), default=0)
                state[node.name] = 2
                stack.pop()
    circuit.level = level
    position = {node.name: i for i, node in enumerate(circuit.nodes)}
    circuit.order = sorted(circuit.nodes, key=lambda n: (level[n.name], position[n.name]))
    index = {}
    for name in circuit.inputs:
        index[name] = len(index)
    for name, _ in circuit.params:
        index[name] = len(index)
    for node in circuit.order:
        index[node.name] = len(index)
    circuit.value_index = index
    live, todo = set(), [circuit.carried(circuit.output)]
    while todo:
        name = todo.pop()
        if name in live or name not in node_by_name:
            continue
        live.add(name)
        todo.extend(circuit.carried(a) for a in node_by_name[name].args)
    circuit.live = live


def read_batch(path: str, circuit: Circuit):
    """Reads a CSV or NPY batch as a numpy array samples x inputs (declaration order)."""
    import numpy as np
    if path.endswith(".npy"):
        array = np.load(path)
        if array.ndim != 2 or array.shape[1] != len(circuit.inputs):
            raise CircuitFileError(f"{path}: expected samples x {len(circuit.inputs)} float64, got shape {array.shape}")
        return np.ascontiguousarray(array, dtype=np.float64)
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    header = [h.strip() for h in rows[0]]
    if sorted(header) != sorted(circuit.inputs):
        raise CircuitFileError(f"{path}:1: header {header} does not match the inputs {circuit.inputs}")
    columns = [header.index(name) for name in circuit.inputs]
    data = [[parse_number(row[c].strip(), f"{path}:{i}:{c + 1}") for c in columns]
            for i, row in enumerate(rows[1:], start=2) if row]
    return np.array(data, dtype=np.float64).reshape(len(data), len(circuit.inputs))


def read_results(path: str):
    """Reads a results table (`value,d_NAME...` CSV or NPY) as (column names, numpy array)."""
    import numpy as np
    if path.endswith(".npy"):
        array = np.load(path)
        return None, array
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    header = [h.strip() for h in rows[0]]
    data = [[float(x) for x in row] for row in rows[1:] if row]
    return header, np.array(data, dtype=np.float64).reshape(len(data), len(header))


def read_param_grads(path: str) -> dict:
    """Reads a `param,grad` CSV as {name: gradient}."""
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    return {row[0].strip(): float(row[1]) for row in rows[1:] if row}
