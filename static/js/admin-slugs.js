/* The admin fills in a slug while a title is typed (URLify); keep German words readable as
   hagen_isek/slugs.py does: „Grünflächen“ gives gruenflaechen, not grunflachen. */
(function () {
  "use strict";
  var original = window.URLify;
  if (!original) { return; }
  var german = { "ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss" };
  window.URLify = function (text, length, allowUnicode) {
    return original(String(text).replace(/[äöüÄÖÜß]/g, function (c) { return german[c]; }), length, allowUnicode);
  };
})();
