// Sortable tables: a button in each header of a table.sortable; the table reads the same without it.
(function () {
  "use strict";
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, col) {
      var b = document.createElement("button");
      b.className = "sort"; b.type = "button"; b.textContent = th.textContent;
      th.textContent = ""; th.appendChild(b);
      b.addEventListener("click", function () {
        var up = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var a = r1.cells[col].textContent.trim(), c = r2.cells[col].textContent.trim();
          var n = (parseFloat(a) || 0) - (parseFloat(c) || 0);
          var cmp = (isNaN(parseFloat(a)) || isNaN(parseFloat(c))) ? a.localeCompare(c) : n;
          return up ? cmp : -cmp;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
})();
