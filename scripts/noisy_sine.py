#!/usr/bin/env python3
"""Writes a noisy-sine regression data set for an `mlp` circuit with one input and one output:
columns x0 (uniform in [-1, 1]) and y0 = 0.5 + 0.4·sin(3·x0) + noise (Gaussian, σ = --noise),
from a seeded generator (standard library only).

    noisy_sine.py --samples 256 --seed 7 --noise 0.01 --output sine.csv
"""
import argparse
import math
import random
import sys


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=256)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--noise", type=float, default=0.01)
    ap.add_argument("--output", required=True)
    a = ap.parse_args(argv)
    r = random.Random(a.seed)
    with open(a.output, "w", encoding="utf-8") as f:
        f.write("x0,y0\n")
        for _ in range(a.samples):
            x = r.uniform(-1, 1)
            f.write(f"{x!r},{0.5 + 0.4 * math.sin(3 * x) + r.gauss(0, a.noise)!r}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
