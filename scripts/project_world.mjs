// Project Natural Earth's countries (world-atlas) to SVG path data once, for web/vendor/world.json.
// Run by scripts/vendor_web_assets.sh inside its temporary npm folder. Countries too small for the 1:110m
// shapes (Singapore, Bahrain, most island States) get a point at their 1:10m centroid, so that every State
// with an ISO 3166-1 numeric code can be drawn as one mark.
import { readFileSync } from "node:fs";
import { feature } from "topojson-client";
import { geoEqualEarth, geoPath, geoCentroid } from "d3-geo";

const [worldAtlasVersion, d3GeoVersion] = process.argv.slice(2);
const read = (name) => JSON.parse(readFileSync(`node_modules/world-atlas/${name}`, "utf8"));
const small = read("countries-110m.json");
const large = read("countries-10m.json");
const width = 960;
const height = 470;
// Equal Earth: an equal-area projection, so that a choropleth does not exaggerate the far north.
const projection = geoEqualEarth().fitExtent([[4, 4], [width - 4, height - 4]], { type: "Sphere" });
const path = geoPath(projection).digits(1);
const round = (v) => Math.round(v * 10) / 10;

const shapes = {};
for (const f of feature(small, small.objects.countries).features) {
  if (f.id === undefined) continue; // shapes without an ISO code (disputed areas) are not States
  shapes[f.id] = { name: f.properties.name, d: path(f) };
}
const points = {};
for (const f of feature(large, large.objects.countries).features) {
  if (f.id === undefined || f.id in shapes) continue;
  const [x, y] = projection(geoCentroid(f));
  points[f.id] = { name: f.properties.name, x: round(x), y: round(y) };
}
const sorted = (o) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
process.stdout.write(JSON.stringify({
  source: `Natural Earth (public domain) via world-atlas ${worldAtlasVersion} countries-110m.json and ` +
          `countries-10m.json (centroids of the small countries), projected with d3-geo ${d3GeoVersion} geoEqualEarth`,
  width, height,
  sphere: path({ type: "Sphere" }),
  shapes: sorted(shapes),
  points: sorted(points),
}) + "\n");
