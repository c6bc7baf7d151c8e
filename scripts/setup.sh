#!/usr/bin/env bash
# Create .venv and install the toolkit with its fast engines, the server, JSON-LD framing, the documentation
# generator and the test tools.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[server,jsonld,docs,test]"
# The website's browser tests drive Debian's Chromium (Playwright is told its path; it never downloads a browser).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium chromium-driver >/dev/null
  else
    echo "setup.sh: chromium is missing; the browser tests will be skipped (install Debian's chromium)" >&2
  fi
fi
