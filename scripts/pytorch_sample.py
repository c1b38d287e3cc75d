#!/usr/bin/env python3
"""Loads an rnn-playground .safetensors model into plain torch.nn modules and writes greedy text.

    /usr/bin/python3 scripts/pytorch_sample.py MODEL.safetensors "PRIME" [LENGTH]

Shows that the file is an ordinary PyTorch state dict: with the `safetensors` package,
`safetensors.torch.load_file(path)` gives the same tensors as load() below (which needs only the
standard library, since Debian has no safetensors package). Greedy decoding (temperature 0) must
print exactly what `./rnn sample --temperature 0` prints for the same model and prime.
"""
import json, struct, sys, torch

def load(path):  # safetensors: 8-byte little-endian header length, JSON header, raw tensors
    b = open(path, "rb").read(); n = struct.unpack("<Q", b[:8])[0]; header = json.loads(b[8:8 + n])
    meta, types = header.pop("__metadata__"), {"F32": torch.float32, "F64": torch.float64}
    return meta, {k: torch.frombuffer(bytearray(b[8 + n + v["data_offsets"][0]:8 + n + v["data_offsets"][1]]),
                                      dtype=types[v["dtype"]]).view(v["shape"]) for k, v in header.items()}

meta, w = load(sys.argv[1])
vocab, H, L = json.loads(meta["vocab"]), int(meta["hidden_size"]), int(meta["num_layers"])
rnn = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[meta["cell"]](len(vocab), H, L).double()
decoder = torch.nn.Linear(H, len(vocab)).double()
rnn.load_state_dict({k[4:]: v for k, v in w.items() if k.startswith("rnn.")})
decoder.load_state_dict({k[8:]: v for k, v in w.items() if k.startswith("decoder.")})

prime, length = sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 200
with torch.no_grad():
    one_hot = lambda ids: torch.nn.functional.one_hot(torch.tensor(ids), len(vocab)).double()
    out, h = rnn(one_hot([vocab.index(c) for c in prime]))    # read the prime, from a zero state
    text = prime
    for _ in range(length):
        x = decoder(out[-1]).argmax().item()                   # temperature 0: the likeliest symbol
        text += vocab[x]
        out, h = rnn(one_hot([x]), h)
print(text)
