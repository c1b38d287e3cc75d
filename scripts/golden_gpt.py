#!/usr/bin/env python3
"""The GPT goldens: nanoGPT's GPT (nanogpt_model.py) in float64, with and without biases, its
weights written to our model format by hand (safetensors_file.py), and next to them the loss,
every parameter's gradient and the next-symbol probabilities PyTorch computed for one batch of
windows. GptGoldenTest compares the Java Gpt with them. Also erf.json: Python's math.erf (the C
library's) at points from the tails through 0, for ErfTest.

  /usr/bin/python3 scripts/golden_gpt.py      (writes core/src/test/resources/golden/gpt_*.{safetensors,json})
"""
import json
import math
import os

import torch
import torch.nn.functional as F

import safetensors_file
from nanogpt_model import GPT, GPTConfig

OUT = os.path.join(os.path.dirname(__file__), "..", "core", "src", "test", "resources", "golden")
VOCAB = list("abcdefghijk")   # V = 11
BATCH = 2


def golden(bias, name):
    torch.manual_seed(1234 if bias else 4321)
    config = GPTConfig(block_size=8, vocab_size=len(VOCAB), n_layer=2, n_head=2, n_embd=16, dropout=0.0, bias=bias)
    model = GPT(config).double()
    # larger and varied weights than nanoGPT's start, so that attention is far from uniform and
    # every LayerNorm weight and bias matters
    with torch.no_grad():
        for pn, p in model.named_parameters():
            if "ln_" in pn and pn.endswith("weight"):
                p.copy_(1 + 0.2 * torch.randn_like(p))
            else:
                p.copy_(0.3 * torch.randn_like(p))
    inputs = torch.randint(len(VOCAB), (BATCH, config.block_size))
    targets = torch.randint(len(VOCAB), (BATCH, config.block_size))
    logits, loss = model(inputs, targets)
    loss.backward()
    params = dict(model.named_parameters())   # lm_head.weight is wte's tensor, listed once
    metadata = {"format": "rnn-playground", "format_version": "1", "cell": "gpt",
                "n_layer": str(config.n_layer), "n_head": str(config.n_head), "n_embd": str(config.n_embd),
                "block_size": str(config.block_size), "bias": str(config.bias),
                "vocab_size": str(len(VOCAB)), "vocab": json.dumps(VOCAB)}
    safetensors_file.write(os.path.join(OUT, name + ".safetensors"), params, metadata)
    record = {
        "source": "scripts/golden_gpt.py, torch " + torch.__version__ + ", float64",
        "inputs": inputs.tolist(),
        "targets": targets.tolist(),
        "loss": loss.item(),
        "probabilities": F.softmax(logits, dim=-1).tolist(),   # (B, T, V)
        "gradients": {pn: p.grad.flatten().tolist() for pn, p in params.items()},
    }
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(record, f)
        f.write("\n")


def erf_points():
    xs = [0.0, 5e-324, 1e-310, 1e-300, 1e-20, 2.0 ** -28, 3e-9, 1e-5, 0.1, 0.5, 0.84375, 1.0, 1.25, 2.0,
          1 / 0.35, 2.857142857142857, 2.8571434, 3.0, 4.0, 5.5, 5.999, 6.0, 7.0, 27.0, 40.0]
    xs += [-4 + i * 0.0137 for i in range(600)]   # a dense sweep of [-4, 4.2)
    xs += [-x for x in xs]
    with open(os.path.join(OUT, "erf.json"), "w") as f:
        json.dump({"source": "scripts/golden_gpt.py, Python math.erf", "x": xs, "erf": [math.erf(x) for x in xs]}, f)
        f.write("\n")


if __name__ == "__main__":
    erf_points()
    golden(True, "gpt_bias")
    golden(False, "gpt_nobias")
