"""The circuit ops for the comparison and test scripts, in one table: each op's wire arguments,
whether it takes a number literal, and its forward value and local partials on plain floats
(the spec's formulas). scripts/independent_eval.py does not use this file: it is the independent
oracle and spells the spec out on its own.

The order of OPS is the spec's op table order; random_circuit.py draws from it, so reordering it
changes which circuits a seed gives.
"""
from __future__ import annotations

import math

# op -> (min wire args, max wire args or None for unbounded, takes a number literal after its args)
OPS = {
    "add": (2, None, False), "sub": (2, 2, False), "mul": (2, None, False), "div": (2, 2, False),
    "neg": (1, 1, False), "recip": (1, 1, False), "square": (1, 1, False), "sqrt": (1, 1, False),
    "exp": (1, 1, False), "log": (1, 1, False), "sin": (1, 1, False), "cos": (1, 1, False),
    "tanh": (1, 1, False), "sigmoid": (1, 1, False), "relu": (1, 1, False), "abs": (1, 1, False),
    "max": (2, None, False), "min": (2, None, False), "pow": (2, 2, False),
    "scale": (1, 1, True), "offset": (1, 1, True), "powc": (1, 1, True), "const": (0, 0, True),
}
ALL_OPS = list(OPS)


def value(op, a, c=None):
    """The op's value on the floats `a` (its wire arguments) and literal `c`."""
    if op == "add":
        return sum(a)
    if op == "sub":
        return a[0] - a[1]
    if op == "mul":
        p = 1.0
        for x in a:
            p *= x
        return p
    if op == "div":
        return a[0] / a[1]
    if op in ("max", "min"):
        return (max if op == "max" else min)(a)
    if op == "pow":
        return math.pow(a[0], a[1])
    if op == "const":
        return c
    return UNARY[op][0](a[0], c)


def unary_partial(op, x, v, c=None):
    """d(op)/dx of a one-argument op at x, where v is its value there."""
    return UNARY[op][1](x, v, c)


# one-argument op -> (value(x, c), partial(x, value, c))
UNARY = {
    "neg": (lambda x, c: -x, lambda x, v, c: -1.0),
    "recip": (lambda x, c: 1 / x, lambda x, v, c: -1.0 / (x * x)),
    "square": (lambda x, c: x * x, lambda x, v, c: 2.0 * x),
    "sqrt": (lambda x, c: math.sqrt(x), lambda x, v, c: 1.0 / (2.0 * v)),
    "exp": (lambda x, c: math.exp(x), lambda x, v, c: v),
    "log": (lambda x, c: math.log(x), lambda x, v, c: 1.0 / x),
    "sin": (lambda x, c: math.sin(x), lambda x, v, c: math.cos(x)),
    "cos": (lambda x, c: math.cos(x), lambda x, v, c: -math.sin(x)),
    "tanh": (lambda x, c: math.tanh(x), lambda x, v, c: 1.0 - v * v),
    "sigmoid": (lambda x, c: 1 / (1 + math.exp(-x)), lambda x, v, c: v * (1.0 - v)),
    "relu": (lambda x, c: max(x, 0.0), lambda x, v, c: 1.0 if x > 0 else 0.0),
    "abs": (lambda x, c: abs(x), lambda x, v, c: float((x > 0) - (x < 0))),
    "scale": (lambda x, c: c * x, lambda x, v, c: c),
    "offset": (lambda x, c: x + c, lambda x, v, c: 1.0),
    "powc": (lambda x, c: math.pow(x, c), lambda x, v, c: c * math.pow(x, c - 1.0)),
}
