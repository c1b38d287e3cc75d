#!/usr/bin/env bash
# Makes sure Debian's Chromium and its WebDriver are at /usr/bin/chromium and /usr/bin/chromedriver,
# where the browser tests look (see chromium.binary and webdriver.chrome.driver in pom.xml).
# Silent when both are already there; otherwise installs them with apt-get (through sudo unless
# root, about 20 s) and prints their versions. Safe to run any number of times.
set -euo pipefail

chromium=/usr/bin/chromium
chromedriver=/usr/bin/chromedriver

if [[ -x "$chromium" && -x "$chromedriver" ]]; then
    exit 0
fi

if [[ "$(id -u)" -eq 0 ]]; then
    as_root=()
elif command -v sudo >/dev/null; then
    as_root=(sudo)
else
    echo "ensure-chromium: need root or sudo to install chromium and chromium-driver" >&2
    exit 1
fi

echo "installing chromium and chromium-driver with apt-get (about 20 s)…" >&2
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# Wait for the dpkg lock rather than fail when another apt-get runs on this machine.
apt=(env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300)
if ! { "${as_root[@]}" "${apt[@]}" update && "${as_root[@]}" "${apt[@]}" install chromium chromium-driver; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "ensure-chromium: apt-get failed (full log above)" >&2
    exit 1
fi

for binary in "$chromium" "$chromedriver"; do
    if [[ ! -x "$binary" ]]; then
        echo "ensure-chromium: installed, but $binary is missing" >&2
        exit 1
    fi
done

# Chromium's wrapper script prints harmless shell noise on stderr; keep only the version line.
echo "$("$chromium" --version 2>/dev/null) / $("$chromedriver" --version 2>/dev/null)"
