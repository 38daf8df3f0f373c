"""Site-wide checks: internal links, file:// reading, offline search, dark mode, phone layout."""
from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from afx_browser import (HAVE_SITE, NO_SITE, PAGES, PHONE, REPORT, SITE, Recorder, is_local, redirect_target,
                         screenshot_path, wait_mathjax)

pytestmark = pytest.mark.skipif(not HAVE_SITE, reason=NO_SITE)


def _chapter_page() -> str:
    """A content page with math and, if any, figures: the first chapter page, else the first page with math."""
    chapters = [p for p in PAGES if p.startswith("chapters/")]
    if chapters:
        with_img = [p for p in chapters if "<img" in (SITE / p).read_text(encoding="utf-8")]
        return (with_img or chapters)[0]
    with_math = [p for p in PAGES if 'class="math' in (SITE / p).read_text(encoding="utf-8")]
    return (with_math or PAGES)[0]


def test_no_broken_internal_links(load_tool):
    problems, external = load_tool("check_site").check(SITE)
    REPORT["notes"].append(f"links: {sum(map(len, problems.values()))} problems on {len(problems)} pages, "
                           f"{len(external)} distinct external links (listed by `python tools/check_site.py --external`)")
    assert not problems, "broken internal links, anchors or external loads:\n" + "\n".join(
        f"{page}: {item}" for page, found in problems.items() for item in found)


def test_root_redirect_target_exists():
    target = redirect_target(SITE / "index.html")
    if target is None:
        pytest.skip("index.html is a page, not a redirect")
    assert (SITE / target.split("#")[0]).is_file(), f"index.html redirects to missing {target}"


@pytest.mark.parametrize("rel", ["index.html", "chapter"])
def test_readable_from_file_url(new_page, rel):
    """Opened straight from disk (file://): title, the theme's CSS applied, nothing fetched from other hosts, math."""
    rel = _chapter_page() if rel == "chapter" else rel
    page = new_page()
    rec = Recorder().attach(page)
    page.goto((SITE / rel).as_uri(), wait_until="load")
    mj = wait_mathjax(page)
    assert page.title().strip(), f"{rel} via file://: no title"
    # The theme's stylesheet is applied: the sidebar is laid out and the body font is not the browser's default.
    font = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert "times" not in font.lower() and page.evaluate(
        "() => Array.from(document.styleSheets).some(s => (s.href || '').includes('pydata-sphinx-theme'))"), \
        f"{rel} via file://: theme CSS not applied (body font {font!r})"
    external = sorted({u for u in rec.requests if not is_local(u)})
    assert not external, f"{rel} via file:// requested other hosts: {external}"
    failed = [f for f in rec.failed if "favicon" not in f]
    assert not failed, f"{rel} via file://: failed requests {failed}"
    if 'class="math' in (SITE / rel).read_text(encoding="utf-8"):
        assert mj.get("loaded"), f"{rel} via file://: MathJax did not start"
        left = page.evaluate("() => Array.from(document.querySelectorAll('.math')).filter(m => !m.querySelector('mjx-container')).length")
        assert left == 0, f"{rel} via file://: {left} math elements not typeset"
    page.screenshot(path=str(screenshot_path(rel, "--file-url")))


def test_offline_search_finds_a_page(new_page, site_url):
    """search.html runs Sphinx's search on the local searchindex.js: a word from a page title gives results."""
    if not (SITE / "search.html").is_file():
        pytest.skip("no search.html")
    index = (SITE / "searchindex.js").read_text(encoding="utf-8")
    m = re.search(r'"titles"\s*:\s*\[\s*"([^"]+)"', index)
    words = [w for w in re.findall(r"[A-Za-z]{5,}", m.group(1) if m else "")] or ["activation"]
    page = new_page()
    rec = Recorder().attach(page)
    page.goto(site_url + "search.html?q=" + words[0], wait_until="load")
    page.wait_for_selector("#search-results li, #search-results p", timeout=10_000)
    page.wait_for_function("() => !document.querySelector('#search-progress') || "
                           "!/Preparing|Searching/.test(document.querySelector('#search-progress').textContent)",
                           timeout=10_000)
    hits = page.locator("#search-results li").count()
    page.screenshot(path=str(screenshot_path("search", f"--q-{words[0]}")))
    assert hits > 0, f"search for {words[0]!r} found nothing"
    assert not sorted({u for u in rec.requests if not is_local(u)}), "search requested other hosts"
    assert not rec.errors(), rec.errors()


def _ink_contrast(png: bytes) -> tuple[float, float, float]:
    """(background, ink, |ink - background|) luminance 0..1 of a rendered image: background = the median pixel
    (plots are mostly background), ink = the 1st or 99th percentile, whichever is farther from it. Dark lines on
    a transparent PNG over the dark page give |ink - background| near 0."""
    img = Image.open(io.BytesIO(png)).convert("L")
    hist = img.histogram()
    n = sum(hist)

    def pct(q):
        acc = 0
        for v, c in enumerate(hist):
            acc += c
            if acc >= q * n:
                return v / 255
        return 1.0

    bg, lo, hi = pct(0.5), pct(0.01), pct(0.99)
    ink = lo if bg - lo >= hi - bg else hi
    return bg, ink, abs(ink - bg)


def test_dark_mode_figures_stay_readable(new_page, site_url):
    """Light and dark screenshots of a chapter page; in dark mode every visible content image keeps contrast
    (not dark lines on a transparent background over the dark page)."""
    rel = _chapter_page()
    page = new_page()
    page.goto(site_url + rel, wait_until="load")
    wait_mathjax(page)
    rows = []
    for mode in ("light", "dark"):
        page.evaluate("m => { document.documentElement.dataset.theme = m; document.documentElement.dataset.mode = m; }", mode)
        page.wait_for_timeout(100)
        page.screenshot(path=str(screenshot_path(rel, f"--{mode}")))
    bg = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert bg not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), f"dark mode did not change the page background ({bg})"
    imgs = page.locator(".bd-content img")
    bad = []
    for k in range(min(imgs.count(), 12)):
        img = imgs.nth(k)
        box = img.bounding_box()
        if not box or box["width"] < 40 or box["height"] < 40:
            continue
        img.scroll_into_view_if_needed()
        bg, ink, contrast = _ink_contrast(img.screenshot())
        alt = (img.get_attribute("alt") or "")[:40]
        rows.append(f"{alt:40s} background={bg:.2f} ink={ink:.2f} contrast={contrast:.2f}")
        if contrast < 0.35:
            bad.append(f"image {k} ({alt}): background {bg:.2f}, ink {ink:.2f} — too little contrast in dark mode")
    REPORT["dark"][rel] = rows or ["(no content images on this page)"]
    assert not bad, f"{rel} in dark mode:\n" + "\n".join(bad)


def test_phone_layout(new_page, site_url):
    """A 390x844 phone viewport: no horizontal scrolling of the page, screenshot saved."""
    rel = _chapter_page()
    page = new_page(viewport=PHONE, is_mobile=True, device_scale_factor=2, has_touch=True)
    page.goto(site_url + rel, wait_until="load")
    wait_mathjax(page)
    page.screenshot(path=str(screenshot_path(rel, "--phone")))
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{rel} on a phone scrolls sideways by {overflow}px"
