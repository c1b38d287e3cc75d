#!/usr/bin/env python3
"""Golden values for the fast engine's float32 GPT (FastGptGoldenTest), made by PyTorch in float64
with nanoGPT's model (model.py: LayerNorm with optional bias, CausalSelfAttention without flash,
MLP with nn.GELU(), pre-LN blocks, ln_f, lm_head tied to wte), no dropout.

  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 make_gpt_golden.py     (writes gpt_*.json here)

Each file holds the shape, every parameter (random, larger than nanoGPT's init so that every
path carries weight), the inputs and targets, the mean cross-entropy and every gradient.
"""
import json, math, os
import torch, torch.nn as nn, torch.nn.functional as F

torch.set_default_dtype(torch.float64)


class LayerNorm(nn.Module):
    def __init__(self, n, bias):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(n))
        self.bias = nn.Parameter(torch.zeros(n)) if bias else None

    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, self.bias, 1e-5)


class Attention(nn.Module):
    def __init__(self, c, heads, bias):
        super().__init__()
        self.c_attn = nn.Linear(c, 3 * c, bias=bias)
        self.c_proj = nn.Linear(c, c, bias=bias)
        self.heads = heads

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(x).split(c, dim=2)
        q, k, v = [z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v)]
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(torch.tril(torch.ones(t, t)) == 0, float("-inf"))
        y = F.softmax(att, dim=-1) @ v
        return self.c_proj(y.transpose(1, 2).contiguous().view(b, t, c))


class Mlp(nn.Module):
    def __init__(self, c, bias):
        super().__init__()
        self.c_fc = nn.Linear(c, 4 * c, bias=bias)
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(4 * c, c, bias=bias)

    def forward(self, x):
        return self.c_proj(self.gelu(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self, c, heads, bias):
        super().__init__()
        self.ln_1 = LayerNorm(c, bias)
        self.attn = Attention(c, heads, bias)
        self.ln_2 = LayerNorm(c, bias)
        self.mlp = Mlp(c, bias)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class Gpt(nn.Module):
    def __init__(self, vocab, block, c, heads, layers, bias):
        super().__init__()
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(vocab, c), wpe=nn.Embedding(block, c),
            h=nn.ModuleList([Block(c, heads, bias) for _ in range(layers)]), ln_f=LayerNorm(c, bias)))
        self.lm_head = nn.Linear(c, vocab, bias=False)
        self.transformer.wte.weight = self.lm_head.weight

    def forward(self, idx):
        t = idx.shape[1]
        x = self.transformer.wte(idx) + self.transformer.wpe(torch.arange(t))
        for block in self.transformer.h:
            x = block(x)
        return self.lm_head(self.transformer.ln_f(x))


def make(name, vocab, block, c, heads, layers, bias, batch, steps, seed):
    torch.manual_seed(seed)
    model = Gpt(vocab, block, c, heads, layers, bias)
    with torch.no_grad():
        for n, p in model.named_parameters():
            if n.endswith("ln_1.weight") or n.endswith("ln_2.weight") or n.endswith("ln_f.weight"):
                p.copy_(1 + 0.2 * torch.randn_like(p))
            else:
                p.copy_(0.3 * torch.randn_like(p))
    idx = torch.randint(vocab, (batch, steps + 1))
    inputs, targets = idx[:, :-1], idx[:, 1:]
    logits = model(inputs)
    loss = F.cross_entropy(logits.reshape(-1, vocab), targets.reshape(-1))
    loss.backward()
    params = list(model.named_parameters())   # the tied lm_head.weight appears once, as wte
    out = {
        "origin": "engine/src/test/resources/golden/make_gpt_golden.py, torch " + torch.__version__ + ", float64",
        "shape": dict(vocab=vocab, block=block, embd=c, heads=heads, layers=layers, bias=bias),
        "names": [n for n, _ in params],
        "parameters": {n: p.detach().flatten().tolist() for n, p in params},
        "inputs": inputs.tolist(), "targets": targets.tolist(),
        "loss": loss.item(),
        "gradients": {n: p.grad.flatten().tolist() for n, p in params},
    }
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), name + ".json"), "w") as f:
        json.dump(out, f)


make("gpt_bias", vocab=11, block=8, c=16, heads=2, layers=2, bias=True, batch=3, steps=8, seed=1)
make("gpt_nobias_short", vocab=13, block=10, c=12, heads=3, layers=1, bias=False, batch=2, steps=7, seed=2)
