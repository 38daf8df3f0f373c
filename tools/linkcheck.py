"""Check the links of the built site without a network.

Usage: python tools/linkcheck.py [_build/html] [--external-only]

Internal links (href/src relative to the site): the file must exist and, for `page.html#id`, the page must have
an element with that id (or <a name>). Every broken one is listed and the exit status is 1.
External links (http, https, mailto, …) are only collected and printed, one per line with how often they occur,
for a person (or a networked `make linkcheck`) to check.
"""
from __future__ import annotations

import argparse
import sys
import urllib.parse
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

LINK_ATTRS = {"a": "href", "link": "href", "img": "src", "script": "src", "iframe": "src", "source": "src"}
SKIP_DIRS = {"_sources", "_static"}  # copied sources and theme template fragments: not pages (links INTO them are checked)


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (tag, url)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        attr = LINK_ATTRS.get(tag)
        if attr and a.get(attr):
            self.links.append((tag, a[attr]))


def parse(path: Path) -> _Page:
    p = _Page()
    p.feed(path.read_text(encoding="utf-8", errors="replace"))
    return p


def check(site: Path) -> tuple[list[str], dict[str, list[str]]]:
    """Returns (broken internal links as 'page: url (why)', {external url: [pages]})."""
    site = site.resolve()
    pages = {p: parse(p) for p in site.rglob("*.html") if not SKIP_DIRS & set(p.relative_to(site).parts)}
    ids_cache = {p: pg.ids for p, pg in pages.items()}
    broken, external = [], defaultdict(list)
    for page, pg in sorted(pages.items()):
        rel = page.relative_to(site).as_posix()
        for tag, url in pg.links:
            u = urllib.parse.urlsplit(url)
            if u.scheme in ("data", "blob", "javascript"):
                continue
            if u.scheme or u.netloc:
                if u.scheme != "file":
                    external[url].append(rel)
                    continue
                broken.append(f"{rel}: {url} (file: URL)")
                continue
            target = page if not u.path else (page.parent / urllib.parse.unquote(u.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if site not in target.parents and target != site:
                broken.append(f"{rel}: {url} (points outside the site)")
                continue
            if not target.exists():
                broken.append(f"{rel}: {url} (no such file)")
                continue
            frag = urllib.parse.unquote(u.fragment)
            if frag and tag == "a" and target.suffix == ".html":
                if target not in ids_cache:
                    ids_cache[target] = parse(target).ids
                if frag not in ids_cache[target]:
                    broken.append(f"{rel}: {url} (no id {frag!r} in {target.relative_to(site).as_posix()})")
    return broken, dict(external)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", nargs="?", default="_build/html", type=Path)
    ap.add_argument("--external-only", action="store_true", help="only print the external links")
    args = ap.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"{args.site}/index.html not found: build the book first (make book)", file=sys.stderr)
        return 2
    broken, external = check(args.site)
    if not args.external_only:
        print(f"internal links: {len(broken)} broken")
        for b in broken:
            print("  BROKEN", b)
    print(f"external links: {len(external)} distinct")
    for url, where in sorted(external.items()):
        print(f"  {url}  ({len(where)}x, e.g. {where[0]})")
    return 1 if broken and not args.external_only else 0


if __name__ == "__main__":
    sys.exit(main())
