// Phones and assistive technology (issue 16 §7), for every page:
// - each table sits in its own frame; a frame (or any .scroll/.table-scroll region) that
//   really scrolls becomes a named, focusable region, so it scrolls by keyboard too and
//   the page itself never scrolls sideways;
// - on a phone the main navigation folds behind a Menu button (aria-expanded).
// Without JavaScript the tables and the navigation are simply shown as they are.
(function () {
  const FRAMES = ".table-frame, .table-scroll, .scroll, .review-side";
  const fallback = document.body.dataset.frameLabel || "Table";

  function nameOf(frame) {
    const caption = frame.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    for (let e = frame.previousElementSibling; e; e = e.previousElementSibling) {
      if (/^H[1-6]$/.test(e.tagName)) return e.textContent.trim();
    }
    const heading = frame.querySelector("h1, h2, h3, h4");
    return heading ? heading.textContent.trim() : fallback;
  }

  function wrapTables() {
    document.querySelectorAll("main table").forEach(function (table) {
      if (table.parentElement.closest(FRAMES)) return;
      const frame = document.createElement("div");
      frame.className = "table-frame";
      table.parentNode.insertBefore(frame, table);
      frame.appendChild(table);
    });
  }

  function markScrolling() {
    document.querySelectorAll(FRAMES).forEach(function (frame) {
      const scrolls = frame.scrollWidth > frame.clientWidth + 1
        || (frame.scrollHeight > frame.clientHeight + 1
            && getComputedStyle(frame).overflowY !== "visible");
      if (scrolls && !frame.hasAttribute("tabindex")) {
        frame.setAttribute("tabindex", "0");
        frame.setAttribute("role", "region");
        if (!frame.hasAttribute("aria-label")) frame.setAttribute("aria-label", nameOf(frame));
        frame.dataset.madeRegion = "1";
      } else if (!scrolls && frame.dataset.madeRegion) {
        ["tabindex", "role", "aria-label", "data-made-region"].forEach(function (a) {
          frame.removeAttribute(a);
        });
      }
    });
  }

  function foldNavigation() {
    const header = document.querySelector("header.top");
    const nav = header && header.querySelector("nav");
    if (!nav || !nav.querySelector("a")) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "menu-toggle secondary";
    button.id = "menu-toggle";
    button.textContent = nav.dataset.menuLabel || "Menu";
    button.setAttribute("aria-controls", nav.id);
    button.setAttribute("aria-expanded", "false");
    header.classList.add("menu-closed");
    button.addEventListener("click", function () {
      const open = header.classList.toggle("menu-closed") === false;
      button.setAttribute("aria-expanded", String(open));
    });
    nav.parentNode.insertBefore(button, nav);
  }

  wrapTables();
  markScrolling();
  foldNavigation();
  let pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(markScrolling, 100);
  });
})();
