// Progress of a key-figure import (no inline scripts: CSP). The form is an ordinary POST that
// runs the whole import before it answers; while it runs, this asks the progress endpoint
// every second and shows what it says. Without JavaScript the POST still completes and the
// page shows the report.
(function () {
  "use strict";
  // Both the upload form and the form that imports the file a dry run checked report here.
  var forms = document.querySelectorAll("form[data-import-progress]");
  var box = document.getElementById("import-progress");
  if (!forms.length || !box || !window.fetch) { return; }
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");
  Array.prototype.forEach.call(forms, function (form) { form.addEventListener("submit", function () {
    var field = form.elements.namedItem("import_id");
    if (!field || !field.value) { return; }
    var url = form.dataset.importProgress.replace("00000000-0000-0000-0000-000000000000", field.value);
    box.hidden = false;
    form.setAttribute("aria-busy", "true");
    function show(progress) {
      if (!progress || progress.stage === "unknown") { return; }
      if (typeof progress.percent === "number") {
        bar.value = progress.percent;
      } else {
        bar.removeAttribute("value");
      }
      if (text.textContent !== progress.text) { text.textContent = progress.text; }
    }
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(show)
        .catch(function () { /* the next poll tries again */ })
        .then(function () { window.setTimeout(poll, 1000); });
    }
    window.setTimeout(poll, 500);
  }); });
})();
