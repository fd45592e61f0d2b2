/* Uploads that respect slow phones. A form with data-upload checks each chosen file against the
   limits its input carries (data-max-bytes, data-extensions, and the server's own messages in
   data-too-large / data-wrong-type, the size written with data-decimal-separator) before anything is sent, then sends it with a progress bar
   and a cancel button. The server checks everything again; without this script the form posts
   as usual. */
(function () {
  "use strict";

  var MB = 1024 * 1024;

  function extension(name) {
    var dot = name.lastIndexOf(".");
    return dot < 0 ? "" : name.slice(dot + 1).toLowerCase();
  }

  // The size in MB as the server writes it (Django's number_format with one decimal): the
  // decimal cut, not rounded, after the page language's decimal mark ("6,9" / "6.9").
  function megabytes(input, bytes) {
    var parts = String(bytes / MB).split(".");
    var decimal = ((parts[1] || "") + "0").slice(0, 1);
    return parts[0] + (input.getAttribute("data-decimal-separator") || ".") + decimal;
  }

  function problem(input, file) {
    var max = parseInt(input.getAttribute("data-max-bytes") || "0", 10);
    if (max && file.size > max) {
      return (input.getAttribute("data-too-large") || "").replace("%(size)s", megabytes(input, file.size));
    }
    var allowed = (input.getAttribute("data-extensions") || "").split(",").filter(Boolean);
    if (allowed.length && allowed.indexOf(extension(file.name)) < 0) {
      return input.getAttribute("data-wrong-type") || "";
    }
    return "";
  }

  function showError(input, message) {
    var id = input.id + "_upload_error";
    var note = document.getElementById(id);
    if (!message) {
      if (note) { note.remove(); }
      input.removeAttribute("aria-invalid");
      return;
    }
    if (!note) {
      note = document.createElement("small");
      note.id = id;
      note.className = "field-error";
      note.setAttribute("role", "alert");
      note.setAttribute("data-testid", "upload-error");
      input.insertAdjacentElement("afterend", note);
    }
    note.textContent = message;
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", id);
  }

  function check(input) {
    var message = "";
    Array.prototype.forEach.call(input.files || [], function (file) {
      message = message || problem(input, file);
    });
    showError(input, message);
    return !message;
  }

  function fileInputs(form) {
    return Array.prototype.slice.call(form.querySelectorAll("input[type=file][data-max-bytes]"));
  }

  function panel(form) {
    var box = form.querySelector(".upload-progress");
    if (box) { return box; }
    box = document.createElement("div");
    box.className = "upload-progress";
    box.setAttribute("data-testid", "upload-progress");
    box.hidden = true;
    var label = document.createElement("p");
    label.setAttribute("aria-live", "polite");
    label.setAttribute("data-testid", "upload-status");
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", form.getAttribute("data-upload-label") || "");
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "secondary outline";
    cancel.setAttribute("data-testid", "upload-cancel");
    cancel.textContent = form.getAttribute("data-upload-cancel") || "Cancel";
    box.append(label, bar, cancel);
    form.append(box);
    return box;
  }

  function setBusy(form, busy) {
    Array.prototype.forEach.call(form.querySelectorAll("button[type=submit], input[type=submit]"), function (button) {
      button.disabled = busy;
    });
  }

  function send(form, submitter) {
    var box = panel(form);
    var label = box.querySelector("p");
    var bar = box.querySelector("progress");
    var cancel = box.querySelector("button");
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    var xhr = new XMLHttpRequest();

    function status(text) { label.textContent = text; }
    function progressText(percent) {
      return (form.getAttribute("data-upload-progress") || "") + " " + percent + "%";
    }

    box.hidden = false;
    bar.value = 0;
    status(progressText(0));
    setBusy(form, true);

    xhr.upload.addEventListener("progress", function (event) {
      if (!event.lengthComputable) { return; }
      var percent = Math.floor((event.loaded / event.total) * 100);
      bar.value = percent;
      status(progressText(percent));
    });
    xhr.addEventListener("load", function () {
      // The server answered (the page after a redirect, or the form with its errors): show it
      // as a normal submission would.
      var html = xhr.responseText;
      var url = xhr.responseURL || window.location.href;
      document.open();
      document.write(html);
      document.close();
      if (url !== window.location.href) { window.history.replaceState(null, "", url); }
    });
    xhr.addEventListener("error", function () {
      setBusy(form, false);
      bar.value = 0;
      status(form.getAttribute("data-upload-failed") || "");
    });
    xhr.addEventListener("abort", function () {
      setBusy(form, false);
      box.hidden = false;
      bar.value = 0;
      status(form.getAttribute("data-upload-cancelled") || "");
    });
    cancel.onclick = function () { xhr.abort(); };
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.send(data);
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input instanceof HTMLInputElement && input.type === "file" && input.hasAttribute("data-max-bytes")) {
      check(input);
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-upload")) { return; }
    var inputs = fileInputs(form);
    var bad = inputs.filter(function (input) { return !check(input); });
    if (bad.length) {
      event.preventDefault();
      bad[0].focus();
      return;
    }
    var chosen = inputs.some(function (input) { return input.files && input.files.length; });
    if (!chosen || typeof FormData === "undefined") { return; }  // nothing to show progress for
    event.preventDefault();
    send(form, event.submitter || null);
  });
})();
