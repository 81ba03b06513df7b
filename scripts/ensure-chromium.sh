#!/usr/bin/env bash
# Finds a Chromium the robot can drive, installing one when none is there:
# Playwright's own download where the network allows it, Debian's `chromium` package otherwise.
set -euo pipefail
VENV=${VENV:-.venv}

found() {
    "$VENV/bin/python" -m robots.browser --which >/dev/null 2>&1
}

if found; then
    echo "chromium: $("$VENV/bin/python" -m robots.browser --which)"
    exit 0
fi

echo "chromium: none found; trying Playwright's download" >&2
if timeout 120 "$VENV/bin/python" -m playwright install chromium >/dev/null 2>&1 && found; then
    echo "chromium: $("$VENV/bin/python" -m robots.browser --which)"
    exit 0
fi

echo "chromium: Playwright's download failed; installing Debian's chromium package" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -qq chromium >/dev/null 2>&1 || {
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq chromium >/dev/null
}
found || { echo "chromium: still not found after installing" >&2; exit 1; }
echo "chromium: $("$VENV/bin/python" -m robots.browser --which)"
