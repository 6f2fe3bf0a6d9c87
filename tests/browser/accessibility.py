"""Every page a browser test visits is checked for accessibility (issue 16 §7).

axe-core (from npm, node_modules/) runs the WCAG 2.0/2.1 A and AA rules on each document a
test loads; at phone width (≤ 480 px) the document must not scroll sideways and touch targets
(buttons, fields, the header's and navigation's links) must be at least 44 × 44 px. A check
runs before the test's first action on a newly loaded document (and at each `page.steps(...)`,
and on the pages still open when the test ends or closes a context), so it sees the page as
the person met it; a state is checked once per test: its URL, the viewport width and the set
of kinds of element on it (a new error summary or form is a new state, one more row is not).
Serious and critical axe-core violations and every phone problem fail the test, all of them
reported at once.
"""

import hashlib
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Error, Locator, Page

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = ("serious", "critical")
PHONE_MAX = 480  # a viewport this narrow is a phone: no sideways scroll allowed
TOTALS = {"states": 0, "seconds": 0.0}  # over the session, for the terminal summary

# The kinds of element on the page (tag, class, role, type, hidden), not how many of each.
STATE = """() => {
  if (document.contentType !== 'text/html' || !document.body) return null;
  const kinds = new Set();
  for (const e of document.body.querySelectorAll('*')) {
    kinds.add([e.tagName, e.getAttribute('class'), e.getAttribute('role'),
               e.getAttribute('type'), e.hidden, e.open].join('/'));
  }
  return [...kinds].sort().join('|');
}"""
RUN_AXE = """async ([tags, impacts]) => {
  // iframes: false, the portal's only frames show PDFs (the browser's viewer, not ours)
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations'], iframes: false});
  return result.violations.filter(v => impacts.includes(v.impact)).map(v => ({
    id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + '  ' + n.html.slice(0, 200)),
  }));
}"""
# The outermost elements that stick out of the screen, outside any frame that scrolls.
SIDEWAYS = """() => {
  const root = document.documentElement, width = root.clientWidth;
  if (root.scrollWidth <= width + 1) return null;
  const framed = e => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return true;
    }
    return false;
  };
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (e.getAttribute('class') ? '.' + e.getAttribute('class').trim().split(/\\s+/).join('.') : '');
  const wide = [];
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1 || framed(e)) continue;
    const parent = e.parentElement;
    if (parent !== document.body && parent.getBoundingClientRect().right > width + 1) continue;
    wide.push(name(e) + ' to ' + Math.round(r.right) + ' px');
  }
  return {scrollWidth: root.scrollWidth, clientWidth: width, wide: wide.slice(0, 5)};
}"""


# Buttons, fields, and the header's and navigation's links under 44 × 44 px (WCAG 2.5.5);
# a checkbox or radio button passes when it, or its label (which ticks it too), is that big.
SMALL_TARGETS = """() => {
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (e.getAttribute('class') ? '.' + e.getAttribute('class').trim().split(/\\s+/).join('.') : '');
  const small = [];
  const targets = 'button, .button, select, textarea, input:not([type=hidden]), header a, nav a, '
    + '[role=button]';
  for (const e of document.querySelectorAll(targets)) {
    let r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const big = b => b.width >= 43.5 && b.height >= 43.5;
    if (!big(r) && e.matches('input[type=checkbox], input[type=radio]')) {
      const label = e.closest('label') || (e.id && document.querySelector(`label[for="${e.id}"]`));
      if (label) r = label.getBoundingClientRect();
    }
    if (!big(r)) {
      small.push(`${name(e)} ${Math.round(r.width)}×${Math.round(r.height)} px`);
    }
  }
  return small;
}"""


def axe_source(path: Path = AXE) -> str:
    """The axe-core script, or a failure saying how to install it."""
    if not path.is_file():
        pytest.fail(
            f"{path} is missing: run ./scripts/test.sh (it runs `npm ci`, installing axe-core "
            "from package-lock.json into node_modules/)",
            pytrace=False,
        )
    return path.read_text(encoding="utf-8")


class Audit:
    """The accessibility checks of one test's pages, and the problems they found."""

    def __init__(self, source: str):
        self.source = source
        self.seen: set[tuple[int, str, str]] = set()
        self.problems: list[str] = []
        self.checked = 0
        self.contexts: list[BrowserContext] = []
        self.busy = False

    def watch_context(self, context: BrowserContext) -> None:
        if getattr(context, "_rdfund_audit", None) is self:
            return
        context._rdfund_audit = self  # type: ignore[attr-defined]
        self.contexts.append(context)
        context.on("page", self.watch_page)
        for page in context.pages:
            self.watch_page(page)

    def watch_page(self, page: Page) -> None:
        if getattr(page, "_rdfund_audit", None) is self:
            return
        page._rdfund_audit = self  # type: ignore[attr-defined]
        page._rdfund_loaded = False  # type: ignore[attr-defined]
        page.on("load", _mark_loaded)

    def before_action(self, page: Page) -> None:
        """A document loaded since the last action is checked before the person acts on it."""
        if getattr(page, "_rdfund_loaded", False) and not self.busy:
            page._rdfund_loaded = False  # type: ignore[attr-defined]
            self.check(page)

    def check(self, page: Page) -> None:
        """Run axe-core (and, on a phone, the sideways-scroll and touch-target checks) on the
        page's state, once per state."""
        if self.busy or page.is_closed():
            return
        self.busy, started = True, time.perf_counter()
        try:
            self._check(page)
        except Error as e:  # navigated away meanwhile: the next document is checked instead
            if "context was destroyed" not in str(e) and "navigat" not in str(e):
                raise
        finally:
            self.busy = False
            TOTALS["seconds"] += time.perf_counter() - started

    def _check(self, page: Page) -> None:
        state = page.evaluate(STATE)
        if state is None:  # a PDF, a JSON answer, a download
            return
        width = (page.viewport_size or {"width": 0})["width"]
        parts = urlsplit(page.url)
        where = parts.path + (f"?{parts.query}" if parts.query else "")
        key = (width, where, hashlib.sha256(state.encode()).hexdigest())
        if key in self.seen:
            return
        self.seen.add(key)
        self.checked += 1
        TOTALS["states"] += 1
        if not page.evaluate("typeof axe !== 'undefined'"):
            page.evaluate(self.source)  # by the DevTools protocol: the page's CSP does not apply
        for v in page.evaluate(RUN_AXE, [TAGS, list(FAILING_IMPACTS)]):
            nodes = "\n      ".join(v["nodes"])
            self.problems.append(
                f"{where} at {width} px: axe-core {v['impact']} '{v['id']}' ({v['help']}), "
                f"{v['count']} element(s), first:\n      {nodes}"
            )
        if width and width <= PHONE_MAX:
            self._check_phone(page, f"{where} at {width} px")

    def _check_phone(self, page: Page, where: str) -> None:
        if wide := page.evaluate(SIDEWAYS):
            self.problems.append(
                f"{where}: scrolls sideways ({wide['scrollWidth']} px wide, "
                f"{wide['clientWidth']} px visible); too wide: {', '.join(wide['wide'])}"
            )
        if small := page.evaluate(SMALL_TARGETS):
            self.problems.append(
                f"{where}: {len(small)} touch target(s) under 44 × 44 px, first: "
                + ", ".join(small[:5])
            )

    def finish(self) -> None:
        """Check every page still open (the state each test ends on)."""
        for context in self.contexts:
            self.finish_context(context)

    def finish_context(self, context: BrowserContext) -> None:
        try:
            pages = list(context.pages)
        except Error:
            return
        for page in pages:
            if not page.is_closed():
                self.check(page)

    def report(self) -> str:
        return (
            f"{len(self.problems)} accessibility problem(s) (WCAG 2.1 AA, issue 16 §7; "
            "tests/browser/accessibility.py):\n  " + "\n  ".join(self.problems)
        )


def _mark_loaded(page: Page) -> None:
    page._rdfund_loaded = True  # type: ignore[attr-defined]


INPUT_ACTIONS = [
    *("click", "dblclick", "tap", "fill", "type", "press", "check", "uncheck", "set_checked"),
    *("select_option", "set_input_files", "hover", "focus", "dispatch_event"),
]
PAGE_ACTIONS = [*INPUT_ACTIONS, "goto", "reload", "go_back", "go_forward", "drag_and_drop"]
LOCATOR_ACTIONS = [*INPUT_ACTIONS, "press_sequentially", "clear", "drag_to"]


def _before(method, page_of):
    def wrapper(self, *args, **kwargs):
        page = page_of(self)
        audit = getattr(page, "_rdfund_audit", None)
        if audit is not None:
            audit.before_action(page)
        return method(self, *args, **kwargs)

    wrapper.__wrapped__ = method  # type: ignore[attr-defined]
    return wrapper


def install(monkeypatch: pytest.MonkeyPatch, audit: Audit) -> None:
    """Watch every context and page the test opens; check before each action."""
    for name in PAGE_ACTIONS:
        monkeypatch.setattr(Page, name, _before(getattr(Page, name), lambda p: p))
    for name in LOCATOR_ACTIONS:
        monkeypatch.setattr(Locator, name, _before(getattr(Locator, name), lambda loc: loc.page))

    new_context, new_page = Browser.new_context, BrowserContext.new_page
    close = BrowserContext.close

    def watched_new_context(self, *args, **kwargs):
        context = new_context(self, *args, **kwargs)
        audit.watch_context(context)
        return context

    def watched_new_page(self, *args, **kwargs):
        page = new_page(self, *args, **kwargs)
        audit.watch_context(self)
        audit.watch_page(page)
        return page

    def checked_close(self, *args, **kwargs):
        if getattr(self, "_rdfund_audit", None) is audit:
            audit.finish_context(self)
            audit.contexts.remove(self)
        return close(self, *args, **kwargs)

    monkeypatch.setattr(Browser, "new_context", watched_new_context)
    monkeypatch.setattr(BrowserContext, "new_page", watched_new_page)
    monkeypatch.setattr(BrowserContext, "close", checked_close)
