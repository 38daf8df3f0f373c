"""Fail if the built site loads anything from outside itself, or a local script or stylesheet is missing.

Usage: python tools/check_offline.py _build/html

Every <script src>, <link href> (stylesheets, icons, preloads), <img src>, <iframe src>, <source src>,
<video>/<audio> src and CSS url(...) in every built .html file must be relative to the site. Ordinary
<a href> links may point anywhere (they only matter when clicked). Every local <script src> and
stylesheet must exist in the build (e.g. the vendored MathJax that `make book` copies). Exit status 1
lists the offenders.
"""

from __future__ import annotations

import re
import sys
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

EXTERNAL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
CSS_URL = re.compile(r"url\(\s*['\"]?(?P<url>[^'\")]+)", re.IGNORECASE)
# tag -> attributes that make the browser fetch something as soon as the page loads
FETCHING = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
}
# <link rel=...> values that do not fetch anything
NON_FETCHING_REL = {"canonical", "alternate", "author", "license", "next", "prev", "search", "index", "help", "copyright"}


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.local: list[str] = []  # local script and stylesheet URLs
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "style":
            self._in_style = True
        if tag == "link" and set((attrs.get("rel") or "").lower().split()) <= NON_FETCHING_REL and attrs.get("rel"):
            return
        url = attrs.get("src") if tag == "script" else attrs.get("href") if tag == "link" and \
            "stylesheet" in (attrs.get("rel") or "").lower() else None
        if url and not EXTERNAL.match(url) and not url.startswith("data:"):
            self.local.append(url)
        for name in FETCHING.get(tag, ()):
            value = attrs.get(name) or ""
            for part in value.split(","):
                if EXTERNAL.match(part):
                    self.found.append(f"<{tag} {name}={part.strip()!r}>")
        style = attrs.get("style") or ""
        self._check_css(style)

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self._check_css(data)

    def _check_css(self, css: str) -> None:
        for m in CSS_URL.finditer(css):
            if EXTERNAL.match(m.group("url")):
                self.found.append(f"css url({m.group('url')})")


def external_resources(html: str) -> list[str]:
    """Return a description of every external resource the HTML page would load."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return finder.found


def missing_local_resources(html: str, page: Path) -> list[str]:
    """Local script and stylesheet URLs of `html` (the text of `page`) that do not exist on disk."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    missing = []
    for url in finder.local:
        path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
        if path and not (page.parent / path).is_file():
            missing.append(f"missing local resource {url!r}")
    return missing


def check_site(root: Path) -> dict[str, list[str]]:
    """Map each .html file under root (relative path) to its problems: external resources it loads and
    local scripts/stylesheets that are missing (only pages with problems)."""
    if not root.is_dir():
        raise ValueError(f"check_site: root {str(root)!r} is not a directory (build the book first)")
    problems = {}
    for page in sorted(root.rglob("*.html")):
        if "_static" in page.relative_to(root).parts:
            continue  # theme template fragments, not pages
        html = page.read_text(encoding="utf-8", errors="replace")
        found = [f"loads external {item}" for item in external_resources(html)]
        found += missing_local_resources(html, page)
        if found:
            problems[str(page.relative_to(root))] = found
    return problems


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else "_build/html")
    problems = check_site(root)
    pages = len([p for p in root.rglob("*.html") if "_static" not in p.relative_to(root).parts])
    if problems:
        for page, found in problems.items():
            for item in found:
                print(f"{page}: {item}")
        print(f"check_offline: {len(problems)} of {pages} pages load external or missing resources",
              file=sys.stderr)
        return 1
    print(f"check_offline: {pages} pages, nothing loaded from outside the site, no local script or "
          f"stylesheet missing")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
