"""Shared figures for the book: one style, generated alt text, small deterministic PNGs.

Chapter authors use three calls::

    from afbook import plotting
    plotting.show("elu", x=(-5, 5), alpha=1.0)          # f and f' side by side
    plotting.show_many(["relu", ("gelu", {"approximate": "tanh"}), "silu"],
                       x=(-5, 5), derivative=True)       # several activations overlaid
    plotting.figure(fig, alt="What the figure shows")   # any hand-made matplotlib figure

Each returns a display object. Put it last in a cell (or pass it to ``IPython.display.display``);
the cell output then carries ``text/html`` (an ``<img alt=...>`` with an embedded PNG) and
``text/plain`` (the alt text). Every value drawn comes from :mod:`activations`; the alt text is
built from the registry (title, parameters) and from the drawn data (where f and f' go on the
plotted interval), so you never write it by hand for library curves.

Style and dark mode
-------------------
The shared style (``STYLE``): the Okabe-Ito palette
``COLORS`` (safe for the common forms of colour blindness; curves also differ by line style),
11 pt fonts, light grid. The library's figures are built and drawn inside :func:`styled`, so
importing this module leaves matplotlib's global ``rcParams`` alone; ``book.setup()`` applies the
style globally (:func:`apply_style`) for the chapters' hand-made figures. PNGs have a *transparent* background and dark-grey text; in the book's
dark mode the rule in ``_static/afx.css`` gives every ``img.afx-fig`` / ``img.afx-frame`` a light
card behind it, so text and curves stay readable without a second set of images.

Determinism
-----------
The PNG carries no timestamp or software tag and is colour-quantised (64 colours) and optimised,
so outputs are small (a two-panel figure is ~15-25 kB) and identical across runs; nbval's
sanitize file only has to mask the ``data:image/png;base64,...`` payload.
"""
from __future__ import annotations

import base64
import html
import io
import math
import numbers
import warnings

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import activations as A
from afbook.display import HTMLDisplay, fmt

__all__ = [
    # figures for the chapters
    "COLORS", "COLOR_NAMES", "LINESTYLES", "STYLE", "DPI", "PAIR_SIZE", "FigureDisplay", "show", "show_many", "figure",
    "apply_style", "styled", "png_bytes", "data_uri", "png_size", "fmt", "param_label", "describe_params",
    # building blocks shared with explore and checker
    "elementwise", "check_interval", "chosen_params", "has_derivative", "title_with_params", "curve_data",
    "pair_alt", "pair_figure", "parse_items", "overlay_alt", "overlay_figure", "draw_overlay", "style_axes",
    "pad_ylim", "breaks_in", "break_marks", "draw_break_marks", "breaks_alt", "MARK_SIZE", "mark_artists",
    "set_marks",
]

#: Okabe & Ito (2008) palette, in the order curves use it.
COLORS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442")
#: Plain names of ``COLORS`` used in alt texts.
COLOR_NAMES = ("blue", "orange", "green", "vermillion", "pink", "sky blue", "black", "yellow")
#: Line styles paired with ``COLORS`` so curves differ by more than colour.
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (3, 1)), (0, (1, 1)), "-")

TEXT_COLOR = "#222222"
GRID_COLOR = "#b0b0b0"
DPI = 100
#: Size in inches of the f / f′ figure of :func:`show` (``DPI`` pixels per inch).
PAIR_SIZE = (8.0, 3.0)

STYLE = {
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.fontsize": 10,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "lines.linewidth": 2.0,
    "axes.prop_cycle": matplotlib.cycler(color=list(COLORS)),
    "axes.grid": True,
    "grid.color": GRID_COLOR,
    "grid.alpha": 0.5,
    "grid.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "text.color": TEXT_COLOR,
    "axes.labelcolor": TEXT_COLOR,
    "axes.edgecolor": "#555555",
    "xtick.color": TEXT_COLOR,
    "ytick.color": TEXT_COLOR,
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.transparent": True,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "axes.unicode_minus": True,
    "svg.hashsalt": "afx",
}

_GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "lambd": "λ", "lambda": "λ", "temperature": "T",
          "slope": "slope", "at_zero": "f(0)"}


def apply_style():
    """Apply the shared style to matplotlib's global ``rcParams`` (``book.setup()`` calls this)."""
    matplotlib.rcParams.update(STYLE)


def styled():
    """A context manager (or decorator) that applies ``STYLE`` only inside it.

    The library's figures are created and drawn inside it, so they look the same whether or not
    the global style was applied::

        with plotting.styled():
            fig, axes, lines = plotting.pair_figure(act)
            ...
            png = plotting.png_bytes(fig)
    """
    return matplotlib.rc_context(STYLE)


# ----------------------------------------------------------------------------------------------
# labels (numbers are formatted by afbook.display.fmt, re-exported here as plotting.fmt)
# ----------------------------------------------------------------------------------------------
def param_label(name):
    """Reader-facing symbol of a parameter (``alpha`` -> ``α``); unknown names are returned as is."""
    return _GREEK.get(name, name)


def describe_params(params):
    """``{"alpha": 1.0}`` -> ``"α = 1"``; several are joined with commas."""
    return ", ".join(f"{param_label(k)} = {fmt(v)}" for k, v in params.items())


def title_with_params(act, params):
    """``"ELU with α = 0.5"``: the activation's title and the parameters a figure names."""
    p = describe_params(params)
    return f"{act.title} with {p}" if p else act.title


# ----------------------------------------------------------------------------------------------
# arguments (parameters are validated by the library: Activation.bind)
# ----------------------------------------------------------------------------------------------
def elementwise(name, where="show"):
    """The elementwise activation ``name`` (a str or an Activation); a vector one is a ValueError."""
    act = A.get(name)
    if act.kind != "elementwise":
        raise ValueError(f"{where}: {act.name} is a vector activation (it acts on whole vectors), so it has no "
                         f"curve f(x); use explore.softmax for the softmax family")
    return act


def chosen_params(act, params, *, where):
    """The parameters a figure (or a check) draws and names: ``params`` validated by ``act.bind``
    (TypeError or ValueError naming the parameter, prefixed with ``where``), plus the registry's
    example values of required parameters that were not given (``threshold`` needs ``threshold``
    and ``value``). Defaults of optional parameters are left out, so a title names only what the
    chapter chose."""
    bound = act.bind(params, where=where)
    out = {p.name: bound[p.name] for p in act.params if p.required and p.name not in params}
    out.update((k, bound[k]) for k in params)
    return out


def check_interval(x, *, argname="x", where="show"):
    """``x`` must be a pair (low, high) of finite reals with low < high."""
    if isinstance(x, (str, bytes)) or not hasattr(x, "__len__") or len(x) != 2:
        raise TypeError(f"{where}: {argname} must be a pair (low, high), got {x!r}")
    lo, hi = x
    for v in (lo, hi):
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise TypeError(f"{where}: {argname} must hold two real numbers, got {x!r}")
        if not math.isfinite(float(v)):
            raise ValueError(f"{where}: {argname} must be finite, got {x!r}")
    lo, hi = float(lo), float(hi)
    if not lo < hi:
        raise ValueError(f"{where}: {argname} needs low < high, got {x!r}")
    return lo, hi


def has_derivative(act):
    """Whether ``act`` has an elementwise derivative f′ (vector activations have a Jacobian)."""
    return act.kind == "elementwise"


# ----------------------------------------------------------------------------------------------
# PNG rendering
# ----------------------------------------------------------------------------------------------
def png_bytes(fig, *, quantize=True, dpi=DPI):
    """Render a matplotlib figure to small, deterministic PNG bytes (transparent background).

    Draws once with Agg and encodes with Pillow: colour-quantised to 64 colours and optimised
    (``quantize=False`` keeps full colour and uses fast compression: live widgets).

    A figure without a layout engine (``plt.subplots()`` made by hand) gets constrained layout
    first, so its labels, titles and legends are never clipped; the figure keeps its size. A
    figure laid out by hand (``subplots_adjust``, ``tight_layout``, ``add_axes``, another engine)
    is left as it is."""
    from PIL import Image

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    if fig.dpi != dpi:
        fig.set_dpi(dpi)
    for ax in fig.axes:  # transparent background, as savefig(transparent=True) would do
        ax.patch.set_alpha(0.0)
    fig.patch.set_alpha(0.0)
    if fig.get_layout_engine() is None and not _adjusted_by_hand(fig) and fig.axes \
            and all(ax.get_subplotspec() is not None for ax in fig.axes):
        fig.set_layout_engine("constrained")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.canvas.draw()
        collapsed = any("constrained_layout not applied" in str(w.message) for w in caught)
        for w in caught:  # other warnings are the figure's own business
            if "constrained_layout not applied" not in str(w.message):
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        if collapsed:  # decorations larger than the figure: drawn as it was, without an engine
            fig.set_layout_engine("none")
            fig.canvas.draw()
    else:
        fig.canvas.draw()
    img = Image.frombuffer("RGBA", fig.canvas.get_width_height(physical=True), fig.canvas.buffer_rgba(), "raw",
                           "RGBA", 0, 1)
    out = io.BytesIO()
    if quantize:
        img = img.quantize(colors=64, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        img.save(out, format="PNG", optimize=True)
    else:
        img.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def _adjusted_by_hand(fig):
    """Whether the figure's subplot margins differ from matplotlib's defaults (subplots_adjust).
    Axes placed by hand (``fig.add_axes``, no subplot spec) also keep their places."""
    pars = fig.subplotpars
    return any(not math.isclose(getattr(pars, k), matplotlib.rcParams[f"figure.subplot.{k}"])
               for k in ("left", "right", "bottom", "top", "wspace", "hspace"))


def data_uri(png):
    """``data:image/png;base64,...`` for PNG bytes."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def png_size(png):
    """(width, height) in pixels read from a PNG header."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


class FigureDisplay(HTMLDisplay):
    """A rendered figure with alt text; displays as ``<img alt=...>`` in HTML and the alt text as plain text.

    Attributes: ``png`` (bytes), ``alt`` (str, also ``text``), ``width``/``height`` (pixels), ``html`` (str).
    """

    def __init__(self, png, alt):
        if not isinstance(alt, str) or not alt.strip():
            raise ValueError("alt must be a non-empty description of the figure")
        super().__init__(text=alt.strip())
        self.png = png
        self.alt = self.text
        self.width, self.height = png_size(png)

    @property
    def html(self):
        return (f'<figure class="afx-figure" style="margin:0">'
                f'<img class="afx-fig" src="{data_uri(self.png)}" alt="{html.escape(self.alt, quote=True)}" '
                f'width="{self.width}" height="{self.height}" style="max-width:100%;height:auto"/></figure>')


def figure(fig, alt):
    """Wrap a hand-made matplotlib figure for display with alt text, then close it.

    ``alt`` says what the figure shows (what is drawn in which colour, the axes ranges,
    the point to notice). The figure is rendered once and closed, so the inline backend does
    not show it a second time::

        fig, ax = plt.subplots()
        ax.plot(x, A.relu(x))
        plotting.figure(fig, alt="ReLU in blue for x from −3 to 3: zero on the left, a line of slope 1 on the right")
    """
    if not hasattr(fig, "savefig"):
        raise TypeError(f"figure: fig must be a matplotlib Figure, got {type(fig).__name__}")
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError("figure: alt must be a non-empty description of the figure")
    png = png_bytes(fig)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return FigureDisplay(png, alt)


# ----------------------------------------------------------------------------------------------
# library curves
# ----------------------------------------------------------------------------------------------
N_POINTS = 1001


def _xgrid(lo, hi, n=N_POINTS, points=()):
    """``n`` points from ``lo`` to ``hi``, plus 0 and ``points`` (e.g. the break points)."""
    x = np.linspace(lo, hi, n)
    extra = [0.0] if lo < 0 < hi else []  # put 0 on the grid so kinks are drawn sharp
    extra += [t for t in points if lo <= t <= hi]
    if extra:
        x = np.union1d(x, extra)
    return x


def _eps(lo, hi):
    """Half-width of the gap drawn at a break: far below a pixel, far above the spacing of floats."""
    return (hi - lo) * 1e-9


def breaks_in(act, params, lo, hi):
    """``(jumps, kinks)`` of ``act`` (the registry's :meth:`Activation.breaks`) inside [lo, hi]:
    where f jumps, and where f′ jumps (corners and jumps of f)."""
    if not has_derivative(act):
        return (), ()
    jumps, kinks = act.breaks(**params)
    return (tuple(t for t in jumps if lo <= t <= hi), tuple(t for t in kinks if lo <= t <= hi))


def _side_points(points, lo, hi):
    e = _eps(lo, hi)
    return [v for t in points for v in (t - e, t, t + e) if lo <= v <= hi]


def _span_text(values):
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return "not finite"
    lo, hi = float(finite.min()), float(finite.max())
    if math.isclose(lo, hi, rel_tol=1e-9, abs_tol=1e-12):
        return f"constant {fmt(lo)}"
    return f"from {fmt(lo)} to {fmt(hi)}"


def style_axes(ax, lo, hi):
    """Axes lines through 0, the x limits and the x label of a curve panel."""
    ax.axhline(0, color="#888888", lw=0.8, zorder=0)
    ax.axvline(0, color="#888888", lw=0.8, zorder=0)
    ax.set_xlim(lo, hi)
    ax.set_xlabel("x")


def pad_ylim(ax, values_list, pad=0.08):
    """y limits around the finite values of ``values_list`` with a margin; returns them."""
    vals = np.concatenate([np.ravel(v)[np.isfinite(np.ravel(v))] for v in values_list] or [np.zeros(1)])
    if vals.size == 0:
        vals = np.zeros(1)
    lo, hi = float(vals.min()), float(vals.max())
    if hi - lo < 1e-9:
        lo, hi = lo - 0.5, hi + 0.5
    d = (hi - lo) * pad
    ax.set_ylim(lo - d, hi + d)
    return lo - d, hi + d


def curve_data(act, lo, hi, params, n=N_POINTS):
    """x grid and f, f' (None if the activation has no derivative) from the library.

    The registry's break points (:meth:`Activation.breaks`) inside [lo, hi] are on the grid,
    each with a neighbour ε = 1e-9·(hi − lo) on either side, so corners are drawn exact and a
    line reaches a jump from both sides. At a jump of f, ``y`` is NaN (the line breaks instead
    of drawing a vertical segment); at a jump of f′ (a corner of f, or a jump), ``dy`` is NaN.
    :func:`break_marks` gives the dots that show which value is taken there. Smooth functions
    get the plain grid."""
    jumps, kinks = breaks_in(act, params, lo, hi)
    x = _xgrid(lo, hi, n, _side_points(kinks, lo, hi))
    y = np.asarray(act(x, **params), dtype=float)
    dy = np.asarray(act.derivative(x, **params), dtype=float) if has_derivative(act) else None
    if jumps:
        y[np.isin(x, jumps)] = np.nan
    if kinks and dy is not None:
        dy[np.isin(x, kinks)] = np.nan
    return x, y, dy


def break_marks(act, params, lo, hi, derivative=False):
    """The dots at the jumps of f (or of f′ with ``derivative=True``) inside [lo, hi]:
    ``(filled, open)``, two lists of (x, y) points. A filled dot is the value taken at the jump;
    an open dot is the end of a side that does not take it (one per side that differs)."""
    jumps, kinks = breaks_in(act, params, lo, hi)
    points = kinks if derivative else jumps
    if not points:
        return [], []
    fn = act.derivative if derivative else act
    e = _eps(lo, hi)
    filled, hollow = [], []
    for t in points:
        left, at, right = (float(v) for v in fn(np.array([t - e, t, t + e]), **params))
        filled.append((t, at))
        tol = 1e-6 * max(1.0, abs(left), abs(at), abs(right))
        ends = [v for v, inside in ((left, t - e >= lo), (right, t + e <= hi)) if inside and abs(v - at) > tol]
        if len(ends) == 2 and abs(ends[0] - ends[1]) <= tol:
            ends = ends[:1]                   # both sides meet at one open end
        hollow += [(t, v) for v in ends]
    return filled, hollow


#: Marker size (points) of the dots at jumps.
MARK_SIZE = 5.0


def draw_break_marks(ax, marks, color):
    """Draw :func:`break_marks` on ``ax`` in ``color``; returns the artists (none for no jumps)."""
    filled, hollow = marks
    arts = []
    if hollow:
        xs, ys = zip(*hollow)
        arts += ax.plot(xs, ys, ls="none", marker="o", ms=MARK_SIZE, mfc="white", mec=color, mew=1.4, zorder=4,
                        clip_on=False)
    if filled:
        xs, ys = zip(*filled)
        arts += ax.plot(xs, ys, ls="none", marker="o", ms=MARK_SIZE, mfc=color, mec=color, mew=1.4, zorder=5,
                        clip_on=False)
    return arts


def mark_artists(ax, color):
    """Two empty dot artists (open, filled) for an animated figure; fill them per frame with
    :func:`set_marks`. (For explorers: static figures use :func:`draw_break_marks`.)"""
    style = dict(ls="none", marker="o", ms=MARK_SIZE, mec=color, mew=1.4, clip_on=False)
    (hollow,) = ax.plot([], [], mfc="white", zorder=4, **style)
    (filled,) = ax.plot([], [], mfc=color, zorder=5, **style)
    for artist in (hollow, filled):          # dots never move the layout (empty ones sit at 0, 0)
        artist.set_in_layout(False)
    return hollow, filled


def set_marks(artists, act, params, lo, hi, derivative=False):
    """Put the :func:`break_marks` of ``act`` on [lo, hi] into the (open, filled) ``artists``
    of :func:`mark_artists`; returns the marks' y values (for the y limits)."""
    filled, hollow = break_marks(act, params, lo, hi, derivative)
    for artist, points in zip(artists, (hollow, filled)):
        artist.set_data([t for t, _ in points], [v for _, v in points])
    return [v for _, v in filled + hollow]


def _mark_values(marks):
    return [v for pts in marks for _, v in pts]


def _points_text(points):
    return ", ".join(fmt(t) for t in points)


def breaks_alt(act, params, lo, hi, derivative=True):
    """Where the drawn curves jump inside [lo, hi], for alt texts: ``"f jumps at x = 1; f′ jumps
    at x = 0"`` (empty for smooth functions; f′ only with ``derivative``)."""
    jumps, kinks = breaks_in(act, params, lo, hi)
    parts = []
    if jumps:
        parts.append(f"f jumps at x = {_points_text(jumps)}")
    if derivative and kinks:
        parts.append(f"f′ jumps at x = {_points_text(kinks)}")
    return "; ".join(parts)


def pair_alt(act, params, lo, hi, y, dy):
    """Alt text for the f / f' pair figure (with the jumps of f and f′ where there are any;
    :func:`show` adds a sentence on the dots it draws there)."""
    head = title_with_params(act, params)
    jumps = breaks_alt(act, params, lo, hi, derivative=dy is not None)
    tail = f" {jumps} (the line breaks there)." if jumps else ""
    if dy is None:
        return f"{head}: f in blue, x from {fmt(lo)} to {fmt(hi)}; f goes {_span_text(y)}.{tail}"
    return (f"{head}: f in blue (left), f′ in orange (right), x from {fmt(lo)} to {fmt(hi)}; "
            f"f goes {_span_text(y)}, f′ {_span_text(dy)}.{tail}")


@styled()
def pair_figure(act, size=PAIR_SIZE):
    """An empty f / f' figure with two line artists; returns (fig, axes, lines)."""
    fig = Figure(figsize=size, dpi=DPI)
    FigureCanvasAgg(fig)
    ncols = 2 if has_derivative(act) else 1
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    lines = []
    for i, ax in enumerate(axes):
        ax.set_title("f(x)" if i == 0 else "f′(x)")
        (ln,) = ax.plot([], [], color=COLORS[i], ls=LINESTYLES[0])
        lines.append(ln)
    fig.set_layout_engine("constrained")
    return fig, axes, lines


@styled()
def show(name, x=(-5, 5), **params):
    """Draw activation ``name`` (left) and its derivative (right) from the library.

    ``x`` is the plotted interval (low, high); keyword arguments are the activation's parameters
    (defaults from the registry for the rest). Returns a :class:`FigureDisplay`::

        plotting.show("elu", x=(-5, 5), alpha=1.0)

    Raises ValueError for an unknown activation, an out-of-range parameter or ``low >= high``,
    TypeError for an unknown parameter.
    """
    act = elementwise(name, "show")
    lo, hi = check_interval(x, where="show")
    params = chosen_params(act, params, where="show")
    xs, y, dy = curve_data(act, lo, hi, params)
    fig, axes, lines = pair_figure(act)
    fig.suptitle(title_with_params(act, params), fontsize=12)
    for i, (ax, line, values) in enumerate(zip(axes, lines, (y, dy))):
        line.set_data(xs, values)
        marks = break_marks(act, params, lo, hi, derivative=i == 1)
        draw_break_marks(ax, marks, COLORS[i])
        style_axes(ax, lo, hi)
        pad_ylim(ax, [values, _mark_values(marks)])
    alt = pair_alt(act, params, lo, hi, y, dy)
    if breaks_alt(act, params, lo, hi):
        alt += " A filled dot marks the value taken at a jump, an open dot the end not taken."
    return FigureDisplay(png_bytes(fig), alt)


def parse_items(items, where="show_many"):
    """Normalise ``["relu", ("gelu", {"approximate": "tanh"})]`` to [(Activation, params), ...]."""
    if isinstance(items, (str, bytes)) or not hasattr(items, "__iter__"):
        raise TypeError(f"{where}: items must be a list of names or (name, params) pairs, got {items!r}")
    out = []
    for it in items:
        if isinstance(it, tuple):
            if len(it) != 2 or not isinstance(it[1], dict):
                raise TypeError(f"{where}: each item is a name or a (name, params-dict) pair, got {it!r}")
            act = elementwise(it[0], where)
            out.append((act, chosen_params(act, it[1], where=where)))
        else:
            act = elementwise(it, where)
            out.append((act, chosen_params(act, {}, where=where)))
    if not out:
        raise ValueError(f"{where}: items is empty")
    if len(out) > len(COLORS):
        raise ValueError(f"{where}: at most {len(COLORS)} curves fit on one figure, got {len(out)}")
    return out


def overlay_alt(pairs, lo, hi, derivative, n_panels):
    """Alt text for an overlay of several activations (1 panel f, or 2 panels f and f′)."""
    parts = [f"{title_with_params(a, p)} ({COLOR_NAMES[i]})" for i, (a, p) in enumerate(pairs)]
    listing = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    where = "f on the left, f′ on the right" if n_panels == 2 else "f"
    jumps = [(a.title, breaks_alt(a, p, lo, hi, n_panels == 2)) for a, p in pairs]
    jumps = [f"{t}: {j.replace('; ', ', ')}" for t, j in jumps if j]
    tail = (" Where a line breaks, it jumps (a filled dot is the value taken): " + "; ".join(jumps) + ".") \
        if jumps else ""
    return f"{listing}: {where}, x from {fmt(lo)} to {fmt(hi)}.{tail}"


@styled()
def overlay_figure(n_panels, size=None):
    """An empty figure of ``n_panels`` overlay panels; returns (fig, axes)."""
    size = size or ((8.0, 3.2) if n_panels == 2 else (5.5, 3.4))
    fig = Figure(figsize=size, dpi=DPI)
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, n_panels, squeeze=False)[0]
    fig.set_layout_engine("constrained")
    return fig, axes


@styled()
def draw_overlay(fig, axes, pairs, lo, hi, derivative):
    """Draw several activations on ``axes`` (1 panel f, or 2 panels f and f′)."""
    data = [curve_data(act, lo, hi, p) for act, p in pairs]
    panels = [("f(x)", False)] if not derivative else [("f(x)", False), ("f′(x)", True)]
    for ax, (title, deriv) in zip(axes, panels):
        ax.clear()
        ys = []
        for i, ((act, p), (x, f, df)) in enumerate(zip(pairs, data)):
            if deriv and not has_derivative(act):
                continue
            y = df if deriv else f
            marks = break_marks(act, p, lo, hi, derivative=deriv)
            ys += [y, _mark_values(marks)]
            ax.plot(x, y, color=COLORS[i], ls=LINESTYLES[i], label=title_with_params(act, p))
            draw_break_marks(ax, marks, COLORS[i])
        ax.set_title(title)
        style_axes(ax, lo, hi)
        pad_ylim(ax, ys)
    axes[0].legend(loc="best", frameon=False)


@styled()
def show_many(items, x=(-5, 5), derivative=False):
    """Overlay several activations on one figure (f; with ``derivative=True`` f and f′ side by side).

    ``items`` is a list of names or ``(name, params)`` pairs::

        plotting.show_many(["relu", ("gelu", {"approximate": "tanh"}), "silu"], x=(-5, 5), derivative=True)
    """
    pairs = parse_items(items)
    lo, hi = check_interval(x, where="show_many")
    if not isinstance(derivative, (bool, np.bool_)):
        raise TypeError(f"show_many: derivative must be True or False, got {derivative!r}")
    n_panels = 2 if derivative else 1
    fig, axes = overlay_figure(n_panels)
    draw_overlay(fig, axes, pairs, lo, hi, bool(derivative))
    return FigureDisplay(png_bytes(fig), overlay_alt(pairs, lo, hi, derivative, n_panels))
