// A job's page follows the job: it polls /jobs/<id>.json every 1.5 s while the job is queued
// or running, moves the progress bar, announces stage and percentage in the live region,
// shows the time left, and reloads once the job has ended so the result (or error) appears.
(function () {
  const box = document.getElementById("job");
  if (!box || box.dataset.active !== "1") return;
  const bar = document.getElementById("job-progress");
  const live = document.getElementById("job-live");
  const left = document.getElementById("job-time-left");
  const state = document.getElementById("job-state");
  const cancelling = document.getElementById("job-cancelling");
  const leftValue = document.getElementById("job-left-value");
  function show(s) {
    bar.value = s.percent;
    bar.textContent = s.percent + "%";
    const text = (s.stage ? s.stage + " — " : "") + s.percent + "%";
    if (live.textContent !== text) live.textContent = text;
    state.textContent = s.state_label;
    leftValue.textContent = s.time_left;
    left.hidden = !s.time_left;
    cancelling.hidden = !s.cancel_requested;
  }
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { window.setTimeout(poll, 3000); return; }
        show(s);
        if (s.active) window.setTimeout(poll, 1500);
        else window.location.reload();
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
