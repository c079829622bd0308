/* Names for the controls that Django's admin widgets draw without one (axe: label,
   aria-input-field-name, aria-prohibited-attr), so screen readers say what each field is:
   - the autocomplete's combobox (select2) takes the label of its <select>;
   - the date and the time box of a date-time field are "Beginn: Datum", "Beginn: Uhrzeit";
   - a number edited in a list ("Reihenfolge") is named by its column and its row;
   - the filter icon of a two-box selection is an image with a name, not a nameless span.
   Runs after the widgets have drawn themselves (on load), and again for inline rows added. */
(function () {
  "use strict";

  function text(element) {
    return element ? element.textContent.replace(/\s+/g, " ").trim().replace(/:$/, "") : "";
  }

  function labelFor(id) {
    return id ? document.querySelector('label[for="' + id + '"]') : null;
  }

  function nameComboboxes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = labelFor(select.id);
      var box = select.nextElementSibling;
      var combobox = box && box.querySelector('.select2-selection[role="combobox"]');
      if (!label || !combobox || combobox.dataset.labelled) { return; }
      label.id = label.id || select.id + "-label";
      var shown = combobox.querySelector('[role="textbox"]');
      combobox.setAttribute("aria-labelledby", label.id + (shown ? " " + shown.id : ""));
      if (shown) { shown.setAttribute("aria-labelledby", label.id + " " + shown.id); }
      combobox.dataset.labelled = "true";
    });
  }

  function nameDateTimeParts() {
    document.querySelectorAll("p.datetime").forEach(function (paragraph) {
      paragraph.querySelectorAll("input").forEach(function (input) {
        if (!input.id || labelFor(input.id) || input.hasAttribute("aria-label")) { return; }
        var whole = labelFor(input.id.replace(/_[01]$/, ""));
        var part = input.previousSibling;
        while (part && part.nodeType !== Node.TEXT_NODE) { part = part.previousSibling; }
        var name = [text(whole), part ? part.textContent.trim().replace(/:$/, "") : ""];
        input.setAttribute("aria-label", name.filter(Boolean).join(": "));
      });
    });
  }

  function nameListInputs() {
    var table = document.getElementById("result_list");
    if (!table) { return; }
    var headings = Array.prototype.map.call(table.querySelectorAll("thead th"), text);
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var title = text(row.querySelector("th"));
      Array.prototype.forEach.call(row.children, function (cell, index) {
        cell.querySelectorAll("input:not([type=hidden]):not(.action-select), select").forEach(function (input) {
          if (!labelFor(input.id) && !input.hasAttribute("aria-label")) {
            input.setAttribute("aria-label", [headings[index], title].filter(Boolean).join(": "));
          }
        });
      });
    });
  }

  function nameFilterIcons() {
    document.querySelectorAll(".search-label-icon[aria-label]").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function nameAll() {
    nameComboboxes();
    nameDateTimeParts();
    nameListInputs();
    nameFilterIcons();
  }

  window.addEventListener("load", function () { setTimeout(nameAll); });
  document.addEventListener("formset:added", function () { setTimeout(nameAll); });
})();
