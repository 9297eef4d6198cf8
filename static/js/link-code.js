// A personal link (e-mail verification, password reset) carries its code after "#", which
// the browser never sends: put it in the form, drop it from the address bar and the history,
// and post it. Without a code (or without JavaScript) the visitor can paste it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-link-code]");
  if (!form) return;
  var code = window.location.hash.slice(1);
  if (!code) return;
  form.elements.code.value = decodeURIComponent(code);
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
  form.submit();
})();
