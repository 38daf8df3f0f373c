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
