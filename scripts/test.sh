#!/usr/bin/env bash
# Quick start, the tests: set up, then run the whole suite (real Oxigraph and Virtuoso servers and Chromium
# included, and the tests marked slow that a plain `pytest` skips), on both CPUs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/python -m pytest -q -p no:cacheprovider -n 2 -m "slow or not slow" "$@"
