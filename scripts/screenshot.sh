#!/usr/bin/env bash
# A picture of the page in headless Chromium, and the page's generation speed (characters per
# second, printed). Starts its own server on a free port with a temporary data directory.
#
#   scripts/screenshot.sh OUT.png [-Dscreenshot.model=model.safetensors] [-Dscreenshot.base=http://127.0.0.1:7070]
#        [-Dscreenshot.query=/?engine=js] [-Dscreenshot.hash='speed=0&length=2000'] [-Dscreenshot.height=2400]
#        [-Dscreenshot.wait=MILLIS]
#
# Nothing here is a test: speed is reported, never asserted.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: scripts/screenshot.sh OUT.png [-Dscreenshot.…=…]}"
shift
cp="$(mktemp)"
trap 'rm -f "$cp"' EXIT
"$root/scripts/ensure-chromium.sh" >&2
# compile (tests included) and write the test classpath; core and web come from this checkout
mvn -q -B -o -f "$root/pom.xml" -pl server -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$cp" >&2
exec java -cp "$root/server/target/test-classes:$root/server/target/classes:$(cat "$cp")" \
    -Dscreenshot="$(readlink -f "$(dirname "$out")")/$(basename "$out")" "$@" \
    dev.rnnplayground.server.web.PageScreenshot
