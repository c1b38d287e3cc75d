#!/usr/bin/env bash
# A picture of the page in headless Chromium, and the page's generation speed (characters per
# second, printed). Starts its own server on a free port with a temporary data directory.
#
#   scripts/screenshot.sh OUT.png [-Dscreenshot.model=model.safetensors] [-Dscreenshot.base=http://127.0.0.1:7070]
#        [-Dscreenshot.query=/?engine=js] [-Dscreenshot.hash='speed=0&length=2000'] [-Dscreenshot.height=2400]
#        [-Dscreenshot.wait=MILLIS]
#
# Nothing here is a test: speed is reported, never asserted. The same as scripts/page-tool.sh screenshot.
set -euo pipefail
exec "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/page-tool.sh" screenshot "$@"
