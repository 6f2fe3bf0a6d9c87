// Show each deadline also in the browser's own time zone when it is not Vietnam's (GMT+7).
(function () {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const offset = -new Date().getTimezoneOffset();
  if (offset === 420) return;
  document.querySelectorAll("time.deadline[datetime]").forEach(function (el) {
    const when = new Date(el.getAttribute("datetime"));
    const text = when.toLocaleString(document.documentElement.lang || undefined,
      {dateStyle: "medium", timeStyle: "short"});
    const span = document.createElement("span");
    span.className = "muted local-time";
    span.textContent = " (" + text + ", " + zone + ")";
    el.after(span);
  });
})();
