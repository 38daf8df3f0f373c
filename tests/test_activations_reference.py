"""Reference values and derivatives of every elementwise activation, checked against mpmath.

Each activation is evaluated in float64 and float32 on adversarial inputs and a dense grid in [-40, 40]
and compared with a 50-digit mpmath evaluation of the same (exactly representable) input. The error is
measured in ULPs of the correctly rounded result; errors below the dtype's smallest normal number are
accepted (results in the subnormal range may lose relative precision). The allowance is 4 ULP, plus the
condition number |x f'/f| where the definition itself rounds an inner argument (see
`_inexact_inner_argument`).

Derivatives are compared with `mpmath.diff` away from kinks, with central finite differences in float64,
and with PyTorch's autograd conventions exactly at the kinks.
"""
import math

import mpmath as mp
import numpy as np
import pytest

import activations as A

DPS = 50
MAX_ULP = {np.float64: 4.0, np.float32: 4.0}

SELU_ALPHA = mp.mpf("1.6732632423543772848170429916717")
SELU_LAMBDA = mp.mpf("1.0507009873554804934193349852946")

ELEMENTWISE = A.names(kind="elementwise")


# ----------------------------------------------------------------------------------------------------
# 50-digit references. `x` is a finite mpf; parameters arrive as mpf (numbers) or as they are (str, ...).
# ----------------------------------------------------------------------------------------------------
def _sig(x):
    if x >= 0:
        return 1 / (1 + mp.exp(-x))
    e = mp.exp(x)
    return e / (1 + e)


def _softplus(x):
    return x + mp.log1p(mp.exp(-x)) if x > 0 else mp.log1p(mp.exp(x))


def _ncdf(x):
    if x < -1e6:  # Phi(x) < exp(-5e11): zero for every float format
        return mp.mpf(0)
    if x > 1e6:
        return mp.mpf(1)
    return mp.erfc(-x / mp.sqrt(2)) / 2


def _clip(v, lo, hi):
    return min(max(v, lo), hi)


def _tanh_shrink(x):
    if abs(x) < mp.mpf("1e-4"):  # x - tanh(x) cancels; use the Taylor series (error ~ x^11)
        return x**3 / 3 - 2 * x**5 / 15 + 17 * x**7 / 315 - 62 * x**9 / 2835
    return x - mp.tanh(x)


def _rational(v):
    """The float 1/6 stands for one sixth (PyTorch's hardsigmoid is x/6 + 1/2)."""
    return mp.mpf(1) / 6 if v == mp.mpf(1 / 6) else v


def _gelu(x, approximate="none"):
    if approximate == "none":
        return x * _ncdf(x)
    if approximate == "tanh":
        z = mp.sqrt(2 / mp.pi) * (x + mp.mpf("0.044715") * x**3)
        return x * _sig(2 * z)  # 0.5 x (1 + tanh z) == x sigmoid(2z), without the cancellation
    raise ValueError(approximate)


def _softplus_p(x, beta=1, threshold=20):
    if beta * x > threshold:  # PyTorch: linear when input*beta > threshold
        return x
    return _softplus(beta * x) / beta


REF = {
    "step": lambda x, at_zero=0: mp.mpf(1) if x > 0 else (at_zero if x == 0 else mp.mpf(0)),
    "identity": lambda x: x,
    "sigmoid": _sig,
    "hard_sigmoid": lambda x, slope: _clip(_rational(slope) * x + mp.mpf("0.5"), 0, 1),
    "log_sigmoid": lambda x: -_softplus(-x),
    "swish": lambda x, beta: x * _sig(beta * x),
    "silu": lambda x: x * _sig(x),
    "hard_swish": lambda x: x * _clip(x + 3, 0, 6) / 6,
    "mish": lambda x: x * mp.tanh(_softplus(x)),
    "relu": lambda x: max(x, 0),
    "relu6": lambda x: _clip(x, 0, 6),
    "leaky_relu": lambda x, alpha: x if x >= 0 else alpha * x,
    "prelu": lambda x, alpha: x if x >= 0 else alpha * x,
    "rrelu": lambda x, lower, upper, training=False, rng=None: x if x >= 0 else (lower + upper) / 2 * x,
    "elu": lambda x, alpha: x if x > 0 else alpha * mp.expm1(x),
    "celu": lambda x, alpha: max(x, 0) + min(0, alpha * mp.expm1(x / alpha)),
    "selu": lambda x: SELU_LAMBDA * (x if x > 0 else SELU_ALPHA * mp.expm1(x)),
    "gelu": _gelu,
    "softplus": _softplus_p,
    "softsign": lambda x: x / (1 + abs(x)),
    "tanh": mp.tanh,
    "hard_tanh": lambda x, min_val, max_val: _clip(x, min_val, max_val),
    "tanh_shrink": _tanh_shrink,
    "soft_shrink": lambda x, lambd: x - lambd if x > lambd else (x + lambd if x < -lambd else mp.mpf(0)),
    "hard_shrink": lambda x, lambd: x if abs(x) > lambd else mp.mpf(0),
    "threshold": lambda x, threshold, value: x if x > threshold else value,
}

INF = math.inf


def _swish_limits(beta):
    if beta > 0:
        return (0.0, INF)
    return (-INF, INF) if beta == 0 else (-INF, 0.0)


# f(-inf), f(+inf) as functions of the (float) parameters
LIMITS = {
    "step": lambda p: (0.0, 1.0),
    "identity": lambda p: (-INF, INF),
    "sigmoid": lambda p: (0.0, 1.0),
    "hard_sigmoid": lambda p: (0.0, 1.0),
    "log_sigmoid": lambda p: (-INF, 0.0),
    "swish": lambda p: _swish_limits(p["beta"]),
    "silu": lambda p: (0.0, INF),
    "hard_swish": lambda p: (0.0, INF),
    "mish": lambda p: (0.0, INF),
    "relu": lambda p: (0.0, INF),
    "relu6": lambda p: (0.0, 6.0),
    "leaky_relu": lambda p: (-INF, INF),
    "prelu": lambda p: (-INF, INF),
    "rrelu": lambda p: (-INF, INF),
    "elu": lambda p: (-p["alpha"], INF),
    "celu": lambda p: (-p["alpha"], INF),
    "selu": lambda p: (-float(SELU_LAMBDA * SELU_ALPHA), INF),
    "gelu": lambda p: (0.0, INF),
    "softplus": lambda p: (0.0, INF),
    "softsign": lambda p: (-1.0, 1.0),
    "tanh": lambda p: (-1.0, 1.0),
    "hard_tanh": lambda p: (p["min_val"], p["max_val"]),
    "tanh_shrink": lambda p: (-INF, INF),
    "soft_shrink": lambda p: (-INF, INF),
    "hard_shrink": lambda p: (-INF, INF),
    "threshold": lambda p: (p["value"], INF),
}

# f'(-inf), f'(+inf)
DLIMITS = {
    "step": lambda p: (0.0, 0.0),
    "identity": lambda p: (1.0, 1.0),
    "sigmoid": lambda p: (0.0, 0.0),
    "hard_sigmoid": lambda p: (0.0, 0.0),
    "log_sigmoid": lambda p: (1.0, 0.0),
    "swish": lambda p: (0.0, 1.0) if p["beta"] > 0 else ((0.5, 0.5) if p["beta"] == 0 else (1.0, 0.0)),
    "silu": lambda p: (0.0, 1.0),
    "hard_swish": lambda p: (0.0, 1.0),
    "mish": lambda p: (0.0, 1.0),
    "relu": lambda p: (0.0, 1.0),
    "relu6": lambda p: (0.0, 0.0),
    "leaky_relu": lambda p: (p["alpha"], 1.0),
    "prelu": lambda p: (p["alpha"], 1.0),
    "rrelu": lambda p: ((p["lower"] + p["upper"]) / 2, 1.0),
    "elu": lambda p: (0.0, 1.0),
    "celu": lambda p: (0.0, 1.0),
    "selu": lambda p: (0.0, float(SELU_LAMBDA)),
    "gelu": lambda p: (0.0, 1.0),
    "softplus": lambda p: (0.0, 1.0),
    "softsign": lambda p: (0.0, 0.0),
    "tanh": lambda p: (0.0, 0.0),
    "hard_tanh": lambda p: (0.0, 0.0),
    "tanh_shrink": lambda p: (1.0, 1.0),
    "soft_shrink": lambda p: (1.0, 1.0),
    "hard_shrink": lambda p: (1.0, 1.0),
    "threshold": lambda p: (0.0, 1.0),
}

# points where f is not differentiable or its formula switches branch (skipped by the smooth checks)
KINKS = {
    "step": lambda p: [0.0],
    "softsign": lambda p: [0.0],  # f'' jumps: central differences are only O(h) there
    "hard_sigmoid": lambda p: [-0.5 / p["slope"], 0.5 / p["slope"]],
    "hard_swish": lambda p: [-3.0, 3.0],
    "relu": lambda p: [0.0],
    "relu6": lambda p: [0.0, 6.0],
    "leaky_relu": lambda p: [0.0],
    "prelu": lambda p: [0.0],
    "rrelu": lambda p: [0.0],
    "elu": lambda p: [0.0],
    "celu": lambda p: [0.0],
    "selu": lambda p: [0.0],
    "softplus": lambda p: [p["threshold"] / p["beta"]],
    "hard_tanh": lambda p: [p["min_val"], p["max_val"]],
    "soft_shrink": lambda p: [-p["lambd"], p["lambd"]],
    "hard_shrink": lambda p: [-p["lambd"], p["lambd"]],
    "threshold": lambda p: [p["threshold"]],
}

# Non-default parameters checked in addition to `example_params`.
EXTRA_PARAMS = [
    ("gelu", {"approximate": "tanh"}),
    ("hard_sigmoid", {"slope": 0.2}),
    ("leaky_relu", {"alpha": 0.2}),
    ("elu", {"alpha": 0.5}),
    ("celu", {"alpha": 2.0}),
    ("swish", {"beta": 1.5}),
    ("softplus", {"beta": 2.0, "threshold": 10.0}),
    ("soft_shrink", {"lambd": 1.0}),
    ("step", {"at_zero": 1.0}),
]


def _params(name, override=None):
    p = dict(A.get(name).example_params)
    p.update(override or {})
    return p


CASES = [pytest.param(n, {}, id=n) for n in ELEMENTWISE] + [
    pytest.param(n, o, id=f"{n}[{','.join(f'{k}={v}' for k, v in o.items())}]")
    for n, o in EXTRA_PARAMS
    if n in ELEMENTWISE
]


def _mp_params(p):
    return {k: (mp.mpf(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v) for k, v in p.items()}


def _reference(name):
    if name not in REF:
        pytest.fail(f"no mpmath reference for {name!r}: add it to REF/LIMITS/DLIMITS in {__name__}")
    return REF[name]


def exact_value(name, x, p):
    """f(x) for a float x: an mpf for finite x, the limit (float) for ±inf, nan for nan."""
    if math.isnan(x):
        return math.nan
    if math.isinf(x):
        lo, hi = LIMITS[name](p)
        return lo if x < 0 else hi
    with mp.workdps(DPS):
        return _reference(name)(mp.mpf(x), **_mp_params(p))


def ulp_error(y, e, dtype):
    """(ulps, excused): error of the computed y against the exact e, in ULPs of e rounded to dtype.

    `excused` is True when the absolute error is below the dtype's smallest normal number.
    """
    y = float(y)
    if isinstance(e, float) and not math.isfinite(e):
        if math.isnan(e):
            return (0.0 if math.isnan(y) else math.inf), False
        return (0.0 if y == e else math.inf), False
    with np.errstate(over="ignore", under="ignore"):
        rounded = dtype(float(e))
    if np.isinf(rounded):  # the exact result overflows the dtype: inf is the correctly rounded answer
        return (0.0 if y == float(rounded) else math.inf), False
    if not math.isfinite(y):
        return math.inf, False
    with mp.workdps(DPS):
        err = abs(mp.mpf(y) - e)
        ulps = float(err / mp.mpf(float(np.spacing(abs(rounded)))))
        excused = err <= mp.mpf(float(np.finfo(dtype).smallest_normal))
    return ulps, excused


def _inexact_inner_argument(name, p):
    """True where the definition scales x by a constant that no float represents exactly.

    gelu evaluates erfc(x/sqrt(2)) (or tanh of sqrt(2/pi)(x + 0.044715 x^3)); hard_sigmoid computes
    x/6 + 1/2 (cancels near its lower clip); swish, softplus and celu scale x by beta or 1/alpha. The
    rounding of that inner argument is amplified by the condition number of f, so these are allowed
    4 + 2 kappa(x) ULP, kappa = |x f'(x) / f(x)|: the forward error of an evaluation whose inner argument
    carries up to two roundings.
    Everything else must be within 4 ULP outright.
    """
    if name in ("gelu", "hard_sigmoid"):
        return True
    if name == "swish":
        return p["beta"] not in (1.0, 2.0, 0.5)
    if name == "softplus":
        return p["beta"] not in (1.0, 2.0, 0.5)
    if name == "celu":
        return p["alpha"] not in (1.0, 2.0, 0.5)
    return False


def condition_number(name, x, p):
    """|x f'(x) / f(x)| from mpmath (1 for huge |x|, 0 where f(x) = 0)."""
    if not math.isfinite(x) or abs(x) > 1e6:
        return 1.0
    with mp.workdps(DPS):
        fx = exact_value(name, x, p)
        if fx == 0:
            return 0.0
        return float(abs(mp.mpf(x) * _exact_derivative(name, x, p) / fx))


def _check_ulps(name, override, x, dtype, label):
    fn = A.get(name)
    p = _params(name, override)
    x = np.asarray(x, dtype=dtype)
    y = fn(x, **p)
    assert y.dtype == dtype, f"{name}: {dtype.__name__} input gave {y.dtype}"
    use_kappa = _inexact_inner_argument(name, p)
    bad, worst, worst_rel = [], 0.0, 0.0
    for xi, yi in zip(x.tolist(), y.tolist()):
        ulps, excused = ulp_error(yi, exact_value(name, xi, p), dtype)
        if excused:
            continue
        worst = max(worst, ulps)
        allowed = MAX_ULP[dtype]
        if use_kappa and ulps > allowed:
            allowed += 2 * condition_number(name, xi, p)
        worst_rel = max(worst_rel, ulps / allowed)
        if ulps > allowed:
            bad.append((xi, yi, float(exact_value(name, xi, p)), ulps, allowed))
    print(f"\nmax ulp {name}{override or ''} {dtype.__name__} {label}: {worst:.3g}"
          f" ({worst_rel:.2f} of the allowance{', 4 + 2 kappa' if use_kappa else ''})")
    assert not bad, (
        f"{name}{override or ''} {dtype.__name__}: {len(bad)} results off by more than allowed "
        f"(x, got, exact, ulps, allowed ulps), first 8: {bad[:8]}"
    )


# ----------------------------------------------------------------------------------------------------
# values
# ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("name,override", CASES)
def test_adversarial_values_within_ulps(name, override, dtype, adversarial):
    _check_ulps(name, override, adversarial(dtype), dtype, "adversarial")


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("name,override", CASES)
def test_dense_grid_within_ulps(name, override, dtype, dense_grid):
    _check_ulps(name, override, dense_grid(dtype=dtype), dtype, "dense [-40, 40]")


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64], ids=["f16", "f32", "f64"])
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_infinities_give_the_limit_and_nan_gives_nan(name, dtype):
    fn = A.get(name)
    p = _params(name)
    lo, hi = LIMITS[name](p)
    y = fn(np.array([-np.inf, np.inf, np.nan], dtype=dtype), **p)
    assert y[0] == dtype(lo), f"{name}(-inf) = {y[0]}, the limit is {lo}"
    assert y[1] == dtype(hi), f"{name}(+inf) = {y[1]}, the limit is {hi}"
    assert np.isnan(y[2]), f"{name}(nan) = {y[2]}, expected nan"


# ----------------------------------------------------------------------------------------------------
# derivatives
# ----------------------------------------------------------------------------------------------------
def _near_kink(name, p, x, tol):
    return any(abs(x - k) <= tol * max(1.0, abs(k)) for k in KINKS.get(name, lambda p: [])(p))


def _exact_derivative(name, x, p):
    ref = _reference(name)
    mpp = _mp_params(p)
    with mp.workdps(DPS):
        return mp.diff(lambda t: ref(t, **mpp), mp.mpf(x))


DERIV_TOL = {np.float64: 16 * np.finfo(np.float64).eps, np.float32: 16 * np.finfo(np.float32).eps}


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["f64", "f32"])
@pytest.mark.parametrize("name,override", CASES)
def test_derivative_matches_mpmath_away_from_kinks(name, override, dtype, adversarial, dense_grid):
    """|f'(x) - exact| <= 16 eps (1 + |exact|): absolute near zero, relative for large slopes."""
    fn = A.get(name)
    p = _params(name, override)
    xs = np.concatenate([adversarial(dtype), dense_grid(n=161, dtype=dtype)])
    xs = xs[np.isfinite(xs) & (np.abs(xs) <= 1e10)]
    xs = np.array([x for x in xs.tolist() if not _near_kink(name, p, x, 1e-12)], dtype=dtype)
    d = fn.derivative(xs, **p)
    assert d.dtype == dtype
    tol = DERIV_TOL[dtype]
    bad, worst = [], 0.0
    for xi, di in zip(xs.tolist(), d.tolist()):
        e = _exact_derivative(name, xi, p)
        err = float(abs(mp.mpf(di) - e)) if math.isfinite(di) else math.inf
        scaled = err / (1 + abs(float(e)))
        worst = max(worst, scaled / np.finfo(dtype).eps)
        if scaled > tol:
            bad.append((xi, di, float(e)))
    print(f"\nmax derivative error {name}{override or ''} {dtype.__name__}: {worst:.3g} eps")
    assert not bad, f"{name}.derivative{override or ''} {dtype.__name__} (x, got, exact), first 8: {bad[:8]}"


@pytest.mark.parametrize("name,override", CASES)
def test_derivative_matches_central_differences(name, override, dense_grid):
    fn = A.get(name)
    p = _params(name, override)
    h = 1e-5
    xs = dense_grid(n=801)
    xs = xs[[not _near_kink(name, p, x, 4 * h) for x in xs.tolist()]]
    fd = (fn(xs + h, **p) - fn(xs - h, **p)) / (2 * h)
    d = fn.derivative(xs, **p)
    np.testing.assert_allclose(d, fd, rtol=1e-7, atol=1e-7, err_msg=f"{name}{override} vs finite differences")


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["f32", "f64"])
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_at_huge_and_infinite_inputs_is_the_limit(name, dtype):
    fn = A.get(name)
    p = _params(name)
    lo, hi = DLIMITS[name](p)
    big = float(np.finfo(dtype).max) / 4
    x = np.array([-np.inf, -big, big, np.inf], dtype=dtype)
    d = fn.derivative(x, **p)
    assert d.dtype == dtype
    assert not np.isnan(d).any(), f"{name}.derivative{x.tolist()} = {d.tolist()}"
    np.testing.assert_allclose(d, np.array([lo, lo, hi, hi], dtype=dtype), rtol=4 * np.finfo(dtype).eps,
                               atol=0, err_msg=f"{name}.derivative at ±huge/±inf")
    assert np.isnan(fn.derivative(np.array([np.nan], dtype=dtype), **p)[0]), f"{name}.derivative(nan)"


def test_named_derivative_examples_are_exactly_zero():
    assert A.sigmoid.derivative(1e300) == 0.0
    assert A.sigmoid.derivative(-1e300) == 0.0
    assert A.tanh.derivative(1e4) == 0.0
    assert A.tanh.derivative(-1e4) == 0.0


_LAM = float(SELU_LAMBDA)
_ALP = float(SELU_ALPHA)

# (name, parameter override, x, expected f'(x)) -- PyTorch autograd's choice at each kink.
KINK_CONVENTIONS = [
    ("relu", {}, 0.0, 0.0),
    ("relu", {}, -0.0, 0.0),
    ("leaky_relu", {}, 0.0, 0.01),
    ("leaky_relu", {"alpha": 0.2}, 0.0, 0.2),
    ("prelu", {}, 0.0, 0.25),
    ("rrelu", {}, 0.0, (1 / 8 + 1 / 3) / 2),
    ("relu6", {}, 0.0, 0.0),
    ("relu6", {}, 6.0, 0.0),
    ("hard_tanh", {}, -1.0, 0.0),
    ("hard_tanh", {}, 1.0, 0.0),
    ("hard_sigmoid", {}, -3.0, 0.0),
    ("hard_sigmoid", {}, 3.0, 0.0),
    ("hard_swish", {}, -3.0, 0.0),
    ("hard_swish", {}, 3.0, 1.0),
    ("elu", {}, 0.0, 1.0),
    ("elu", {"alpha": 0.5}, 0.0, 0.5),
    ("celu", {"alpha": 2.0}, 0.0, 1.0),
    ("selu", {}, 0.0, _LAM * _ALP),
    ("step", {}, 0.0, 0.0),
    ("step", {"at_zero": 1.0}, 0.0, 0.0),
    ("step", {}, 1.0, 0.0),
    ("soft_shrink", {}, 0.5, 0.0),
    ("soft_shrink", {}, -0.5, 0.0),
    ("hard_shrink", {}, 0.5, 0.0),
    ("hard_shrink", {}, -0.5, 0.0),
    ("softplus", {}, 20.0, float(_sig(mp.mpf(20)))),
    ("softplus", {}, 20.5, 1.0),
]


@pytest.mark.parametrize("name,override,x,expected", KINK_CONVENTIONS,
                         ids=[f"{n}{o or ''}@{x}" for n, o, x, _ in KINK_CONVENTIONS])
def test_kink_conventions_follow_pytorch(name, override, x, expected):
    if name not in ELEMENTWISE:
        pytest.fail(f"{name} missing from the registry")
    d = A.get(name).derivative(np.float64(x), **_params(name, override))
    assert d == pytest.approx(expected, rel=4e-16, abs=0), f"{name}'({x}) = {d}, PyTorch gives {expected}"


def test_selu_derivative_at_zero_is_lambda_alpha():
    assert A.selu.derivative(0.0) == pytest.approx(1.7580993408473766, rel=1e-15)


def test_threshold_derivative_at_its_threshold_is_zero():
    p = _params("threshold")
    t = p["threshold"]
    assert A.threshold.derivative(np.float64(t), **p) == 0.0
    assert A.threshold.derivative(np.float64(t) + 1.0, **p) == 1.0
