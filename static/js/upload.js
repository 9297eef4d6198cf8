/* Uploads with a progress bar: bytes sent, time left, and a failure that says why and can be
 * sent again without filling in the form again.
 *
 * A multipart form that holds templates/includes/upload_progress.html (its forms also carry
 * data-upload) is sent by XMLHttpRequest instead of the browser's own post. Every text comes
 * translated from the template's data- attributes; no inline script or style, so it runs under
 * a Content-Security-Policy without 'unsafe-inline'. Without JavaScript the form posts as
 * before.
 *
 * The server answers as it does to a plain post: a redirect to the next page (followed by the
 * request, then shown in place of this page), a page with errors (4xx, or the form again), or
 * an error page. A failure keeps this page and its form — fields and chosen file — as they
 * are, shows the reason and offers to send it again.
 *
 * The texts name their blanks {like_this}, not %(like_this)s: Django's {% translate %} would
 * double a percent sign in the catalogue.
 *
 * Events for tests and other scripts: "upload:progress" ({loaded, total}), "upload:failed"
 * ({reason}) on the form. */
(function () {
  "use strict";
  if (window.silastikUpload) return;
  window.silastikUpload = { version: 1 };

  var FORM_ERRORS = ".errorlist li, .invalid-feedback, .errornote";
  var MESSAGE_ERRORS = "[data-message].alert-danger, .messagelist .error, .messagelist .danger";

  function box(form) {
    return form.querySelector("[data-upload-progress]");
  }

  function text(el, key, values) {
    var s = el.getAttribute("data-text-" + key) || "";
    Object.keys(values || {}).forEach(function (name) {
      s = s.split("{" + name + "}").join(values[name]);
    });
    return s;
  }

  function language() {
    return document.documentElement.lang || "id";
  }

  function size(bytes) {
    var units = [[1024 * 1024 * 1024, "GB"], [1024 * 1024, "MB"], [1024, "KB"]];
    for (var i = 0; i < units.length; i++) {
      if (bytes >= units[i][0] || i === units.length - 1) {
        var value = bytes / units[i][0];
        var digits = value < 10 ? 1 : 0;
        return new Intl.NumberFormat(language(), {
          minimumFractionDigits: digits,
          maximumFractionDigits: digits,
        }).format(value) + " " + units[i][1];
      }
    }
  }

  function duration(el, seconds) {
    seconds = Math.max(1, Math.round(seconds));
    if (seconds < 60) return text(el, "seconds", { s: seconds });
    return text(el, "minutes", { m: Math.floor(seconds / 60), s: seconds % 60 });
  }

  function part(el, name) {
    return el.querySelector("[data-upload-" + name + "]");
  }

  function show(el, percent, status) {
    var bar = part(el, "bar");
    el.hidden = false;
    bar.style.width = percent + "%";
    bar.textContent = percent + " %";
    part(el, "meter").setAttribute("aria-valuenow", String(percent));
    part(el, "status").textContent = status;
  }

  function tooLarge(form, el) {
    var inputs = form.querySelectorAll("input[type=file][data-max-bytes]");
    for (var i = 0; i < inputs.length; i++) {
      var limit = Number(inputs[i].getAttribute("data-max-bytes"));
      for (var j = 0; j < inputs[i].files.length; j++) {
        if (inputs[i].files[j].size > limit) {
          return text(el, "too-large", {
            size: size(inputs[i].files[j].size),
            limit: size(limit),
          });
        }
      }
    }
    return "";
  }

  function failed(form, el, reason) {
    var error = part(el, "error");
    part(el, "bar").classList.add("upload-progress-failed");
    part(el, "reason").textContent = reason;
    part(el, "cancel").hidden = true;
    part(el, "status").textContent = "";
    error.hidden = false;
    el.hidden = false;
    form.removeAttribute("aria-busy");
    setBusy(form, false);
    form.dispatchEvent(new CustomEvent("upload:failed", { bubbles: true, detail: { reason: reason } }));
    part(el, "retry").focus();
  }

  function setBusy(form, busy) {
    form.querySelectorAll("button[type=submit], input[type=submit], button:not([type])").forEach(
      function (button) {
        button.disabled = busy;
      }
    );
  }

  function sameAddress(a, b) {
    return a.split("#")[0] === b.split("#")[0];
  }

  function errorsIn(doc, redirected) {
    var found = [];
    var selector = redirected ? MESSAGE_ERRORS : MESSAGE_ERRORS + ", " + FORM_ERRORS;
    doc.querySelectorAll(selector).forEach(function (node) {
      var message = node.textContent.replace(/\s+/g, " ").trim();
      if (message && found.indexOf(message) === -1) found.push(message);
    });
    return found;
  }

  function heading(doc) {
    var h1 = doc && doc.querySelector("h1");
    return h1 ? h1.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function answered(form, el, xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    var doc = type.indexOf("html") !== -1
      ? new DOMParser().parseFromString(xhr.responseText, "text/html")
      : null;
    var url = xhr.responseURL || form.action;
    var redirected = !sameAddress(url, form.action);
    var errors = doc ? errorsIn(doc, redirected) : [];
    if (xhr.status >= 400 || errors.length) {
      var status = xhr.status >= 400 ? text(el, "status", { status: xhr.status }) : "";
      if (xhr.status === 413) status = text(el, "server-too-large");
      var reason = errors.length ? text(el, "refused") + " " + errors.join(" ") : heading(doc);
      failed(form, el, [status, reason].filter(Boolean).join(" "));
      return;
    }
    if (!doc) {
      window.location.assign(url);
      return;
    }
    replacePage(doc, url);
  }

  /* The next page, shown as the browser would show it after the redirect: its body in place
   * of this one (with the messages the server put in it), its title and address, and the
   * scripts this page did not have yet. Bootstrap and this file listen on the document, so
   * they keep working; htmx is told about the new content. */
  function replacePage(doc, url) {
    var loaded = {};
    document.querySelectorAll("script[src]").forEach(function (s) {
      loaded[s.src] = true;
    });
    document.querySelectorAll("link[rel=stylesheet]").forEach(function (l) {
      loaded[l.href] = true;
    });
    doc.querySelectorAll("head link[rel=stylesheet]").forEach(function (l) {
      if (!loaded[l.href]) document.head.appendChild(document.importNode(l, true));
    });
    history.replaceState(null, "", url);
    document.title = doc.title;
    var body = document.importNode(doc.body, true);
    document.body.replaceWith(body);
    doc.querySelectorAll("script[src]").forEach(function (old) {
      if (loaded[old.src]) return;
      var script = document.createElement("script");
      script.src = old.src;
      document.body.appendChild(script);
    });
    if (window.htmx) window.htmx.process(document.body);
    window.scrollTo(0, 0);
  }

  function send(form) {
    var el = box(form);
    part(el, "error").hidden = true;
    part(el, "bar").classList.remove("upload-progress-failed");
    var refusal = tooLarge(form, el);
    if (refusal) {
      failed(form, el, refusal);
      return;
    }
    var data = new FormData(form);
    if (form._uploadSubmitter && form._uploadSubmitter.name) {
      data.append(form._uploadSubmitter.name, form._uploadSubmitter.value);
    }
    var xhr = new XMLHttpRequest();
    var started = Date.now();
    form._uploadRequest = xhr;
    xhr.open((form.getAttribute("method") || "post").toUpperCase(), form.action);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.upload.addEventListener("progress", function (event) {
      if (!event.lengthComputable) return;
      var percent = Math.floor((event.loaded / event.total) * 100);
      var status = text(el, "sent", { sent: size(event.loaded), total: size(event.total) });
      var elapsed = (Date.now() - started) / 1000;
      if (elapsed >= 1 && event.loaded < event.total) {
        var left = ((event.total - event.loaded) * elapsed) / event.loaded;
        status += " · " + text(el, "left", { time: duration(el, left) });
      }
      show(el, percent, status);
      form.dispatchEvent(new CustomEvent("upload:progress", {
        bubbles: true,
        detail: { loaded: event.loaded, total: event.total, percent: percent },
      }));
    });
    xhr.upload.addEventListener("load", function () {
      show(el, 100, text(el, "checking"));
    });
    xhr.addEventListener("load", function () {
      answered(form, el, xhr);
    });
    xhr.addEventListener("error", function () {
      failed(form, el, text(el, "lost"));
    });
    xhr.addEventListener("abort", function () {
      failed(form, el, text(el, "cancelled"));
    });
    form.setAttribute("aria-busy", "true");
    setBusy(form, true);
    part(el, "cancel").hidden = false;
    show(el, 0, text(el, "starting"));
    xhr.send(data);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) return;
    if (!box(form) || form.enctype !== "multipart/form-data") return;
    if (!window.FormData || !window.XMLHttpRequest || !window.DOMParser) return;
    event.preventDefault();
    form._uploadSubmitter = event.submitter || null;
    send(form);
  });

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var retry = target && target.closest("[data-upload-retry]");
    var cancel = target && target.closest("[data-upload-cancel]");
    var form = (retry || cancel) && (retry || cancel).closest("form");
    if (!form) return;
    event.preventDefault();
    if (retry) send(form);
    else if (form._uploadRequest) form._uploadRequest.abort();
  });
})();
