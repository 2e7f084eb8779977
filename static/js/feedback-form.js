// The interviewer's feedback form. htmx does the saving (see feedback.html); this file
// tells the interviewer what autosave is doing ("Saved at" only once every change is in),
// asks before a page with unsaved changes is left, and moves the focus to the new step's
// heading when a step swaps in, so keyboard and screen reader users are not left on a
// removed button.
// Without JavaScript none of this runs and "Save and continue" posts the page normally.
(function () {
  "use strict";
  const FORM_ID = "feedback-form";
  let edits = 0; // changes made on this page
  let confirmed = 0; // changes the server has confirmed saved
  let sent = 0; // the changes the request in flight carries
  let failed = false; // the last save was refused or did not arrive

  function form() {
    return document.getElementById(FORM_ID);
  }

  function status(text) {
    const element = document.getElementById("save-status");
    if (element) {
      element.textContent = text;
    }
  }

  function inForm(event) {
    return event.target instanceof Element && event.target.closest("#" + FORM_ID) !== null;
  }

  function fromForm(event) {
    return event.detail && event.detail.elt && event.detail.elt.id === FORM_ID;
  }

  function onEdit(event) {
    if (!inForm(event)) {
      return;
    }
    // Said once per burst of typing, not per key: the status is a live region.
    if (edits === confirmed && !failed) {
      status("Unsaved changes…");
    }
    edits += 1;
  }
  document.addEventListener("input", onEdit);
  document.addEventListener("change", onEdit);

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    sent = edits;
    if (fromForm(event)) {
      status("Saving…");
    }
  });

  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (!event.detail.successful) {
      failed = true;
      status(
        "Not saved: the server could not be reached. Your answers are still on this page " +
          "and are sent again with your next change.",
      );
      return;
    }
    // The server marks a refused save (another tab, a bad value) with data-saved="false".
    const element = document.getElementById("save-status");
    failed = !(element && element.dataset.saved === "true");
    if (!failed) {
      confirmed = Math.max(confirmed, sent);
      if (edits > confirmed) {
        // Typed while this save was on its way: the next one is coming.
        status("Unsaved changes…");
      }
    }
  });

  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.target && event.detail.target.id === "feedback-step") {
      const heading = document.getElementById("step-heading");
      if (heading) {
        heading.focus();
      }
    }
  });

  // Leaving within the autosave's pause, or after a refused save, would lose what is typed
  // here: the browser asks first.
  window.addEventListener("beforeunload", function (event) {
    if (form() && edits > confirmed) {
      event.preventDefault();
    }
  });

  // "Submit feedback" and the no-htmx "Save and continue" leave the page on purpose.
  document.addEventListener("submit", function (event) {
    if (inForm(event)) {
      confirmed = edits;
      failed = false;
    }
  });
})();
