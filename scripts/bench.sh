#!/usr/bin/env bash
# Side-by-side speed: our trainer (./rnn bench) against the peer programs (torch_charrnn.py,
# torch_chargpt.py, numpy_minchar.py, in the folder PEERS, which the project does not ship)
# (PyTorch with 1 and 2 threads; the numpy min-char-rnn), the configurations of issue 7, run
# alternately in one sitting so machine noise hits all of them. Prints the machine (CPU model,
# cores, thread counts, date, versions), each program's JSON line, then a table of medians with our
# ratio against PyTorch's better thread count (and against numpy for min-char).
#
#   scripts/bench.sh ROUNDS PEERS     e.g. 2 rounds; needs python3-torch, python3-numpy and
#                                     libopenblas0-pthread (without it Debian's torch and numpy run their
#                                     products on the reference netlib BLAS, 10-20x slower: not a fair peer)
#
# Environment:
#   ENGINE=fast|reference   ./rnn bench --engine (default: the command's own default)
#   THREADS=N               run ours only with --threads N (default: ours with 1 and with 2 threads,
#                           like PyTorch, and the ratio takes each side's better thread count)
#   ONLY=rnn|gpt            only the recurrent configurations (and min-char), or only the GPT ones
#   SCALE=0.01              multiplies every step count (a quick check that the plumbing works;
#                           its figures mean nothing)
#
# Nothing here is a test: speed is reported, never asserted.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
text="$root/data/tinyshakespeare.txt"
rounds="${1:?usage: scripts/bench.sh ROUNDS PEERS (the folder with torch_charrnn.py, torch_chargpt.py and numpy_minchar.py)}"
peers="$(cd "${2:?usage: scripts/bench.sh ROUNDS PEERS (the folder with torch_charrnn.py, torch_chargpt.py and numpy_minchar.py)}" && pwd)"
scale="${SCALE:-1}"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

"$root/rnn" --version >/dev/null        # build the jar before timing anything
if ! /usr/bin/python3 -c 'import torch, numpy' 2>/dev/null; then
    echo "bench: PyTorch and numpy are needed for the peers: apt-get install -y python3-torch python3-numpy" >&2
    exit 1
fi

ours_options=()
[[ -n "${ENGINE:-}" ]] && ours_options+=(--engine "$ENGINE")
our_threads=(1 2)
[[ -n "${THREADS:-}" ]] && our_threads=("$THREADS")

steps() {   # a step count scaled by SCALE, at least 1
    /usr/bin/python3 -c "import sys; print(max(1, round(float(sys.argv[1]) * float(sys.argv[2]))))" "$1" "$scale"
}

echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "cpu:     $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1), $(nproc) cores available"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) before the first run"
echo "java:    $(java -version 2>&1 | head -1)"
blas="$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || true)"
echo "blas:    the peers' libblas.so.3 is $blas"
if [[ "$blas" != *openblas* ]]; then
    echo "bench: the peers would run on the reference BLAS; first: apt-get install -y libopenblas0-pthread" >&2
    exit 1
fi
echo "peers:   $(/usr/bin/python3 -c 'import torch, numpy; print("torch", torch.__version__, "numpy", numpy.__version__)')"
echo "threads: ours ${our_threads[*]} (engine ${ENGINE:-default}); PyTorch 1 (OPENBLAS_NUM_THREADS=1) and 2 (OPENBLAS_NUM_THREADS=2), torch.set_num_threads(1) in both; numpy as it comes"
echo "rounds:  $rounds, step scale $scale"
echo

# label | our options and PyTorch's (the same names) | timed steps
configs=(
  "rnn H128 b32 T50|--cell rnn --hidden 128 --seq 50 --batch 32|600"
  "lstm H128 b32|--cell lstm --hidden 128 --seq 50 --batch 32|200"
  "lstm 2x128 b32|--cell lstm --hidden 128 --layers 2 --seq 50 --batch 32|100"
  "gru H256 b32|--cell gru --hidden 256 --seq 50 --batch 32|100"
  "lstm H512 b32|--cell lstm --hidden 512 --seq 50 --batch 32|30"
  "lstm H256 b1|--cell lstm --hidden 256 --seq 50 --batch 1|400"
)
# the character GPT (nanoGPT's architecture, biases on): label | our options | torch_chargpt.py's | timed steps
gpt_configs=(
  "gpt 4x4x128 T64 b12|--cell gpt --layers 4 --heads 4 --hidden 128 --seq 64 --batch 12|--layers 4 --heads 4 --embd 128 --block 64 --batch 12|50"
  "gpt 6x6x192 T128 b16|--cell gpt --layers 6 --heads 6 --hidden 192 --seq 128 --batch 16|--layers 6 --heads 6 --embd 192 --block 128 --batch 16|20"
)
[[ "${ONLY:-}" == gpt ]] && configs=()
[[ "${ONLY:-}" == rnn ]] && gpt_configs=()
for ((round = 1; round <= rounds; round++)); do
  for c in "${configs[@]}"; do
    IFS='|' read -r label args n <<<"$c"
    n="$(steps "$n")"
    for t in "${our_threads[@]}"; do
      # shellcheck disable=SC2086
      echo "$label|ours$t|$("$root/rnn" bench --text "$text" $args --steps "$n" --threads "$t" "${ours_options[@]}")" | tee -a "$out"
    done
    # PyTorch's products run on OpenBLAS's own threads, which torch.set_num_threads does not limit:
    # torch1 is one core in all (OpenBLAS held to 1), torch2 lets OpenBLAS use both cores (its best
    # two-core arrangement here; with torch.set_num_threads(2) as well, its OpenMP threads and
    # OpenBLAS's fight over the two cores and it ran about 3x slower)
    # shellcheck disable=SC2086
    echo "$label|torch1|$(OPENBLAS_NUM_THREADS=1 /usr/bin/python3 "$peers/torch_charrnn.py" --text "$text" $args --steps "$n" --threads 1)" | tee -a "$out"
    # shellcheck disable=SC2086
    echo "$label|torch2|$(OPENBLAS_NUM_THREADS=2 /usr/bin/python3 "$peers/torch_charrnn.py" --text "$text" $args --steps "$n" --threads 1)" | tee -a "$out"
  done
  for c in "${gpt_configs[@]}"; do
    IFS='|' read -r label args peer_args n <<<"$c"
    n="$(steps "$n")"
    for t in "${our_threads[@]}"; do
      # shellcheck disable=SC2086
      echo "$label|ours$t|$("$root/rnn" bench --text "$text" $args --steps "$n" --sample 300 --threads "$t" "${ours_options[@]}")" | tee -a "$out"
    done
    # shellcheck disable=SC2086
    echo "$label|torch1|$(OPENBLAS_NUM_THREADS=1 /usr/bin/python3 "$peers/torch_chargpt.py" --text "$text" $peer_args --steps "$n" --threads 1)" | tee -a "$out"
    # shellcheck disable=SC2086
    echo "$label|torch2|$(OPENBLAS_NUM_THREADS=2 /usr/bin/python3 "$peers/torch_chargpt.py" --text "$text" $peer_args --steps "$n" --threads 1)" | tee -a "$out"
  done
  [[ "${ONLY:-}" == gpt ]] && continue
  n="$(steps 2000)"
  echo "min-char rnn H100 T25 b1|ours1|$("$root/rnn" bench --text "$text" --cell rnn --hidden 100 --seq 25 --batch 1 \
      --steps "$n" --sample 5000 --threads 1 "${ours_options[@]}")" | tee -a "$out"
  echo "min-char rnn H100 T25 b1|numpy|$(/usr/bin/python3 "$peers/numpy_minchar.py" --text "$text" --steps "$n")" | tee -a "$out"
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
print("Medians; a ratio is ours at our better thread count divided by the better peer (PyTorch's better")
print("thread count, or numpy). Sampling is one character at a time on one thread (ours on the engine")
print("that trained).")
print()
print("| config | program | train chars/s | sample chars/s | our train ratio | our sample ratio |")
print("|---|---|---:|---:|---:|---:|")
for label, by in runs.items():
    med = {w: (statistics.median(t for t, _ in v), statistics.median(s for _, s in v)) for w, v in by.items()}
    ours = {w: med.pop(w) for w in list(med) if w.startswith("ours")}
    our_train = max(t for t, _ in ours.values())
    our_sample = max(s for _, s in ours.values())
    best_train = max(t for t, _ in med.values())
    best_sample = max(s for _, s in med.values())
    first = True
    for who, (t, s) in list(ours.items()) + list(med.items()):
        ratios = f"**{our_train / best_train:.2f}x** | **{our_sample / best_sample:.2f}x**" if first else " | "
        first = False
        print(f"| {label} | {who} | {t:,.0f} | {s:,.0f} | {ratios} |")

print()
print("Training, core for core (medians): ours on 1 thread over PyTorch on 1 core, ours on 2 over PyTorch on 2.")
print()
print("| config | 1 core: ours1 / torch1 | 2 cores: ours2 / torch2 |")
print("|---|---:|---:|")
for label, by in runs.items():
    med = {w: statistics.median(t for t, _ in v) for w, v in by.items()}
    cells = [f"{med[a] / med[b]:.2f}x" if a in med and b in med else "" for a, b in (("ours1", "torch1"), ("ours2", "torch2"))]
    if any(cells): print(f"| {label} | {cells[0]} | {cells[1]} |")
PY
