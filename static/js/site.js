// Small behaviours of the portal's pages, switched on by data attributes: the pages carry no
// inline script (Content-Security-Policy: script-src 'self').
(function () {
  "use strict";

  // Filters apply as soon as they change; the form's own button does the same without scripts.
  document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.requestSubmit(); });
  });

  // Slow work (rendering and sending a PDF): show it, and keep a second click out.
  document.querySelectorAll("button[data-busy]").forEach(function (button) {
    button.form.addEventListener("submit", function () {
      button.disabled = true;
      var spinner = document.createElement("span");
      spinner.className = "spinner-border spinner-border-sm me-1";
      spinner.setAttribute("aria-hidden", "true");
      button.replaceChildren(spinner, document.createTextNode(button.dataset.busy));
    });
  });

  // One tap, one ticket.
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (event.submitter) event.submitter.disabled = true;
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // A kiosk form left alone goes back to its start, so the next visitor never finds it half
  // filled: <form data-idle-restart="URL" data-idle-seconds="180">.
  document.querySelectorAll("[data-idle-restart]").forEach(function (el) {
    var timer;
    var seconds = Number(el.dataset.idleSeconds || 180);
    function restart() { window.location.replace(el.dataset.idleRestart); }
    function wait() { clearTimeout(timer); timer = setTimeout(restart, seconds * 1000); }
    ["click", "keydown", "touchstart", "input", "scroll"].forEach(function (name) {
      document.addEventListener(name, wait, true);
    });
    wait();
  });

  // The desk's 10-minute standard, live: time since the last visitor here was done, while
  // people wait (#standard-clock, refreshed by htmx with its data-since and data-limit).
  if (document.querySelector("[data-standard-clock]")) {
    setInterval(function () {
      var clock = document.getElementById("standard-clock");
      if (!clock || !clock.dataset.since) return;
      var seconds = Math.max(0, Math.floor(Date.now() / 1000 - Number(clock.dataset.since)));
      var limit = Number(clock.dataset.limit);
      clock.textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
      clock.classList.toggle("text-danger", seconds > limit);
    }, 1000);
  }
})();
