// A "Copy link" button next to an invitation link: copies the text of the element named in
// data-copy-target and says so in a live region. Without the clipboard (an insecure origin, or
// no permission) the link is selected instead, so Ctrl+C finishes the job.
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var target = document.getElementById(button.getAttribute("data-copy-target"));
      var status = document.getElementById(button.getAttribute("data-copy-status"));
      function selectText() {
        var range = document.createRange();
        range.selectNodeContents(target);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        status.textContent = button.getAttribute("data-copy-selected");
      }
      if (!navigator.clipboard) { selectText(); return; }
      navigator.clipboard.writeText(target.textContent.trim()).then(function () {
        status.textContent = button.getAttribute("data-copy-done");
      }, selectText);
    });
  });
})();
