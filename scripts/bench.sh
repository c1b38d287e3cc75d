#!/usr/bin/env bash
# Side-by-side speed: our trainer (./rnn bench) against the peer programs in ../shared/bench/,
# the same configurations, run alternately in one sitting so machine noise hits all of them.
# Prints each program's JSON line, then a table of characters per second and our ratio.
#
#   scripts/bench.sh [ROUNDS]          (default 2 rounds; needs python3-torch and python3-numpy)
#
# Nothing here is a test: speed is reported, never asserted.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="$root/../shared"
text="$shared/data/tinyshakespeare.txt"
rounds="${1:-2}"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

"$root/rnn" --version >/dev/null        # build the jar before timing anything
if ! /usr/bin/python3 -c 'import torch, numpy' 2>/dev/null; then
    echo "bench: PyTorch and numpy are needed for the peers: apt-get install -y python3-torch python3-numpy" >&2
    exit 1
fi

# config label, our arguments, PyTorch's arguments (hidden, seq, batch as in the issue's run)
configs=(
  "rnn  H128 b32|--cell rnn --hidden 128 --seq 50 --batch 32 --steps 100|--cell rnn --hidden 128 --seq 50 --batch 32 --steps 100"
  "lstm H128 b32|--cell lstm --hidden 128 --seq 50 --batch 32 --steps 50|--cell lstm --hidden 128 --seq 50 --batch 32 --steps 50"
  "gru  H128 b32|--cell gru --hidden 128 --seq 50 --batch 32 --steps 50|--cell gru --hidden 128 --seq 50 --batch 32 --steps 50"
  "lstm H128 b1|--cell lstm --hidden 128 --seq 50 --batch 1 --steps 300|--cell lstm --hidden 128 --seq 50 --batch 1 --steps 300"
)
for ((round = 1; round <= rounds; round++)); do
  for c in "${configs[@]}"; do
    IFS='|' read -r label ours theirs <<<"$c"
    # shellcheck disable=SC2086
    echo "$label|ours|$("$root/rnn" bench --text "$text" $ours)" | tee -a "$out"
    # shellcheck disable=SC2086
    echo "$label|torch1|$(/usr/bin/python3 "$shared/bench/torch_charrnn.py" --text "$text" $theirs --threads 1)" | tee -a "$out"
    # shellcheck disable=SC2086
    echo "$label|torch2|$(/usr/bin/python3 "$shared/bench/torch_charrnn.py" --text "$text" $theirs --threads 2)" | tee -a "$out"
  done
  echo "min-char|ours|$("$root/rnn" bench --text "$text" --cell rnn --hidden 100 --seq 25 --batch 1 --steps 2000 --sample 5000)" | tee -a "$out"
  echo "min-char|numpy|$(/usr/bin/python3 "$shared/bench/numpy_minchar.py" --text "$text")" | tee -a "$out"
done

/usr/bin/python3 - "$out" <<'PY'
import json, sys, statistics
from collections import defaultdict
runs = defaultdict(lambda: defaultdict(list))
for line in open(sys.argv[1]):
    label, who, js = line.rstrip("\n").split("|", 2)
    d = json.loads(js)
    runs[label][who].append((d["train_chars_per_s"], d["sample_chars_per_s"]))
print()
print("| config | program | train chars/s | sample chars/s | our train ratio | our sample ratio |")
print("|---|---|---:|---:|---:|---:|")
for label, by in runs.items():
    med = {w: (statistics.median(t for t, _ in v), statistics.median(s for _, s in v)) for w, v in by.items()}
    ours = med["ours"]
    for who, (t, s) in med.items():
        ratio = "" if who == "ours" else f"{ours[0] / t:.2f}x | {ours[1] / s:.2f}x"
        print(f"| {label} | {who} | {t:,.0f} | {s:,.0f} | {ratio or ' | '} |")
PY
