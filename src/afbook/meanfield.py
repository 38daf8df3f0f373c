"""Signal propagation at initialisation: the mean-field variance map and the gradient gain χ₁.

A wide fully connected network with weights of variance σ_w²/n (and biases of variance σ_b²) maps
the second moment q of a pre-activation from layer to layer by (Poole et al. 2016; Schoenholz et
al. 2017)

    q_{l+1} = V(q_l) = σ_w² E[f(√q_l Z)²] + σ_b²,        Z ~ N(0, 1),

and multiplies the squared norm of the back-propagated error signal by

    χ₁(q) = σ_w² E[f'(√q Z)²]

per layer. A fixed point q* = V(q*) reached from the input's q₀ is the variance the deep layers
see; χ₁(q*) < 1 means vanishing gradients (depth scale ξ = −1/ln χ₁ layers per factor e of the
squared signal), χ₁(q*) > 1 exploding ones, χ₁ = 1 is the "edge of chaos".

Expectations are computed from the library (``activations``), never from re-typed formulas, by
Gauss–Legendre quadrature on [−L, 0] and [0, L] (L = 12, so the Gaussian tail beyond is below
1e-31): each half is smooth for the smooth activations and ReLU (kink at 0). For a function
with corners or jumps elsewhere (hard tanh's derivative jumps at ±1), :func:`variance_map` and
:func:`chi1` also cut the rule at the registry's break points (``Activation.breaks``).
``tests/test_meanfield.py`` checks it against closed forms and adaptive quadrature
(:func:`afbook.book.gaussian_moments`) to 1e-12.
"""
from __future__ import annotations

import math

import numpy as np

import activations as A
from afbook import args

__all__ = ["SIGMA_W2", "PAIRS", "expect", "variance_map", "chi1", "fixed_point", "iterate",
           "depth_scale", "Pair", "pair_summary", "simulate", "profile"]

#: σ_w² (= n · Var W) of each initialiser for square layers (n_in = n_out).
SIGMA_W2 = {"he_normal": 2.0, "lecun_normal": 1.0, "glorot_normal": 1.0}

#: the activation/initialiser pairs of the chapter (the book's INITIALISATION, plus ReLU/LeCun).
PAIRS = [("relu", "he_normal"), ("selu", "lecun_normal"), ("elu", "he_normal"),
         ("gelu", "he_normal"), ("silu", "he_normal"), ("tanh", "glorot_normal"),
         ("sigmoid", "glorot_normal"), ("relu", "lecun_normal")]

_L, _N = 12.0, 160
_x, _w = np.polynomial.legendre.leggauss(_N)
# nodes and weights of ∫_{-L}^{0} and ∫_{0}^{L} against the standard normal density
_NODES = np.concatenate([(_x - 1.0) * _L / 2, (_x + 1.0) * _L / 2])
_WEIGHTS = (np.concatenate([_w, _w]) * _L / 2 * np.exp(-_NODES ** 2 / 2)
            / math.sqrt(2 * math.pi))
_WEIGHTS /= _WEIGHTS.sum()       # E[1] = 1 to rounding (the quadrature error is below 1e-14)


def _act(activation):
    if isinstance(activation, str):
        return A.get(activation)
    raise TypeError(f"meanfield: activation must be a registry name, got {activation!r}")


def _q(fn: str, q) -> np.ndarray:
    arr = np.asarray(q, dtype=float)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{fn}: q must be finite and >= 0, got {q!r}")
    return arr


def _sw2(fn: str, sigma_w2) -> float:
    return args.positive(fn, "sigma_w2", sigma_w2)


def _rule(splits):
    """Nodes and weights of E[·(Z)] with the Gauss–Legendre rule on each piece of [−L, L] cut
    at 0 and at ``splits`` (z values strictly inside, sorted, distinct)."""
    if not splits:
        return _NODES, _WEIGHTS
    ends = [-_L, *sorted(set(splits) | {0.0}), _L]
    nodes = np.concatenate([(_x + 1.0) * (b - a) / 2 + a for a, b in zip(ends, ends[1:])])
    weights = np.concatenate([_w * (b - a) / 2 for a, b in zip(ends, ends[1:])])
    weights = weights * np.exp(-nodes ** 2 / 2) / math.sqrt(2 * math.pi)
    return nodes, weights / weights.sum()


def _breaks(fn: str, breaks) -> tuple[float, ...]:
    try:
        out = tuple(float(b) for b in breaks)
    except TypeError:
        raise TypeError(f"{fn}: breaks must be a sequence of numbers, got {breaks!r}") from None
    if not all(math.isfinite(b) for b in out):
        raise ValueError(f"{fn}: breaks must be finite, got {breaks!r}")
    return out


def expect(g, q, breaks=()) -> np.ndarray:
    """E[g(√q Z)] for Z ~ N(0, 1) (``g`` maps an array to an array), for scalar or array q.

    ``breaks``: the points x where g has a corner or a jump (e.g. ±1 for hard tanh's derivative);
    the rule is then cut at z = x/√q as well as at 0, so such a g costs no accuracy. Without
    breaks other than 0 the rule is the fixed one of the module (the same numbers as before).
    """
    q = _q("expect", q)
    breaks = [b for b in _breaks("expect", breaks) if b != 0.0]
    if breaks and np.any(q > 0):
        flat = q.reshape(-1)
        out = np.empty(flat.shape)
        for i, qi in enumerate(flat):
            s = math.sqrt(qi)
            cuts = [b / s for b in breaks if s > 0 and abs(b / s) < _L]
            nodes, weights = _rule(cuts)
            with np.errstate(over="ignore"):
                out[i] = np.sum(g(s * nodes) * weights)
        return out.reshape(q.shape)
    s = np.sqrt(q)[..., None]
    with np.errstate(over="ignore"):
        vals = g(s * _NODES)
    return np.sum(vals * _WEIGHTS, axis=-1)


def variance_map(activation: str, q, sigma_w2: float = 1.0, sigma_b2: float = 0.0,
                 params: dict | None = None) -> np.ndarray:
    """V(q) = σ_w² E[f(√q Z)²] + σ_b²: the next layer's pre-activation second moment."""
    f = _act(activation)
    p = f.bind(params or {}, where="variance_map")
    sw2 = _sw2("variance_map", sigma_w2)
    return sw2 * expect(lambda z: f(z, **p) ** 2, q, f.breaks(**p)[1]) + float(sigma_b2)


def chi1(activation: str, q, sigma_w2: float = 1.0, params: dict | None = None) -> np.ndarray:
    """χ₁(q) = σ_w² E[f'(√q Z)²]: the per-layer gain of the squared back-propagated signal."""
    f = _act(activation)
    p = f.bind(params or {}, where="chi1")
    sw2 = _sw2("chi1", sigma_w2)
    return sw2 * expect(lambda z: f.derivative(z, **p) ** 2, q, f.breaks(**p)[1])


def iterate(activation: str, q0: float, depth: int, sigma_w2: float = 1.0,
            sigma_b2: float = 0.0, params: dict | None = None) -> np.ndarray:
    """q₁, ..., q_depth: the mean-field second moments of layers 1..depth, from q₀ (the inputs'
    second moment times σ_w² is q₁)."""
    depth = args.integer("iterate", "depth", depth, low=1)
    sw2 = _sw2("iterate", sigma_w2)
    qs = [sw2 * float(_q("iterate", q0)) + float(sigma_b2)]
    for _ in range(int(depth) - 1):
        qs.append(float(variance_map(activation, qs[-1], sw2, sigma_b2, params)))
    return np.array(qs)


def profile(activation: str, q0: float, depth: int, sigma_w2: float = 1.0,
            sigma_b2: float = 0.0, params: dict | None = None) -> dict:
    """Per layer l = 1..depth of the mean-field network: ``q`` (the pre-activations' second
    moment, :func:`iterate`), ``chi1`` (χ₁(q_l)) and ``gains``: the norm of the back-propagated
    error signal at layer l relative to layer ``depth``, √(χ₁(q_l) ⋯ χ₁(q_{depth−1})) (1 at
    layer ``depth``; what :func:`simulate` measures in a finite network)."""
    qs = iterate(activation, q0, depth, sigma_w2, sigma_b2, params)
    chis = np.asarray(chi1(activation, qs, sigma_w2, params), dtype=float)
    tail = np.cumprod(chis[:-1][::-1])[::-1]          # χ₁(q_l) ⋯ χ₁(q_{depth−1}), l < depth
    return {"q": qs, "chi1": chis, "gains": np.sqrt(np.concatenate([tail, [1.0]]))}


_QMIN, _QMAX = 1e-12, 1e8


def fixed_point(activation: str, sigma_w2: float = 1.0, sigma_b2: float = 0.0, q0: float = 1.0,
                params: dict | None = None, rtol: float = 1e-12) -> tuple[float, str]:
    """The fixed point q* = V(q*) that the iteration from ``q0`` approaches, and its kind:

    * ``"finite"``: a root of V(q) − q (found by bisection to ``rtol``);
    * ``"zero"``: V(q) < q all the way down to 1e-12 (the signal dies; q* = 0);
    * ``"infinite"``: V(q) > q all the way up to 1e8 (the signal explodes; q* = ∞);
    * ``"neutral"``: V(q) = q to ``rtol`` at q0 (every q is a fixed point, e.g. ReLU/He).
    """
    sw2 = _sw2("fixed_point", sigma_w2)
    g = lambda q: float(variance_map(activation, q, sw2, sigma_b2, params)) - q  # noqa: E731
    g0 = g(q0)
    if abs(g0) <= 1e-12 * q0:
        # neutral if V(q) = q also at other scales
        if all(abs(g(q)) <= 1e-12 * q for q in (q0 / 16, q0 * 16)):
            return float(q0), "neutral"
        return float(q0), "finite"
    up = g0 > 0
    grid = np.geomspace(q0, _QMAX if up else _QMIN, 200)[1:]
    prev = q0
    for q in grid:
        if (g(q) > 0) != up:
            lo, hi = (prev, q) if up else (q, prev)
            for _ in range(200):
                mid = math.sqrt(lo * hi)
                if (g(mid) > 0) == up:
                    lo, hi = (mid, hi) if up else (lo, mid)
                else:
                    lo, hi = (lo, mid) if up else (mid, hi)
                if hi - lo <= rtol * hi:
                    break
            return float(math.sqrt(lo * hi)), "finite"
        prev = q
    return (math.inf, "infinite") if up else (0.0, "zero")


def depth_scale(chi: float) -> float:
    """ξ = 1/|ln χ₁|: layers over which the squared gradient signal changes by a factor e
    (vanishing for χ₁ < 1, growing for χ₁ > 1; ∞ at χ₁ = 1)."""
    chi = float(chi)
    if not chi > 0:
        raise ValueError(f"depth_scale: chi must be > 0, got {chi!r}")
    lc = abs(math.log(chi))
    return math.inf if lc < 1e-12 else 1.0 / lc


class Pair(dict):
    """The mean-field summary of an activation/initialiser pair (a dict, see pair_summary)."""


def pair_summary(activation: str, init: str, q0: float = 1.0, depth: int = 64) -> Pair:
    """For one pair (inputs with second moment ``q0``): σ_w², q* and its kind, χ₁ at q = q0 and at the layer the iteration reaches
    (q* when finite, else the clamped q after ``depth`` layers), q after ``depth`` layers, and
    ``gain``: the mean-field ratio of the error-signal *norms* at layer 1 and layer ``depth``,
    √(χ₁(q₁) ⋯ χ₁(q_{depth−1})) (√χ₁^(depth−1) at a fixed point)."""
    if init not in SIGMA_W2:
        raise ValueError(f"pair_summary: init must be one of {sorted(SIGMA_W2)}, got {init!r}")
    sw2 = SIGMA_W2[init]
    qstar, kind = fixed_point(activation, sw2, q0=sw2 * q0)   # from q₁ = σ_w² q₀
    qs = iterate(activation, q0, depth, sw2)
    chis = chi1(activation, np.clip(qs, _QMIN, _QMAX), sw2)
    q_deep = qstar if kind in ("finite", "neutral") else float(np.clip(qs[-1], _QMIN, _QMAX))
    return Pair(activation=activation, init=init, sigma_w2=sw2, q_star=qstar, kind=kind,
                chi1_q0=float(chi1(activation, q0, sw2)), chi1_deep=float(chi1(activation,
                                                                               q_deep, sw2)),
                q_depth=float(qs[-1]),
                gain=float(np.sqrt(np.prod(chis[:-1]))), depth=int(depth))


def simulate(activation: str, init: str, depth: int, width: int, batch: int = 256,
             seed: int = 0) -> dict:
    """One finite network at initialisation (``afbook.mlp.MLP``, square layers of ``width``,
    standard-normal inputs): per hidden layer the second moment ``q`` of the pre-activations
    (over batch and units), and ``gain``: the ratio of the root-mean-square error signal at
    layer 1 to that at layer ``depth`` for a standard-normal error injected at layer ``depth``
    (what √(χ₁(q₁) ⋯ χ₁(q_{depth−1})) predicts), and ``gains``: the same ratio for every
    layer 1..depth (1 at layer ``depth``)."""
    from afbook.mlp import MLP

    for name, v in (("depth", depth), ("width", width), ("batch", batch)):
        args.integer("simulate", name, v, low=2)
    rng = np.random.default_rng(1000 + seed)
    X = rng.normal(size=(batch, width))
    net = MLP([width] * (depth + 1) + [1], activation=activation, init=init, seed=seed)
    _, zs, _ = net.forward(X, keep=True)
    delta = rng.normal(size=zs[-1].shape) * net.df(zs[-1])
    rms = [math.sqrt(float(np.mean(delta ** 2)))]
    for l in range(depth - 2, -1, -1):
        delta = (delta @ net.weights[l + 1].T) * net.df(zs[l])
        rms.append(math.sqrt(float(np.mean(delta ** 2))))
    gains = np.array(rms[::-1]) / rms[0]          # layer 1 .. depth, relative to layer depth
    return {"q": np.array([float(np.mean(z ** 2)) for z in zs]), "gains": gains,
            "gain": float(gains[0])}
