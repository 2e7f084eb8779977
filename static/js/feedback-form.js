// The interviewer's feedback form. htmx does the saving (see feedback.html); this file only
// tells the interviewer what autosave is doing, warns before a page with unsaved changes is
// left, and moves the focus to the new step's heading when a step swaps in, so keyboard and
// screen reader users are not left on a button that no longer exists.
// Without JavaScript none of this runs and "Save and continue" posts the page normally.
(function () {
  "use strict";
  const FORM_ID = "feedback-form";
  let edits = 0; // changes made on this page
  let confirmed = 0; // changes the server has confirmed
  let sent = 0; // the changes the request in flight carries

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
    if (inForm(event)) {
      edits += 1;
    }
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
      status(
        "Not saved: the server could not be reached. Your answers are still on this page " +
          "and are sent again with your next change.",
      );
      return;
    }
    // The server answers a refused save (another tab, a bad value) with data-saved="false".
    const element = document.getElementById("save-status");
    if (element && element.dataset.saved === "true") {
      confirmed = Math.max(confirmed, sent);
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

  window.addEventListener("beforeunload", function (event) {
    if (edits > confirmed && document.getElementById(FORM_ID)) {
      event.preventDefault();
    }
  });

  // A plain "Save and continue" (no htmx) leaves the page on purpose: no warning then.
  document.addEventListener("submit", function (event) {
    if (inForm(event)) {
      confirmed = edits;
    }
  });
})();
