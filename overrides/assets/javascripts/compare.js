// Makes every comparison table sortable by any column: each heading becomes a button, and a click sorts the rows
// by that column's data-sort-value (numbers as numbers, text as text), once ascending, then descending. Without
// this script the table stays as the build wrote it, cheapest delivered unit first.
(function () {
  "use strict";

  // The value a cell sorts by: a number when the cell gives one, otherwise its text.
  function sortValue(cell) {
    var raw = cell.getAttribute("data-sort-value");
    var text = raw === null ? cell.textContent.trim() : raw;
    var number = Number(text);
    return text !== "" && isFinite(number) ? { number: number } : { text: text.toLowerCase() };
  }

  // Compare two sort values: numbers before text, numbers by size, text alphabetically.
  function compare(a, b) {
    if ("number" in a && "number" in b) return a.number - b.number;
    if ("number" in a) return -1;
    if ("number" in b) return 1;
    return a.text < b.text ? -1 : (a.text > b.text ? 1 : 0);
  }

  // Sort a table's body rows by one column, keeping the original order between equal values.
  function sortBy(table, column, direction) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (row, index) {
      return { row: row, index: index, value: sortValue(row.cells[column]) };
    });
    rows.sort(function (a, b) { return (compare(a.value, b.value) * direction) || (a.index - b.index); });
    rows.forEach(function (item) { body.appendChild(item.row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell, index) {
      if (index === column) cell.setAttribute("aria-sort", direction > 0 ? "ascending" : "descending");
      else cell.removeAttribute("aria-sort");
    });
  }

  // Turn each heading of one table into a sort button.
  function wire(table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "costhub-compare__sort";
      while (cell.firstChild) button.appendChild(cell.firstChild);
      cell.appendChild(button);
      button.addEventListener("click", function () {
        sortBy(table, column, cell.getAttribute("aria-sort") === "ascending" ? -1 : 1);
      });
    });
    table.setAttribute("data-sortable", "ready");
  }

  // Start every comparison table on the page.
  function start() {
    document.querySelectorAll("table[data-compare]").forEach(wire);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
