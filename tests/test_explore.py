"""explore: both views in one bundle, static frames from the library, deterministic HTML, DOM contract."""
import io
import json
import math
import re

import numpy as np
import pytest

import activations as A
from afbook import book
from afbook import display
from afbook import explore
from afbook import meanfield
from afbook import plotting

SANITIZE = re.compile(r"data:image/(png|jpeg|gif|svg\+xml);base64,[A-Za-z0-9+/=]+")
WIDGET = "application/vnd.jupyter.widget-view+json"




def data_of(html):
    m = re.search(r'<script type="application/json" class="afx-data">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def elu():
    return explore.explore("elu", alpha=(0.1, 2.0), x=(-5, 5))


def test_bundle_has_widget_and_html(elu):
    b = elu._repr_mimebundle_()
    assert WIDGET in b and "model_id" in b[WIDGET]
    assert b["text/html"].startswith('<div class="afx-explorer"')
    assert "ELU" in b["text/plain"]


def test_static_grid_frames_and_initial_value(elu):
    (ctl,) = elu.controls
    assert ctl.values == [round(0.1 * k, 12) for k in range(1, 21)]
    assert len(elu.frames) == len(elu.alts) == 20
    assert ctl.values[ctl.init] == A.elu.defaults["alpha"]
    assert len(set(elu.frames)) == 20  # every frame differs: the parameter really changes the curve
    for v, alt in zip(ctl.values, elu.alts):
        assert alt.startswith(f"ELU with α = {plotting.fmt(v)}:")
        assert "Dashed grey: α = 1." in alt


def test_alt_reports_library_values(elu):
    (ctl,) = elu.controls
    k = ctl.values.index(0.5)
    y = A.elu(np.linspace(-5, 5, 601), alpha=0.5)
    assert f"f goes from {plotting.fmt(y.min())} to {plotting.fmt(y.max())}" in elu.alts[k]


def test_dom_contract(elu, html_tags):
    t = html_tags(elu.html)
    root = t[0]
    assert root[0] == "div" and root[1]["class"] == "afx-explorer" and root[1]["id"] == elu.id
    ranges = [a for tag, a in t if tag == "input" and a.get("type") == "range"]
    labels = {a["for"] for tag, a in t if tag == "label"}
    outputs = [a for tag, a in t if tag == "output"]
    assert len(ranges) == 1 and ranges[0]["id"] in labels
    (ctl,) = elu.controls
    assert ranges[0]["min"] == "0" and ranges[0]["max"] == str(len(ctl.values) - 1)
    assert ranges[0]["value"] == str(ctl.init) and ctl.values[ctl.init] == A.elu.defaults["alpha"]
    assert "aria-valuetext" in ranges[0] and outputs and outputs[0]["for"] == ranges[0]["id"]
    imgs = [a for tag, a in t if tag == "img"]
    assert len(imgs) == 1 and imgs[0]["class"] == "afx-frame" and imgs[0]["alt"] == elu.alts[elu.init_index]
    assert re.search(r'<output class="afx-value"[^>]*>1</output>', elu.html)


def test_embedded_data_matches_frames(elu):
    d = data_of(elu.html)
    n = len(elu.frames)
    assert d["shape"] == [n] and d["init"] == elu.init_index
    assert d["frames"][d["init"]] is None  # taken from img.src, not duplicated
    assert sum(f is not None for f in d["frames"]) == n - 1
    assert all(f.startswith("data:image/png;base64,") for f in d["frames"] if f)
    assert d["texts"][0][d["init"]] == "1" and d["alts"] == elu.alts


def test_page_weight(elu):
    assert len(elu.html.encode()) <= 600_000
    two = explore.explore("softplus", beta=(0.5, 5.0), threshold=(0.5, 3.0), x=(-2, 2))
    assert len(two.frames) <= 48 and len(two.html.encode()) <= 600_000
    assert [len(c.values) for c in two.controls] == two.shape


def test_no_formula_in_javascript(elu):
    script = re.findall(r"<script>(.*?)</script>", elu.html, re.S)[0]
    assert not re.search(r"Math\.(exp|tanh|log|pow|sqrt|max|min)", script)
    assert "Math.random" not in elu.html and "Date" not in script


def test_html_deterministic_across_runs():
    display.reset_ids()
    a = explore.explore("leaky_relu", alpha=(0.0, 0.5)).html
    display.reset_ids()
    b = explore.explore("leaky_relu", alpha=(0.0, 0.5)).html
    assert a == b
    c = explore.explore("leaky_relu", alpha=(0.0, 0.5)).html  # same arguments, next counter: new id only
    ida, idc = re.search(r'id="([^"]+)"', a).group(1), re.search(r'id="([^"]+)"', c).group(1)
    assert ida != idc and ida.rsplit("-", 1)[0] == idc.rsplit("-", 1)[0]
    assert SANITIZE.sub("X", a.replace(ida, "ID")) == SANITIZE.sub("X", c.replace(idc, "ID"))
    assert not re.search(r"[0-9a-f]{32}", SANITIZE.sub("X", a))  # no uuid-like ids


def test_zoom_only_explorer_and_compare():
    e = explore.explore("relu")
    assert [c.label for c in e.controls] == ["x range"] and len(e.frames) == len(explore.ZOOMS)
    assert "x from −5 to 5" in e.alts[e.init_index] and "x from −50 to 50" in e.alts[-1]
    c = explore.compare(["relu", "gelu", ("leaky_relu", {"alpha": 0.1})])
    assert len(c.frames) == len(explore.ZOOMS)
    assert c.alts[c.init_index].startswith("ReLU (blue), GELU (orange) and Leaky ReLU with α = 0.1 (green)")
    assert WIDGET in c._repr_mimebundle_()


def test_softmax_frames_from_library():
    s = explore.softmax(logits=[2.0, 1.0, 0.1], temperature=(0.1, 10.0))
    (ctl,) = s.controls
    assert len(ctl.values) == 21 and ctl.values[ctl.init] == 1.0
    assert ctl.values[0] == 0.1 and ctl.values[-1] == 10.0
    p = A.softmax(np.array([2.0, 1.0, 0.1]), temperature=1.0)
    assert ", ".join(plotting.fmt(v, 2) for v in p) in s.alts[s.init_index]
    assert len(s.html.encode()) <= 600_000


def test_widget_redraws_on_slider_change(elu):
    w = elu.widget()
    *sliders, img = w.children
    assert [s.description for s in sliders] == ["α (alpha)", "x range"]
    before = img.value
    sliders[0].value = 0.3
    assert img.value != before and img.value[:4] == b"\x89PNG"
    after = img.value
    sliders[1].value = 2.0
    assert img.value != after
    assert elu.widget() is w  # built once


def test_several_explorers_have_distinct_ids():
    ids = {explore.explore("relu").id for _ in range(3)}
    assert len(ids) == 3


@pytest.mark.parametrize("call, exc, word", [
    (lambda: explore.explore("nope"), ValueError, "nope"),
    (lambda: explore.explore("elu", beta=(1, 2)), TypeError, "beta"),
    (lambda: explore.explore("elu", alpha=(2.0, 1.0)), ValueError, "alpha"),
    (lambda: explore.explore("elu", alpha=(1.0, 1.0)), ValueError, "alpha"),
    (lambda: explore.explore("elu", alpha=(-1.0, 1.0)), ValueError, "alpha"),
    (lambda: explore.explore("elu", alpha=(0.1, 2.0, 0)), ValueError, "step"),
    (lambda: explore.explore("elu", alpha="big"), TypeError, "alpha"),
    (lambda: explore.explore("gelu", approximate=("none", "tanh")), TypeError, "approximate"),
    (lambda: explore.explore("elu", x=(3, -3)), ValueError, "x"),
    (lambda: explore.explore("softmax"), ValueError, "vector"),
    (lambda: explore.explore("elu", max_frames=1), ValueError, "max_frames"),
    (lambda: explore.explore("softplus", threshold=(20.0, 30.0)), ValueError, "threshold.*changes nothing visible"),
    (lambda: explore.compare(["relu"]), ValueError, "two or more"),
    (lambda: explore.compare(["relu", "nope"]), ValueError, "nope"),
    (lambda: explore.softmax(logits=[1.0]), ValueError, "logits"),
    (lambda: explore.softmax(logits="abc"), TypeError, "logits"),
    (lambda: explore.softmax(logits=[1.0, float("nan")]), ValueError, "logits"),
    (lambda: explore.softmax(temperature=(0.0, 1.0)), ValueError, "temperature"),
    (lambda: explore.softmax(temperature=(2.0, 1.0)), ValueError, "temperature"),
    (lambda: explore.softmax(temperature=1.0), TypeError, "temperature"),
])
def test_bad_arguments_name_the_argument(call, exc, word):
    with pytest.raises(exc, match=word):
        call()


def test_nice_grid():
    assert explore.nice_grid(0.1, 2.0, 21)[0] == [round(0.1 * k, 12) for k in range(1, 21)]
    vals, step = explore.nice_grid(0.0, 1.0, 6)
    assert step == 0.2 and vals == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    vals, _ = explore.nice_grid(0.05, 0.97, 5)
    assert vals[0] == 0.05 and vals[-1] == 0.97 and len(vals) <= 7


def test_inline_script_is_the_package_file(elu):
    import importlib.resources

    src = importlib.resources.files("afbook").joinpath("static/explorer.js").read_text("utf-8")
    body = src[src.index("*/") + 2:].strip().replace("AFX_ROOT_ID", json.dumps(elu.id))
    assert re.findall(r"<script>(.*?)</script>", elu.html, re.S) == [body]
    assert isinstance(elu, display.HTMLDisplay) and elu.text == elu._repr_mimebundle_()["text/plain"]


def _pixels(png):
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def test_live_redraw_draws_only_the_curves_and_leaves_no_trace():
    # blitting: after moving away and back (cache cleared), the frame equals a fresh explorer's
    a = explore.explore("elu", alpha=(0.1, 2.0))
    *sliders, img = a.widget().children
    sliders[0].value = 1.7
    first = img.value
    a._cache.clear()
    sliders[0].value = 0.3
    b = explore.explore("elu", alpha=(0.1, 2.0))
    b_sliders = b.widget().children[:-1]
    b_sliders[0].value = 0.3
    assert np.array_equal(_pixels(img.value), _pixels(b.widget().children[-1].value))
    assert not np.array_equal(_pixels(first), _pixels(img.value))
    at_03 = bytes(img.value)
    sliders[1].value = 4.0          # new x range: axes redrawn, then curves blitted again
    zoomed = bytes(img.value)
    assert zoomed != at_03 and _pixels(img.value).shape == _pixels(first).shape
    sliders[1].value = 1.0          # a frame seen before comes from the cache
    assert bytes(img.value) == at_03 and (0.3, 1.0) in a._cache


def test_zoom_only_and_compare_widgets_show_the_static_frames():
    for e in (explore.explore("gelu"), explore.compare(["relu", "gelu", "silu"])):
        (zoom, img) = e.widget().children
        assert img.value == e.frames[e.init_index]
        for k, v in enumerate(explore.ZOOMS):
            zoom.value = v
            assert img.value == e.frames[k]


def test_softmax_live_frames_change_with_temperature():
    s = explore.softmax()
    (t, img) = s.widget().children
    before = img.value
    t.value = 3.0
    assert img.value != before and img.value[:4] == b"\x89PNG"


def test_live_frame_after_returning_to_an_x_range_matches_a_fresh_one():
    # backgrounds are cached per x range with their layout: returning to one must not shift curves
    a = explore.explore("elu", alpha=(0.1, 2.0))
    *sliders, img = a.widget().children
    sliders[1].value = 10.0
    sliders[1].value = 0.25
    sliders[0].value = 0.7          # a new parameter value at ×0.25
    sliders[1].value = 1.0          # back to the first x range (cached background), new curve
    b = explore.explore("elu", alpha=(0.1, 2.0))
    b_sliders = b.widget().children[:-1]
    b_sliders[0].value = 0.7
    assert np.array_equal(_pixels(img.value), _pixels(b.widget().children[-1].value))


@pytest.mark.parametrize("name, kw", [
    ("elu", {"alpha": (0.1, 2.0)}), ("softplus", {"beta": (0.5, 5.0), "x": (-2, 2)}),
    ("leaky_relu", {"alpha": (0.0, 1.0), "x": (-3, 3)}), ("threshold", {"threshold": (-1.0, 1.0)}),
])
def test_live_layout_keeps_tick_labels_inside_their_panel(name, kw):
    # the live figure has a fixed layout (no layout engine per frame): at every x range, each
    # panel with its tick labels and titles stays inside the figure and off the other panel
    try:
        e = explore.explore(name, **kw)
    except (TypeError, ValueError) as exc:
        pytest.skip(f"{name}: {exc}")
    *sliders, img = e.widget().children
    state = e._live_render.state
    fig = state["axes"][0].figure
    for zoom in explore.ZOOMS:
        sliders[-1].value = zoom
        renderer = fig.canvas.get_renderer()
        boxes = [ax.get_tightbbox(renderer) for ax in state["axes"]]
        for b in boxes:
            assert b.x0 >= 0 and b.y0 >= 0 and b.x1 <= fig.bbox.x1 and b.y1 <= fig.bbox.y1, (zoom, b.extents)
        for b1, b2 in zip(boxes, boxes[1:]):
            assert b1.x1 <= b2.x0, (zoom, b1.extents, b2.extents)


# ---------------------------------------------------------------------------------------------
# network-level explorers: depth (mean-field signal propagation) and shrinkage (denoising)
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def deep():
    return explore.depth(["sigmoid", "tanh", "hard_tanh"], depth=12, gain=(0.5, 2.0, 0.25))


@pytest.fixture(scope="module")
def shrink():
    return explore.shrinkage()


def _mc_profile(name, gain, depth, width=800, batch=160, seed=0):
    """An independent finite wide net: per layer E[u²] and the error-signal rms ratio to the last."""
    f = A.get(name)
    rng = np.random.default_rng(seed)
    h = rng.normal(size=(batch, width))
    us, ws = [], []
    for _ in range(depth):
        w = rng.normal(0.0, np.sqrt(gain / width), size=(width, width))
        ws.append(w)
        us.append(h @ w)
        h = f(us[-1])
    d = rng.normal(size=us[-1].shape) * f.derivative(us[-1])
    rms = [np.sqrt(np.mean(d ** 2))]
    for layer in range(depth - 2, -1, -1):
        d = (d @ ws[layer + 1].T) * f.derivative(us[layer])
        rms.append(np.sqrt(np.mean(d ** 2)))
    return np.array([np.mean(u ** 2) for u in us]), np.array(rms[::-1]) / rms[0]


def test_depth_frames_controls_and_initial_gain(deep):
    (ctl,) = deep.controls
    assert ctl.values == [0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]
    assert ctl.values[ctl.init] == 1.0          # Glorot/Xavier for square layers
    assert len(deep.frames) == len(deep.alts) == len(ctl.values)
    assert len(set(deep.frames)) == len(deep.frames) and len(set(deep.alts)) == len(deep.alts)
    assert deep.results["gains"] == ctl.values
    assert list(deep.results["layers"]) == list(range(1, 13))
    assert len(deep.html.encode()) <= 600_000
    assert isinstance(deep, explore.Explorer) and WIDGET in deep._repr_mimebundle_()


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "hard_tanh"])
@pytest.mark.parametrize("gain", [0.5, 1.0, 2.0])
def test_depth_mean_field_matches_a_wide_random_net(deep, name, gain):
    k = deep.results["gains"].index(gain)
    q, g = _mc_profile(name, gain, 12)
    spread, ratio = deep.results["spread"][name][k], deep.results["ratio"][name][k]
    assert spread ** 2 == pytest.approx(q, rel=0.15)
    # the gradient ratio spans many decades (sigmoid: ~1e-7 at layer 1): compare logarithms
    assert np.max(np.abs(np.log(ratio / g))) < 0.1
    assert ratio[-1] == 1.0


def test_depth_numbers_are_the_meanfield_recursion(deep):
    from afbook import meanfield

    k = deep.results["gains"].index(1.0)
    qs = meanfield.iterate("tanh", 1.0, 12, 1.0)
    chis = meanfield.chi1("tanh", qs, 1.0)
    expected = [np.sqrt(np.prod(chis[i:-1])) for i in range(12)]
    assert np.allclose(deep.results["ratio"]["tanh"][k], expected, rtol=1e-12)
    assert np.allclose(deep.results["spread"]["tanh"][k], np.sqrt(qs), rtol=1e-12)
    # sigmoid: χ₁ ≤ σ_w² σ′(0)² = σ_w²/16 per layer, so at every gain here its gradient vanishes
    bound = float(A.sigmoid.derivative(0.0)) ** 2
    for k, gain in enumerate(deep.results["gains"]):
        assert deep.results["ratio"]["sigmoid"][k][0] <= (gain * bound) ** (11 / 2) * (1 + 1e-12)
    # tanh and hard tanh: more gain, larger ratio at layer 1 (vanishing below 1, growing above)
    for name in ("tanh", "hard_tanh"):
        first = deep.results["ratio"][name][:, 0]
        assert np.all(np.diff(first) > 0) and first[0] < 0.1 and first[-1] > 1


def test_depth_alt_text_reports_the_numbers(deep):
    k = deep.results["gains"].index(1.0)
    alt = deep.alts[k]
    assert alt.startswith("Mean-field signal propagation through 12 layers with weight variance "
                          "1/fan_in")
    for a in (A.sigmoid, A.tanh, A.hard_tanh):
        r = deep.results["ratio"][a.name][k][0]
        assert f"{a.title} {plotting.fmt(r)} (" in alt
        assert f"{a.title} from 1 to {plotting.fmt(deep.results['spread'][a.name][k][-1])}" in alt
    assert "(vanishes)" in alt      # sigmoid
    assert deep.alts[0].count("(vanishes)") == 3


def test_depth_widget_shows_the_static_frames(deep):
    (slider, img) = deep.widget().children
    assert img.value == deep.frames[deep.init_index]
    for k, v in enumerate(deep.controls[0].values):
        slider.value = v
        assert img.value == deep.frames[k]


def test_depth_dom_contract(deep, html_tags):
    t = html_tags(deep.html)
    ranges = [a for tag, a in t if tag == "input" and a.get("type") == "range"]
    labels = {a["for"] for tag, a in t if tag == "label"}
    assert len(ranges) == 1 and ranges[0]["id"] in labels
    assert ranges[0]["max"] == str(len(deep.frames) - 1)
    assert data_of(deep.html)["alts"] == deep.alts
    imgs = [a for tag, a in t if tag == "img"]
    assert len(imgs) == 1 and imgs[0]["alt"] == deep.alts[deep.init_index]


def test_depth_html_deterministic():
    display.reset_ids()
    a = explore.depth(["tanh", "relu"], depth=5, gain=(0.5, 1.5)).html
    display.reset_ids()
    b = explore.depth(["tanh", "relu"], depth=5, gain=(0.5, 1.5)).html
    assert a == b


def test_shrinkage_frames_and_optimum(shrink):
    (ctl,) = shrink.controls
    assert ctl.values[0] == 0.0 and ctl.values[-1] == 2.0 and len(ctl.values) <= 21
    assert ctl.values[ctl.init] == A.soft_shrink.defaults["lambd"]
    assert len(set(shrink.frames)) == len(shrink.frames) and len(shrink.html.encode()) <= 600_000
    r = shrink.results
    clean, noisy = r["clean"], r["noisy"]
    assert np.count_nonzero(clean) == 8 and clean.size == 60
    # the minima are those of the library's functions on the fine grid, recomputed here
    for name, f in (("soft", A.soft_shrink), ("hard", A.hard_shrink)):
        errs = [np.mean((f(noisy, lambd=lam) - clean) ** 2) for lam in r["lambdas"]]
        assert np.allclose(errs, r[f"mse_{name}"], rtol=0, atol=1e-15)
        best = r[f"best_{name}"]
        assert r[f"mse_{name}"].min() == np.mean((f(noisy, lambd=best) - clean) ** 2)
        assert r[f"best_{name}"] <= r[f"best_{name}_to"]
    # thresholding helps: both minima beat the noisy signal, and λ = 0 is the noisy signal
    assert r["mse_soft"].min() < r["mse_noisy"] and r["mse_hard"].min() < r["mse_noisy"]
    assert r["mse_soft"][0] == r["mse_hard"][0] == r["mse_noisy"]
    assert r["universal"] == pytest.approx(0.5 * np.sqrt(2 * np.log(60)))


def test_shrinkage_alt_text_counts_zeros(shrink):
    (ctl,) = shrink.controls
    k = ctl.values.index(1.0)
    noisy = shrink.results["noisy"]
    zeros = int(np.sum(A.soft_shrink(noisy, lambd=1.0) == 0))
    assert f"(blue circles, {zeros} of 60 exactly 0)" in shrink.alts[k]
    assert f"thresholding at λ = 1." in shrink.alts[k]
    best = plotting.fmt(shrink.results["best_soft"])
    assert all(f"at λ = {best})" in a for a in shrink.alts)


def test_shrinkage_seed_changes_the_data():
    a, b = explore.shrinkage(seed=1, max_frames=5), explore.shrinkage(seed=2, max_frames=5)
    assert not np.array_equal(a.results["noisy"], b.results["noisy"])
    assert len(a.frames) <= 5


@pytest.mark.parametrize("call, exc, word", [
    (lambda: explore.depth("tanh"), TypeError, "names"),
    (lambda: explore.depth([]), ValueError, "names"),
    (lambda: explore.depth(["tanh", "tanh"]), ValueError, "duplicate"),
    (lambda: explore.depth(["nope"]), ValueError, "nope"),
    (lambda: explore.depth(["softmax"]), ValueError, "vector"),
    (lambda: explore.depth(depth=1), ValueError, "depth"),
    (lambda: explore.depth(depth=2.5), TypeError, "depth"),
    (lambda: explore.depth(gain=(0.0, 2.0)), ValueError, "gain"),
    (lambda: explore.depth(gain=(2.0, 1.0)), ValueError, "gain"),
    (lambda: explore.depth(gain=1.0), TypeError, "gain"),
    (lambda: explore.depth(gain=(0.1, 4.0, 0.01)), ValueError, "gain"),
    (lambda: explore.depth(q0=0.0), ValueError, "q0"),
    (lambda: explore.depth(q0="1"), TypeError, "q0"),
    (lambda: explore.depth(max_frames=1), ValueError, "max_frames"),
    (lambda: explore.shrinkage(lambd=(-1.0, 1.0)), ValueError, "lambd"),
    (lambda: explore.shrinkage(lambd=0.5), TypeError, "lambd"),
    (lambda: explore.shrinkage(n=5), ValueError, "n"),
    (lambda: explore.shrinkage(k=0), ValueError, "k"),
    (lambda: explore.shrinkage(k=61), ValueError, "k"),
    (lambda: explore.shrinkage(noise=-0.5), ValueError, "noise"),
    (lambda: explore.shrinkage(noise=True), TypeError, "noise"),
    (lambda: explore.shrinkage(seed=-1), ValueError, "seed"),
    (lambda: explore.shrinkage(max_frames=40), ValueError, "max_frames"),
])
def test_network_explorers_bad_arguments(call, exc, word):
    with pytest.raises(exc, match=word):
        call()


# ---------------------------------------------------------------------------------------------
# the quadrature the depth explorer relies on: cut at the registry's break points (meanfield)
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("q", [0.01, 0.3, 1.0, 5.0, 200.0])
def test_meanfield_breaks_make_hard_tanh_exact(q):
    # hard tanh' jumps at ±1: χ₁ = σ_w² P(|√q Z| < 1) = σ_w² erf(1/√(2q)); V(q) has a corner
    from scipy import special

    exact = 2 * special.erf(1 / math.sqrt(2 * q))
    assert meanfield.chi1("hard_tanh", q, 2.0) == pytest.approx(exact, rel=1e-12)
    f = A.hard_tanh
    mean, var = book.gaussian_moments(lambda z: float(f(z)) ** 2, q)
    assert meanfield.variance_map("hard_tanh", q) == pytest.approx(mean, rel=1e-10)
    # the cut rule changes nothing for a function with breaks only at 0
    assert meanfield.expect(np.abs, q, breaks=(0.0,)) == meanfield.expect(np.abs, q)


def test_meanfield_expect_breaks_validated():
    with pytest.raises(TypeError, match="breaks"):
        meanfield.expect(np.abs, 1.0, breaks=3.0)
    with pytest.raises(ValueError, match="breaks"):
        meanfield.expect(np.abs, 1.0, breaks=(math.nan,))



def test_every_explorer_a_notebook_builds_is_in_builders():
    """The browser and JupyterLab tests find explorer cells by explore.BUILDERS; a notebook
    calling an explorer function missing from it would escape them."""
    import inspect
    import json
    import re
    from pathlib import Path

    assert all(inspect.isfunction(getattr(explore, n)) and n in explore.__all__
               for n in explore.BUILDERS)
    called = set()
    for nb in Path(__file__).resolve().parents[1].glob("chapters/*/*.ipynb"):
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                called |= set(re.findall(r"\bexplore\.(\w+)\(", "".join(cell["source"])))
    assert called, "no explorer call found in the notebooks"
    helpers = {n for n in explore.__all__ if n not in explore.BUILDERS}
    assert called - helpers <= set(explore.BUILDERS), called - helpers - set(explore.BUILDERS)
    assert {"explore", "depth", "shrinkage"} <= called
