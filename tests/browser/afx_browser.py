"""Shared helpers of the browser tests (imported by conftest.py and the test modules).

Browser tests of the built site (Playwright + Debian's Chromium).

Environment:
  AFX_SITE         the built HTML folder (default: <repo>/_build/html)
  AFX_SCREENSHOTS  where screenshots go (default: the site's parent folder / "screenshots", i.e. _build/screenshots)
  AFX_AXE          path to axe.min.js (default: <repo>/node_modules/axe-core/axe.min.js)

Every page is loaded once per session (`visit`): requests, console messages, math, axe results, image checks and
a screenshot are recorded then, and the tests in test_pages.py assert on the record. Interactive tests
(explorers, quizzes) get a fresh page of their own. Tables (axe counts, page weight, explorer latency) are printed
at the end of the run by `pytest_terminal_summary`.
"""
from __future__ import annotations

import dataclasses
import functools
import gzip
import http.server
import json
import os
import re
import socketserver
import threading
import urllib.parse
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SITE = Path(os.environ.get("AFX_SITE", REPO / "_build" / "html")).resolve()
SCREENSHOTS = Path(os.environ.get("AFX_SCREENSHOTS", SITE.parent / "screenshots")).resolve()
AXE = Path(os.environ.get("AFX_AXE", REPO / "node_modules" / "axe-core" / "axe.min.js"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"
HAVE_SITE = (SITE / "index.html").is_file()
NO_SITE = f"no built site: {SITE / 'index.html'} does not exist (run `make book`, or set AFX_SITE)"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# Pages that are not book content: the generated index and the search page (tested on its own).
SKIP_DIRS = {"_static", "_sources", "_images", "_downloads", "mathjax", "_extra"}
SKIP_FILES = {"genindex.html", "search.html", "py-modindex.html"}

# Results collected during the run, printed by pytest_terminal_summary.
REPORT: dict[str, dict] = {"axe": {}, "weight": {}, "explorer": {}, "dark": {}, "notes": []}


REDIRECT = re.compile(r'<meta\s+http-equiv="refresh"\s+content="\d+;\s*url=([^"]+)"', re.I)


def redirect_target(path: Path) -> str | None:
    """The target of a meta-refresh redirect page (JB1's root index.html is one), else None."""
    head = path.read_text(encoding="utf-8", errors="replace")[:2000]
    m = REDIRECT.search(head)
    return m.group(1) if m and len(head) < 1000 else None


def all_html() -> list[str]:
    if not HAVE_SITE:
        return []
    out = []
    for p in SITE.rglob("*.html"):
        rel = p.relative_to(SITE)
        if rel.parts[0] in SKIP_DIRS or rel.name in SKIP_FILES:
            continue
        out.append(rel.as_posix())
    return sorted(out)


def site_pages() -> list[str]:
    """Relative paths (posix) of the book's content pages (redirect stubs left out), sorted."""
    return [r for r in all_html() if redirect_target(SITE / r) is None]


def chapter_notebooks() -> list[Path]:
    return sorted(p for p in (REPO / "chapters").glob("*/*.ipynb") if ".ipynb_checkpoints" not in p.parts)


PAGES = site_pages()


def page_params(pages=None):
    """Parameters for @pytest.mark.parametrize over pages; a single skipped one when there is no site."""
    pages = PAGES if pages is None else pages
    if not HAVE_SITE:
        return [pytest.param(None, marks=pytest.mark.skip(reason=NO_SITE), id="no-site")]
    return [pytest.param(p, id=p) for p in pages]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(directory: Path):
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = _Server(("127.0.0.1", 0), handler)  # port 0: a free port
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    return httpd


def is_local(url: str) -> bool:
    """True for URLs that do not leave the machine: 127.0.0.1, file:, data:, blob:, about:."""
    u = urllib.parse.urlsplit(url)
    if u.scheme in ("data", "blob", "about", "file", "chrome-error"):
        return True
    return u.hostname == "127.0.0.1"


# sphinx-thebe (pulled in by JB1) writes `const THEBE_JS_URL = ...` into every page twice, and the second copy
# throws "Identifier 'THEBE_JS_URL' has already been declared". Harmless and not ours; ignored only while the
# config does not fix it. Everything else fails the test.
KNOWN_CONSOLE = ("Identifier 'THEBE_JS_URL' has already been declared",)
# Chromium asks every site for /favicon.ico on its own (not a request of the page's); a 404 there is logged as a
# console error although the page is fine. Ignored; a favicon in the config (html_favicon) would remove it.
FAVICON_404 = re.compile(r"Failed to load resource: .*404.* @ \S+/favicon\.ico:")


@dataclasses.dataclass
class Recorder:
    requests: list = dataclasses.field(default_factory=list)
    failed: list = dataclasses.field(default_factory=list)
    responses: list = dataclasses.field(default_factory=list)  # (url, status)
    console_errors: list = dataclasses.field(default_factory=list)
    page_errors: list = dataclasses.field(default_factory=list)
    known: list = dataclasses.field(default_factory=list)

    def attach(self, page):
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("response", lambda r: self.responses.append((r.url, r.status)))
        page.on("console", self._console)
        page.on("pageerror", self._pageerror)
        return self

    def _console(self, msg):
        if msg.type == "error":
            text = f"{msg.text} @ {msg.location.get('url', '')}:{msg.location.get('lineNumber', '')}"
            if FAVICON_404.search(text):
                self.known.append(text)
                return
            self.console_errors.append(text)

    def _pageerror(self, err):
        text = str(err)
        if any(k in text for k in KNOWN_CONSOLE):
            self.known.append(text)
        else:
            self.page_errors.append(text)

    @property
    def external(self):
        return sorted({u for u in self.requests if not is_local(u)})

    @property
    def bad_status(self):
        return sorted({f"{s} {u}" for u, s in self.responses if s >= 400 and not u.endswith("/favicon.ico")})

    def errors(self):
        return [e for e in self.console_errors if not any(k in e for k in KNOWN_CONSOLE)] + self.page_errors


WAIT_MATHJAX_JS = """async () => {
  const hasMathJax = !!document.querySelector('script[src*="mathjax" i], script[id*="MathJax" i]');
  if (!hasMathJax) return {mathjax: false};
  const t0 = performance.now();
  while (!(window.MathJax && window.MathJax.startup && window.MathJax.startup.promise)) {
    if (performance.now() - t0 > 10000) return {mathjax: true, loaded: false};
    await new Promise(r => setTimeout(r, 25));
  }
  await window.MathJax.startup.promise;
  if (window.MathJax.typesetPromise) { await window.MathJax.typesetPromise(); }
  return {mathjax: true, loaded: true, ms: performance.now() - t0};
}"""

# Text nodes a reader sees, minus code, scripts and typeset math.
VISIBLE_TEXT_JS = """() => {
  const skip = 'script, style, pre, code, kbd, samp, textarea, mjx-container, mjx-assistive-mml, .MathJax, noscript, svg, template, .highlight';
  const out = [];
  const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (w.nextNode()) {
    const n = w.currentNode, el = n.parentElement;
    if (!el || el.closest(skip)) continue;
    if (!el.offsetParent && getComputedStyle(el).position !== 'fixed') continue;  // not rendered
    out.push(n.nodeValue);
  }
  return out.join(' ');
}"""

MATH_INFO_JS = """() => {
  const math = Array.from(document.querySelectorAll('.math, span.math, div.math'));
  return {
    mathElements: math.length,
    untypeset: math.filter(m => !m.querySelector('mjx-container')).map(m => m.textContent.trim().slice(0, 80)),
    containers: document.querySelectorAll('mjx-container').length,
    mjxErrors: Array.from(document.querySelectorAll('mjx-merror, [data-mjx-error]')).map(e => (e.getAttribute('data-mjx-error') || e.textContent).slice(0, 120)),
  };
}"""

IMAGES_JS = """() => Array.from(document.querySelectorAll('img')).map(img => ({
  src: (img.getAttribute('src') || '').slice(0, 100),
  alt: img.getAttribute('alt'),
  complete: img.complete, natural: img.naturalWidth,
  visible: !!img.offsetParent,
}))"""


def wait_mathjax(page) -> dict:
    return page.evaluate(WAIT_MATHJAX_JS)


def run_axe(page, context=None) -> list[dict]:
    """Violations found by axe-core; each {id, impact, help, nodes: [target…]}."""
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    res = page.evaluate(
        """async (ctx) => {
          const r = await axe.run(ctx || document, {resultTypes: ['violations']});
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                 nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').split('\\n').slice(1,2).join(''))}));
        }""",
        context,
    )
    return res


def screenshot_path(rel: str, suffix: str = "") -> Path:
    name = rel.replace("/", "__").removesuffix(".html") + suffix + ".png"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / name


@functools.lru_cache(maxsize=None)
def gzip_size(path: Path) -> int:
    """Bytes of the file gzip-compressed (what a static host that compresses text sends); images stay as they are."""
    if path.suffix.lower() in (".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2"):
        return path.stat().st_size
    return len(gzip.compress(path.read_bytes(), 6))


def local_file(url: str, base: str) -> Path | None:
    """The file in the site that a served URL maps to (None for other URLs)."""
    if not url.startswith(base):
        return None
    path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
    f = SITE / path.lstrip("/")
    if f.is_dir():
        f = f / "index.html"
    return f if f.is_file() else None


@dataclasses.dataclass
class Visit:
    rel: str
    url: str
    rec: Recorder
    title: str = ""
    mathjax: dict = dataclasses.field(default_factory=dict)
    math: dict = dataclasses.field(default_factory=dict)
    raw_math_in_source: bool = False
    visible_text: str = ""
    images: list = dataclasses.field(default_factory=list)
    axe: list | None = None
    weight: dict = dataclasses.field(default_factory=dict)
    counts: dict = dataclasses.field(default_factory=dict)
    screenshot: Path | None = None


_VISITS: dict[str, Visit] = {}
