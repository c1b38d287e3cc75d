#!/usr/bin/env bash
# Makes sure Debian's PostgreSQL binaries are under /usr/lib/postgresql, where scripts/postgres.sh
# (and so the tests that need a database) find them. Silent when they are there; otherwise installs
# the postgresql package with apt-get (through sudo unless root) and prints its version. The package's
# own cluster is not used: each test run starts a private one. Safe to run any number of times.
set -euo pipefail

if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 && id postgres >/dev/null 2>&1; then
    exit 0
fi

if [[ "$(id -u)" -eq 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null; then
    as_root=(sudo)
else
    echo "ensure-postgres: need root or sudo to install postgresql" >&2
    exit 1
fi

echo "installing postgresql with apt-get…" >&2
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# Wait for the dpkg lock rather than fail when another apt-get runs on this machine.
apt=(env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300)
if ! { "${as_root[@]}" "${apt[@]}" update && "${as_root[@]}" "${apt[@]}" install postgresql; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "ensure-postgres: apt-get failed (full log above)" >&2
    exit 1
fi

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    echo "ensure-postgres: installed, but no pg_ctl under /usr/lib/postgresql" >&2
    exit 1
fi
"$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/postgres" --version
