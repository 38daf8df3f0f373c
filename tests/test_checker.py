"""checker: catches the seeds' naive formulas with specific hints, passes correct code, never crashes."""
import numpy as np
import pytest
import scipy.special as sp

import activations as A
from afbook import checker, sources


def run(capsys, fn, name, **kw):
    r = checker.check(fn, name, **kw)
    out = capsys.readouterr().out
    assert out.strip() == r.report
    return r, out


def test_naive_sigmoid_fails_with_overflow_hint(capsys):
    r, out = run(capsys, sources.sigmoid_000, "sigmoid")
    assert not r and not r.passed
    assert "RuntimeWarning: overflow encountered in exp" in out
    assert "np.exp overflowed" in out and "stable recipe" in out and "expit" in out
    assert out.rstrip().splitlines()[-1] == f"✘ {len(r.failures)} of {r.n} checks failed"
    assert {f.label for f in r.failures} >= {"large x = ±30, ±100, ±1000", "float32 array from -100 to 100"}


def test_stable_sigmoid_passes(capsys):
    r, out = run(capsys, sp.expit, "sigmoid")
    assert r and r.passed and not r.failures
    assert out.rstrip().splitlines()[-1] == f"✔ all {r.n} checks passed"
    assert r.n == len(checker._elementwise_cases())


def test_seed_tanh_gives_nan_and_is_reported(capsys):
    r, out = run(capsys, sources.tanh_000, "tanh")
    assert not r
    assert "at x = −1000: expected −1, got nan" in out
    assert "inf/inf or 0/0 produced nan" in out and "np.tanh" in out
    assert "precision is lost for tiny |x|" in out  # cancellation at ±1e-12


def test_elu_with_where_gets_both_branches_hint(capsys):
    r, out = run(capsys, sources.elu_000, "elu", alpha=0.5)
    assert not r
    assert "np.where evaluates BOTH branches" in out and "expm1" in out

    def good(x, alpha=1.0):
        return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0)))

    r, out = run(capsys, good, "elu", alpha=0.5)
    assert r, out


def test_parameters_reach_the_reader_function_when_accepted(capsys):
    def leaky(x, alpha=0.01):
        return np.where(x >= 0, x, alpha * x)

    assert run(capsys, leaky, "leaky_relu", alpha=0.2)[0]
    r, out = run(capsys, lambda x: np.where(x >= 0, x, 0.01 * x), "leaky_relu", alpha=0.2)
    assert not r and "takes no keyword alpha" in out and "expected −1, got −0.05" in out


def test_derivative_kink_convention(capsys):
    r, out = run(capsys, lambda x: (x >= 0) * 1.0, "relu", derivative=True)
    assert not r and "at the kink x = 0 the book follows PyTorch: ReLU′(0) = 0" in out
    assert "dtype changed: float32 input gave float64 output" in out
    r, out = run(capsys, lambda x: np.heaviside(x, 0.0), "relu", derivative=True)  # nan stays nan, dtype kept
    assert r, out


def test_sigmoid_derivative_closed_form_passes(capsys):
    def d(x):
        s = sp.expit(x)
        return s * (1 - s)

    r, out = run(capsys, d, "sigmoid", derivative=True)
    assert r, out


def test_exceptions_are_reported_not_raised(capsys):
    def relu(x):
        if x > 0:
            return x
        return 0.0

    r, out = run(capsys, relu, "relu")
    assert not r and "raised ValueError: The truth value of an array" in out and "np.where" in out

    def boom(x):
        raise RuntimeError("boom")

    r, out = run(capsys, boom, "relu")
    assert len(r.failures) == r.n and "raised RuntimeError: boom" in out


def test_none_shape_dtype_and_in_place_problems(capsys):
    r, out = run(capsys, lambda x: None, "relu")
    assert "returned None" in out and not r
    r, out = run(capsys, lambda x: np.maximum(np.ravel(x), 0), "relu")
    assert "returned shape (1,), expected ()" in out and "returned shape (12,), expected (3, 4)" in out
    assert {f.label for f in r.failures} == {"x = 0.0", "x = -0.0", "0-d array x = np.array(0.5)",
                                             "2-D array of shape (3, 4)"}

    def inplace(x):
        x = np.asarray(x)
        if x.ndim:
            x[x < 0] = 0
        return np.maximum(x, 0)

    r, out = run(capsys, inplace, "relu")
    assert "changed its input array in place" in out and not r
    assert all("in place" in f.message for f in r.failures)
    r, out = run(capsys, lambda x: np.asarray(x > 0, dtype=np.int64) * np.asarray(x, dtype=np.int64), "relu")
    assert "int64" in out and not r


def test_naive_softmax_fails_and_stable_passes(capsys):
    r, out = run(capsys, lambda x: np.exp(x) / np.exp(x).sum(-1, keepdims=True), "softmax")
    assert not r and "large scores [1000, 1001, 1002]" in out and "subtract the maximum" in out

    def stable(x):
        e = np.exp(x - np.max(x, axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    r, out = run(capsys, stable, "softmax")
    assert r, out


@pytest.mark.parametrize("name", A.names(kind="elementwise"))
def test_the_library_passes_its_own_checks(capsys, name):
    act = A.get(name)
    assert run(capsys, act, name)[0]
    assert run(capsys, act.derivative, name, derivative=True)[0]


def test_output_is_deterministic(capsys):
    _, a = run(capsys, sources.sigmoid_000, "sigmoid")
    _, b = run(capsys, sources.sigmoid_000, "sigmoid")
    assert a == b and "0x" not in a


def test_result_object():
    r = checker.check(sp.expit, "sigmoid")
    n = len(checker._elementwise_cases())
    assert bool(r) and len(r) == r.n == n and repr(r) == f"<CheckResult: all {n} checks passed>"
    r = checker.check(lambda x: x, "sigmoid")
    assert not r and repr(r).endswith("checks failed>")


@pytest.mark.parametrize("call, exc, word", [
    (lambda: checker.check("sigmoid", "sigmoid"), TypeError, "fn"),
    (lambda: checker.check(np.tanh, "tan"), ValueError, "tan"),
    (lambda: checker.check(np.tanh, "elu", beta=1.0), TypeError, "beta"),
    (lambda: checker.check(np.tanh, "elu", alpha=-1.0), ValueError, "alpha"),
    (lambda: checker.check(np.tanh, "elu", derivative="yes"), TypeError, "derivative"),
    (lambda: checker.check(np.tanh, "softmax", derivative=True), ValueError, "derivative"),
])
def test_bad_arguments_name_the_argument(call, exc, word):
    with pytest.raises(exc, match=word):
        call()


def test_reported_values_have_four_significant_digits(capsys):
    # a wrong value near 0 whose last digits would be CPU noise: the report shows 4 digits only
    r, out = run(capsys, lambda x: np.asarray(A.sigmoid(x)) * (1 + 1e-3), "sigmoid")
    assert not r
    line = next(ln for ln in out.splitlines() if "x = 0.0:" in ln)
    assert "expected 0.5, got 0.5005" in line
    assert checker._num(np.exp(-20.0)) == "2.061×10^−9"
    assert checker._num(1 / 3) == "0.3333"


def test_the_report_names_parameters_as_the_call_writes_them(capsys):
    def leaky(x, alpha=0.01):
        return np.where(x >= 0, x, alpha * x)

    r, out = run(capsys, leaky, "leaky_relu", alpha=0.2)
    assert out.splitlines()[0].startswith("Checking your function against A.leaky_relu with alpha=0.2 (")
    r, out = run(capsys, lambda x, threshold, value: np.where(x > threshold, x, value), "threshold")
    assert "with threshold=1.0, value=0.0" in out.splitlines()[0]
    with pytest.raises(ValueError, match="check: .*alpha"):
        checker.check(leaky, "elu", alpha=float("nan"))
    with pytest.raises(TypeError, match="check: .*beta"):
        checker.check(leaky, "elu", beta=1.0)


def test_checker_needs_neither_plotting_nor_matplotlib():
    import subprocess
    import sys

    # validation is the registry's (Activation.bind): importing checker loads no figure code, so
    # it cannot change matplotlib's global style (test_plotting checks the style with both imported)
    code = ("import sys\nfrom afbook import checker\n"
            "assert 'afbook.plotting' not in sys.modules and 'matplotlib' not in sys.modules")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
