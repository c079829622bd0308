/* Live character count for text fields that carry data-character-limit (progressive enhancement:
   without JavaScript the field still takes any length and the server explains what is too long).
   The visible count follows every keystroke; screen readers hear it only after a pause in typing,
   through a polite live region, so they are not interrupted on every character. */
(function () {
  "use strict";
  var PAUSE_MS = 1000;

  function format(template, count, limit, lang) {
    return template.replace("%(count)s", count.toLocaleString(lang))
      .replace("%(limit)s", limit.toLocaleString(lang));
  }

  function enhance(field) {
    var limit = parseInt(field.getAttribute("data-character-limit"), 10);
    if (!limit) { return; }
    var lang = document.documentElement.lang || "de";
    var visible = document.createElement("p");
    visible.className = "character-count";
    visible.id = field.id + "-count";
    visible.setAttribute("aria-hidden", "true");
    var spoken = document.createElement("p");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    field.insertAdjacentElement("afterend", visible);
    visible.insertAdjacentElement("afterend", spoken);
    var timer = null;

    function message() {
      var left = limit - field.value.length;
      if (left < 0) {
        return format(field.getAttribute("data-over-text"), -left, limit, lang);
      }
      return format(field.getAttribute("data-remaining-text"), left, limit, lang);
    }

    function update() {
      var over = field.value.length > limit;
      visible.textContent = message();
      visible.classList.toggle("is-over", over);
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { spoken.textContent = message(); }, PAUSE_MS);
    }

    field.addEventListener("input", update);
    visible.textContent = message();
    visible.classList.toggle("is-over", field.value.length > limit);
  }

  function init() {
    var fields = document.querySelectorAll("textarea[data-character-limit]");
    for (var i = 0; i < fields.length; i++) { enhance(fields[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
