"""List notebooks under chapters/ that _toc.yml does not include.

Usage: python tools/toc_check.py [--strict]

With `only_build_toc_files: true` Jupyter Book silently skips a notebook that is missing from the
table of contents. This prints each such notebook (nbval still tests it); with --strict the exit
status is 1 when there is one.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def toc_files(toc: dict) -> set[str]:
    """Every `file:` entry of a jb-book table of contents (paths without extension)."""
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("file"), str):
                found.add(str(Path(node["file"]).with_suffix("")) if node["file"].endswith((".md", ".ipynb"))
                          else node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    if not isinstance(toc, dict):
        raise ValueError("toc_files: toc must be a mapping (the parsed _toc.yml)")
    walk(toc)
    return found


def missing_notebooks(root: Path = ROOT) -> list[str]:
    """Notebooks under root/chapters (paths relative to root, no extension) absent from root/_toc.yml."""
    listed = toc_files(yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8")))
    notebooks = sorted(
        str(p.relative_to(root).with_suffix(""))
        for p in (root / "chapters").rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts and "_build" not in p.parts
    )
    return [nb for nb in notebooks if nb not in listed]


def main(argv: list[str]) -> int:
    missing = missing_notebooks()
    for nb in missing:
        print(f"not in _toc.yml (not built): {nb}.ipynb")
    return 1 if missing and "--strict" in argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
