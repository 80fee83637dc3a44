"""Runs one peer tool (numpy, jax, torch, micrograd) on a circuit and batch: checks its values and
gradients against CircuitGrad's results and times forward+backward over the whole batch.

Usage (one tool per process, so thread settings and XLA flags apply cleanly):
    python peers.py --tool jax --circuit C --batch B.npy --reps 5 [--single-core]
                    [--expect OUT.csv --expect-params PG.csv]
Prints one JSON object: tool, version, nodes, samples, compileSeconds, runSeconds (median of reps,
forward+backward for the whole batch), rate (function nodes x samples / runSeconds), and the check:
maxRelError, mismatches, checked.

Tolerance of the check: |a - b| <= 1e-9 * max(|a|, |b|) + 1e-12 * (largest finite |x| in that sample's
row: its value and all its gradients). The absolute floor covers only results that cancel to nearly
zero (a gradient of 1e-18 beside others near 1 is rounding noise whose relative error means nothing).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ops  # noqa: E402
from circuit_file import read_batch, read_circuit, read_param_grads, read_results  # noqa: E402

REL_TOL = 1e-9
ABS_FLOOR = 1e-12


def _node_args(circuit, node, env):
    return [env[circuit.value_index[circuit.carried(a)]] for a in node.args]


def _array_ops(power, maximum, minimum, constant, unary):
    """The spec's ops over whole arrays of samples, for an array library (JAX, PyTorch): what
    differs between libraries is passed in (power, max/min over a list of arrays, a constant
    array, the one-argument functions); the rest is plain arithmetic, left to right."""
    def fold(combine):
        def apply(a, _):
            v = a[0]
            for t in a[1:]:
                v = combine(v, t)
            return v
        return apply
    ops = {
        "add": fold(lambda x, y: x + y), "mul": fold(lambda x, y: x * y),
        "sub": lambda a, _: a[0] - a[1], "div": lambda a, _: a[0] / a[1],
        "pow": lambda a, _: power(a[0], a[1]), "powc": lambda a, c: power(a[0], c),
        "max": lambda a, _: maximum(a), "min": lambda a, _: minimum(a),
        "scale": lambda a, c: c * a[0], "offset": lambda a, c: a[0] + c,
        "const": lambda _, c: constant(c),
    }
    ops.update({name: (lambda f: lambda a, _: f(a[0]))(f) for name, f in unary.items()})
    return ops


def _run_nodes(circuit, live_order, env, ops):
    """Evaluates the live nodes in order into env (value index -> array)."""
    for node in live_order:
        env[circuit.value_index[node.name]] = ops[node.op](_node_args(circuit, node, env), node.const)


# ---------------------------------------------------------------- JAX
def build_jax(circuit, single_core):
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    ops = _array_ops(
        power=jnp.power, maximum=lambda a: jnp.max(jnp.stack(a)), minimum=lambda a: jnp.min(jnp.stack(a)),
        constant=lambda c: jnp.asarray(c, dtype=jnp.float64),
        unary={"neg": lambda x: -x, "recip": lambda x: 1.0 / x, "square": lambda x: x * x, "sqrt": jnp.sqrt,
               "exp": jnp.exp, "log": jnp.log, "sin": jnp.sin, "cos": jnp.cos, "tanh": jnp.tanh,
               "sigmoid": jax.nn.sigmoid, "relu": jax.nn.relu, "abs": jnp.abs})
    live_order = [n for n in circuit.order if n.name in circuit.live]
    n_in = len(circuit.inputs)
    out_row = circuit.value_index[circuit.carried(circuit.output)]

    def f(x, p):
        env = {i: x[i] for i in range(n_in)}
        env.update({n_in + j: p[j] for j in range(len(circuit.params))})
        _run_nodes(circuit, live_order, env, ops)
        return env[out_row]

    grad_f = jax.value_and_grad(f, argnums=(0, 1))

    def batched(xs, p):
        values, (gx, gp) = jax.vmap(grad_f, in_axes=(0, None))(xs, p)
        return values, gx, gp.sum(axis=0)

    compiled = jax.jit(batched)
    import numpy as np
    params = jnp.asarray(np.array([v for _, v in circuit.params], dtype=np.float64))

    def run(batch):
        values, gx, gp = compiled(batch, params)
        values.block_until_ready()
        gx.block_until_ready()
        gp.block_until_ready()
        return np.asarray(values), np.asarray(gx), np.asarray(gp)

    return run, jax.__version__


# ---------------------------------------------------------------- PyTorch
def build_torch(circuit, single_core):
    import numpy as np
    import torch
    if single_core:
        torch.set_num_threads(1)
    live_order = [n for n in circuit.order if n.name in circuit.live]
    n_in = len(circuit.inputs)
    out_row = circuit.value_index[circuit.carried(circuit.output)]
    param_values = [v for _, v in circuit.params]

    def run(batch):
        samples = batch.shape[0]
        xs = torch.from_numpy(np.ascontiguousarray(batch.T)).clone().requires_grad_(True)
        ps = torch.tensor(param_values, dtype=torch.float64, requires_grad=True)
        env = {i: xs[i] for i in range(n_in)}
        env.update({n_in + j: ps[j].expand(samples) for j in range(len(param_values))})
        ops = _array_ops(
            power=torch.pow, maximum=lambda a: torch.stack(a).amax(dim=0), minimum=lambda a: torch.stack(a).amin(dim=0),
            constant=lambda c: torch.full((samples,), c, dtype=torch.float64),
            unary={"neg": torch.neg, "recip": lambda x: 1.0 / x, "square": lambda x: x * x, "sqrt": torch.sqrt,
                   "exp": torch.exp, "log": torch.log, "sin": torch.sin, "cos": torch.cos, "tanh": torch.tanh,
                   "sigmoid": torch.sigmoid, "relu": torch.relu, "abs": torch.abs})
        _run_nodes(circuit, live_order, env, ops)
        out = env[out_row]
        out.sum().backward()
        gp = ps.grad.numpy() if ps.grad is not None else np.zeros(len(param_values))
        gx = xs.grad.numpy().T if xs.grad is not None else np.zeros_like(batch)
        return out.detach().numpy(), gx, gp

    return run, torch.__version__


# ---------------------------------------------------------------- micrograd
def build_micrograd(circuit, single_core):
    """micrograd's Value graph and its backward(); ops it lacks get Value nodes with their own
    _backward closures (the spec's partials) so micrograd's engine still orders and runs them."""
    import numpy as np
    from micrograd.engine import Value
    sys.setrecursionlimit(max(10000, 20 * len(circuit.nodes)))

    def unary_node(x, value, partial, name):
        out = Value(value, (x,), name)

        def _backward():
            x.grad += partial * out.grad
        out._backward = _backward
        return out

    def extremum(args, pick):
        m = pick(t.data for t in args)
        tied = [t for t in args if t.data == m]
        out = Value(m, tuple(args), "max")

        def _backward():
            for t in tied:
                t.grad += out.grad / len(tied)
        out._backward = _backward
        return out

    def power(a, b):
        v = a.data ** b.data
        out = Value(v, (a, b), "pow")

        def _backward():
            a.grad += b.data * a.data ** (b.data - 1) * out.grad
            if a.data > 0:
                b.grad += v * math.log(a.data) * out.grad
            elif not (a.data == 0 and b.data > 0):
                b.grad += v * math.log(a.data) * out.grad  # raises like the formula is undefined
        out._backward = _backward
        return out

    live_order = [n for n in circuit.order if n.name in circuit.live]
    n_in = len(circuit.inputs)
    out_row = circuit.value_index[circuit.carried(circuit.output)]

    def one(sample):
        xs = [Value(float(v)) for v in sample]
        ps = [Value(float(v)) for _, v in circuit.params]
        env = {i: xs[i] for i in range(n_in)}
        env.update({n_in + j: ps[j] for j in range(len(ps))})
        for node in live_order:
            a = _node_args(circuit, node, env)
            op, d = node.op, a[0].data if a else None
            if op == "add":
                v = a[0]
                for t in a[1:]:
                    v = v + t
            elif op == "mul":
                v = a[0]
                for t in a[1:]:
                    v = v * t
            elif op == "sub":
                v = a[0] - a[1]
            elif op == "div":
                v = a[0] * a[1] ** -1
            elif op == "neg":
                v = -a[0]
            elif op == "recip":
                v = a[0] ** -1
            elif op == "square":
                v = a[0] ** 2
            elif op == "sqrt":
                v = a[0] ** 0.5
            elif op == "powc":
                v = a[0] ** node.const
            elif op == "scale":
                v = a[0] * node.const
            elif op == "offset":
                v = a[0] + node.const
            elif op == "relu":
                v = a[0].relu()
            elif op == "const":
                v = Value(node.const)
            elif op in ("exp", "log", "sin", "cos", "tanh", "sigmoid", "abs"):
                value = ops.value(op, [d])
                v = unary_node(a[0], value, ops.unary_partial(op, d, value), op)
            elif op in ("max", "min"):
                v = extremum(a, max if op == "max" else min)
            elif op == "pow":
                v = power(a[0], a[1])
            else:
                raise ValueError(f"micrograd: no op {op}")
            env[circuit.value_index[node.name]] = v
        out = env[out_row]
        out.backward()
        return out.data, [x.grad for x in xs], [p.grad for p in ps]

    def run(batch):
        values, gx, gp = [], [], np.zeros(len(circuit.params))
        for sample in batch:
            v, g, p = one(sample)
            values.append(v)
            gx.append(g)
            gp += np.array(p, dtype=np.float64)
        return np.array(values), np.array(gx, dtype=np.float64).reshape(batch.shape), gp

    return run, "0.1.0"


# ---------------------------------------------------------------- NumPy (the spec, vectorised)
def build_numpy(circuit, single_core):
    import numpy as np
    from numpy_eval import NumpyCircuit
    planned = NumpyCircuit(circuit)
    return planned.evaluate, np.__version__


BUILDERS = {"numpy": build_numpy, "jax": build_jax, "torch": build_torch, "micrograd": build_micrograd}


def compare(expected, got):
    """(max relative error, mismatches, checked) under the documented tolerance."""
    import numpy as np
    expected = np.asarray(expected, dtype=np.float64).reshape(np.shape(expected))
    got = np.asarray(got, dtype=np.float64).reshape(expected.shape)
    if expected.size == 0:
        return 0.0, 0, 0
    scale = np.max(np.abs(np.where(np.isfinite(expected), expected, 0.0)), axis=1, keepdims=True)
    diff = np.abs(expected - got)
    bound = REL_TOL * np.maximum(np.abs(expected), np.abs(got)) + ABS_FLOOR * scale
    same = (expected == got) | (np.isnan(expected) & np.isnan(got))
    bad = ~same & ~(diff <= bound)
    with np.errstate(all="ignore"):
        rel = np.where(same, 0.0, diff / np.maximum(np.maximum(np.abs(expected), np.abs(got)), 1e-300))
    return float(np.nanmax(rel)) if rel.size else 0.0, int(bad.sum()), int(expected.size)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tool", required=True, choices=sorted(BUILDERS))
    parser.add_argument("--circuit", required=True)
    parser.add_argument("--batch", required=True)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--single-core", action="store_true", help="one intra-op thread (torch/XLA)")
    parser.add_argument("--expect", help="CircuitGrad's per-sample results (value,d_...)")
    parser.add_argument("--expect-params", help="CircuitGrad's parameter gradients (param,grad)")
    args = parser.parse_args()
    import numpy as np
    circuit = read_circuit(args.circuit)
    batch = read_batch(args.batch, circuit)
    report = {"tool": args.tool, "nodes": circuit.node_count, "samples": int(batch.shape[0]),
              "singleCore": args.single_core}
    try:
        start = time.perf_counter()
        run, version = BUILDERS[args.tool](circuit, args.single_core)
        first = time.perf_counter()
        values, gx, gp = run(batch)  # for JAX this call traces and compiles
        second = time.perf_counter()
        times = []
        for _ in range(args.reps):
            t0 = time.perf_counter()
            run(batch)
            times.append(time.perf_counter() - t0)
        run_seconds = statistics.median(times) if times else second - first
        report.update({"version": version, "setupSeconds": first - start,
                       "compileSeconds": max(0.0, (second - first) - run_seconds),
                       "runSeconds": run_seconds,
                       "rate": circuit.node_count * batch.shape[0] / run_seconds if run_seconds > 0 else None})
        if args.expect:
            header, expected = read_results(args.expect)
            mine = np.column_stack([values.reshape(-1), gx.reshape(batch.shape[0], -1)])
            rel, bad, checked = compare(expected, mine)
            if args.expect_params and circuit.params:
                given = read_param_grads(args.expect_params)
                expected_p = np.array([given[name] for name, _ in circuit.params])
                rel_p, bad_p, checked_p = compare(expected_p.reshape(1, -1), gp.reshape(1, -1))
                rel, bad, checked = max(rel, rel_p), bad + bad_p, checked + checked_p
            report.update({"maxRelError": rel, "mismatches": bad, "checked": checked,
                           "agrees": bad == 0})
    except ImportError as error:
        report.update({"error": f"not installed: {error}"})
    except Exception as error:  # report, keep the comparison going for the other tools
        report.update({"error": f"{type(error).__name__}: {error}"})
    print(json.dumps(report))


if __name__ == "__main__":
    main()
