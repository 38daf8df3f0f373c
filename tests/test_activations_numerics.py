"""dtype, shape and warning rules of the library contract, for every registered activation."""
import warnings

import numpy as np
import pytest

import activations as A

ELEMENTWISE = A.names(kind="elementwise")
FLOATS = [np.float16, np.float32, np.float64]
FLOAT_IDS = ["f16", "f32", "f64"]


def _p(name):
    return dict(A.get(name).example_params)


# vector activations: (name, extra keyword arguments, a valid input of shape (..., n))
def _vector_cases():
    cases = []
    for name in A.names(kind="vector"):
        kw = dict(A.get(name).example_params)
        cases.append((name, kw))
    return cases


VECTOR = [n for n, _ in _vector_cases()]


def _vector_input(name, dtype=np.float64, shape=(3, 12)):
    """A valid input for a vector activation: 12 divides by 2 (glu) and 2, 3, 4 (maxout)."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=shape).astype(dtype)
    if name == "frelu":  # feature maps (N, C, H, W)
        x = rng.normal(size=(2, 1, 5, 5)).astype(dtype)
    return x


# ----------------------------------------------------------------------------------------------------
# dtype rules
# ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", FLOATS, ids=FLOAT_IDS)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_float_dtypes_are_kept(name, dtype, adversarial):
    fn = A.get(name)
    x = adversarial(dtype).reshape(1, -1)
    assert fn(x, **_p(name)).dtype == dtype
    assert fn.derivative(x, **_p(name)).dtype == dtype


@pytest.mark.parametrize("dtype", FLOATS, ids=FLOAT_IDS)
@pytest.mark.parametrize("name", VECTOR)
def test_vector_float_dtypes_are_kept(name, dtype):
    fn = A.get(name)
    assert fn(_vector_input(name, dtype), **_p(name)).dtype == dtype


@pytest.mark.parametrize(
    "x",
    [np.array([-2, 0, 3]), np.array([-2, 0, 3], dtype=np.int8), np.array([2, 0, 3], dtype=np.uint16),
     np.array([True, False, True]), [-2, 0, 3], [-2.0, 0.5, 3.0], [True, False]],
    ids=["int64", "int8", "uint16", "bool", "list-int", "list-float", "list-bool"],
)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_ints_bools_and_lists_give_float64(name, x):
    fn = A.get(name)
    y = fn(x, **_p(name))
    d = fn.derivative(x, **_p(name))
    assert isinstance(y, np.ndarray) and y.dtype == np.float64 and y.shape == np.shape(x)
    assert isinstance(d, np.ndarray) and d.dtype == np.float64 and d.shape == np.shape(x)
    np.testing.assert_array_equal(y, fn(np.asarray(x, dtype=np.float64), **_p(name)))


@pytest.mark.parametrize("x", [1, 1.5, -2.0, True, np.float64(0.25), np.int32(-3), np.array(0.75)],
                         ids=["int", "float", "neg", "bool", "np.float64", "np.int32", "0-d array"])
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_scalars_give_a_numpy_float64_scalar(name, x):
    fn = A.get(name)
    for out in (fn(x, **_p(name)), fn.derivative(x, **_p(name))):
        assert isinstance(out, np.float64), f"{name}({x!r}) returned {type(out).__name__}"


@pytest.mark.parametrize("dtype", FLOATS, ids=FLOAT_IDS)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_float_scalars_keep_their_dtype(name, dtype):
    fn = A.get(name)
    for out in (fn(dtype(0.5), **_p(name)), fn.derivative(dtype(0.5), **_p(name))):
        assert isinstance(out, np.generic) and out.dtype == dtype and np.ndim(out) == 0


@pytest.mark.parametrize("shape", [(0,), (2, 0), (0, 3, 1)])
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_empty_arrays(name, shape):
    fn = A.get(name)
    for dtype in (np.float32, np.float64):
        x = np.empty(shape, dtype=dtype)
        for out in (fn(x, **_p(name)), fn.derivative(x, **_p(name))):
            assert out.shape == shape and out.dtype == dtype


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_shapes_and_layouts_preserved(name):
    fn = A.get(name)
    rng = np.random.default_rng(1)
    x = rng.normal(scale=5, size=(3, 4, 5))
    y = fn(x, **_p(name))
    assert y.shape == x.shape
    # non-contiguous views and a transposed array give the same values elementwise
    np.testing.assert_array_equal(fn(x[:, ::2, 1:], **_p(name)), y[:, ::2, 1:])
    np.testing.assert_array_equal(fn(x.T, **_p(name)), y.T)
    np.testing.assert_array_equal(fn.derivative(x.T, **_p(name)), fn.derivative(x, **_p(name)).T)


@pytest.mark.parametrize("name", ELEMENTWISE + VECTOR)
def test_input_not_modified_in_place(name, adversarial):
    fn = A.get(name)
    x = _vector_input(name) if name in VECTOR else np.tile(adversarial(np.float64), (2, 1))
    before = x.copy()
    out = fn(x, **_p(name))
    assert np.array_equal(x, before, equal_nan=True), f"{name} modified its input"
    assert isinstance(out, np.ndarray)
    if hasattr(fn, "derivative") and name in ELEMENTWISE:
        fn.derivative(x, **_p(name))
        assert np.array_equal(x, before, equal_nan=True), f"{name}.derivative modified its input"


# ----------------------------------------------------------------------------------------------------
# no RuntimeWarning, whatever the input
# ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", FLOATS, ids=FLOAT_IDS)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_no_warnings_for_adversarial_inputs(name, dtype, adversarial):
    fn = A.get(name)
    x = adversarial(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fn(x, **_p(name))
        fn.derivative(x, **_p(name))
        for xi in x:  # scalar code paths too
            fn(xi, **_p(name))
            fn.derivative(xi, **_p(name))


@pytest.mark.parametrize("dtype", FLOATS, ids=FLOAT_IDS)
@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin"])
def test_no_warnings_softmax_family(name, dtype, adversarial):
    if name not in VECTOR:
        pytest.fail(f"{name} not registered")
    fn = A.get(name)
    vals = adversarial(dtype)
    rows = np.array([np.roll(vals[:8], k) for k in range(8)], dtype=dtype)  # finite/inf mixes
    with np.errstate(over="ignore"):  # 1e30 is inf in float16
        big = np.array([[1000, 1001, 1002], [-1e30, 0, 1e30], [np.nan, 1, 2], [np.inf, np.inf, 1],
                        [-np.inf, -np.inf, -np.inf]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for x in (rows, big, vals[np.isfinite(vals)].reshape(1, -1)):
            fn(x)
            fn.jacobian(x)
            fn(x, temperature=1e-3)
            fn(x, temperature=1e3)


@pytest.mark.parametrize("dtype", FLOATS, ids=FLOAT_IDS)
@pytest.mark.parametrize("name", [n for n in VECTOR if n not in ("softmax", "log_softmax", "softmin", "frelu")])
def test_no_warnings_other_vector_functions(name, dtype, adversarial):
    fn = A.get(name)
    vals = adversarial(dtype)
    x = np.resize(vals, (4, 12)).astype(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fn(x, **_p(name))
        if hasattr(fn, "jacobian"):
            fn.jacobian(x, **_p(name))


# ----------------------------------------------------------------------------------------------------
# RReLU: evaluation slope, training slopes
# ----------------------------------------------------------------------------------------------------
def test_rrelu_eval_uses_the_mean_slope_exactly():
    lower, upper = 0.1, 0.3
    slope = (lower + upper) / 2
    x = np.array([-7.0, -1.0, -1e-3, 0.0, 2.0])
    y = A.rrelu(x, lower=lower, upper=upper, training=False)
    np.testing.assert_array_equal(y, np.where(x >= 0, x, slope * x))
    np.testing.assert_array_equal(A.rrelu.derivative(x, lower=lower, upper=upper, training=False),
                                  np.where(x > 0, 1.0, slope))
    # defaults: 1/8 and 1/3
    assert A.rrelu(-1.0) == -((1 / 8 + 1 / 3) / 2)


def test_rrelu_training_slopes_lie_in_the_interval_and_are_reproducible():
    lower, upper = 0.1, 0.3
    x = -np.linspace(0.5, 5.0, 2000)
    y1 = A.rrelu(x, lower=lower, upper=upper, training=True, rng=np.random.default_rng(42))
    y2 = A.rrelu(x, lower=lower, upper=upper, training=True, rng=np.random.default_rng(42))
    np.testing.assert_array_equal(y1, y2)
    slopes = y1 / x
    assert np.all(slopes >= lower - 1e-15) and np.all(slopes <= upper + 1e-15)
    assert np.unique(slopes).size > 1000, "training slopes should be drawn per element"
    assert abs(slopes.mean() - (lower + upper) / 2) < 0.01
    y3 = A.rrelu(x, lower=lower, upper=upper, training=True, rng=np.random.default_rng(7))
    assert not np.array_equal(y1, y3)
    # positive inputs pass unchanged in training too
    np.testing.assert_array_equal(A.rrelu(np.array([0.0, 1.0, 3.5]), training=True, rng=np.random.default_rng(0)),
                                  [0.0, 1.0, 3.5])


def test_rrelu_training_without_rng_is_an_error():
    with pytest.raises((TypeError, ValueError), match="rng"):
        A.rrelu(np.array([-1.0]), training=True)



# ----------------------------------------------------------------------------------------------------
# legal but extreme parameters in float16/float32: no warnings, and the float64 answer rounded to the dtype
# ----------------------------------------------------------------------------------------------------
EXTREME_PARAMS = [
    ("swish", {"beta": 1e300}), ("swish", {"beta": 1e-300}),
    ("softplus", {"beta": 1e-300}), ("softplus", {"beta": 1e300}), ("softplus", {"beta": 2.0, "threshold": 1e300}),
    ("celu", {"alpha": 1e-300}), ("celu", {"alpha": 1e300}), ("elu", {"alpha": 1e300}),
    ("leaky_relu", {"alpha": 1e300}), ("prelu", {"alpha": 1e300}),
    ("hard_sigmoid", {"slope": 1e-300}), ("hard_sigmoid", {"slope": 1e300}),
    ("hard_tanh", {"min_val": -1e300, "max_val": 1e300}),
    ("soft_shrink", {"lambd": 1e300}), ("hard_shrink", {"lambd": 1e300}),
    ("threshold", {"threshold": -1e300, "value": 1e300}),
]


@pytest.mark.parametrize("dtype", [np.float16, np.float32], ids=["f16", "f32"])
@pytest.mark.parametrize("name,kw", EXTREME_PARAMS, ids=[f"{n}-{k}" for n, k in EXTREME_PARAMS])
def test_extreme_legal_parameters_in_low_precision(name, kw, dtype, adversarial):
    fn = A.get(name)
    x = adversarial(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = fn(x, **kw)
        d = fn.derivative(x, **kw)
    with np.errstate(over="ignore"):
        y64 = fn(x.astype(np.float64), **kw).astype(dtype)
        d64 = fn.derivative(x.astype(np.float64), **kw).astype(dtype)
    tiny = np.finfo(dtype).smallest_normal
    np.testing.assert_allclose(y, y64, rtol=4 * np.finfo(dtype).eps, atol=tiny, err_msg=f"{name}{kw}")
    np.testing.assert_allclose(d, d64, rtol=4 * np.finfo(dtype).eps, atol=tiny, err_msg=f"{name}.derivative{kw}")


@pytest.mark.parametrize("dtype", FLOATS, ids=FLOAT_IDS)
@pytest.mark.parametrize("t", [1e-3, 1e-30, 1e-300])
def test_softmax_tiny_temperature_is_the_argmax_in_every_dtype(dtype, t):
    x = np.array([0.1, 2.0, -1.0, 1.5], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = A.softmax(x, temperature=t)
        m = A.softmin(x, temperature=t)
        ls = A.log_softmax(x, temperature=t)
    np.testing.assert_allclose(s, [0, 1, 0, 0], atol=1e-30)
    np.testing.assert_allclose(m, [0, 0, 1, 0], atol=1e-30)
    assert ls[1] == 0 and np.all(ls[[0, 2, 3]].astype(np.float64) <= -0.4 / t), ls   # gap to the max ≥ 0.4, over T


@pytest.mark.parametrize("dtype", FLOATS, ids=FLOAT_IDS)
@pytest.mark.parametrize("t", [1e30, 1e300])
def test_softmax_huge_temperature_is_uniform_in_every_dtype(dtype, t):
    x = np.array([0.1, 2.0, -1.0, 1.5], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = A.softmax(x, temperature=t)
    np.testing.assert_allclose(s, 0.25, rtol=4 * np.finfo(dtype).eps)
