#!/usr/bin/env bash
# A class on one web node and N workers, reported and never asserted (issue 20 part 6): starts a
# private PostgreSQL (scripts/postgres.sh), `rnn serve --database` on a free loopback port and N
# `rnn worker` processes, each pinned to its own core (taskset) and training with one thread, gives
# every learner a token of their own (`rnn token add`), and lets the learners, all at once, upload a
# text, train a small model on it, follow its events to the end and write from it
# (scripts/classroom.py). Prints one JSON line: jobs finished per minute, the wait from queuing to
# the first step, p95 API latency, errors; everything is stopped and deleted afterwards.
#
#   scripts/classroom.sh [WORKERS] [LEARNERS] [STEPS] [SECONDS]     (defaults 1 30 300 900)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
workers="${1:-1}"; learners="${2:-30}"; steps="${3:-300}"; seconds="${4:-900}"
cores="$(nproc)"
(( workers <= cores )) || { echo "classroom: $workers workers would share $cores cores; pinning means one core each" >&2; exit 1; }
"$root/rnn" --version >/dev/null                      # build the jar first
jar="$root/server/target/rnn.jar"
work="$(mktemp -d)"; chmod 755 "$work"
pids=(); cluster=""
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    [[ -n "$cluster" ]] && "$root/scripts/postgres.sh" stop "$cluster"
    rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cluster="$("$root/scripts/postgres.sh" start "$port" $$)"
database="postgresql://rnn@127.0.0.1:$port/rnn"

mkdir -p "$work/web"
tokens="$work/tokens.txt"
for i in $(seq 1 "$learners"); do
    printf 'learner%02d %s\n' "$i" "$(java -jar "$jar" token add "learner$(printf %02d "$i")" --data "$work/web" 2>/dev/null)" >>"$tokens"
done

RNN_TOKEN= java -jar "$jar" serve --port 0 --data "$work/web" --database "$database" >"$work/web.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do grep -q "is running" "$work/web.log" && break; sleep 0.1; done
url="$(grep -o 'http://[^ ]*' "$work/web.log" | head -1)"
[[ -n "$url" ]] || { echo "classroom: the web node did not start: $(cat "$work/web.log")" >&2; exit 1; }
origin="${url%%/?token=*}"; origin="${origin%/}"

for w in $(seq 1 "$workers"); do
    core=$(( (cores - w) % cores ))                  # worker 1 on the last core, worker 2 on the one before
    mkdir -p "$work/worker$w"
    taskset -c "$core" java -jar "$jar" worker --data "$work/worker$w" --database "$database" >"$work/worker$w.log" 2>&1 &
    pids+=($!)
done

python3 "$root/scripts/classroom.py" "$origin" "$tokens" "$root/data/tinyshakespeare.txt" \
    --workers "$workers" --steps "$steps" --seconds "$seconds"
