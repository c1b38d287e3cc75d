#!/usr/bin/env python3
"""Scores an rnn-playground RNN/LSTM/GRU .safetensors model on the held-out end of a text with plain
torch.nn modules: the mean cross-entropy (nats/char) of predicting each character of the last
FRACTION of the text from the ones before it, the state carried from a zero state at its start.

    /usr/bin/python3 scripts/pytorch_eval.py MODEL.safetensors TEXT [FRACTION]   # default 0.05

The same split and the same score as `./rnn eval --model MODEL --text TEXT --held-out FRACTION`
(core's Evaluator): an independent check of the figure the docs quote for a shipped model.
"""
import json, sys, torch
from safetensors_file import read

tensors, meta = read(sys.argv[1])
text = open(sys.argv[2], encoding="utf-8").read()
fraction = float(sys.argv[3]) if len(sys.argv) > 3 else 0.05
vocab, H, L = json.loads(meta["vocab"]), int(meta["hidden_size"]), int(meta["num_layers"])
rnn = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[meta["cell"]](len(vocab), H, L).double()
decoder = torch.nn.Linear(H, len(vocab)).double()
rnn.load_state_dict({k[4:]: v for k, v in tensors.items() if k.startswith("rnn.")})
decoder.load_state_dict({k[8:]: v for k, v in tensors.items() if k.startswith("decoder.")})

ids = [vocab.index(c) for c in text]                  # a character the model does not know fails here
held = torch.tensor(ids[len(ids) - int(len(ids) * fraction):])
with torch.no_grad():
    out, _ = rnn(torch.nn.functional.one_hot(held[:-1], len(vocab)).double())
    loss = torch.nn.functional.cross_entropy(decoder(out), held[1:]).item()
print(f"{len(held) - 1} predictions, held-out loss {loss:.4f} nats/char")
