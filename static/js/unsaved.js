// Warn before leaving a page with unsaved changes. Every form marked data-unsaved-warning
// becomes "dirty" on the first input; submitting it clears the flag.
(function () {
  "use strict";
  var dirty = false;
  document.querySelectorAll("form[data-unsaved-warning]").forEach(function (form) {
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) { return; }
    event.preventDefault();
    event.returnValue = "";
  });
})();
