#!/usr/bin/env bash
# Crash safety, measured and never asserted: starts ./rnn serve on a fresh data directory and kills
# it with SIGKILL 36 times at seeded random moments (training, a job just created, .tmp- files on
# disk, mid-upload, mid-import), restarting it each time. Prints one JSON line: kills, lost objects,
# leftover temp files, killed jobs whose weights equal an uninterrupted run's, seconds.
#
#   scripts/kills.sh [KILLS] [SEED]      (defaults 36 1)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/rnn" --version >/dev/null          # build the jar first
python3 "$root/scripts/kills.py" "$root" --kills "${1:-36}" --seed "${2:-1}"
