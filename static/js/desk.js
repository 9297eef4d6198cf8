// The staff desk's own behaviours (Content-Security-Policy: no inline script).
(function () {
  "use strict";

  // "Not present" can be undone for a minute: the form goes when its time is up, as the
  // server would refuse it then. <form data-expires-at="EPOCH" data-expires-after="SECONDS">.
  document.querySelectorAll("[data-expires-at]").forEach(function (el) {
    var end = (Number(el.dataset.expiresAt) + Number(el.dataset.expiresAfter || 0)) * 1000;
    var left = end - Date.now();
    if (left <= 0) {
      el.remove();
      return;
    }
    setTimeout(function () { el.remove(); }, left);
  });
})();
