#!/usr/bin/env bash
# Runs one of the page's measuring tools (main classes under server/src/test, never run by the tests)
# against a server of its own on a free port with a temporary data directory, in headless Chromium.
#
#   scripts/page-tool.sh screenshot OUT.png [-Dscreenshot.…=…]        a picture of the page and its speed
#                                                                      (scripts/screenshot.sh says more)
#   scripts/page-tool.sh views-report -Dviews.report=FILE [-Dviews.text=FILE] [-Dviews.chars=2000]
#                                                                      what docs/page.md reports of the shipped models
#   scripts/page-tool.sh view-screenshots -Dshots=DIR                  pictures of the experiment views
#   scripts/page-tool.sh race-report [-Drace.text=FILE] [-Drace.shots=DIR]
#                                                                      the race docs/page.md reports, run by the page
#
# Nothing here is a test: figures are reported, never asserted.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tool="${1:?usage: scripts/page-tool.sh screenshot|views-report|view-screenshots|race-report [OUT.png] [-D…=…]}"
shift
properties=()
case "$tool" in
    screenshot)
        out="${1:?usage: scripts/page-tool.sh screenshot OUT.png [-Dscreenshot.…=…]}"
        shift
        class=PageScreenshot
        properties=("-Dscreenshot=$(readlink -f "$(dirname "$out")")/$(basename "$out")")
        ;;
    views-report) class=ViewsReport ;;
    view-screenshots) class=ViewScreenshots ;;
    race-report) class=RaceReport ;;
    *) echo "page-tool.sh: unknown tool '$tool' (screenshot, views-report, view-screenshots or race-report)" >&2; exit 2 ;;
esac
cp="$(mktemp)"
trap 'rm -f "$cp"' EXIT
"$root/scripts/ensure-chromium.sh" >&2
# compile (tests included) and write the test classpath; core and web come from this checkout
mvn -q -B -ntp -f "$root/pom.xml" -pl server -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$cp" >&2
java -cp "$root/server/target/test-classes:$root/server/target/classes:$(cat "$cp")" \
    "${properties[@]}" "$@" "dev.rnnplayground.server.web.$class"
