"""The registry's qualitative claims, checked numerically (hypothesis + grids + mpmath/scipy integration)."""
import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import activations as A
from afbook import book

ELEMENTWISE = A.names(kind="elementwise")
PROPS = settings(max_examples=40, deadline=None, derandomize=True)

finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
moderate = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False)
extended = st.floats(allow_nan=False, allow_infinity=True, width=64)

# a fine binary grid: kinks at 0, ±0.5, ±1, ±3, 6 are grid points
DELTA = 2.0**-10
FINE = np.arange(-10 * 1024, 10 * 1024 + 1) * DELTA


def _p(name):
    return dict(A.get(name).example_params)


def f(name, x):
    return A.get(name)(np.asarray(x, dtype=np.float64), **_p(name))


def df(name, x):
    return A.get(name).derivative(np.asarray(x, dtype=np.float64), **_p(name))


def _tol(y):
    y = np.abs(np.asarray(y, dtype=np.float64))
    with np.errstate(invalid="ignore", over="ignore"):
        sp = np.where(np.isfinite(y), np.spacing(np.where(np.isfinite(y), y, 0.0)), 0.0)
    return 4 * sp + np.finfo(np.float64).smallest_normal


# ----------------------------------------------------------------------------------------------------
# monotonic
# ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", [n for n in ELEMENTWISE if A.get(n).monotonic])
@PROPS
@given(a=extended, b=extended)
def test_monotonic_claim_holds(name, a, b):
    lo, hi = min(a, b), max(a, b)
    y = f(name, [lo, hi])
    assert y[0] <= y[1] or y[0] - y[1] <= _tol(y[1]), f"{name} claims monotonic but f({lo})={y[0]} > f({hi})={y[1]}"


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_monotonic_claim_on_a_grid(name):
    x = np.concatenate([-np.logspace(300, -3, 300), FINE, np.logspace(-3, 300, 300)])
    x = np.unique(x)
    y = f(name, x)
    drops = np.flatnonzero(y[1:] < y[:-1] - _tol(y[:-1]) - 1e-12)
    if A.get(name).monotonic:
        assert drops.size == 0, f"{name}: f decreases between {x[drops[:3]]} and {x[drops[:3] + 1]}"
    else:
        assert drops.size > 0, f"{name} claims monotonic=False but no decrease found on a dense grid"


# ----------------------------------------------------------------------------------------------------
# range and boundedness
# ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ELEMENTWISE)
@PROPS
@given(x=extended)
def test_values_lie_in_the_closure_of_the_range(name, x):
    lo, hi = A.get(name).range
    y = float(f(name, x))
    assert lo <= y <= hi, f"{name}({x}) = {y} outside the claimed range [{lo}, {hi}]"


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_range_is_tight_and_closedness_is_right(name):
    fn = A.get(name)
    lo, hi = fn.range
    closed_lo, closed_hi = fn.range_closed
    extra = [fn.minimum[0]] if fn.minimum is not None else []
    xs = np.concatenate([FINE, extra, [-1e300, 1e300, -np.inf, np.inf]])
    y = f(name, xs)
    assert np.all((y >= lo) & (y <= hi)), f"{name}: values outside {fn.range}"
    for end, closed, ext, side in ((lo, closed_lo, y.min(), "lower"), (hi, closed_hi, y.max(), "upper")):
        if math.isinf(end):
            assert math.isinf(ext) or abs(ext) > 1e100, f"{name}: {side} end {end} but f stays near {ext}"
            assert not closed, f"{name}: an infinite {side} end cannot be attained"
            continue
        assert ext == pytest.approx(end, rel=1e-9, abs=1e-12), f"{name}: {side} end {end} not approached"
        # on [-10, 10] (plus the interior minimum) a closed end is attained, an open end is not
        y_mid = f(name, np.concatenate([FINE, extra]))
        attained = np.isclose(y_mid, end, rtol=1e-12, atol=1e-15).any()
        assert attained == closed, (
            f"{name}: range_closed says the {side} end {end} is {'' if closed else 'not '}attained, "
            f"but on [-10, 10] it is {'' if attained else 'not '}attained"
        )


# ----------------------------------------------------------------------------------------------------
# odd, zero-centred, saturating
# ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", [n for n in ELEMENTWISE if A.get(n).odd])
@PROPS
@given(x=extended)
def test_odd_functions_are_odd(name, x):
    y = f(name, [x, -x])
    assert y[1] == pytest.approx(-y[0], rel=4e-16, abs=1e-300), f"{name}(-{x}) != -{name}({x})"


@pytest.mark.parametrize("name", [n for n in ELEMENTWISE if not A.get(n).odd])
def test_functions_not_marked_odd_are_not_odd(name):
    x = FINE
    assert np.max(np.abs(f(name, x) + f(name, -x))) > 1e-6, f"{name} is odd but odd is False"


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_zero_centred_means_zero_mean_under_a_standard_normal(name):
    """zero_centred is E[f(Z)] = 0 for Z ~ N(0, 1) (at example_params), by quadrature."""
    act = A.get(name)
    mean, _ = book.gaussian_moments(lambda z: float(act(z, **act.example_params)))
    if act.zero_centred:
        assert abs(mean) < 1e-9, f"{name} is marked zero-centred but E f(Z) = {mean:.3g}"
    else:
        assert abs(mean) > 1e-3, f"{name} has E f(Z) = {mean:.3g} but is not marked zero-centred"


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_saturating_claim(name):
    claim = A.get(name).saturating
    assert claim in ("none", "left", "right", "both")
    d_left, d_right = np.abs(df(name, [-1e8, 1e8]))
    for side, d in (("left", d_left), ("right", d_right)):
        if claim in (side, "both"):
            assert d <= 1e-6, f"{name}: saturating={claim!r} but |f'| = {d} on the {side}"
        else:
            assert d > 1e-3, f"{name}: saturating={claim!r} but f' = {d} -> 0 on the {side} too"


# ----------------------------------------------------------------------------------------------------
# smoothness: measured on a 2^-10 grid over [-10, 10] from jumps in f, f' and the difference quotient of f'
# ----------------------------------------------------------------------------------------------------
def measured_smoothness(name):
    y, d = f(name, FINE), df(name, FINE)
    jump = 0.05
    if np.max(np.abs(np.diff(y))) > jump:
        return "discontinuous"
    if np.max(np.abs(np.diff(d))) > jump:
        return "C0"
    if np.max(np.abs(np.diff(np.diff(d) / DELTA))) > jump:
        return "C1"
    return "Cinf"


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_smoothness_claim(name):
    claim = A.get(name).smoothness
    assert claim in ("discontinuous", "C0", "C1", "Cinf")
    assert measured_smoothness(name) == claim, f"{name}: smoothness {claim!r} disagrees with the measurement"


# ----------------------------------------------------------------------------------------------------
# interior minimum, checked with an mpmath root of f'
# ----------------------------------------------------------------------------------------------------
def _mp_sig(x):
    return 1 / (1 + mp.exp(-x))


def _mp_softplus(x):
    return mp.log1p(mp.exp(x))


MP_FUNCS = {
    "swish": lambda x, beta: x * _mp_sig(beta * x),
    "silu": lambda x: x * _mp_sig(x),
    "mish": lambda x: x * mp.tanh(_mp_softplus(x)),
    "gelu": lambda x, approximate="none": (
        x * mp.ncdf(x) if approximate == "none"
        else x * _mp_sig(2 * mp.sqrt(2 / mp.pi) * (x + mp.mpf("0.044715") * x**3))),
    "hard_swish": lambda x: x * min(max(x + 3, 0), 6) / 6,
}


@pytest.mark.parametrize("name", [n for n in ELEMENTWISE if A.get(n).minimum is not None])
def test_minimum_agrees_with_mpmath(name):
    fn = A.get(name)
    if name not in MP_FUNCS:
        pytest.fail(f"add an mpmath version of {name} to MP_FUNCS")
    xm, fm = fn.minimum
    p = {k: (mp.mpf(v) if isinstance(v, float) else v) for k, v in fn.example_params.items()}
    g = MP_FUNCS[name]
    with mp.workdps(50):
        x_star = mp.findroot(lambda t: mp.diff(lambda s: g(s, **p), t), mp.mpf(xm))
        f_star = g(x_star, **p)
        assert mp.diff(lambda s: g(s, **p), x_star, 2) > 0, f"{name}: the root of f' is not a minimum"
    assert xm == pytest.approx(float(x_star), abs=1e-6), f"{name}: argmin {xm} vs mpmath {x_star}"
    assert fm == pytest.approx(float(f_star), rel=1e-12), f"{name}: min {fm} vs mpmath {f_star}"
    # global: nothing on a wide grid lies below it
    assert np.min(f(name, np.concatenate([FINE, np.linspace(-1e3, 1e3, 20001)]))) >= fm - 1e-12
    assert fn.range[0] == pytest.approx(fm, rel=1e-12), f"{name}: range[0] should be the minimum value"


@pytest.mark.parametrize("name", [n for n in ELEMENTWISE if A.get(n).minimum is None])
def test_no_missing_interior_minimum(name):
    fn = A.get(name)
    assert fn.monotonic or not fn.bounded_below, f"{name} is non-monotonic and bounded below: give its minimum"


# ----------------------------------------------------------------------------------------------------
# self-normalising
# ----------------------------------------------------------------------------------------------------
def _gauss_moments(name):
    return book.gaussian_moments(lambda z: f(name, z))


def test_selu_is_marked_self_normalising():
    assert A.selu.self_normalising is True


@pytest.mark.parametrize("name", [n for n in ELEMENTWISE if A.get(n).self_normalising])
def test_self_normalising_fixed_point(name):
    mean, var = _gauss_moments(name)
    assert abs(mean) < 1e-8, f"{name}: E[f(Z)] = {mean} for Z ~ N(0, 1)"
    assert abs(var - 1) < 1e-8, f"{name}: Var[f(Z)] = {var} for Z ~ N(0, 1)"


@pytest.mark.parametrize("name", ["relu", "elu", "tanh", "gelu", "silu"])
def test_common_activations_are_not_fixed_points(name):
    if name not in ELEMENTWISE:
        pytest.skip(f"{name} not registered")
    assert not A.get(name).self_normalising
    mean, var = _gauss_moments(name)
    assert abs(mean) > 1e-3 or abs(var - 1) > 1e-3


# ====================================================================================================
# vector activations: the softmax family, glu, maxout, frelu
# ====================================================================================================
from hypothesis.extra import numpy as hnp  # noqa: E402

SOFTMAX = ["softmax", "log_softmax", "softmin"]
EPS = np.finfo(np.float64).eps


@st.composite
def array_and_axis(draw, lo=-1e3, hi=1e3):
    x = draw(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=5),
                        elements=st.floats(lo, hi, allow_nan=False)))
    axis = draw(st.integers(-x.ndim, x.ndim - 1))
    return x, axis


@PROPS
@given(xa=array_and_axis(), t=st.sampled_from([0.1, 1.0, 3.0]))
def test_softmax_sums_to_one_along_the_axis(xa, t):
    x, axis = xa
    s = A.softmax(x, axis=axis, temperature=t)
    assert s.shape == x.shape and np.all(s >= 0) and np.all(s <= 1)
    np.testing.assert_allclose(np.sum(s, axis=axis), 1.0, rtol=0, atol=4 * x.shape[axis] * EPS)


@PROPS
@given(xa=array_and_axis(), t=st.sampled_from([0.5, 1.0, 2.0]))
def test_log_softmax_is_log_of_softmax(xa, t):
    x, axis = xa
    s = A.softmax(x, axis=axis, temperature=t)
    ls = A.log_softmax(x, axis=axis, temperature=t)
    ok = s > 1e-300
    np.testing.assert_allclose(ls[ok], np.log(s[ok]), rtol=1e-13, atol=1e-13)
    assert np.all(ls <= 0)


@PROPS
@given(xa=array_and_axis(-100, 100), c=st.floats(-100, 100))
def test_softmax_shift_invariance(xa, c):
    x, axis = xa
    for name in SOFTMAX:
        fn = A.get(name)
        np.testing.assert_allclose(fn(x + c, axis=axis), fn(x, axis=axis), rtol=1e-11, atol=1e-12,
                                   err_msg=name)


@PROPS
@given(xa=array_and_axis())
def test_softmin_is_softmax_of_minus_x(xa):
    x, axis = xa
    np.testing.assert_array_equal(A.softmin(x, axis=axis), A.softmax(-x, axis=axis))
    np.testing.assert_array_equal(A.softmin(x, axis=axis, temperature=2.5),
                                  A.softmax(-x, axis=axis, temperature=2.5))


def test_softmax_axis_is_honoured():
    x = np.random.default_rng(3).normal(size=(4, 5, 6))
    for name in SOFTMAX:
        fn = A.get(name)
        np.testing.assert_array_equal(fn(x), fn(x, axis=2))
        np.testing.assert_allclose(fn(x, axis=0), np.moveaxis(fn(np.moveaxis(x, 0, -1)), -1, 0), rtol=1e-15)
        np.testing.assert_allclose(fn(x, axis=-2), np.swapaxes(fn(np.swapaxes(x, 1, 2)), 1, 2), rtol=1e-15)
    np.testing.assert_allclose(np.sum(A.softmax(x, axis=0), axis=0), 1.0, atol=1e-15)


def test_softmax_temperature_limits():
    x = np.array([0.1, 2.0, -1.0, 1.5])
    onehot = np.array([0.0, 1.0, 0.0, 0.0])
    np.testing.assert_allclose(A.softmax(x, temperature=1e-3), onehot, rtol=0, atol=1e-200)
    np.testing.assert_allclose(A.softmax(x, temperature=1e-12), onehot, rtol=0, atol=0)
    np.testing.assert_allclose(A.softmin(x, temperature=1e-3), [0, 0, 1, 0], rtol=0, atol=1e-200)
    np.testing.assert_allclose(A.softmax(x, temperature=1e8), np.full(4, 0.25), rtol=1e-7)
    np.testing.assert_allclose(A.softmax(x, temperature=1e300), np.full(4, 0.25), rtol=1e-15)
    ls = A.log_softmax(x, temperature=1e-3)  # exact: (x - max)/T where the others vanish
    np.testing.assert_allclose(ls, (x - 2.0) / 1e-3, rtol=1e-12, atol=1e-300)
    # the largest probability grows as T falls
    top = [A.softmax(x, temperature=t)[1] for t in (10.0, 3.0, 1.0, 0.3, 0.1)]
    assert all(a < b for a, b in zip(top, top[1:]))
    # T scales the logits: softmax(x, T) == softmax(x / T)
    np.testing.assert_allclose(A.softmax(x, temperature=0.7), A.softmax(x / 0.7), rtol=1e-14)


def test_softmax_of_large_logits_is_exact():
    import mpmath as mp_

    x = np.array([1000.0, 1001.0, 1002.0])
    s = A.softmax(x)
    with mp_.workdps(50):
        den = sum(mp_.exp(mp_.mpf(v) - 1002) for v in x)
        exact = [float(mp_.exp(mp_.mpf(v) - 1002) / den) for v in x]
        exact_log = [float(mp_.mpf(v) - 1002 - mp_.log(den)) for v in x]
    np.testing.assert_allclose(s, exact, rtol=4 * EPS)
    np.testing.assert_allclose(A.log_softmax(x), exact_log, rtol=4 * EPS)
    assert np.all(np.isfinite(A.softmax(np.array([-1e308, 0.0, 1e308]))))
    np.testing.assert_array_equal(A.softmax(np.array([-1e308, 0.0, 1e308])), [0.0, 0.0, 1.0])
    # float32 keeps its dtype and stays finite where exp overflows
    s32 = A.softmax(np.array([1000, 1001, 1002], dtype=np.float32))
    assert s32.dtype == np.float32
    np.testing.assert_allclose(s32, exact, rtol=4 * np.finfo(np.float32).eps)


def test_softmax_infinite_entries_follow_the_docstring():
    """Documented: +inf entries share the mass equally, -inf entries get 0, a row of all -inf (or with
    nan) gives nan -- without a warning; other rows are unaffected."""
    import warnings

    x = np.array([[np.inf, np.inf, 1.0, -np.inf],
                  [-np.inf, 0.0, 0.0, -np.inf],
                  [-np.inf, -np.inf, -np.inf, -np.inf],
                  [np.nan, 0.0, 1.0, 2.0],
                  [0.0, 0.0, 0.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = A.softmax(x)
        ls = A.log_softmax(x)
    np.testing.assert_array_equal(s[0], [0.5, 0.5, 0.0, 0.0])
    np.testing.assert_array_equal(s[1], [0.0, 0.5, 0.5, 0.0])
    assert np.isnan(s[2]).all() and np.isnan(s[3]).all()
    np.testing.assert_allclose(s[4], 0.25, rtol=1e-15)
    np.testing.assert_allclose(ls[0], [-np.log(2), -np.log(2), -np.inf, -np.inf])
    np.testing.assert_allclose(ls[1], [-np.inf, -np.log(2), -np.log(2), -np.inf])
    assert np.isnan(ls[2]).all() and np.isnan(ls[3]).all()
    assert "all" in A.softmax.__doc__ and "nan" in A.softmax.__doc__


def _fd_jacobian(fn, x, h=1e-6, **kw):
    """Central-difference Jacobian along the last axis: shape (..., m, n)."""
    cols = []
    for j in range(x.shape[-1]):
        e = np.zeros(x.shape[-1])
        e[j] = h
        cols.append((fn(x + e, **kw) - fn(x - e, **kw)) / (2 * h))
    return np.stack(cols, axis=-1)


@pytest.mark.parametrize("name", SOFTMAX)
@pytest.mark.parametrize("t", [1.0, 0.5, 4.0])
def test_softmax_family_jacobian(name, t):
    fn = A.get(name)
    x = np.random.default_rng(5).normal(size=(2, 3, 5)) * 2
    J = fn.jacobian(x, temperature=t)
    assert J.shape == (2, 3, 5, 5) and J.dtype == np.float64
    np.testing.assert_allclose(J, _fd_jacobian(fn, x, temperature=t), rtol=1e-6, atol=1e-8)
    if name == "softmax":
        s = A.softmax(x, temperature=t)
        closed = (np.einsum("...i,ij->...ij", s, np.eye(5)) - s[..., :, None] * s[..., None, :]) / t
        np.testing.assert_allclose(J, closed, rtol=1e-14, atol=1e-16)
        np.testing.assert_allclose(J.sum(axis=-2), 0.0, atol=1e-15)  # columns sum to 0: sum(s) is constant


@pytest.mark.parametrize("name", SOFTMAX)
def test_softmax_family_jacobian_axis(name):
    fn = A.get(name)
    x = np.random.default_rng(6).normal(size=(5, 3))
    J0 = fn.jacobian(x, axis=0)
    assert J0.shape == (3, 5, 5)
    np.testing.assert_allclose(J0, fn.jacobian(x.T), rtol=1e-15)
    assert fn.jacobian(np.zeros(4)).shape == (4, 4)


def test_glu_halves_and_axis():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(3, 8)) * 3
    a, b = x[:, :4], x[:, 4:]
    sig = 1 / (1 + np.exp(-b))
    np.testing.assert_allclose(A.glu(x), a * sig, rtol=1e-15)
    np.testing.assert_allclose(A.glu(x.T, axis=0), (a * sig).T, rtol=1e-15)
    assert A.glu(np.zeros((2, 6, 3)), axis=1).shape == (2, 3, 3)
    assert A.glu(np.array([2.0, 0.0])) == 1.0


def test_glu_jacobian():
    x = np.random.default_rng(8).normal(size=(2, 6)) * 2
    J = A.glu.jacobian(x)
    assert J.shape == (2, 3, 6)
    np.testing.assert_allclose(J, _fd_jacobian(A.glu, x), rtol=1e-6, atol=1e-8)


def test_glu_infinite_inputs_give_the_limit():
    # a = ±inf with a gate that is not closed: the product is ±inf
    np.testing.assert_array_equal(A.glu(np.array([np.inf, 0.0])), [np.inf])
    np.testing.assert_array_equal(A.glu(np.array([-np.inf, 5.0])), [-np.inf])
    # finite a, gate b = ±inf: a·0 and a·1
    np.testing.assert_array_equal(A.glu(np.array([3.0, -2.0, -np.inf, np.inf])), [0.0, -2.0])


def test_maxout_groups_of_k():
    x = np.random.default_rng(9).normal(size=(4, 12))
    for k in (1, 2, 3, 4, 6, 12):
        y = A.maxout(x, k=k)
        assert y.shape == (4, 12 // k)
        np.testing.assert_array_equal(y, x.reshape(4, 12 // k, k).max(axis=-1))
    np.testing.assert_array_equal(A.maxout(x.T, k=3, axis=0), x.reshape(4, 4, 3).max(axis=-1).T)
    z = np.linspace(-3, 3, 13)
    np.testing.assert_array_equal(A.maxout(np.stack([np.zeros_like(z), z], -1).ravel(), k=2), np.maximum(z, 0))
    np.testing.assert_array_equal(A.maxout(np.stack([z, -z], -1).ravel(), k=2), np.abs(z))


def test_maxout_jacobian_selects_the_maximum():
    x = np.random.default_rng(10).normal(size=(2, 6))
    J = A.maxout.jacobian(x, k=3)
    assert J.shape == (2, 2, 6)
    np.testing.assert_allclose(J, _fd_jacobian(A.maxout, x, k=3), atol=1e-8)


def _depthwise_corr(x, w, b):
    """PyTorch conv2d semantics (cross-correlation), groups = C, zero padding, stride 1."""
    C, kh, kw = w.shape
    H, W = x.shape[-2:]
    xp = np.pad(x, [(0, 0)] * (x.ndim - 2) + [(kh // 2,) * 2, (kw // 2,) * 2])
    out = np.zeros_like(x)
    for c in range(C):
        for i in range(H):
            for j in range(W):
                out[..., c, i, j] = np.sum(xp[..., c, i:i + kh, j:j + kw] * w[c], axis=(-2, -1)) + b[c]
    return out


def test_frelu_is_max_of_x_and_a_depthwise_convolution():
    rng = np.random.default_rng(11)
    x = rng.normal(size=(2, 3, 5, 6))
    w = rng.normal(size=(3, 3, 3))  # not symmetric: catches a flipped kernel
    b = np.array([0.1, -0.2, 0.3])
    y = A.frelu(x, weight=w, bias=b)
    assert y.shape == x.shape
    np.testing.assert_allclose(y, np.maximum(x, _depthwise_corr(x, w, b)), rtol=1e-13, atol=1e-13)
    # a single image (C, H, W) works too
    np.testing.assert_allclose(A.frelu(x[0], weight=w, bias=b), y[0], rtol=1e-15)
    # zero kernel and bias: FReLU is ReLU
    np.testing.assert_array_equal(A.frelu(x, weight=np.zeros((3, 3, 3))), np.maximum(x, 0))
    assert np.all(y >= x)


@pytest.mark.parametrize("bad", [
    dict(x=np.zeros((4, 4)), weight=np.zeros((1, 3, 3))),            # no channel axis
    dict(x=np.zeros((2, 4, 4)), weight=np.zeros((3, 3, 3))),         # channel mismatch
    dict(x=np.zeros((1, 4, 4)), weight=np.zeros((1, 2, 2))),         # even kernel
    dict(x=np.zeros((1, 4, 4)), weight=np.zeros((1, 3, 3)), bias=np.zeros(2)),
])
def test_frelu_bad_shapes(bad):
    x = bad.pop("x")
    with pytest.raises(ValueError) as excinfo:
        A.frelu(x, **bad)
    assert "frelu" in str(excinfo.value)
