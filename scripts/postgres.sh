#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and probes, from Debian's binaries (scripts/ensure-postgres.sh
# installs them): its own data directory, port and socket directory, listening on 127.0.0.1 only.
#
#   scripts/postgres.sh start PORT [OWNER_PID]   prints the cluster's directory on stdout once it accepts connections
#   scripts/postgres.sh stop DIR                 stops it at once and deletes DIR
#   scripts/postgres.sh down DIR                 stops it and keeps its files (a database restart, as a test sees it)
#   scripts/postgres.sh up DIR PORT              starts a cluster that is down again, on its port
#
# Connect as user "rnn" to database "rnn": jdbc:postgresql://127.0.0.1:PORT/rnn?user=rnn (trust
# authentication: a test cluster holds nothing worth a password). PostgreSQL refuses to run as root,
# and CI runs as root: then the cluster belongs to, and runs as, the "postgres" user that Debian's
# package creates. fsync is off: the tests kill workers, never the database, and a cluster that
# lives seconds need not survive a power cut.
# With OWNER_PID, a watchdog stops and deletes the cluster when that process ends, so a test JVM
# killed half-way leaves nothing running.
set -euo pipefail

bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [[ -z "$bin" || ! -x "$bin/pg_ctl" ]]; then
    echo "postgres.sh: no PostgreSQL under /usr/lib/postgresql (scripts/ensure-postgres.sh installs it)" >&2
    exit 1
fi

# as root, every PostgreSQL command runs as the postgres user
as_owner=()
if [[ "$(id -u)" -eq 0 ]]; then
    as_owner=(runuser -u postgres --)
fi

# starts the server of the cluster in $1 on port $2, waiting until it accepts connections
serve() {
    "${as_owner[@]}" "$bin/pg_ctl" -D "$1/data" -l "$1/log" -w -t 30 start \
        -o "-p $2 -k $1 -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
}

stop() {
    local dir="$1"
    # only a directory this script made: it holds the marker
    [[ -f "$dir/rnn-postgres" ]] || { echo "postgres.sh: $dir is not a cluster made by this script" >&2; exit 1; }
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
start)
    port="${2:?usage: postgres.sh start PORT [OWNER_PID]}"
    owner="${3:-}"
    dir="$(mktemp -d "${TMPDIR:-/tmp}/rnn-postgres.XXXXXX")"
    touch "$dir/rnn-postgres"
    if [[ ${#as_owner[@]} -gt 0 ]]; then
        chown -R postgres: "$dir"
        # mktemp's directory is private (0700): the postgres user must reach its own files in it
    fi
    if ! { "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U rnn -A trust -E UTF8 --locale=C --no-sync \
            && serve "$dir" "$port" \
            && "${as_owner[@]}" "$bin/createdb" -h "$dir" -p "$port" -U rnn rnn; } >"$dir/setup.log" 2>&1; then
        cat "$dir/setup.log" "$dir/log" >&2 2>/dev/null || true
        stop "$dir"
        echo "postgres.sh: the cluster did not start (output above)" >&2
        exit 1
    fi
    if [[ -n "$owner" ]]; then
        # detached from our stdout, so the caller's read of the directory ends here
        nohup bash -c 'while kill -0 "$1" 2>/dev/null && [[ -d "$2" ]]; do sleep 1; done; [[ -d "$2" ]] && "$3" stop "$2"' \
            watchdog "$owner" "$dir" "$(readlink -f "${BASH_SOURCE[0]}")" >/dev/null 2>&1 &
    fi
    echo "$dir"
    ;;
stop)
    stop "${2:?usage: postgres.sh stop DIR}"
    ;;
down)
    dir="${2:?usage: postgres.sh down DIR}"
    [[ -f "$dir/rnn-postgres" ]] || { echo "postgres.sh: $dir is not a cluster made by this script" >&2; exit 1; }
    # fast: connections are cut, as when a database server restarts under its clients
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 20 stop >/dev/null
    ;;
up)
    dir="${2:?usage: postgres.sh up DIR PORT}"
    [[ -f "$dir/rnn-postgres" ]] || { echo "postgres.sh: $dir is not a cluster made by this script" >&2; exit 1; }
    serve "$dir" "${3:?usage: postgres.sh up DIR PORT}" >/dev/null
    ;;
*)
    echo "usage: postgres.sh start PORT [OWNER_PID] | stop DIR | down DIR | up DIR PORT" >&2
    exit 2
    ;;
esac
