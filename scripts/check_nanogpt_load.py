#!/usr/bin/env python3
"""Loads one of our gpt model files into nanoGPT's own GPT class (nanogpt_model.py) and checks
that it is the same model: load_state_dict(strict=False) may only miss the causal-mask buffers
(transformer.h.{i}.attn.bias) and lm_head.weight (tied to transformer.wte.weight, so stored once),
no key may be unexpected, and nanoGPT's next-character probabilities after a prime must match
`rnn predict`'s.

  /usr/bin/python3 scripts/check_nanogpt_load.py MODEL.safetensors [--prime TEXT] [--text FILE [--held-out 0.05]]

With --text, nanoGPT's model also judges the last --held-out of that text (the part rnn train
holds out) in non-overlapping windows of the block size, each predicted from its own start
(`rnn eval --held-out 0.05` computes the same number).

Our writer reads at most a block: when the block is full it keeps the last block_size/2
characters and reads on from them (docs/model.md); the same rule picks the context nanoGPT reads
here. Exit code 0 when everything matches.
"""
import argparse
import json
import os
import subprocess
import sys

import torch

import safetensors_file
from nanogpt_model import GPT, GPTConfig

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def context_after(symbols, block_size):
    """What our writer holds after reading `symbols`: the keep-half rule at the block's limit."""
    held = []
    for s in symbols:
        if len(held) == block_size:
            held = held[block_size - block_size // 2:]
        held.append(s)
    return held


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("--prime", default="ROMEO:\nWhat says my lord?")
    p.add_argument("--text", help="also measure the held-out loss on this text")
    p.add_argument("--held-out", type=float, default=0.05)
    a = p.parse_args()
    tensors, meta = safetensors_file.read(a.model)
    assert meta.get("cell") == "gpt", "not a gpt model file: cell is %r" % meta.get("cell")
    vocab = json.loads(meta["vocab"])
    config = GPTConfig(block_size=int(meta["block_size"]), vocab_size=len(vocab), n_layer=int(meta["n_layer"]),
                       n_head=int(meta["n_head"]), n_embd=int(meta["n_embd"]), dropout=0.0, bias=meta["bias"] == "True")
    model = GPT(config).double().eval()
    result = model.load_state_dict(tensors, strict=False)
    allowed = {"transformer.h.%d.attn.bias" % i for i in range(config.n_layer)} | {"lm_head.weight"}
    assert set(result.missing_keys) <= allowed, "missing keys: %s" % sorted(set(result.missing_keys) - allowed)
    assert not result.unexpected_keys, "unexpected keys: %s" % result.unexpected_keys
    assert torch.equal(model.lm_head.weight, tensors["transformer.wte.weight"]), "lm_head is tied to wte"

    stoi = {s: i for i, s in enumerate(vocab)}
    ids = [stoi[c] for c in a.prime if c in stoi]
    held = context_after(ids, config.block_size)
    with torch.no_grad():
        logits, _ = model(torch.tensor([held]))
    torch_probs = torch.softmax(logits[0, -1], dim=-1)

    out = subprocess.run([os.path.join(ROOT, "rnn"), "predict", "--model", a.model, "--prime", a.prime,
                          "--top", str(len(vocab))], check=True, capture_output=True, text=True).stdout
    java = {c["symbol"]: c["probability"] for c in json.loads(out)["candidates"]}
    worst = max(abs(java.get(s, 0.0) - torch_probs[i].item()) for i, s in enumerate(vocab))
    print("loaded into nanoGPT's GPT: %d tensors, missing only %s; context %d of %d characters;"
          " max |p_java - p_nanogpt| = %.2e" % (len(tensors), sorted(result.missing_keys), len(held), len(ids), worst))
    if worst > 1e-12:   # both sides compute in float64 from the same stored values
        print("MISMATCH beyond 1e-12")
        return 1
    if a.text:
        print("nanoGPT's held-out loss: %.4f nats/char over the last %g of %s" % (held_out_loss(model, stoi, config, a), a.held_out, a.text))
    return 0


def held_out_loss(model, stoi, config, a):
    """Mean cross-entropy over the last held_out of the text's known symbols, window by window."""
    with open(a.text, encoding="utf-8") as f:
        ids = [stoi[c] for c in f.read() if c in stoi]
    ids = ids[len(ids) - int(len(ids) * a.held_out):]
    total, count, T = 0.0, 0, config.block_size
    with torch.no_grad():
        for start in range(0, len(ids) - 1, T):
            x = torch.tensor([ids[start:start + T]])
            y = torch.tensor([ids[start + 1:start + T + 1]])
            x = x[:, :y.shape[1]]
            logits, _ = model(x, y)
            total += torch.nn.functional.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1), reduction="sum").item()
            count += y.numel()
    return total / count


if __name__ == "__main__":
    sys.exit(main())
