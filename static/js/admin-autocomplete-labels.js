/* Select2 (the admin's autocomplete) draws its own combobox next to the hidden <select> and names
   it by the chosen value only, so an empty one has no name for screen readers (axe
   aria-input-field-name). Give each combobox the label of its <select>. */
(function () {
  "use strict";
  function nameComboboxes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var label = select.id && document.querySelector('label[for="' + select.id + '"]');
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
  window.addEventListener("load", nameComboboxes);
  document.addEventListener("formset:added", function () { setTimeout(nameComboboxes); });
})();
