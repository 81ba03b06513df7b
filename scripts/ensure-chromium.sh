#!/usr/bin/env bash
# Finds a Chromium the robot can drive, installing one when none is there: Playwright's own
# download where the network allows it, Debian's `chromium` and `chromium-headless-shell`
# packages otherwise. Headless runs prefer the headless shell (a third less CPU per page).
set -euo pipefail
VENV=${VENV:-.venv}

which_browser() {
    "$VENV/bin/python" -m robots.engine.browser --which 2>/dev/null
}

apt_install() {
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y -qq "$@" >/dev/null 2>&1 || {
        $sudo apt-get update -qq
        $sudo apt-get install -y -qq "$@" >/dev/null
    }
}

if found=$(which_browser); then
    case "$found" in
        *headless*) ;;
        # A full Chromium only: add the headless shell where Debian's packages can (optional).
        /usr/bin/*) apt_install chromium-headless-shell || true; found=$(which_browser) ;;
    esac
    echo "chromium: $found"
    exit 0
fi

echo "chromium: none found; trying Playwright's download" >&2
if timeout 180 "$VENV/bin/python" -m playwright install chromium >/dev/null 2>&1 && found=$(which_browser); then
    echo "chromium: $found"
    exit 0
fi

echo "chromium: Playwright's download failed; installing Debian's chromium packages" >&2
apt_install chromium chromium-headless-shell
found=$(which_browser) || { echo "chromium: still not found after installing" >&2; exit 1; }
echo "chromium: $found"
