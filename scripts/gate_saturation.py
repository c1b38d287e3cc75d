#!/usr/bin/env python3
"""Gate saturation of a shipped LSTM, recomputed outside Java with PyTorch's nn.LSTM equations
(a cross-check of ViewsReport's figures; docs/page.md, "Units that mean something").

Reads the .safetensors file directly, runs it from a zero state over the first 2,000 characters
of the held-out last 5% of a text, and prints per layer and gate the share of units that are
left-saturated (< 0.1) or right-saturated (> 0.9) more than half of the time (Karpathy, Johnson
and Fei-Fei 2015), with the gate's mean and the share of all unit-steps beyond each threshold.

    /usr/bin/python3 scripts/gate_saturation.py MODEL.safetensors TEXT [CHARS]
"""
import json, struct, sys
import numpy as np
import torch

def read_safetensors(path):
    raw = open(path, "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    body = raw[8 + n:]
    kinds = {"F32": np.float32, "F64": np.float64, "F16": np.float16}
    tensors = {}
    for name, t in header.items():
        a, b = t["data_offsets"]
        tensors[name] = torch.tensor(np.frombuffer(body[a:b], dtype=kinds[t["dtype"]]).reshape(t["shape"]).astype(np.float64))
    return tensors, meta

def main():
    model, text_path = sys.argv[1], sys.argv[2]
    chars = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    w, meta = read_safetensors(model)
    if meta["cell"] != "lstm": sys.exit("this script reads LSTM models only")
    vocab = json.loads(meta["vocab"]); index = {c: i for i, c in enumerate(vocab)}
    layers, hidden = int(meta["num_layers"]), int(meta["hidden_size"])
    text = open(text_path, encoding="utf-8").read()
    passage = text[len(text) - int(len(text) * 0.05):][:chars]
    h = [torch.zeros(hidden, dtype=torch.float64) for _ in range(layers)]
    c = [torch.zeros(hidden, dtype=torch.float64) for _ in range(layers)]
    gates = [[] for _ in range(layers)]
    with torch.no_grad():
        for ch in passage:
            if ch not in index: continue
            x = torch.zeros(len(vocab), dtype=torch.float64); x[index[ch]] = 1
            for l in range(layers):
                pre = (w[f"rnn.weight_ih_l{l}"] @ x + w[f"rnn.bias_ih_l{l}"]
                       + w[f"rnn.weight_hh_l{l}"] @ h[l] + w[f"rnn.bias_hh_l{l}"])
                i, f, g, o = pre.chunk(4)   # PyTorch's order
                i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
                c[l] = f * c[l] + i * g
                h[l] = o * torch.tanh(c[l])
                gates[l].append(torch.stack([i, f, o]))
                x = h[l]
    for l in range(layers):
        a = torch.stack(gates[l])   # steps x 3 x H
        for k, name in enumerate(["i (input)", "f (forget)", "o (output)"]):
            v = a[:, k]
            left = ((v < 0.1).double().mean(0) > 0.5).double().mean().item()
            right = ((v > 0.9).double().mean(0) > 0.5).double().mean().item()
            print(f"layer {l + 1} gate {name:11s} left-saturated {left:6.1%}  right-saturated {right:6.1%}"
                  f"  mean {v.mean():.3f}  unit-steps < 0.1 {(v < 0.1).double().mean():.1%}, > 0.9 {(v > 0.9).double().mean():.1%}")

if __name__ == "__main__":
    main()
