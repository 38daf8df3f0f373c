"""The one display layer of the course: an HTML + text display object, a number formatter, ids.

Every object the chapters put last in a cell (figures, explorers, quizzes, cards, tables) is an
:class:`HTMLDisplay`: it shows ``html`` in Jupyter and on the site, and ``text`` wherever HTML is not
rendered (a terminal, nbval's plain-text comparison, alt text). :func:`fmt` is the single formatter of
numbers for people, and :func:`make_id` the single generator of element ids (deterministic within a
kernel; :func:`reset_ids` starts the count again, for tests).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import itertools
import json
import math
import numbers
import re

import numpy as np

__all__ = ["HTMLDisplay", "fmt", "make_id", "reset_ids", "inline_script", "scroll_region"]


class HTMLDisplay:
    """Something with an HTML view and a plain-text view.

    Subclasses either pass both to ``__init__`` or override the ``html`` and ``text`` properties
    (for views built on demand).
    """

    def __init__(self, html: str | None = None, text: str | None = None):
        if html is not None:
            self._html = html
        if text is not None:
            self._text = text

    @property
    def html(self) -> str:
        return self._html

    @property
    def text(self) -> str:
        return self._text

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.html, "text/plain": self.text}

    def __repr__(self) -> str:
        return self.text


def fmt(v, digits: int = 3) -> str:
    """A number for people: up to ``digits`` significant digits, Unicode minus, ×10^k, ∞ and nan.

    >>> fmt(-0.0000123456), fmt(2.0), fmt(float("inf")), fmt(True)
    ('−1.23×10^−5', '2', '∞', 'True')
    """
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, numbers.Real):
        v = float(v)
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "∞" if v > 0 else "−∞"
        if v == 0:
            return "0"
        s = f"{v:.{digits}g}"
        if "e" in s:
            m, e = s.split("e")
            s = f"{m}×10^{int(e)}"
        return s.replace("-", "−")
    return str(v)


def scroll_region(inner: str, label: str) -> str:
    """``inner`` (a table) in a box that scrolls sideways on narrow screens. A scrollable box must be
    reachable by keyboard (axe: scrollable-region-focusable), so it is a labelled, focusable region."""
    import html

    if not isinstance(label, str) or not label.strip():
        raise ValueError("scroll_region: label must say what the region holds")
    return (f'<div class="afx-table-wrap" role="region" aria-label="{html.escape(label, quote=True)}" '
            f'tabindex="0">{inner}</div>')


_COUNTER = itertools.count(1)


def make_id(kind: str, *parts) -> str:
    """A unique, readable element id: ``afx-<kind>-<slug of the first part>-<hash of all>-<n>``.

    The hash makes ids of different content differ; the running number keeps two displays of the
    same content in one page apart. Both are deterministic within a kernel, so re-executing a
    notebook gives the same ids (strict nbval compares them).
    """
    if not re.fullmatch(r"[a-z][a-z0-9-]*", kind):
        raise ValueError(f"make_id: kind must be lower-case letters, digits and '-', got {kind!r}")
    first = re.sub(r"[^a-z0-9]+", "-", str(parts[0]).lower()).strip("-") if parts else ""
    digest = hashlib.sha1(repr(parts).encode()).hexdigest()[:8]
    return "-".join(p for p in ("afx", kind, first or kind, digest, str(next(_COUNTER))))


def reset_ids() -> None:
    """Start the running number of :func:`make_id` again at 1 (tests that compare two renderings)."""
    global _COUNTER
    _COUNTER = itertools.count(1)


@functools.lru_cache(maxsize=None)
def _static_js(name: str) -> str:
    src = importlib.resources.files("afbook").joinpath("static", name).read_text("utf-8")
    return src[src.index("*/") + 2:].strip()           # the code after the header comment


def inline_script(name: str, root_id: str) -> str:
    """``afbook/static/<name>`` (the code after its header comment), bound to the element ``root_id``.

    The scripts of explorers and quizzes are real ``.js`` files; a page gets them inlined (no request,
    works from disk), with the placeholder ``AFX_ROOT_ID`` replaced by the root element's id.
    """
    if not re.fullmatch(r"[a-z_]+\.js", name):
        raise ValueError(f"inline_script: name must be a file name such as 'quiz.js', got {name!r}")
    return _static_js(name).replace("AFX_ROOT_ID", json.dumps(root_id))
