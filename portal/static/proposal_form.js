// The proposal editor: autosave from the first character (a new proposal's first save
// creates the draft and the page continues on its address), a copy in this browser until
// the server has the text (offered back on the next visit), a warning before leaving
// unsaved text, errors summarised at the top and marked at their cells, live warnings for
// the ceiling, the indirect-cost cap and the duration, rows added and removed. The server
// decides; this script only helps. Every text comes from the template (data attributes).
(function () {
  const form = document.getElementById("proposal-form");
  if (!form) return;
  const d = document.currentScript.dataset;
  const status = document.getElementById("autosave-status");
  const version = document.getElementById("version_id");
  const vi = document.documentElement.lang === "vi";
  const fmt = new Intl.NumberFormat(vi ? "vi-VN" : "en-US");
  const clock = new Intl.DateTimeFormat(vi ? "vi-VN" : "en-GB", {
    hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit", timeZone: "Asia/Ho_Chi_Minh",
  });
  const TABLE = /^(wp|budget|cp)-/;
  let url = form.dataset.autosave || "";
  let key = "rdfund-draft:" + form.dataset.key;

  function fill(text, params) {
    return (text || "").replace(/\{(\w+)\}/g, function (m, k) { return k in params ? params[k] : m; });
  }
  function money(n) { return vi ? fmt.format(n) + "\u00a0₫" : "₫" + fmt.format(n); }

  // ---- counters, totals and live warnings
  function counters() {
    form.querySelectorAll("[data-limit]").forEach(function (el) {
      let c = el.parentNode.querySelector(".counter");
      if (!c) { c = document.createElement("small"); c.className = "counter"; el.after(c); }
      const n = [...el.value].length, limit = +el.dataset.limit;
      c.textContent = n + " / " + limit + " " + d.chars;
      c.classList.toggle("error", n > limit);
    });
  }
  function amount(text) {
    const t = (text || "").replace(/[.,\s\u00a0₫đ]/g, "");
    return /^\d+$/.test(t) ? BigInt(t) : 0n;
  }
  function warn(id, text) {
    const el = document.getElementById(id);
    if (!el) return;
    if (el.textContent !== text) el.textContent = text;
    el.hidden = !text;
  }
  function totals() {
    let total = 0n, indirect = 0n;
    document.querySelectorAll("#budget-table tbody tr").forEach(function (tr) {
      let row = 0n;
      tr.querySelectorAll("input.money").forEach(function (i) {
        const a = amount(i.value);
        row += a;
        if (i.dataset.category === "indirect") indirect += a;
      });
      const cell = tr.querySelector(".row-total");
      if (cell) { cell.textContent = fmt.format(row); total += row; }
    });
    const t = document.getElementById("budget-total");
    if (t) t.textContent = money(total);
    const ceiling = BigInt(form.dataset.ceiling || "0"), cap = BigInt(form.dataset.cap || "0");
    const direct = total - indirect, messages = [];
    if (ceiling > 0n && total > ceiling) messages.push(fill(d.overCeiling, {total: money(total), ceiling: money(ceiling)}));
    if (indirect * 100n > cap * direct) {
      messages.push(fill(d.overCap, {indirect: money(indirect), cap: String(cap), allowed: money(direct * cap / 100n)}));
    }
    warn("budget-warning", messages.join(" "));
    const months = form.elements.duration_months, max = +form.dataset.maxDuration;
    warn("duration-warning", months && +months.value > max ? fill(d.overDuration, {months: max}) : "");
  }

  // ---- rows: added and removed in the work plan and counterpart tables
  function relabel(table) {
    const prefix = table.dataset.prefix;
    table.querySelectorAll("tbody tr").forEach(function (tr, r) {
      tr.querySelectorAll("input, select").forEach(function (el) {
        const name = el.name.replace(/^(wp|cp)-\d+-/, prefix + "-" + r + "-");
        if (el.name !== name) { el.name = name; el.id = name; }
        el.setAttribute("aria-label", fill(table.dataset.rowLabel, {column: el.dataset.column, row: r + 1}));
      });
      const b = tr.querySelector(".row-remove");
      if (b) b.textContent = fill(d.removeRow, {row: r + 1});
    });
  }
  function clearRow(tr) {
    tr.querySelectorAll("input").forEach(function (i) { i.value = ""; i.removeAttribute("aria-invalid"); i.removeAttribute("aria-describedby"); });
    tr.querySelectorAll("select").forEach(function (s) { s.selectedIndex = 0; });
    tr.querySelectorAll("p.error").forEach(function (p) { p.remove(); });
  }
  function tableChanged(table) { changed.add(table.dataset.prefix + "-rows"); schedule(); }
  function removeButton(tr, table) {
    const td = document.createElement("td"), b = document.createElement("button");
    b.type = "button"; b.className = "secondary row-remove";
    b.addEventListener("click", function () {
      const rows = table.tBodies[0].rows;
      const next = tr.nextElementSibling || tr.previousElementSibling;
      if (rows.length > 1) tr.remove(); else clearRow(tr);
      relabel(table);
      (next && rows.length ? next.querySelector("input") : table.querySelector("input")).focus();
      tableChanged(table);
    });
    td.appendChild(b); tr.appendChild(td);
  }
  document.querySelectorAll("table.rows").forEach(function (table) {
    const head = table.tHead.rows[0].appendChild(document.createElement("th"));
    head.scope = "col";
    const hidden = document.createElement("span");
    hidden.className = "visually-hidden"; hidden.textContent = d.rowActions;
    head.appendChild(hidden);
    [...table.tBodies[0].rows].forEach(function (tr) { removeButton(tr, table); });
    const add = document.createElement("button");
    add.type = "button"; add.className = "secondary row-add"; add.id = table.dataset.prefix + "-add";
    add.textContent = d.addRow;
    add.addEventListener("click", function () {
      const body = table.tBodies[0];
      if (body.rows.length >= +form.dataset.maxRows) { status.textContent = d.rowLimit; return; }
      const tr = body.rows[body.rows.length - 1].cloneNode(true);
      clearRow(tr);
      tr.querySelector(".row-remove").parentNode.remove();
      body.appendChild(tr);
      removeButton(tr, table);
      relabel(table);
      tr.querySelector("input").focus();
      tableChanged(table);
    });
    table.closest(".table-scroll").after(add);
    relabel(table);
  });

  // ---- errors: a summary at the top linking to each field, the cells marked
  const summary = document.getElementById("error-summary");
  function unmark() {
    form.querySelectorAll("[data-js-invalid]").forEach(function (el) {
      el.removeAttribute("aria-invalid"); el.removeAttribute("aria-describedby"); el.removeAttribute("data-js-invalid");
    });
    form.querySelectorAll("p.js-error").forEach(function (p) { p.remove(); });
  }
  function mark(el, message, id) {
    el.setAttribute("aria-invalid", "true"); el.setAttribute("data-js-invalid", "");
    el.setAttribute("aria-describedby", id);
    if (message !== null && !document.getElementById(id)) {
      const p = document.createElement("p");
      p.className = "error js-error"; p.id = id; p.textContent = message;
      (el.closest("td") || el.parentNode).appendChild(p);
    }
  }
  function showErrors(errors, items) {
    unmark();
    Object.entries(errors || {}).forEach(function ([name, messages]) {
      const message = messages.join(" "), row = name.match(/^wp-(\d+)$/);
      if (row) {
        const cells = ["owner", "task", "due", "deliverable"].map(function (c) { return document.getElementById(name + "-" + c); }).filter(Boolean);
        cells.forEach(function (el, k) { mark(el, k === cells.length - 1 ? message : null, name + "-error"); });
      } else {
        const el = document.getElementById(name);
        if (el && /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName)) mark(el, message, name + "-error");
      }
    });
    const list = summary.querySelector("ul");
    list.replaceChildren();
    (items || []).forEach(function (e) {
      const li = document.createElement("li"), a = document.createElement("a");
      a.href = "#" + e.id; a.textContent = e.label + ": " + e.message;
      li.appendChild(a); list.appendChild(li);
    });
    summary.querySelectorAll("p.error").forEach(function (p) { p.remove(); });
    if (errors && errors._form) {
      const p = document.createElement("p"); p.className = "error"; p.textContent = errors._form.join(" ");
      list.before(p);
    }
    summary.hidden = list.children.length === 0 && !(errors && errors._form);
  }
  summary.addEventListener("click", function (e) {
    const a = e.target.closest("a[href^='#']"), target = a && document.getElementById(a.hash.slice(1));
    if (target) { e.preventDefault(); target.focus(); target.scrollIntoView({block: "center"}); }
  });

  // ---- the copy kept in this browser
  function snapshot() {
    return [...new FormData(form)].filter(function (p) { return p[0] !== "csrf_token" && p[0] !== "version_id"; });
  }
  function keep() {
    try { localStorage.setItem(key, JSON.stringify({version: version.value, at: Date.now(), fields: snapshot()})); } catch (e) { /* storage full or off */ }
  }
  function forget() { try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ } }
  function plain(name, value) {
    return /^(budget-|cp-\d+-amount$|requested_vnd$)/.test(name) ? String(value).replace(/[.,\s\u00a0]/g, "") : String(value);
  }
  function rowsFor(table, count) {
    const body = table.tBodies[0];
    while (body.rows.length < count) document.getElementById(table.dataset.prefix + "-add").click();
    while (body.rows.length > Math.max(count, 1)) body.rows[body.rows.length - 1].remove();
    relabel(table);
  }
  function restore(copy) {
    document.querySelectorAll("table.rows").forEach(function (table) {
      const re = new RegExp("^" + table.dataset.prefix + "-(\\d+)-");
      const n = copy.fields.reduce(function (m, [name]) { const x = name.match(re); return x ? Math.max(m, +x[1] + 1) : m; }, 0);
      rowsFor(table, n);
    });
    copy.fields.forEach(function ([name, value]) {
      const el = form.elements[name];
      if (el && "value" in el && typeof value === "string") { el.value = value; changed.add(name); }
    });
    counters(); totals();
    status.textContent = d.restored;
    clearTimeout(timer); save();
  }
  function offerCopy() {
    let copy = null;
    try { copy = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { copy = null; }
    if (!copy || !Array.isArray(copy.fields)) return;
    const now = new Map(snapshot().map(function ([n, v]) { return [n, plain(n, v)]; }));
    const differs = copy.fields.some(function ([n, v]) { return (now.get(n) || "") !== plain(n, v); });
    if (!differs) { forget(); return; }
    const box = document.getElementById("local-copy"), p = document.createElement("p");
    p.textContent = fill(d.localCopy, {when: clock.format(new Date(copy.at))});
    if (copy.version && version.value && copy.version !== version.value) p.textContent += " " + d.localOlder;
    const yes = document.createElement("button"), no = document.createElement("button");
    yes.type = no.type = "button"; yes.id = "restore-copy"; no.id = "discard-copy"; no.className = "secondary";
    yes.textContent = d.restore; no.textContent = d.discard;
    yes.addEventListener("click", function () { box.hidden = true; restore(copy); form.elements.title.focus(); });
    no.addEventListener("click", function () { box.hidden = true; forget(); form.elements.title.focus(); });
    const actions = document.createElement("p");
    actions.className = "actions"; actions.append(yes, no);
    box.replaceChildren(p, actions); box.hidden = false;
  }

  // ---- saving: changed fields only (a table whole), the first save creates the draft
  let timer = null, inflight = false, dirty = false, leaving = false, pendingSubmit = false;
  const changed = new Set();
  function created(j) {
    forget();
    url = form.dataset.autosave = j.autosave_url;
    delete form.dataset.create;
    key = "rdfund-draft:p" + j.proposal_id;
    form.action = j.edit_url;
    history.replaceState(null, "", j.edit_url);
    if (!document.getElementById("to-proposal")) {
      const a = document.createElement("a");
      a.id = "to-proposal"; a.href = j.detail_url; a.textContent = d.backLabel;
      document.getElementById("save").after(" ", a);
    }
    document.querySelectorAll("#section-nav li > span:first-child").forEach(function (s) {
      const a = document.createElement("a");
      a.href = j.detail_url + "#" + s.parentNode.dataset.anchor; a.textContent = s.textContent;
      s.replaceWith(a);
    });
  }
  function save() {
    const target = url || form.dataset.create;
    if (!target || inflight) { dirty = true; return; }
    inflight = true; dirty = false;
    status.classList.remove("error");
    status.textContent = d.saving;
    const all = new FormData(form), body = new FormData();
    const groups = new Set([...changed].map(function (n) { const m = n.match(TABLE); return m && m[0]; }).filter(Boolean));
    for (const [name, value] of all) {
      const group = (name.match(TABLE) || [])[0];
      if (name === "csrf_token" || name === "version_id" || changed.has(name) || (group && groups.has(group))) body.append(name, value);
    }
    const sent = new Set(changed);
    changed.clear();
    fetch(target, {method: "POST", body: body, headers: {"X-Requested-With": "fetch"}})
      .then(function (r) { return r.json().then(function (j) { return [r.status, j]; }); })
      .then(function ([code, j]) {
        status.textContent = j.message || "";
        if (code === 200 || code === 201) {
          version.value = j.version_id;
          if (j.created) created(j);
          showErrors({}, []);
          if (!dirty && changed.size === 0) { forget(); form.dataset.state = "saved"; } else keep();
          return;
        }
        sent.forEach(function (n) { changed.add(n); });  // not saved: sent again next time
        keep();
        status.classList.add("error");
        form.dataset.state = "failed";
        if (code === 422) showErrors(j.errors, j.summary);
      })
      .catch(function () {
        sent.forEach(function (n) { changed.add(n); });
        keep();
        status.classList.add("error");
        status.textContent = d.offline;
        form.dataset.state = "failed";
      })
      .finally(function () {
        inflight = false;
        if (pendingSubmit) { pendingSubmit = false; leaving = true; form.submit(); return; }
        if (dirty) schedule();
      });
  }
  function schedule() {
    keep();
    form.dataset.state = "pending";
    clearTimeout(timer); timer = setTimeout(save, 1500);
  }
  form.addEventListener("input", function (e) {
    if (e.target.name) changed.add(e.target.name);
    counters(); totals(); schedule();
  });
  // a full save waits for an autosave in flight, so it is based on the version just saved
  form.addEventListener("submit", function (e) {
    clearTimeout(timer);
    if (inflight) { e.preventDefault(); pendingSubmit = true; return; }
    leaving = true;
    if (!url) forget();  // a new proposal's full save creates it; its answer shows the text
  });
  window.addEventListener("beforeunload", function (e) {
    if (leaving || (changed.size === 0 && !dirty && !inflight)) return;
    e.preventDefault();
    e.returnValue = "";
  });
  counters(); totals(); offerCopy();
  if (!summary.hidden) summary.focus();
  form.dataset.ready = "1";  // listening: what is typed from now on is saved
})();
