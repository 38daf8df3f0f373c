r"""Activation functions of neural networks: the math and the facts, in one place.

Every activation is a module-level callable :class:`Activation` object::

    >>> import activations as A
    >>> float(A.elu(-1.0))
    -0.6321205588285577
    >>> float(A.elu.derivative(0.0))          # PyTorch's convention at the kink
    1.0
    >>> A.elu.family, A.elu.year, A.elu.paper
    ('relu', 2016, 'clevert2016fast')

The registry :data:`REGISTRY` maps each name to its object, in the order of the book.
Facts (family, range, monotonicity, smoothness, paper, year, framework names, names in
Japanese and Chinese, ...) are declared once, next to each function, and the book's tables,
figures, alt texts and quizzes are generated from them.

Numerics contract, for every activation:

* float16, float32 and float64 keep their dtype (float16 is computed in float32 and rounded
  once, as PyTorch does on the CPU; long double is computed in float64 precision); ints,
  bools, Python scalars and lists give float64; a 0-d input gives a NumPy scalar; empty
  arrays give empty arrays;
* the result is within a few ULP of the exact value for every finite input, and ±inf give
  the mathematical limit (``silu(-inf) == 0``, unlike PyTorch); nan gives nan;
* no ``RuntimeWarning`` for any input: no formula overflows where the answer does not;
* wrong input raises ``TypeError`` (not real numbers) or ``ValueError`` (a bad parameter)
  naming the function and the parameter.

The stable recipes use only NumPy's vectorised primitives (``exp``, ``expm1``, ``log1p``,
``tanh``, ``clip``) and ``scipy.special.erfc``; they are as fast as the textbook formulas they
replace (``make bench`` measures it).
"""
from __future__ import annotations

import ast
import difflib
import functools
import inspect
import math
import numbers
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Callable

import numpy as np
from scipy import special as _sp

__all__ = ["Activation", "Param", "FrameworkCall", "REGISTRY", "FAMILIES", "get", "names", "as_real_array"]

FAMILIES = ("sigmoid", "tanh", "relu", "softmax", "other")
_SMOOTHNESS = ("discontinuous", "C0", "C1", "Cinf")
_SATURATING = ("none", "left", "right", "both")
_INF = math.inf
_REQUIRED = inspect.Parameter.empty

#: The constants of SELU (Klambauer et al. 2017, eq. 14), to the precision PyTorch and JAX use.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_LAMBDA = 1.0507009873554804934193349852946
#: The constants of GELU's tanh approximation (Hendrycks & Gimpel 2016).
GELU_TANH_C = 0.044715
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


# --------------------------------------------------------------------------------------
# Parameters and the Activation object
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Param:
    """One parameter of an activation: its default and what values it accepts.

    ``kind`` is ``"real"`` (a finite real number in ``[low, high]``, each end open or
    closed), ``"int"``, ``"choice"`` (one of ``choices``), ``"bool"``, ``"generator"``
    (``None`` or a :class:`numpy.random.Generator`) or ``"array"`` (checked by the function).
    """

    name: str
    default: Any = _REQUIRED
    doc: str = ""
    kind: str = "real"
    low: float = -_INF
    high: float = _INF
    low_open: bool = False
    high_open: bool = False
    choices: tuple = ()
    learnable: bool = False

    @property
    def required(self) -> bool:
        return self.default is _REQUIRED

    def interval(self) -> str:
        """The allowed interval in ordinary notation, e.g. ``(0, inf)``."""
        lo = "(" if self.low_open or self.low == -_INF else "["
        hi = ")" if self.high_open or self.high == _INF else "]"
        return f"{lo}{_fmt(self.low)}, {_fmt(self.high)}{hi}"

    def validate(self, fname: str, value: Any) -> Any:
        """Return the value, normalised, or raise a clear TypeError/ValueError."""
        where = f"{fname}: parameter {self.name!r}"
        if self.kind == "real":
            if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
                if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
                    value = value.item()
                else:
                    raise TypeError(f"{where} must be a real number, got {value!r}")
            value = float(value)
            if not math.isfinite(value):
                raise ValueError(f"{where} must be finite, got {value!r}")
            too_low = value <= self.low if self.low_open else value < self.low
            too_high = value >= self.high if self.high_open else value > self.high
            if too_low or too_high:
                raise ValueError(f"{where} must lie in {self.interval()}, got {value!r}")
            return value
        if self.kind == "int":
            if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
                raise TypeError(f"{where} must be an integer, got {value!r}")
            value = int(value)
            if value < self.low or value > self.high:
                raise ValueError(f"{where} must lie in {self.interval()}, got {value!r}")
            return value
        if self.kind == "choice":
            if not isinstance(value, str) or value not in self.choices:
                raise ValueError(f"{where} must be one of {', '.join(map(repr, self.choices))}, got {value!r}")
            return value
        if self.kind == "bool":
            if not isinstance(value, (bool, np.bool_)):
                raise TypeError(f"{where} must be True or False, got {value!r}")
            return bool(value)
        if self.kind == "generator":
            if value is not None and not isinstance(value, np.random.Generator):
                raise TypeError(f"{where} must be None or a numpy.random.Generator "
                                f"(e.g. np.random.default_rng(0)), got {value!r}")
            return value
        if self.kind == "array":
            return value
        raise AssertionError(f"unknown parameter kind {self.kind!r}")  # a bug in this module


def _fmt(v: float) -> str:
    if v in (_INF, -_INF):
        return "inf" if v > 0 else "-inf"
    return f"{v:g}"


class Activation:
    """An activation function with its derivative and its facts.

    Call it like a function: ``act(x, **params)``; ``act.derivative(x, **params)`` gives the
    exact derivative of elementwise activations; the softmax family and GLU also have
    ``act.jacobian``. All attributes are read-only facts; see ``CONTRIBUTING.md`` for the
    list.
    """

    def __init__(self, fn: Callable, *, title: str, family: str, formula: str,
                 derivative_formula: str, summary: str, range_latex: str,
                 monotonic: bool, smoothness: str, odd: bool, saturating: str,
                 paper: str | None, year: int | None, used_in: tuple, ja: str, zh: str,
                 frameworks: dict, params: tuple = (), kind: str = "elementwise",
                 derivative: Callable | None = None, jacobian: Callable | None = None,
                 range: tuple | Callable = (-_INF, _INF), range_closed: tuple = (False, False),
                 zero_centred: bool | None = None,
                 self_normalising: bool = False, minimum_bracket: tuple | None = None,
                 example_params: dict | None = None, constraint: Callable | None = None,
                 param_derivatives: dict | None = None, notes: str = "",
                 jumps: Callable | None = None, kinks: Callable | None = None):
        for what, value, allowed in (("family", family, FAMILIES), ("smoothness", smoothness, _SMOOTHNESS),
                                     ("saturating", saturating, _SATURATING),
                                     ("kind", kind, ("elementwise", "vector"))):
            if value not in allowed:
                raise ValueError(f"{fn.__name__}: {what} must be one of {sorted(allowed)}, got {value!r}")
        for fw, call in frameworks.items():
            if not isinstance(call, FrameworkCall):
                raise TypeError(f"{fn.__name__}: frameworks[{fw!r}] must be a FrameworkCall, got {call!r}")
        self.name = fn.__name__
        self.__name__ = self.__qualname__ = self.name
        self.__doc__ = inspect.cleandoc(fn.__doc__ or "")
        self.__module__ = __name__
        self._fn, self._derivative, self._jacobian = fn, derivative, jacobian
        self._constraint = constraint
        self._param_derivatives = dict(param_derivatives or {})
        self._range = range
        self._minimum_bracket = minimum_bracket
        self.title, self.family, self.kind, self.summary = title, family, kind, summary
        self.formula, self.derivative_formula = formula, derivative_formula
        self.range_closed, self.range_latex = tuple(range_closed), range_latex
        self.monotonic, self.smoothness = monotonic, smoothness
        self.odd, self.saturating = odd, saturating
        # zero-centred: E[f(Z)] = 0 for a standard normal Z (at example_params). Every odd function
        # is; SELU is by construction without being odd.
        self.zero_centred = odd if zero_centred is None else zero_centred
        self.self_normalising = self_normalising
        self.paper, self.year, self.used_in = paper, year, tuple(used_in)
        self.ja, self.zh = ja, zh
        self.frameworks = MappingProxyType(dict(frameworks))
        self.params = tuple(params)
        self.notes = notes
        self._jumps, self._kinks = jumps, kinks
        self.defaults = MappingProxyType({p.name: p.default for p in self.params if not p.required})
        self.example_params = MappingProxyType(dict(self.defaults) | dict(example_params or {}))
        sig = [inspect.Parameter("x", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        sig += [inspect.Parameter(p.name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=p.default)
                for p in self.params]
        self.__signature__ = inspect.Signature(sig)

    # ---- calling -------------------------------------------------------------------
    def _bind(self, what: str, args: tuple, kwargs: dict) -> dict:
        fname = self.name if what == "" else f"{self.name}.{what}"
        names_ = [p.name for p in self.params]
        if len(args) > len(names_):
            raise TypeError(f"{fname}() takes {len(names_)} parameter(s) after x "
                            f"({', '.join(names_) or 'none'}), got {len(args)}")
        given = dict(zip(names_, args))
        for key, value in kwargs.items():
            if key not in names_:
                hint = difflib.get_close_matches(key, names_, n=1)
                extra = f"; did you mean {hint[0]!r}?" if hint else ""
                raise TypeError(f"{fname}() got an unexpected parameter {key!r} "
                                f"(its parameters: {', '.join(names_) or 'none'}){extra}")
            if key in given:
                raise TypeError(f"{fname}() got parameter {key!r} twice")
            given[key] = value
        bound = {}
        for p in self.params:
            if p.name in given:
                bound[p.name] = p.validate(self.name, given[p.name])
            elif p.required:
                raise TypeError(f"{fname}() missing required parameter {p.name!r}")
            else:
                bound[p.name] = p.default
        if self._constraint is not None:
            self._constraint(self.name, **bound)
        return bound

    def bind(self, params: dict | None = None, /, *, where: str = "", fill_examples: bool = True,
             **kwargs) -> dict:
        """Check parameters and return them complete: ``{name: validated value}`` for every parameter.

        The one public way to validate an activation's parameters; plotting, explorers, cards and
        checkers all call it. ``params`` (a dict) and keyword arguments are merged. Unknown names,
        illegal values and broken constraints raise TypeError/ValueError naming the parameter, with
        ``where`` (the caller's name, e.g. ``"explore"``) in front of the message. Parameters not
        given take their defaults; a required one takes its ``example_params`` value when
        ``fill_examples`` is true (what a figure of the function draws), and is an error otherwise.

        >>> elu.bind(alpha=0.5)
        {'alpha': 0.5}
        >>> threshold.bind()                      # required parameters: the registry's example
        {'threshold': 1.0, 'value': 0.0}
        """
        if params is not None and not isinstance(params, dict):
            raise TypeError(f"{where or self.name}: params must be a dict, got {type(params).__name__}")
        given = dict(params or {})
        for key, value in kwargs.items():
            if key in given:
                raise TypeError(f"{where or self.name}: parameter {key!r} given twice")
            given[key] = value
        if fill_examples:
            for p in self.params:
                if p.required and p.name not in given and p.name in self.example_params:
                    given[p.name] = self.example_params[p.name]
        try:
            return self._bind("", (), given)
        except (TypeError, ValueError) as exc:
            if not where:
                raise
            raise type(exc)(f"{where}: {exc}") from None

    def _apply(self, impl: Callable, what: str, x: Any, args: tuple, kwargs: dict):
        params = self._bind(what, args, kwargs)
        arr = as_real_array(x, self.name if not what else f"{self.name}.{what}")
        target = np.dtype(np.float32) if arr.dtype == np.float16 else \
            np.dtype(np.float64) if arr.dtype.itemsize > 8 else arr.dtype
        if target != np.float64 and any(_unrepresentable(v, target) for v in params.values()):
            target = np.dtype(np.float64)     # e.g. beta=1e300 with float32 x: compute in float64
        work = arr if target == arr.dtype else arr.astype(target)
        scalar = work.ndim == 0 and self.kind == "elementwise"
        if scalar:                            # ufuncs turn 0-d arrays into scalars; keep arrays inside
            work = work.reshape(1)
        out = impl(work, **params)
        if scalar:
            out = out.reshape(())
        if isinstance(out, np.ndarray):
            if arr.dtype.kind == "f" and out.dtype != arr.dtype:
                with np.errstate(over="ignore"):   # rounding to ±inf is the right float16 answer
                    out = out.astype(arr.dtype)
            if out.ndim == 0:
                return out[()]
        return out

    def __call__(self, x, *args, **kwargs):
        return self._apply(self._fn, "", x, args, kwargs)

    def derivative(self, x, *args, **kwargs):
        """The exact derivative f′(x), elementwise; PyTorch's autograd value at kinks."""
        if self._derivative is None:
            raise TypeError(f"{self.name} is not elementwise: use {self.name}.jacobian"
                            if self._jacobian else f"{self.name} has no elementwise derivative; "
                            f"see help(activations.{self.name})")
        return self._apply(self._derivative, "derivative", x, args, kwargs)

    def jacobian(self, x, *args, **kwargs):
        """The Jacobian of a vector activation, shape ``(..., m, n)`` (outputs × inputs)."""
        if self._jacobian is None:
            raise TypeError(f"{self.name} has no jacobian; use {self.name}.derivative "
                            f"(elementwise activations have a diagonal Jacobian)")
        return self._apply(self._jacobian, "jacobian", x, args, kwargs)

    def param_derivative(self, x, param: str, *args, **kwargs):
        """∂f/∂param, elementwise, for the learnable parameters (PReLU's α, swish's β, …)."""
        if param not in self._param_derivatives:
            have = ", ".join(self._param_derivatives) or "none"
            raise ValueError(f"{self.name}.param_derivative: param must be one of: {have}; got {param!r}")
        return self._apply(self._param_derivatives[param], "param_derivative", x, args, kwargs)

    # ---- facts -----------------------------------------------------------------------
    @property
    def range(self) -> tuple[float, float]:
        """Infimum and supremum of f at ``example_params``."""
        return self.range_for(**self.example_params)

    def breaks(self, **params) -> tuple[tuple[float, ...], tuple[float, ...]]:
        """``(jumps, kinks)`` for the given parameters (defaults and examples filled in): the sorted
        points where f itself jumps, and those where f′ jumps (f has a corner, or jumps). Empty for
        smooth functions and for vector activations. Figures break their lines there instead of
        drawing a vertical segment.
        """
        p = self.bind(params, where=f"{self.name}.breaks")
        jumps = {float(v) for v in self._jumps(**p)} if self._jumps else set()
        kinks = {float(v) for v in self._kinks(**p)} if self._kinks else set()
        return tuple(sorted(jumps)), tuple(sorted(kinks | jumps))

    def range_for(self, **params) -> tuple[float, float]:
        """Infimum and supremum of f for the given parameters (defaults filled in)."""
        p = self._bind("range_for", (), params)
        if callable(self._range):
            return tuple(float(v) for v in self._range(**p))
        lo, hi = self._range
        if lo == "minimum":
            lo = self.minimum_for(**p)[1]
        return float(lo), float(hi)

    @property
    def bounded_below(self) -> bool:
        return self.range[0] > -_INF

    @property
    def bounded_above(self) -> bool:
        return self.range[1] < _INF

    @property
    def bounded(self) -> bool:
        return self.bounded_below and self.bounded_above

    @functools.cached_property
    def minimum(self) -> tuple[float, float] | None:
        """``(x*, f(x*))`` for an interior global minimum at ``example_params``, else None."""
        if self._minimum_bracket is None:
            return None
        return self.minimum_for(**self.example_params)

    def minimum_for(self, **params) -> tuple[float, float] | None:
        """``(x*, f(x*))``, the interior global minimum for the given parameters: the root of f′ in
        the registered bracket at ``example_params``, elsewhere in the bracket around the lowest point
        of a fine grid on [−50, 50] (a parameter such as swish's β moves the minimum)."""
        if self._minimum_bracket is None:
            return None
        from scipy.optimize import brentq
        p = self.bind(params, where=f"{self.name}.minimum_for")
        if p == dict(self.example_params):
            lo, hi = self._minimum_bracket
        else:
            grid = np.linspace(-50.0, 50.0, 200_001)
            i = int(np.argmin(self(grid, **p)))
            if i == 0 or i == grid.size - 1:
                raise ValueError(f"{self.name}: no interior minimum for {p}")
            lo, hi = grid[i - 1], grid[i + 1]
        xstar = brentq(lambda t: float(self.derivative(t, **p)), lo, hi, xtol=1e-15, rtol=8.9e-16, maxiter=500)
        return float(xstar), float(self(xstar, **p))

    @property
    def citation(self) -> str:
        """A MyST citation role for the paper, e.g. ``{cite}`clevert2016fast```."""
        return f"{{cite}}`{self.paper}`" if self.paper else ""

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.defaults.items())
        return f"<activation {self.name}({'x' + (', ' + args if args else '')}): {self.title}>"


# --------------------------------------------------------------------------------------
# Input handling and numeric helpers
# --------------------------------------------------------------------------------------
def as_real_array(x: Any, where: str, name: str = "x") -> np.ndarray:
    """``x`` as a float ndarray, the way every activation reads its input: floats keep their dtype,
    ints and bools become float64; anything else is a TypeError naming ``where`` and ``name``.
    The course's layers (``afbook.layers``) read their inputs and gradients with it too."""
    if not isinstance(x, np.ndarray):
        if isinstance(x, (str, bytes)) or x is None:
            raise TypeError(f"{where}: {name} must be real numbers (a float, an int or an array of them), "
                            f"got {type(x).__name__} {x!r}")
        try:
            x = np.asarray(x)
        except (ValueError, TypeError) as exc:
            raise TypeError(f"{where}: {name} must be a number or a rectangular array of numbers; "
                            f"NumPy could not read it ({exc})") from None
    kind = x.dtype.kind
    if kind == "f":
        return x
    if kind in "iub":
        return x.astype(np.float64)
    if kind == "c":
        raise TypeError(f"{where}: {name} must be real; complex input ({x.dtype}) has no activation here")
    raise TypeError(f"{where}: {name} must be real numbers, got an array of dtype {x.dtype}"
                    + (" (strings)" if kind in "US" else " (Python objects)" if kind == "O" else ""))


def _unrepresentable(v: Any, dtype: np.dtype) -> bool:
    """True for a finite, non-zero real parameter outside dtype's normal range (it would round
    to 0 or inf there, and turn a legal call into 0·inf)."""
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)):
        return False
    a = abs(float(v))
    info = np.finfo(dtype)
    return a != 0 and np.isfinite(a) and (a > float(info.max) or a < float(info.smallest_normal))


def _big(x: np.ndarray) -> float:
    return float(np.finfo(x.dtype).max)


def _max0(x: np.ndarray) -> np.ndarray:
    """max(x, 0) into a new array (``np.clip`` is several times faster than ``np.maximum``)."""
    return np.clip(x, 0, _INF)


def _min0(x: np.ndarray) -> np.ndarray:
    """min(x, 0) into a new array; nan stays nan."""
    return np.clip(x, -_INF, 0)


def _finite(x: np.ndarray, lower: bool = True, upper: bool = True) -> np.ndarray:
    """x with ±inf replaced by ±max (nan kept), for products whose limit at ±inf is 0·inf."""
    big = _big(x)
    return np.clip(x, -big if lower else -_INF, big if upper else _INF)


def _indicator(cond: np.ndarray, x: np.ndarray) -> np.ndarray:
    """cond as 0/1 in x's dtype, with nan wherever x is nan."""
    out = cond.astype(x.dtype)
    out[np.isnan(x)] = np.nan
    return out


def _exp_neg_abs(x: np.ndarray) -> np.ndarray:
    """e^{-|x|} in (0, 1]; never overflows."""
    out = np.abs(x)
    np.negative(out, out=out)
    return np.exp(out, out=out)


def _dsigmoid_of(z: np.ndarray) -> np.ndarray:
    """σ(z)σ(−z) = e^{−|z|} / (1 + e^{−|z|})², accurate to a few ULP for every z."""
    e = _exp_neg_abs(z)
    d = e + 1
    np.square(d, out=d)
    return np.divide(e, d, out=e)


def _reduce_axis(x: np.ndarray, axis: Any, fname: str) -> int:
    if x.ndim == 0:
        raise ValueError(f"{fname}: x must have at least one dimension (got a scalar); "
                         f"wrap it in a list, e.g. {fname}([x])")
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"{fname}: parameter 'axis' must be an integer, got {axis!r}")
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"{fname}: parameter 'axis' = {axis} is out of range for an input "
                         f"with {x.ndim} dimension(s)")
    return int(axis) % x.ndim


_AXIS = Param("axis", -1, "axis along which the vector is taken", kind="int", low=-(2**31), high=2**31)
_TEMPERATURE = Param("temperature", 1.0, "T > 0; T → 0 approaches argmax, T → ∞ the uniform vector",
                     low=0.0, low_open=True)

_registry: dict[str, Activation] = {}


class FrameworkCall(str):
    """How a framework spells an activation: the call as text, with its parts as data.

    It *is* the text shown on cards (``"keras.activations.leaky_relu(x, negative_slope=0.2)"``,
    with ``"  # note"`` appended, or ``"(none)"``), and it carries ``code`` (the call, or None where
    the framework has no built-in), ``note``, ``instead`` (an expression to use where there is no
    built-in), ``available`` and ``defaults``: the keyword arguments written in the call, parsed
    with Python's own parser, e.g. ``{"negative_slope": 0.2}``.
    """

    code: str | None
    note: str
    instead: str

    def __new__(cls, code: str | None, note: str = "", instead: str = ""):
        if code is None:
            text = f"(none: {instead})" if instead else "(none)"
        else:
            text = f"{code}  # {note}" if note else code
        self = super().__new__(cls, text)
        self.code, self.note, self.instead = code, note, instead
        return self

    @property
    def available(self) -> bool:
        return self.code is not None

    @property
    def defaults(self) -> dict:
        if self.code is None:
            return {}
        node = ast.parse(self.code, mode="eval").body
        if not isinstance(node, ast.Call):
            return {}
        return {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords
                if kw.arg is not None and _is_literal(kw.value)}


def _is_literal(node) -> bool:
    try:
        ast.literal_eval(node)
    except ValueError:
        return False
    return True


_fw = FrameworkCall


def _register(**facts):
    def wrap(fn):
        act = Activation(fn, **facts)
        _registry[act.name] = act
        __all__.append(act.name)
        return act
    return wrap


# --------------------------------------------------------------------------------------
# Outside the families: step and identity
# --------------------------------------------------------------------------------------
def _d_step(x, at_zero):
    return _indicator(np.zeros(x.shape, bool), x)


@_register(
    title="Step (Heaviside)", family="other",
    jumps=lambda at_zero: (0.0,),
    formula=r"H(x) = \begin{cases} 1 & x > 0 \\ h_0 & x = 0 \\ 0 & x < 0 \end{cases}",
    derivative_formula=r"H'(x) = 0 \quad (x \ne 0;\ \text{taken as } 0 \text{ at } x = 0)",
    summary="fires 1 above the threshold and 0 below; the perceptron's activation",
    params=(Param("at_zero", 0.0, "value at exactly x = 0 (a convention: 0, 1/2 or 1 are all in use)",
                  low=0.0, high=1.0),),
    derivative=_d_step, range=(0.0, 1.0), range_closed=(True, True), range_latex=r"\{0, 1\}",
    monotonic=True, smoothness="discontinuous", odd=False, saturating="both",
    paper="mcculloch1943logical", year=1943,
    used_in=("Rosenblatt's perceptron", "McCulloch–Pitts neurons"),
    ja="ステップ関数", zh="阶跃函数",
    frameworks={"pytorch": _fw("torch.heaviside(x, torch.tensor(0.0))"),
                "keras": _fw(None),
                "jax": _fw("jnp.heaviside(x, 0.0)"),
                "numpy": _fw("np.heaviside(x, 0.0)")},
)
def step(x, at_zero=0.0):
    r"""Heaviside step: 1 for x > 0, 0 for x < 0, ``at_zero`` at x = 0.

    The value at 0 is a convention. The E資格 notes (source article 001, see sources.md) write
    ``1 (x ≥ 0)`` in their formula but ``x > 0`` in their code; this library follows the code (and
    ``np.heaviside(x, 0)``): ``at_zero=0``. The derivative is 0 wherever it exists, which is why a
    network of steps cannot be trained by gradient descent. The threshold unit is McCulloch &
    Pitts (1943); Rosenblatt's perceptron (1958) learned its weights.
    """
    out = (x > 0).astype(x.dtype)              # np.heaviside is ten times slower
    if at_zero:
        out[x == 0] = at_zero
    out[np.isnan(x)] = np.nan
    return out


@_register(
    title="Identity (linear)", family="other",
    formula=r"f(x) = x", derivative_formula=r"f'(x) = 1",
    summary="passes its input through; the output layer of regression",
    derivative=lambda x: _indicator(np.ones(x.shape, bool), x),
    range=(-_INF, _INF), range_latex=r"(-\infty, \infty)",
    monotonic=True, smoothness="Cinf", odd=True, saturating="none",
    paper=None, year=None, used_in=("regression output layers", "linear bottlenecks (MobileNetV2)"),
    ja="恒等関数", zh="恒等函数",
    frameworks={"pytorch": _fw("torch.nn.Identity()"),
                "keras": _fw("keras.activations.linear(x)"),
                "jax": _fw("x")},
)
def identity(x):
    r"""Identity :math:`f(x) = x` (a copy of x as a float array). A network whose every
    activation is the identity is one linear map, however deep."""
    return np.array(x, copy=True)


# --------------------------------------------------------------------------------------
# The sigmoid family
# --------------------------------------------------------------------------------------
def _sigmoid(x: np.ndarray) -> np.ndarray:
    # e^{min(x,0)} / (1 + e^{-|x|}): neither exponential can overflow, and both branches of
    # the textbook split (x ≥ 0 and x < 0) are covered without np.where.
    num = _min0(x)
    np.exp(num, out=num)
    den = _exp_neg_abs(x)
    den += 1
    return np.divide(num, den, out=num)


@_register(
    title="Sigmoid (logistic)", family="sigmoid",
    formula=r"\sigma(x) = \frac{1}{1 + e^{-x}}",
    derivative_formula=r"\sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr)",
    summary="squashes any real number into (0, 1); a probability for binary outputs",
    derivative=_dsigmoid_of, range=(0.0, 1.0), range_latex="(0, 1)",
    monotonic=True, smoothness="Cinf", odd=False, saturating="both",
    paper="rumelhart1986learning", year=1986,
    used_in=("logistic regression", "binary and multi-label output layers", "LSTM and GRU gates"),
    ja="シグモイド関数", zh="Sigmoid 函数（S 型函数）",
    frameworks={"pytorch": _fw("torch.sigmoid(x)"),
                "keras": _fw("keras.activations.sigmoid(x)"),
                "jax": _fw("jax.nn.sigmoid(x)"),
                "scipy": _fw("scipy.special.expit(x)")},
)
def sigmoid(x):
    r"""Logistic sigmoid :math:`\sigma(x) = 1/(1 + e^{-x})`.

    Computed as :math:`e^{\min(x,0)} / (1 + e^{-|x|})`, which never overflows: the source articles'
    ``1/(1 + np.exp(-x))`` warns for x < −88.7 (float32) or x < −709.8 (float64). The
    derivative :math:`\sigma(x)\sigma(-x) = e^{-|x|}/(1+e^{-|x|})^2` keeps its relative
    accuracy where :math:`\sigma(1-\sigma)` rounds to 0. Used for backpropagation by
    Rumelhart, Hinton & Williams (1986).
    """
    return _sigmoid(x)


def _d_hard_sigmoid(x, slope):
    half = 0.5 / slope
    return _indicator((x > -half) & (x < half), x) * x.dtype.type(slope)


@_register(
    title="Hard sigmoid", family="sigmoid",
    kinks=lambda slope: (-0.5 / slope, 0.5 / slope),
    formula=r"\operatorname{hard\_sigmoid}(x) = \min\bigl(1, \max(0,\ s\,x + \tfrac12)\bigr)",
    derivative_formula=r"\operatorname{hard\_sigmoid}'(x) = \begin{cases} s & |x| < \frac{1}{2s} \\ 0 & \text{otherwise} \end{cases}",
    summary="a piecewise-linear sigmoid: a ramp of slope s clipped to [0, 1]",
    params=(Param("slope", 1 / 6, "slope s of the ramp: 1/6 (PyTorch, JAX, Keras 3; MobileNetV3), 0.2 (Theano, Keras 2, "
                  "ONNX; the overview article), 1/4 (Gulcehre et al. 2016), 1/2 (BinaryConnect)",
                  low=0.0, low_open=True),),
    derivative=_d_hard_sigmoid, range=(0.0, 1.0), range_closed=(True, True), range_latex="[0, 1]",
    monotonic=True, smoothness="C0", odd=False, saturating="both",
    paper="howard2019searching", year=2019,
    used_in=("MobileNetV3 squeeze-and-excite gates and hard swish (slope 1/6)",
             "LSTM and GRU gates in Keras up to 2.2 (slope 0.2)"),
    ja="ハードシグモイド関数", zh="硬 Sigmoid 函数",
    frameworks={"pytorch": _fw("torch.nn.functional.hardsigmoid(x)", note="slope 1/6"),
                "keras": _fw("keras.activations.hard_sigmoid(x)", note="slope 1/6 in Keras 3, 0.2 in Keras 2"),
                "jax": _fw("jax.nn.hard_sigmoid(x)", note="slope 1/6")},
)
def hard_sigmoid(x, slope=1 / 6):
    r"""Hard sigmoid :math:`\operatorname{clip}(s x + 1/2, 0, 1)`.

    At least four slopes are in use: ``1/6`` (PyTorch, JAX, Keras 3: ``relu6(x + 3) / 6``, flat
    beyond ±3; MobileNetV3, Howard et al. 2019, the key reference of the default), ``0.2``
    (Theano, Keras 2, the ONNX ``HardSigmoid`` default; flat beyond ±2.5), ``1/4`` (Gulcehre et al.
    2016, the first-order Taylor expansion of σ at 0) and ``1/2`` (BinaryConnect, Courbariaux et
    al. 2015: ``clip((x + 1)/2, 0, 1)``). The derivative is 0 at the two corners (PyTorch's
    convention).
    """
    with np.errstate(over="ignore"):          # slope·x = ±inf is the right limit
        y = np.multiply(x, slope)
    y += 0.5
    return np.clip(y, 0.0, 1.0, out=y)


@_register(
    title="Log-sigmoid", family="sigmoid",
    formula=r"\log\sigma(x) = -\log\bigl(1 + e^{-x}\bigr)",
    derivative_formula=r"(\log\sigma)'(x) = 1 - \sigma(x) = \sigma(-x)",
    summary="the logarithm of the sigmoid; the log-probability in binary cross-entropy",
    derivative=lambda x: _sigmoid(-x), range=(-_INF, 0.0), range_latex=r"(-\infty, 0)",
    monotonic=True, smoothness="Cinf", odd=False, saturating="right",
    paper=None, year=None,
    used_in=("binary cross-entropy from logits", "word2vec negative sampling"),
    ja="対数シグモイド関数", zh="对数 Sigmoid 函数",
    frameworks={"pytorch": _fw("torch.nn.functional.logsigmoid(x)"),
                "keras": _fw("keras.activations.log_sigmoid(x)"),
                "jax": _fw("jax.nn.log_sigmoid(x)"),
                "scipy": _fw("scipy.special.log_expit(x)")},
)
def log_sigmoid(x):
    r"""Log-sigmoid :math:`\log\sigma(x) = \min(x, 0) - \log(1 + e^{-|x|})`.

    The naive ``np.log(1/(1+np.exp(-x)))`` is ``-inf`` already at x = −40 in float32 and
    overflows below −88.7; this form is exact everywhere.
    """
    # min(x, 0) − log1p(e^{−|x|})
    t = _exp_neg_abs(x)
    np.log1p(t, out=t)
    out = _min0(x)
    return np.subtract(out, t, out=out)


def _swish(x, beta):
    with np.errstate(over="ignore"):          # β·x = ±inf gives σ = 0 or 1, the limit
        s = _sigmoid(np.multiply(x, beta))
    # x·σ(βx) is 0·inf only where x = ∓inf and σ = 0; clamp that side of x to ±max.
    xs = _finite(x, lower=beta > 0, upper=beta < 0)
    return np.multiply(xs, s, out=s)


def _d_swish(x, beta):
    with np.errstate(over="ignore"):
        z = np.multiply(x, beta)
    s = _sigmoid(z)
    d = _dsigmoid_of(z)
    np.clip(z, -1e4, 1e4, out=z)            # σ′ underflows to 0 long before |z| = 1e4
    d *= z
    return np.add(s, d, out=d)


def _d_swish_beta(x, beta):
    with np.errstate(over="ignore"):
        d = _dsigmoid_of(np.multiply(x, beta))
    xs = np.clip(x, -1e150, 1e150)            # x² · σ′(βx); σ′ is 0 far before x² overflows
    return d * xs * xs


_SWISH_FACTS = dict(
    family="sigmoid", monotonic=False, smoothness="Cinf", odd=False, saturating="left",
    range=("minimum", _INF), range_closed=(True, False), range_latex=r"[\min f, \infty)",
    minimum_bracket=(-3.0, -0.5),
)


@_register(
    title="Swish", **_SWISH_FACTS,
    formula=r"\operatorname{swish}_\beta(x) = x\,\sigma(\beta x)",
    derivative_formula=r"\operatorname{swish}_\beta'(x) = \sigma(\beta x) + \beta x\,\sigma(\beta x)\bigl(1 - \sigma(\beta x)\bigr)",
    summary="x gated by its own sigmoid; β (learnable) morphs it from x/2 (β = 0) towards ReLU (β → ∞)",
    params=(Param("beta", 1.0, "β; learnable in the paper; β = 1 is SiLU", low=0.0, low_open=True,
                  learnable=True),),
    derivative=_d_swish, param_derivatives={"beta": _d_swish_beta},
    paper="ramachandran2017searching", year=2017,
    used_in=("found by automated search (Ramachandran et al.)", "EfficientNet (β = 1)"),
    ja="Swish関数", zh="Swish 函数",
    frameworks={"pytorch": _fw("torch.nn.functional.silu(x)", note="β = 1 only"),
                "keras": _fw("keras.activations.swish(x)", note="β = 1"),
                "jax": _fw("jax.nn.swish(x)", note="β = 1")},
)
def swish(x, beta=1.0):
    r"""Swish :math:`x\,\sigma(\beta x)` with a (learnable) β > 0.

    Found by an automated search over activation formulas; replacing ReLU with it raised
    ImageNet top-1 accuracy by 0.9 % for Mobile NASNet-A and 0.6 % for Inception-ResNet-v2
    (Ramachandran, Zoph & Le 2017). ``swish(-inf) == 0``: the limit, where PyTorch gives nan.
    ``swish.param_derivative(x, "beta", beta=…)`` gives ∂f/∂β = x² σ′(βx).
    """
    return _swish(x, beta)


@_register(
    title="SiLU", **_SWISH_FACTS,
    formula=r"\operatorname{SiLU}(x) = x\,\sigma(x)",
    derivative_formula=r"\operatorname{SiLU}'(x) = \sigma(x)\bigl(1 + x\,(1 - \sigma(x))\bigr)",
    summary="sigmoid-weighted linear unit: swish with β = 1",
    derivative=lambda x: _d_swish(x, 1.0),
    paper="hendrycks2016gaussian", year=2016,
    used_in=("EfficientNet", "YOLOv5 and later", "SwiGLU feed-forward layers of LLaMA and PaLM"),
    ja="SiLU（シグモイド重み付き線形ユニット）", zh="SiLU（Sigmoid 加权线性单元）",
    frameworks={"pytorch": _fw("torch.nn.functional.silu(x)"),
                "keras": _fw("keras.activations.silu(x)"),
                "jax": _fw("jax.nn.silu(x)")},
)
def silu(x):
    r"""SiLU :math:`x\,\sigma(x)` (swish with β = 1). Named in Hendrycks & Gimpel (2016),
    used for reinforcement learning by Elfwing, Uchibe & Doya (2018). Its minimum is
    ``silu.minimum``; ``silu(-inf) == 0``."""
    return _swish(x, 1.0)


def _d_hard_swish(x):
    d = np.divide(x, 3.0)
    d += 0.5
    d[x <= -3.0] = 0.0
    d[x >= 3.0] = 1.0
    return d


@_register(
    title="Hard swish", family="sigmoid",
    kinks=lambda: (-3.0, 3.0),
    formula=r"\operatorname{hard\_swish}(x) = x\,\frac{\operatorname{ReLU6}(x + 3)}{6}",
    derivative_formula=r"\operatorname{hard\_swish}'(x) = \begin{cases} 0 & x \le -3 \\ \frac{2x + 3}{6} & -3 < x < 3 \\ 1 & x \ge 3 \end{cases}",
    summary="a piecewise-quadratic swish without exponentials, for mobile networks",
    derivative=_d_hard_swish, range=("minimum", _INF), range_closed=(True, False),
    range_latex=r"[-\tfrac38, \infty)", minimum_bracket=(-2.9, -0.5),
    monotonic=False, smoothness="C0", odd=False, saturating="left",
    paper="howard2019searching", year=2019, used_in=("MobileNetV3",),
    ja="ハードSwish関数", zh="硬 Swish 函数",
    frameworks={"pytorch": _fw("torch.nn.functional.hardswish(x)"),
                "keras": _fw("keras.activations.hard_swish(x)"),
                "jax": _fw("jax.nn.hard_swish(x)")},
)
def hard_swish(x):
    r"""Hard swish :math:`x\,\operatorname{ReLU6}(x+3)/6` (Howard et al. 2019, MobileNetV3).
    Derivative 0 at x = −3 and 1 at x = 3 (PyTorch's convention)."""
    r = np.add(x, 3.0)
    np.clip(r, 0.0, 6.0, out=r)
    r /= 6.0
    return np.multiply(_finite(x, upper=False), r, out=r)


def _d_mish(x):
    # mish′ = t + x σ(x) (1 − t²), with 1 − t² = 4(q + 1)/(q + 2)² (no cancellation).
    cap = 22.0 if x.dtype == np.float64 else 12.0
    n = np.exp(np.clip(x, -_INF, cap))
    q = n * (n + 2.0)
    t = q / (q + 2.0)
    one_minus_t2 = 4.0 * (q + 1.0) / np.square(q + 2.0)
    return t + np.clip(x, -1e4, cap) * _sigmoid(x) * one_minus_t2


@_register(
    title="Mish", family="sigmoid",
    formula=r"\operatorname{mish}(x) = x\,\tanh\bigl(\operatorname{softplus}(x)\bigr)",
    derivative_formula=r"\operatorname{mish}'(x) = \tanh(\operatorname{sp}(x)) + x\,\sigma(x)\,\operatorname{sech}^2(\operatorname{sp}(x))",
    summary="a smooth, non-monotonic self-gated unit like swish, with a slightly deeper dip",
    derivative=_d_mish, range=("minimum", _INF), range_closed=(True, False),
    range_latex=r"[\min f, \infty)", minimum_bracket=(-3.0, -0.5),
    monotonic=False, smoothness="Cinf", odd=False, saturating="left",
    paper="misra2019mish", year=2019, used_in=("YOLOv4",),
    ja="Mish関数", zh="Mish 函数",
    frameworks={"pytorch": _fw("torch.nn.functional.mish(x)"),
                "keras": _fw("keras.activations.mish(x)"),
                "jax": _fw("jax.nn.mish(x)")},
)
def mish(x):
    r"""Mish :math:`x\tanh(\log(1 + e^x))` (Misra 2019), computed as
    :math:`x\,q/(q+2)` with :math:`q = e^x(e^x + 2)`: no ``log``, no ``tanh``, no overflow.
    Its minimum ≈ −0.3088 (``mish.minimum``); ``mish(-inf) == 0``."""
    # tanh(softplus(x)) = q / (q + 2) with n = e^x, q = n (n + 2); for x > 20 it is 1 to
    # within half an ULP, so n is capped there and q never overflows.
    n = np.clip(x, -_INF, 20.0)
    np.exp(n, out=n)
    q = n + 2.0
    q *= n
    t = q + 2.0
    np.divide(q, t, out=t)
    return np.multiply(_finite(x, upper=False), t, out=t)


# --------------------------------------------------------------------------------------
# The tanh family
# --------------------------------------------------------------------------------------
def _d_tanh(x):
    # sech²(x) = 4 e^{−2|x|} / (1 + e^{−2|x|})²; e^{−2|x|} = (e^{−|x|})² never overflows
    e = _exp_neg_abs(x)
    np.square(e, out=e)
    d = e + 1.0
    np.square(d, out=d)
    np.divide(e, d, out=e)
    e *= 4.0
    return e


@_register(
    title="Tanh", family="tanh",
    formula=r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1",
    derivative_formula=r"\tanh'(x) = 1 - \tanh^2(x)",
    summary="the hyperbolic tangent: a zero-centred sigmoid with range (−1, 1)",
    derivative=_d_tanh, range=(-1.0, 1.0), range_latex="(-1, 1)",
    monotonic=True, smoothness="Cinf", odd=True, saturating="both",
    paper="lecun1998efficient", year=1998,
    used_in=("LSTM and GRU cell updates", "classic recurrent networks", "GELU's tanh approximation"),
    ja="双曲線正接関数（tanh）", zh="双曲正切函数（tanh）",
    frameworks={"pytorch": _fw("torch.tanh(x)"),
                "keras": _fw("keras.activations.tanh(x)"),
                "jax": _fw("jnp.tanh(x)")},
)
def tanh(x):
    r"""Hyperbolic tangent (``np.tanh``; never the source articles' ``(e^x − e^{−x})/(e^x + e^{−x})``,
    which is nan for |x| > 88.7 in float32). Its derivative is computed as
    :math:`4e^{-2|x|}/(1 + e^{-2|x|})^2`, accurate where :math:`1 - \tanh^2` rounds to 0.
    LeCun et al. (1998) recommend it over the sigmoid because its outputs are zero-centred."""
    return np.tanh(x)


def _check_min_max(fname, min_val, max_val):
    if min_val > max_val:
        raise ValueError(f"{fname}: parameter 'min_val' ({min_val!r}) must not exceed 'max_val' ({max_val!r})")


@_register(
    title="Hard tanh", family="tanh",
    kinks=lambda min_val, max_val: (min_val, max_val),
    formula=r"\operatorname{hard\_tanh}(x) = \min\bigl(\text{max\_val}, \max(\text{min\_val}, x)\bigr)",
    derivative_formula=r"\operatorname{hard\_tanh}'(x) = \begin{cases} 1 & \text{min\_val} < x < \text{max\_val} \\ 0 & \text{otherwise} \end{cases}",
    summary="the identity clipped to [−1, 1]: a piecewise-linear tanh",
    params=(Param("min_val", -1.0, "lower clip value"), Param("max_val", 1.0, "upper clip value")),
    constraint=_check_min_max,
    derivative=lambda x, min_val, max_val: _indicator((x > min_val) & (x < max_val), x),
    range=lambda min_val, max_val: (min_val, max_val), range_closed=(True, True), range_latex="[-1, 1]",
    monotonic=True, smoothness="C0", odd=True, saturating="both",
    paper="collobert2004large", year=2004,
    used_in=("binarised and quantised networks (straight-through estimator)", "early NLP networks (SENNA)"),
    ja="ハードtanh関数", zh="硬双曲正切函数（HardTanh）",
    frameworks={"pytorch": _fw("torch.nn.functional.hardtanh(x, min_val=-1.0, max_val=1.0)"),
                "keras": _fw("keras.activations.hard_tanh(x)"),
                "jax": _fw("jax.nn.hard_tanh(x)")},
)
def hard_tanh(x, min_val=-1.0, max_val=1.0):
    r"""Hard tanh: x clipped to ``[min_val, max_val]``; derivative 1 strictly inside, 0 at
    and beyond the corners (PyTorch's convention). Collobert (2004)."""
    return np.clip(x, min_val, max_val)


# x − tanh x cancels for small |x|; Lambert's continued fraction tanh x = x / (1 + u),
# u = x² / (3 + x² / (5 + x² / (7 + …))) gives x − tanh x = x u / (1 + u) with no cancellation.
_TANH_SHRINK_CF = {np.dtype(np.float64): 14, np.dtype(np.float32): 8}


@_register(
    title="Tanh-shrink", family="tanh",
    formula=r"\operatorname{tanh\_shrink}(x) = x - \tanh(x)",
    derivative_formula=r"\operatorname{tanh\_shrink}'(x) = \tanh^2(x)",
    summary="x minus tanh x: flat near 0 (like x³/3), linear far out",
    derivative=lambda x: np.square(np.tanh(x)),
    range=(-_INF, _INF), range_latex=r"(-\infty, \infty)",
    monotonic=True, smoothness="Cinf", odd=True, saturating="none",
    paper=None, year=None, used_in=("rarely used; built into PyTorch (nn.Tanhshrink, from Torch7) and Keras 3",),
    ja="Tanhシュリンク関数", zh="TanhShrink 函数",
    frameworks={"pytorch": _fw("torch.nn.functional.tanhshrink(x)"),
                "keras": _fw("keras.activations.tanh_shrink(x)"),
                "jax": _fw("x - jnp.tanh(x)")},
)
def tanh_shrink(x):
    r"""Tanh-shrink :math:`x - \tanh x`. For |x| < 2 it is computed from Lambert's continued
    fraction, because the plain difference cancels: at x = 1e-3 it keeps only about 6 of the
    16 digits of float64."""
    out = x - np.tanh(x)
    small = np.abs(x) < 2.0
    xs = x[small]
    if xs.size:
        x2 = xs * xs
        u = np.zeros_like(xs)
        for k in range(2 * _TANH_SHRINK_CF[x.dtype] + 1, 1, -2):
            u += k
            np.divide(x2, u, out=u)
        out[small] = xs * u / (1.0 + u)
    return out


def _d_softsign(x):
    r = np.abs(x)
    r += 1.0
    np.reciprocal(r, out=r)
    return np.square(r, out=r)


@_register(
    title="Softsign", family="tanh",
    formula=r"\operatorname{softsign}(x) = \frac{x}{1 + |x|}",
    derivative_formula=r"\operatorname{softsign}'(x) = \frac{1}{(1 + |x|)^2}",
    summary="a tanh-like squashing with polynomial rather than exponential tails",
    derivative=_d_softsign, range=(-1.0, 1.0), range_latex="(-1, 1)",
    monotonic=True, smoothness="C1", odd=True, saturating="both",
    paper="glorot2010understanding", year=2010,
    used_in=("studied by Glorot & Bengio (2010) as a gentler-saturating tanh",),
    ja="ソフトサイン関数", zh="Softsign 函数",
    frameworks={"pytorch": _fw("torch.nn.functional.softsign(x)"),
                "keras": _fw("keras.activations.softsign(x)"),
                "jax": _fw("jax.nn.soft_sign(x)")},
)
def softsign(x):
    r"""Softsign :math:`x/(1 + |x|)`: saturates like 1/x, much more slowly than tanh.
    ``softsign(±inf) == ±1``."""
    xf = _finite(x)                           # ±inf → ±max, so the ratio is ±1 and not inf/inf
    den = np.abs(xf)
    den += 1.0
    return np.divide(xf, den, out=den)


_LAMBD = Param("lambd", 0.5, "threshold λ ≥ 0 (PyTorch spells it lambd)", low=0.0)


@_register(
    title="Soft shrink", family="tanh",
    kinks=lambda lambd: (-lambd, lambd),
    formula=r"\operatorname{soft\_shrink}_\lambda(x) = \begin{cases} x - \lambda & x > \lambda \\ x + \lambda & x < -\lambda \\ 0 & \text{otherwise} \end{cases}",
    derivative_formula=r"\operatorname{soft\_shrink}_\lambda'(x) = \begin{cases} 1 & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}",
    summary="soft thresholding: zero inside [−λ, λ], shifted towards 0 outside",
    params=(_LAMBD,),
    derivative=lambda x, lambd: _indicator(np.abs(x) > lambd, x),
    range=(-_INF, _INF), range_latex=r"(-\infty, \infty)",
    monotonic=True, smoothness="C0", odd=True, saturating="none",
    paper="donoho1994ideal", year=1994,
    used_in=("ISTA and LISTA sparse coding", "wavelet denoising"),
    ja="ソフト縮小関数", zh="软收缩函数",
    frameworks={"pytorch": _fw("torch.nn.functional.softshrink(x, lambd=0.5)"),
                "keras": _fw("keras.activations.soft_shrink(x, threshold=0.5)"),
                "jax": _fw(None)},
)
def soft_shrink(x, lambd=0.5):
    r"""Soft shrinkage :math:`x - \operatorname{clip}(x, -\lambda, \lambda)`: the proximal map of
    λ|x| (Donoho & Johnstone 1994). Derivative 0 at ±λ (PyTorch's convention)."""
    return np.subtract(x, np.clip(x, -lambd, lambd))


@_register(
    title="Hard shrink", family="tanh",
    jumps=lambda lambd: (-lambd, lambd) if lambd > 0 else (),
    formula=r"\operatorname{hard\_shrink}_\lambda(x) = \begin{cases} x & |x| > \lambda \\ 0 & |x| \le \lambda \end{cases}",
    derivative_formula=r"\operatorname{hard\_shrink}_\lambda'(x) = \begin{cases} 1 & |x| > \lambda \\ 0 & |x| < \lambda \end{cases}",
    summary="hard thresholding: zero inside [−λ, λ], the identity outside",
    params=(_LAMBD,),
    derivative=lambda x, lambd: _indicator(np.abs(x) > lambd, x),
    range=(-_INF, _INF), range_latex=r"(-\infty, \infty)",
    monotonic=True, smoothness="discontinuous", odd=True, saturating="none",
    paper="donoho1994ideal", year=1994, used_in=("wavelet hard thresholding", "sparse coding"),
    ja="ハード縮小関数", zh="硬收缩函数",
    frameworks={"pytorch": _fw("torch.nn.functional.hardshrink(x, lambd=0.5)"),
                "keras": _fw("keras.activations.hard_shrink(x, threshold=0.5)"),
                "jax": _fw(None)},
)
def hard_shrink(x, lambd=0.5):
    r"""Hard shrinkage: x where |x| > λ, else 0 (jumps by λ at ±λ). Donoho & Johnstone (1994)."""
    return np.multiply(x, np.abs(x) > lambd)


# --------------------------------------------------------------------------------------
# The ReLU family
# --------------------------------------------------------------------------------------
@_register(
    title="ReLU", family="relu",
    kinks=lambda: (0.0,),
    formula=r"\operatorname{ReLU}(x) = \max(0, x)",
    derivative_formula=r"\operatorname{ReLU}'(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}",
    summary="the rectified linear unit: the identity for positive inputs, 0 otherwise",
    derivative=lambda x: _indicator(x > 0, x),
    range=(0.0, _INF), range_closed=(True, False), range_latex=r"[0, \infty)",
    monotonic=True, smoothness="C0", odd=False, saturating="left",
    paper="nair2010rectified", year=2010, used_in=("AlexNet", "VGG", "ResNet"),
    ja="ReLU関数（ランプ関数、正規化線形関数）", zh="线性整流函数（修正线性单元）",
    frameworks={"pytorch": _fw("torch.nn.functional.relu(x)"),
                "keras": _fw("keras.activations.relu(x)"),
                "jax": _fw("jax.nn.relu(x)")},
)
def relu(x):
    r"""ReLU :math:`\max(0, x)`; derivative 0 at x = 0 (PyTorch's convention). Nair & Hinton
    (2010); Glorot, Bordes & Bengio (2011) showed why it trains deep networks well."""
    return _max0(x)


@_register(
    title="ReLU6", family="relu",
    kinks=lambda: (0.0, 6.0),
    formula=r"\operatorname{ReLU6}(x) = \min\bigl(\max(0, x), 6\bigr)",
    derivative_formula=r"\operatorname{ReLU6}'(x) = \begin{cases} 1 & 0 < x < 6 \\ 0 & \text{otherwise} \end{cases}",
    summary="ReLU capped at 6, robust under low-precision arithmetic",
    derivative=lambda x: _indicator((x > 0) & (x < 6), x),
    range=(0.0, 6.0), range_closed=(True, True), range_latex="[0, 6]",
    monotonic=True, smoothness="C0", odd=False, saturating="both",
    paper="krizhevsky2010convolutional", year=2010, used_in=("MobileNetV1", "MobileNetV2"),
    ja="ReLU6関数", zh="ReLU6 函数",
    frameworks={"pytorch": _fw("torch.nn.functional.relu6(x)"),
                "keras": _fw("keras.activations.relu6(x)"),
                "jax": _fw("jax.nn.relu6(x)")},
)
def relu6(x):
    r"""ReLU6 :math:`\min(\max(0,x),6)` (Krizhevsky 2010; MobileNetV2, Sandler et al. 2018).
    Derivative 0 at both corners (PyTorch's convention)."""
    return np.clip(x, 0.0, 6.0)


def _leaky(x, alpha):
    if alpha == 0.0:
        return _max0(x)
    if 0.0 < alpha <= 1.0:                    # the usual case: max(x, αx), two passes
        out = np.multiply(x, alpha)
        return np.maximum(x, out, out=out)
    with np.errstate(over="ignore"):          # |α| > 1: α·x may round to ±inf, the right limit
        neg = _min0(x)
        neg *= alpha
    return np.add(_max0(x), neg, out=neg)


def _d_leaky(x, alpha):
    d = np.where(x > 0, x.dtype.type(1), x.dtype.type(alpha))
    d[np.isnan(x)] = np.nan
    return d


def _d_leaky_alpha(x, alpha):
    return _min0(x)


_LEAKY_FACTS = dict(
    family="relu", derivative=_d_leaky, param_derivatives={"alpha": _d_leaky_alpha},
    range=(-_INF, _INF), range_latex=r"(-\infty, \infty)",
    monotonic=True, smoothness="C0", odd=False, saturating="none",
)


@_register(
    title="Leaky ReLU", **_LEAKY_FACTS,
    kinks=lambda alpha: (0.0,) if alpha != 1 else (),
    formula=r"\operatorname{LeakyReLU}_\alpha(x) = \begin{cases} x & x \ge 0 \\ \alpha x & x < 0 \end{cases}",
    derivative_formula=r"\operatorname{LeakyReLU}_\alpha'(x) = \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases}",
    summary="ReLU with a small fixed slope α for negative inputs, so no unit can die",
    params=(Param("alpha", 0.01, "negative slope α (PyTorch and JAX 0.01; Keras function 0.2, "
                  "Keras layer 0.3)"),),
    paper="maas2013rectifier", year=2013,
    used_in=("GAN discriminators (DCGAN, α = 0.2)", "YOLOv3 (α = 0.1)"),
    ja="Leaky ReLU関数（LReLU）", zh="渗漏型整流线性单元（Leaky ReLU）",
    frameworks={"pytorch": _fw("torch.nn.functional.leaky_relu(x, negative_slope=0.01)"),
                "keras": _fw("keras.activations.leaky_relu(x, negative_slope=0.2)"),
                "keras (layer)": _fw("keras.layers.LeakyReLU(negative_slope=0.3)"),
                "jax": _fw("jax.nn.leaky_relu(x, negative_slope=0.01)")},
)
def leaky_relu(x, alpha=0.01):
    r"""Leaky ReLU: x for x ≥ 0, αx below; derivative α at x = 0 (PyTorch's convention).
    Maas, Hannun & Ng (2013) used α = 0.01. Defaults differ: 0.01 in PyTorch and JAX, 0.2 in
    ``keras.activations.leaky_relu``, 0.3 in the ``keras.layers.LeakyReLU`` layer."""
    return _leaky(x, alpha)


@_register(
    title="PReLU", **_LEAKY_FACTS,
    kinks=lambda alpha: (0.0,) if alpha != 1 else (),
    formula=r"\operatorname{PReLU}_\alpha(x) = \begin{cases} x & x \ge 0 \\ \alpha x & x < 0 \end{cases}",
    derivative_formula=r"\frac{\partial}{\partial x} = \begin{cases} 1 & x > 0 \\ \alpha & x \le 0 \end{cases},\quad \frac{\partial}{\partial \alpha} = \min(0, x)",
    summary="leaky ReLU whose slope α is learned with the weights",
    params=(Param("alpha", 0.25, "learned negative slope; PyTorch initialises it to 0.25, Keras to 0",
                  learnable=True),),
    paper="he2015delving", year=2015, used_in=("PReLU-nets of He et al. (first to beat human-level ImageNet error)",),
    ja="パラメトリックReLU（PReLU）", zh="参数化线性整流单元（PReLU）",
    frameworks={"pytorch": _fw("torch.nn.PReLU(init=0.25)"),
                "keras": _fw("keras.layers.PReLU()", note="α initialised to 0"),
                "jax": _fw(None, instead="jnp.where(x >= 0, x, alpha * x)")},
)
def prelu(x, alpha=0.25):
    r"""PReLU: leaky ReLU with a learned slope α (He, Zhang, Ren & Sun 2015; PyTorch
    initialises α = 0.25). ``prelu.param_derivative(x, "alpha")`` = min(0, x) is the gradient
    that learns it."""
    return _leaky(x, alpha)


def _check_rrelu(fname, lower, upper, training, rng):
    if lower > upper:
        raise ValueError(f"{fname}: parameter 'lower' ({lower!r}) must not exceed 'upper' ({upper!r})")
    if training and rng is None:
        raise ValueError(f"{fname}: training=True draws random slopes and needs parameter 'rng', "
                         f"e.g. rng=np.random.default_rng(0), so results are reproducible")


def _rrelu_slopes(x, lower, upper, training, rng):
    if training:
        return rng.uniform(lower, upper, size=x.shape).astype(x.dtype)
    return x.dtype.type((lower + upper) / 2)


def _d_rrelu(x, lower, upper, training, rng):
    a = np.broadcast_to(_rrelu_slopes(x, lower, upper, training, rng), x.shape)
    d = np.where(x > 0, x.dtype.type(1), a)
    d[np.isnan(x)] = np.nan
    return d


@_register(
    title="RReLU", family="relu",
    kinks=lambda lower, upper, training, rng: (0.0,),
    formula=r"\operatorname{RReLU}(x) = \begin{cases} x & x \ge 0 \\ a\,x & x < 0 \end{cases},\ a \sim U(l, u) \text{ (training)},\ a = \tfrac{l + u}{2} \text{ (evaluation)}",
    derivative_formula=r"\operatorname{RReLU}'(x) = \begin{cases} 1 & x > 0 \\ a & x \le 0 \end{cases}",
    summary="leaky ReLU with a random slope while training and the mean slope at test time",
    params=(Param("lower", 1 / 8, "lower bound l of the slope", low=0.0, high=1.0),
            Param("upper", 1 / 3, "upper bound u of the slope", low=0.0, high=1.0),
            Param("training", False, "draw a slope per element from U(l, u)", kind="bool"),
            Param("rng", None, "random generator, required when training", kind="generator")),
    constraint=_check_rrelu, derivative=_d_rrelu,
    range=(-_INF, _INF), range_latex=r"(-\infty, \infty)",
    monotonic=True, smoothness="C0", odd=False, saturating="none",
    paper="xu2015empirical", year=2015, used_in=("Kaggle National Data Science Bowl entries (Xu et al. 2015)",),
    ja="ランダム化ReLU（RReLU）", zh="随机线性整流单元（RReLU）",
    frameworks={"pytorch": _fw("torch.nn.functional.rrelu(x, lower=1/8, upper=1/3, training=False)"),
                "keras": _fw(None),
                "jax": _fw(None)},
)
def rrelu(x, lower=1 / 8, upper=1 / 3, training=False, rng=None):
    r"""Randomised leaky ReLU (Xu, Wang, Chen & Li 2015). In evaluation the slope is
    (lower + upper)/2; with ``training=True`` each element draws its slope from
    U(lower, upper) with ``rng`` (a seeded ``np.random.Generator``: the derivative with a
    generator in the same state draws the same slopes)."""
    a = _rrelu_slopes(x, lower, upper, training, rng)
    neg = _min0(x)
    neg *= a
    return np.add(_max0(x), neg, out=neg)


def _elu(x, alpha):
    neg = _min0(x)
    np.expm1(neg, out=neg)
    neg *= alpha
    return np.add(_max0(x), neg, out=neg)


def _d_elu(x, alpha):
    d = np.exp(_min0(x))
    d *= alpha
    d[x > 0] = 1.0
    return d


_ALPHA_ELU = Param("alpha", 1.0, "α ≥ 0: the negative saturation value is −α", low=0.0)


@_register(
    title="ELU", family="relu",
    kinks=lambda alpha: (0.0,) if alpha != 1 else (),
    formula=r"\operatorname{ELU}_\alpha(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}",
    derivative_formula=r"\operatorname{ELU}_\alpha'(x) = \begin{cases} 1 & x > 0 \\ \alpha\,e^{x} & x \le 0 \end{cases}",
    summary="exponential linear unit: identity above 0, a smooth exponential approach to −α below",
    params=(_ALPHA_ELU,), derivative=_d_elu,
    param_derivatives={"alpha": lambda x, alpha: np.expm1(_min0(x))},
    range=lambda alpha: (-alpha, _INF), range_latex=r"(-\alpha, \infty)",
    monotonic=True, smoothness="C1", odd=False, saturating="left",
    paper="clevert2016fast", year=2016, used_in=("deep CIFAR-100 networks of Clevert et al.",),
    ja="指数線形ユニット（ELU）", zh="指数线性单元（ELU）",
    frameworks={"pytorch": _fw("torch.nn.functional.elu(x, alpha=1.0)"),
                "keras": _fw("keras.activations.elu(x, alpha=1.0)"),
                "jax": _fw("jax.nn.elu(x, alpha=1.0)")},
    notes="C1 only for α = 1 (the default); for other α the derivative jumps at 0 from α to 1.",
)
def elu(x, alpha=1.0):
    r"""ELU (Clevert, Unterthiner & Hochreiter 2016), computed as
    :math:`\max(x,0) + \alpha\,\operatorname{expm1}(\min(x,0))`: no overflow (the overview article's
    ``np.where(x >= 0, x, α*(np.exp(x)-1))`` evaluates ``exp`` on the positive inputs too) and
    full precision for tiny negative x. Derivative α at x = 0 (PyTorch's convention). The
    default α is 1.0 in every framework and in the paper."""
    return _elu(x, alpha)


def _d_celu(x, alpha):
    with np.errstate(over="ignore"):
        d = np.exp(np.divide(_min0(x), alpha))
    d[x > 0] = 1.0
    return d


@_register(
    title="CELU", family="relu",
    formula=r"\operatorname{CELU}_\alpha(x) = \max(0, x) + \min\bigl(0,\ \alpha\,(e^{x/\alpha} - 1)\bigr)",
    derivative_formula=r"\operatorname{CELU}_\alpha'(x) = \begin{cases} 1 & x > 0 \\ e^{x/\alpha} & x \le 0 \end{cases}",
    summary="ELU re-parametrised so its derivative is continuous for every α",
    params=(Param("alpha", 1.0, "α > 0", low=0.0, low_open=True),), derivative=_d_celu,
    range=lambda alpha: (-alpha, _INF), range_latex=r"(-\alpha, \infty)",
    monotonic=True, smoothness="C1", odd=False, saturating="left",
    paper="barron2017continuously", year=2017, used_in=("available in PyTorch, JAX and Keras; rarely the default",),
    ja="連続微分可能ELU（CELU）", zh="连续可微指数线性单元（CELU）",
    frameworks={"pytorch": _fw("torch.nn.functional.celu(x, alpha=1.0)"),
                "keras": _fw("keras.activations.celu(x, alpha=1.0)"),
                "jax": _fw("jax.nn.celu(x, alpha=1.0)")},
)
def celu(x, alpha=1.0):
    r"""CELU (Barron 2017): :math:`\max(0,x) + \min(0, \alpha\,\operatorname{expm1}(x/\alpha))`.
    Unlike ELU its slope at 0 is 1 on both sides for every α, so it is C¹."""
    with np.errstate(over="ignore"):          # min(x,0)/α = −inf is the right limit
        neg = np.divide(_min0(x), alpha)
    np.expm1(neg, out=neg)
    neg *= alpha
    return np.add(_max0(x), neg, out=neg)


def _d_selu(x):
    d = _d_elu(x, SELU_ALPHA)
    d *= SELU_LAMBDA
    return d


@_register(
    title="SELU", family="relu",
    kinks=lambda: (0.0,),
    formula=r"\operatorname{SELU}(x) = \lambda \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases},\ \alpha \approx 1.6733,\ \lambda \approx 1.0507",
    derivative_formula=r"\operatorname{SELU}'(x) = \lambda \begin{cases} 1 & x > 0 \\ \alpha\,e^{x} & x \le 0 \end{cases}",
    summary="scaled ELU whose constants make mean 0 and variance 1 an attracting fixed point",
    derivative=_d_selu, range=(-SELU_LAMBDA * SELU_ALPHA, _INF), range_latex=r"(-\lambda\alpha, \infty)",
    monotonic=True, smoothness="C0", odd=False, zero_centred=True, saturating="left", self_normalising=True,
    paper="klambauer2017self", year=2017, used_in=("self-normalising fully connected networks (SNNs)",),
    ja="スケール付き指数線形ユニット（SELU）", zh="扩展型指数线性单元（SELU）",
    frameworks={"pytorch": _fw("torch.nn.functional.selu(x)"),
                "keras": _fw("keras.activations.selu(x)"),
                "jax": _fw("jax.nn.selu(x)")},
    notes="Self-normalising only with LeCun-normal weights, no batch normalisation, and (for dropout) alpha-dropout.",
)
def selu(x):
    r"""SELU :math:`\lambda\,\operatorname{ELU}_\alpha(x)` with ``SELU_ALPHA`` ≈ 1.6733 and
    ``SELU_LAMBDA`` ≈ 1.0507 (Klambauer et al. 2017), which make (mean 0, variance 1) a
    stable fixed point of a dense layer with LeCun-normal weights. Derivative λα at 0."""
    out = _elu(x, SELU_ALPHA)
    out *= SELU_LAMBDA
    return out


def _exp_neg_half_sq(x):
    """e^{−x²/2} to a few ULP even where x²/2 is large: x = hi + lo with hi on 26 bits, so
    hi²/2 is exact and the rounding of x² does not become an error in the exponent."""
    xf = np.nan_to_num(x, nan=0.0, posinf=1e200, neginf=-1e200)
    hi = (xf.view(np.int64) & ~np.int64((1 << 27) - 1)).view(np.float64)
    lo = xf - hi
    with np.errstate(over="ignore"):
        out = np.exp(-0.5 * hi * hi) * np.exp(-(hi * lo + 0.5 * lo * lo))
    out[np.isnan(x)] = np.nan
    return out


def _ndtr(x):
    """Φ(x) in float64 to a few ULP: with t = ½ erfcx(|x|/√2) e^{−x²/2} = Φ(−|x|), Φ(x) is t for
    x < 0 and 1 − t for x ≥ 0. (0.5 erfc(−x/√2) loses ~2z² ULP to the rounding of x/√2.)"""
    t = np.abs(x)
    t *= _SQRT_HALF
    _sp.erfcx(t, out=t)
    t *= _exp_neg_half_sq(x)
    t *= 0.5
    np.copysign(t, x, out=t)
    return np.subtract(~np.signbit(x), t, out=t)


def _half_erfc(x):
    """½ erfc(−x/√2) = Φ(x) as a new array: loses ~2z² ULP of x's dtype to the rounding of x/√2."""
    c = np.multiply(x, -_SQRT_HALF)
    _sp.erfc(c, out=c)
    c *= 0.5
    return c


def _ndtr_fast(x):
    """Φ(x) in float64, as accurate as ``_ndtr``: ``_half_erfc`` loses only ~2z² ULP (≤ 4 for
    x ≥ −2, and nothing for x > 0, where erfc(−z) = 2 − erfc(z) is near 2); the slower
    ``_ndtr`` is used only for the x < −2 left tail, where the loss grows."""
    c = _half_erfc(x)
    tail = np.flatnonzero(x < -2.0)
    if tail.size:
        c.flat[tail] = _ndtr(x.flat[tail])
    return c


def _d_gelu(x, approximate):
    xs = np.clip(x, -1e4, 1e4)                # beyond |x| = 40 the second term is exactly 0
    if approximate == "none":
        x64, xs64 = x.astype(np.float64), xs.astype(np.float64)
        if x.dtype == np.float64:
            d = _ndtr_fast(x64) + xs64 * _exp_neg_half_sq(xs64) * _INV_SQRT_2PI
        else:                                 # float32: the plain float64 formulas suffice (see _gelu)
            d = _half_erfc(x64) + xs64 * np.exp(-0.5 * xs64 * xs64) * _INV_SQRT_2PI
        return d.astype(x.dtype)
    with np.errstate(over="ignore"):
        z2 = 2.0 * _SQRT_2_OVER_PI * x * (1.0 + GELU_TANH_C * np.square(x))
    dz2 = 2.0 * _SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_TANH_C * xs * xs)
    return _sigmoid(z2) + xs * dz2 * _dsigmoid_of(np.clip(z2, -1e4, 1e4))


@_register(
    title="GELU", family="relu",
    formula=r"\operatorname{GELU}(x) = x\,\Phi(x) = \frac{x}{2}\Bigl(1 + \operatorname{erf}\frac{x}{\sqrt2}\Bigr) \approx \frac{x}{2}\Bigl(1 + \tanh\bigl(\sqrt{2/\pi}\,(x + 0.044715\,x^3)\bigr)\Bigr)",
    derivative_formula=r"\operatorname{GELU}'(x) = \Phi(x) + x\,\varphi(x)",
    summary="x weighted by the Gaussian CDF: the expected value of a stochastic 0/1 gate",
    params=(Param("approximate", "none", "'none' (exact, PyTorch and Keras default) or 'tanh' "
                  "(JAX default)", kind="choice", choices=("none", "tanh")),),
    derivative=_d_gelu, range=("minimum", _INF), range_closed=(True, False),
    range_latex=r"[\min f, \infty)", minimum_bracket=(-2.0, -0.3),
    monotonic=False, smoothness="Cinf", odd=False, saturating="left",
    paper="hendrycks2016gaussian", year=2016, used_in=("BERT", "GPT-2", "GPT-3", "ViT"),
    ja="ガウス誤差線形ユニット（GELU）", zh="高斯误差线性单元（GELU）",
    frameworks={"pytorch": _fw("torch.nn.functional.gelu(x, approximate='none')"),
                "keras": _fw("keras.activations.gelu(x, approximate=False)"),
                "jax": _fw("jax.nn.gelu(x, approximate=True)", note="tanh form by default")},
)
def gelu(x, approximate="none"):
    r"""GELU :math:`x\Phi(x)` (Hendrycks & Gimpel 2016), exact as :math:`\tfrac x2
    \operatorname{erfc}(-x/\sqrt2)` or, with ``approximate="tanh"``, the tanh formula computed
    as :math:`x\,\sigma(2z)` (since :math:`1 + \tanh z = 2\sigma(2z)`), which cannot overflow.
    PyTorch and Keras default to the exact form, JAX to the tanh form."""
    if approximate == "none":
        if x.dtype != np.float64:
            # float32 (and float16, via float32): ½x·erfc(−x/√2) in float64 loses ~2z² float64 ULP,
            # far below a float32 ULP wherever the float32 result is not 0, so one rounding gives
            # the float32 answer at a third of the cost of the float64 path below.
            x64 = _finite(x.astype(np.float64), upper=False)
            c = _half_erfc(x64)
            c *= x64
            return c.astype(x.dtype)
        c = _ndtr_fast(x)
        return np.multiply(_finite(x, upper=False), c, out=c)
    # 0.5 x (1 + tanh z) = x σ(2z), z = √(2/π)(x + 0.044715 x³): the stable sigmoid form.
    xs = _finite(x, upper=False)
    with np.errstate(over="ignore"):
        z = np.square(x)
        z *= GELU_TANH_C
        z += 1.0
        z *= x
        z *= 2.0 * _SQRT_2_OVER_PI
    s = _sigmoid(z)
    return np.multiply(xs, s, out=s)


@_register(
    title="Softplus", family="relu",
    formula=r"\operatorname{softplus}_\beta(x) = \frac{1}{\beta}\log\bigl(1 + e^{\beta x}\bigr)",
    derivative_formula=r"\operatorname{softplus}_\beta'(x) = \sigma(\beta x)",
    summary="the smooth ReLU: log(1 + eˣ), always positive",
    params=(Param("beta", 1.0, "sharpness β > 0; β → ∞ approaches ReLU", low=0.0, low_open=True),
            Param("threshold", 20.0, "above β·x > threshold return x (PyTorch's shortcut)",
                  low=0.0, low_open=True)),
    derivative=lambda x, beta, threshold: _d_softplus(x, beta, threshold),
    range=(0.0, _INF), range_latex=r"(0, \infty)",
    monotonic=True, smoothness="Cinf", odd=False, saturating="left",
    paper="dugas2001incorporating", year=2001,
    used_in=("positive outputs: variances and scales in VAEs and Gaussian heads", "inside Mish"),
    ja="ソフトプラス関数", zh="Softplus 函数",
    frameworks={"pytorch": _fw("torch.nn.functional.softplus(x, beta=1.0, threshold=20.0)"),
                "keras": _fw("keras.activations.softplus(x)"),
                "jax": _fw("jax.nn.softplus(x)")},
    notes="With PyTorch's threshold the float64 result jumps down by about 2e-9 at βx = 20; "
          "pass a large threshold to get the exact function everywhere.",
)
def softplus(x, beta=1.0, threshold=20.0):
    r"""Softplus :math:`\tfrac1\beta\log(1 + e^{\beta x})` (Dugas et al. 2001), computed as
    :math:`\tfrac1\beta(\max(\beta x, 0) + \log(1 + e^{-|\beta x|}))`; the naive
    ``np.log(1 + np.exp(x))`` is inf beyond x ≈ 88.7 (float32). Like PyTorch it returns x where
    βx > ``threshold`` (default 20)."""
    with np.errstate(over="ignore"):          # β·x = ±inf is the right limit
        bx = np.multiply(x, beta)
    t = _exp_neg_abs(bx)                      # max(βx, 0) + log1p(e^{−|βx|})
    np.log1p(t, out=t)
    out = _max0(bx)
    out += t
    if beta != 1.0:
        out /= beta
    big = bx > threshold                      # PyTorch reverts to x above the threshold
    out[big] = x[big]
    return out


def _d_softplus(x, beta, threshold):
    with np.errstate(over="ignore"):
        bx = np.multiply(x, beta)
    d = _sigmoid(bx)
    d[bx > threshold] = 1.0
    return d


def _threshold_range(threshold, value):
    return min(value, threshold), _INF


@_register(
    title="Threshold", family="relu",
    jumps=lambda threshold, value: (threshold,) if value != threshold else (),
    kinks=lambda threshold, value: (threshold,),
    formula=r"\operatorname{threshold}(x) = \begin{cases} x & x > \theta \\ v & x \le \theta \end{cases}",
    derivative_formula=r"\operatorname{threshold}'(x) = \begin{cases} 1 & x > \theta \\ 0 & x \le \theta \end{cases}",
    summary="PyTorch's generalised ReLU: x above θ, a constant v at and below it",
    params=(Param("threshold", doc="threshold θ"), Param("value", doc="value v at and below θ")),
    example_params={"threshold": 1.0, "value": 0.0},
    derivative=lambda x, threshold, value: _indicator(x > threshold, x),
    range=_threshold_range, range_closed=(True, False), range_latex=r"\{v\} \cup (\theta, \infty)",
    monotonic=True, smoothness="discontinuous", odd=False, saturating="left",
    paper=None, year=None, used_in=("PyTorch's F.threshold; ReLU is threshold(x, 0, 0)",),
    ja="閾値関数", zh="阈值函数",
    frameworks={"pytorch": _fw("torch.nn.functional.threshold(x, threshold, value)"),
                "keras": _fw("keras.activations.threshold(x, threshold, default_value)"),
                "jax": _fw(None)},
    notes="Facts are stated for threshold = 1, value = 0: non-decreasing exactly when value ≤ threshold, "
          "continuous exactly when value = threshold.",
)
def threshold(x, threshold, value):
    r"""x where x > ``threshold``, else ``value`` (``torch.nn.functional.threshold``); both
    parameters are required. nan stays nan."""
    return np.where(x <= threshold, x.dtype.type(value), x)


# --------------------------------------------------------------------------------------
# The softmax family and other vector activations
# --------------------------------------------------------------------------------------
def _log_softmax_last(z: np.ndarray, inv_t: float) -> np.ndarray:
    """log-softmax of z·inv_t along the last axis, with the limits at ±inf.

    The maximum is subtracted *before* scaling by 1/T, so a tiny temperature cannot overflow
    the finite entries."""
    m = np.max(z, axis=-1, keepdims=True, initial=-_INF)
    m_safe = np.where(np.isfinite(m), m, 0).astype(z.dtype)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        shifted = z - m_safe                  # ≤ 0 in finite rows; −inf entries stay −inf
        if inv_t != 1.0:
            shifted *= z.dtype.type(inv_t)
        lse = np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
        out = shifted - lse
    posinf = np.isposinf(m)
    if posinf.any():                          # rows holding +inf: uniform over the +inf entries
        top = np.isposinf(z)
        count = np.maximum(np.sum(top, axis=-1, keepdims=True), 1)
        lim = np.where(top, -np.log(count), -_INF).astype(z.dtype)
        out = np.where(posinf, lim, out)
    nanrow = np.isnan(z).any(axis=-1, keepdims=True)
    if nanrow.any():                          # nan anywhere (or a row of all −inf) → nan row
        out = np.where(nanrow, z.dtype.type(np.nan), out)
    return out


def _scaled(x, axis, fname, sign=1.0):
    ax = _reduce_axis(x, axis, fname)
    z = np.moveaxis(x, ax, -1)
    return ax, (-z if sign < 0 else z)


def _softmax_impl(x, axis, temperature, sign=1.0, fname="softmax"):
    ax, z = _scaled(x, axis, fname, sign)
    with np.errstate(invalid="ignore"):
        s = np.exp(_log_softmax_last(z, 1.0 / temperature))
    return np.moveaxis(s, -1, ax)


def _softmax_jac(x, axis, temperature, sign=1.0, fname="softmax.jacobian"):
    ax, z = _scaled(x, axis, fname, sign)
    s = np.exp(_log_softmax_last(z, 1.0 / temperature))
    j = np.einsum("...i,ij->...ij", s, np.eye(s.shape[-1], dtype=s.dtype)) - s[..., :, None] * s[..., None, :]
    return j * x.dtype.type(sign / temperature)


def _logsoftmax_jac(x, axis, temperature):
    ax, z = _scaled(x, axis, "log_softmax.jacobian")
    s = np.exp(_log_softmax_last(z, 1.0 / temperature))
    n = s.shape[-1]
    return (np.eye(n, dtype=s.dtype) - s[..., None, :]) * x.dtype.type(1.0 / temperature)


_SOFTMAX_FACTS = dict(
    family="softmax", kind="vector", params=(_AXIS, _TEMPERATURE),
    smoothness="Cinf", odd=False, saturating="both",
)


@_register(
    title="Softmax", **_SOFTMAX_FACTS,
    formula=r"\operatorname{softmax}(x)_i = \frac{e^{x_i / T}}{\sum_j e^{x_j / T}}",
    derivative_formula=r"\frac{\partial s_i}{\partial x_j} = \frac{1}{T}\bigl(s_i\,\delta_{ij} - s_i s_j\bigr),\quad J = \tfrac1T\bigl(\operatorname{diag}(s) - s s^\top\bigr)",
    summary="turns a vector of scores (logits) into probabilities that sum to 1",
    jacobian=lambda x, axis, temperature: _softmax_jac(x, axis, temperature),
    range=(0.0, 1.0), range_latex="(0, 1)", monotonic=True,
    paper="bridle1990probabilistic", year=1990,
    used_in=("multi-class classifier outputs", "attention weights in Transformers", "knowledge distillation (T > 1)"),
    ja="ソフトマックス関数", zh="Softmax 函数（归一化指数函数）",
    frameworks={"pytorch": _fw("torch.softmax(x, dim=-1)"),
                "keras": _fw("keras.activations.softmax(x, axis=-1)"),
                "jax": _fw("jax.nn.softmax(x, axis=-1)"),
                "scipy": _fw("scipy.special.softmax(x, axis=None)", note="whole array!")},
    notes="monotonic: each output increases with its own input. A row of all −inf has no distribution "
          "and gives nan (as in every framework), silently; +inf entries share the probability mass.",
)
def softmax(x, axis=-1, temperature=1.0):
    r"""Softmax along ``axis`` with temperature T (Bridle 1990; Hinton et al. 2015 for T).

    Computed from the log-sum-exp with the maximum subtracted, so ``softmax([[1000, 1001,
    1002]])`` is exact where the overview article's (000) ``np.exp(x) / np.sum(np.exp(x), axis=1, keepdims=True)``
    gives nan (and raises AxisError on a 1-D vector). Limits are
    honoured: entries equal to +inf share the mass equally, −inf entries get 0; a row of all
    −inf (or containing nan) gives nan without a warning. Unlike ``scipy.special.softmax``
    the default axis is the last one, as in PyTorch, Keras and JAX.
    """
    return _softmax_impl(x, axis, temperature)


@_register(
    title="Log-softmax", **{**_SOFTMAX_FACTS, "saturating": "right"},
    formula=r"\operatorname{log\_softmax}(x)_i = \frac{x_i}{T} - \log\sum_j e^{x_j / T}",
    derivative_formula=r"\frac{\partial \ell_i}{\partial x_j} = \frac{1}{T}\bigl(\delta_{ij} - s_j\bigr)",
    summary="the logarithm of softmax, computed without ever forming the probabilities",
    jacobian=_logsoftmax_jac, range=(-_INF, 0.0), range_latex=r"(-\infty, 0)", monotonic=True,
    paper=None, year=None,
    used_in=("cross-entropy and negative log-likelihood losses",),
    ja="対数ソフトマックス関数", zh="对数 Softmax 函数（LogSoftmax）",
    frameworks={"pytorch": _fw("torch.log_softmax(x, dim=-1)"),
                "keras": _fw("keras.activations.log_softmax(x, axis=-1)"),
                "jax": _fw("jax.nn.log_softmax(x, axis=-1)")},
)
def log_softmax(x, axis=-1, temperature=1.0):
    r"""Log-softmax :math:`x/T - \operatorname{logsumexp}(x/T)`, exact also where softmax
    underflows to 0 (then ``log(softmax(x))`` would be −inf)."""
    ax, z = _scaled(x, axis, "log_softmax")
    return np.moveaxis(_log_softmax_last(z, 1.0 / temperature), -1, ax)


@_register(
    title="Softmin", **_SOFTMAX_FACTS,
    formula=r"\operatorname{softmin}(x)_i = \frac{e^{-x_i / T}}{\sum_j e^{-x_j / T}}",
    derivative_formula=r"J = -\tfrac1T\bigl(\operatorname{diag}(s) - s s^\top\bigr),\ s = \operatorname{softmin}(x)",
    summary="softmax of −x: the smallest input gets the largest probability",
    jacobian=lambda x, axis, temperature: _softmax_jac(x, axis, temperature, -1.0, "softmin.jacobian"),
    range=(0.0, 1.0), range_latex="(0, 1)", monotonic=False,
    paper=None, year=None, used_in=("soft nearest-neighbour and distance-based attention",),
    ja="ソフトミン関数", zh="Softmin 函数",
    frameworks={"pytorch": _fw("torch.nn.functional.softmin(x, dim=-1)"),
                "keras": _fw(None),
                "jax": _fw(None)},
)
def softmin(x, axis=-1, temperature=1.0):
    r"""Softmin: ``softmax(-x)``; each output decreases as its own input grows."""
    return _softmax_impl(x, axis, temperature, -1.0, "softmin")


def _halves(x, axis, fname):
    ax = _reduce_axis(x, axis, fname)
    n = x.shape[ax]
    if n % 2:
        raise ValueError(f"{fname}: the length of axis {axis} must be even to split it into a "
                         f"value half and a gate half, got {n}")
    a, b = np.split(x, 2, axis=ax)
    return ax, a, b


def _glu_jac(x, axis):
    ax, a, b = _halves(x, axis, "glu.jacobian")
    a, b = np.moveaxis(a, ax, -1), np.moveaxis(b, ax, -1)
    m = a.shape[-1]
    slope = _dsigmoid_of(b)
    with np.errstate(invalid="ignore"):
        db = a * slope
    db[np.isinf(a) & (slope == 0)] = 0.0
    j = np.zeros(a.shape + (2 * m,), dtype=x.dtype)
    i = np.arange(m)
    j[..., i, i] = _sigmoid(b)
    j[..., i, m + i] = db
    return j


@_register(
    title="GLU", family="other", kind="vector",
    formula=r"\operatorname{GLU}(a, b) = a \odot \sigma(b),\quad x = [a;\ b] \text{ split in halves along the axis}",
    derivative_formula=r"\frac{\partial\,\mathrm{GLU}_i}{\partial a_i} = \sigma(b_i),\quad \frac{\partial\,\mathrm{GLU}_i}{\partial b_i} = a_i\,\sigma(b_i)\bigl(1 - \sigma(b_i)\bigr)",
    summary="gated linear unit: half of the input gates the other half; the axis is halved",
    params=(_AXIS,), jacobian=_glu_jac,
    range=(-_INF, _INF), range_latex=r"(-\infty, \infty)",
    monotonic=False, smoothness="Cinf", odd=False, saturating="none",
    paper="dauphin2017language", year=2017,
    used_in=("gated convolutional language models", "SwiGLU/GeGLU feed-forward layers (T5 v1.1, PaLM, LLaMA)"),
    ja="ゲート付き線形ユニット（GLU）", zh="门控线性单元（GLU）",
    frameworks={"pytorch": _fw("torch.nn.functional.glu(x, dim=-1)"),
                "keras": _fw("keras.activations.glu(x, axis=-1)"),
                "jax": _fw("jax.nn.glu(x, axis=-1)")},
    notes="SwiGLU replaces σ(b) by swish(b) and learns the two halves with separate weight matrices (Shazeer 2020).",
)
def glu(x, axis=-1):
    r"""Gated linear unit (Dauphin et al. 2017): split x along ``axis`` into halves a, b and
    return :math:`a \odot \sigma(b)`; the output's axis is half as long. ``glu.jacobian`` has
    shape ``(..., n/2, n)``."""
    _, a, b = _halves(x, axis, "glu")
    gate = _sigmoid(b)
    with np.errstate(invalid="ignore"):
        out = np.multiply(a, gate)
    out[np.isinf(a) & (gate == 0)] = 0.0      # ±inf through a closed gate: the gate wins
    return out


def _maxout_groups(x, k, axis, fname):
    ax = _reduce_axis(x, axis, fname)
    n = x.shape[ax]
    if n % k:
        raise ValueError(f"{fname}: parameter 'k' = {k} must divide the length of axis {axis} ({n})")
    z = np.moveaxis(x, ax, -1)
    return ax, z.reshape(z.shape[:-1] + (n // k, k))


def _maxout_jac(x, k, axis):
    ax, g = _maxout_groups(x, k, axis, "maxout.jacobian")
    m = g.shape[-2]
    arg = np.argmax(g, axis=-1)                                  # first maximum wins ties
    j = np.zeros(g.shape[:-2] + (m, m * k), dtype=x.dtype)
    rows = np.arange(m)
    np.put_along_axis(j, (rows * k + arg)[..., None], 1.0, axis=-1)
    return j


@_register(
    title="Maxout", family="other", kind="vector",
    formula=r"\operatorname{maxout}(x)_i = \max_{j \in \{1,\dots,k\}} x_{(i-1)k + j}",
    derivative_formula=r"\frac{\partial\,\mathrm{maxout}_i}{\partial x_m} = \begin{cases} 1 & m = \arg\max \text{ of group } i \\ 0 & \text{otherwise} \end{cases}",
    summary="the maximum of each group of k inputs (k linear pieces when the inputs are affine maps)",
    params=(Param("k", doc="group size (pieces per unit); must divide the axis length", kind="int", low=1),
            _AXIS),
    example_params={"k": 2}, jacobian=_maxout_jac,
    range=(-_INF, _INF), range_latex=r"(-\infty, \infty)",
    monotonic=True, smoothness="C0", odd=False, saturating="none",
    paper="goodfellow2013maxout", year=2013, used_in=("maxout networks with dropout (Goodfellow et al. 2013)",),
    ja="マックスアウト（Maxout）", zh="Maxout 函数",
    frameworks={"pytorch": _fw(None, instead="x.unflatten(-1, (-1, k)).amax(-1)"),
                "keras": _fw(None),
                "jax": _fw(None)},
    notes="Applied to affine maps w_j·x + b_j, a maxout unit is a convex piecewise-linear function with k pieces. "
          "It is non-decreasing in each of its k inputs, but not as a function of the layer input: "
          "max(x, −x) = |x| is a maxout unit (Goodfellow et al. 2013).",
)
def maxout(x, k, axis=-1):
    r"""Maxout (Goodfellow et al. 2013): the maximum over consecutive groups of ``k`` entries
    along ``axis``; the axis shrinks by a factor k. With k = 2 and inputs (0, z) it is ReLU;
    with (z, −z) it is |z|. ``maxout.jacobian`` selects the (first) maximum of each group."""
    ax, g = _maxout_groups(x, k, axis, "maxout")
    return np.moveaxis(np.max(g, axis=-1, initial=-_INF), -1, ax)


def _frelu_parts(x, weight, bias, fname):
    w = as_real_array(weight, fname, "parameter 'weight'").astype(x.dtype, copy=False)
    if x.ndim < 3:
        raise ValueError(f"{fname}: x must have shape (..., C, H, W), got shape {x.shape}")
    c = x.shape[-3]
    if w.ndim != 3 or w.shape[0] != c or w.shape[1] % 2 == 0 or w.shape[2] % 2 == 0:
        raise ValueError(f"{fname}: parameter 'weight' must have shape (C, kh, kw) with C = {c} "
                         f"channels and odd kh, kw (e.g. (C, 3, 3)), got shape {w.shape}")
    b = as_real_array(bias, fname, "parameter 'bias'").astype(x.dtype, copy=False)
    if b.ndim > 1 or (b.ndim == 1 and b.shape[0] != c):
        raise ValueError(f"{fname}: parameter 'bias' must be a number or have shape ({c},), got shape {b.shape}")
    if not (np.isfinite(w).all() and np.isfinite(b).all()):
        raise ValueError(f"{fname}: parameters 'weight' and 'bias' must be finite")
    return w, b.reshape((c, 1, 1)) if b.ndim else b


def frelu_condition(x, weight, bias=0.0):
    """The funnel condition T(x) of FReLU: a depthwise convolution (zero padding, stride 1)
    of each channel of x with its own kernel ``weight[c]``, plus ``bias``. Same shape as x."""
    x = as_real_array(x, "frelu_condition")
    w, b = _frelu_parts(x, weight, bias, "frelu_condition")
    kh, kw = w.shape[1:]
    pad = [(0, 0)] * (x.ndim - 2) + [(kh // 2, kh // 2), (kw // 2, kw // 2)]
    xp = np.pad(_finite(x), pad)
    h, wd = x.shape[-2:]
    t = np.zeros(x.shape, dtype=x.dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        for i in range(kh):
            for j in range(kw):
                t += w[:, i, j][:, None, None] * xp[..., i:i + h, j:j + wd]
        t += b
    return t


@_register(
    title="FReLU (funnel activation)", family="other", kind="vector",
    formula=r"\operatorname{FReLU}(x)_{c,i,j} = \max\bigl(x_{c,i,j},\ \mathbb{T}(x)_{c,i,j}\bigr),\quad \mathbb{T}(x)_c = w_c * x_c + b_c",
    derivative_formula=r"\frac{\partial y_{c,i,j}}{\partial x} = \begin{cases} e_{c,i,j} & x_{c,i,j} \ge \mathbb{T}(x)_{c,i,j} \\ \nabla_x \mathbb{T}(x)_{c,i,j} & \text{otherwise} \end{cases}",
    summary="ReLU's max(x, 0) with the 0 replaced by a learned spatial context T(x) (a depthwise 3×3 convolution)",
    params=(Param("weight", doc="depthwise kernels, shape (C, kh, kw) with odd kh, kw", kind="array"),
            Param("bias", 0.0, "bias per channel: a number or shape (C,)", kind="array")),
    example_params={"weight": np.full((1, 3, 3), 1 / 9), "bias": 0.0},
    range=(-_INF, _INF), range_latex=r"(-\infty, \infty)",
    monotonic=False, smoothness="C0", odd=False, saturating="none",
    paper="ma2020funnel", year=2020, used_in=("ResNet and ShuffleNetV2 variants for ImageNet and COCO (Ma et al. 2020)",),
    ja="ファネル活性化（FReLU）", zh="漏斗激活函数（FReLU）",
    frameworks={"pytorch": _fw(None, instead="torch.max(x, bn(depthwise_conv3x3(x)))"),
                "keras": _fw(None),
                "jax": _fw(None)},
    notes="The paper follows the convolution with batch normalisation; at inference that folds into weight and bias. "
          "frelu_condition(x, weight, bias) returns T(x) for figures.",
)
def frelu(x, weight, bias=0.0):
    r"""Funnel activation (Ma, Zhang & Sun 2020) for images of shape ``(..., C, H, W)``:
    ``max(x, T(x))`` where T is a depthwise convolution with kernels ``weight`` (shape
    ``(C, kh, kw)``, zero padding) plus ``bias``. It is not elementwise: each output depends on
    a kh × kw neighbourhood, which is how it captures spatial layout."""
    return np.maximum(x, frelu_condition(x, weight, bias))


# --------------------------------------------------------------------------------------
# The registry
# --------------------------------------------------------------------------------------
#: name → :class:`Activation`, in the order of the book (read-only).
REGISTRY = MappingProxyType(_registry)


def get(name: str) -> Activation:
    """The activation called ``name``; a ValueError with suggestions for an unknown name."""
    if isinstance(name, Activation):
        return name
    if not isinstance(name, str):
        raise TypeError(f"get: name must be a string such as 'relu', got {name!r}")
    try:
        return REGISTRY[name]
    except KeyError:
        close = difflib.get_close_matches(name.lower().replace("-", "_"), list(REGISTRY), n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise ValueError(f"get: unknown activation {name!r}{hint} (see activations.names())") from None


def names(family: str | None = None, kind: str | None = None) -> list[str]:
    """Names in the registry, optionally only one ``family`` and/or ``kind``."""
    if family is not None and family not in FAMILIES:
        raise ValueError(f"names: family must be one of {', '.join(FAMILIES)}, got {family!r}")
    if kind is not None and kind not in ("elementwise", "vector"):
        raise ValueError(f"names: kind must be 'elementwise' or 'vector', got {kind!r}")
    return [n for n, a in REGISTRY.items()
            if (family is None or a.family == family) and (kind is None or a.kind == kind)]


__all__ += ["SELU_ALPHA", "SELU_LAMBDA", "GELU_TANH_C", "frelu_condition"]
