/* Ordering in the admin without typing numbers (progressive enhancement).

   Every row of a table whose rows carry a "position" field (a goal's key messages and measures,
   the list of goals) gets a drag handle and the buttons "Nach oben" / "Nach unten", which work
   with the keyboard like any button. Moving a row only changes the page; the positions are
   written into the (then hidden) number fields, so "Speichern" saves the order as before.
   Rows that already have a position keep the numbers they had, in the new order; rows added
   at the end come after the last one. Without JavaScript the number fields stay as they are.
   The texts come from the script tag's data attributes (translated on the server). */
(function () {
  "use strict";
  var script = document.currentScript;
  var text = {
    up: script.dataset.moveUp,
    down: script.dataset.moveDown,
    drag: script.dataset.drag,
    moved: script.dataset.moved,
    column: script.dataset.column,
    saveHint: script.dataset.saveHint,
  };
  var live = null;

  function announce(message) {
    if (!live) {
      live = document.createElement("p");
      live.className = "ordering-status";
      live.setAttribute("role", "status");
      document.body.appendChild(live);
    }
    live.textContent = message;
  }

  function positionInput(row) {
    return row.querySelector('td.field-position input[name$="-position"]');
  }

  function pkValue(row) {
    var pk = row.querySelector('input[type="hidden"][name$="-id"]');
    return pk ? pk.value : "";
  }

  function isInUse(row) {
    // An inline row counts once it exists or something was entered in it; an untouched extra
    // row must stay untouched, or Django would validate it as a new entry.
    if (row.classList.contains("empty-form")) { return false; }
    if (pkValue(row) || row.closest("#result_list")) { return true; }
    var fields = row.querySelectorAll("textarea, select, input:not([type=hidden]):not([type=checkbox])");
    for (var i = 0; i < fields.length; i++) {
      if (!fields[i].name.endsWith("-position") && fields[i].value.trim()) { return true; }
    }
    return false;
  }

  function rowsOf(tbody) {
    return Array.prototype.filter.call(tbody.children, function (row) {
      return row.tagName === "TR" && positionInput(row) && !row.classList.contains("empty-form");
    });
  }

  function rowLabel(row) {
    var title = row.querySelector("th a, td.field-text textarea, td.field-measure select");
    if (!title) { return ""; }
    var label = title.tagName === "SELECT"
      ? (title.selectedOptions[0] ? title.selectedOptions[0].textContent : "")
      : (title.value !== undefined ? title.value : title.textContent);
    label = label.trim();
    return label.length > 60 ? label.slice(0, 59) + "…" : label;
  }

  function renumber(tbody) {
    var rows = rowsOf(tbody).filter(isInUse);
    var kept = rows.filter(function (row) { return pkValue(row) || row.closest("#result_list"); })
      .map(function (row) { return parseInt(positionInput(row).value, 10) || 0; })
      .sort(function (a, b) { return a - b; });
    var previous = null;
    rows.forEach(function (row, index) {
      var wanted = index < kept.length ? kept[index] : previous + 1;
      var value = previous === null ? wanted : Math.max(wanted, previous + 1);
      var input = positionInput(row);
      if (String(value) !== input.value) { input.value = String(value); }
      previous = value;
    });
  }

  function move(row, step) {
    var tbody = row.parentNode;
    var rows = rowsOf(tbody).filter(isInUse);
    var index = rows.indexOf(row);
    var target = rows[index + step];
    if (!target) { return; }
    if (step < 0) { tbody.insertBefore(row, target); } else { tbody.insertBefore(target, row); }
    afterMove(row);
  }

  function afterMove(row) {
    var tbody = row.parentNode;
    renumber(tbody);
    rowsOf(tbody).forEach(updateButtons);
    var rows = rowsOf(tbody).filter(isInUse);
    var message = text.moved.replace("%(item)s", rowLabel(row))
      .replace("%(position)s", rows.indexOf(row) + 1).replace("%(count)s", rows.length);
    if (row.closest("#result_list")) { message += " " + text.saveHint; }
    announce(message);
  }

  function updateButtons(row) {
    var rows = rowsOf(row.parentNode).filter(isInUse);
    var index = rows.indexOf(row);
    var up = row.querySelector(".ordering-up");
    var down = row.querySelector(".ordering-down");
    if (up) { up.setAttribute("aria-disabled", index <= 0 ? "true" : "false"); }
    if (down) {
      down.setAttribute("aria-disabled", index === -1 || index === rows.length - 1 ? "true" : "false");
    }
  }

  function button(className, label, step, row) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "ordering-button " + className;
    element.textContent = label;
    element.addEventListener("click", function () {
      if (element.getAttribute("aria-disabled") === "true") { return; }
      move(row, step);
      element.focus();
    });
    return element;
  }

  function enhanceRow(row) {
    var input = positionInput(row);
    if (!input || row.querySelector(".ordering-controls")) { return; }
    input.type = "hidden";
    var cell = input.closest("td");
    var controls = document.createElement("span");
    controls.className = "ordering-controls";
    var handle = document.createElement("span");
    handle.className = "ordering-handle";
    handle.title = text.drag;
    handle.textContent = "⠿";
    handle.setAttribute("aria-hidden", "true");
    handle.addEventListener("mousedown", function () { row.draggable = true; });
    controls.appendChild(handle);
    controls.appendChild(button("ordering-up", text.up, -1, row));
    controls.appendChild(button("ordering-down", text.down, 1, row));
    cell.appendChild(controls);

    row.addEventListener("dragstart", function (event) {
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "");
      row.classList.add("ordering-dragged");
    });
    row.addEventListener("dragend", function () {
      row.draggable = false;
      row.classList.remove("ordering-dragged");
      afterMove(row);
    });
    row.addEventListener("dragover", function (event) {
      var dragged = row.parentNode.querySelector(".ordering-dragged");
      if (!dragged || dragged === row) { return; }
      event.preventDefault();
      var box = row.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      row.parentNode.insertBefore(dragged, after ? row.nextSibling : row);
    });
  }

  function enhanceTable(table) {
    var tbody = table.tBodies[0];
    var rows = tbody ? rowsOf(tbody) : [];
    if (!rows.length) { return; }
    var header = table.querySelector("thead th.column-position");
    if (header) {
      (header.querySelector(".text a, .text span") || header).textContent = text.column;
    }
    rows.forEach(enhanceRow);
    rows.forEach(updateButtons);
    tbody.addEventListener("input", function () { rowsOf(tbody).forEach(updateButtons); });
    var form = table.closest("form");
    if (form && !form.dataset.orderingBound) {
      form.dataset.orderingBound = "true";
      form.addEventListener("submit", function () {
        form.querySelectorAll("table").forEach(function (each) {
          if (each.tBodies[0]) { renumber(each.tBodies[0]); }
        });
      });
    }
  }

  function sortedByPosition(table) {
    // The list of goals can be sorted by other columns; only in its own order does moving a
    // row mean moving the goal.
    return !table.closest("#result_list") || !new URLSearchParams(location.search).has("o");
  }

  function start() {
    document.querySelectorAll("table").forEach(function (table) {
      if (table.querySelector('td.field-position input[name$="-position"]') && sortedByPosition(table)) {
        enhanceTable(table);
      }
    });
  }

  document.addEventListener("formset:added", function (event) {
    var row = event.target;
    enhanceRow(row);
    rowsOf(row.parentNode).forEach(updateButtons);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
