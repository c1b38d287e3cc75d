#!/usr/bin/env python3
"""The attending-LSTM goldens: the same model as core's attend.AttentiveLstm, written in PyTorch
float64 (nn.LSTM, then the attention over the last K top-layer states in plain torch, then
nn.Linear(2H, V) over [h_t; c_t]), for 1 and 2 layers. Two windows are read one after the other:
the first from nothing (fewer than K past states at its start: the attention is masked), the
second from the state the first left (h, c and the last K states carried). Written next to the
weights (our model format, by hand): both windows' inputs and targets, both losses and
next-symbol probabilities, the carried state after the first window, and every gradient of the
second window's loss (BPTT stops at the window's edge: the carried state is a constant).
AttentiveLstmGoldenTest compares the Java model with them.

  /usr/bin/python3 scripts/golden_attentive_lstm.py   (writes core/src/test/resources/golden/lstm_attention_l{1,2}.{safetensors,json})
"""
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

import safetensors_file

OUT = os.path.join(os.path.dirname(__file__), "..", "core", "src", "test", "resources", "golden")
VOCAB = list("abcdefg")   # V = 7
HIDDEN, ATTEND, STEPS, BATCH = 6, 3, 8, 2


class AttentiveLstm(nn.Module):
    """rnn = nn.LSTM(V, H, L); attn.query/key/value = nn.Linear(H, H, bias=False); decoder = nn.Linear(2H, V)."""

    def __init__(self, layers):
        super().__init__()
        self.rnn = nn.LSTM(len(VOCAB), HIDDEN, layers, batch_first=True)
        self.attn = nn.ModuleDict({m: nn.Linear(HIDDEN, HIDDEN, bias=False) for m in ("query", "key", "value")})
        self.decoder = nn.Linear(2 * HIDDEN, len(VOCAB))

    def forward(self, inputs, h, c, past, count):
        """inputs (B, T); h, c (L, B, H); past (B, K, H) oldest first; count (B) how many past states are real.
        Returns logits (B, T, V) and the carried state after the window."""
        top, (h, c) = self.rnn(F.one_hot(inputs, len(VOCAB)).double(), (h, c))    # (B, T, H)
        memory = torch.cat([past, top], dim=1)                                    # (B, K+T, H)
        q = self.attn["query"](top)
        k = self.attn["key"](memory)
        v = self.attn["value"](memory)
        scores = q @ k.transpose(1, 2) / math.sqrt(HIDDEN)                        # (B, T, K+T)
        t = torch.arange(STEPS).view(1, STEPS, 1)
        p = torch.arange(ATTEND + STEPS).view(1, 1, ATTEND + STEPS)
        # step t reads memory positions t .. K+t-1 (h_{t-K} .. h_{t-1}), the real ones only
        allowed = (p >= t) & (p < ATTEND + t) & (p >= ATTEND - count.view(-1, 1, 1))
        anything = allowed.any(dim=2, keepdim=True)                               # no past at all: c_t = 0
        scores = scores.masked_fill(~allowed, float("-inf")).masked_fill(~anything, 0.0)
        weights = F.softmax(scores, dim=2) * anything
        context = weights @ v                                                     # (B, T, H)
        logits = self.decoder(torch.cat([top, context], dim=2))
        new_past = memory[:, -ATTEND:, :]
        new_count = torch.clamp(count + STEPS, max=ATTEND)
        return logits, (h, c, new_past, new_count)


def golden(layers):
    torch.manual_seed(2017 + layers)
    model = AttentiveLstm(layers).double()
    with torch.no_grad():   # larger weights than PyTorch's start, so that attention is far from uniform
        for p in model.parameters():
            p.copy_(0.6 * torch.randn_like(p))
    first = torch.randint(len(VOCAB), (BATCH, STEPS + 1))
    second = torch.randint(len(VOCAB), (BATCH, STEPS))
    second_inputs = torch.cat([first[:, -1:], second[:, :-1]], dim=1)
    windows = [(first[:, :-1], first[:, 1:]), (second_inputs, second)]

    zeros = torch.zeros(layers, BATCH, HIDDEN, dtype=torch.float64)
    state = (zeros, zeros.clone(), torch.zeros(BATCH, ATTEND, HIDDEN, dtype=torch.float64),
             torch.zeros(BATCH, dtype=torch.long))
    losses, probabilities, carried = [], [], None
    for w, (inputs, targets) in enumerate(windows):
        model.zero_grad()
        logits, new_state = model(inputs, *state)
        loss = F.cross_entropy(logits.reshape(-1, len(VOCAB)), targets.reshape(-1))
        loss.backward()
        losses.append(loss.item())
        probabilities.append(F.softmax(logits, dim=-1).tolist())   # (B, T, V)
        state = tuple(s.detach() for s in new_state)                  # truncated BPTT: the carry is a constant
        if w == 0:
            h, c, past, count = state
            carried = {f"h_l{l}": h[l].flatten().tolist() for l in range(layers)}
            carried.update({f"c_l{l}": c[l].flatten().tolist() for l in range(layers)})
            carried["past"] = past.flip(1).flatten().tolist()          # (B, K*H), newest first
            carried["past_count"] = count.double().tolist()

    params = dict(model.named_parameters())
    name = f"lstm_attention_l{layers}"
    metadata = {"format": "rnn-playground", "format_version": "1", "cell": "lstm-attention",
                "hidden_size": str(HIDDEN), "num_layers": str(layers), "attend": str(ATTEND),
                "vocab_size": str(len(VOCAB)), "vocab": json.dumps(VOCAB)}
    safetensors_file.write(os.path.join(OUT, name + ".safetensors"), params, metadata)
    record = {
        "source": "scripts/golden_attentive_lstm.py, torch " + torch.__version__ + ", float64",
        "inputs": [i.tolist() for i, _ in windows],       # [window] (B, T)
        "targets": [t.tolist() for _, t in windows],
        "losses": losses,
        "probabilities": probabilities,                    # [window] (B, T, V)
        "carried_after_first": carried,
        "gradients": {n: p.grad.flatten().tolist() for n, p in params.items()},   # of the second window's loss
    }
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(record, f)
        f.write("\n")


if __name__ == "__main__":
    golden(1)
    golden(2)
