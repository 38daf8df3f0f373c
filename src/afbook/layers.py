"""Layers with ``forward(x)`` and ``backward(dout)``: the format of the E資格 and of
『ゼロから作るDeep Learning』, built on the course library.

Each layer stores in ``forward`` what ``backward`` needs, then multiplies the upstream
gradient ``dout`` by its local derivative (the chain rule)::

    from afbook import layers
    layer = layers.Sigmoid()
    out = layer.forward(x)          # stores out = σ(x)
    dx = layer.backward(dout)       # dout · out · (1 − out)

============================  =================================  ==========================
layer                         forward stores                     backward returns
============================  =================================  ==========================
``Sigmoid()``                 ``out = A.sigmoid(x)``             ``dout*(1-out)*out``
``Tanh()``                    ``out = A.tanh(x)``                ``dout*(1-out**2)``
``Relu()``                    ``mask = A.relu.derivative(x)``    ``dout*mask``
``LeakyRelu(alpha)``          ``slope = A.leaky_relu.derivative``  ``dout*slope``
``Affine(W, b)``              ``x``                              ``dout@W.T`` (and dW, db)
``SigmoidWithLoss()``         ``y = A.sigmoid(x)``, ``t``        ``dout*(y-t)/N``
``SoftmaxWithLoss()``         ``y = A.softmax(x)``, ``t``        ``dout*(y-t)/N``
============================  =================================  ==========================

The activations themselves come from ``activations`` (no formula is typed here); the local
derivatives written in terms of the stored output are the ones the exam asks for, and the
tests check them against ``A.<name>.derivative``. At the kink x = 0 the book follows PyTorch:
relu′(0) = 0 and leaky_relu′(0) = α.

:func:`check_layer` checks a reader's layer against finite differences and against these
layers on adversarial inputs, and returns a :class:`LayerReport` (HTML and text).
"""
from __future__ import annotations

import html
import warnings

import numpy as np

import activations as A
from afbook.display import HTMLDisplay, fmt

__all__ = ["Sigmoid", "Tanh", "Relu", "LeakyRelu", "Affine", "SigmoidWithLoss",
           "SoftmaxWithLoss", "LAYERS", "check_layer", "LayerReport"]


# --------------------------------------------------------------------------------------
# input checks shared by the layers
# --------------------------------------------------------------------------------------
_real = A.as_real_array          # the library's own input check (TypeError naming the argument)


class _Layer:
    """Common checks: the input of forward, and the upstream gradient of backward."""

    _stores = "out"          # the attribute forward sets and backward needs

    def _x(self, x):
        return _real(x, f"{type(self).__name__}.forward", "x")

    def _dout(self, dout):
        where = f"{type(self).__name__}.backward"
        stored = getattr(self, self._stores, None)
        if stored is None:
            raise RuntimeError(f"{where}: call forward(x) first; backward needs "
                               f"self.{self._stores}, which forward stores")
        d = _real(dout, where, "dout")
        if d.shape != np.shape(stored):
            raise ValueError(f"{where}: dout must have the shape of forward's output "
                             f"{np.shape(stored)}, got {d.shape}")
        return d


# --------------------------------------------------------------------------------------
# activation layers
# --------------------------------------------------------------------------------------
class Sigmoid(_Layer):
    """Sigmoid layer: forward stores its output; σ′ = out · (1 − out)."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = A.sigmoid(self._x(x))
        return self.out

    def backward(self, dout):
        dout = self._dout(dout)
        return dout * (1.0 - self.out) * self.out


class Tanh(_Layer):
    """Tanh layer: forward stores its output; tanh′ = 1 − out²."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = A.tanh(self._x(x))
        return self.out

    def backward(self, dout):
        dout = self._dout(dout)
        return dout * (1.0 - self.out ** 2)


class Relu(_Layer):
    """ReLU layer: forward stores the mask relu′(x) (1 where x > 0, else 0)."""

    _stores = "mask"

    def __init__(self):
        self.mask = None

    def forward(self, x):
        x = self._x(x)
        self.mask = A.relu.derivative(x)         # relu′(0) = 0, as in PyTorch
        return A.relu(x)

    def backward(self, dout):
        dout = self._dout(dout)
        return dout * self.mask


class LeakyRelu(_Layer):
    """Leaky ReLU layer: forward stores the slope (1 where x > 0, else α)."""

    _stores = "slope"

    def __init__(self, alpha=0.01):
        self.alpha = A.leaky_relu.bind({"alpha": alpha}, where="LeakyRelu")["alpha"]
        self.slope = None

    def forward(self, x):
        x = self._x(x)
        self.slope = A.leaky_relu.derivative(x, alpha=self.alpha)   # α at x = 0
        return A.leaky_relu(x, alpha=self.alpha)

    def backward(self, dout):
        dout = self._dout(dout)
        return dout * self.slope


# --------------------------------------------------------------------------------------
# the affine layer
# --------------------------------------------------------------------------------------
class Affine(_Layer):
    """Affine layer ``out = x @ W + b`` (rows of x are samples).

    backward(dout) stores ``dW = x.T @ dout`` and ``db = dout.sum(axis=0)`` and returns
    ``dx = dout @ W.T``. ``W`` and ``b`` are used as given (not copied), so an update
    ``layer.W -= lr * layer.dW`` trains the layer.
    """

    _stores = "x"

    def __init__(self, W, b):
        W, b = _real(W, "Affine", "W"), _real(b, "Affine", "b")
        if W.ndim != 2:
            raise ValueError(f"Affine: W must be a 2-D array (inputs × outputs), "
                             f"got shape {W.shape}")
        if b.shape != (W.shape[1],):
            raise ValueError(f"Affine: b must have shape ({W.shape[1]},) to match W "
                             f"{W.shape}, got {b.shape}")
        self.W, self.b = W, b
        self.x = self.dW = self.db = None

    def forward(self, x):
        x = self._x(x)
        n_in = self.W.shape[0]
        if x.ndim not in (1, 2) or x.shape[-1] != n_in:
            raise ValueError(f"Affine.forward: x must have shape (N, {n_in}) or "
                             f"({n_in},), got {x.shape}")
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        if self.x is None:
            self._dout(dout)                         # raises: forward was not called
        dout = self._dout_like(dout)
        x2, d2 = np.atleast_2d(self.x), np.atleast_2d(dout)
        self.dW = x2.T @ d2
        self.db = d2.sum(axis=0)
        return dout @ self.W.T

    def _dout_like(self, dout):
        shape = self.x.shape[:-1] + (self.W.shape[1],)
        d = _real(dout, "Affine.backward", "dout")
        if d.shape != shape:
            raise ValueError(f"Affine.backward: dout must have the shape of forward's "
                             f"output {shape}, got {d.shape}")
        return d


# --------------------------------------------------------------------------------------
# output layers with their loss
# --------------------------------------------------------------------------------------
class _LossLayer(_Layer):
    _stores = "y"

    def _loss_dout(self, dout):
        where = f"{type(self).__name__}.backward"
        if self.y is None:
            raise RuntimeError(f"{where}: call forward(x, t) first; backward needs self.y "
                               f"and self.t, which forward stores")
        d = _real(dout, where, "dout")
        if d.ndim != 0:
            raise ValueError(f"{where}: dout must be a number (the gradient of the loss, "
                             f"usually 1), got an array of shape {d.shape}")
        return float(d)          # a Python number keeps float32 gradients in float32

    def backward(self, dout=1.0):
        scale = self._loss_dout(dout) / self.batch_size
        dx = (self.y - self.t) * scale
        return dx


class SigmoidWithLoss(_LossLayer):
    """Sigmoid output with binary cross-entropy, averaged over the batch.

    ``forward(x, t)``: logits x and targets t in [0, 1] of the same shape; the first axis
    is the batch (a 0-d x is one sample). Returns the loss; ``backward(dout=1)`` returns
    ``dout · (y − t) / N``.
    """

    def __init__(self):
        self.y = self.t = None
        self.batch_size = None

    def forward(self, x, t):
        x = self._x(x)
        t = _real(t, "SigmoidWithLoss.forward", "t")
        if t.shape != x.shape:
            raise ValueError(f"SigmoidWithLoss.forward: t must have the shape of x "
                             f"{x.shape}, got {t.shape}")
        if not np.all((t >= 0) & (t <= 1)):
            raise ValueError("SigmoidWithLoss.forward: t must hold targets in [0, 1]")
        t = t.astype(x.dtype)
        self.batch_size = x.shape[0] if x.ndim else 1
        self.y, self.t = A.sigmoid(x), t
        # log σ(x) and log σ(−x) = log(1 − σ(x)), both without rounding σ first
        log_p = t * A.log_sigmoid(x) + (1 - t) * A.log_sigmoid(-x)
        return -np.sum(log_p) / x.dtype.type(self.batch_size)


class SoftmaxWithLoss(_LossLayer):
    """Softmax output with cross-entropy, averaged over the batch.

    ``forward(x, t)``: logits x of shape (N, C), or (C,) for one sample; t either one-hot
    (or probabilities) of x's shape, or class indices of shape (N,) (a number for one
    sample). Returns the loss; ``backward(dout=1)`` returns ``dout · (y − t) / N``.
    """

    def __init__(self):
        self.y = self.t = None
        self.batch_size = None

    def forward(self, x, t):
        where = "SoftmaxWithLoss.forward"
        x = self._x(x)
        if x.ndim not in (1, 2) or x.shape[-1] < 1:
            raise ValueError(f"{where}: x must have shape (N, C) or (C,), "
                             f"got {x.shape}")
        t = self._targets(t, x, where)
        self.batch_size = x.shape[0] if x.ndim == 2 else 1
        self.y, self.t = A.softmax(x, axis=-1), t
        log_p = A.log_softmax(x, axis=-1)
        picked = np.where(t > 0, t * log_p, 0)           # 0·(−∞) is 0 here, not nan
        return -np.sum(picked) / x.dtype.type(self.batch_size)

    @staticmethod
    def _targets(t, x, where):
        arr = None if t is None or isinstance(t, (str, bytes)) else np.asarray(t)
        if arr is None or arr.dtype.kind not in "iubf":
            raise TypeError(f"{where}: t must be one-hot targets or class indices, "
                            f"got {type(t).__name__}")
        t = arr
        if t.shape == x.shape:
            if t.dtype.kind == "b" or not np.all((t >= 0) & (t <= 1)):
                raise ValueError(f"{where}: one-hot t must hold values in [0, 1]")
            return t.astype(x.dtype)
        if t.shape == x.shape[:-1] and t.dtype.kind in "iu":
            n = x.shape[-1]
            if not np.all((t >= 0) & (t < n)):
                raise ValueError(f"{where}: class indices t must lie in 0 … {n - 1}")
            return np.eye(n, dtype=x.dtype)[t]
        raise ValueError(f"{where}: t must be one-hot with x's shape {x.shape} or integer "
                         f"class indices of shape {x.shape[:-1]}, got {t.dtype} {t.shape}")


#: name -> library layer (what ``check_layer(..., like=name)`` compares with)
LAYERS = {
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": Relu,
    "leaky_relu": LeakyRelu,
    "sigmoid_with_loss": SigmoidWithLoss,
    "softmax_with_loss": SoftmaxWithLoss,
}
_KINK = ("relu", "leaky_relu")


# --------------------------------------------------------------------------------------
# the layer checker
# --------------------------------------------------------------------------------------
class LayerReport(HTMLDisplay):
    """Outcome of :func:`check_layer`: truthy iff every check passed.

    Attributes: ``passed``, ``n`` (number of checks), ``failures`` (list of
    ``(case, message, hints)``), ``notes``, ``text`` and ``html``.
    """

    def __init__(self, title, results, notes):
        self.title, self.results, self.notes = title, results, list(notes)
        self.failures = [(c, m, h) for c, m, h in results if m]
        self.n = len(results)
        self.passed = not self.failures
        super().__init__(self._render_html(), self._render_text())

    def __bool__(self):
        return self.passed

    def _summary(self):
        if self.passed:
            return f"✔ all {self.n} checks passed"
        return f"✘ {len(self.failures)} of {self.n} checks failed"

    def _render_text(self):
        lines = [self.title]
        for case, msg, hints in self.results:
            lines.append(f"  ✘ {case}: {msg}" if msg else f"  ✔ {case}")
            lines += [f"      hint: {h}" for h in hints]
        lines += [f"  ℹ {n}" for n in self.notes]
        lines.append(self._summary())
        return "\n".join(lines)

    def _render_html(self):
        e = html.escape
        items = []
        for case, msg, hints in self.results:
            if msg:
                sub = "".join(f"<li>hint: {e(h)}</li>" for h in hints)
                items.append(f'<li class="afx-check-fail">✘ {e(case)}: {e(msg)}'
                             + (f"<ul>{sub}</ul>" if sub else "") + "</li>")
            else:
                items.append(f'<li class="afx-check-pass">✔ {e(case)}</li>')
        items += [f'<li class="afx-check-note">ℹ {e(n)}</li>' for n in self.notes]
        return (f'<div class="afx-layer-check"><p>{e(self.title)}</p>'
                f'<ul style="list-style:none;padding-left:1em">{"".join(items)}</ul>'
                f"<p><strong>{e(self._summary())}</strong></p></div>")


def _reference(layer, like):
    if like is None:
        raw = getattr(layer, "__name__", type(layer).__name__)
        key = raw.lower().replace("_", "")
        key = key[2:] if key.startswith("my") else key
        plain = {k.replace("_", ""): k for k in LAYERS}
        if key not in plain:
            raise ValueError(f"check_layer: cannot tell which layer {raw!r} should match; "
                             f"pass like= one of {', '.join(LAYERS)}")
        return plain[key]
    if isinstance(like, type) and like in LAYERS.values():
        return next(k for k, v in LAYERS.items() if v is like)
    if not isinstance(like, str):
        raise TypeError(f"check_layer: like must be a layer name such as 'sigmoid', "
                        f"got {type(like).__name__}")
    if like not in LAYERS:
        raise ValueError(f"check_layer: like must be one of {', '.join(LAYERS)}, "
                         f"got {like!r}")
    return like


def _elementwise_cases(name):
    rng = np.random.default_rng(15)
    dout12 = np.round(rng.uniform(-2.0, 2.0, 12), 2).reshape(3, 4)
    sat = np.array([-800.0, -40.0, -20.0, -10.0, 10.0, 20.0, 40.0, 800.0])
    kink = np.array([-1e-8, 0.0, -0.0, 1e-8, 0.5, -0.5])
    cases = [
        ("a batch of shape (3, 4), x from −3 to 3",
         np.linspace(-3.0, 3.0, 12).reshape(3, 4), dout12, True),
        ("one sample: a vector of 5 values", np.array([-2.5, -1.0, 0.3, 1.2, 4.0]),
         np.array([0.5, -1.0, 2.0, 1.5, -0.25]), True),
        ("saturated inputs x = ±10, ±20, ±40, ±800", sat,
         np.array([1.0, -2.0, 0.5, 3.0, -1.0, 2.0, -0.5, 1.5]), True),
        ("x = 0 and ±1e-8: the kink, where the book follows PyTorch" if name in _KINK
         else "x = 0 and ±1e-8", kink,
         np.array([1.0, 2.0, -3.0, 0.5, 1.5, -1.0]), name not in _KINK),
        ("float32 batch of shape (2, 3): dx must stay float32",
         np.linspace(-4, 4, 6, dtype=np.float32).reshape(2, 3),
         np.array([[1.0, -0.5, 2.0], [0.25, -1.5, 1.0]], np.float32), False),
        ("a batch of shape (2, 2, 3)", np.linspace(-2.2, 2.4, 12).reshape(2, 2, 3),
         dout12.reshape(2, 2, 3), True),
    ]
    return cases


def _loss_cases(name):
    if name == "softmax_with_loss":
        x = np.array([[0.3, -1.2, 2.0, 0.5], [1.5, 0.2, -0.7, -2.0], [0.0, 0.4, 0.1, -0.3]])
        labels = np.array([2, 0, 3])
        onehot = np.eye(4)[labels]
        x5 = np.linspace(-2.0, 2.0, 15).reshape(5, 3)[:, ::-1].copy()
        return [
            ("a batch of 3 samples, 4 classes, one-hot targets", x, onehot, True),
            ("the same batch with class indices t = [2, 0, 3]", x, labels, True),
            ("a batch of 5 samples, 3 classes", x5, np.eye(3)[[0, 1, 2, 1, 0]], True),
            ("one sample: a vector of 3 logits", np.array([1.0, 2.0, 0.5]),
             np.array([0.0, 1.0, 0.0]), True),
            ("large logits [1000, 1001, 1002] and [−1000, 0, 1000]",
             np.array([[1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0]]),
             np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), False),
            ("float32 logits: dx must stay float32", x.astype(np.float32),
             onehot.astype(np.float32), False),
        ]
    x = np.array([-2.0, -0.5, 0.3, 1.7, 3.0])
    t = np.array([0.0, 1.0, 1.0, 0.0, 1.0])
    return [
        ("a batch of 5 logits with 0/1 targets", x, t, True),
        ("a batch of shape (3, 2) (two outputs per sample)",
         np.array([[0.5, -1.0], [2.0, 0.1], [-0.3, 1.2]]),
         np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]), True),
        ("saturated logits ±30, ±800", np.array([-800.0, -30.0, 30.0, 800.0]),
         np.array([0.0, 1.0, 1.0, 0.0]), False),
        ("float32 logits: dx must stay float32", x.astype(np.float32),
         t.astype(np.float32), False),
    ]


def _run(fn, *args):
    """fn(*args) -> (value, exception, RuntimeWarning messages)."""
    with warnings.catch_warnings(record=True) as caught, \
            np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
        warnings.simplefilter("always")
        try:
            out, exc = fn(*args), None
        except Exception as e:  # noqa: BLE001 - the reader's code may raise anything
            out, exc = None, e
    msgs = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    return out, exc, list(dict.fromkeys(msgs))


def _tol(dtype):
    return (1e-5, 1e-6) if dtype == np.float32 else (1e-7, 1e-12)


def _close(a, b, dtype, scale=1.0):
    rtol, atol = _tol(dtype)
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    with np.errstate(all="ignore"):
        ok = (np.abs(a - b) <= atol * scale + rtol * np.abs(b)) | (np.isnan(a) & np.isnan(b))
    return ok


def _where(x, idx, loss):
    if loss:
        return f"entry {list(idx)}" if idx else "the value"
    if x.ndim == 0:
        return f"x = {fmt(x)}"
    pos = ", ".join(map(str, idx))
    return f"x[{pos}] = {fmt(x[idx])}"


def _diff(what, got, exp, x, dtype, loss):
    """A message for the first entry where got differs from exp, or None."""
    ok = _close(got, exp, dtype, scale=max(1.0, float(np.max(np.abs(exp), initial=0.0))))
    if ok.all():
        return None
    bad = np.argwhere(~ok)
    idx = tuple(int(i) for i in bad[0]) if ok.ndim else ()
    count = f"{len(bad)} of {ok.size} values differ; first " if ok.size > 1 else ""
    g, e = np.asarray(got, np.float64), np.asarray(exp, np.float64)
    return (f"{what}: {count}at {_where(x, idx, loss)}: expected {fmt(e[idx])}, "
            f"got {fmt(g[idx])}")


def _candidates(name, x, dout, alpha):
    """Typical wrong backwards: (values, hint) for the case's inputs."""
    with np.errstate(all="ignore"):
        if name == "sigmoid":
            out = A.sigmoid(x)
            return [
                (dout * (1 - x) * x, "backward used the input x where σ′ needs the output: "
                 "dx = dout * (1.0 - self.out) * self.out, with self.out stored in forward"),
                ((1 - out) * out, "the chain rule multiplies the local derivative by the "
                 "upstream gradient: dx = dout * (1.0 - self.out) * self.out"),
                (dout * (1 - out ** 2), "1 − out² is tanh′; the sigmoid's derivative is "
                 "out · (1 − out)"),
                (dout * out, "σ′ = σ(1 − σ), not σ: dx = dout * (1.0 - self.out) * self.out"),
            ]
        if name == "tanh":
            out = A.tanh(x)
            return [
                (dout * (1 - x ** 2), "backward used the input x where tanh′ needs the "
                 "output: dx = dout * (1.0 - self.out ** 2)"),
                (1 - out ** 2, "the chain rule multiplies the local derivative by the "
                 "upstream gradient: dx = dout * (1.0 - self.out ** 2)"),
                (dout * (1 - out), "tanh′ = 1 − tanh²: the output must be squared"),
                (dout * out * (1 - out), "out · (1 − out) is the sigmoid's derivative; "
                 "tanh′ = 1 − out²"),
            ]
        if name in ("relu", "leaky_relu"):
            a = alpha if name == "leaky_relu" else 0.0
            conv = (f"leaky_relu′(0) = α = {fmt(a)}" if a else "relu′(0) = 0")
            return [
                (dout * np.where(x >= 0, 1.0, a), "at x = 0 the gradient passed through: "
                 f"the book follows PyTorch, {conv}, so x = 0 belongs to the "
                 + ("negative side: slope = np.where(x > 0, 1.0, alpha)" if a else
                    "masked side: mask = (x <= 0), and dx[mask] = 0 (not x < 0)")),
                (np.where(x > 0, 1.0, a) + 0 * dout, "the chain rule multiplies the "
                 "local derivative by the upstream gradient dout"),
                (dout * (x <= 0), "the mask is inverted: the gradient must pass where "
                 "x > 0 and stop where x <= 0"),
                (dout * (x > 0), "negative inputs pass α · dout, not 0: that is ReLU's "
                 "backward; use the slope α where x <= 0"),
                (dout + 0 * x, "backward returned dout unchanged: multiply by the mask "
                 "stored in forward"),
            ]
        return []


def _loss_candidates(name, y, t, n):
    return [
        ((y - t), f"divide by the batch size N = {n}: the loss is the mean over the batch, "
         "so dx = (y − t) / N (ゼロから作る: (self.y - self.t) / batch_size)"),
        ((t - y) / n, "the sign: the gradient is prediction minus target, (y − t) / N"),
        ((y - t) / y.size, f"divide by the batch size N = {n} (rows), not by the number "
         f"of entries {y.size}"),
    ]


def _finite_diff(forward, x, dout, t):
    """Central differences of L = Σ dout·forward(x) (or dout·loss) for every entry of x."""
    x = np.asarray(x, np.float64)
    g = np.zeros_like(x)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        for i in np.ndindex(x.shape):
            h = 1e-5 * max(1.0, abs(x[i]))
            vals = []
            for s in (h, -h):
                xp = x.copy()
                xp[i] += s
                out = forward(xp) if t is None else forward(xp, t)
                vals.append(float(np.sum(np.asarray(out, np.float64) * dout)))
            g[i] = (vals[0] - vals[1]) / (2 * h)
    return g


def _make(layer, params):
    if not isinstance(layer, type) and hasattr(layer, "forward"):
        return layer                                     # an instance: reuse it
    return layer(**params) if params else layer()


def check_layer(layer, like=None, **params):
    """Check a reader's layer (a class, a factory, or an instance) against the library.

    ``like`` names the library layer to match (``"sigmoid"``, ``"tanh"``, ``"relu"``,
    ``"leaky_relu"``, ``"sigmoid_with_loss"``, ``"softmax_with_loss"``); by default it is
    read from the class name (``MySigmoid`` -> ``"sigmoid"``). ``params`` (e.g.
    ``alpha=0.1``) go to both layers' constructors. For every case the reader's forward
    and backward are compared with the library layer, and backward with central
    finite differences of the reader's own forward (except at a kink, where the book
    follows PyTorch). Returns a :class:`LayerReport`; never raises because of the
    reader's code (its exceptions and warnings are failed checks).
    """
    if not callable(layer) and not hasattr(layer, "forward"):
        raise TypeError(f"check_layer: layer must be a layer class (or a function that "
                        f"returns a layer), got {type(layer).__name__}")
    name = _reference(layer, like)
    ref_cls = LAYERS[name]
    if params and name != "leaky_relu":
        raise TypeError(f"check_layer: the {name} layer takes no parameters, got "
                        f"{', '.join(params)}")
    ref_cls(**params)                              # validates alpha (naming it)
    alpha = LeakyRelu(**params).alpha if name == "leaky_relu" else None
    shown = getattr(layer, "__name__", type(layer).__name__)
    loss = name.endswith("_with_loss")
    cases = _loss_cases(name) if loss else _elementwise_cases(name)
    title = (f"Checking your layer {shown} against afbook.layers.{ref_cls.__name__}"
             + (f" with α = {fmt(alpha)}" if alpha is not None else "")
             + f" ({len(cases)} checks)")
    notes, results = [], []
    for label, x, second, fd in cases:
        msg, hints = _check_case(layer, ref_cls, params, name, x, second, fd, loss, alpha,
                                 notes)
        results.append((label, msg, list(dict.fromkeys(hints))))
    return LayerReport(title, results, list(dict.fromkeys(notes)))


def _check_case(layer, ref_cls, params, name, x, second, fd, loss, alpha, notes):
    """Run one case; returns (message or "", hints)."""
    problems, hints = [], []
    dtype = x.dtype
    ref = ref_cls(**params)
    if loss:
        t = second
        exp_out = ref.forward(x, t)
        exp_dx = ref.backward(1.0)
    else:
        dout = second
        exp_out = ref.forward(x)
        exp_dx = ref.backward(dout)
    try:
        mine = _make(layer, params)
    except Exception as exc:  # noqa: BLE001
        return f"could not create your layer: {type(exc).__name__}: {exc}", []
    x_user = x.copy()
    args = (x_user, t.copy()) if loss else (x_user,)
    out, exc, warns = _run(mine.forward, *args)
    if exc is not None:
        return f"forward raised {type(exc).__name__}: {exc}", []
    for w in warns:
        problems.append(f"forward: RuntimeWarning: {w}")
        hints.append("the forward pass overflowed: compute the activation with the library "
                     f"(A.{name.replace('_with_loss', '')}) or a stable recipe")
    if not np.array_equal(x_user, x, equal_nan=True):
        problems.append("forward changed its input x in place")
        hints.append("work on a copy: out = x.copy(); out[mask] = 0 (never x[mask] = 0)")
    # a loss may come back as a Python float: its dtype is not checked, only its value
    msg = _shape_dtype("forward", out, exp_out, None if loss else dtype, hints)
    if msg is None:
        msg = _diff("forward", out, exp_out, x, dtype, loss)
    if msg:
        problems.append(msg)
    d_user = None if loss else dout.copy()
    dx, exc, warns = _run(mine.backward, 1.0 if loss else d_user)
    if exc is not None:
        problems.append(f"backward raised {type(exc).__name__}: {exc}")
        if isinstance(exc, (AttributeError, TypeError)) and "None" in str(exc):
            hints.append("backward needs what forward stored: set it in forward "
                         "(self.out = ..., self.mask = ...)")
        return "; ".join(problems), hints
    for w in warns:
        problems.append(f"backward: RuntimeWarning: {w}")
    if d_user is not None and not np.array_equal(d_user, dout):
        notes.append("your backward changes dout in place (as ゼロから作る's Relu does with "
                     "dout[self.mask] = 0): harmless when nothing else reads dout, but "
                     "dx = dout * mask leaves the caller's array alone")
    msg = _shape_dtype("backward", dx, exp_dx, dtype, hints)
    if msg is None:
        msg = _diff("backward", dx, exp_dx, x, dtype, loss)
        if msg:
            got = np.asarray(dx, np.float64)
            cands = (_loss_candidates(name, ref.y, ref.t, ref.batch_size) if loss
                     else _candidates(name, x, dout, alpha))
            scale = max(1.0, float(np.max(np.abs(exp_dx), initial=0.0)))
            for values, hint in cands:
                if np.all(_close(got, np.asarray(values, np.float64), dtype, scale)):
                    hints.append(hint)
                    break
    if msg:
        problems.append(msg)
    elif fd:
        fwd = (lambda xx, tt: _make(layer, params).forward(xx, tt)) if loss else \
            (lambda xx: _make(layer, params).forward(xx))
        num = _finite_diff(fwd, x, 1.0 if loss else dout, t if loss else None)
        got = np.asarray(dx, np.float64)
        if not np.all(np.abs(got - num) <= 1e-6 + 1e-5 * np.abs(num)):
            i = tuple(int(k) for k in np.argwhere(np.abs(got - num) > 1e-6 + 1e-5
                                                  * np.abs(num))[0])
            problems.append(f"backward disagrees with finite differences of your forward at "
                            f"{_where(x, i, False)}: {fmt(num[i])} vs {fmt(got[i])}")
    return "; ".join(problems), hints


def _shape_dtype(what, got, exp, dtype, hints):
    if got is None:
        hints.append(f"{what} must return its result (is a `return` missing?)")
        return f"{what} returned None"
    try:
        g = np.asarray(got)
    except Exception:  # noqa: BLE001
        return f"{what} returned {type(got).__name__}, not numbers"
    if g.dtype.kind not in "biuf":
        return f"{what} returned {type(got).__name__} of dtype {g.dtype}, not numbers"
    if g.shape != np.shape(exp):
        hints.append(f"{what} must keep the shape of x" if what == "backward" or
                     np.ndim(exp) else "the loss is one number: sum, then divide by N")
        return f"{what} returned shape {g.shape}, expected {np.shape(exp)}"
    if dtype == np.float32 and g.dtype != np.float32:
        hints.append("float32 in must give float32 out: (x > 0).astype(float), "
                     "np.where(x > 0, 1.0, alpha) or np.ones(x.shape) build float64 arrays "
                     "that upcast the result; use x.dtype (or a boolean mask) instead")
        return f"{what}: float32 input gave {g.dtype} output"
    return None

