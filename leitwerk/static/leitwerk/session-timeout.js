/* Session-timeout warning (WCAG 2.2.1 Timing Adjustable).
   The page already says in text when the sign-in ends; this only adds a live warning two minutes
   before, so people who type slowly can save in time, and lets „Sitzung verlängern“ renew the
   sign-in in the background, so nothing typed on the page is lost. Without JavaScript the same
   form posts and returns to the page. Works without any inline script. */
(function () {
  "use strict";
  var notice = document.querySelector("[data-session-ends]");
  var box = document.getElementById("session-warning");
  if (!notice || !box) { return; }
  var until = notice.querySelector("time");
  var timer = null;
  var focusBefore = null;

  function show() {
    focusBefore = document.activeElement;
    box.hidden = false;
    box.focus();
  }

  function schedule() {
    var endsAt = parseInt(notice.getAttribute("data-session-ends"), 10) * 1000;
    if (!endsAt) { return; }
    if (timer !== null) { window.clearTimeout(timer); }
    var wait = endsAt - 2 * 60 * 1000 - Date.now();
    if (wait <= 0) { show(); } else { timer = window.setTimeout(show, wait); }
  }

  function extendInBackground(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok) { throw new Error("not extended"); }
        return response.json();
      }).then(function (data) {
        notice.setAttribute("data-session-ends", String(data.ends_at));
        if (until) {
          until.textContent = new Date(data.ends_at * 1000).toLocaleTimeString(
            "de-DE", { hour: "2-digit", minute: "2-digit" });
        }
        if (!box.hidden) {
          box.hidden = true;
          // Back to where the person was working before the warning took the focus.
          var back = focusBefore && document.body.contains(focusBefore) ? focusBefore : null;
          (back || document.getElementById("inhalt")).focus();
        }
        schedule();
      }).catch(function () {
        form.submit();  // the plain way: the server answers with the page or the sign-in
      });
    });
  }

  if (window.fetch && window.FormData) {
    Array.prototype.forEach.call(document.querySelectorAll("form.session-extend"), extendInBackground);
  }
  schedule();
})();
