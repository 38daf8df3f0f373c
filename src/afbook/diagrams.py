"""Diagrams a textbook starts with, drawn by matplotlib (no hand-made binary files).

* :func:`neuron` — one unit: inputs, weights, bias, the sum u and the activation z = f(u);
* :func:`network` — a small fully connected network (by default the introduction's 3-4-2);
* :func:`computational_graph` — z = f(Wx + b) with the forward values and the backward
  gradients of the chain rule;
* :func:`timeline` — the activations of the registry placed by the year of their key
  reference (``A.REGISTRY[name].year`` and ``.title``), one lane per family.

Each returns a :class:`afbook.plotting.FigureDisplay` with alt text, made by
:func:`afbook.plotting.figure`: a transparent PNG with dark-grey ink, which the book's
dark-mode rule puts on a light card.
"""
from __future__ import annotations


import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

import activations as A
from afbook import plotting as P
from afbook import args

__all__ = ["neuron", "network", "computational_graph", "timeline"]

INK = P.TEXT_COLOR
EDGE = "#555555"
FWD = P.COLORS[0]          # blue: forward values
BWD = P.COLORS[3]          # vermillion: backward gradients


def _act(name):
    if not isinstance(name, str):
        raise TypeError(f"activation must be the name of an activation (a str), "
                        f"got {type(name).__name__}")
    return A.get(name)          # ValueError naming an unknown activation


def _canvas(size):
    fig = Figure(figsize=size, dpi=P.DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    return fig, ax


def _node(ax, xy, r, text, *, fc="#ffffff", ec=EDGE, size=12, lw=1.5):
    ax.add_patch(Circle(xy, r, fc=fc, ec=ec, lw=lw, zorder=3))
    ax.text(*xy, text, ha="center", va="center", fontsize=size, color=INK, zorder=4)


def _box(ax, xy, w, h, text, *, fc="#ffffff", ec=EDGE, size=12):
    x, y = xy
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02",
                                fc=fc, ec=ec, lw=1.5, zorder=3))
    ax.text(x, y, text, ha="center", va="center", fontsize=size, color=INK, zorder=4)


def _arrow(ax, a, b, *, color=EDGE, lw=1.4, ls="-", shrink=0.0, style="-|>", z=2):
    ax.add_patch(FancyArrowPatch(a, b, arrowstyle=style, mutation_scale=14, color=color,
                                 lw=lw, ls=ls, shrinkA=shrink, shrinkB=shrink, zorder=z))


# --------------------------------------------------------------------------------------
def neuron(activation: str = "sigmoid"):
    """One neuron with three inputs: u = w₁x₁ + w₂x₂ + w₃x₃ + b, then z = f(u).

    ``activation`` names the library activation written in the f box (its title).
    """
    act = _act(activation)
    fig, ax = _canvas((7.6, 3.4))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 4.5)
    ys = (3.6, 2.25, 0.9)
    for i, y in enumerate(ys, start=1):
        _node(ax, (1.0, y), 0.42, f"$x_{i}$")
        _arrow(ax, (1.42, y), (4.05, 2.25 + (y - 2.25) * 0.18), shrink=2)
        ax.text(2.55, 2.25 + (y - 2.25) * 0.62 + 0.18, f"$w_{i}$", fontsize=12,
                color=FWD, ha="center")
    _node(ax, (4.7, 2.25), 0.65, "$\\Sigma$", size=16)
    ax.text(4.7, 3.65, "bias $b$", ha="center", fontsize=11, color=INK)
    _arrow(ax, (4.7, 3.5), (4.7, 2.92))
    ax.text(4.7, 1.15, "$u = \\sum_i w_i x_i + b$", ha="center", fontsize=11, color=INK)
    _arrow(ax, (5.35, 2.25), (6.55, 2.25))
    ax.text(5.95, 2.4, "$u$", ha="center", fontsize=12, color=INK)
    _box(ax, (7.2, 2.25), 1.2, 0.9, "$f$", size=16, fc="#eef4fb")
    ax.text(7.2, 1.35, act.title, ha="center", fontsize=10, color=INK)
    _arrow(ax, (7.82, 2.25), (9.1, 2.25))
    ax.text(8.45, 2.4, "$z = f(u)$", ha="center", fontsize=12, color=INK)
    alt = ("Diagram of one neuron. Three inputs x1, x2, x3 on the left are joined by "
           "arrows labelled with the weights w1, w2, w3 to a summation node Σ, which also "
           "receives the bias b from above and computes u = w1·x1 + w2·x2 + w3·x3 + b. "
           f"An arrow carries u into a box f (the activation, here {act.title}), and "
           "the output z = f(u) leaves on the right.")
    return P.figure(fig, alt=alt)


def _check_sizes(sizes):
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise TypeError(f"network: sizes must be a sequence of layer widths, got {sizes!r}")
    if not 2 <= len(sizes) <= 6:
        raise ValueError(f"network: sizes must have 2 to 6 layers, got {len(sizes)}")
    for s in sizes:
        args.integer("network", "sizes", s, low=1, high=10)
    return [int(s) for s in sizes]


def network(sizes=(3, 4, 2), activation: str = "relu"):
    """A fully connected network with layer widths ``sizes`` (default 3-4-2).

    Every unit of a layer feeds every unit of the next; the hidden units apply
    ``activation`` (its title is printed under the hidden layers).
    """
    sizes = _check_sizes(sizes)
    act = _act(activation)
    n_layers = len(sizes)
    top = max(sizes)
    fig, ax = _canvas((1.9 * n_layers + 1.6, 0.8 * top + 1.6))
    ax.set_xlim(-0.9, 2.2 * (n_layers - 1) + 0.9)
    ax.set_ylim(-1.25, top + 0.2)
    pos = []
    for li, n in enumerate(sizes):
        x = 2.2 * li
        pos.append([(x, top / 2 - 0.5 + (n - 1) / 2 - j) for j in range(n)])
    for a_layer, b_layer in zip(pos, pos[1:]):
        for a in a_layer:
            for b in b_layer:
                ax.plot([a[0], b[0]], [a[1], b[1]], color="#8a8a8a", lw=0.9, zorder=1)
    names = []
    for li, layer in enumerate(pos):
        if li == 0:
            sym, kind, fc = "x", "input layer", "#ffffff"
        elif li == n_layers - 1:
            sym, kind, fc = "y", "output layer", "#fdf0e6"
        else:
            sym = "h" if n_layers == 3 else f"h^{{{li}}}"
            kind, fc = "hidden layer", "#eef4fb"
        for j, xy in enumerate(layer, start=1):
            _node(ax, xy, 0.3, f"${sym}_{{{j}}}$", fc=fc, size=11)
        names.append(f"{kind} ({len(layer)})")
        ax.text(layer[0][0], -0.95, f"{kind}\n{len(layer)} units", ha="center",
                va="center", fontsize=10, color=INK)
    n_w = sum(a * b for a, b in zip(sizes, sizes[1:]))
    n_b = sum(sizes[1:])
    alt = (f"Diagram of a fully connected network with layer widths "
           f"{'-'.join(map(str, sizes))}: " + ", ".join(names) + ", from left to right. "
           f"Every unit is joined to every unit of the next layer: {n_w} weights and "
           f"{n_b} biases. The hidden units apply {act.title}.")
    return P.figure(fig, alt=alt)


def computational_graph(activation: str = "sigmoid"):
    """The computational graph of z = f(Wx + b) and the chain rule on it.

    Forward values (blue) flow left to right; the backward gradients (vermillion) flow
    right to left, each the upstream gradient times a local derivative.
    """
    act = _act(activation)
    fig, ax = _canvas((9.6, 4.4))
    ax.set_xlim(0, 12)
    ax.set_ylim(0, 5.4)
    y = 3.0
    _node(ax, (0.8, y), 0.45, "$x$")
    _node(ax, (2.6, 4.75), 0.45, "$W$")
    _node(ax, (5.0, 4.75), 0.45, "$b$")
    _box(ax, (2.6, y), 0.95, 0.75, "$\\times$", size=15)
    _box(ax, (5.0, y), 0.95, 0.75, "$+$", size=15)
    _box(ax, (7.6, y), 0.95, 0.75, "$f$", size=15, fc="#eef4fb")
    _box(ax, (10.6, y), 1.3, 0.75, "loss $L$", size=12)
    _arrow(ax, (1.25, y), (2.12, y), color=FWD)
    _arrow(ax, (2.6, 4.3), (2.6, 3.38), color=FWD)
    _arrow(ax, (5.0, 4.3), (5.0, 3.38), color=FWD)
    _arrow(ax, (3.08, y), (4.52, y), color=FWD)
    _arrow(ax, (5.48, y), (7.12, y), color=FWD)
    _arrow(ax, (8.08, y), (9.95, y), color=FWD)
    for xm, lab in ((3.8, "$Wx$"), (6.3, "$u = Wx + b$"), (9.0, "$z = f(u)$")):
        ax.text(xm, y + 0.18, lab, ha="center", va="bottom", fontsize=11, color=FWD)
    yb = 1.95
    for a, b in ((9.95, 8.08), (7.12, 5.48), (4.52, 3.08), (2.12, 1.25)):
        _arrow(ax, (a, yb), (b, yb), color=BWD, ls="--")
    grads = ((9.0, "$\\frac{\\partial L}{\\partial z}$"),
             (6.3, "$\\delta = \\frac{\\partial L}{\\partial z} \\odot f'(u)$"),
             (3.8, "$\\delta$"),
             (1.1, "$\\frac{\\partial L}{\\partial x} = W^{\\top}\\delta$"))
    for xm, lab in grads:
        ax.text(xm, yb - 0.17, lab, ha="center", va="top", fontsize=12, color=BWD)
    ax.text(2.6, 0.55, "$\\frac{\\partial L}{\\partial W} = \\delta\\, x^{\\top}$",
            ha="center", fontsize=12, color=BWD)
    ax.text(5.0, 0.55, "$\\frac{\\partial L}{\\partial b} = \\delta$", ha="center",
            fontsize=12, color=BWD)
    ax.text(7.6, 3.55, "forward stores $f'(u)$", ha="center", fontsize=10, color=INK)
    ax.text(0.15, 5.05, "forward →", fontsize=10, color=FWD)
    ax.text(0.15, 0.15, "← backward", fontsize=10, color=BWD)
    alt = ("Computational graph of one layer z = f(Wx + b). Top row, blue arrows left to "
           "right: x and W enter a multiplication node giving Wx; the bias b enters an "
           "addition node giving u = Wx + b; u enters the activation node f "
           f"(here {act.title}), which stores f′(u); z = f(u) goes on to the loss L. "
           "Bottom row, dashed vermillion arrows right to left: the upstream gradient "
           "∂L/∂z becomes δ = ∂L/∂z ⊙ f′(u) after f; the gradients are ∂L/∂b = δ, "
           "∂L/∂W = δ xᵀ and ∂L/∂x = Wᵀ δ.")
    return P.figure(fig, alt=alt)


_FAMILY_LABEL = {"sigmoid": "sigmoid family", "tanh": "tanh family", "relu": "ReLU family",
                 "softmax": "softmax family", "other": "outside the families"}


def timeline():
    """The registry's activations by the year of their key reference, one lane per family.

    Entries without a year are left out (the alt text says how many).
    """
    items = [(a.year, a.title, a.family) for a in A.REGISTRY.values() if a.year]
    no_year = [a.title for a in A.REGISTRY.values() if not a.year]
    items.sort()
    fams = [f for f in A.FAMILIES if any(it[2] == f for it in items)]
    lo = int(np.floor(items[0][0] / 10.0) * 10)
    hi = int(np.ceil((items[-1][0] + 1) / 10.0) * 10)
    per_char = 0.62                            # years of axis per character of label
    placed, height = {}, {}
    for f in fams:                             # a label takes the lowest free slot
        ends: list[float] = []
        for year, title, _ in (it for it in items if it[2] == f):
            label = f"{title} ({year})"
            slot = next((i for i, e in enumerate(ends) if e < year - 0.5), len(ends))
            if slot == len(ends):
                ends.append(0.0)
            ends[slot] = year + 0.6 + per_char * len(label)
            placed[(f, title)] = (slot, label)
        height[f] = len(ends)
    base, y0 = {}, 0.0
    for f in reversed(fams):
        base[f] = y0
        y0 += 0.9 + 0.32 * height[f]
    fig = Figure(figsize=(10.0, 0.9 + 0.42 * y0), dpi=P.DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    for f in fams:
        k = base[f]
        color = P.COLORS[A.FAMILIES.index(f) % len(P.COLORS)]
        ax.axhline(k, color="#cccccc", lw=0.8, zorder=0)
        for year, title, _ in (it for it in items if it[2] == f):
            slot, label = placed[(f, title)]
            yt = k + 0.3 + slot * 0.32
            ax.plot([year], [k], "o", color=color, ms=6, zorder=3)
            ax.plot([year, year], [k, yt], color=color, lw=0.8, zorder=2)
            ax.text(year + 0.4, yt, label, fontsize=8, color=INK, va="center",
                    ha="left", zorder=4,
                    bbox=dict(fc="white", ec="none", pad=0.6, alpha=0.85))
    lane = base
    ax.set_yticks([lane[f] for f in fams], [_FAMILY_LABEL[f] for f in fams])
    ax.set_ylim(-0.4, y0 - 0.3)
    ax.set_xlim(lo - 1, hi + 12)
    ax.set_xticks(range(lo, hi + 1, 10))
    ax.set_xlabel("year of the key reference in the course's registry")
    ax.grid(axis="y", visible=False)
    for side in ("left", "top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    fig.set_layout_engine("constrained")
    first, last = items[0], items[-1]
    decade = {}
    for year, _, _ in items:
        decade[year // 10 * 10] = decade.get(year // 10 * 10, 0) + 1
    busiest = max(decade, key=lambda d: (decade[d], d))
    parts = "; ".join(f"{_FAMILY_LABEL[f]}: " + ", ".join(f"{t} {y}" for y, t, g in items
                                                           if g == f) for f in fams)
    alt = (f"Timeline of {len(items)} activation functions from {first[0]} ({first[1]}) to "
           f"{last[0]} ({last[1]}), one horizontal lane per family, each function a dot at "
           f"the year of its key reference with its name beside it. The busiest decade is "
           f"the {busiest}s with {decade[busiest]} entries. {parts}."
           + (f" Not shown (no year in the registry): {', '.join(no_year)}." if no_year
              else ""))
    return P.figure(fig, alt=alt)
