/* Session-timeout warning (WCAG 2.2.1 Timing Adjustable).
   The page already says in text when the sign-in ends; this only adds a live warning two minutes
   before, so people who type slowly can save in time. Works without any inline script. */
(function () {
  "use strict";
  var notice = document.querySelector("[data-session-ends]");
  var box = document.getElementById("session-warning");
  if (!notice || !box) { return; }
  var endsAt = parseInt(notice.getAttribute("data-session-ends"), 10) * 1000;
  if (!endsAt) { return; }
  var warnAt = endsAt - 2 * 60 * 1000;
  function show() {
    box.hidden = false;
    box.focus();
  }
  var wait = warnAt - Date.now();
  if (wait <= 0) { show(); } else { window.setTimeout(show, wait); }
})();
