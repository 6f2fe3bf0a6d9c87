// The response's live character counter: the same count as the server's (NFC code points,
// line ends as one character, outer blank space not counted); the server decides.
(function () {
  const box = document.querySelector("textarea[data-max]");
  const out = document.querySelector("#response-count .count");
  if (!box || !out) return;
  const max = parseInt(box.getAttribute("data-max"), 10);
  const lang = (document.documentElement.lang || "vi").startsWith("vi") ? "vi-VN" : "en-GB";
  function update() {
    const text = box.value.replace(/\r\n?/g, "\n").normalize("NFC").trim();
    const n = Array.from(text).length;
    out.textContent = n.toLocaleString(lang);
    out.parentElement.classList.toggle("error", n > max);
  }
  box.addEventListener("input", update);
  update();
})();
