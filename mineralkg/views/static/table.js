// Sorts the answer table by a column when its name is clicked (again: the other way).
// Numbers compare as numbers, the rest as text; empty cells go last.
(function () {
  "use strict";
  function key(td) { return td ? td.getAttribute("data-sort") || "" : ""; }
  function compare(a, b) {
    if (a === "" || b === "") { return a === b ? 0 : (a === "" ? 1 : -1); }
    var x = Number(a), y = Number(b);
    if (!isNaN(x) && !isNaN(y)) { return x - y; }
    return a.localeCompare(b);
  }
  function sortBy(table, column, button) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var up = button.getAttribute("aria-sort") !== "ascending";
    rows.sort(function (r, s) {
      var order = compare(key(r.cells[column]), key(s.cells[column]));
      return up ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    table.querySelectorAll("button.sort").forEach(function (b) { b.removeAttribute("aria-sort"); });
    button.setAttribute("aria-sort", up ? "ascending" : "descending");
  }
  document.addEventListener("DOMContentLoaded", function () {
    var table = document.getElementById("answer");
    if (!table) { return; }
    table.querySelectorAll("button.sort").forEach(function (button) {
      button.addEventListener("click", function () {
        sortBy(table, Number(button.getAttribute("data-column")), button);
      });
    });
    window.mkgTableReady = true;
  });
})();
