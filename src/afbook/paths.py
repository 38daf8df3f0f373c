"""Where the book's own files are: found from the notebook being run, not from the package.

A notebook runs with its own folder as the working directory (in `make execute`, in JupyterLab and
in Binder), so the book's root is the nearest folder above it that holds ``_config.yml``. When the
package is used from elsewhere (a test, a script run from the repository), the source tree of an
editable install is the fallback.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["book_root", "book_file"]

_MARKER = "_config.yml"
#: the repository this package was installed from in editable mode (the fallback of book_root)
SOURCE_TREE = Path(__file__).resolve().parents[2]


def book_root(start: Path | str | None = None) -> Path:
    """The folder holding ``_config.yml``: the nearest above ``start`` (default: the working
    directory), else the repository this package was installed from in editable mode."""
    here = Path(start if start is not None else Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / _MARKER).is_file():
            return folder
    if (SOURCE_TREE / _MARKER).is_file():
        return SOURCE_TREE
    raise FileNotFoundError(f"no {_MARKER} in {here} or any folder above it, nor at {SOURCE_TREE}: "
                            "run this from inside the book")


def book_file(name: str, start: Path | str | None = None) -> Path:
    """A file or folder of the book, e.g. ``book_file("references.bib")``; FileNotFoundError names it."""
    path = book_root(start) / name
    if not path.exists():
        raise FileNotFoundError(f"the book has no {name} (looked for {path})")
    return path
