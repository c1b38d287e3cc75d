#!/usr/bin/env bash
# Resource attacks (issue 19), reported and never asserted: starts ./rnn serve on a free loopback
# port with a fresh data directory and --memory MEMORY, then runs scripts/attack.py against it: 300
# slow bodies without the token, 3,000 event-stream listeners, 40 parallel downloads of the largest
# model it imports, 80 parallel uploads of the largest corpus, each for SECONDS while /api/health
# is asked every 0.25 s. Prints one JSON line per attack (outcomes, health's worst and p95 latency,
# peak RSS) and one for the whole run. Run it on a quiet machine: it takes the cores it can get.
#
#   scripts/attack.sh [MEMORY] [SECONDS] [-- extra attack.py options, e.g. --small --slow 5]   (defaults 4g 30)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
memory="${1:-4g}"; seconds="${2:-30}"
shift $(($# > 2 ? 2 : $#)); [[ "${1:-}" == "--" ]] && shift
data="$(mktemp -d)"; log="$(mktemp)"
"$root/rnn" --version >/dev/null          # build the jar first
RNN_TOKEN= "$root/rnn" --memory "$memory" serve --port 0 --data "$data" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$data" "$log"' EXIT
for _ in $(seq 1 300); do grep -q "is running" "$log" && break; sleep 0.1; done
url="$(grep -o 'http://[^ ]*' "$log" | head -1)"
[[ -n "$url" ]] || { echo "attack: the server did not start: $(cat "$log")" >&2; exit 1; }
origin="${url%%/?token=*}"; origin="${origin%/}"; token="${url##*token=}"
pid="$(pgrep -P $server java || echo $server)"
echo "{\"memory\": \"$memory\", \"seconds\": $seconds}"
python3 "$root/scripts/attack.py" "$origin" "$token" "$pid" --seconds "$seconds" "$@"
