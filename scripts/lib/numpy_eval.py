"""A vectorised NumPy implementation of the circuit spec, used as a peer by `scripts/compare`.

Forward: level by level; within a level the nodes are grouped by (op, arity) and each group is one
array expression over (nodes x batch), gathering argument rows with fancy indexing.
Reverse: every use of a value wire (a node argument position, the `output` line) gets its own
gradient slot with exactly one writer, so no scatter-add is needed; a wire's gradient is its
splitter sum, the sum of its use slots. Uses are numbered in value-row order, so the uses of one
level's wires are contiguous and `np.add.reduceat` forms all their sums at once. Dead nodes are not
run backward (their slots stay 0).
"""
from __future__ import annotations

import numpy as np

from circuit_file import Circuit


class NumpyCircuit:
    """Plans a parsed circuit once; `evaluate(batch)` returns (values, input grads, param grads)."""

    def __init__(self, circuit: Circuit):
        self.circuit = circuit
        index = circuit.value_index
        self.rows = len(index)
        self.input_rows = np.arange(len(circuit.inputs))
        self.param_rows = np.arange(len(circuit.inputs), len(circuit.inputs) + len(circuit.params))
        self.param_values = np.array([v for _, v in circuit.params], dtype=np.float64).reshape(-1, 1)
        # Uses, per value row, in the spec's order: node arguments (node order, position), then output.
        uses_of = [[] for _ in range(self.rows)]
        for node in circuit.order:
            if node.name not in circuit.live:
                continue
            for position, arg in enumerate(node.args):
                uses_of[index[circuit.carried(arg)]].append((node.name, position))
        output_row = index[circuit.carried(circuit.output)]
        uses_of[output_row].append(("<output>", 0))
        slot_of, self.use_start = {}, np.zeros(self.rows + 1, dtype=np.int64)
        for row, uses in enumerate(uses_of):
            self.use_start[row] = len(slot_of)
            for use in uses:
                slot_of[use] = len(slot_of)
        self.use_start[self.rows] = len(slot_of)
        self.use_count = len(slot_of)
        self.output_row, self.output_slot = output_row, slot_of[("<output>", 0)]
        # Groups per level.
        levels = {}
        for node in circuit.order:
            key = (node.op, len(node.args))
            levels.setdefault(circuit.level[node.name], {}).setdefault(key, []).append(node)
        self.levels = []
        for level in sorted(levels):
            groups = []
            for (op, arity), nodes in levels[level].items():
                out = np.array([index[n.name] for n in nodes], dtype=np.int64)
                args = np.array([[index[circuit.carried(a)] for a in n.args] for n in nodes],
                                dtype=np.int64).reshape(len(nodes), arity)
                const = np.array([n.const if n.const is not None else 0.0 for n in nodes]).reshape(-1, 1)
                live = np.array([n.name in circuit.live for n in nodes])
                slots = np.array([[slot_of.get((n.name, p), -1) for p in range(arity)] for n in nodes],
                                 dtype=np.int64).reshape(len(nodes), arity)
                groups.append((op, out, args, const, live, slots))
            rows = [index[n.name] for nodes in levels[level].values() for n in nodes]
            self.levels.append((groups, self._sum_plan(min(rows), max(rows) + 1)))
        self.level0_sum = self._sum_plan(0, len(circuit.inputs) + len(circuit.params))

    def _sum_plan(self, first_row: int, end_row: int):
        """Rows in [first_row, end_row) that have uses, with reduceat offsets into their slot range."""
        counts = self.use_start[first_row + 1:end_row + 1] - self.use_start[first_row:end_row]
        rows = np.nonzero(counts)[0] + first_row
        a, b = self.use_start[first_row], self.use_start[end_row]
        offsets = self.use_start[rows] - a
        return rows, a, b, offsets

    def evaluate(self, batch: np.ndarray):
        """batch: samples x inputs. Returns (values[B], input_grads[B, inputs], param_grads[params])."""
        samples = batch.shape[0] if batch.ndim == 2 else 1
        values = np.empty((self.rows, samples))
        values[self.input_rows] = batch.T
        values[self.param_rows] = self.param_values
        with np.errstate(all="ignore"):
            for groups, _ in self.levels:
                for op, out, args, const, _, _ in groups:
                    values[out] = forward(op, values[args], const)
            slots = np.zeros((self.use_count, samples))
            grads = np.zeros((self.rows, samples))
            slots[self.output_slot] = 1.0
            for groups, plan in reversed(self.levels):
                self._sum(slots, grads, plan)
                for op, out, args, const, live, use_slots in groups:
                    if not live.any():
                        continue
                    if not live.all():
                        out, args, const, use_slots = out[live], args[live], const[live], use_slots[live]
                    arg_values = values[args]
                    partials = backward(op, arg_values, values[out], const)
                    upstream = grads[out]
                    for position in range(arg_values.shape[1]):
                        slots[use_slots[:, position]] = upstream * partials[:, position]
            self._sum(slots, grads, self.level0_sum)
        return (values[self.output_row].copy(), grads[self.input_rows].T.copy(),
                grads[self.param_rows].sum(axis=1))

    @staticmethod
    def _sum(slots, grads, plan):
        rows, a, b, offsets = plan
        if len(rows):
            grads[rows] = np.add.reduceat(slots[a:b], offsets, axis=0)


def forward(op: str, a: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Values of a group: a is (nodes, arity, batch), c is (nodes, 1). Formulas as in the spec."""
    x = a[:, 0] if a.shape[1] else None
    if op == "add":
        return a.sum(axis=1)
    if op == "sub":
        return a[:, 0] - a[:, 1]
    if op == "mul":
        return a.prod(axis=1)
    if op == "div":
        return a[:, 0] / a[:, 1]
    if op == "pow":
        return np.power(a[:, 0], a[:, 1])
    if op == "max":
        return a.max(axis=1)
    if op == "min":
        return a.min(axis=1)
    if op == "const":
        return np.broadcast_to(c, (a.shape[0], a.shape[2]))
    unary = {
        "neg": lambda: -x, "recip": lambda: 1.0 / x, "square": lambda: x * x, "sqrt": lambda: np.sqrt(x),
        "exp": lambda: np.exp(x), "log": lambda: np.log(x), "sin": lambda: np.sin(x), "cos": lambda: np.cos(x),
        "tanh": lambda: np.tanh(x), "sigmoid": lambda: 1.0 / (1.0 + np.exp(-x)),
        "relu": lambda: np.where(np.isnan(x), x, np.maximum(x, 0.0)), "abs": lambda: np.abs(x),
        "scale": lambda: c * x, "offset": lambda: x + c, "powc": lambda: np.power(x, c),
    }
    return unary[op]()


def backward(op: str, a: np.ndarray, v: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Local partials of a group as (nodes, arity, batch); v holds the node values."""
    x = a[:, 0] if a.shape[1] else None
    if op == "const":
        return np.empty((a.shape[0], 0, a.shape[2]))
    if op in ("add", "offset"):
        return np.ones_like(a)
    if op == "sub":
        return np.stack([np.ones_like(x), -np.ones_like(x)], axis=1)
    if op == "mul":  # prefix x suffix products, no division
        k = a.shape[1]
        prefix = np.ones_like(a)
        suffix = np.ones_like(a)
        for i in range(1, k):
            prefix[:, i] = prefix[:, i - 1] * a[:, i - 1]
        for i in range(k - 2, -1, -1):
            suffix[:, i] = suffix[:, i + 1] * a[:, i + 1]
        return prefix * suffix
    if op == "div":
        b = a[:, 1]
        return np.stack([1.0 / b, -x / (b * b)], axis=1)
    if op == "pow":
        b = a[:, 1]
        db = np.where(x > 0, v * np.log(np.where(x > 0, x, 1.0)), np.where((x == 0) & (b > 0), 0.0, v * np.log(x)))
        return np.stack([b * np.power(x, b - 1.0), db], axis=1)
    if op in ("max", "min"):
        tied = (a == v[:, None, :])
        return tied / tied.sum(axis=1, keepdims=True)
    unary = {
        "neg": lambda: -np.ones_like(x), "recip": lambda: -1.0 / (x * x), "square": lambda: 2.0 * x,
        "sqrt": lambda: 1.0 / (2.0 * np.sqrt(x)), "exp": lambda: v, "log": lambda: 1.0 / x,
        "sin": lambda: np.cos(x), "cos": lambda: -np.sin(x), "tanh": lambda: 1.0 - v * v,
        "sigmoid": lambda: v * (1.0 - v), "relu": lambda: (x > 0).astype(np.float64),
        "abs": lambda: np.sign(x), "scale": lambda: np.broadcast_to(c, x.shape),
        "powc": lambda: c * np.power(x, c - 1.0),
    }
    return unary[op]()[:, None, :]
