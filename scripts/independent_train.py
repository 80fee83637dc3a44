#!/usr/bin/env python3
"""An independent implementation of `circuitgrad train` without shuffling, for cross-checks.

Gradients come from scripts/independent_eval.py (its own parser and sweeps); the optimizer
updates are written here from their textbook definitions, in plain Python floats:

    sgd:       p <- p - lr * (g + wd * p)
    momentum:  v <- mu * v + (g + wd * p);  p <- p - lr * v
    nesterov:  v <- mu * v + (g + wd * p);  p <- p - lr * (mu * v + (g + wd * p))
    adam:      m <- b1 * m + (1 - b1) * g;  v <- b2 * v + (1 - b2) * g * g
               mhat = m / (1 - b1**t);  vhat = v / (1 - b2**t)
               p <- p - lr * (mhat / (sqrt(vhat) + eps) + wd * p)      (decoupled decay, AdamW)

where g is the minibatch's mean gradient (math.fsum of per-sample gradients / n), first
clipped to global norm `clip` when given (g <- g * clip / |g| when |g| > clip). Samples are
taken in file order in minibatches of --batch-size (default: all). Writes the final parameters
(`param,value`) and the loss per step (`step,epoch,loss`, the mean loss before the update).

    independent_train.py CIRCUIT --inputs DATA.csv --optimizer adam --lr 0.01 --epochs 20 \
        --params-out P.csv --loss-out L.csv
"""

import argparse
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import independent_eval as ie  # noqa: E402


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("circuit")
    ap.add_argument("--inputs", required=True)
    ap.add_argument("--optimizer", choices=["sgd", "momentum", "nesterov", "adam"], default="adam")
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--beta1", type=float, default=0.9)
    ap.add_argument("--beta2", type=float, default=0.999)
    ap.add_argument("--eps", type=float, default=1e-8)
    ap.add_argument("--momentum", type=float, default=0.9)
    ap.add_argument("--weight-decay", type=float, default=0.0)
    ap.add_argument("--clip", type=float)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch-size", type=int)
    ap.add_argument("--params-out", required=True)
    ap.add_argument("--loss-out", required=True)
    a = ap.parse_args(argv)

    c = ie.parse_circuit(a.circuit)
    g = ie.Graph(c)
    rows = ie.read_batch(a.inputs, c)
    names = [name for name, _ in c.params]
    p = [value for _, value in c.params]
    n_params = len(p)
    size = a.batch_size or len(rows)
    m = [0.0] * n_params
    v = [0.0] * n_params
    t = 0
    log = []
    for epoch in range(1, a.epochs + 1):
        for start in range(0, len(rows), size):
            batch = rows[start:start + size]
            losses, per_param = [], [[] for _ in range(n_params)]
            for row in batch:
                value, gradient = ie.evaluate_sample(g, row, p)
                losses.append(value)
                for k, name in enumerate(names):
                    per_param[k].append(gradient(name))
            n = len(batch)
            grad = [math.fsum(terms) / n for terms in per_param]
            if a.clip is not None:
                norm = math.sqrt(math.fsum(x * x for x in grad))
                if norm > a.clip:
                    grad = [x * a.clip / norm for x in grad]
            t += 1
            wd = a.weight_decay
            if a.optimizer == "adam":
                for k in range(n_params):
                    m[k] = a.beta1 * m[k] + (1 - a.beta1) * grad[k]
                    v[k] = a.beta2 * v[k] + (1 - a.beta2) * grad[k] * grad[k]
                    mhat = m[k] / (1 - a.beta1 ** t)
                    vhat = v[k] / (1 - a.beta2 ** t)
                    p[k] = p[k] - a.lr * (mhat / (math.sqrt(vhat) + a.eps) + wd * p[k])
            else:
                for k in range(n_params):
                    gk = grad[k] + wd * p[k]
                    if a.optimizer == "sgd":
                        p[k] = p[k] - a.lr * gk
                    else:
                        m[k] = a.momentum * m[k] + gk
                        step = m[k] if a.optimizer == "momentum" else a.momentum * m[k] + gk
                        p[k] = p[k] - a.lr * step
            log.append((t, epoch, math.fsum(losses) / n))
    with open(a.params_out, "w", encoding="utf-8") as f:
        f.write("param,value\n")
        for name, value in zip(names, p):
            f.write(f"{name},{ie.fmt(value)}\n")
    with open(a.loss_out, "w", encoding="utf-8") as f:
        f.write("step,epoch,loss\n")
        for step, epoch, loss in log:
            f.write(f"{step},{epoch},{ie.fmt(loss)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
