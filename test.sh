#!/usr/bin/env bash
# Runs every test of every module, browser tests included: ./test.sh
# Needs Debian, Java 17 and Maven; installs Chromium and chromedriver, and PostgreSQL (the job
# engine's tests start a private cluster of it), when they are missing.
# Extra arguments go to Maven, e.g. ./test.sh -pl core -am
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
scripts/ensure-chromium.sh
scripts/ensure-postgres.sh
exec mvn -B -ntp verify "$@"
