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
live in :mod:`afbook.experiments`; this module holds the model, its optimisers and the one
forward pass, backward pass and trainer.  :func:`fit_stacked` trains a stack of S networks as one
vectorised computation; :meth:`MLP.fit` is the case S = 1, so a network gives the same numbers
alone or in a stack.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

import activations as A
from afbook import args

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
        args.integer("init_weights", name, v, low=1)
    key = _canonical_init(scheme)
    std = init_std(fan_in, fan_out, key)
    if INITIALISERS[key][2] == "normal":
        return rng.normal(0.0, std, size=(fan_in, fan_out))
    limit = np.sqrt(3.0) * std
    return rng.uniform(-limit, limit, size=(fan_in, fan_out))


# --------------------------------------------------------------------------------------------
# Optimisers: each updates lists of arrays in place.
# --------------------------------------------------------------------------------------------
class SGD:
    """Stochastic gradient descent with (heavy-ball) momentum: v <- m v - lr g;  w <- w + v."""

    def __init__(self, lr: float = 0.01, momentum: float = 0.0):
        self.lr = args.positive("SGD", "lr", lr)
        self.momentum = args.positive("SGD", "momentum", momentum, allow_zero=True, below=1)
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
        self.lr = args.positive("Adam", "lr", lr)
        self.eps = args.positive("Adam", "eps", eps)
        for name, b in (("beta1", beta1), ("beta2", beta2)):
            b = args.positive("Adam", name, b, allow_zero=True, below=1)
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
            args.integer("MLP", "every layer size in sizes", s, low=1)
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
        args.integer("MLP", "seed", seed)

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
    def _stack(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """This network as a stack of one (views, no copy): weights (1, a, b), biases (1, 1, b)."""
        return [W[None] for W in self.weights], [b[None, None] for b in self.biases]

    def forward(self, X, keep: bool = False):
        """Last pre-activation ``z_L`` (logits).  With ``keep=True`` also the lists of hidden
        pre-activations ``zs`` and layer inputs ``activations`` (``activations[0] = X``)."""
        X = self._check_X(X)
        out, zs, acts, _ = _forward(*self._stack(), self.f, X)
        if not keep:
            return out[0]
        return out[0], [z[0] for z in zs], [X] + [a[0] for a in acts[1:]]

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

    def loss_and_grads(self, X, y, *, dropout: Callable | None = None, rng=None):
        """Loss and its gradients ``(loss, grads_W, grads_b)``, by backpropagation.

        The head's gradient with respect to the logits is ``(p - y) / N``; each hidden layer
        multiplies the back-propagated signal by ``activation.derivative(z)``.  ``dropout``
        (with its generator ``rng``) is applied after every hidden activation, as in
        :func:`fit_stacked`.
        """
        X = self._check_X(X)
        Y = self._check_y(y, X.shape[0])
        Ws, bs = self._stack()
        if dropout is not None and not callable(dropout):
            raise TypeError(f"MLP.loss_and_grads: dropout must be callable, got {dropout!r}")
        drop = None if dropout is None else (lambda a: dropout(a, rng))
        out, zs, acts, masks = _forward(Ws, bs, self.f, X, drop)
        gW, gb = _backward(Ws, self.df, HEAD_TABLE[self.head], out, Y, zs, acts, masks)
        return (self._loss_from_logits(out[0], Y), [g[0] for g in gW],
                [g[0, 0] for g in gb])

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
    def fit(self, X, y, epochs: int = 100, batch_size: int | None = None, optimizer="adam",
            seed: int = 0, X_val=None, y_val=None, record: Sequence[str] = (),
            callback: Callable | None = None, dropout: Callable | None = None,
            **optimizer_kwargs) -> dict:
        """Train this network; return its history.  This is :func:`fit_stacked` with a stack of
        one network (the one training path of the course), so every argument means what it
        means there; ``callback(net, epoch, history)`` gets this network and its history.
        """
        if callback is not None and not callable(callback):
            raise TypeError(f"MLP.fit: callback must be callable, got {callback!r}")
        cb = None if callback is None else (lambda nets, epoch, hists: callback(self, epoch, hists[0]))
        return fit_stacked([self], X, y, epochs, batch_size=batch_size, optimizer=optimizer,
                           seed=seed, X_val=X_val, y_val=y_val, record=record, callback=cb,
                           dropout=dropout, where="MLP.fit", **optimizer_kwargs)[0]


def epochs_to_target(history: dict, key: str, target: float, above: bool = True):
    """First epoch at which ``history[key]`` reaches ``target`` (``>=`` if ``above`` else ``<=``);
    ``None`` if it never does.  Epoch 0 is the untrained network."""
    if key not in history:
        raise ValueError(f"epochs_to_target: history has no {key!r} (has {sorted(history)})")
    values = np.asarray(history[key], dtype=float)
    hit = values >= target if above else values <= target
    idx = np.flatnonzero(hit)
    return int(idx[0]) if idx.size else None


# --------------------------------------------------------------------------------------------
# The one forward and backward pass, and the one trainer.  Every array carries a leading stack
# axis S: weights (S, a, b), biases (S, 1, b), activations (S, n, b); the input X (n, a) is
# shared and broadcasts.  A single network is the stack S = 1 (MLP._stack, views).
# --------------------------------------------------------------------------------------------
def _T(a: np.ndarray) -> np.ndarray:
    return a.swapaxes(-1, -2)


def _forward(Ws, bs, f, X, dropout=None):
    """Logits (S, n, k), the hidden pre-activations, the layer inputs (``acts[0] = X``) and the
    dropout masks (``dropout(a) -> (a', da'/da)`` after every hidden activation, or None)."""
    a, zs, acts, masks = X, [], [X], []
    for W, b in zip(Ws[:-1], bs[:-1]):
        z = a @ W + b
        a = f(z)
        if dropout is not None:
            a, m = dropout(a)
            masks.append(m)
        zs.append(z)
        acts.append(a)
    return a @ Ws[-1] + bs[-1], zs, acts, masks


def _backward(Ws, df, head: Head, out, Y, zs, acts, masks):
    """Gradients (gW, gb) of the mean loss: dL/dz_L = (p - y) / N, then
    delta_l = (delta_{l+1} W_{l+1}^T) * [mask] * f'(z_l)."""
    L = len(Ws)
    delta = (head.output(out) - Y) / out.shape[-2]
    gW, gb = [None] * L, [None] * L
    for l in range(L - 1, -1, -1):
        gW[l] = _T(acts[l]) @ delta
        gb[l] = delta.sum(axis=-2, keepdims=True)
        if l > 0:
            delta = delta @ _T(Ws[l])
            if masks and masks[l - 1] is not None:
                delta = delta * masks[l - 1]
            delta = delta * df(zs[l - 1])
    return gW, gb


def fit_stacked(nets: Sequence["MLP"], X, y, epochs: int = 100, *, batch_size: int | None = None,
                optimizer="adam", seed: int = 0, X_val=None, y_val=None,
                record: Sequence[str] = (), callback: Callable | None = None,
                dropout: Callable | None = None, where: str = "fit_stacked",
                **optimizer_kwargs) -> list[dict]:
    """Train networks of one architecture on the same data as one vectorised computation: the
    weights of layer l of all S networks form one array ``(S, fan_in, fan_out)``.  This is the
    course's one trainer; :meth:`MLP.fit` is the case S = 1.  SGD and Adam act elementwise, so
    they treat the stacked arrays exactly as separate ones, and a network trained in a stack
    gives the same numbers as trained alone.  The trained weights are written back into each net.

    Parameters
    ----------
    epochs : number of passes over the data.
    batch_size : mini-batch size (``None``: full batch).  All networks see the same batches.
    optimizer : ``"sgd"`` or ``"adam"`` (keyword arguments such as ``lr=0.1, momentum=0.9`` go to
        the optimiser), or an object with ``step(params, grads)``.
    seed : seed of the mini-batch shuffling (and of ``dropout``'s generator).
    X_val, y_val : optional held-out data, evaluated after every epoch.
    record : diagnostics recorded after every epoch, from ``"grad_norms"`` (per-layer gradient
        norms on the full training set) and ``"layer_stats"`` (:meth:`MLP.layer_stats`).
    callback : ``callback(nets, epoch, histories)`` after every epoch (1, 2, ...); the networks
        hold their current weights.  Return ``True`` to stop.
    dropout : ``dropout(a, rng) -> (a', mask)`` applied after every hidden activation in the
        training passes only (``mask`` multiplies the back-propagated signal; None for none).

    Each history has ``loss`` (training loss before training and after every epoch, so
    ``len(history["loss"]) == epochs_run + 1``), ``accuracy`` for classification heads,
    ``val_loss``/``val_accuracy`` with validation data, the recorded diagnostics, ``epochs_run``
    and ``diverged``.  A network whose loss or weights become inf/nan is marked diverged and its
    history stops there (its last loss is the first non-finite one); the others go on, and
    training stops when all have diverged.  Overflow inside a diverging run is expected and not
    reported as a warning.
    """
    nets = list(nets)
    if not nets:
        raise ValueError(f"{where}: give at least one network")
    ref = nets[0]
    if not all(isinstance(net, MLP) for net in nets):
        raise TypeError(f"{where}: nets must be MLP objects")
    for net in nets[1:]:
        if (net.sizes, net.activation, net.params, net.head) != (ref.sizes, ref.activation, ref.params, ref.head):
            raise ValueError(f"{where}: all networks need the same sizes, activation, params and head")
    epochs = args.integer(where, "epochs", epochs, low=0)
    X = ref._check_X(X)
    Y = ref._check_y(y, X.shape[0])
    n, S, L = X.shape[0], len(nets), ref.n_layers
    batch_size = n if batch_size is None else args.integer(where, "batch_size", batch_size, low=1)
    record = tuple(record)
    for r in record:
        if r not in ("grad_norms", "layer_stats"):
            raise ValueError(f"{where}: record entries must be 'grad_norms' or 'layer_stats', got {r!r}")
    if (X_val is None) != (y_val is None):
        raise ValueError(f"{where}: give both X_val and y_val")
    has_val = X_val is not None
    if has_val:
        X_val = ref._check_X(X_val)
        Y_val = ref._check_y(y_val, X_val.shape[0])
    for name, fn in (("callback", callback), ("dropout", dropout)):
        if fn is not None and not callable(fn):
            raise TypeError(f"{where}: {name} must be callable, got {fn!r}")
    opt = make_optimizer(optimizer, **optimizer_kwargs)
    rng = np.random.default_rng(seed)
    drop = None if dropout is None else (lambda a: dropout(a, rng))
    head = HEAD_TABLE[ref.head]
    classify = head.correct is not None

    # The stack, and each network's weights as live views into it (diagnostics and callbacks
    # see the current weights); the networks get their own arrays back at the end.
    own = [(net.weights, net.biases) for net in nets]
    Ws = [np.stack([net.weights[l] for net in nets]) for l in range(L)]
    bs = [np.stack([net.biases[l] for net in nets])[:, None, :] for l in range(L)]
    for s, net in enumerate(nets):
        net.weights = [W[s] for W in Ws]
        net.biases = [b[s, 0] for b in bs]
    params = Ws + bs

    keys = ["loss"] + (["accuracy"] if classify else [])
    if has_val:
        keys += ["val_loss"] + (["val_accuracy"] if classify else [])
    keys += list(record)
    hists = [{**{k: [] for k in keys}, "epochs_run": 0, "diverged": False} for _ in nets]
    alive = np.ones(S, dtype=bool)

    def per_net(out, T):
        loss = head.loss_sum(out, T, axis=(1, 2)) / out.shape[1]
        acc = np.mean(head.correct(out, T).reshape(S, -1), axis=1) if classify else None
        return loss, acc

    def note(epoch, out, grads):
        """Record the state after ``epoch`` epochs, given its training logits and (when needed)
        the full-batch gradients at that state."""
        loss, acc = per_net(out, Y)
        finite = np.isfinite(loss)
        for p in params:
            finite &= np.isfinite(p.reshape(S, -1)).all(axis=1)
        if has_val:
            val_loss, val_acc = per_net(_forward(Ws, bs, ref.f, X_val)[0], Y_val)
        for s in np.flatnonzero(alive):
            h = hists[s]
            h["epochs_run"] = epoch
            h["loss"].append(float(loss[s]))
            if classify:
                h["accuracy"].append(float(acc[s]))
            if has_val:
                h["val_loss"].append(float(val_loss[s]))
                if classify:
                    h["val_accuracy"].append(float(val_acc[s]))
            if "grad_norms" in record:
                h["grad_norms"].append(np.array([np.linalg.norm(g[s]) for g in grads[0]]))
            if "layer_stats" in record:
                h["layer_stats"].append(nets[s].layer_stats(X))
            if not finite[s]:
                h["diverged"] = True
                alive[s] = False

    # Every epoch's state is evaluated by one full-batch forward pass; its backward pass gives the
    # recorded gradient norms and, in full-batch training without dropout, the step itself (the
    # callback of epoch e runs before that step, on the weights it evaluated).  Mini-batches and
    # dropout take their steps in passes of their own.
    lazy = batch_size >= n and dropout is None
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            for epoch in range(epochs + 1):
                if epoch > 0 and not lazy:
                    order = rng.permutation(n) if batch_size < n else np.arange(n)
                    for start in range(0, n, batch_size):
                        idx = order[start:start + batch_size]
                        out, zs, acts, masks = _forward(Ws, bs, ref.f, X[idx], drop)
                        gW, gb = _backward(Ws, ref.df, head, out, Y[idx], zs, acts, masks)
                        opt.step(params, gW + gb)
                out, zs, acts, _ = _forward(Ws, bs, ref.f, X)
                grads = (_backward(Ws, ref.df, head, out, Y, zs, acts, [])
                         if "grad_norms" in record or (lazy and epoch < epochs) else None)
                note(epoch, out, grads)
                if not alive.any():
                    break
                if epoch > 0 and callback is not None and callback(nets, epoch, hists):
                    break
                if epoch == epochs:
                    break
                if lazy:
                    opt.step(params, grads[0] + grads[1])
    finally:
        for s, (net, (weights, biases)) in enumerate(zip(nets, own)):
            for l in range(L):
                weights[l][...] = Ws[l][s]
                biases[l][...] = bs[l][s, 0]
            net.weights, net.biases = weights, biases
    return hists
