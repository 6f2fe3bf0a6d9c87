// E-mailed links carry their secret after '#', which browsers never send to the server:
// copy it into the form, then clear it from the address bar.
(function () {
  var form = document.querySelector("form[data-token-from-link]");
  var secret = window.location.hash.slice(1);
  if (!form || !secret) return;
  form.querySelector("input[name=token]").value = decodeURIComponent(secret);
  history.replaceState(null, "", window.location.pathname);
})();
