"""A safetensors file read and written with struct and json (the `safetensors` package is not
needed), so the Java reader is checked against an independent writer. Tensors are float64 or
float32, little-endian, in the order given."""
import json
import struct

import torch

DTYPES = {"F64": torch.float64, "F32": torch.float32}


def write(path, tensors, metadata, dtype="F64"):
    """tensors: name -> torch tensor, written in the order of the dict."""
    header, data = {"__metadata__": metadata}, bytearray()
    for name, t in tensors.items():
        raw = t.detach().to(DTYPES[dtype]).contiguous().numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + bytes(data))


def read(path):
    """Returns (tensors: name -> float64 torch tensor, metadata dict)."""
    with open(path, "rb") as f:
        blob = f.read()
    n = struct.unpack("<Q", blob[:8])[0]
    header = json.loads(blob[8:8 + n])
    metadata = header.pop("__metadata__", {})
    tensors = {}
    for name, info in header.items():
        start, end = info["data_offsets"]
        raw = bytearray(blob[8 + n + start:8 + n + end])
        t = torch.frombuffer(raw, dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
        tensors[name] = t.to(torch.float64)
    return tensors, metadata
