"""Seeded toy data sets generated with NumPy, and scikit-learn's bundled digits (nothing is
downloaded).

Every generator takes ``n`` (number of samples), a noise level and ``seed``; the same arguments
always give the same arrays.  Classification sets return ``X`` of shape ``(n, 2)`` (float64) and
integer labels ``y`` of shape ``(n,)``; the regression set returns ``X`` of shape ``(n, 1)`` and
``y`` of shape ``(n,)``.
"""
from __future__ import annotations


import numpy as np
from afbook import args

__all__ = [
    "two_spirals",
    "circles",
    "xor_blobs",
    "sine_regression",
    "train_test_split",
    "TASKS",
    "load",
    "digits_split",
]


def _check_n(fn: str, n, minimum: int = 2) -> int:
    return args.integer(fn, "n", n, low=minimum)


def _check_nonneg(fn: str, name: str, value) -> float:
    return args.positive(fn, name, value, allow_zero=True)


def _check_seed(fn: str, seed):
    return np.random.default_rng(args.integer(fn, "seed", seed))


def two_spirals(n: int = 400, noise: float = 0.1, turns: float = 1.5, seed: int = 0):
    """Two interleaved spirals (class 0 and class 1, n // 2 and n - n // 2 points).

    Point i of a spiral sits at angle ``t = turns * 2 pi * u`` and radius ``t``, with
    ``u`` uniform in (0.05, 1]; the second spiral is the first rotated by 180 degrees.  Gaussian noise
    of standard deviation ``noise`` (in units of the outer radius) is added; coordinates are
    scaled to roughly [-1, 1].
    """
    n = _check_n("two_spirals", n)
    noise = _check_nonneg("two_spirals", "noise", noise)
    turns = _check_nonneg("two_spirals", "turns", turns)
    if turns == 0:
        raise ValueError("two_spirals: turns must be > 0")
    rng = _check_seed("two_spirals", seed)
    sizes = (n // 2, n - n // 2)
    Xs, ys = [], []
    for label, m in enumerate(sizes):
        u = rng.uniform(0.05, 1.0, size=m)
        t = turns * 2.0 * np.pi * u
        r = u
        sign = 1.0 if label == 0 else -1.0
        pts = sign * np.column_stack([r * np.cos(t), r * np.sin(t)])
        Xs.append(pts + rng.normal(0.0, noise, size=pts.shape))
        ys.append(np.full(m, label, dtype=np.int64))
    return _shuffle(np.vstack(Xs), np.concatenate(ys), rng)


def circles(n: int = 400, noise: float = 0.1, factor: float = 0.5, seed: int = 0):
    """Two concentric circles: class 0 on radius 1, class 1 on radius ``factor`` (0 < factor < 1)."""
    n = _check_n("circles", n)
    noise = _check_nonneg("circles", "noise", noise)
    factor = _check_nonneg("circles", "factor", factor)
    if not 0 < factor < 1:
        raise ValueError(f"circles: factor must be in (0, 1), got {factor!r}")
    rng = _check_seed("circles", seed)
    sizes = (n // 2, n - n // 2)
    Xs, ys = [], []
    for label, (m, r) in enumerate(zip(sizes, (1.0, factor))):
        t = rng.uniform(0.0, 2.0 * np.pi, size=m)
        pts = r * np.column_stack([np.cos(t), np.sin(t)])
        Xs.append(pts + rng.normal(0.0, noise, size=pts.shape))
        ys.append(np.full(m, label, dtype=np.int64))
    return _shuffle(np.vstack(Xs), np.concatenate(ys), rng)


def xor_blobs(n: int = 400, std: float = 0.3, seed: int = 0):
    """Four Gaussian blobs at (+-1, +-1); the label is 1 when the signs of the centre differ (XOR)."""
    n = _check_n("xor_blobs", n, minimum=4)
    std = _check_nonneg("xor_blobs", "std", std)
    rng = _check_seed("xor_blobs", seed)
    centres = np.array([[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]])
    labels = np.array([0, 0, 1, 1])
    which = np.arange(n) % 4
    X = centres[which] + rng.normal(0.0, std, size=(n, 2))
    return _shuffle(X, labels[which].astype(np.int64), rng)


def sine_regression(n: int = 200, noise: float = 0.1, seed: int = 0):
    """``y = sin(x) + noise * N(0, 1)`` for ``x`` uniform in [-pi, pi]; X has shape (n, 1)."""
    n = _check_n("sine_regression", n)
    noise = _check_nonneg("sine_regression", "noise", noise)
    rng = _check_seed("sine_regression", seed)
    x = rng.uniform(-np.pi, np.pi, size=n)
    y = np.sin(x) + rng.normal(0.0, noise, size=n)
    return x[:, None], y


def _shuffle(X, y, rng):
    order = rng.permutation(len(y))
    return X[order], y[order]


def train_test_split(X, y, test_fraction: float = 0.25, seed: int = 0):
    """Shuffle and split: returns ``X_train, X_test, y_train, y_test``.

    ``test_fraction`` must lie strictly between 0 and 1 and leave at least one sample on each side.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    if X.ndim == 0 or y.ndim == 0:
        raise ValueError("train_test_split: X and y must be arrays with one row per sample")
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"train_test_split: X and y must have the same number of rows, got {X.shape[0]} and {y.shape[0]}"
        )
    test_fraction = args.positive("train_test_split", "test_fraction", test_fraction, below=1)
    rng = _check_seed("train_test_split", seed)
    n = X.shape[0]
    n_test = int(round(test_fraction * n))
    if n_test < 1 or n_test > n - 1:
        raise ValueError(
            f"train_test_split: test_fraction={test_fraction} of {n} samples leaves an empty split"
        )
    order = rng.permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


#: name -> (generator, kind): the tasks used by the experiments chapter.
TASKS = {
    "spirals": (two_spirals, "classification"),
    "circles": (circles, "classification"),
    "xor": (xor_blobs, "classification"),
    "sine": (sine_regression, "regression"),
}


def load(task: str, n: int = 400, seed: int = 0, **kwargs):
    """``load("spirals", n, seed)`` -> ``(X, y)`` for a task of :data:`TASKS`."""
    if task not in TASKS:
        raise ValueError(f"load: unknown task {task!r}; choose one of {sorted(TASKS)}")
    return TASKS[task][0](n=n, seed=seed, **kwargs)


def digits_split(n_train: int = 1000, n_val: int = 400, seed: int = 0):
    """scikit-learn's bundled handwritten digits (1,797 8×8 images, 10 classes; the data ship
    inside the package, nothing is downloaded), shuffled with ``seed`` and split into
    ``n_train`` / ``n_val`` / the rest (default 1000 / 400 / 397).

    The 64 pixel values are standardised with the training set's mean and standard deviation
    (pixels that are constant on the training set are only centred). Returns ``X_train, X_val,
    X_test, y_train, y_val, y_test``."""
    from sklearn.datasets import load_digits

    for name, v in (("n_train", n_train), ("n_val", n_val)):
        args.integer("digits_split", name, v, low=1)
    rng = _check_seed("digits_split", seed)
    X, y = load_digits(return_X_y=True)
    if n_train + n_val >= len(y):
        raise ValueError(f"digits_split: n_train + n_val must leave a test set of the {len(y)} "
                         f"images, got {n_train} + {n_val}")
    X, y = _shuffle(X.astype(float), y.astype(np.int64), rng)
    mu = X[:n_train].mean(axis=0)
    sd = X[:n_train].std(axis=0)
    X = (X - mu) / np.where(sd > 0, sd, 1.0)
    a, b = n_train, n_train + n_val
    return X[:a], X[a:b], X[b:], y[:a], y[a:b], y[b:]
