// The province map: Leaflet over the committed GeoJSON, no external tiles. The table below
// the map holds the same figures and is what a browser without JavaScript shows.
(function () {
  "use strict";
  var element = document.getElementById("map");
  if (!element || !window.L) { return; }
  var counts = JSON.parse(document.getElementById("map-counts").textContent);
  var max = 1;
  Object.keys(counts).forEach(function (code) { max = Math.max(max, counts[code][0]); });
  var shades = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];
  function colour(code) {
    var n = (counts[code] || [0])[0];
    return n === 0 ? "#f7fbff" : shades[Math.min(4, Math.floor(4 * n / max))];
  }
  element.hidden = false;
  var map = L.map(element, { attributionControl: true, zoomSnap: 0.25 });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Natural Earth");
  fetch(element.dataset.geojson).then(function (r) { return r.json(); }).then(function (data) {
    var layer = L.geoJSON(data, {
      style: function (f) {
        return { color: "#335", weight: 0.6, fillOpacity: 0.9, fillColor: colour(f.properties.code) };
      },
      onEachFeature: function (f, l) {
        var c = counts[f.properties.code] || [0, 0];
        // Islands carry a permanent label with their province; the counts are the province's.
        var label = f.properties.island
          ? f.properties.island + " (" + f.properties.name + ")"
          : f.properties.name + ": " + c[0] + " " + element.dataset.labelActivities + ", " +
            c[1] + " " + element.dataset.labelInitiatives;
        l.bindTooltip(label, { permanent: !!f.properties.island, direction: "right",
                               sticky: !f.properties.island });
        l.on("click", function () {
          window.location.href = element.dataset.calendar + "?province=" + encodeURIComponent(f.properties.code);
        });
      }
    }).addTo(map);
    map.fitBounds(layer.getBounds());
  });
}());
