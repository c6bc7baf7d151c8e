// Client-side search over names, acronyms and ISO codes (assets/search-index.js): no server, no network.
(function () {
  "use strict";
  var input = document.getElementById("q"), list = document.getElementById("results");
  var index = window.ISCM_SEARCH || [];
  if (!input || !list) return;
  var root = document.querySelector('link[rel="stylesheet"]').getAttribute("href").replace(/assets\/site\.css$/, "");
  function norm(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }
  index.forEach(function (e) { e.keys = e.t.map(norm); });
  function score(e, q) {
    var best = 0;
    e.keys.forEach(function (k) {
      if (k === q) best = Math.max(best, 3);
      else if (k.indexOf(q) === 0) best = Math.max(best, 2);
      else if (k.indexOf(q) > 0) best = Math.max(best, 1);
    });
    return best;
  }
  function show() {
    var q = norm(input.value.trim());
    list.innerHTML = "";
    if (!q) return;
    var hits = index.map(function (e) { return [score(e, q), e]; }).filter(function (p) { return p[0] > 0; });
    hits.sort(function (a, b) { return b[0] - a[0] || a[1].n.localeCompare(b[1].n); });
    hits.slice(0, 30).forEach(function (p) {
      var li = document.createElement("li"), a = document.createElement("a"), k = document.createElement("span");
      a.href = root + p[1].u; a.textContent = p[1].n; k.className = "kind"; k.textContent = p[1].k;
      li.appendChild(a); li.appendChild(k); list.appendChild(li);
    });
    if (!hits.length) { var li = document.createElement("li"); li.textContent = "Nothing found."; list.appendChild(li); }
  }
  var given = new URLSearchParams(window.location.search).get("q");
  if (given) input.value = given;
  input.addEventListener("input", show);
  input.form.addEventListener("submit", function (ev) { ev.preventDefault(); show(); });
  show();
})();
