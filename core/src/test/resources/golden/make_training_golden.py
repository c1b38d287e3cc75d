#!/usr/bin/env python3
"""Golden values for TrainingGoldenTest: the Java Trainer must follow a char-rnn training loop
written in PyTorch, step for step.

For each case this builds a float64 nn.<Cell> + nn.Linear decoder (torch.manual_seed), writes its
initial weights as <case>_init.safetensors (our model format, via make_golden.write_safetensors),
and trains it the way char-rnn's train.lua does:

    B contiguous streams of n = (N-1)//B symbols; each window takes the next T of every stream;
    when fewer than T are left, the position wraps to 0 and the carried state is reset to zero;
    forward from the carried state, mean cross-entropy, backward;
    the carried state moves on, detached (truncated BPTT);
    clip_grad_norm_ or clip_grad_value_; then one step of torch.optim.<Optimizer>.

<case>_training.json holds the config, the loss and gradient norm (before clipping) of every
step, and every parameter after the last step.

Run with Debian's PyTorch:  /usr/bin/python3 make_training_golden.py
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

from make_golden import CELLS, write_safetensors

HERE = os.path.dirname(os.path.abspath(__file__))
TEXT = "the quick brown fox jumps over the lazy dog; the dog naps."
CASES = {
    # name: (cell, hidden, layers, T, B, optimizer, lr, clip, clip mode, steps, seed)
    "lstm_adam_norm": ("lstm", 5, 2, 6, 2, "adam", 0.02, 0.35, "norm", 9, 7),
    "gru_rmsprop_value": ("gru", 4, 1, 7, 3, "rmsprop", 0.01, 0.05, "value", 8, 8),
    "rnn_adagrad_off": ("rnn", 6, 2, 5, 1, "adagrad", 0.1, 0.0, "norm", 14, 9),
}
OPTIMIZERS = {"sgd": torch.optim.SGD, "adagrad": torch.optim.Adagrad,
              "rmsprop": torch.optim.RMSprop, "adam": torch.optim.Adam}


def train(name, cell, hidden, layers, steps_t, batch, optimizer, lr, clip, clip_mode, steps, seed):
    vocab = sorted(set(TEXT))
    data = [vocab.index(ch) for ch in TEXT]
    torch.manual_seed(seed)
    rnn = CELLS[cell](len(vocab), hidden, layers, batch_first=True).double()
    decoder = nn.Linear(hidden, len(vocab)).double()
    params = [("rnn." + n, p) for n, p in rnn.named_parameters()]
    params += [("decoder." + n, p) for n, p in decoder.named_parameters()]
    write_safetensors(os.path.join(HERE, name + "_init.safetensors"), params, {
        "format": "rnn-playground", "format_version": "1", "cell": cell,
        "hidden_size": str(hidden), "num_layers": str(layers), "vocab": json.dumps(vocab),
    })

    opt = OPTIMIZERS[optimizer]([p for _, p in params], lr=lr)
    stream_length = (len(data) - 1) // batch
    position = 0
    zeros = torch.zeros(layers, batch, hidden, dtype=torch.float64)
    state = None
    losses, norms = [], []
    for _ in range(steps):
        if position + steps_t > stream_length:
            position = 0
        if position == 0:
            state = (zeros.clone(), zeros.clone()) if cell == "lstm" else zeros.clone()
        starts = [b * stream_length + position for b in range(batch)]
        inputs = torch.tensor([data[s:s + steps_t] for s in starts])
        targets = torch.tensor([data[s + 1:s + steps_t + 1] for s in starts])
        position += steps_t

        opt.zero_grad()
        output, final = rnn(F.one_hot(inputs, len(vocab)).double(), state)
        loss = F.cross_entropy(decoder(output).reshape(-1, len(vocab)), targets.reshape(-1))
        loss.backward()
        state = tuple(s.detach() for s in final) if cell == "lstm" else final.detach()
        norm = torch.sqrt(sum((p.grad ** 2).sum() for _, p in params))
        if clip > 0 and clip_mode == "norm":
            torch.nn.utils.clip_grad_norm_([p for _, p in params], clip)
        elif clip > 0:
            torch.nn.utils.clip_grad_value_([p for _, p in params], clip)
        opt.step()
        losses.append(loss.item())
        norms.append(norm.item())

    record = {
        "origin": "make_training_golden.py with torch %s, float64" % torch.__version__,
        "text": TEXT,
        "config": {"cell": cell, "hidden": hidden, "layers": layers, "seqLength": steps_t, "batchSize": batch,
                   "optimizer": optimizer, "lr": lr, "clip": clip, "clipMode": clip_mode, "steps": steps},
        "losses": losses,
        "gradient_norms": norms,
        "final": {n: p.detach().reshape(-1).tolist() for n, p in params},
    }
    with open(os.path.join(HERE, name + "_training.json"), "w") as f:
        json.dump(record, f)
        f.write("\n")


if __name__ == "__main__":
    for case, settings in CASES.items():
        train(case, *settings)
