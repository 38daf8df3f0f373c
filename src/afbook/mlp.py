"""A tiny, readable multilayer perceptron in NumPy, for the book's experiments.

The network is a stack of dense layers ``z = a @ W + b``.  Every hidden layer applies the same
elementwise activation from the course library (``activations.get(name)``), and the backward pass
uses that activation's exact ``.derivative`` -- so any elementwise activation of the registry can be
trained, with any of its parameters.  The last layer is an *output head* paired with its natural
loss, chosen so that the gradient of the loss with respect to the last pre-activation is simply
``(p - y) / N``:

============  ====================  =========================================================
head          output ``p``          loss (mean over the N samples)
============  ====================  =========================================================
identity      ``z``                 ``0.5 * sum((z - y)**2)``  (half squared error)
sigmoid       ``sigmoid(z)``        binary cross-entropy, via ``log_sigmoid`` (stable)
softmax       ``softmax(z)``        cross-entropy, via ``log_softmax`` (stable)
============  ====================  =========================================================

Everything is float64 and seeded through ``np.random.default_rng(seed)``: two networks built with
the same arguments and trained with the same seed give identical numbers.

Example
-------
>>> from afbook import datasets, mlp
>>> X, y = datasets.two_spirals(200, seed=0)
>>> net = mlp.MLP([2, 32, 32, 2], activation="elu", head="softmax", init="he_normal", seed=0)
>>> history = net.fit(X, y, epochs=100, optimizer="adam", lr=0.01, seed=0)
>>> history["loss"][-1] < history["loss"][0]
True

The experiment drivers (training on the toy tasks, the initialisation table, the result tables)
live in :mod:`afbook.experiments`; this module holds the model, its optimisers and
:func:`fit_stacked`, the vectorised trainer of several networks at once.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

import activations as A

__all__ = [
    "INITIALISERS",
    "HEADS",
    "init_weights",
    "SGD",
    "Adam",
    "make_optimizer",
    "MLP",
    "HEAD_TABLE",
    "Head",
    "init_std",
    "epochs_to_target",
    "fit_stacked",
]

#: initialiser name -> (gain numerator, fan used, distribution)
#: normal: std = sqrt(g / fan); uniform: limit = sqrt(3 g / fan) (same variance).
#: Glorot's variance 2 / (fan_in + fan_out) is 1 / fan_avg with fan_avg = (fan_in + fan_out) / 2.
INITIALISERS = {
    "he_normal": (2.0, "in", "normal"),          # He et al. 2015
    "he_uniform": (2.0, "in", "uniform"),
    "glorot_normal": (1.0, "avg", "normal"),     # Glorot & Bengio 2010 ("Xavier")
    "glorot_uniform": (1.0, "avg", "uniform"),
    "lecun_normal": (1.0, "in", "normal"),       # LeCun et al. 1998
    "lecun_uniform": (1.0, "in", "uniform"),
}
_INIT_ALIASES = {
    "he": "he_normal",
    "kaiming": "he_normal",
    "kaiming_normal": "he_normal",
    "kaiming_uniform": "he_uniform",
    "glorot": "glorot_uniform",
    "xavier": "glorot_uniform",
    "xavier_normal": "glorot_normal",
    "xavier_uniform": "glorot_uniform",
    "lecun": "lecun_normal",
}
@dataclass(frozen=True)
class Head:
    """An output head: how logits become predictions, its loss and (for classifiers) which
    predictions are right. Every function works on the last axis, so the same head serves one
    network ``(N, k)`` and a stack of networks ``(S, N, k)``; ``loss_sum`` sums over ``axis``."""

    output: Callable            # logits -> predictions
    loss_sum: Callable          # (z, Y, axis) -> summed loss; its gradient in z is output(z) - Y
    correct: Callable | None    # (z, Y) -> bool array of right answers; None for regression


#: name -> Head: half squared error, binary cross-entropy, cross-entropy (all from logits, stably).
HEAD_TABLE = {
    "identity": Head(output=lambda z: z,
                     loss_sum=lambda z, Y, axis=None: 0.5 * np.sum((z - Y) ** 2, axis=axis),
                     correct=None),
    # -[y log s(z) + (1-y) log s(-z)], both logs computed stably
    "sigmoid": Head(output=lambda z: A.sigmoid(z),
                    loss_sum=lambda z, Y, axis=None: -np.sum(Y * A.log_sigmoid(z) + (1.0 - Y) * A.log_sigmoid(-z),
                                                             axis=axis),
                    correct=lambda z, Y: (z > 0) == (Y > 0.5)),
    "softmax": Head(output=lambda z: A.softmax(z, axis=-1),
                    loss_sum=lambda z, Y, axis=None: -np.sum(Y * A.log_softmax(z, axis=-1), axis=axis),
                    correct=lambda z, Y: np.argmax(z, axis=-1) == np.argmax(Y, axis=-1)),
}
HEADS = tuple(HEAD_TABLE)


def _canonical_init(scheme: str) -> str:
    if not isinstance(scheme, str):
        raise TypeError(f"init: expected a string, got {type(scheme).__name__}")
    key = scheme.lower()
    key = _INIT_ALIASES.get(key, key)
    if key not in INITIALISERS:
        known = ", ".join(list(INITIALISERS) + list(_INIT_ALIASES))
        raise ValueError(f"init: unknown initialiser {scheme!r}; choose one of {known}")
    return key


def init_std(fan_in: int, fan_out: int, scheme: str) -> float:
    """Standard deviation of the weights drawn by ``scheme`` for a layer ``fan_in -> fan_out``."""
    gain, fan, _ = INITIALISERS[_canonical_init(scheme)]
    n = fan_in if fan == "in" else (fan_in + fan_out) / 2.0
    return float(np.sqrt(gain / n))


def init_weights(fan_in: int, fan_out: int, scheme: str, rng: np.random.Generator) -> np.ndarray:
    """A ``(fan_in, fan_out)`` weight matrix drawn with He, Glorot (Xavier) or LeCun scaling.

    Normal variants draw N(0, std^2); uniform variants draw U(-limit, limit) with
    limit = sqrt(3) * std, so both have the same variance.
    """
    for name, v in (("fan_in", fan_in), ("fan_out", fan_out)):
        if not isinstance(v, numbers.Integral) or isinstance(v, bool) or v <= 0:
            raise ValueError(f"init_weights: {name} must be a positive integer, got {v!r}")
    key = _canonical_init(scheme)
    std = init_std(fan_in, fan_out, key)
    if INITIALISERS[key][2] == "normal":
        return rng.normal(0.0, std, size=(fan_in, fan_out))
    limit = np.sqrt(3.0) * std
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


# --------------------------------------------------------------------------------------------
# Optimisers: each updates lists of arrays in place.
# --------------------------------------------------------------------------------------------
def _positive(owner: str, name: str, value: float, allow_zero: bool = False) -> float:
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{owner}: {name} must be a real number, got {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{owner}: {name} must be finite and {bound}, got {value!r}")
    return value


class SGD:
    """Stochastic gradient descent with (heavy-ball) momentum: v <- m v - lr g;  w <- w + v."""

    def __init__(self, lr: float = 0.01, momentum: float = 0.0):
        self.lr = _positive("SGD", "lr", lr)
        self.momentum = _positive("SGD", "momentum", momentum, allow_zero=True)
        if self.momentum >= 1:
            raise ValueError(f"SGD: momentum must be in [0, 1), got {momentum!r}")
        self._velocity: list[np.ndarray] | None = None

    def step(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        if self._velocity is None:
            self._velocity = [np.zeros_like(p) for p in params]
        for p, g, v in zip(params, grads, self._velocity):
            v *= self.momentum
            v -= self.lr * g
            p += v


class Adam:
    """Adam (Kingma & Ba 2015) with bias correction."""

    def __init__(self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8):
        self.lr = _positive("Adam", "lr", lr)
        self.eps = _positive("Adam", "eps", eps)
        for name, b in (("beta1", beta1), ("beta2", beta2)):
            b = _positive("Adam", name, b, allow_zero=True)
            if b >= 1:
                raise ValueError(f"Adam: {name} must be in [0, 1), got {b!r}")
        self.beta1, self.beta2 = float(beta1), float(beta2)
        self._m: list[np.ndarray] | None = None
        self._v: list[np.ndarray] | None = None
        self._t = 0

    def step(self, params: list[np.ndarray], grads: list[np.ndarray]) -> None:
        if self._m is None:
            self._m = [np.zeros_like(p) for p in params]
            self._v = [np.zeros_like(p) for p in params]
        self._t += 1
        c1 = 1.0 - self.beta1 ** self._t
        c2 = 1.0 - self.beta2 ** self._t
        for p, g, m, v in zip(params, grads, self._m, self._v):
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            v *= self.beta2
            v += (1.0 - self.beta2) * g * g
            p -= self.lr * (m / c1) / (np.sqrt(v / c2) + self.eps)


def make_optimizer(spec="adam", **kwargs):
    """``"sgd"`` / ``"adam"`` (with keyword arguments), or an object with a ``step`` method."""
    if hasattr(spec, "step"):
        if kwargs:
            raise ValueError("make_optimizer: pass keyword arguments only with an optimiser name")
        return spec
    if not isinstance(spec, str):
        raise TypeError(f"optimizer: expected 'sgd', 'adam' or an optimiser object, got {spec!r}")
    key = spec.lower()
    if key == "sgd":
        return SGD(**kwargs)
    if key == "adam":
        return Adam(**kwargs)
    raise ValueError(f"optimizer: unknown optimiser {spec!r}; choose 'sgd' or 'adam'")


# --------------------------------------------------------------------------------------------
# The network
# --------------------------------------------------------------------------------------------
class MLP:
    """Dense network ``sizes[0] -> sizes[1] -> ... -> sizes[-1]``.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths including input and output, e.g. ``[2, 32, 32, 1]`` (two hidden layers).
    activation : str
        Name of an elementwise activation in ``activations.REGISTRY`` used in every hidden layer.
    params : dict, optional
        Keyword parameters of the activation, e.g. ``{"alpha": 0.1}`` for ``"leaky_relu"``.
    head : {"identity", "sigmoid", "softmax"}
        Output head and its loss (half squared error, binary cross-entropy, cross-entropy).
    init : str
        ``he_normal``, ``he_uniform``, ``glorot_normal``, ``glorot_uniform``, ``lecun_normal``,
        ``lecun_uniform`` (aliases: ``he``, ``kaiming``, ``glorot``, ``xavier``, ``lecun``...).
        Biases start at zero.
    seed : int
        Seed of the weight initialisation.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str = "relu",
        params: dict | None = None,
        head: str = "identity",
        init: str = "he_normal",
        seed: int = 0,
    ):
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
            raise TypeError(f"MLP: sizes must be a sequence of integers, got {sizes!r}")
        sizes = list(sizes)
        if len(sizes) < 2:
            raise ValueError(f"MLP: sizes needs at least an input and an output size, got {sizes!r}")
        for s in sizes:
            if not isinstance(s, numbers.Integral) or isinstance(s, bool):
                raise TypeError(f"MLP: sizes must be integers, got {s!r} in {sizes!r}")
            if s <= 0:
                raise ValueError(f"MLP: every layer size must be > 0, got {s!r} in {sizes!r}")
        if head not in HEADS:
            raise ValueError(f"MLP: head must be one of {HEADS}, got {head!r}")
        if head == "softmax" and sizes[-1] < 2:
            raise ValueError("MLP: head='softmax' needs at least 2 output units (sizes[-1] >= 2)")
        if not isinstance(activation, str):
            raise TypeError(f"MLP: activation must be a registry name (str), got {activation!r}")
        act = A.get(activation)  # ValueError for unknown names
        if getattr(act, "kind", "elementwise") != "elementwise":
            raise ValueError(
                f"MLP: activation {activation!r} is not elementwise (kind={act.kind!r}); "
                "hidden layers need an elementwise activation"
            )
        params = dict(params or {})
        act(np.zeros(1), **params)  # let the library reject bad parameters now, not mid-training
        if not isinstance(seed, numbers.Integral) or isinstance(seed, bool):
            raise TypeError(f"MLP: seed must be an integer, got {seed!r}")

        self.sizes = [int(s) for s in sizes]
        self.activation = activation
        self.params = params
        self.head = head
        self.init = _canonical_init(init)
        self.seed = int(seed)
        self._act = act
        rng = np.random.default_rng(self.seed)
        self.weights = [
            init_weights(a, b, self.init, rng) for a, b in zip(self.sizes[:-1], self.sizes[1:])
        ]
        self.biases = [np.zeros(b) for b in self.sizes[1:]]

    # ---- helpers -------------------------------------------------------------------------
    @property
    def n_layers(self) -> int:
        """Number of weight layers (hidden layers + 1)."""
        return len(self.weights)

    def __repr__(self) -> str:
        p = f", params={self.params}" if self.params else ""
        return (f"MLP({self.sizes}, activation={self.activation!r}{p}, head={self.head!r}, "
                f"init={self.init!r}, seed={self.seed})")

    def f(self, z: np.ndarray) -> np.ndarray:
        """The hidden activation."""
        return self._act(z, **self.params)

    def df(self, z: np.ndarray) -> np.ndarray:
        """Its derivative, from the library."""
        return self._act.derivative(z, **self.params)

    def _check_X(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(
                f"MLP: X must have shape (n_samples, {self.sizes[0]}), got {X.shape}"
            )
        if X.shape[0] == 0:
            raise ValueError("MLP: X has no samples")
        return X

    def _check_y(self, y, n: int) -> np.ndarray:
        """Targets as a float64 array of shape (n, sizes[-1])."""
        y = np.asarray(y)
        k = self.sizes[-1]
        if y.shape[0:1] != (n,):
            raise ValueError(f"MLP: y must have {n} rows (one per sample of X), got shape {y.shape}")
        if self.head == "softmax":
            if y.ndim == 1:
                if not np.issubdtype(y.dtype, np.integer):
                    if not np.all(np.equal(np.mod(y, 1), 0)):
                        raise ValueError("MLP: class labels y must be integers for head='softmax'")
                    y = y.astype(np.int64)
                if y.min() < 0 or y.max() >= k:
                    raise ValueError(f"MLP: class labels must lie in [0, {k}), got {y.min()}..{y.max()}")
                onehot = np.zeros((n, k))
                onehot[np.arange(n), y] = 1.0
                return onehot
            if y.shape != (n, k):
                raise ValueError(f"MLP: one-hot y must have shape ({n}, {k}), got {y.shape}")
            return y.astype(np.float64)
        y = y.astype(np.float64)
        if y.ndim == 1:
            if k != 1:
                raise ValueError(f"MLP: y has shape {y.shape} but the network has {k} outputs")
            y = y[:, None]
        if y.shape != (n, k):
            raise ValueError(f"MLP: y must have shape ({n}, {k}), got {y.shape}")
        if self.head == "sigmoid" and (np.any(y < 0) or np.any(y > 1)):
            raise ValueError("MLP: targets for head='sigmoid' must lie in [0, 1]")
        return y

    # ---- forward / loss / backward -------------------------------------------------------
    def forward(self, X, keep: bool = False):
        """Last pre-activation ``z_L`` (logits).  With ``keep=True`` also the lists of hidden
        pre-activations ``zs`` and layer inputs ``activations`` (``activations[0] = X``)."""
        a = self._check_X(X)
        zs, acts = [], [a]
        for W, b in zip(self.weights[:-1], self.biases[:-1]):
            z = a @ W + b
            a = self.f(z)
            zs.append(z)
            acts.append(a)
        out = a @ self.weights[-1] + self.biases[-1]
        return (out, zs, acts) if keep else out

    def predict(self, X) -> np.ndarray:
        """Head output: values (identity), probabilities of class 1 (sigmoid) or of each class
        (softmax)."""
        return HEAD_TABLE[self.head].output(self.forward(X))

    def _loss_from_logits(self, z: np.ndarray, Y: np.ndarray) -> float:
        return float(HEAD_TABLE[self.head].loss_sum(z, Y) / z.shape[0])

    def loss(self, X, y) -> float:
        """Mean loss of the head on (X, y)."""
        X = self._check_X(X)
        return self._loss_from_logits(self.forward(X), self._check_y(y, X.shape[0]))

    def accuracy(self, X, y) -> float:
        """Fraction of correctly classified samples (sigmoid: threshold 0.5; softmax: argmax)."""
        if HEAD_TABLE[self.head].correct is None:
            raise ValueError("MLP.accuracy: only defined for head='sigmoid' or 'softmax'")
        X = self._check_X(X)
        Y = self._check_y(y, X.shape[0])
        return float(np.mean(HEAD_TABLE[self.head].correct(self.forward(X), Y)))

    def loss_and_grads(self, X, y):
        """Loss and its gradients ``(loss, grads_W, grads_b)``, by backpropagation.

        The head's gradient with respect to the logits is ``(p - y) / N``; each hidden layer
        multiplies the back-propagated signal by ``activation.derivative(z)``.
        """
        X = self._check_X(X)
        Y = self._check_y(y, X.shape[0])
        return self._loss_and_grads(X, Y)[:3]

    def _loss_and_grads(self, X: np.ndarray, Y: np.ndarray):
        n = X.shape[0]
        z_out, zs, acts = self.forward(X, keep=True)
        loss = self._loss_from_logits(z_out, Y)
        p = HEAD_TABLE[self.head].output(z_out)
        delta = (p - Y) / n                      # dL/dz for the last layer
        gW = [None] * self.n_layers
        gb = [None] * self.n_layers
        derivs = [None] * len(zs)
        for l in range(self.n_layers - 1, -1, -1):
            gW[l] = acts[l].T @ delta
            gb[l] = delta.sum(axis=0)
            if l > 0:
                derivs[l - 1] = self.df(zs[l - 1])
                delta = (delta @ self.weights[l].T) * derivs[l - 1]
        return loss, gW, gb, zs, acts, derivs, z_out

    # ---- diagnostics ---------------------------------------------------------------------
    def gradient_norms(self, X, y) -> np.ndarray:
        """Frobenius norm of dL/dW for every weight layer, input layer first."""
        _, gW, _ = self.loss_and_grads(X, y)
        return np.array([np.linalg.norm(g) for g in gW])

    def layer_stats(self, X) -> dict:
        """Statistics of the hidden layers on the data set X (one entry per hidden layer).

        ``mean`` / ``std``: of the activations a = f(z) over samples and units;
        ``pre_mean`` / ``pre_std``: the same for the pre-activations z;
        ``dead_fraction``: fraction of units whose derivative f'(z) is 0 for *every* sample of X
        (a dead unit passes no gradient to its weights).
        """
        _, zs, acts = self.forward(X, keep=True)
        dead = []
        for z in zs:
            d = self.df(z)
            dead.append(float(np.mean(np.all(d == 0, axis=0))))
        return {
            "mean": np.array([float(a.mean()) for a in acts[1:]]),
            "std": np.array([float(a.std()) for a in acts[1:]]),
            "pre_mean": np.array([float(z.mean()) for z in zs]),
            "pre_std": np.array([float(z.std()) for z in zs]),
            "dead_fraction": np.array(dead),
        }

    def dead_fraction(self, X) -> float:
        """Fraction of all hidden units that are dead on X (see ``layer_stats``)."""
        _, zs, _ = self.forward(X, keep=True)
        n_units = sum(z.shape[1] for z in zs)
        if n_units == 0:
            return 0.0
        dead = sum(int(np.sum(np.all(self.df(z) == 0, axis=0))) for z in zs)
        return dead / n_units

    # ---- training ------------------------------------------------------------------------
    def fit(
        self,
        X,
        y,
        epochs: int = 100,
        batch_size: int | None = None,
        optimizer="adam",
        seed: int = 0,
        X_val=None,
        y_val=None,
        record: Sequence[str] = (),
        callback: Callable | None = None,
        **optimizer_kwargs,
    ) -> dict:
        """Train with mini-batches; return a history dict.

        Parameters
        ----------
        epochs : number of passes over the data.
        batch_size : mini-batch size (``None``: full batch).
        optimizer : ``"sgd"`` or ``"adam"`` (keyword arguments such as ``lr=0.1, momentum=0.9``
            go to the optimiser), or an ``SGD``/``Adam`` object.
        seed : seed of the mini-batch shuffling.
        X_val, y_val : optional held-out data, evaluated after every epoch.
        record : extra diagnostics to record after every epoch, from ``"grad_norms"`` (per-layer
            gradient norms on the full training set) and ``"layer_stats"`` (see
            :meth:`layer_stats`, includes ``dead_fraction``).
        callback : ``callback(net, epoch, history)`` called after every epoch; return ``True``
            to stop early.

        The history has ``loss`` (training loss *before* training and after every epoch, so
        ``len(history["loss"]) == epochs_run + 1``), ``accuracy`` for classification heads,
        ``val_loss``/``val_accuracy`` when validation data is given, the recorded diagnostics,
        ``epochs_run`` and ``diverged`` (True if the loss became inf/nan; training then stops --
        overflow inside a diverging run is expected and not reported as a warning).
        """
        X = self._check_X(X)
        Y = self._check_y(y, X.shape[0])
        n = X.shape[0]
        if not isinstance(epochs, numbers.Integral) or isinstance(epochs, bool) or epochs < 0:
            raise ValueError(f"MLP.fit: epochs must be a non-negative integer, got {epochs!r}")
        if batch_size is None:
            batch_size = n
        if not isinstance(batch_size, numbers.Integral) or isinstance(batch_size, bool) or batch_size <= 0:
            raise ValueError(f"MLP.fit: batch_size must be a positive integer, got {batch_size!r}")
        record = tuple(record)
        for r in record:
            if r not in ("grad_norms", "layer_stats"):
                raise ValueError(f"MLP.fit: record entries must be 'grad_norms' or 'layer_stats', got {r!r}")
        has_val = X_val is not None or y_val is not None
        if has_val:
            if X_val is None or y_val is None:
                raise ValueError("MLP.fit: give both X_val and y_val")
            X_val = self._check_X(X_val)
            Y_val = self._check_y(y_val, X_val.shape[0])
        opt = make_optimizer(optimizer, **optimizer_kwargs)
        rng = np.random.default_rng(seed)
        classify = HEAD_TABLE[self.head].correct is not None

        hist: dict = {"loss": [], "epochs_run": 0, "diverged": False}
        if classify:
            hist["accuracy"] = []
        if has_val:
            hist["val_loss"] = []
            if classify:
                hist["val_accuracy"] = []
        for r in record:
            hist[r] = []

        def _acc(z, T):
            return float(np.mean(HEAD_TABLE[self.head].correct(z, T)))

        def record_train(loss, z, T):
            hist["loss"].append(loss)
            if classify:
                hist["accuracy"].append(_acc(z, T))

        def record_rest():
            if has_val:
                zv = self.forward(X_val)
                hist["val_loss"].append(self._loss_from_logits(zv, Y_val))
                if classify:
                    hist["val_accuracy"].append(_acc(zv, Y_val))
            if "grad_norms" in record:
                gW = self._loss_and_grads(X, Y)[1]
                hist["grad_norms"].append(np.array([np.linalg.norm(g) for g in gW]))
            if "layer_stats" in record:
                hist["layer_stats"].append(self.layer_stats(X))

        def record_all():
            z = self.forward(X)
            record_train(self._loss_from_logits(z, Y), z, Y)
            record_rest()

        # Full-batch training evaluates the training loss for free: the forward pass of the step at
        # epoch e sees the weights after e - 1 epochs.  Mini-batches need an extra forward pass.
        # (With a callback every epoch is evaluated after its update, so the callback sees it.)
        full_batch = batch_size >= n and callback is None
        params = self.weights + self.biases
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            if not full_batch or epochs == 0:
                record_all()
            else:
                record_rest()
            for epoch in range(1, epochs + 1):
                if full_batch:
                    loss, gW, gb, _, _, _, z = self._loss_and_grads(X, Y)
                    record_train(loss, z, Y)
                    opt.step(params, gW + gb)
                else:
                    order = rng.permutation(n) if batch_size < n else np.arange(n)
                    for start in range(0, n, batch_size):
                        idx = order[start:start + batch_size]
                        _, gW, gb, _, _, _, _ = self._loss_and_grads(X[idx], Y[idx])
                        opt.step(params, gW + gb)
                hist["epochs_run"] = epoch
                finite = all(np.all(np.isfinite(p)) for p in params)
                if full_batch:
                    finite = finite and bool(np.isfinite(hist["loss"][-1]))
                    if epoch == epochs or not finite:
                        record_all()
                    else:
                        record_rest()
                else:
                    record_all()
                finite = finite and bool(np.isfinite(hist["loss"][-1]))
                if not finite:
                    hist["diverged"] = True
                    break
                if callback is not None and callback(self, epoch, hist):
                    break
        return hist


def epochs_to_target(history: dict, key: str, target: float, above: bool = True):
    """First epoch at which ``history[key]`` reaches ``target`` (``>=`` if ``above`` else ``<=``);
    ``None`` if it never does.  Epoch 0 is the untrained network."""
    if key not in history:
        raise ValueError(f"epochs_to_target: history has no {key!r} (has {sorted(history)})")
    values = np.asarray(history[key], dtype=float)
    hit = values >= target if above else values <= target
    idx = np.flatnonzero(hit)
    return int(idx[0]) if idx.size else None




def fit_stacked(nets: Sequence["MLP"], X, y, epochs: int = 100, optimizer="adam", **optimizer_kwargs) -> list[dict]:
    """Train several networks of the same architecture on the same data with full-batch steps,
    as one vectorised computation: the weights of layer l of all networks form one array of
    shape ``(S, fan_in, fan_out)``.

    Equivalent to ``[net.fit(X, y, epochs, optimizer=..., **kw) for net in nets]`` with
    ``batch_size=None`` (SGD and Adam act elementwise, so they treat the stacked arrays exactly
    as the separate ones); the results agree up to floating-point rounding.  The trained
    weights are written back into each ``net``.  Returns one history per network with
    ``loss``, ``accuracy`` (classification heads), ``epochs_run`` and ``diverged``.  A network
    whose loss becomes inf/nan is marked diverged and its history stops there, as in
    :meth:`MLP.fit`; the others go on.
    """
    nets = list(nets)
    if not nets:
        raise ValueError("fit_stacked: give at least one network")
    ref = nets[0]
    for net in nets[1:]:
        if (net.sizes, net.activation, net.params, net.head) != (ref.sizes, ref.activation, ref.params, ref.head):
            raise ValueError("fit_stacked: all networks need the same sizes, activation, params and head")
    if not isinstance(epochs, numbers.Integral) or isinstance(epochs, bool) or epochs < 0:
        raise ValueError(f"fit_stacked: epochs must be a non-negative integer, got {epochs!r}")
    X = ref._check_X(X)
    Y = ref._check_y(y, X.shape[0])
    n, S, L = X.shape[0], len(nets), ref.n_layers
    Ws = [np.stack([net.weights[l] for net in nets]) for l in range(L)]          # (S, a, b)
    bs = [np.stack([net.biases[l] for net in nets])[:, None, :] for l in range(L)]  # (S, 1, b)
    params = Ws + bs
    opt = make_optimizer(optimizer, **optimizer_kwargs)
    head = HEAD_TABLE[ref.head]
    classify = head.correct is not None
    losses = np.empty((epochs + 1, S))
    accs = np.empty((epochs + 1, S))

    def T(a):
        return a.swapaxes(-1, -2)

    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for epoch in range(epochs + 1):
            a, zs, acts = X, [], [X]
            for W, b in zip(Ws[:-1], bs[:-1]):
                z = a @ W + b
                a = ref.f(z)
                zs.append(z)
                acts.append(a)
            out = a @ Ws[-1] + bs[-1]                                          # (S, n, k)
            p = head.output(out)
            losses[epoch] = head.loss_sum(out, Y, axis=(1, 2)) / n
            if classify:
                accs[epoch] = np.mean(head.correct(out, Y).reshape(S, -1), axis=1)
            if epoch == epochs:
                break
            delta = (p - Y) / n
            gW, gb = [None] * L, [None] * L
            for l in range(L - 1, -1, -1):
                gW[l] = T(acts[l]) @ delta
                gb[l] = delta.sum(axis=1, keepdims=True)
                if l > 0:
                    delta = (delta @ T(Ws[l])) * ref.df(zs[l - 1])
            opt.step(params, gW + gb)
    for s, net in enumerate(nets):
        for l in range(L):
            net.weights[l][...] = Ws[l][s]
            net.biases[l][...] = bs[l][s, 0]
    hists = []
    for s in range(S):
        bad = np.flatnonzero(~np.isfinite(losses[:, s]))
        stop = int(bad[0]) if bad.size else epochs
        h = {"loss": [float(v) for v in losses[:stop + 1, s]], "epochs_run": stop, "diverged": bool(bad.size)}
        if classify:
            h["accuracy"] = [float(v) for v in accs[:stop + 1, s]]
        hists.append(h)
    return hists

