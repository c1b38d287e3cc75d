#!/usr/bin/env bash
# Load test, reported and never asserted: starts ./rnn serve on a free loopback port with a fresh
# data directory, trains one job, and puts 50 clients (sample, predict, list) and 20 event-stream
# listeners on it for 60 seconds; a client retries a 503 after its Retry-After, up to 3 times, as the
# page does. Prints one JSON line: answers, busy refusals answered after waiting, final errors by
# status, p50/p95/p99 latency,
# training steps/s before and under load, the server's peak RSS, and whether it answers afterwards.
#
#   scripts/load.sh [CLIENTS] [LISTENERS] [SECONDS]      (defaults 50 20 60)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
clients="${1:-50}"; listeners="${2:-20}"; seconds="${3:-60}"
data="$(mktemp -d)"; log="$(mktemp)"
"$root/rnn" --version >/dev/null          # build the jar first
RNN_TOKEN= "$root/rnn" serve --port 0 --data "$data" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$data" "$log"' EXIT
for _ in $(seq 1 300); do grep -q "is running" "$log" && break; sleep 0.1; done
url="$(grep -o 'http://[^ ]*' "$log" | head -1)"
[[ -n "$url" ]] || { echo "load: the server did not start: $(cat "$log")" >&2; exit 1; }
origin="${url%%/?token=*}"; origin="${origin%/}"; token="${url##*token=}"
pid="$(pgrep -P $server java || echo $server)"
python3 "$root/scripts/load.py" "$origin" "$token" "$pid" --clients "$clients" --listeners "$listeners" --seconds "$seconds"
