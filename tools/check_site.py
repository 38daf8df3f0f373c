"""Check the built site without a network: it loads nothing from outside itself and its links work.

Usage: python tools/check_site.py [_build/html] [--external]

One pass over every built page (theme fragments under _static/ and copied sources under _sources/
are not pages; links INTO them are checked):
- nothing is fetched from another host when a page loads: <script src>, <link href> (stylesheets,
  icons, preloads), <img src/srcset>, <iframe>, <source>, <video>/<audio>, <embed>, <object> and
  CSS url(...) must be relative to the site (ordinary <a href> links may point anywhere);
- every local link, script, stylesheet and image exists in the build and stays inside it, and
  `page.html#id` names an element of that page (an id, or <a name>).
Exit status 1 lists every problem. External links are counted; --external lists them (with how
often they occur) for a person, or `make linkcheck` (Sphinx's linkcheck builder, needs internet).
"""

from __future__ import annotations

import argparse
import re
import sys
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

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
# tag -> attribute whose local target must exist
LINKING = {"a": "href", "link": "href", "img": "src", "script": "src", "iframe": "src", "source": "src"}
# <link rel=...> values that do not fetch anything
NON_FETCHING_REL = {"canonical", "alternate", "author", "license", "next", "prev", "search", "index", "help",
                    "copyright"}
NOT_PAGES = {"_sources", "_static"}


INLINE = ("data", "blob", "javascript")   # URL schemes that are neither files nor other hosts


def is_external(url: str) -> bool:
    """A URL of another host (``https://``, ``//cdn``, ``mailto:``); not data:, blob:, javascript:
    or file: (a file: URL is a broken link, see :func:`check`)."""
    u = urllib.parse.urlsplit(url.strip())
    return bool(u.netloc) or u.scheme.lower() not in ("", "file", *INLINE)


@dataclass
class Page:
    """What one HTML page contains that this check needs."""
    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)   # (tag, url) that must resolve
    loads_external: list[str] = field(default_factory=list)      # what it would fetch from elsewhere


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if a.get("id"):
            self.page.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.page.ids.add(a["name"])
        if tag == "style":
            self._in_style = True
        if a.get(LINKING.get(tag, "")):
            self.page.links.append((tag, a[LINKING[tag]]))
        rel = set(a.get("rel", "").lower().split())
        if not (tag == "link" and rel and rel <= NON_FETCHING_REL):
            for name in FETCHING.get(tag, ()):
                for part in a.get(name, "").split(",") if name == "srcset" else [a.get(name, "")]:
                    if part.strip() and is_external(part.split()[0]):
                        self.page.loads_external.append(f"<{tag} {name}={part.strip()!r}>")
        self._css(a.get("style", ""))

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self._css(data)

    def _css(self, css: str) -> None:
        for m in CSS_URL.finditer(css):
            if is_external(m.group("url")):
                self.page.loads_external.append(f"css url({m.group('url')})")


def parse(html: str) -> Page:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.page


def external_resources(html: str) -> list[str]:
    """A description of every resource from another host that the page would load."""
    return parse(html).loads_external


def page_paths(root: Path) -> list[Path]:
    """The built pages under ``root`` (not the theme fragments and copied sources)."""
    return [p for p in sorted(root.rglob("*.html")) if not NOT_PAGES & set(p.relative_to(root).parts)]


def _broken(root: Path, page: Path, tag: str, url: str, pages: dict[Path, Page]) -> str | None:
    """Why a local ``url`` of ``page`` does not resolve, or None."""
    u = urllib.parse.urlsplit(url)
    if u.scheme.lower() == "file":
        return "a file: URL"
    target = page if not u.path else (page.parent / urllib.parse.unquote(u.path)).resolve()
    if target.is_dir():
        target = target / "index.html"
    if root not in target.parents:
        return "points outside the site"
    if not target.is_file():
        return "no such file"
    frag = urllib.parse.unquote(u.fragment)
    if frag and tag == "a" and target.suffix == ".html":
        if target not in pages:
            pages[target] = parse(target.read_text(encoding="utf-8", errors="replace"))
        if frag not in pages[target].ids:
            return f"no id {frag!r} in {target.relative_to(root).as_posix()}"
    return None


def check(root: Path) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """``(problems, external)``: each page (path relative to ``root``) with its problems (only pages
    that have some), and each external link with the pages that hold it."""
    root = Path(root).resolve()
    if not root.is_dir():
        raise ValueError(f"check_site: root {str(root)!r} is not a directory (build the book first)")
    pages = {p: parse(p.read_text(encoding="utf-8", errors="replace")) for p in page_paths(root)}
    problems, external = {}, defaultdict(list)
    for path, page in list(pages.items()):
        rel = path.relative_to(root).as_posix()
        found = [f"loads external {item}" for item in page.loads_external]
        for tag, url in page.links:
            if is_external(url):
                external[url].append(rel)
            elif urllib.parse.urlsplit(url).scheme.lower() not in INLINE:
                why = _broken(root, path, tag, url, pages)
                if why:
                    found.append(f"broken <{tag}> {url!r} ({why})")
        if found:
            problems[rel] = found
    return problems, dict(external)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", nargs="?", default="_build/html", type=Path)
    ap.add_argument("--external", action="store_true", help="also list the external links")
    args = ap.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"check_site: {args.site}/index.html not found: build the book first (make book)", file=sys.stderr)
        return 2
    problems, external = check(args.site)
    n_pages = len(page_paths(args.site.resolve()))
    for page, found in problems.items():
        for item in found:
            print(f"{page}: {item}")
    if args.external:
        for url, where in sorted(external.items()):
            print(f"external: {url}  ({len(where)}x, e.g. {where[0]})")
    if problems:
        print(f"check_site: {len(problems)} of {n_pages} pages load external resources or have broken links",
              file=sys.stderr)
        return 1
    print(f"check_site: {n_pages} pages, nothing loaded from outside the site, every internal link resolves; "
          f"{len(external)} distinct external links (--external lists them)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
