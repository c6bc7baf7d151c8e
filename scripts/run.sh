#!/usr/bin/env bash
# Quick start, the main job: set up, then answer the headline questions on the embedded graph.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
for q in iom-secretariat mechanisms factsheet-figures; do
  echo "== iscm-kg query $q"
  .venv/bin/iscm-kg query "$q"
done
echo "== iscm-kg query mechanisms-of-state --param state=KEN"
.venv/bin/iscm-kg query mechanisms-of-state --param state=KEN
