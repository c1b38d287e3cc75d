#!/usr/bin/env python3
"""Golden values for OptimizerTest: our optimizers must follow torch.optim step for step.

Three scalar parameters start at W0 and receive the same hand-picked gradient sequence GRADS
(one gradient is 0, to exercise the eps terms; one is large, one tiny). For each optimizer,
with torch's default hyperparameters and the learning rate given in LEARNING_RATES, the
parameter values after every step are written to optimizer_golden.json (float64).

Run with Debian's PyTorch:  /usr/bin/python3 make_optimizer_golden.py
"""
import json
import os

import torch

W0 = [0.5, -1.0, 2.0]
GRADS = [
    [0.1, -0.2, 0.3],
    [-0.4, 0.5, 0.0],
    [0.25, 0.25, -1.5],
    [1e-3, -2.0, 0.7],
    [0.0, 3.0, 0.05],
]
LEARNING_RATES = {"sgd": 0.1, "adagrad": 0.1, "rmsprop": 0.01, "adam": 0.01, "adamw": 0.01}
# AdamW with nanoGPT's Shakespeare settings; the three values are one weight matrix (1 x 3),
# which decays (our AdamW, as nanoGPT's configure_optimizers, decays matrices only).
EXTRA = {"adamw": {"betas": (0.9, 0.99), "weight_decay": 0.1}}
OPTIMIZERS = {
    "sgd": torch.optim.SGD,
    "adagrad": torch.optim.Adagrad,
    "rmsprop": torch.optim.RMSprop,
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
}
HERE = os.path.dirname(os.path.abspath(__file__))


def trajectory(name):
    w = torch.tensor(W0, dtype=torch.float64, requires_grad=True)
    opt = OPTIMIZERS[name]([w], lr=LEARNING_RATES[name], **EXTRA.get(name, {}))
    out = []
    for g in GRADS:
        opt.zero_grad()
        w.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        out.append(w.detach().tolist())
    defaults = {k: v for k, v in opt.defaults.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    record = {"lr": LEARNING_RATES[name], "torch_defaults": defaults, "after_each_step": out}
    if name in EXTRA:
        record["beta2"] = EXTRA[name]["betas"][1]
        record["weight_decay"] = EXTRA[name]["weight_decay"]
    return record


if __name__ == "__main__":
    record = {
        "origin": "make_optimizer_golden.py with torch %s, float64" % torch.__version__,
        "w0": W0,
        "grads": GRADS,
    }
    for name in OPTIMIZERS:
        record[name] = trajectory(name)
    with open(os.path.join(HERE, "optimizer_golden.json"), "w") as f:
        json.dump(record, f, indent=1)
        f.write("\n")
