"""Fixtures of the browser tests; the helpers live in afx_browser.py (see its docstring)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from afx_browser import (AXE, FIXTURES, HAVE_SITE, NO_SITE, REPORT, SITE, VIEWPORT, _VISITS,
                         Recorder, Visit, gzip_size, local_file, run_axe, screenshot_path, serve, wait_mathjax,
                         MATH_INFO_JS, VISIBLE_TEXT_JS, IMAGES_JS)


def _served(root: Path):
    """Serve ``root`` on a free local port for the session; yields its base URL."""
    httpd = serve(root)
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def site_url():
    if not HAVE_SITE:
        pytest.skip(NO_SITE)
    yield from _served(SITE)


@pytest.fixture(scope="session")
def fixture_url():
    yield from _served(FIXTURES)


@pytest.fixture
def new_page(browser):
    """Factory: a page in a fresh context (clean cache, so every resource is requested and recorded)."""
    contexts = []

    def make(viewport=VIEWPORT, **kw):
        ctx = browser.new_context(viewport=viewport, **kw)
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(15_000)
        return page

    yield make
    for c in contexts:
        c.close()




@pytest.fixture(scope="session")
def visit(browser, site_url):
    """visit(rel) -> Visit: load the page once per session and record everything the page tests check."""

    def get(rel: str) -> Visit:
        if rel in _VISITS:
            return _VISITS[rel]
        ctx = browser.new_context(viewport=VIEWPORT)
        page = ctx.new_page()
        page.set_default_timeout(15_000)
        rec = Recorder().attach(page)
        url = site_url + rel
        v = Visit(rel=rel, url=url, rec=rec)
        try:
            page.goto(url, wait_until="load")
            v.mathjax = wait_mathjax(page)
            page.wait_for_load_state("networkidle")
            v.title = page.title()
            v.math = page.evaluate(MATH_INFO_JS)
            v.visible_text = page.evaluate(VISIBLE_TEXT_JS)
            v.images = page.evaluate(IMAGES_JS)
            v.counts = page.evaluate("""() => ({
                explorers: document.querySelectorAll('div.afx-explorer').length,
                quizzes: document.querySelectorAll('div.afx-quiz').length,
                questions: document.querySelectorAll('div.afx-quiz div.afx-question').length,
                // icons the Font Awesome subset left as <i>/<span> (not rendered), and those it drew
                unrenderedIcons: Array.from(document.querySelectorAll(
                    'i[class*="fa-"], span[class*="fa-"]')).filter(e => /(^|\\s)(fa[srb]?|fa-(solid|brands|regular))(\\s|$)/
                    .test(e.className)).map(e => e.className),
                icons: document.querySelectorAll('svg.svg-inline--fa').length})""")
            v.screenshot = screenshot_path(rel)
            page.screenshot(path=str(v.screenshot))
            # page weight: the HTML and everything it loaded, as files on disk
            files = {}
            for u, status in rec.responses:
                f = local_file(u, site_url)
                if f is not None:
                    files[f] = f.stat().st_size
            own = [f for f in files if "_static" not in f.relative_to(SITE).parts]  # not the shared theme/MathJax files
            v.weight = {"total": sum(files.values()), "gzip": sum(gzip_size(f) for f in files), "files": len(files),
                        "own": sum(files[f] for f in own),
                        "html": (SITE / rel).stat().st_size,
                        "largest": sorted(((s, str(f.relative_to(SITE))) for f, s in files.items()), reverse=True)[:3]}
            REPORT["weight"][rel] = v.weight
            if AXE.is_file():
                v.axe = run_axe(page)
                REPORT["axe"][rel] = v.axe
        finally:
            ctx.close()
        _VISITS[rel] = v
        return v

    return get


# With pytest-xdist (make test runs the browser tests on every core), each worker keeps its own
# REPORT; the workers write theirs to REPORT_DIR at the end and the controller merges them before
# printing the tables.
REPORT_DIR = SITE.parent / "browser-report"


def pytest_configure(config):
    if not hasattr(config, "workerinput"):          # the controller, or a run without xdist
        shutil.rmtree(REPORT_DIR, ignore_errors=True)


def pytest_sessionfinish(session):
    worker = getattr(session.config, "workerinput", None)
    if worker is not None:
        REPORT_DIR.mkdir(parents=True, exist_ok=True)
        (REPORT_DIR / f"{worker['workerid']}.json").write_text(json.dumps(REPORT, default=str))
        return
    for part in sorted(REPORT_DIR.glob("*.json")):
        for key, value in json.loads(part.read_text()).items():
            if isinstance(REPORT[key], list):
                REPORT[key].extend(value)
            else:
                REPORT[key].update(value)


def pytest_terminal_summary(terminalreporter):
    tr = terminalreporter
    if REPORT["axe"]:
        tr.section("axe-core violations (page x impact: number of rules violated / nodes)")
        impacts = ["critical", "serious", "moderate", "minor"]
        tr.write_line(f"{'page':60s} " + " ".join(f"{i:>9s}" for i in impacts))
        for rel, vs in sorted(REPORT["axe"].items()):
            cells = []
            for i in impacts:
                rules = [v for v in vs if v["impact"] == i]
                cells.append(f"{len(rules)}/{sum(len(v['nodes']) for v in rules)}" if rules else "0")
            tr.write_line(f"{rel:60s} " + " ".join(f"{c:>9s}" for c in cells))
        rules = sorted({(v["impact"], v["id"], v["help"]) for vs in REPORT["axe"].values() for v in vs})
        for imp, rid, hlp in rules:
            tr.write_line(f"  [{imp}] {rid}: {hlp}")
    if REPORT["weight"]:
        tr.section("page weight (HTML + everything loaded, bytes on disk)")
        tr.write_line(f"{'page':50s} {'html':>9s} {'own':>9s} {'total':>9s} {'gzipped':>9s} {'files':>5s}  largest (raw)")
        for rel, w in sorted(REPORT["weight"].items()):
            big = ", ".join(f"{n} {s // 1024} KiB" for s, n in w["largest"][:2])
            tr.write_line(f"{rel:50s} {w['html']:>9d} {w['own']:>9d} {w['total']:>9d} {w['gzip']:>9d} {w['files']:>5d}  {big}")
        tr.write_line("own: the page's HTML and files outside _static/ (what each further page costs once the theme and "
                      "MathJax are cached); total: everything loaded on a cold cache; gzipped: total as a compressing host sends it")
    if REPORT["explorer"]:
        tr.section("explorers: input -> new frame src latency, ms (measured in the page with performance.now())")
        for key, rows in sorted(REPORT["explorer"].items()):
            for label, how, ms in rows:
                tr.write_line(f"{key:60s} {label:24s} {how:9s} {ms:7.2f}")
    if REPORT["dark"]:
        tr.section("dark mode: luminance of content images as rendered (background = median, ink = p1/p99)")
        for key, rows in sorted(REPORT["dark"].items()):
            for row in rows:
                tr.write_line(f"{key:50s} {row}")
    for note in REPORT["notes"]:
        tr.write_line(note)
