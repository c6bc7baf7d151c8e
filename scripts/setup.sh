#!/usr/bin/env bash
# Create .venv and install the toolkit with its fast engines, the server, JSON-LD framing, the documentation
# generator and the test tools.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[server,jsonld,docs,test]"
