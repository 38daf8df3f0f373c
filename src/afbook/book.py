"""Helpers for the notebooks: one setup call, glued text, bounds, timing and Gaussian moments.

The first (hidden) cell of every chapter notebook is::

    import activations as A
    from afbook import book
    book.setup()

Numbers inside sentences are glued *as the reader sees them*: ``book.glue("k", value, ".2f")``
stores the formatted string, and the prose writes ``{glue:text}`k```. What nbval compares is then
exactly what the page prints, never a full-precision float behind a rounded number.
"""

from __future__ import annotations

import html
import math
import numbers
import re
import timeit
from typing import Callable

import numpy as np

from afbook import args
from afbook.display import HTMLDisplay

__all__ = ["setup", "Shown", "glue", "text", "below", "best_time", "gaussian_moments", "key_points", "KeyPoints"]

_LIMITER = None


def setup(*, threads: int = 1) -> None:
    """Prepare a notebook's kernel: the book's figure style, and ``threads`` BLAS/OpenMP threads.

    One thread makes timings compare like with like. The thread count is set through threadpoolctl
    at run time, never through environment variables; the committed outputs do not depend on it.
    """
    global _LIMITER
    threads = args.integer("setup", "threads", threads, low=1)
    from threadpoolctl import threadpool_limits

    from afbook import plotting

    _LIMITER = threadpool_limits(limits=int(threads))
    plotting.apply_style()


class Shown(str):
    """A string whose plain-text representation is itself (no quotes): what ``{glue:text}`` prints."""

    def __repr__(self) -> str:
        return str(self)


def text(value, spec: str | None = None) -> str:
    """``value`` formatted with the format spec ``spec`` (``".2f"``, ``".1%"``, ``".0e"``, ``","``).

    NumPy scalars are converted to Python numbers first; a str is returned as it is (``spec`` must
    then be None). Without ``spec``, an int is written in full and a float with ``repr``.

    >>> text(0.123456, ".1%"), text(np.float32(2.5), ".2f"), text(12345, ",")
    ('12.3%', '2.50', '12,345')
    """
    if isinstance(value, str):
        if spec is not None:
            raise TypeError("text: a str value takes no format spec")
        return value
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, np.generic):
        value = value.item()
    if not isinstance(value, numbers.Real):
        raise TypeError(f"text: value must be a real number or a str, got {type(value).__name__}")
    if spec is None:
        return str(value)
    if not isinstance(spec, str):
        raise TypeError(f"text: spec must be a format spec such as '.2f', got {type(spec).__name__}")
    try:
        return format(value, spec)
    except ValueError as exc:
        raise ValueError(f"text: bad format spec {spec!r} for {value!r}: {exc}") from None


def glue(name: str, value, spec: str | None = None) -> None:
    """Glue ``value`` formatted with ``spec`` under ``name``; nothing is displayed or returned, so a
    cell may end with it (``text(value, spec)`` gives the same string for use in code).

    The page writes ``{glue:text}`ratio``` for ``glue("ratio", 0.123456, ".1%")``: 12.3%.
    """
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(f"glue: name must be an identifier-like string, got {name!r}")
    shown = text(value, spec)
    from myst_nb import glue as _glue

    _glue(name, Shown(shown), display=False)


def below(value, bound: float, *, what: str = "rounding") -> str:
    """Check that ``|value| < bound`` and say so without the digits of ``value``.

    For residuals at rounding level, whose last digits depend on the CPU's SIMD path: the page shows
    "< 1e-15 (rounding)" on every machine, and a value that is not below the bound fails loudly.
    """
    v = float(value)
    if not (isinstance(bound, numbers.Real) and bound > 0):
        raise ValueError(f"below: bound must be a positive number, got {bound!r}")
    if not abs(v) < bound:
        raise AssertionError(f"below: |{v!r}| is not below {bound:g}")
    return f"< {bound:g} ({what})" if what else f"< {bound:g}"


def best_time(fn: Callable, *call_args, repeat: int = 5, number: int | None = None) -> float:
    """Seconds per call of ``fn(*call_args)``: the best of ``repeat`` rounds (after one warm-up call).

    ``number`` calls per round; by default enough for a round to last about 0.05 s.
    """
    repeat = args.integer("best_time", "repeat", repeat, low=1)
    fn(*call_args)
    if number is None:
        t0 = timeit.default_timer()
        fn(*call_args)
        once = max(timeit.default_timer() - t0, 1e-7)
        number = max(1, int(0.05 / once))
    else:
        number = args.integer("best_time", "number", number, low=1)
    return min(timeit.repeat(lambda: fn(*call_args), number=number, repeat=repeat)) / number


def gaussian_moments(f: Callable, q: float = 1.0, *, tol: float = 1e-13) -> tuple[float, float]:
    """Mean and variance of ``f(√q·Z)`` for a standard normal Z, by adaptive quadrature.

    ``f`` maps a float to a float (``lambda z: float(A.selu(z))``). Integrated on (−∞, 0] and [0, ∞)
    separately, so a kink at 0 costs no accuracy.
    """
    from scipy import integrate

    q = args.positive("gaussian_moments", "q", q)
    s = math.sqrt(q)
    phi = lambda z: math.exp(-z * z / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    opts = dict(epsabs=tol, epsrel=tol, limit=200)
    halves = ((-np.inf, 0.0), (0.0, np.inf))
    m1 = sum(integrate.quad(lambda z: float(f(s * z)) * phi(z), a, b, **opts)[0] for a, b in halves)
    m2 = sum(integrate.quad(lambda z: float(f(s * z)) ** 2 * phi(z), a, b, **opts)[0] for a, b in halves)
    return m1, m2 - m1 * m1


_REF = re.compile(r"\{(term|act):([^{}]+)\}")


class KeyPoints(HTMLDisplay):
    """The key-points box at the end of a page (要点まとめ): what ``key_points`` returns."""

    def __init__(self, points: list, title: str):
        self.points, self.title = points, title          # points: list of [(text, ja or None), ...]

    @property
    def html(self) -> str:
        items = []
        for parts in self.points:
            li = "".join(html.escape(t) + (f' (<span lang="ja">{html.escape(ja)}</span>)' if ja else "")
                         for t, ja in parts)
            items.append(f"<li>{li}</li>")
        return (f'<div class="admonition afx-keypoints"><p class="admonition-title">{html.escape(self.title)}</p>'
                f'<ul>{"".join(items)}</ul></div>')

    @property
    def text(self) -> str:
        lines = [self.title]
        for parts in self.points:
            lines.append("- " + "".join(t + (f" ({ja})" if ja else "") for t, ja in parts))
        return "\n".join(lines)


def key_points(*points: str, title: str = "Key points · 要点まとめ") -> KeyPoints:
    """The page's key points, each with its Japanese term, taken from the glossary or the registry.

    In a point, ``{term:vanishing gradient}`` is written "vanishing gradient (勾配消失問題)" with the
    Japanese from ``glossary.md``, and ``{act:sigmoid}`` is written with the activation's title and
    its Japanese name from the registry. Nothing Japanese is typed in a notebook.
    """
    import activations as A

    from afbook import glossary

    if not points:
        raise ValueError("key_points: give at least one point")
    out = []
    for i, point in enumerate(points):
        if not isinstance(point, str) or not point.strip():
            raise TypeError(f"key_points: point {i} must be a non-empty str, got {point!r}")
        parts, pos = [], 0
        for m in _REF.finditer(point):
            if m.start() > pos:
                parts.append((point[pos:m.start()], None))
            kind, name = m.group(1), m.group(2).strip()
            if kind == "term":
                t = glossary.term(name)
                parts.append((name, t.ja))
            else:
                act = A.get(name)
                parts.append((act.title, act.ja))
            pos = m.end()
        if pos < len(point):
            parts.append((point[pos:], None))
        if "{" in "".join(t for t, _ in parts):
            raise ValueError(f"key_points: point {i} has a reference that is not {{term:…}} or {{act:…}}: {point!r}")
        out.append(parts)
    return KeyPoints(out, title)
