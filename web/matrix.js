// The overlaps matrix for one State: keep only the rows and columns of the mechanisms it takes part in.
(function () {
  "use strict";
  var select = document.getElementById("state-filter");
  if (!select) return;
  select.form.hidden = false;
  select.addEventListener("change", function () {
    var keep = select.value ? select.value.split(";") : null;
    var table = document.querySelector("table.matrix");
    var heads = table.tHead.rows[0].cells;
    var order = [];
    for (var i = 1; i < heads.length; i++) order.push(heads[i].textContent.trim());
    function hidden(acr) { return keep !== null && keep.indexOf(acr) < 0; }
    order.forEach(function (acr, i) { heads[i + 1].classList.toggle("hide", hidden(acr)); });
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      row.classList.toggle("hide", hidden(row.dataset.mech));
      for (var i = 1; i < row.cells.length; i++) row.cells[i].classList.toggle("hide", hidden(order[i - 1]));
    });
  });
})();
