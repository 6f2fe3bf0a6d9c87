// Autosave of a council rating sheet while typing, as the proposal form does. The server
// decides; on a failed save the text stays in the form and a copy in localStorage.
(function () {
  const form = document.getElementById("sheet-form");
  if (!form) return;
  const script = document.currentScript;
  const status = document.getElementById("autosave-status");
  const url = form.dataset.autosave;
  const key = "rdfund-sheet:" + url;
  let timer = null, inflight = false, dirty = false, pendingSubmit = false;
  function save() {
    if (inflight) { dirty = true; return; }
    inflight = true; dirty = false;
    status.textContent = script.dataset.saving;
    const body = new FormData(form);
    body.set("action", "save");
    fetch(url, {method: "POST", body: body, headers: {"X-Requested-With": "fetch"}})
      .then(function (r) { return r.json().then(function (j) { return [r.status, j]; }); })
      .then(function ([code, j]) {
        status.textContent = j.message || "";
        status.classList.toggle("error", code !== 200);
        if (code === 200) {
          document.getElementById("version_id").value = j.version_id;
          localStorage.removeItem(key);
        }
      })
      .catch(function () { status.textContent = script.dataset.offline; })
      .finally(function () {
        inflight = false;
        if (pendingSubmit) { pendingSubmit = false; form.requestSubmit(form.querySelector("[value=submit]")); return; }
        if (dirty) schedule();
      });
  }
  function schedule() {
    try { localStorage.setItem(key, JSON.stringify([...new FormData(form)].filter(function (p) { return p[0] !== "csrf_token"; }))); } catch (e) {}
    clearTimeout(timer); timer = setTimeout(save, 1500);
  }
  form.addEventListener("input", schedule);
  form.addEventListener("submit", function (e) {
    clearTimeout(timer);
    if (inflight) { e.preventDefault(); pendingSubmit = true; }
  });
})();
