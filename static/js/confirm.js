/* Asks before a destructive action. A form with data-confirm (the question), data-confirm-yes
   and data-confirm-no (the buttons' labels) opens a dialog on submit; "yes" sends the form with
   confirmed=yes, "no" closes it and changes nothing. Without this script the server asks on a
   confirmation page instead (accounts/confirm.py). */
(function () {
  "use strict";

  var dialog = null;
  var pending = null;

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.setAttribute("data-testid", "confirm-dialog");
    dialog.setAttribute("aria-labelledby", "confirm-dialog-question");
    var article = document.createElement("article");
    var question = document.createElement("p");
    question.id = "confirm-dialog-question";
    var footer = document.createElement("footer");
    var no = document.createElement("button");
    no.type = "button";
    no.className = "secondary";
    no.setAttribute("data-testid", "confirm-dialog-no");
    var yes = document.createElement("button");
    yes.type = "button";
    yes.className = "danger";
    yes.setAttribute("data-testid", "confirm-dialog-yes");
    footer.append(no, yes);
    article.append(question, footer);
    dialog.append(article);
    document.body.append(dialog);
    no.addEventListener("click", function () { dialog.close(); });
    yes.addEventListener("click", function () {
      var form = pending && pending.form;
      if (!form) { return; }
      var submitter = pending.submitter;
      dialog.close();
      var confirmed = document.createElement("input");
      confirmed.type = "hidden";
      confirmed.name = "confirmed";
      confirmed.value = "yes";
      form.append(confirmed);
      if (submitter && submitter.name) {
        var chosen = document.createElement("input");
        chosen.type = "hidden";
        chosen.name = submitter.name;
        chosen.value = submitter.value;
        form.append(chosen);
      }
      form.submit();
    });
    dialog.addEventListener("close", function () {
      // Back to the button that asked, so a keyboard user stays where they were.
      if (pending && pending.submitter && document.contains(pending.submitter)) {
        pending.submitter.focus();
      }
      pending = null;
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-confirm")) { return; }
    if (form.querySelector("input[name=confirmed]")) { return; }
    if (typeof HTMLDialogElement === "undefined") { return; }  // the server's page asks instead
    event.preventDefault();
    if (!dialog) { build(); }
    pending = { form: form, submitter: event.submitter || null };
    dialog.querySelector("p").textContent = form.getAttribute("data-confirm");
    dialog.querySelector("[data-testid=confirm-dialog-yes]").textContent =
      form.getAttribute("data-confirm-yes") || "OK";
    dialog.querySelector("[data-testid=confirm-dialog-no]").textContent =
      form.getAttribute("data-confirm-no") || "Cancel";
    dialog.showModal();
    dialog.querySelector("[data-testid=confirm-dialog-no]").focus();
  });
})();
