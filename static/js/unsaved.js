// Warn before leaving a page with unsaved changes. Every form marked data-unsaved-warning
// becomes "dirty" on the first input; submitting it clears the flag. A form that comes back
// from the server with errors or a conflict (marked data-unsaved-dirty) holds typed text
// that is not saved yet, so it starts dirty.
(function () {
  "use strict";
  var dirty = false;
  document.querySelectorAll("form[data-unsaved-warning]").forEach(function (form) {
    if (form.hasAttribute("data-unsaved-dirty")) { dirty = true; }
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
