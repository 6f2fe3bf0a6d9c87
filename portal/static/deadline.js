// Show each deadline also in the browser's own time zone when it is not Vietnam's (GMT+7).
(function () {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const offset = -new Date().getTimezoneOffset();
  if (offset === 420) return;
  document.querySelectorAll("time.deadline[datetime]").forEach(function (el) {
    const when = new Date(el.getAttribute("datetime"));
    // as the server writes instants: 01/12/2026 17:00 in Vietnamese, 1 Dec 2026, 17:00 in English
    const vi = (document.documentElement.lang || "vi").startsWith("vi");
    const time = when.toLocaleTimeString(vi ? "vi-VN" : "en-GB",
      {hour: "2-digit", minute: "2-digit", hour12: false});
    const text = vi
      ? when.toLocaleDateString("vi-VN", {day: "2-digit", month: "2-digit", year: "numeric"}) + " " + time
      : when.toLocaleDateString("en-GB", {day: "numeric", month: "short", year: "numeric"}) + ", " + time;
    const span = document.createElement("span");
    span.className = "muted local-time";
    span.textContent = " (" + text + ", " + zone + ")";
    el.after(span);
  });
})();
