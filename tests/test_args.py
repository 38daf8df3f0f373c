"""afbook.args: the one way the package checks a public function's arguments."""
import numpy as np
import pytest

from afbook import args


def test_integer_accepts_integers_in_range_and_returns_int():
    assert args.integer("f", "n", 3, low=1, high=3) == 3
    v = args.integer("f", "n", np.int64(7), low=0)
    assert v == 7 and type(v) is int
    assert args.integer("f", "seed", -5) == -5          # no bounds: any integer


@pytest.mark.parametrize("value, low, high, exc, text", [
    (2.0, None, None, TypeError, "must be an integer, got 2.0"),
    (True, None, None, TypeError, "must be an integer, got True"),
    ("3", None, None, TypeError, "must be an integer"),
    (-1, 0, None, ValueError, "must be a non-negative integer, got -1"),
    (0, 1, None, ValueError, "must be an integer >= 1, got 0"),
    (5, None, 4, ValueError, "must be an integer <= 4, got 5"),
    (11, 1, 10, ValueError, "must be an integer from 1 to 10, got 11"),
])
def test_integer_errors_name_function_and_parameter(value, low, high, exc, text):
    with pytest.raises(exc, match=r"^fit: epochs " + text.replace("(", r"\(")):
        args.integer("fit", "epochs", value, low=low, high=high)


def test_positive_accepts_finite_positive_reals():
    assert args.positive("f", "lr", 0.5) == 0.5
    assert args.positive("f", "m", 0, allow_zero=True) == 0.0
    v = args.positive("f", "m", np.float32(0.25), below=1)
    assert v == 0.25 and type(v) is float


@pytest.mark.parametrize("value, kw, exc, text", [
    ("0.1", {}, TypeError, "must be a real number"),
    (True, {}, TypeError, "must be a real number"),
    (None, {}, TypeError, "must be a real number"),
    (0.0, {}, ValueError, "must be finite and > 0, got 0.0"),
    (-1e-9, {"allow_zero": True}, ValueError, "must be finite and >= 0"),
    (float("inf"), {}, ValueError, "must be finite and > 0"),
    (float("nan"), {"allow_zero": True}, ValueError, "must be finite"),
    (1.0, {"allow_zero": True, "below": 1}, ValueError, "must be finite and >= 0 and < 1, got 1.0"),
])
def test_positive_errors_name_function_and_parameter(value, kw, exc, text):
    with pytest.raises(exc, match=r"^SGD: momentum " + text):
        args.positive("SGD", "momentum", value, **kw)
