#!/usr/bin/env python3
"""Golden values for PyTorchGoldenTest: the Java CharRnn must match torch.nn.RNN/LSTM/GRU.

For each cell (rnn, lstm, gru) and 1 or 2 layers this builds, in float64,

    model   = nn.<Cell>(V, H, L, batch_first=True) + decoder nn.Linear(H, V)
    logits  = decoder(model(one_hot(inputs), zeros)[0])             (B, T, V)
    loss    = cross_entropy(logits, targets), mean over B*T, nats

and writes two files next to this script:

    <cell>_l<L>.safetensors  the weights, F64, in the RNN Playground model format (written by hand
                             with struct + json, so the Java reader is checked against an
                             independent writer, not against itself)
    <cell>_l<L>.json         inputs, targets, logits, loss, final h (and c), and the gradient of
                             every parameter after loss.backward()

Run with Debian's PyTorch:  apt-get install -y python3-torch && /usr/bin/python3 make_golden.py
Deterministic: the same torch version gives the same bytes.
"""
import json
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

TEXT = "a bad cab"                    # vocabulary: ' ', 'a', 'b', 'c', 'd'
VOCAB = sorted(set(TEXT))             # sorted code points, as dev.rnnplayground.core.Vocab.of(TEXT)
HIDDEN = 4
BATCH_OFFSETS = [0, 5]                # stream b reads TEXT[offset : offset + STEPS]
STEPS = 3
SEED = 42
CELLS = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
HERE = os.path.dirname(os.path.abspath(__file__))


def write_safetensors(path, tensors, metadata):
    """safetensors by hand: u64 LE header length, JSON header padded with spaces to 8, F64 data."""
    header = {"__metadata__": metadata}
    data = bytearray()
    for name, t in tensors:
        values = t.detach().reshape(-1).tolist()
        begin = len(data)
        data += struct.pack("<%dd" % len(values), *values)
        header[name] = {"dtype": "F64", "shape": list(t.shape), "data_offsets": [begin, len(data)]}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + bytes(data))


def golden(cell, layers):
    torch.manual_seed(SEED)
    vocab_size = len(VOCAB)
    rnn = CELLS[cell](vocab_size, HIDDEN, layers, batch_first=True).double()
    decoder = nn.Linear(HIDDEN, vocab_size).double()

    ids = [[VOCAB.index(ch) for ch in TEXT[o:o + STEPS + 1]] for o in BATCH_OFFSETS]
    inputs = torch.tensor([row[:-1] for row in ids])             # (B, T)
    targets = torch.tensor([row[1:] for row in ids])             # (B, T)
    x = F.one_hot(inputs, vocab_size).double()                   # (B, T, V)
    h0 = torch.zeros(layers, len(BATCH_OFFSETS), HIDDEN, dtype=torch.float64)
    state = (h0, h0.clone()) if cell == "lstm" else h0

    output, final = rnn(x, state)                                # (B, T, H)
    logits = decoder(output)                                     # (B, T, V)
    loss = F.cross_entropy(logits.reshape(-1, vocab_size), targets.reshape(-1))
    loss.backward()

    params = [("rnn." + n, p) for n, p in rnn.named_parameters()]
    params += [("decoder." + n, p) for n, p in decoder.named_parameters()]
    h_n, c_n = final if cell == "lstm" else (final, None)

    name = "%s_l%d" % (cell, layers)
    write_safetensors(os.path.join(HERE, name + ".safetensors"), params, {
        "format": "rnn-playground",
        "format_version": "1",
        "cell": cell,
        "hidden_size": str(HIDDEN),
        "num_layers": str(layers),
        "vocab": json.dumps(VOCAB),
    })
    record = {
        "origin": "make_golden.py with torch %s, seed %d, float64" % (torch.__version__, SEED),
        "text": TEXT,
        "vocab": VOCAB,
        "cell": cell,
        "hidden_size": HIDDEN,
        "num_layers": layers,
        "inputs": inputs.tolist(),
        "targets": targets.tolist(),
        "logits": logits.tolist(),
        "loss": loss.item(),
        "h_n": h_n.tolist(),
        "c_n": None if c_n is None else c_n.tolist(),
        "gradients": {n: p.grad.reshape(-1).tolist() for n, p in params},
    }
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        f.write(one_key_per_line(record))


def one_key_per_line(record):
    """JSON with each top-level key (and each gradient) on its own line: diffable, still compact."""
    def entries(d, indent):
        return ",\n".join("%s%s: %s" % (indent, json.dumps(k), v if isinstance(v, str) and v.startswith("{\n")
                                         else json.dumps(v)) for k, v in d.items())
    grads = "{\n" + entries(record["gradients"], "  ") + "\n }"
    top = dict(record, gradients=grads)
    return "{\n" + entries(top, " ") + "\n}\n"


if __name__ == "__main__":
    for cell in CELLS:
        for layers in (1, 2):
            golden(cell, layers)
