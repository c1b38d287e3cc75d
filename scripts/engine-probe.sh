#!/usr/bin/env bash
# The measurement behind docs/scale.md's choice of job engine: failover after kill -9 on db-scheduler
# and on JobRunr, each over a private PostgreSQL (scripts/postgres.sh). About 5 minutes.
#   scripts/engine-probe.sh [ROUNDS]
# The probe (scripts/engine-probe/) is not part of the build: JobRunr is on its classpath only.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
rounds="${1:-3}"

port=25432
while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
dir="$(scripts/postgres.sh start "$port" $$)"
trap 'scripts/postgres.sh stop "$dir"' EXIT
url="jdbc:postgresql://127.0.0.1:$port/rnn?user=rnn"

probe=scripts/engine-probe
mvn -q -B -ntp -f "$probe/pom.xml" compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
cp="$probe/target/classes:$(cat "$probe/target/classpath.txt")"
run() { java -cp "$cp" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn probe.EngineFailoverProbe run "$@" | grep -v '^\['; }

run db-scheduler "$url" "$rounds" 1        # dead after 4 missed 1-s heartbeats
run db-scheduler "$url" "$rounds" 2        # dead after 4 missed 2-s heartbeats
run db-scheduler "$url" 2 2 busy           # the same with both cores busy, as by two trainings
run jobrunr "$url" "$rounds" 5             # JobRunr's shortest poll interval; a server times out after 4 of them
