// Autosave while typing, character counters and live budget totals. The server decides;
// this script only helps. Nothing typed is thrown away: on a failed save the form keeps it
// and a copy stays in localStorage until the next successful save.
(function () {
  const form = document.getElementById("proposal-form");
  if (!form) return;
  const script = document.currentScript;
  const status = document.getElementById("autosave-status");
  const url = form.dataset.autosave;
  const key = "rdfund-draft:" + (url || location.pathname);
  const fmt = new Intl.NumberFormat(document.documentElement.lang === "vi" ? "vi-VN" : "en-US");

  function counters() {
    form.querySelectorAll("[data-limit]").forEach(function (el) {
      let c = el.parentNode.querySelector(".counter");
      if (!c) { c = document.createElement("small"); c.className = "counter"; el.after(c); }
      const n = [...el.value].length, limit = +el.dataset.limit;
      c.textContent = n + " / " + limit + " " + script.dataset.chars;
      c.classList.toggle("error", n > limit);
    });
  }
  function amount(text) {
    const t = (text || "").replace(/[.,\s\u00a0₫đ]/g, "");
    return /^\d+$/.test(t) ? BigInt(t) : 0n;
  }
  function totals() {
    let total = 0n;
    document.querySelectorAll("#budget-table tbody tr").forEach(function (tr) {
      let row = 0n;
      tr.querySelectorAll("input.money").forEach(function (i) { row += amount(i.value); });
      const cell = tr.querySelector(".row-total");
      if (cell) { cell.textContent = fmt.format(row); total += row; }
    });
    const t = document.getElementById("budget-total");
    if (t) t.textContent = fmt.format(total) + " ₫";
  }
  let timer = null, inflight = false, dirty = false;
  const changed = new Set();
  function save() {
    if (!url || inflight) { dirty = true; return; }
    inflight = true; dirty = false;
    status.textContent = script.dataset.saving;
    // send only what changed; a table goes whole, since the server replaces it whole
    const all = new FormData(form), body = new FormData();
    const groups = new Set([...changed].map(function (n) { const m = n.match(/^(wp|budget|cp)-/); return m && m[0]; }).filter(Boolean));
    for (const [name, value] of all) {
      const group = (name.match(/^(wp|budget|cp)-/) || [])[0];
      if (name === "csrf_token" || name === "version_id" || changed.has(name) || (group && groups.has(group))) body.append(name, value);
    }
    const sent = new Set(changed);
    changed.clear();
    fetch(url, {method: "POST", body: body, headers: {"X-Requested-With": "fetch"}})
      .then(function (r) { return r.json().then(function (j) { return [r.status, j]; }); })
      .then(function ([code, j]) {
        status.textContent = j.message || "";
        if (code === 200) {
          document.getElementById("version_id").value = j.version_id;
          localStorage.removeItem(key);
          if (!dirty && changed.size === 0) form.dataset.state = "saved";
        } else {
          sent.forEach(function (n) { changed.add(n); });  // not saved: send it again next time
          if (code === 409) status.classList.add("error");
        }
      })
      .catch(function () { sent.forEach(function (n) { changed.add(n); }); status.textContent = script.dataset.offline; })
      .finally(function () {
        inflight = false;
        if (pendingSubmit) { pendingSubmit = false; form.submit(); return; }
        if (dirty) schedule();
      });
  }
  function schedule() {
    try { localStorage.setItem(key, JSON.stringify([...new FormData(form)].filter(function (p) { return p[0] !== "csrf_token"; }))); } catch (e) {}
    form.dataset.state = "pending";
    clearTimeout(timer); timer = setTimeout(save, 1500);
  }
  form.addEventListener("input", function (e) { if (e.target.name) changed.add(e.target.name); counters(); totals(); schedule(); });
  // a full save waits for an autosave in flight, so it is based on the version just saved
  let pendingSubmit = false;
  form.addEventListener("submit", function (e) {
    clearTimeout(timer);
    if (inflight) { e.preventDefault(); pendingSubmit = true; }
  });
  counters(); totals();
})();
