// The error summary (templates/_error_summary.html) takes the focus when the page comes back
// with errors, so a screen reader reads it first and the keyboard starts there; each of its
// links moves the focus to its field and shows the field's label or question with it.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) { return; }
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) { return; }
    event.preventDefault();
    var shown = target.closest("fieldset") && target.type === "radio" ? target.closest("fieldset") : null;
    var label = shown ? shown.querySelector("legend") : document.querySelector("label[for='" + target.id + "']");
    (label || target).scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
    if (window.history && history.replaceState) { history.replaceState(null, "", "#" + target.id); }
  });
})();
