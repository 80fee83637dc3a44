#!/usr/bin/env python3
"""Reads a binary circuit file (.cgb, version 1) and prints it as .circuit text.

An independent reader written from docs/format-binary.md alone (it shares no code with
CircuitGrad, XXH64 included), so the tests can check that the documented layout is the one
the Swift writer produces. Usage: python3 scripts/cgb_to_text.py FILE.cgb > FILE.circuit
"""
import struct
import sys

MAGIC = b"\x89CGB\r\n\x1a\n"
OPS = ["add", "sub", "mul", "div", "neg", "recip", "square", "sqrt", "exp", "log", "sin", "cos",
       "tanh", "sigmoid", "relu", "abs", "max", "min", "pow", "scale", "offset", "powc", "const"]
TAKES_NUMBER = {"scale", "offset", "powc", "const"}
M64 = (1 << 64) - 1
P1, P2, P3, P4, P5 = (0x9E3779B185EBCA87, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                      0x85EBCA77C2B2AE63, 0x27D4EB2F165667C5)


def rotl(x, r):
    return ((x << r) | (x >> (64 - r))) & M64


def xxh64(data, seed=0):
    """XXH64 as specified at https://github.com/Cyan4973/xxHash (xxhash_spec.md)."""
    def rnd(acc, lane):
        return (rotl((acc + lane * P2) & M64, 31) * P1) & M64

    n, p = len(data), 0
    if n >= 32:
        v = [(seed + P1 + P2) & M64, (seed + P2) & M64, seed, (seed - P1) & M64]
        while p + 32 <= n:
            for i in range(4):
                v[i] = rnd(v[i], struct.unpack_from("<Q", data, p + 8 * i)[0])
            p += 32
        h = (rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18)) & M64
        for x in v:
            h = ((h ^ rnd(0, x)) * P1 + P4) & M64
    else:
        h = (seed + P5) & M64
    h = (h + n) & M64
    while p + 8 <= n:
        h ^= rnd(0, struct.unpack_from("<Q", data, p)[0])
        h = (rotl(h, 27) * P1 + P4) & M64
        p += 8
    if p + 4 <= n:
        h ^= (struct.unpack_from("<I", data, p)[0] * P1) & M64
        h = (rotl(h, 23) * P2 + P3) & M64
        p += 4
    while p < n:
        h ^= (data[p] * P5) & M64
        h = (rotl(h, 11) * P1) & M64
        p += 1
    h ^= h >> 33
    h = (h * P2) & M64
    h ^= h >> 29
    h = (h * P3) & M64
    return h ^ (h >> 32)


def number(x):
    return "inf" if x == float("inf") else "-inf" if x == float("-inf") else repr(x)


def to_text(data):
    if data[:8] != MAGIC:
        raise ValueError("not a binary circuit file")
    version, flags = struct.unpack_from("<II", data, 8)
    if version != 1 or flags != 0:
        raise ValueError(f"version {version}, flags {flags}")
    (I, P, N, A, K, S, Sw, O, E, B, output, payload_bytes) = struct.unpack_from("<12Q", data, 16)
    payload_sum, header_sum = struct.unpack_from("<QQ", data, 112)
    if xxh64(data[:120]) != header_sum or xxh64(data[128:]) != payload_sum:
        raise ValueError("checksum mismatch")
    if len(data) != 128 + payload_bytes:
        raise ValueError("size mismatch")
    V = I + P + N
    sizes = [("params", "d", P), ("numbers", "d", K), ("argstart", "I", N + 1), ("args", "I", A),
             ("sources", "I", S), ("outstart", "I", S + 1), ("ops", "B", N), ("lengths", "B", V + E)]
    at, sec = 128, {}
    for name, fmt, count in sizes:
        sec[name] = list(struct.unpack_from(f"<{count}{fmt}", data, at))
        at += (struct.calcsize(f"<{count}{fmt}") + 7) // 8 * 8
    names, p = [], at
    for length in sec["lengths"]:
        names.append(data[p:p + length].decode("ascii"))
        p += length
    # A wire's file name: its own, or (an inserted splitter's output) the wire it copies.
    splitter_of = {}
    for s in range(S):
        for w in range(V + sec["outstart"][s], V + sec["outstart"][s + 1]):
            splitter_of[w] = s

    def file_name(w):
        while w >= V + E:
            w = sec["sources"][splitter_of[w]]
        return names[w]

    lines = ["circuit 1"]
    if I:
        lines.append("input " + " ".join(names[:I]))
    for k in range(P):
        lines.append(f"param {names[I + k]} {number(sec['params'][k])}")
    numbers = iter(sec["numbers"])
    for n in range(N):
        op = OPS[sec["ops"][n]]
        args = [file_name(w) for w in sec["args"][sec["argstart"][n]:sec["argstart"][n + 1]]]
        tail = [number(next(numbers))] if op in TAKES_NUMBER else []
        lines.append(" ".join([names[I + P + n], "=", op] + args + tail))
    for s in range(Sw):
        outs = names[V + sec["outstart"][s]:V + sec["outstart"][s + 1]]
        lines.append(" ".join(outs + ["=", "split", file_name(sec["sources"][s])]))
    lines.append("output " + file_name(output))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as f:
        sys.stdout.write(to_text(f.read()))
