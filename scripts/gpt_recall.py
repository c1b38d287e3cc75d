"""Does nanoGPT's own model learn the recall task? A cross-check of the memory-span experiment's GPT
(docs/results.md, "How far back can each model remember?") with nanoGPT's classes in PyTorch:
2 blocks x 2 heads x 32 channels, batch 16, Adam, clipping 5, random windows of the block, then the
letter after each cue of 500 fresh examples predicted from the block that ends at the cue.

    /usr/bin/python3 scripts/gpt_recall.py GAP BLOCK LR STEPS     e.g. 1 8 0.003 3000
"""
import sys, random, math, torch
sys.path.insert(0, __import__('os').path.dirname(__file__))
from nanogpt_model import GPT, GPTConfig
torch.manual_seed(1); random.seed(1)
gap=int(sys.argv[1]); block=int(sys.argv[2]); lr=float(sys.argv[3]); steps=int(sys.argv[4])
def text(n, rng):
    s=[]
    for _ in range(n):
        c=rng.choice("ABCD"); s.append(c+''.join(rng.choice("xyz") for _ in range(gap))+"?"+c+"\n")
    return ''.join(s)
tr=text(20000, random.Random(1)); te=text(500, random.Random(2))
vocab=sorted(set(tr+te)); idx={c:i for i,c in enumerate(vocab)}
data=torch.tensor([idx[c] for c in tr])
m=GPT(GPTConfig(block_size=block, vocab_size=len(vocab), n_layer=2, n_head=2, n_embd=32, dropout=0.0, bias=True))
opt=torch.optim.Adam(m.parameters(), lr=lr)
for st in range(steps):
    ix=torch.randint(len(data)-block-1,(16,))
    x=torch.stack([data[i:i+block] for i in ix]); y=torch.stack([data[i+1:i+block+1] for i in ix])
    _,loss=m(x,y)
    opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(m.parameters(),5); opt.step()
    if st%500==0 or st==steps-1: print(st, round(loss.item(),4), flush=True)
# score: at each cue, the window of block ending at the cue
tt=[idx[c] for c in te]; ok=n=0
m.eval()
with torch.no_grad():
  for p,c in enumerate(te):
    if c=='?':
        w=torch.tensor(tt[max(0,p+1-block):p+1])[None]
        logits,_=m(w, None)
        pred=vocab[logits[0,-1].argmax().item()]
        ok+= pred==te[p+1]; n+=1
print("accuracy", ok/n)
