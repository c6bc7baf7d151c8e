#!/usr/bin/env bash
# Re-vendor the country shapes the website draws (web/vendor/): Natural Earth through the world-atlas package,
# projected once here with d3-geo, so that no page loads a script or a shape from the network and no page needs
# JavaScript to show its map. Pinned versions: a change of shapes is a reviewed commit, never a surprise.
# Needs node and npm (the npm registry); run it only to change the versions, the files it writes are committed.
set -euo pipefail
cd "$(dirname "$0")/.."
WORLD_ATLAS=2.0.2
TOPOJSON_CLIENT=3.1.0
D3_GEO=3.1.1
out=web/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null &&
  npm install --no-save --no-audit --no-fund --ignore-scripts \
    "world-atlas@$WORLD_ATLAS" "topojson-client@$TOPOJSON_CLIENT" "d3-geo@$D3_GEO" >/dev/null)
cp scripts/project_world.mjs "$work/"
mkdir -p "$out"
(cd "$work" && node project_world.mjs "$WORLD_ATLAS" "$D3_GEO") > "$out/world.json.tmp"
mv "$out/world.json.tmp" "$out/world.json"
cp "$work/node_modules/world-atlas/LICENSE" "$out/LICENSE.world-atlas"
cp "$work/node_modules/d3-geo/LICENSE" "$out/LICENSE.d3-geo"
cp "$work/node_modules/topojson-client/LICENSE" "$out/LICENSE.topojson-client"
echo "wrote $out/world.json ($(wc -c < "$out/world.json") bytes) from world-atlas $WORLD_ATLAS, d3-geo $D3_GEO" >&2
