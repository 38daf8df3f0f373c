"""Bad input: a TypeError/ValueError raised by the library itself, naming the function and the parameter."""
import math
import os

import numpy as np
import pytest

import activations as A

ELEMENTWISE = A.names(kind="elementwise")
VECTOR = A.names(kind="vector")
LIB_FILE = os.path.realpath(A.__file__)


def _p(name):
    return dict(A.get(name).example_params)


def _raised_by_library(excinfo):
    """The exception is raised in activations.py, not deep inside NumPy."""
    last = excinfo.traceback[-1]
    path = os.path.realpath(str(last.path))
    assert path == LIB_FILE, f"{excinfo.type.__name__} came from {path}:{last.lineno}, not from the library"


def _valid_vector_input(name):
    if name == "frelu":
        return np.zeros((1, 1, 4, 4))
    return np.zeros((2, 12))


BAD_INPUTS = [
    ("str", "1.0"),
    ("list-of-str", ["a", "b"]),
    ("str-array", np.array(["1", "2"])),
    ("bytes", b"1"),
    ("object", object()),
    ("list-with-object", [1.0, object()]),
    ("object-array", np.array([1, "a"], dtype=object)),
    ("complex", 1 + 2j),
    ("complex-array", np.array([1 + 0j, 2 + 0j])),
    ("None", None),
    ("list-with-None", [1.0, None]),
    ("ragged", [[1.0, 2.0], [3.0]]),
    ("dict", {"x": 1.0}),
]


@pytest.mark.parametrize("bad", [b for _, b in BAD_INPUTS], ids=[i for i, _ in BAD_INPUTS])
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_rejects_non_real_input(name, bad):
    fn = A.get(name)
    for call in (fn, fn.derivative):
        with pytest.raises(TypeError) as excinfo:
            call(bad, **_p(name))
        assert name in str(excinfo.value), f"message does not name {name!r}: {excinfo.value}"
        _raised_by_library(excinfo)


@pytest.mark.parametrize("bad", [b for _, b in BAD_INPUTS], ids=[i for i, _ in BAD_INPUTS])
@pytest.mark.parametrize("name", VECTOR)
def test_vector_rejects_non_real_input(name, bad):
    fn = A.get(name)
    with pytest.raises(TypeError) as excinfo:
        fn(bad, **_p(name))
    assert name in str(excinfo.value), f"message does not name {name!r}: {excinfo.value}"
    _raised_by_library(excinfo)


@pytest.mark.parametrize("name", ELEMENTWISE + VECTOR)
def test_unknown_keyword_is_a_type_error(name):
    fn = A.get(name)
    x = _valid_vector_input(name) if name in VECTOR else np.zeros(3)
    with pytest.raises(TypeError) as excinfo:
        fn(x, not_a_parameter=1.0, **_p(name))
    assert "not_a_parameter" in str(excinfo.value)
    if name in ELEMENTWISE:
        with pytest.raises(TypeError, match="not_a_parameter"):
            fn.derivative(x, not_a_parameter=1.0, **_p(name))


# ----------------------------------------------------------------------------------------------------
# parameters outside their declared range
# ----------------------------------------------------------------------------------------------------
def _out_of_range_values(param):
    vals = [math.nan]
    if param.low is not None and math.isfinite(param.low):
        vals.append(param.low if param.low_open else param.low - 1.0)
    if param.high is not None and math.isfinite(param.high):
        vals.append(param.high if param.high_open else param.high + 1.0)
    if param.low is not None and param.high is not None and param.low == -math.inf and param.high == math.inf:
        vals += [math.inf, -math.inf]  # unbounded numeric parameters must still be finite
    return vals


NUMERIC_PARAM_CASES = [
    (name, prm.name, v)
    for name in ELEMENTWISE + VECTOR
    for prm in A.get(name).params
    # real-valued parameters (float defaults); ints such as axis and k, arrays (frelu) are tested below
    if isinstance(prm.default, float) and getattr(prm, "kind", "real") == "real"
    for v in _out_of_range_values(prm)
]


@pytest.mark.parametrize("name,param,value", NUMERIC_PARAM_CASES,
                         ids=[f"{n}-{p}={v}" for n, p, v in NUMERIC_PARAM_CASES])
def test_parameter_outside_its_range_is_a_value_error(name, param, value):
    fn = A.get(name)
    x = _valid_vector_input(name) if name in VECTOR else np.zeros(3)
    kw = {**_p(name), param: value}
    with pytest.raises(ValueError) as excinfo:
        fn(x, **kw)
    msg = str(excinfo.value)
    assert param in msg and name in msg, f"message should name {name!r} and {param!r}: {msg}"
    assert str(value) in msg or repr(value) in msg, f"message should show the value {value!r}: {msg}"
    _raised_by_library(excinfo)


SPECIFIC_BAD_PARAMS = [
    ("softmax", {"temperature": 0.0}, "temperature"),
    ("softmax", {"temperature": -1.0}, "temperature"),
    ("softmax", {"temperature": math.inf}, "temperature"),
    ("softmax", {"temperature": math.nan}, "temperature"),
    ("log_softmax", {"temperature": 0.0}, "temperature"),
    ("softmin", {"temperature": -2.0}, "temperature"),
    ("rrelu", {"lower": 0.4, "upper": 0.2}, "lower"),
    ("hard_tanh", {"min_val": 2.0, "max_val": 1.0}, "min_val"),
    ("elu", {"alpha": math.nan}, "alpha"),
    ("elu", {"alpha": math.inf}, "alpha"),
    ("celu", {"alpha": 0.0}, "alpha"),
    ("leaky_relu", {"alpha": math.inf}, "alpha"),
    ("swish", {"beta": math.nan}, "beta"),
    ("softplus", {"beta": math.inf}, "beta"),
    ("softplus", {"beta": 0.0}, "beta"),
    ("gelu", {"approximate": "fast"}, "approximate"),
    ("gelu", {"approximate": None}, "approximate"),
    ("threshold", {"threshold": math.nan}, "threshold"),
    ("threshold", {"value": math.inf}, "value"),
    ("soft_shrink", {"lambd": -0.5}, "lambd"),
    ("hard_shrink", {"lambd": -0.5}, "lambd"),
]


@pytest.mark.parametrize("name,kw,param", SPECIFIC_BAD_PARAMS,
                         ids=[f"{n}-{k}" for n, k, _ in SPECIFIC_BAD_PARAMS])
def test_specific_bad_parameters(name, kw, param):
    if name not in A.REGISTRY:
        pytest.fail(f"{name} not registered")
    fn = A.get(name)
    x = np.zeros((2, 4))
    for call in (fn,) + ((fn.derivative,) if name in ELEMENTWISE else (fn.jacobian,)):
        with pytest.raises(ValueError) as excinfo:
            call(x, **{**_p(name), **kw})
        msg = str(excinfo.value)
        assert param in msg and name in msg, f"message should name {name!r} and {param!r}: {msg}"
        assert str(kw[param]) in msg or repr(kw[param]) in msg, f"message should show {kw[param]!r}: {msg}"
        _raised_by_library(excinfo)


def test_glu_odd_length_names_the_axis_length():
    with pytest.raises(ValueError) as excinfo:
        A.glu(np.zeros((2, 5)))
    assert "glu" in str(excinfo.value) and "5" in str(excinfo.value)
    _raised_by_library(excinfo)
    with pytest.raises(ValueError, match="7"):
        A.glu(np.zeros((7, 4)), axis=0)
    A.glu(np.zeros((7, 4)))  # the last axis (4) is even: fine


@pytest.mark.parametrize("k", [4, 5, 7])
def test_maxout_k_not_dividing_the_axis(k):
    with pytest.raises(ValueError) as excinfo:
        A.maxout(np.zeros((2, 6)), k=k)
    msg = str(excinfo.value)
    assert "maxout" in msg and "k" in msg and str(k) in msg and "6" in msg, msg
    _raised_by_library(excinfo)


@pytest.mark.parametrize("k", [0, -2, 1.5, math.nan])
def test_maxout_bad_k(k):
    with pytest.raises((ValueError, TypeError)) as excinfo:
        A.maxout(np.zeros((2, 6)), k=k)
    assert "k" in str(excinfo.value) and "maxout" in str(excinfo.value)


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin", "glu", "maxout"])
@pytest.mark.parametrize("axis", [2, -3, 1.5])
def test_bad_axis(name, axis):
    kw = {"k": 2} if name == "maxout" else {}
    with pytest.raises((ValueError, TypeError)) as excinfo:
        A.get(name)(np.zeros((2, 4)), axis=axis, **kw)
    assert "axis" in str(excinfo.value) and name in str(excinfo.value), str(excinfo.value)


def test_get_unknown_name_is_a_helpful_value_error():
    with pytest.raises(ValueError) as excinfo:
        A.get("relu7")
    msg = str(excinfo.value)
    assert "relu7" in msg and "relu6" in msg, f"should name the input and suggest close names: {msg}"

