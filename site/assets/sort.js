/* Sortable tables, as progressive enhancement: every table is complete in its default order without this.
 *
 * A table of class "sortable" marks each sortable column's header cell with data-sort="text" or
 * data-sort="number" and each body cell with its sort key in data-value (the text when it has none).
 * The script puts a button in those header cells; a click sorts by the column, a second click reverses,
 * and aria-sort on the header says the order to screen readers. Rows with no value go last either way;
 * ties keep the page's default order, so a sort never depends on what was clicked before.
 */
(function () {
  "use strict";

  function sortKey(cell, kind) {
    var raw = cell ? cell.getAttribute("data-value") : "";
    if (raw === null) raw = cell.textContent.trim();
    if (raw === "") return null;
    if (kind === "number") {
      var n = Number(raw);
      return isNaN(n) ? null : n;
    }
    return raw.toLocaleLowerCase();
  }

  function compare(a, b, kind) {
    if (kind === "number") return a - b;
    return a.localeCompare(b);
  }

  function sortBy(table, header, index, kind) {
    var next = header.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    if (!header.hasAttribute("aria-sort") && kind === "number") next = "descending";
    var body = table.tBodies[0];
    var rows = Array.prototype.map.call(body.rows, function (row) {
      return { row: row, key: sortKey(row.cells[index], kind), order: Number(row.getAttribute("data-order")) };
    });
    rows.sort(function (a, b) {
      if (a.key === null || b.key === null) {
        if (a.key === b.key) return a.order - b.order;
        return a.key === null ? 1 : -1;
      }
      var c = compare(a.key, b.key, kind);
      if (next === "descending") c = -c;
      return c || a.order - b.order;
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      if (cell !== header) cell.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", next);
  }

  function enhance(table) {
    if (!table.tHead || !table.tBodies.length) return;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row, i) {
      row.setAttribute("data-order", String(i));
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
      var kind = header.getAttribute("data-sort");
      if (kind !== "text" && kind !== "number") return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (header.firstChild) button.appendChild(header.firstChild);
      header.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, header, index, kind); });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), enhance);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
