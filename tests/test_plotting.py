"""plotting: display bundles, generated alt text, determinism, size, style, argument errors."""
import re
import subprocess
import sys

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

import activations as A
from afbook import plotting


def _alt(html):
    m = re.search(r'<img [^>]*alt="([^"]*)"', html)
    assert m, html[:300]
    return m.group(1)


def test_show_bundle_has_html_img_and_plain_alt():
    d = plotting.show("elu", x=(-5, 5), alpha=1.0)
    b = d._repr_mimebundle_()
    assert set(b) == {"text/html", "text/plain"}
    assert b["text/html"].count("<img ") == 1
    assert 'class="afx-fig"' in b["text/html"]
    assert b["text/html"].count("data:image/png;base64,") == 1
    alt = _alt(b["text/html"])
    assert alt == d.alt.replace('"', "&quot;") and b["text/plain"] == d.alt
    assert alt.startswith(f"{A.elu.title} with α = 1:")
    assert "f in blue" in alt and "f′ in orange" in alt and "x from −5 to 5" in alt


def test_alt_text_reports_the_drawn_range_from_the_library():
    d = plotting.show("sigmoid", x=(-6, 6))
    y = A.sigmoid(np.linspace(-6, 6, 1001))
    assert f"f goes from {plotting.fmt(y.min())} to {plotting.fmt(y.max())}" in d.alt
    assert f"f′ from {plotting.fmt(A.sigmoid.derivative(-6.0))} to {plotting.fmt(0.25)}" in d.alt


def test_alt_text_follows_parameters():
    assert "α = 0.5" in plotting.show("elu", alpha=0.5).alt
    assert "approximate = tanh" in plotting.show("gelu", approximate="tanh").alt


def test_show_is_deterministic_and_png_small():
    a = plotting.show("gelu", x=(-4, 4))
    b = plotting.show("gelu", x=(-4, 4))
    assert a.html == b.html  # identical bytes in one process
    assert a.png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(a.png) < 40_000
    assert (a.width, a.height) == tuple(round(v * plotting.DPI) for v in plotting.PAIR_SIZE)
    assert b"Software" not in a.png and b"tIME" not in a.png


@pytest.mark.parametrize("name", A.names(kind="elementwise"))
def test_every_elementwise_activation_can_be_shown(name):
    d = plotting.show(name)
    act = A.get(name)
    assert d.alt.startswith(act.title)
    assert "x from" in d.alt and "nan" not in d.alt.split(":")[0]


def test_show_many_overlays_with_colours_and_styles():
    d = plotting.show_many(["relu", ("gelu", {"approximate": "tanh"}), "silu"], x=(-5, 5), derivative=True)
    names = plotting.COLOR_NAMES
    assert d.alt.startswith(f"{A.relu.title} ({names[0]}), {A.gelu.title} with approximate = tanh ({names[1]}) "
                            f"and {A.silu.title} ({names[2]})")
    assert "f on the left, f′ on the right" in d.alt
    one = plotting.show_many(["relu", "tanh"])
    assert one.width < d.width and ": f, x from −5 to 5" in one.alt


def test_palette_is_distinct_hex():
    assert len(set(plotting.COLORS)) == len(plotting.COLORS) == len(plotting.COLOR_NAMES) >= 6
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in plotting.COLORS)
    with plotting.styled():
        assert matplotlib.rcParams["axes.prop_cycle"].by_key()["color"][0] == plotting.COLORS[0]


def test_importing_the_helpers_leaves_matplotlibs_style_alone():
    code = ("import matplotlib; before = dict(matplotlib.rcParams)\n"
            "from afbook import checker, plotting\n"
            "assert dict(matplotlib.rcParams) == before\n"
            "plotting.apply_style()\n"
            "assert matplotlib.rcParams['font.size'] == plotting.STYLE['font.size']")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_library_figures_do_not_depend_on_the_global_style():
    a = plotting.show("elu")
    with matplotlib.rc_context({"font.size": 20, "lines.linewidth": 5, "axes.grid": False}):
        b = plotting.show("elu")
    assert a.png == b.png


def test_figure_wraps_and_closes_a_handmade_figure():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    num = fig.number
    d = plotting.figure(fig, alt="A line from (0, 0) to (1, 1)")
    assert not plt.fignum_exists(num)
    assert d._repr_mimebundle_()["text/plain"] == "A line from (0, 0) to (1, 1)"
    with pytest.raises(ValueError, match="alt"):
        plotting.figure(plt.figure(), alt="  ")
    plt.close("all")
    with pytest.raises(TypeError, match="fig"):
        plotting.figure("not a figure", alt="x")


@pytest.mark.parametrize("call, exc, word", [
    (lambda: plotting.show("nope"), ValueError, "nope"),
    (lambda: plotting.show(3), TypeError, "name"),
    (lambda: plotting.show("elu", beta=1.0), TypeError, "beta"),
    (lambda: plotting.show("elu", alpha=-1.0), ValueError, "alpha"),
    (lambda: plotting.show("gelu", approximate="fast"), ValueError, "approximate"),
    (lambda: plotting.show("elu", x=(2, 1)), ValueError, "x"),
    (lambda: plotting.show("elu", x=(0, float("inf"))), ValueError, "x"),
    (lambda: plotting.show("elu", x=5), TypeError, "x"),
    (lambda: plotting.show("softmax"), ValueError, "vector"),
    (lambda: plotting.show_many("relu"), TypeError, "items"),
    (lambda: plotting.show_many([("relu", 1)]), TypeError, "pair"),
    (lambda: plotting.show_many([]), ValueError, "empty"),
    (lambda: plotting.show_many(["relu"], derivative="yes"), TypeError, "derivative"),
])
def test_bad_arguments_name_the_argument(call, exc, word):
    with pytest.raises(exc, match=word):
        call()


def test_required_parameters_use_the_registry_example():
    d = plotting.show("threshold")
    ex = A.threshold.example_params
    assert all(plotting.fmt(v) in d.alt for v in ex.values())


def test_titles_name_the_chosen_parameters_only():
    assert plotting.show("elu").alt.startswith(f"{A.elu.title}:")      # default alpha is not named
    assert plotting.chosen_params(A.elu, {"alpha": 1}, where="show") == {"alpha": 1.0}
    required = [p.name for p in A.threshold.params if p.required]
    assert list(plotting.chosen_params(A.threshold, {}, where="show")) == required


# ---- discontinuities: lines break at jumps, dots mark the value taken (issue 14) -----------------
def _segments(x, y):
    """The drawn pieces of a line: runs of finite values between NaNs, as (x_first, x_last)."""
    finite = np.isfinite(y)
    pieces, start = [], None
    for i, ok in enumerate(finite):
        if ok and start is None:
            start = i
        if (not ok or i == len(y) - 1) and start is not None:
            end = i if ok else i - 1
            pieces.append((x[start], x[end]))
            start = None
    return pieces


@pytest.mark.parametrize("name, params, jump", [
    ("step", {}, 0.0),
    ("hard_shrink", {}, 0.5),
    ("hard_shrink", {}, -0.5),
    ("threshold", {"threshold": 1.0, "value": -1.0}, 1.0),
])
def test_a_jump_of_f_breaks_the_line(name, params, jump):
    act = A.get(name)
    x, y, dy = plotting.curve_data(act, -5.0, 5.0, params)
    assert np.isnan(y[x == jump]).all() and (x == jump).sum() == 1
    pieces = _segments(x, y)
    assert not any(a < jump < b for a, b in pieces)          # no segment across the jump
    assert any(b == pytest.approx(jump, abs=1e-7) for _, b in pieces)   # reached from the left
    assert any(a == pytest.approx(jump, abs=1e-7) for a, _ in pieces)   # and from the right
    assert np.isnan(dy[x == jump]).all()                       # f′ jumps there too
    filled, hollow = plotting.break_marks(act, params, -5.0, 5.0)
    assert (jump, float(act(jump, **params))) in filled
    assert hollow and all(t in (p[0] for p in filled) for t, _ in hollow)


def test_step_marks_the_value_at_zero_and_both_open_ends():
    filled, hollow = plotting.break_marks(A.step, {"at_zero": 0.5}, -1.0, 1.0)
    assert filled == [(0.0, 0.5)] and sorted(v for _, v in hollow) == [0.0, 1.0]
    filled, hollow = plotting.break_marks(A.step, {"at_zero": 0.0}, -1.0, 1.0)
    assert filled == [(0.0, 0.0)] and hollow == [(0.0, 1.0)]


@pytest.mark.parametrize("x_range", [(-5, 3), (-5, 5)])
def test_hard_swish_derivative_reaches_its_jump_at_3_from_both_sides(x_range):
    lo, hi = x_range
    x, y, dy = plotting.curve_data(A.hard_swish, lo, hi, {})
    pieces = _segments(x, dy)
    left = [b for _, b in pieces if b < 3]
    assert max(left) == pytest.approx(3.0, abs=1e-7)            # not cut off before x = 3
    assert dy[np.flatnonzero(x == max(left))[0]] == pytest.approx(1.5, abs=1e-6)
    if hi > 3:
        right = [a for a, _ in pieces if a > 3]
        assert min(right) == pytest.approx(3.0, abs=1e-7)
    assert np.isfinite(y).all()                                 # f itself is continuous
    assert 3.0 in x and -3.0 in x
    filled, hollow = plotting.break_marks(A.hard_swish, {}, lo, hi, derivative=True)
    assert (3.0, float(A.hard_swish.derivative(3.0))) in filled
    assert any(t == 3.0 and v == pytest.approx(1.5, abs=1e-6) for t, v in hollow)
    assert "f′ jumps at x = −3, 3" in plotting.show("hard_swish", x=x_range).alt


def test_a_corner_is_exact_and_the_function_line_is_not_broken():
    x, y, dy = plotting.curve_data(A.relu, -5.0, 5.0, {})
    assert 0.0 in x and np.isfinite(y).all()
    assert np.isnan(dy[x == 0.0]).all() and np.isfinite(dy[x != 0.0]).all()
    alt = plotting.show("relu").alt
    assert "f′ jumps at x = 0" in alt and "f jumps" not in alt and "filled dot" in alt
    # pair_alt (the explorers' alt text) says where the lines break, not that dots are drawn
    pair = plotting.pair_alt(A.relu, {}, -5.0, 5.0, np.zeros(3), np.zeros(3))
    assert "f′ jumps at x = 0 (the line breaks there)." in pair and "dot" not in pair


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "gelu", "silu", "softplus", "elu"])
def test_smooth_functions_get_the_plain_grid(name):
    act = A.get(name)
    x, y, dy = plotting.curve_data(act, -5.0, 5.0, {})
    assert np.array_equal(x, np.union1d(np.linspace(-5.0, 5.0, plotting.N_POINTS), [0.0]))
    assert np.isfinite(y).all() and np.isfinite(dy).all()
    assert plotting.break_marks(act, {}, -5.0, 5.0, derivative=True) == ([], [])
    assert "jumps" not in plotting.show(name).alt


def test_overlays_break_their_lines_and_say_where():
    fig, axes = plotting.overlay_figure(2)
    pairs = plotting.parse_items(["relu", "step"])
    plotting.draw_overlay(fig, axes, pairs, -2.0, 2.0, True)
    lines = [ln for ln in axes[0].get_lines() if ln.get_label() == A.step.title]
    x, y = (np.asarray(v, float) for v in lines[0].get_data())
    assert np.isnan(y[x == 0.0]).all() and not any(a < 0 < b for a, b in _segments(x, y))
    alt = plotting.show_many(["relu", "step"], derivative=True).alt
    assert "ReLU: f′ jumps at x = 0" in alt and "Step (Heaviside): f jumps at x = 0, f′ jumps at x = 0" in alt
    assert "jumps" not in plotting.show_many(["sigmoid", "tanh"]).alt


# ---- hand-made figures get constrained layout (issue 14: clipped labels and legends) ------------
def _handmade(**kw):
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1], [0, 1], label="a legend")
    ax.set_xlabel("x label")
    ax.set_ylabel("y label")
    ax.legend(bbox_to_anchor=(1.0, 1.0), loc="upper left")
    return fig, ax


def test_a_handmade_figure_without_layout_is_not_clipped_and_keeps_its_size():
    fig, ax = _handmade()
    assert fig.get_layout_engine() is None
    png = plotting.png_bytes(fig)
    assert plotting.png_size(png) == (400, 300)
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    for artist in (ax.get_legend(), ax.xaxis.label, ax.yaxis.label):
        b = artist.get_window_extent(renderer)
        assert b.x0 >= box.x0 - 0.5 and b.x1 <= box.x1 + 0.5 and b.y0 >= box.y0 - 0.5, artist
    plt.close(fig)


def test_figures_laid_out_by_hand_are_left_alone():
    fig, ax = _handmade()
    fig.subplots_adjust(left=0.3, right=0.6)
    plotting.png_bytes(fig)
    assert fig.get_layout_engine() is None and ax.get_position().x0 == pytest.approx(0.3)
    plt.close(fig)
    fig, ax = _handmade()
    fig.tight_layout()
    engine = fig.get_layout_engine()
    plotting.png_bytes(fig)
    assert fig.get_layout_engine() is engine
    plt.close(fig)


def test_a_figure_too_small_for_its_decorations_draws_without_a_warning():
    import warnings

    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.plot([0, 1], [0, 1], label="a legend label far wider than the whole figure is")
    ax.legend(bbox_to_anchor=(1.0, 1.0), loc="upper left")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png = plotting.png_bytes(fig)
    assert plotting.png_size(png) == (200, 150)
    plt.close(fig)


def test_library_figures_keep_their_size():
    d = plotting.show("step")
    assert (d.width, d.height) == tuple(round(v * plotting.DPI) for v in plotting.PAIR_SIZE)
    one = plotting.show_many(["relu", "step"])
    assert (one.width, one.height) == (550, 340)


def test_axes_placed_by_hand_keep_their_place_and_draw_without_a_warning():
    import warnings

    fig = plt.figure(figsize=(3, 2))
    ax = fig.add_axes([0.0, 0.0, 1.0, 1.0])
    ax.plot([0, 1], [1, 0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plotting.png_bytes(fig)
    assert fig.get_layout_engine() is None and tuple(ax.get_position().bounds) == (0.0, 0.0, 1.0, 1.0)
    plt.close(fig)


def test_mark_artists_follow_the_frame():
    fig, axes, lines = plotting.pair_figure(A.threshold)
    arts = plotting.mark_artists(axes[0], plotting.COLORS[0])
    ys = plotting.set_marks(arts, A.threshold, {"threshold": 1.0, "value": -1.0}, -3.0, 3.0)
    hollow, filled = arts
    assert list(filled.get_xdata()) == [1.0] and list(filled.get_ydata()) == [-1.0]
    assert list(hollow.get_xdata()) == [1.0] and list(hollow.get_ydata()) == pytest.approx([1.0])
    assert sorted(ys) == pytest.approx([-1.0, 1.0])
    assert plotting.set_marks(arts, A.threshold, {"threshold": 5.0, "value": 0.0}, -3.0, 3.0) == []
    assert len(filled.get_xdata()) == 0 and len(hollow.get_xdata()) == 0
