#!/usr/bin/env python3
"""Converts a character-level nanoGPT checkpoint into an RNN Playground model file, so `rnn
sample`, `rnn predict`, the server and the page can write with it.

  /usr/bin/python3 scripts/nanogpt_to_safetensors.py out-shakespeare-char/ckpt.pt data/shakespeare_char/meta.pkl OUT.safetensors

ckpt.pt is what nanoGPT's train.py saves: its 'model' state dict (keys prefixed '_orig_mod.'
when the model was compiled) and 'model_args'; meta.pkl is what data/*_char/prepare.py saves:
stoi and itos. The causal-mask buffers and the tied lm_head.weight are left out (our Gpt reads
lm_head from transformer.wte.weight), and the symbols are written in sorted order as our format
requires (wte's rows follow them). check_nanogpt_load.py checks the result against nanoGPT.
"""
import json
import pickle
import sys

import torch

import safetensors_file


def main(ckpt_path, meta_path, out_path):
    ckpt = torch.load(ckpt_path, map_location="cpu")
    args = ckpt["model_args"]
    state = {k[len("_orig_mod."):] if k.startswith("_orig_mod.") else k: v for k, v in ckpt["model"].items()}
    with open(meta_path, "rb") as f:
        meta = pickle.load(f)
    itos = meta["itos"]
    symbols = [itos[i] for i in range(len(itos))]
    if args["vocab_size"] != len(symbols):
        raise SystemExit("the model has %d output rows but meta.pkl names %d symbols: not a character model this tool"
                         " can convert" % (args["vocab_size"], len(symbols)))
    order = sorted(range(len(symbols)), key=lambda i: symbols[i])   # our vocab is sorted
    tensors = {}
    for name, value in state.items():
        if name.endswith(".attn.bias") or name == "lm_head.weight":
            continue   # the causal mask buffer; the head tied to wte
        tensors[name] = value[order] if name == "transformer.wte.weight" else value
    metadata = {"format": "rnn-playground", "format_version": "1", "cell": "gpt",
                "n_layer": str(args["n_layer"]), "n_head": str(args["n_head"]), "n_embd": str(args["n_embd"]),
                "block_size": str(args["block_size"]), "bias": str(bool(args["bias"])),
                "dropout": str(args.get("dropout", 0.0)), "vocab_size": str(len(symbols)),
                "vocab": json.dumps([symbols[i] for i in order], ensure_ascii=False),
                "source": "nanoGPT checkpoint " + ckpt_path}
    if "iter_num" in ckpt:
        metadata["steps"] = str(ckpt["iter_num"])
    if "best_val_loss" in ckpt:
        metadata["val_loss"] = str(float(ckpt["best_val_loss"]))
    safetensors_file.write(out_path, tensors, metadata, dtype="F32")
    print("wrote %s: %d tensors, %d symbols" % (out_path, len(tensors), len(symbols)))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
