"""Explorers: sliders that redraw an activation, in a live kernel AND on the static site.

::

    from afbook import explore
    explore.explore("elu", alpha=(0.1, 2.0), x=(-5, 5))     # one slider per parameter range you give
    explore.compare(["relu", "gelu", ("leaky_relu", {"alpha": 0.1})])   # overlay; slider zooms the x range
    explore.softmax(logits=[2.0, 1.0, 0.1], temperature=(0.1, 10.0))  # probabilities vs temperature
    explore.depth(["sigmoid", "tanh", "hard_tanh"], depth=30, gain=(0.25, 4.0, 0.25))  # deep net
    explore.shrinkage(lambd=(0.0, 2.0))    # a sparse signal denoised by soft and hard shrink

Put the call last in a cell. Its output is ONE mimebundle with two views:

* ``application/vnd.jupyter.widget-view+json`` — ipywidgets sliders linked (``observe``) to an
  ``Image`` widget, redrawn from :mod:`activations` in the kernel (JupyterLab, Binder);
* ``text/html`` — a self-contained fallback for the static site (no kernel, no network, works from
  ``file://``): ``<input type="range">`` controls with labels and visible values, and PNG frames
  rendered *in Python* from the library for a grid of parameter values; a small inline script
  swaps ``img.afx-frame``'s ``src`` (no formula is ever evaluated in JavaScript). Without
  JavaScript the reader sees the frame at the default values.

The site configuration decides which view wins (``text/html`` on the static site).

Arguments
---------
``explore(name, x=(-5, 5), max_frames=48, **params)``: each keyword that is a pair ``(low, high)``
(or a triple ``(low, high, step)``) becomes a slider over that range; a plain number fixes the
parameter. The static grid uses "nice" steps (1, 2, 2.5 or 5 × 10^k) and at most ``max_frames``
frames in total (21 per slider at most), so one explorer stays well under 600 kB. The x range is
fixed in the static view; the live widget adds an "x range" zoom slider.

Ids in the HTML come from :func:`afbook.display.make_id` (the arguments and a per-kernel counter,
never random), so re-running a notebook gives identical HTML and several explorers can share a page.

Live redraw (the widget view) is fast: a parameter slider redraws only the curves and the title
over a saved background of the figure (matplotlib blitting: a few ms a frame instead of ~60 ms);
the axes are redrawn only when the x range changes. An explorer whose live sliders are its static
controls (``compare``, and ``explore`` without parameter ranges) shows the pre-rendered static
frames, so its redraw costs no drawing at all. Every frame is kept in a small cache.

The inline script is ``static/explorer.js`` in this package, read once and inlined.
"""
from __future__ import annotations

import collections
import html
import io
import itertools
import json
import math
import numbers
import re

import numpy as np

import activations as A
from afbook import args
from afbook import plotting as P
from afbook.display import HTMLDisplay, fmt, inline_script, make_id

__all__ = ["explore", "compare", "softmax", "depth", "shrinkage", "Explorer", "Control",
           "nice_grid", "BUILDERS"]

#: the public functions that build an explorer (the browser and JupyterLab tests find explorer
#: cells by these names)
BUILDERS = ("explore", "compare", "softmax", "depth", "shrinkage")

MAX_PER_SLIDER = 21
ZOOMS = (0.25, 0.5, 1.0, 2.0, 4.0, 10.0)


# ----------------------------------------------------------------------------------------------
# grids and controls
# ----------------------------------------------------------------------------------------------
def _clean(v):
    v = round(float(v), 12)
    return 0.0 if v == 0 else v


def nice_grid(low, high, max_n=MAX_PER_SLIDER, step=None):
    """Slider values from ``low`` to ``high`` (both included) on a "nice" step, at most ``max_n``+2 values."""
    if step is None:
        raw = (high - low) / max(max_n - 1, 1)
        mag = 10.0 ** math.floor(math.log10(raw))
        step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw * (1 - 1e-9))
    k0 = math.ceil(low / step - 1e-9)
    vals = []
    k = k0
    while k * step <= high + 1e-9 * step:
        vals.append(_clean(k * step))
        k += 1
    vals = sorted(set([_clean(low)] + vals + [_clean(high)]))
    # drop points crowding an endpoint (closer than half a step)
    out = [vals[0]]
    for v in vals[1:-1]:
        if v - out[-1] >= step / 2 and vals[-1] - v >= step / 2:
            out.append(v)
    out.append(vals[-1])
    return out, step


class Control:
    """One slider: parameter ``name``, reader-facing ``label``, the static ``values`` and the initial index."""

    def __init__(self, name, label, values, init, *, log=False, step=None, fmt_digits=3):
        self.name, self.label, self.values, self.init = name, label, list(values), int(init)
        self.log, self.step, self.fmt_digits = log, step, fmt_digits

    @property
    def texts(self):
        return [fmt(v, self.fmt_digits) for v in self.values]

    def widget(self):
        import ipywidgets as W

        lo, hi, v = self.values[0], self.values[-1], self.values[self.init]
        style = {"description_width": "initial"}
        if self.log:
            return W.FloatLogSlider(value=v, base=10, min=math.log10(lo), max=math.log10(hi),
                                    step=(math.log10(hi) - math.log10(lo)) / 100, description=self.label,
                                    readout_format=".3g", style=style, continuous_update=True)
        step = (self.step or (hi - lo) / 20) / 5
        return W.FloatSlider(value=v, min=lo, max=hi, step=step, description=self.label,
                             readout_format=".3g", style=style, continuous_update=True)


def _range_arg(where, key, value):
    """Validate ``key=(low, high[, step])``; returns (low, high, step or None)."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (tuple, list)) or len(value) not in (2, 3):
        raise TypeError(f"{where}: {key} must be a number or a range (low, high) / (low, high, step), got {value!r}")
    for v in value:
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(float(v)):
            raise TypeError(f"{where}: {key} must hold finite real numbers, got {value!r}")
    lo, hi = float(value[0]), float(value[1])
    if not lo < hi:
        raise ValueError(f"{where}: range of {key} needs low < high, got {value!r}")
    step = None
    if len(value) == 3:
        step = float(value[2])
        if not 0 < step <= hi - lo:
            raise ValueError(f"{where}: step of {key} must be in (0, high − low], got {value[2]!r}")
    return lo, hi, step


def _slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "x"


def _script(root_id):
    return inline_script("explorer.js", root_id)


# ----------------------------------------------------------------------------------------------
# the display object
# ----------------------------------------------------------------------------------------------
class Explorer(HTMLDisplay):
    """An explorer's two views. Build with :func:`explore`, :func:`compare` or :func:`softmax`.

    ``controls``: list of :class:`Control`; ``render(values)`` returns ``(png, alt)`` for one tuple
    of control values (the static frames). ``live_render(values)`` returns the PNG of the widget
    view for the values of ``live_controls``; without it the widget shows the static frames
    (``live_controls`` are then the static controls). Attributes after construction: ``id``,
    ``frames`` (PNG bytes in row-major order of the controls), ``alts``, ``html``, ``text``,
    ``title``.
    """

    LIVE_CACHE = 64  # live frames kept per explorer (a reader moving a slider back and forth)

    def __init__(self, kind, key, title, controls, render, live_render=None, live_controls=None, note=""):
        self.kind, self.title, self.controls, self._render = kind, title, controls, render
        self._live_render = live_render
        self._live_controls = controls if live_controls is None else live_controls
        self.note = note
        self.id = make_id(kind, *key)
        self.shape = [len(c.values) for c in controls]
        self.frames, self.alts = [], []
        for combo in itertools.product(*[c.values for c in controls]):
            png, alt = render(combo)
            self.frames.append(png)
            self.alts.append(alt)
        self.init_index = int(np.ravel_multi_index([c.init for c in controls], self.shape)) if controls else 0
        uniq = {}
        codes = np.array([uniq.setdefault(f, len(uniq)) for f in self.frames]).reshape(self.shape or [1])
        for k, c in enumerate(controls):
            if len(c.values) > 1 and np.all(codes == np.take(codes, [0], axis=k)):
                raise ValueError(f"{kind}: moving {c.name!r} over {fmt(c.values[0])} … {fmt(c.values[-1])} changes "
                                 f"nothing visible in this figure; give it another range or change x")
        super().__init__(self._static_html(), f"{title} (interactive; static view: {len(self.frames)} frames)")
        self._widget = None
        self._cache = collections.OrderedDict()

    # -- static view ---------------------------------------------------------------------------
    def _static_html(self):
        i0 = self.init_index
        png0 = self.frames[i0]
        w, h = P.png_size(png0)
        rows = []
        for k, c in enumerate(self.controls):
            cid = f"{self.id}-{_slug(c.name)}"
            t = c.texts
            rows.append(
                f'<div class="afx-control" style="display:flex;align-items:center;gap:.6em;margin:.2em 0">'
                f'<label for="{cid}" style="min-width:8em">{html.escape(c.label)}</label>'
                f'<input type="range" id="{cid}" name="{cid}" min="0" max="{len(c.values) - 1}" step="1" '
                f'value="{c.init}" data-param="{html.escape(c.name)}" '
                f'aria-valuetext="{html.escape(c.label)} = {html.escape(t[c.init])}" style="flex:1 1 auto;max-width:22em"/>'
                f'<output class="afx-value" for="{cid}" style="min-width:4em;font-variant-numeric:tabular-nums">'
                f'{html.escape(t[c.init])}</output></div>')
        data = {"shape": self.shape, "init": i0, "names": [c.label for c in self.controls],
                "texts": [c.texts for c in self.controls], "alts": self.alts,
                "frames": [None if i == i0 else P.data_uri(p) for i, p in enumerate(self.frames)]}
        blob = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
        note = f'<p class="afx-note" style="margin:.2em 0;font-size:90%">{html.escape(self.note)}</p>' if self.note else ""
        return (f'<div class="afx-explorer" id="{self.id}" data-afx-kind="{self.kind}" role="group" '
                f'aria-label="{html.escape(self.title)}">'
                f'<div class="afx-controls">{"".join(rows)}</div>'
                f'<img class="afx-frame" src="{P.data_uri(png0)}" alt="{html.escape(self.alts[i0])}" '
                f'width="{w}" height="{h}" style="max-width:100%;height:auto"/>{note}'
                f'<script type="application/json" class="afx-data">{blob}</script>'
                f'<script>{_script(self.id)}</script></div>')

    # -- live view -----------------------------------------------------------------------------
    def widget(self):
        """The ipywidgets view (built once): sliders + zoom (if any) + an Image redrawn on every change."""
        if self._widget is not None:
            return self._widget
        import ipywidgets as W

        sliders = [c.widget() for c in self._live_controls]
        img = W.Image(format="png", value=self._live(sliders), layout=W.Layout(max_width="100%", height="auto"))

        def redraw(_change=None):
            img.value = self._live(sliders)

        for s in sliders:
            s.observe(redraw, names="value")
        self._widget = W.VBox([*sliders, img], layout=W.Layout(align_items="flex-start"))
        self._widget.add_class("afx-widget")
        self._image = img
        self._sliders = sliders
        return self._widget

    def _live(self, sliders):
        """PNG of the widget view for the sliders' values: from the cache, the static frames or a redraw."""
        values = tuple(s.value for s in sliders)
        png = self._cache.get(values)
        if png is not None:
            self._cache.move_to_end(values)
            return png
        if self._live_render is None:  # the live sliders are the static controls: reuse their frames
            idx = [c.values.index(v) for c, v in zip(self.controls, values)]
            png = self.frames[int(np.ravel_multi_index(idx, self.shape))] if idx else self.frames[0]
        else:
            png = self._live_render(list(values))
        self._cache[values] = png
        if len(self._cache) > self.LIVE_CACHE:
            self._cache.popitem(last=False)
        return png

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {}
        try:
            bundle.update(self.widget()._repr_mimebundle_())
        except Exception:  # no widget support: the static view alone is still correct
            pass
        bundle.update(super()._repr_mimebundle_(include, exclude))
        return bundle

    def __repr__(self):
        return f"<Explorer {self.id}: {self.title}, {len(self.frames)} frames, {len(self.html)} bytes of HTML>"


# The live figure's axes places (figure fractions): room for y tick labels of up to six
# characters (−0.125, 1.5×10^3 offsets go above the axes) and for the titles. A fixed layout
# halves the cost of a new x range (no constrained-layout pass); tests check that no tick label
# leaves the figure or reaches the other panel.
LIVE_LEFT, LIVE_RIGHT, LIVE_GAP, LIVE_BOTTOM, LIVE_TOP = 0.07, 0.97, 0.085, 0.16, 0.835


def _fixed_layout(fig, axes):
    fig.set_layout_engine("none")
    n = len(axes)
    width = (LIVE_RIGHT - LIVE_LEFT - LIVE_GAP * (n - 1)) / n
    for i, ax in enumerate(axes):
        ax.set_position([LIVE_LEFT + i * (width + LIVE_GAP), LIVE_BOTTOM, width, LIVE_TOP - LIVE_BOTTOM])


class _Blit:
    """Redraw only ``artists`` of ``fig`` over a saved background (matplotlib blitting).

    :meth:`png` draws the whole figure once per background key (axes, ticks, everything not in
    ``artists``) and keeps that background; afterwards it restores it and draws just the
    artists: a live frame then costs a few milliseconds. :meth:`use` selects the key (e.g. the
    x range), so returning to a range seen before needs no full draw. Transparent background, as
    ``plotting.png_bytes``.
    """

    def __init__(self, fig, artists):
        self.fig, self.artists = fig, list(artists)
        self._key, self._bgs = None, {}
        for a in self.artists:
            a.set_animated(True)
        for ax in fig.axes:
            ax.patch.set_alpha(0.0)
        fig.patch.set_alpha(0.0)

    def use(self, key):
        self._key = key

    def png(self):
        from PIL import Image

        canvas = self.fig.canvas
        saved = self._bgs.get(self._key)
        if saved is None:
            canvas.draw()
            self._bgs[self._key] = (canvas.copy_from_bbox(self.fig.bbox),
                                    [ax.get_position() for ax in self.fig.axes])
        else:  # the background and the axes' places (a layout engine may move them) of that key
            bg, places = saved
            for ax, place in zip(self.fig.axes, places):
                ax.set_position(place)
                ax.set_in_layout(True)  # set_position takes an axes out of a layout engine
            canvas.restore_region(bg)
        for a in self.artists:
            self.fig.draw_artist(a)
        size = canvas.get_width_height(physical=True)
        out = io.BytesIO()
        Image.frombuffer("RGBA", size, canvas.buffer_rgba(), "raw", "RGBA", 0, 1).save(
            out, format="PNG", compress_level=1)
        return out.getvalue()


# ----------------------------------------------------------------------------------------------
# explore(name, **ranges)
# ----------------------------------------------------------------------------------------------
FRAME_SIZE = (6.4, 2.5)   # static frames (inches at plotting.DPI)
LIVE_SIZE = (8.0, 3.0)    # the live widget's figure
REF_COLOR = "#999999"     # the dashed reference curve (registry defaults)


def _per_slider(n_sliders, max_frames):
    if n_sliders == 0:
        return 1
    return max(2, min(MAX_PER_SLIDER, int(math.floor(max_frames ** (1.0 / n_sliders) + 1e-9))))


def _zoom_control(lo, hi):
    c, half = (lo + hi) / 2, (hi - lo) / 2
    spans = [(_clean(c - z * half), _clean(c + z * half)) for z in ZOOMS]
    return _SpanControl("x", "x range", list(ZOOMS), ZOOMS.index(1.0),
                        texts=[f"{fmt(a)} to {fmt(b)}" for a, b in spans])


def _zoomed(lo, hi, zoom):
    c, half = (lo + hi) / 2, (hi - lo) / 2 * float(zoom)
    return _clean(c - half), _clean(c + half)


@P.styled()
def explore(name, x=(-5, 5), max_frames=48, **params):
    """Sliders for the parameters of activation ``name``; f and f′ redrawn from the library.

    ``explore("elu", alpha=(0.1, 2.0), x=(-5, 5))`` gives one slider for α from 0.1 to 2.
    Keywords: each real parameter as ``(low, high)`` or ``(low, high, step)`` (a slider) or a value
    (fixed); ``x`` the plotted interval; ``max_frames`` the static frame budget (default 48).
    With no parameter range (``explore("relu")``) the slider zooms the x range instead
    (×0.25 … ×10 of ``x``). The live widget always has the zoom slider as well.
    A faint dashed grey curve shows the registry's example parameters (the defaults) for comparison.
    Unknown activation/parameter, ``low >= high`` or values outside the parameter's domain raise
    ValueError/TypeError naming the argument.
    """
    act = P.elementwise(name, "explore")
    lo, hi = P.check_interval(x, where="explore")
    max_frames = args.integer("explore", "max_frames", max_frames, low=2)
    known = {p.name: p for p in act.params}
    fixed, ranges = {}, {}
    for key, value in params.items():
        if key not in known:
            raise TypeError(f"explore: {act.name} has no parameter {key!r} (its parameters: {', '.join(known) or 'none'})")
        if isinstance(value, (tuple, list)):
            if getattr(known[key], "kind", "real") != "real":
                raise TypeError(f"explore: parameter {key!r} of {act.name} is not a real number, so it cannot get a "
                                f"slider; give one value (e.g. {key}={known[key].default!r})")
            ranges[key] = _range_arg("explore", key, value)
        else:
            fixed[key] = value
    bound = act.bind(fixed, where="explore")  # the registry's validation (TypeError/ValueError)
    fixed = {k: bound[k] for k in fixed}
    n = _per_slider(len(ranges), max_frames)
    controls = []
    example = dict(getattr(act, "example_params", None) or {})
    for key, (rlo, rhi, step) in ranges.items():
        values, step = nice_grid(rlo, rhi, n, step)
        if len(values) > n and len(ranges) > 1:
            values, step = nice_grid(rlo, rhi, max(2, n - 2), None)
        d = example.get(key)
        target = float(d) if isinstance(d, numbers.Real) and rlo <= d <= rhi else (rlo + rhi) / 2
        init = int(np.argmin([abs(v - target) for v in values]))
        label = P.param_label(key)
        label = f"{label} ({key})" if label != key else key
        controls.append(Control(key, label, values, init, step=step))
    total = int(np.prod([len(c.values) for c in controls])) if controls else 1
    if total > max(max_frames, MAX_PER_SLIDER + 2):
        raise ValueError(f"explore: {total} static frames exceed max_frames={max_frames}; give fewer ranges or a larger step")
    combos = list(itertools.product(*[c.values for c in controls])) if controls else []
    for combo in combos:  # every grid point must be legal for the library
        act.bind({**fixed, **{c.name: v for c, v in zip(controls, combo)}}, where="explore")

    ref_params = P.chosen_params(act, {**example, **fixed}, where="explore")
    zoom_only = not controls
    static_controls = controls or [_zoom_control(lo, hi)]

    def with_values(values):
        """The drawn parameters for slider values (one per control)."""
        return P.chosen_params(act, {**fixed, **{c.name: v for c, v in zip(controls, values)}}, where="explore")

    def split(combo):
        """combo -> (params, (a, b)) for static frames."""
        if zoom_only:
            return P.chosen_params(act, fixed, where="explore"), _zoomed(lo, hi, combo[0])
        return with_values(combo), (lo, hi)

    has_d = P.has_derivative(act)

    def fixed_ylim(axes_, a, b, n_points):
        """y limits over every grid point (and the reference) on [a, b], so the curve visibly moves."""
        ys, dys = [], []
        for combo in combos:
            _, y, dy = P.curve_data(act, a, b, with_values(combo), n_points)
            ys.append(y)
            dys.append(dy)
        _, ry, rdy = P.curve_data(act, a, b, ref_params, n_points)
        P.pad_ylim(axes_[0], ys + [ry])
        if has_d:
            P.pad_ylim(axes_[1], dys + [rdy])

    fig, axes, lines = P.pair_figure(act, FRAME_SIZE)
    ref_lines = [ax.plot([], [], color=REF_COLOR, lw=1.2, ls="--", zorder=1)[0] for ax in axes]
    marks = [P.mark_artists(ax, P.COLORS[i]) for i, ax in enumerate(axes)]  # dots at jumps
    for ax in axes:
        P.style_axes(ax, lo, hi)
    if not zoom_only:
        fixed_ylim(axes, lo, hi, 601)
    ref_text = P.describe_params(ref_params) or "the defaults"

    def draw(p, a, b):
        x_, y, dy = P.curve_data(act, a, b, p, 601)
        rx, ry, rdy = P.curve_data(act, a, b, ref_params, 400)
        lines[0].set_data(x_, y)
        ref_lines[0].set_data(rx, ry)
        if has_d:
            lines[1].set_data(x_, dy)
            ref_lines[1].set_data(rx, rdy)
        for i, m in enumerate(marks):
            P.set_marks(m, act, p, a, b, derivative=i == 1)
        for ax, data, r in zip(axes, [y, dy], [ry, rdy]):
            ax.set_xlim(a, b)
            if zoom_only:
                P.pad_ylim(ax, [data, r])
        return y, dy

    def render(combo):
        p, (a, b) = split(combo)
        y, dy = draw(p, a, b)
        alt = P.pair_alt(act, p, a, b, y, dy)
        if P.breaks_alt(act, p, a, b):
            alt += " A filled dot marks the value taken at a jump, an open dot the end not taken."
        if not zoom_only:
            alt += f" Dashed grey: {ref_text}."
        png = P.png_bytes(fig)
        if not zoom_only:  # axes limits are fixed: freeze the layout of the first frame (2x faster)
            fig.set_layout_engine("none")
        return png, alt

    title = f"Explore {act.title}" + (f": {', '.join(c.label for c in controls)}" if controls else "")
    key = (act.name, [lo, hi], sorted((k, repr(v)) for k, v in fixed.items()), sorted(ranges.items()), max_frames)
    if zoom_only:  # the live slider is the static zoom control: the widget shows the static frames
        return Explorer("explorer", key, title, static_controls, render)

    live = {}

    @P.styled()
    def live_render(values):
        """Widget frame for (params..., zoom): 1,000-point curves on a larger figure. Only the
        curves and the title are drawn per frame; a new x range redraws the axes once."""
        if not live:
            f2, ax2, ln2 = P.pair_figure(act, LIVE_SIZE)
            rl2 = [ax.plot([], [], color=REF_COLOR, lw=1.2, ls="--", zorder=1)[0] for ax in ax2]
            mk2 = [P.mark_artists(ax, P.COLORS[i]) for i, ax in enumerate(ax2)]
            for ax in ax2:
                P.style_axes(ax, lo, hi)
            _fixed_layout(f2, ax2)
            head = f2.suptitle("", fontsize=11)
            live.update(axes=ax2, lines=ln2, ref=rl2, marks=mk2, title=head,
                        blit=_Blit(f2, [*ln2, *(a for m in mk2 for a in m), head]), span=None, ylim={})
        *vals, zoom = values
        a, b = _zoomed(lo, hi, zoom)
        p = with_values(vals)
        live["title"].set_text(P.title_with_params(act, p) + "   (dashed grey: " + ref_text + ")")
        if live["span"] != (a, b):  # another x range: its axes, reference curve and y limits
            rx, ry, rdy = P.curve_data(act, a, b, ref_params, 400)
            live["ref"][0].set_data(rx, ry)
            if has_d:
                live["ref"][1].set_data(rx, rdy)
            for ax in live["axes"]:
                ax.set_xlim(a, b)
            if (a, b) in live["ylim"]:  # seen before: limits and background from the cache
                for ax, lim in zip(live["axes"], live["ylim"][(a, b)]):
                    ax.set_ylim(lim)
            else:
                fixed_ylim(live["axes"], a, b, 400)
                live["ylim"][(a, b)] = [ax.get_ylim() for ax in live["axes"]]
            live["span"] = (a, b)
            live["blit"].use((a, b))
        x_, y, dy = P.curve_data(act, a, b, p, 1000)
        live["lines"][0].set_data(x_, y)
        if has_d:
            live["lines"][1].set_data(x_, dy)
        for i, m in enumerate(live["marks"]):
            P.set_marks(m, act, p, a, b, derivative=i == 1)
        return live["blit"].png()

    live_render.state = live  # the live figure's parts (tests look at its layout)
    return Explorer("explorer", key, title, static_controls, render, live_render,
                    live_controls=controls + [_zoom_control(lo, hi)])


class _SpanControl(Control):
    """A zoom slider whose visible values are x spans."""

    def __init__(self, *args, texts, **kw):
        super().__init__(*args, **kw)
        self._texts = list(texts)

    @property
    def texts(self):
        return self._texts

    def widget(self):
        import ipywidgets as W

        return W.SelectionSlider(options=list(zip(self._texts, self.values)), value=self.values[self.init],
                                 description=self.label, style={"description_width": "initial"})


# ----------------------------------------------------------------------------------------------
# compare(items)
# ----------------------------------------------------------------------------------------------
@P.styled()
def compare(items, x=(-5, 5), derivative=True):
    """Overlay two or more activations; the slider zooms the x range (×0.25 … ×10 of ``x``).

    ``items``: names or ``(name, params)`` pairs, e.g. ``["relu", ("leaky_relu", {"alpha": 0.1})]``.
    ``derivative=True`` (default) draws f and f′ side by side.
    """
    pairs = P.parse_items(items, where="compare")
    if len(pairs) < 2:
        raise ValueError(f"compare: items needs two or more activations, got {len(pairs)}")
    lo, hi = P.check_interval(x, where="compare")
    if not isinstance(derivative, (bool, np.bool_)):
        raise TypeError(f"compare: derivative must be True or False, got {derivative!r}")
    n_panels = 2 if derivative else 1
    ctl = _zoom_control(lo, hi)
    fig, axes = P.overlay_figure(n_panels, (6.4, 2.7) if n_panels == 2 else (5.0, 3.0))

    def render(combo):
        a, b = _zoomed(lo, hi, combo[0])
        P.draw_overlay(fig, axes, pairs, a, b, bool(derivative))
        return P.png_bytes(fig), P.overlay_alt(pairs, a, b, derivative, n_panels)

    title = "Compare " + ", ".join(P.title_with_params(a, p) for a, p in pairs)
    key = ("compare", [(a.name, sorted(p.items())) for a, p in pairs], [lo, hi], bool(derivative))
    # the live slider is the static zoom control: the widget shows the static frames (no redraw)
    return Explorer("explorer", key, title, [ctl], render)


# ----------------------------------------------------------------------------------------------
# softmax(logits, temperature)
# ----------------------------------------------------------------------------------------------
@P.styled()
def softmax(logits=(2.0, 1.0, 0.1), temperature=(0.1, 10.0), frames=21):
    """Bar chart of ``A.softmax(logits, temperature=T)`` with a (log-scale) temperature slider.

    ``logits``: 2 to 12 finite numbers. ``temperature``: a range (low, high) with 0 < low < high
    (static frames on a geometric grid, ``frames`` of them; T = 1 is on the grid when inside).
    """
    act = A.get("softmax")
    if isinstance(logits, (str, bytes)):
        raise TypeError(f"softmax: logits must be a list of numbers, got {logits!r}")
    try:
        z = np.asarray(logits, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"softmax: logits must be a list of numbers, got {logits!r}") from None
    if z.ndim != 1 or not 2 <= z.size <= 12:
        raise ValueError(f"softmax: logits must be a flat list of 2 to 12 numbers, got {logits!r}")
    if not np.all(np.isfinite(z)):
        raise ValueError(f"softmax: logits must be finite, got {logits!r}")
    frames = args.integer("softmax", "frames", frames, low=2, high=41)
    if isinstance(temperature, (tuple, list)):
        tlo, thi, _ = _range_arg("softmax", "temperature", temperature[:2])
        act.bind(temperature=tlo, where="softmax")  # the registry's domain of T (ValueError)
        values = [_clean(float(f"{v:.12g}")) for v in np.geomspace(tlo, thi, frames)]
        if tlo < 1 < thi:  # snap the grid point nearest to 1 onto exactly 1
            i = int(np.argmin(np.abs(np.log(values))))
            values[i] = 1.0
        init = int(np.argmin(np.abs(np.log(values))))
        controls = [Control("temperature", "temperature T", values, init, log=True)]
    else:
        raise TypeError(f"softmax: temperature must be a range (low, high) with 0 < low < high, got {temperature!r} "
                        f"(for one temperature, print A.softmax(logits, temperature=T) instead)")

    labels = [f"z{''.join('₀₁₂₃₄₅₆₇₈₉'[int(d)] for d in str(i + 1))} = {fmt(v)}" for i, v in enumerate(z)]
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    def bar_figure():
        """An empty bar chart of the probabilities: (fig, bars, value texts, title)."""
        fig = Figure(figsize=(5.0, 2.8), dpi=P.DPI)
        FigureCanvasAgg(fig)
        ax = fig.subplots()
        fig.set_layout_engine("constrained")
        pos = np.arange(z.size)
        bars = ax.bar(pos, np.zeros(z.size), color=[P.COLORS[i % len(P.COLORS)] for i in range(z.size)])
        texts = [ax.text(p, 0, "", ha="center", va="bottom", fontsize=10) for p in pos]
        ax.set_xticks(pos, labels)
        ax.set_ylim(0, 1.12)
        ax.set_ylabel("probability")
        ax.grid(axis="x", visible=False)
        return fig, bars, texts, ax.set_title("")

    def draw(parts, t):
        _, bars, texts, title = parts
        p = np.asarray(act(z, temperature=t), dtype=float)
        for b, tx, v in zip(bars, texts, p):
            b.set_height(v)
            tx.set_position((tx.get_position()[0], v + 0.01))
            tx.set_text(f"{v:.2f}")
        title.set_text(f"softmax(z / T) at T = {fmt(t)}")
        return p

    static = bar_figure()

    def render(combo):
        t = float(combo[0])
        p = draw(static, t)
        alt = (f"Softmax of logits {', '.join(fmt(v) for v in z)} at temperature T = {fmt(t)}: "
               f"bar heights (probabilities) {', '.join(fmt(v, 2) for v in p)}.")
        return P.png_bytes(static[0]), alt

    live = []

    @P.styled()
    def live_render(values):
        """Widget frame: only the bars, their labels and the title are drawn (blitting)."""
        if not live:
            parts = bar_figure()
            live.extend([parts, _Blit(parts[0], [*parts[1], *parts[2], parts[3]])])
        draw(live[0], float(values[0]))
        return live[1].png()

    key = ("softmax", [float(v) for v in z], [c.values for c in controls])
    return Explorer("explorer", key, "Softmax with temperature", controls, render, live_render)


# ----------------------------------------------------------------------------------------------
# network-level explorers: frames drawn by a function of the slider values
# ----------------------------------------------------------------------------------------------
class _GridControl(Control):
    """A slider over exactly the static grid: the live widget is a SelectionSlider, so the live
    view shows the pre-rendered static frames (nothing is drawn in the kernel per move)."""

    def widget(self):
        import ipywidgets as W

        return W.SelectionSlider(options=list(zip(self.texts, self.values)),
                                 value=self.values[self.init], description=self.label,
                                 style={"description_width": "initial"}, continuous_update=True)


def _frames_explorer(key, title, controls, make, draw, note=""):
    """An explorer of figure frames: ``make()`` builds ``(fig, parts)`` once, ``draw(parts,
    values)`` updates the artists for one tuple of control values and returns the alt text. The
    live widget shows the static frames (the controls are :class:`_GridControl` sliders)."""
    fig, parts = make()

    def render(combo):
        alt = draw(parts, combo)
        return P.png_bytes(fig), alt

    return Explorer("explorer", key, title, controls, render, note=note)


def _grid_values(where, key, value, max_frames, prefer, low_bound, what):
    """The static grid of a ``(low, high[, step])`` range argument and the index nearest ``prefer``.
    ``low_bound``: (bound, strict) on low, with ``what`` the quantity named in the error."""
    lo, hi, step = _range_arg(where, key, value)
    bound, strict = low_bound
    if lo < bound or (strict and lo == bound):
        raise ValueError(f"{where}: {key} needs low {'>' if strict else '>='} {fmt(bound)} "
                         f"({what}), got {value!r}")
    n = args.integer(where, "max_frames", max_frames, low=2, high=MAX_PER_SLIDER)
    values, step = nice_grid(lo, hi, n, step)
    if len(values) > n:
        raise ValueError(f"{where}: the step of {key} gives {len(values)} frames, more than "
                         f"max_frames={n}; give a larger step")
    target = prefer if lo <= prefer <= hi else (lo + hi) / 2
    return values, step, int(np.argmin([abs(v - target) for v in values]))


DEPTH_NAMES = ("sigmoid", "tanh", "hard_tanh")


@P.styled()
def depth(names=DEPTH_NAMES, depth=30, gain=(0.25, 4.0, 0.25), q0=1.0,
          max_frames=MAX_PER_SLIDER):
    """Signal propagation through a deep net at initialisation; the slider is the weight gain.

    For each activation in ``names``, a wide fully connected net of ``depth`` layers whose weights
    have variance ``gain / fan_in`` (no biases), fed inputs with second moment ``q0``. Left: the
    norm of the back-propagated gradient (error signal) at layer l relative to the last layer
    (log axis: below 1 it vanishes towards the input, above 1 it explodes); right: the spread
    √q_l of the pre-activations per layer. The numbers are the mean-field recursion of
    :func:`afbook.meanfield.profile` (Gaussian quadrature of the library's f and f′; no
    sampling), so every machine draws the same frames. ``gain``: a range ``(low, high)`` or
    ``(low, high, step)`` with low > 0 (at most ``max_frames`` frames, σ_w² = 1, Glorot/Xavier
    for square layers, is the initial frame when inside). ``explorer.results`` holds the
    numbers: ``gains`` (the grid), ``ratio[name]`` (frames × layers) and ``spread[name]``.
    """
    from afbook import meanfield

    where = "depth"
    if isinstance(names, (str, bytes)) or not isinstance(names, (tuple, list)):
        raise TypeError(f"{where}: names must be a list of activation names, got {names!r}")
    if not 1 <= len(names) <= 6:
        raise ValueError(f"{where}: names must hold 1 to 6 activations, got {len(names)}")
    acts = [P.elementwise(n, where) for n in names]
    if len({a.name for a in acts}) != len(acts):
        raise ValueError(f"{where}: names has a duplicate: {names!r}")
    for a in acts:
        a.bind({}, where=where)   # every parameter has a default (TypeError otherwise)
    n_layers = args.integer(where, "depth", depth, low=2, high=200)
    q0 = args.positive(where, "q0", q0)
    values, step, init = _grid_values(where, "gain", gain, max_frames, 1.0, (0.0, True),
                                      "a weight variance")

    ratio, spread = {}, {}
    for a in acts:
        rows = [meanfield.profile(a.name, q0, n_layers, g) for g in values]
        ratio[a.name] = np.array([r["gains"] for r in rows])
        spread[a.name] = np.sqrt(np.array([r["q"] for r in rows]))
        for table, what in ((ratio, "gradient ratio"), (spread, "spread")):
            t = table[a.name]
            if not (np.all(np.isfinite(t)) and np.all(t > 0)):
                raise ValueError(f"{where}: the {what} of {a.name} leaves the floating-point "
                                 f"range at this depth and gain; give a smaller depth or gain range")
    layers = np.arange(1, n_layers + 1)
    ctl = _GridControl("gain", "weight gain σ_w² (Var W = σ_w²/fan_in)", values, init, step=step)

    def span(table):
        v = np.concatenate([t.ravel() for t in table.values()])
        lo, hi = float(v.min()), float(v.max())
        return lo / 10 ** 0.3, hi * 10 ** 0.3

    def make():
        fig, axes = P.overlay_figure(2, (8.0, 3.3))
        lines = {}
        for i, a in enumerate(acts):
            style = dict(color=P.COLORS[i % len(P.COLORS)], ls=P.LINESTYLES[i % len(P.LINESTYLES)],
                         lw=1.8, label=a.title)
            lines[a.name] = (axes[0].plot(layers, ratio[a.name][init], **style)[0],
                             axes[1].plot(layers, spread[a.name][init], **style)[0])
        for ax, table, t in ((axes[0], ratio, f"gradient norm at layer l ÷ at layer {n_layers}"),
                             (axes[1], spread, "pre-activation spread √q")):
            ax.set_yscale("log")
            ax.set_ylim(*span(table))
            ax.set_xlim(1, n_layers)
            ax.set_xlabel("layer l")
            ax.set_title(t, fontsize=10)
        axes[0].axhline(1.0, color="#888888", lw=0.8, zorder=0)
        axes[0].legend(loc="lower right", fontsize=8)
        return fig, (lines, fig.suptitle("", fontsize=11))

    def verdict(r):
        return "vanishes" if r < 0.1 else "explodes" if r > 10 else "stays within a factor of 10"

    def draw(parts, combo):
        lines, head = parts
        k = values.index(combo[0])
        for a in acts:
            lines[a.name][0].set_ydata(ratio[a.name][k])
            lines[a.name][1].set_ydata(spread[a.name][k])
        head.set_text(f"{n_layers} layers, weight gain σ_w² = {fmt(values[k])}")
        first = "; ".join(f"{a.title} {fmt(ratio[a.name][k][0])} ({verdict(ratio[a.name][k][0])})"
                          for a in acts)
        spreads = "; ".join(f"{a.title} from {fmt(spread[a.name][k][0])} to "
                            f"{fmt(spread[a.name][k][-1])}" for a in acts)
        return (f"Mean-field signal propagation through {n_layers} layers with weight variance "
                f"{fmt(values[k])}/fan_in and inputs of second moment {fmt(q0)}. Left, logarithmic "
                f"axis: the gradient norm at each layer relative to layer {n_layers}; at layer 1 "
                f"it is {first}. Right, logarithmic axis: the pre-activation spread √q from layer "
                f"1 to layer {n_layers}: {spreads}.")

    title = "Depth and weight gain: " + ", ".join(a.title for a in acts)
    key = ("depth", [a.name for a in acts], n_layers, values, q0)
    e = _frames_explorer(key, title, [ctl], make, draw)
    e.results = {"gains": list(values), "layers": layers, "ratio": ratio, "spread": spread}
    return e


@P.styled()
def shrinkage(lambd=(0.0, 2.0), n=60, k=8, noise=0.5, seed=0, max_frames=MAX_PER_SLIDER):
    """Denoising a sparse signal by soft and hard shrinkage; the slider is the threshold λ.

    A seeded signal (``np.random.default_rng(seed)``) of ``n`` values, ``k`` of them non-zero
    (random signs, sizes from 1.5 to 4), plus Gaussian noise of standard deviation ``noise``, is
    denoised by ``A.soft_shrink`` and ``A.hard_shrink`` at λ. Left: the true, noisy and denoised
    values; right: the mean squared error of both against λ, with the current λ and each
    minimum marked. ``explorer.results`` holds ``lambdas`` (a fine grid), ``mse_soft``,
    ``mse_hard``, ``best_soft``/``best_hard`` (the smallest error-minimising λ on that grid;
    ``best_soft_to``/``best_hard_to`` the largest: hard shrink's error is flat in λ between
    data values), ``mse_noisy``
    and ``universal`` (Donoho and Johnstone's threshold noise·√(2 ln n)).
    """
    where = "shrinkage"
    n = args.integer(where, "n", n, low=10, high=400)
    k = args.integer(where, "k", k, low=1, high=n)
    noise = args.positive(where, "noise", noise)
    seed = args.integer(where, "seed", seed, low=0, high=2 ** 32 - 1)
    values, step, init = _grid_values(where, "lambd", lambd, max_frames,
                                      float(A.soft_shrink.defaults["lambd"]), (0.0, False),
                                      "a threshold")
    for v in (values[0], values[-1]):
        A.soft_shrink.bind({"lambd": v}, where=where)
        A.hard_shrink.bind({"lambd": v}, where=where)

    rng = np.random.default_rng(seed)
    clean = np.zeros(n)
    where_nz = np.sort(rng.choice(n, size=k, replace=False))
    clean[where_nz] = rng.choice([-1.0, 1.0], size=k) * rng.uniform(1.5, 4.0, size=k)
    noisy = clean + noise * rng.normal(size=n)
    fns = {"soft": A.soft_shrink, "hard": A.hard_shrink}

    def mse(name, lam):
        return float(np.mean((fns[name](noisy, lambd=lam) - clean) ** 2))

    fine = np.linspace(values[0], values[-1], 201)
    curves = {name: np.array([mse(name, lam) for lam in fine]) for name in fns}
    # hard shrink's error is piecewise constant in λ: its minimum may span an interval of λ
    ties = {name: np.flatnonzero(c == c.min()) for name, c in curves.items()}
    best = {name: float(fine[t[0]]) for name, t in ties.items()}
    best_to = {name: float(fine[t[-1]]) for name, t in ties.items()}

    def at_best(name):
        if best_to[name] == best[name]:
            return f"at λ = {fmt(best[name])}"
        return f"for λ from {fmt(best[name])} to {fmt(best_to[name])}"

    results = {"lambdas": fine, "mse_soft": curves["soft"], "mse_hard": curves["hard"],
               "best_soft": best["soft"], "best_hard": best["hard"],
               "best_soft_to": best_to["soft"], "best_hard_to": best_to["hard"],
               "mse_noisy": float(np.mean((noisy - clean) ** 2)),
               "universal": noise * math.sqrt(2 * math.log(n)), "clean": clean, "noisy": noisy}
    ctl = _GridControl("lambd", "threshold λ (lambd)", values, init, step=step)
    idx = np.arange(n)
    colours = {"soft": P.COLORS[0], "hard": P.COLORS[1]}
    marker = {"soft": "o", "hard": "x"}

    def make():
        fig, axes = P.overlay_figure(2, (8.0, 3.3))
        left, right = axes
        left.vlines(idx, 0, clean, color="#777777", lw=1.2, zorder=1)
        left.plot(idx, noisy, ".", color="#999999", ms=4, label="noisy", zorder=2)
        band = left.axhspan(-values[init], values[init], color="#cccccc", alpha=0.35, lw=0)
        pts = {name: left.plot(idx, fns[name](noisy, lambd=values[init]), marker[name], ls="none",
                               color=colours[name], ms=4, mfc="none", label=f"{name} shrink",
                               zorder=3)[0] for name in fns}
        left.set_xlabel("index i")
        left.set_title("true (grey stems), noisy and denoised values", fontsize=10)
        lim = float(np.max(np.abs(noisy))) * 1.1
        left.set_ylim(-1.5 * lim, lim)    # room for the legend below the data
        left.legend(loc="lower center", fontsize=8, ncol=3)
        now = {}
        for i, name in enumerate(fns):
            right.plot(fine, curves[name], color=colours[name], ls=P.LINESTYLES[i], lw=1.8,
                       label=f"{name} shrink")
            right.plot([best[name]], [curves[name].min()], marker="v", color=colours[name], ms=7,
                       ls="none")
            now[name] = right.plot([], [], "o", color=colours[name], ms=6)[0]
        cursor = right.axvline(values[init], color="#555555", lw=1.0, ls=":")
        right.set_xlabel("threshold λ")
        right.set_title("mean squared error (▼ minimum)", fontsize=10)
        right.set_xlim(values[0], values[-1])
        right.legend(loc="upper right", fontsize=8)
        return fig, (band, pts, now, cursor, fig.suptitle("", fontsize=11))

    def draw(parts, combo):
        band, pts, now, cursor, head = parts
        lam = float(combo[0])
        band.set_y(-lam)
        band.set_height(2 * lam)
        out = {}
        for name in fns:
            y = fns[name](noisy, lambd=lam)
            pts[name].set_ydata(y)
            out[name] = (mse(name, lam), int(np.sum(y == 0)))
            now[name].set_data([lam], [out[name][0]])
        cursor.set_xdata([lam, lam])
        head.set_text(f"λ = {fmt(lam)}: MSE soft {fmt(out['soft'][0])}, "
                      f"hard {fmt(out['hard'][0])} (noisy {fmt(results['mse_noisy'])})")
        return (f"A sparse signal of {n} values, {k} of them non-zero, plus Gaussian noise of "
                f"standard deviation {fmt(noise)}, denoised by thresholding at λ = {fmt(lam)}. "
                f"Left: the true values (grey stems), the noisy ones (grey dots), soft shrink "
                f"(blue circles, {out['soft'][1]} of {n} exactly 0) and hard shrink (orange "
                f"crosses, {out['hard'][1]} exactly 0); the grey band is [−λ, λ]. Right: the mean "
                f"squared error against λ from {fmt(values[0])} to {fmt(values[-1])}: here "
                f"{fmt(out['soft'][0])} for soft shrink (smallest, {fmt(curves['soft'].min())}, "
                f"{at_best('soft')}) and {fmt(out['hard'][0])} for hard shrink "
                f"(smallest, {fmt(curves['hard'].min())}, {at_best('hard')}); the noisy "
                f"signal's is {fmt(results['mse_noisy'])}.")

    title = "Denoising by soft and hard shrinkage"
    key = ("shrinkage", values, n, k, noise, seed)
    e = _frames_explorer(key, title, [ctl], make, draw)
    e.results = results
    return e
