// A dialog before an act that cannot be taken back (forms with data-confirm). Without
// JavaScript the server asks on a confirmation page; with it, the dialog asks and adds
// confirm=yes, so that page is skipped. Cancelling leaves everything as it was.
(function () {
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (form.querySelector("input[name=confirm]")) return;
      if (!window.confirm(form.dataset.confirm)) { e.preventDefault(); return; }
      const yes = document.createElement("input");
      yes.type = "hidden"; yes.name = "confirm"; yes.value = "yes";
      form.appendChild(yes);
    });
  });
})();
