"""Exercise checker: run a reader's activation on adversarial inputs and compare with the library.

In an exercise solution cell::

    from afbook import checker
    def my_sigmoid(x):
        return 1 / (1 + np.exp(-x))
    checker.check(my_sigmoid, "sigmoid")                # compares with A.sigmoid
    checker.check(my_leaky, "leaky_relu", alpha=0.1)    # parameters go to the library (and to my_leaky
                                                        # if it accepts them by keyword)
    checker.check(my_dsig, "sigmoid", derivative=True)  # compares with A.sigmoid.derivative

It prints one line per check (✔ or ✘ with the input, the expected and the received value, and a
hint such as "np.exp overflowed: use the stable recipe"), then a final line
``✔ all N checks passed`` or ``✘ k of N checks failed``, and returns a :class:`CheckResult` that is
truthy when everything passed (``assert checker.check(...)`` works in tests). The result shows
nothing when it is the last expression of a cell, so the report is not printed twice.

What is checked (elementwise activations): 0.0 and −0.0, tiny (±1e-12) and subnormal (±5e-324)
inputs, a grid on [−5, 5], large values (±30 … ±1000), ±1e300, ±inf, nan, a float32 array
(must stay float32), a 0-d array, an empty array and a 2-D array (shape kept). A check fails
when a value is off, the shape or dtype changes, the input array is modified in place, the
function raises, or NumPy emits a RuntimeWarning (overflow, invalid value, division by zero).
Tolerances: relative 1e-7 + absolute 1e-12 in float64 (1e-5 and 1e-6 in float32); tiny inputs are
compared relatively (1e-6) because that is where cancellation shows. Vector activations (softmax
family) get vector inputs (rows of scores, large scores, −inf entries, a float32 and a 2-D batch).
The output is deterministic, so notebooks with checker cells pass nbval.

Exercises whose answer is a number or a small function rather than an activation (a gain, a
temperature, a masked softmax) are checked with ``checker.check_exercise(fn, "relu-ex-4")``: the
same report, on the exercise's adversarial inputs (:data:`EXERCISES`), verified with the library.
"""
from __future__ import annotations

import inspect
import warnings

import numpy as np

import activations as A
from afbook.display import fmt

__all__ = ["check", "check_exercise", "EXERCISES", "CheckResult", "Failure"]

_STABLE = {
    "sigmoid": "use scipy.special.expit(x), or branch on the sign so np.exp only sees −|x|",
    "log_sigmoid": "use np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x))) (or scipy.special.log_expit)",
    "softplus": "use np.logaddexp(0, x), or np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))",
    "tanh": "use np.tanh(x): the textbook (e^x − e^−x)/(e^x + e^−x) overflows to inf/inf",
    "elu": "use np.expm1(np.minimum(x, 0)) so the exponential never sees large positive x",
    "selu": "use np.expm1(np.minimum(x, 0)) so the exponential never sees large positive x",
    "celu": "use np.expm1(np.minimum(x, 0) / alpha) so the exponential never sees large positive x",
    "silu": "use x * scipy.special.expit(x)",
    "swish": "use x * scipy.special.expit(beta * x)",
    "mish": "use x * np.tanh(np.logaddexp(0, x))",
    "gelu": "use 0.5 * x * scipy.special.erfc(-x / np.sqrt(2)) (exact form)",
    "softmax": "subtract the maximum along the axis before np.exp (or use scipy.special.logsumexp)",
    "log_softmax": "compute x - max - log(sum(exp(x - max))) (scipy.special.logsumexp)",
    "softmin": "negate, then subtract the maximum along the axis before np.exp",
}


class Failure:
    """One failed check: ``label`` (the input), ``message`` (what went wrong), ``hints`` (list of str)."""

    def __init__(self, label, message, hints=()):
        self.label, self.message, self.hints = label, message, list(dict.fromkeys(hints))

    def __repr__(self):
        return f"Failure({self.label!r}: {self.message})"


class CheckResult:
    """Outcome of :func:`check`: truthy iff every check passed.

    Attributes: ``passed`` (bool), ``n`` (number of checks), ``failures`` (list of :class:`Failure`),
    ``notes`` (list of str), ``report`` (the printed text).
    """

    def __init__(self, n, failures, notes, report):
        self.n, self.failures, self.notes, self.report = n, failures, notes, report
        self.passed = not failures

    def __bool__(self):
        return self.passed

    def __len__(self):
        return self.n

    def _ipython_display_(self):  # the report was printed already; show nothing more
        return None

    def __repr__(self):
        return (f"<CheckResult: all {self.n} checks passed>" if self.passed
                else f"<CheckResult: {len(self.failures)} of {self.n} checks failed>")


# ----------------------------------------------------------------------------------------------
def _num(v):
    """A value in a report: 4 significant digits. More would print rounding noise (the last
    digits of np.exp near 0 differ between CPUs), and a failing value differs by far more."""
    return fmt(float(v), 4)


def _chosen(act, params):
    """The parameters a check uses and names: ``params`` validated by the registry
    (``Activation.bind``: TypeError/ValueError naming the parameter), plus the registry's example
    values of required parameters not given (threshold needs threshold and value)."""
    bound = act.bind(params, where="check")
    out = {p.name: bound[p.name] for p in act.params if p.required and p.name not in params}
    out.update((k, bound[k]) for k in params)
    return out


def _describe(params):
    """``{"alpha": 0.1}`` -> ``"alpha=0.1"``: the keywords as the reader's code writes them."""
    return ", ".join(f"{k}={v!r}" for k, v in params.items())


def _elementwise_cases():
    f64, f32 = np.float64, np.float32
    return [
        # (label, input factory, kind) ; kind selects the tolerance
        ("x = 0.0", lambda: 0.0, "normal"),
        ("x = -0.0", lambda: -0.0, "normal"),
        ("tiny x = ±1e-12", lambda: np.array([-1e-12, 1e-12], f64), "tiny"),
        ("subnormal x = ±5e-324", lambda: np.array([-5e-324, 5e-324], f64), "subnormal"),
        ("x from -5 to 5 (101 points)", lambda: np.linspace(-5.0, 5.0, 101), "normal"),
        ("large x = ±30, ±100, ±1000", lambda: np.array([-1000.0, -100.0, -30.0, 30.0, 100.0, 1000.0]), "normal"),
        ("huge x = ±1e300", lambda: np.array([-1e300, 1e300]), "normal"),
        ("x = ±inf", lambda: np.array([-np.inf, np.inf]), "normal"),
        ("x = nan", lambda: np.array([np.nan]), "normal"),
        ("float32 array from -100 to 100", lambda: np.linspace(-100, 100, 41, dtype=f32), "normal"),
        ("0-d array x = np.array(0.5)", lambda: np.array(0.5), "normal"),
        ("empty array", lambda: np.array([], dtype=f64), "normal"),
        ("2-D array of shape (3, 4)", lambda: np.linspace(-3.0, 3.0, 12).reshape(3, 4), "normal"),
    ]


def _vector_cases():
    return [
        ("scores [1, 2, 3]", lambda: np.array([1.0, 2.0, 3.0]), "normal"),
        ("equal scores [0, 0, 0, 0]", lambda: np.zeros(4), "normal"),
        ("large scores [1000, 1001, 1002]", lambda: np.array([1000.0, 1001.0, 1002.0]), "normal"),
        ("very negative scores [-1000, -1001, -1002]", lambda: np.array([-1000.0, -1001.0, -1002.0]), "normal"),
        ("scores with -inf [-inf, 0, 1]", lambda: np.array([-np.inf, 0.0, 1.0]), "normal"),
        ("float32 scores from -100 to 100", lambda: np.linspace(-100, 100, 9, dtype=np.float32), "normal"),
        ("2-D batch of shape (2, 3), rows are vectors", lambda: np.array([[1.0, 2.0, 3.0], [-1.0, 0.0, 1000.0]]), "normal"),
    ]


def _tolerance(kind, dtype):
    if kind == "tiny":
        return 1e-6, 0.0
    if kind == "subnormal":
        return 1e-6, 1e-320
    if dtype == np.float32:
        return 1e-5, 1e-6
    if dtype == np.float16:
        return 1e-2, 1e-3
    return 1e-7, 1e-12


def _warning_hints(msg, act_name, source):
    hints = []
    stable = _STABLE.get(act_name)
    m = msg.lower()
    if "overflow" in m and "exp" in m:
        hints.append("np.exp overflowed (e^x is inf beyond x ≈ 709.8 in float64, 88.7 in float32): "
                     + (f"use the stable recipe: {stable}" if stable else "rewrite so exp never sees large positive arguments"))
        if source and "where" in source:
            hints.append("np.where evaluates BOTH branches on every element, so the exponential still runs on "
                         "large x; clip its argument first (e.g. np.exp(np.minimum(x, 0)))")
    elif "overflow" in m:
        hints.append("an intermediate result overflowed to inf (e.g. x**3 or x*x for |x| ≳ 1e103): "
                     "guard large |x| or reorder the computation")
    elif "invalid value" in m:
        what = {"divide": "inf/inf or 0/0", "multiply": "0·inf", "subtract": "inf − inf", "add": "inf + (−inf)"}
        op = next((v for k, v in what.items() if k in m), "an undefined operation")
        hints.append(f"{op} produced nan")
    elif "divide by zero" in m:
        hints.append("a division by zero (or log of 0) happened: check the formula at this input")
    return hints


def _exception_hints(e):
    s = str(e)
    if "truth value of an array" in s:
        return ["`if x > 0:` does not work on arrays: use np.where(x > 0, ..., ...) or np.maximum"]
    if "only length-1 arrays" in s or "only 0-dimensional arrays" in s or "math domain" in s:
        return ["the math module works on single numbers only: use np.exp, np.tanh, ... instead of math.*"]
    if isinstance(e, OverflowError):
        return ["math.exp overflowed: use numpy (np.exp) with a stable recipe"]
    if isinstance(e, IndexError) or "0-d" in s:
        return ["do not index x: a 0-d array or a scalar has no elements to index"]
    return []


def _accepts(fn, params):
    """Which of ``params`` the reader's function accepts by keyword (None: cannot tell)."""
    if not params:
        return {}
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return None
    ps = sig.parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in ps):
        return dict(params)
    names = {p.name for p in ps if p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)}
    return {k: v for k, v in params.items() if k in names}


def _run(fn, *args, **kwargs):
    """Run the reader's fn(*args, **kwargs): (output, exception or None, RuntimeWarning texts)."""
    with warnings.catch_warnings(record=True) as caught, np.errstate(over="warn", invalid="warn", divide="warn",
                                                                        under="ignore"):
        warnings.simplefilter("always")
        try:
            out, exc = fn(*args, **kwargs), None
        except Exception as e:  # noqa: BLE001 - the reader's code may raise anything
            out, exc = None, e
    msgs = list(dict.fromkeys(str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)))
    return out, exc, msgs


def _numeric_array(out):
    """(array, None) when the reader's output is an array of real numbers, else (None, message)."""
    try:
        got = np.asarray(out)
        if got.dtype == object or got.dtype.kind not in "biuf":
            raise TypeError(got.dtype)
    except Exception:  # noqa: BLE001 - the reader's output may be anything
        return None, f"returned {type(out).__name__}, not numbers"
    return got, None


def _no_output(out, exc):
    """(problems, hints) when the reader's function raised or returned None, else None."""
    if exc is not None:
        return [f"raised {type(exc).__name__}: {exc}"], _exception_hints(exc)
    if out is None:
        return ["returned None (is a `return` missing?)"], []
    return None


def _report_case(lines, failures, label, problems, hints):
    """One ✔/✘ line of the report (with its hints), and the failure it records."""
    hints = list(dict.fromkeys(hints))
    if problems:
        failures.append(Failure(label, "; ".join(problems), hints))
        lines.append(f"  ✘ {label}: " + "; ".join(problems))
        lines.extend(f"      hint: {h}" for h in hints)
    else:
        lines.append(f"  ✔ {label}")


def _finish(lines, n, failures, notes=()):
    """Print the report and return its :class:`CheckResult`."""
    lines.extend(f"  ℹ {note}" for note in notes)
    lines.append(f"✔ all {n} checks passed" if not failures else f"✘ {len(failures)} of {n} checks failed")
    report = "\n".join(lines)
    print(report)
    return CheckResult(n, failures, list(notes), report)


def _where(xin, idx):
    xs = np.asarray(xin, dtype=float)
    if xs.ndim == 0:
        return f"x = {_num(xs)}"
    return f"x = {_num(xs[idx])}" if xs.ndim == 1 else f"x[{', '.join(map(str, idx))}] = {_num(xs[idx])}"


def _compare(xin, exp, got, kind, derivative, act, is_vector):
    """Return (message, hints) for the first value problem, or None."""
    rtol, atol = _tolerance(kind, exp.dtype)
    e = exp.astype(np.float64)
    g = got.astype(np.float64)
    ok = np.isclose(g, e, rtol=rtol, atol=atol, equal_nan=True)  # ±inf equal when the signs agree
    if ok.all():
        return None
    bad = np.argwhere(~ok)
    n_bad, n = len(bad), ok.size
    idx = tuple(bad[0]) if ok.ndim else ()
    ev, gv = e[idx], g[idx]
    if is_vector:
        loc = f"entry {[int(i) for i in idx]}"
    else:
        loc = _where(xin, idx)
    count = "" if n == 1 else f"{n_bad} of {n} values differ; first "
    msg = f"{count}at {loc}: expected {_num(ev)}, got {_num(gv)}"
    hints = []
    if np.isnan(gv) and not np.isnan(ev):
        hints.append("got nan where the answer is a number: an overflow inside (inf − inf, inf/inf, 0·inf) is the usual cause")
    elif np.isnan(ev) and not np.isnan(gv):
        hints.append("nan in must give nan out: let nan propagate (do not clip or replace it)")
    elif np.isinf(gv) and not np.isinf(ev):
        hints.append("got inf where the answer is finite: something overflowed")
    elif np.isinf(ev):
        hints.append("at ±inf the answer is the mathematical limit")
    elif kind == "tiny":
        hints.append("precision is lost for tiny |x| (cancellation in e^x − 1 or 1 − e^x): use np.expm1 / np.log1p "
                     "or the library's recipe")
    elif not is_vector and float(np.asarray(xin, dtype=float)[idx] if np.ndim(xin) else xin) == 0.0 and derivative:
        hints.append(f"at the kink x = 0 the book follows PyTorch: {act.title}′(0) = {_num(ev)}")
    return msg, hints


def check(fn, name, derivative=False, **params):
    """Check the reader's function ``fn`` against activation ``name`` (or its derivative).

    ``params`` are the activation's parameters (checked against the registry); they are passed to
    ``fn`` by keyword when ``fn`` accepts them, otherwise ``fn(x)`` is called. Prints a report and
    returns a :class:`CheckResult` (truthy iff all checks passed). Never raises because of ``fn``:
    exceptions and warnings from it are reported as failed checks.
    """
    if not callable(fn):
        raise TypeError(f"check: fn must be a function, got {type(fn).__name__}")
    act = A.get(name)
    if not isinstance(derivative, (bool, np.bool_)):
        raise TypeError(f"check: derivative must be True or False, got {derivative!r}")
    params = _chosen(act, params)
    is_vector = act.kind != "elementwise"
    if derivative and is_vector:
        raise ValueError(f"check: derivative=True needs an elementwise activation; {act.name} is a vector "
                         f"activation (its derivative is the Jacobian)")
    ref = act.derivative if derivative else act
    what = f"A.{act.name}.derivative" if derivative else f"A.{act.name}"
    shown = _describe(params)
    try:
        source = inspect.getsource(fn)
    except (OSError, TypeError):
        source = ""
    kwargs = _accepts(fn, params)
    notes = []
    if kwargs is None:
        kwargs = {}
    if params and set(kwargs) != set(params):
        missing = ", ".join(k for k in params if k not in kwargs)
        notes.append(f"your function takes no keyword {missing}; it is called as fn(x) and compared with {shown}")

    cases = _vector_cases() if is_vector else _elementwise_cases()
    lines = [f"Checking your function against {what}" + (f" with {shown}" if shown else "") + f" ({len(cases)} checks)"]
    failures = []
    for label, make, kind in cases:
        x_ref, x_user = make(), make()
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            expected = np.asarray(ref(x_ref, **params))
        out, exc, warns = _run(fn, x_user, **kwargs)
        problems, hints = [], []
        missing = _no_output(out, exc)
        if missing:
            problems, hints = missing
        else:
            got, msg = _numeric_array(out)
            if msg:
                problems.append(msg)
            elif got.shape != expected.shape:
                problems.append(f"returned shape {got.shape}, expected {expected.shape} (the shape must not change)")
            else:
                in_dt = np.asarray(x_ref).dtype
                if in_dt == np.float32 and got.dtype != np.float32:
                    problems.append(f"dtype changed: float32 input gave {got.dtype} output")
                    hints.append("keep the input's dtype: avoid float64 arrays/constants such as np.array(0.5) in "
                                 "the formula (plain Python numbers are fine), or end with .astype(x.dtype)")
                elif got.dtype.kind in "biu":
                    problems.append(f"returned {got.dtype} values, expected floating point")
                    hints.append("convert the result, e.g. (x > 0).astype(x.dtype)")
                elif in_dt == np.float64 and got.dtype != np.float64:
                    problems.append(f"dtype changed: float64 input gave {got.dtype} output")
                cmp = _compare(x_ref, expected, got, kind, derivative, act, is_vector)
                if cmp:
                    problems.append(cmp[0])
                    hints += cmp[1]
            if isinstance(x_user, np.ndarray) and not np.array_equal(x_user, x_ref, equal_nan=True):
                problems.append("changed its input array in place")
                hints.append("work on a copy (np.where / np.maximum return new arrays; `x[x < 0] = 0` edits the caller's data)")
        for w in warns:
            problems.append(f"RuntimeWarning: {w}")
            hints += _warning_hints(w, act.name, source)
        hints = list(dict.fromkeys(hints))
        stable = _STABLE.get(act.name)
        if stable and any(("nan" in h or "overflow" in h) and "stable recipe" not in h for h in hints) \
                and not any("stable recipe" in h for h in hints):
            hints.append(f"stable recipe: {stable}")
        _report_case(lines, failures, label, problems, hints)
    return _finish(lines, len(cases), failures, notes)


# ----------------------------------------------------------------------------------------------
# Exercises whose answer is not an activation: a number or a small function, verified on
# adversarial inputs against the library (never against a re-typed formula).

class _Case:
    """One input of an exercise: ``make()`` returns the argument tuple; ``verify(args, got)``
    returns None, a message, or (message, hints); ``hint`` is shown when the case fails."""

    def __init__(self, label, make, verify, hint=""):
        self.label, self.make, self.verify, self.hint = label, make, verify, hint


def _real_scalar(got):
    """``got`` as a float, or a message saying why it is not one real number."""
    if isinstance(got, (bool, np.bool_)) or np.ndim(got) != 0:
        return None, f"returned {type(got).__name__} {np.shape(got)}, expected one real number"
    try:
        v = float(got)
    except (TypeError, ValueError):
        return None, f"returned {type(got).__name__}, expected one real number"
    if not np.isfinite(v):
        return None, f"returned {_num(v)}, expected a finite number"
    return v, None


def _close_scalar(v, expected, rtol):
    if abs(v - expected) <= rtol * abs(expected):
        return None
    return f"expected {_num(expected)}, got {_num(v)}"


# relu-ex-4: the variance-preserving gain of Leaky ReLU --------------------------------------
def _leaky_second_moment(alpha):
    from afbook import book

    m1, var = book.gaussian_moments(lambda z: float(A.leaky_relu(z, alpha=alpha)))
    return var + m1 * m1


def _gain_case(label, alpha, hint=""):
    def verify(args, got):
        v, msg = _real_scalar(got)
        if msg:
            return msg
        return _close_scalar(v, 1.0 / _leaky_second_moment(alpha), 1e-6)
    return _Case(label, lambda: (alpha,), verify, hint)


_GAIN_HINT = ("the gain is 1 / E[LeakyReLU_α(Z)²] for Z ~ N(0, 1): integrate the square of the "
              "activation over both half-lines")
_GAIN_CASES = [
    _gain_case("α = 0 (ReLU)", 0.0, "at α = 0 Leaky ReLU is ReLU"),
    _gain_case("α = 0.01 (PyTorch's default)", 0.01, _GAIN_HINT),
    _gain_case("α = 0.3 (the exercise)", 0.3, _GAIN_HINT),
    _gain_case("α = 1 (the identity)", 1.0, "at α = 1 Leaky ReLU is the identity, E[Z²] = 1"),
    _gain_case("α = 5 (slope above 1)", 5.0, _GAIN_HINT),
]


# relu-ex-5: the smallest softplus sharpness for a given tolerance ------------------------------
def _softplus_gap(beta):
    """The largest |softplus_β(x) − relu(x)| on a grid of ±40/β that contains x = 0."""
    x = np.concatenate([np.linspace(-40.0 / beta, 40.0 / beta, 4001), [0.0]])
    return float(np.max(np.abs(A.softplus(x, beta=beta) - A.relu(x))))


def _positive_scalar(got, symbol, what):
    """(value, None) for one positive real number, else (None, what is wrong)."""
    v, msg = _real_scalar(got)
    if msg:
        return None, msg
    if v <= 0:
        return None, f"returned {symbol} = {_num(v)}, expected a positive {what}"
    return v, None


def _beta_case(label, tol, hint=""):
    def verify(args, got):
        v, msg = _positive_scalar(got, "β", "sharpness")
        if msg:
            return msg
        gap = _softplus_gap(v)
        if gap > tol * (1 + 1e-9):
            return f"β = {_num(v)} is too small: the gap is {_num(gap)} > {_num(tol)}"
        smaller = v * (1 - 1e-6)
        if _softplus_gap(smaller) <= tol:
            return (f"β = {_num(v)} is not the smallest: β·(1 − 10⁻⁶) still keeps the gap "
                    f"within {_num(tol)}")
        return None
    return _Case(label, lambda: (tol,), verify, hint)


_BETA_HINT = "the largest gap is at x = 0; the smallest β makes it exactly equal to the tolerance"
_BETA_CASES = [
    _beta_case("tolerance 1e-3 (the exercise)", 1e-3, _BETA_HINT),
    _beta_case("tolerance 0.5", 0.5, _BETA_HINT),
    _beta_case("tolerance 2 (β below 1)", 2.0, _BETA_HINT),
    _beta_case("tolerance 1e-8 (very sharp)", 1e-8, _BETA_HINT),
]


# softmax-ex-3: the temperature for a given confidence ------------------------------------------
def _temperature_case(label, z, p, hint=""):
    def verify(args, got):
        v, msg = _positive_scalar(got, "T", "temperature")
        if msg:
            return msg
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            top = float(np.max(A.softmax(np.asarray(z, dtype=float), temperature=v)))
        if abs(top - p) > 1e-7:
            return f"at T = {_num(v)} the top class has probability {_num(top)}, expected {_num(p)}"
        return None
    return _Case(label, lambda: (list(z) if isinstance(z, list) else np.array(z, dtype=float), p),
                 verify, hint)


_BRACKET_HINT = ("a root finder needs a bracket [a, b] with the root inside: do not fix it, widen it "
                 "until the top probability is above p at a and below p at b")
_TEMPERATURE_CASES = [
    _temperature_case("z = (2, 1, 0.1), p = 0.5 (the exercise)", (2.0, 1.0, 0.1), 0.5),
    _temperature_case("z = (2, 1, 0.1), p = 0.9", (2.0, 1.0, 0.1), 0.9),
    _temperature_case("nearly tied z = (0.01, 0, 0), p = 0.9 (T well below 0.05)", (0.01, 0.0, 0.0), 0.9,
                      _BRACKET_HINT),
    _temperature_case("spread z = (100, 0, -50), p = 0.5 (T well above 50)", (100.0, 0.0, -50.0), 0.5,
                      _BRACKET_HINT),
    _temperature_case("top class not first: z = (-1, 3, 0.5, 0.5), p = 0.6", (-1.0, 3.0, 0.5, 0.5), 0.6,
                      "the top class is the one with the largest logit (np.argmax), not entry 0"),
    _temperature_case("large logits z = (1002, 1001, 1000.1), p = 0.5", (1002.0, 1001.0, 1000.1), 0.5,
                      "only the differences of the logits matter: use the library's stable softmax"),
    _temperature_case("two classes as a list z = [0, -3], p = 0.75", [0.0, -3.0], 0.75),
]


# softmax-ex-4: a masked softmax that never returns NaN -----------------------------------------
def _masked_reference(scores, mask):
    """The softmax over the allowed entries of each row (last axis), 0 elsewhere, by the library."""
    s = np.asarray(scores)
    out = np.zeros(s.shape, dtype=s.dtype if s.dtype.kind == "f" else np.float64)
    width = s.shape[-1]
    for row, allowed, o in zip(s.reshape(-1, width), np.asarray(mask).reshape(-1, width),
                               out.reshape(-1, width)):
        if allowed.any():
            o[allowed] = A.softmax(row[allowed])
    return out


def _array_verify(got, expected, rtol=1e-7, atol=1e-12):
    g, msg = _numeric_array(got)
    if msg:
        return msg
    if g.shape != expected.shape:
        return f"returned shape {g.shape}, expected {expected.shape}"
    if expected.dtype == np.float32 and g.dtype != np.float32:
        return f"dtype changed: float32 scores gave {g.dtype} weights"
    ok = np.isclose(g.astype(np.float64), expected.astype(np.float64), rtol=rtol, atol=atol, equal_nan=False)
    if ok.all():
        return None
    bad = np.argwhere(~ok)
    idx = tuple(int(i) for i in bad[0])
    return (f"{len(bad)} of {ok.size} weights differ; first at entry {list(idx)}: expected "
            f"{_num(expected[idx])}, got {_num(g[idx])}")


def _masked_case(label, scores, mask, hint=""):
    def verify(args, got):
        msg = _array_verify(got, _masked_reference(*args))
        if msg is None:
            return None
        hints = [h for key, h in _MASKED_HINTS if key in msg]
        return msg, hints
    return _Case(label, lambda: (np.array(scores), np.array(mask, dtype=bool)), verify, hint)


_T, _F = True, False
_EMPTY_HINT = ("a row without an allowed entry must be all zeros: give such rows harmless scores "
               "before the softmax, or handle them apart, so no −inf − (−inf) is ever computed")
_MASKED_HINTS = [
    ("got nan", _EMPTY_HINT),
    ("dtype changed", "keep float32 in float32: no float64 arrays or np.asarray(..., dtype=float)"),
    ("shape", "work along the last axis of any array (axis=-1, keepdims=True)"),
]
_MASKED_CASES = [
    _masked_case("all entries allowed", [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]], [[_T, _T, _T], [_T, _T, _T]],
                 "with every entry allowed the answer is the plain softmax"),
    _masked_case("one allowed entry per row", [[1.0, 2.0, 3.0], [5.0, -5.0, 0.0]], [[_F, _T, _F], [_F, _F, _T]]),
    _masked_case("a fully masked row", [[0.5, -1.0, 2.0], [1.0, 2.0, 3.0]], [[_T, _F, _T], [_F, _F, _F]]),
    _masked_case("every row fully masked", [[1.0, 2.0], [3.0, 4.0]], [[_F, _F], [_F, _F]]),
    _masked_case("forbidden entries hold nan, inf and 1e308", [[np.nan, 1.0, np.inf, 1e308, 0.0]],
                 [[_F, _T, _F, _F, _T]],
                 "a forbidden score must not matter, whatever its value: replace it, do not compute with it"),
    _masked_case("large allowed scores [1000, 1001, 1002]", [[1000.0, 1001.0, 1002.0, 0.0]],
                 [[_T, _T, _T, _F]], "subtract the row's maximum (or use the library's softmax)"),
    _masked_case("float32 scores, one row fully masked",
                 np.linspace(-3, 3, 8, dtype=np.float32).reshape(2, 4), [[_T, _F, _T, _T], [_F, _F, _F, _F]]),
    _masked_case("3-D batch of shape (2, 2, 3), one row fully masked", np.arange(12.0).reshape(2, 2, 3) - 6,
                 np.array([[[_T, _T, _F], [_F, _F, _F]], [[_T, _T, _T], [_F, _T, _F]]])),
]


EXERCISES = {
    "relu-ex-4": ("the Leaky ReLU gain g(α)", _GAIN_CASES),
    "relu-ex-5": ("the smallest softplus β for a tolerance", _BETA_CASES),
    "softmax-ex-3": ("the temperature for a top-class probability", _TEMPERATURE_CASES),
    "softmax-ex-4": ("masked softmax", _MASKED_CASES),
}


def check_exercise(fn, exercise):
    """Check the reader's answer ``fn`` to ``exercise`` (an id of :data:`EXERCISES`, such as
    ``"relu-ex-4"``) on its adversarial inputs, verified with the library.

    Prints one line per input (✔, or ✘ with what is wrong and a hint) and a final line, and
    returns a :class:`CheckResult` (truthy iff every input passed), like :func:`check`. Never
    raises because of ``fn``: its exceptions and RuntimeWarnings are reported as failed inputs.
    """
    if not callable(fn):
        raise TypeError(f"check_exercise: fn must be a function, got {type(fn).__name__}")
    if not isinstance(exercise, str) or exercise not in EXERCISES:
        raise ValueError(f"check_exercise: exercise must be one of {', '.join(EXERCISES)}, got {exercise!r}")
    title, cases = EXERCISES[exercise]
    lines = [f"Checking your answer to {exercise}, {title} ({len(cases)} checks)"]
    failures = []
    for case in cases:
        args, pristine = case.make(), case.make()
        out, exc, warns = _run(fn, *args)
        problems, hints = [], []
        missing = _no_output(out, exc)
        if missing:
            problems, hints = missing
        else:
            msg = case.verify(pristine, out)
            if isinstance(msg, tuple):
                msg, extra = msg
                hints += extra
            if msg:
                problems.append(msg)
        for a, b in zip(args, pristine):
            if isinstance(a, np.ndarray) and not np.array_equal(a, b, equal_nan=True):
                problems.append("changed its input array in place")
                hints.append("work on a copy (np.where returns a new array; `x[m] = ...` edits the caller's data)")
        problems += [f"RuntimeWarning: {w}" for w in warns]
        if problems and case.hint:
            hints.append(case.hint)
        _report_case(lines, failures, case.label, problems, hints)
    return _finish(lines, len(cases), failures)
