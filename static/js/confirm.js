// Ask before a destructive action. A form, or the button that submits it, carrying
// data-confirm="…" asks that question with window.confirm; "Cancel" leaves everything as it
// was. Without JavaScript the form submits as usual and the server does the action.
(function () {
  "use strict";
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      var button = event.submitter;
      var question =
        (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) {
        event.preventDefault();
        // Listeners on the form itself (the unsaved-changes warning) never see a cancelled
        // submit: this one runs first, in the capture phase.
        event.stopImmediatePropagation();
      }
    },
    true
  );
})();
