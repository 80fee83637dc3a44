#!/usr/bin/env python3
"""Generates Sources/CVecMath/pow_tables.h, the constants of pow.c's pow (see
docs/vector-math.md): a 128-entry table for log (1/c and −log(1/c) in two doubles), a 32-entry
table of 2^(j/32) for exp (the double nearest and its relative tail), the split constants ln 2
and ln 2 / 32, and the two polynomials, fitted here at Chebyshev nodes in 200-bit arithmetic.

Usage: scripts/lib/pow_tables.py [--check]   (needs mpmath; --check only prints the error bounds)
The output is deterministic: running it again must leave the header unchanged.
"""
import argparse, os, struct, sys

import mpmath

mp = mpmath.mp
mp.prec = 200

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Sources", "CVecMath", "pow_tables.h")

LOG_BITS = 7                     # 128 subintervals of one binade
EXP_BITS = 5                     # 2^(j/32): 32 entries, four 512-bit registers a table
LOG_POLY_DEGREE = 5              # P(r) ≈ (log1p(r) − r + r²/2) / r³
EXP_POLY_DEGREE = 4              # S(r) ≈ (exp(r) − 1 − r) / r²


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def from_bits(u):
    return struct.unpack("<d", struct.pack("<Q", u))[0]


def d(x):
    """x rounded to the nearest double."""
    return float(mpmath.mpf(x))


def hexf(x):
    return float.hex(x)


def round_bits(x, keep):
    """x rounded to `keep` significant bits (a double whose low bits are zero)."""
    m, e = mpmath.frexp(mpmath.mpf(x))
    return float(mpmath.ldexp(mpmath.nint(mpmath.ldexp(m, keep)), e - keep))


def chebyshev_fit(f, lo, hi, degree):
    """Monomial coefficients of the polynomial interpolating f at degree+1 Chebyshev nodes of
    [lo, hi], rounded to doubles (close to the minimax polynomial for these smooth functions)."""
    n = degree + 1
    xs = [(lo + hi) / 2 + (hi - lo) / 2 * mpmath.cos(mpmath.pi * (2 * k + 1) / (2 * n)) for k in range(n)]
    m = mpmath.matrix([[x ** j for j in range(n)] for x in xs])
    c = mpmath.lu_solve(m, mpmath.matrix([f(x) for x in xs]))
    return [d(c[j]) for j in range(n)]


def horner(coeffs, x):
    acc = mpmath.mpf(0)
    for c in reversed(coeffs):
        acc = acc * x + c
    return acc


def log_table():
    """The reduction z = a / 2^k with z in [v, 2v): z's bits minus OFF give the subinterval
    (top 7 bits) and k (the sign-extended exponent field). OFF puts 1.0 two thirds into its
    subinterval (counted in bits), so that the subinterval, whose part above 1 is twice as wide
    in value as the part below, reaches equally far on both sides of 1."""
    step = 1 << (52 - LOG_BITS)
    off = bits(1.0) - (75 * step + (2 * step) // 3)
    off &= ~((1 << 32) - 1)
    rows, rmax = [], mpmath.mpf(0)
    one_index = (bits(1.0) - off) >> (52 - LOG_BITS)
    for i in range(1 << LOG_BITS):
        z0 = mpmath.mpf(from_bits(off + i * step))
        z1 = mpmath.mpf(from_bits(off + (i + 1) * step - 1))
        invc = 1.0 if i == one_index else d(2 / (z0 + z1))
        logc = -mpmath.log(invc)
        # hi a multiple of 2^-42, as k·ln2_hi is: their sum, below 2^10, is exact.
        hi = float(mpmath.nint(logc * 2 ** 42) / 2 ** 42)
        lo = d(logc - hi)
        rmax = max(rmax, abs(z0 * invc - 1), abs(z1 * invc - 1))
        rows.append((invc, hi, lo))
    return off, one_index, rows, rmax


def exp_table():
    rows = []
    for j in range(1 << EXP_BITS):
        t = mpmath.power(2, mpmath.mpf(j) / (1 << EXP_BITS))
        hi = d(t)
        rows.append((hi, d((t - hi) / hi)))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="print the error bounds, write nothing")
    args = parser.parse_args()

    off, one_index, logs, rmax = log_table()
    ln2 = mpmath.log(2)
    ln2_hi = round_bits(ln2, 42)                   # a multiple of 2^-42; k·ln2_hi is exact for |k| < 2^11
    ln2_lo = d(ln2 - ln2_hi)
    rlog = rmax * (1 + mpmath.mpf(2) ** -40)
    # (Near 0, where a node of an odd count falls, the series: the quotient would cancel.)
    P = chebyshev_fit(lambda r: (mpmath.log1p(r) - r + r * r / 2) / r ** 3 if abs(r) > 2 ** -40
                      else mpmath.mpf(1) / 3 - r / 4 + r * r / 5, -rlog, rlog, LOG_POLY_DEGREE)

    n = 1 << EXP_BITS
    inv_ln2_n = d(n / ln2)
    ln2_n = ln2 / n
    ln2_n_hi = round_bits(ln2_n, 35)               # k·ln2_n_hi is exact for |k| < 2^18
    ln2_n_lo = d(ln2_n - ln2_n_hi)
    rexp = ln2_n / 2 * (1 + mpmath.mpf(2) ** -8)   # |r| after the reduction, with slack for elo
    S = chebyshev_fit(lambda r: (mpmath.exp(r) - 1 - r) / r ** 2 if abs(r) > 2 ** -40
                      else mpmath.mpf(1) / 2 + r / 6 + r * r / 24, -rexp, rexp, EXP_POLY_DEGREE)
    exps = exp_table()

    # Error bounds of the polynomials (exact arithmetic on the double coefficients), sampled.
    grid = [rlog * (2 * mpmath.mpf(k) / 4000 - 1) for k in range(4001)]
    log_err = max(abs(r + (-r * r / 2) + r ** 3 * horner(P, r) - mpmath.log1p(r)) / abs(mpmath.log1p(r))
                  for r in grid if r != 0)
    grid = [rexp * (2 * mpmath.mpf(k) / 4000 - 1) for k in range(4001)]
    exp_err = max(abs(1 + r + r * r * horner(S, r) - mpmath.exp(r)) / mpmath.exp(r) for r in grid)
    report = (f"log: |r| <= {mpmath.nstr(rmax, 6)} (2^{mpmath.nstr(mpmath.log(rmax, 2), 4)}), polynomial "
              f"relative error 2^{mpmath.nstr(mpmath.log(log_err, 2), 4)}; exp: |r| <= {mpmath.nstr(rexp, 6)}, "
              f"polynomial relative error 2^{mpmath.nstr(mpmath.log(exp_err, 2), 4)}")
    print(report, file=sys.stderr)
    if args.check:
        return

    out = []
    w = out.append
    w("// Generated by scripts/lib/pow_tables.py: do not edit. The constants of pow.c's pow.")
    w(f"// {report}")
    w("#ifndef CVECMATH_POW_TABLES_H")
    w("#define CVECMATH_POW_TABLES_H")
    w("#include <stdint.h>")
    w("")
    w(f"#define POW_LOG_BITS {LOG_BITS}")
    w(f"/// Subtracted from a's bits: the top {LOG_BITS} mantissa bits of the difference pick the subinterval,")
    w("/// its exponent field is k; z = a / 2^k lies in [v, 2v) with v the double of these bits.")
    w(f"#define POW_LOG_OFF 0x{off:016X}ull")
    w(f"/// Subinterval {one_index} holds 1.0: its 1/c is 1 and its log 0, so log a = log1p(a − 1) there.")
    w(f"static const double pow_ln2_hi = {hexf(ln2_hi)}, pow_ln2_lo = {hexf(ln2_lo)};")
    w("/// log1p(r) = r − r²/2 + r³·P(r), P's coefficients from r⁰ up.")
    w("static const double pow_log_poly[] = {" + ", ".join(hexf(c) for c in P) + "};")
    w("/// Per subinterval, 32 bytes (one load of 256 bits): 1/c, −log(1/c) as hi (a multiple of 2^−42) + lo, and 0.")
    w(f"static const double pow_log_tab[{4 * len(logs)}] __attribute__((aligned(64))) = {{")
    for row in logs:
        w("    " + ", ".join(hexf(v) for v in row) + ", 0.0,")
    w("};")
    w("")
    w(f"#define POW_EXP_BITS {EXP_BITS}")
    w(f"static const double pow_exp_inv_ln2_n = {hexf(inv_ln2_n)}, pow_exp_shift = 0x1.8p52;")
    w(f"static const double pow_exp_ln2_n_hi = {hexf(ln2_n_hi)}, pow_exp_ln2_n_lo = {hexf(ln2_n_lo)};")
    w("/// exp(r) = 1 + r + r²·S(r), S's coefficients from r⁰ up.")
    w("static const double pow_exp_poly[] = {" + ", ".join(hexf(c) for c in S) + "};")
    w(f"/// Per j: the double nearest 2^(j/{n}), and (2^(j/{n}) − that) / that.")
    for name, k in (("pow_exp_hi", 0), ("pow_exp_tail", 1)):
        w(f"static const double {name}[{len(exps)}] __attribute__((aligned(64))) = {{")
        for s in range(0, len(exps), 4):
            w("    " + ", ".join(hexf(row[k]) for row in exps[s:s + 4]) + ",")
        w("};")
    w("")
    w("#endif")
    with open(OUT, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
