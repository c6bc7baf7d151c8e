// The home map's filters: recount, per State, the mechanisms of the chosen type, status and theme, and recolour.
// Without this script the map shows the counts over every mechanism, drawn at build time.
(function () {
  "use strict";
  var data = document.getElementById("map-data");
  var form = document.querySelector("form.filters");
  if (!data || !form) return;
  var info = JSON.parse(data.textContent);
  var legend = document.querySelectorAll("#worldmap .legend.scale .sw");
  var colours = Array.prototype.map.call(legend, function (s) { return s.style.background; });
  // Bins as the build writes them in the legend: none, 1, 2, 3-4, 5-6, 7-9, 10+.
  var bins = [[1, 1], [2, 2], [3, 4], [5, 6], [7, 9], [10, Infinity]];
  function colourOf(n) {
    for (var i = 0; i < bins.length; i++) if (n >= bins[i][0] && n <= bins[i][1]) return colours[i + 1];
    return colours[0];
  }
  function keep(acr) {
    var m = info.mechanisms[acr], t = form.type.value, s = form.status.value, th = form.theme.value;
    return m && (!t || m.type === t) && (!s || m.status.indexOf(s) >= 0) && (!th || m.themes.indexOf(th) >= 0);
  }
  function update() {
    var shown = Object.keys(info.mechanisms).filter(keep).length;
    document.querySelectorAll("#worldmap a.st").forEach(function (a) {
      var list = (info.states[a.dataset.iso3] || []).filter(keep);
      a.dataset.count = String(list.length);
      var mark = a.firstElementChild;
      mark.setAttribute("fill", colourOf(list.length));
      var title = mark.querySelector("title");
      title.textContent = title.textContent.replace(/: .*$/, "") + ": " + list.length + " mechanism(s)" +
        (list.length ? " (" + list.join(", ") + ")" : "");
    });
    form.shown.value = shown + " of " + Object.keys(info.mechanisms).length + " mechanisms counted";
  }
  form.hidden = false;
  form.addEventListener("change", update);
  update();
})();
