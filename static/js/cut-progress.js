/* The progress of the portal's cuts on the back office's order page
 * (templates/admin/orders/order/_cuts.html): while a cut runs, ask the server every second and
 * a half for each run's progress and move the bars; when a run finishes, reload the page so it
 * shows the files and their first rows (or the reason it failed). No inline script or style. */
(function () {
  "use strict";
  var box = document.querySelector("[data-cut-poll]");
  if (!box || !box.hasAttribute("data-cut-active")) return;
  var url = box.getAttribute("data-cut-poll");
  var INTERVAL = 1500;

  function set(selector, value) {
    var el = box.querySelector(selector);
    if (el) el.textContent = value;
    return el;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        var finished = false;
        data.runs.forEach(function (run) {
          var bar = box.querySelector('[data-cut-run="' + run.id + '"]');
          if (!bar) return;
          bar.value = run.progress;
          bar.textContent = run.progress + " %";
          set('[data-cut-percent="' + run.id + '"]', run.progress + " %");
          set('[data-cut-status="' + run.id + '"]', run.label);
          set('[data-cut-message="' + run.id + '"]', run.message);
          if (!run.active) finished = true;
        });
        if (finished) {
          box.removeAttribute("data-cut-active");
          box.setAttribute("data-cut-finished", "");
          set("h2", box.getAttribute("data-text-done"));
          window.location.reload();
          return;
        }
        window.setTimeout(poll, INTERVAL);
      })
      .catch(function () {
        window.setTimeout(poll, INTERVAL * 4);
      });
  }
  window.setTimeout(poll, INTERVAL);
})();
