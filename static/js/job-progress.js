// A background job's page (no inline scripts: CSP): while the job runs, ask its progress
// endpoint every second and show what it says; when it is finished, load the page again so it
// shows the download. Without JavaScript the page has a refresh link.
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box || !box.hasAttribute("data-job-running") || !window.fetch) { return; }
  var bar = box.querySelector("progress");
  var status = box.querySelector("[data-job-status]");
  var count = box.querySelector("[data-job-count]");
  function show(progress) {
    if (!progress) { return; }
    if (progress.finished) { window.location.reload(); return; }
    bar.value = progress.percent;
    bar.textContent = progress.percent + " %";
    if (status.textContent !== progress.status_text) { status.textContent = progress.status_text; }
    if (count) {
      var text = count.textContent.replace(/\d+/, String(progress.done));
      if (count.textContent !== text) { count.textContent = text; }
    }
  }
  function poll() {
    fetch(box.dataset.jobProgress, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(show)
      .catch(function () { /* the next poll tries again */ })
      .then(function () { window.setTimeout(poll, 1000); });
  }
  window.setTimeout(poll, 1000);
})();
