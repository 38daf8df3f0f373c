"""Statistics for the experiments chapter: paired comparisons, multiplicity, Bayes ceilings.

* :func:`paired` -- the paired difference of two arms run on the same seeds (same data draw,
  same initial weights): mean, standard error, a t-based confidence interval, the two-sided
  p-value of the paired t-test (:func:`scipy.stats.ttest_rel`) and the standardised effect
  size d_z = mean / sd of the differences;
* :func:`holm` -- Holm's (1979) step-down adjustment (family-wise error rate);
  :func:`benjamini_hochberg` -- the Benjamini & Hochberg (1995) adjustment (false discovery
  rate; :func:`scipy.stats.false_discovery_control`);
* :func:`bayes_accuracy` -- the accuracy of the Bayes-optimal classifier of the generated
  tasks of :mod:`afbook.datasets` (the posterior by quadrature over the generator's latent
  variable, its expectation by Monte Carlo with a stated standard error), and
  :func:`bayes_posterior` for given points; :func:`bayes_loss` for the noisy sine.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special, stats

from afbook import args, datasets

__all__ = ["Paired", "paired", "holm", "benjamini_hochberg", "bayes_posterior",
           "bayes_accuracy", "bayes_loss"]


def _vector(fn: str, name: str, v) -> np.ndarray:
    try:
        a = np.array([np.nan if x is None else x for x in v], dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{fn}: {name} must be a sequence of numbers, got {v!r}") from None
    if a.ndim != 1:
        raise ValueError(f"{fn}: {name} must be one-dimensional, got shape {a.shape}")
    return a


def _level(fn: str, confidence) -> float:
    return args.positive(fn, "confidence", confidence, below=1)


@dataclass(frozen=True)
class Paired:
    """A paired comparison ``a - b`` (see :func:`paired`)."""

    mean: float         # mean difference
    se: float           # its standard error (sd / sqrt(n))
    low: float          # confidence interval of the mean difference
    high: float
    p: float            # two-sided p-value of the paired t-test
    d_z: float          # effect size: mean / sd of the differences (inf if sd = 0)
    n: int              # number of pairs used
    confidence: float

    def scaled(self, k: float) -> "Paired":
        """The same comparison in other units (e.g. ``k = 100`` for percentage points)."""
        return Paired(self.mean * k, self.se * abs(k), *sorted((self.low * k, self.high * k)),
                      self.p, self.d_z * math.copysign(1.0, k), self.n, self.confidence)


def paired(a, b, confidence: float = 0.95) -> Paired:
    """The paired difference ``a - b`` over the pairs where both values are finite.

    The interval is ``mean ± t_{n-1} · se`` (Student's t); ``p`` is the two-sided p-value of the
    paired t-test. With identical differences (sd = 0) the interval has zero width and ``p`` is
    0 (mean ≠ 0) or 1 (mean = 0)."""
    a, b = _vector("paired", "a", a), _vector("paired", "b", b)
    if a.shape != b.shape:
        raise ValueError(f"paired: a and b must have the same length, got {a.size} and {b.size}")
    confidence = _level("paired", confidence)
    ok = np.isfinite(a) & np.isfinite(b)
    d = a[ok] - b[ok]
    n = int(d.size)
    if n < 2:
        raise ValueError("paired: need at least two pairs where both values are finite")
    mean, sd = float(d.mean()), float(d.std(ddof=1))
    se = sd / math.sqrt(n)
    if sd == 0.0:
        return Paired(mean, 0.0, mean, mean, 1.0 if mean == 0 else 0.0,
                      0.0 if mean == 0 else math.copysign(math.inf, mean), n, confidence)
    # the paired t-test (what scipy.stats.ttest_rel computes), from Student's t distribution
    # directly: ttest_rel warns about precision for nearly identical differences, a legal input
    t = stats.t(df=n - 1)
    half = float(t.ppf(0.5 + confidence / 2)) * se
    p = float(2.0 * t.sf(abs(mean) / se))
    return Paired(mean, se, mean - half, mean + half, p, mean / sd, n, confidence)


def _pvalues(fn: str, p) -> np.ndarray:
    p = _vector(fn, "pvalues", p)
    if p.size == 0:
        raise ValueError(f"{fn}: pvalues is empty")
    if not np.all((p >= 0) & (p <= 1)):
        raise ValueError(f"{fn}: every p-value must lie in [0, 1], got {p.tolist()}")
    return p


def holm(pvalues) -> np.ndarray:
    """Holm's step-down adjusted p-values, in the input order.

    Sorted ascending, p_(i) becomes max_{j ≤ i} min(1, (m − j + 1) p_(j)); rejecting where the
    adjusted value is ≤ α controls the family-wise error rate at α (Holm 1979). SciPy has no
    Holm procedure (statsmodels' ``multipletests(method="holm")`` computes the same)."""
    p = _pvalues("holm", pvalues)
    m = p.size
    order = np.argsort(p, kind="stable")
    adj = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    out = np.empty(m)
    out[order] = adj
    return out


def benjamini_hochberg(pvalues) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (false discovery rate), in the input order:
    :func:`scipy.stats.false_discovery_control` with ``method="bh"``."""
    return np.asarray(stats.false_discovery_control(_pvalues("benjamini_hochberg", pvalues),
                                                    method="bh"), dtype=float)


# ------------------------------------------------------------------------------------------------
# Bayes-optimal classifiers of the generated tasks
# ------------------------------------------------------------------------------------------------
_BAYES_TASKS = ("spirals", "circles")


def _task(fn: str, task) -> str:
    if task not in datasets.TASKS:
        raise ValueError(f"{fn}: unknown task {task!r}; choose one of {sorted(datasets.TASKS)}")
    return task


def _class_means(task: str, grid: int):
    """Points of each class's noise-free curve, at the midpoints of a grid of its latent
    variable (uniform under the generator): shape (2, grid, 2)."""
    if task == "spirals":  # defaults of datasets.two_spirals: turns 1.5, radius u in (0.05, 1]
        u = 0.05 + 0.95 * (np.arange(grid) + 0.5) / grid
        t = 1.5 * 2.0 * np.pi * u
        c = np.column_stack([u * np.cos(t), u * np.sin(t)])
        return np.stack([c, -c])
    t = 2.0 * np.pi * (np.arange(grid) + 0.5) / grid  # datasets.circles: radii 1 and 0.5
    ring = np.column_stack([np.cos(t), np.sin(t)])
    return np.stack([ring, 0.5 * ring])


def bayes_posterior(task: str, X, grid: int = 1000) -> np.ndarray:
    """p(class 1 | x) under the generator of ``task`` ("spirals" or "circles", default
    parameters: noise 0.1, equal class sizes). Each class density is a Gaussian (sd 0.1)
    smeared along the class's curve; the integral over the curve's latent variable is a
    midpoint rule with ``grid`` nodes (spacing < 0.05 noise sds at the default)."""
    if _task("bayes_posterior", task) not in _BAYES_TASKS:
        raise ValueError(f"bayes_posterior: only {_BAYES_TASKS} are classification tasks with "
                         f"a known generator, got {task!r}")
    grid = args.integer("bayes_posterior", "grid", grid, low=10)
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"bayes_posterior: X must have shape (n, 2), got {X.shape}")
    sigma = 0.1
    means = _class_means(task, int(grid))
    out = np.empty(X.shape[0])
    for i in range(0, X.shape[0], 1000):  # in chunks: (1000, grid) arrays
        x = X[i:i + 1000, None, :]
        logp = [special.logsumexp(-((x - m[None]) ** 2).sum(axis=-1) / (2 * sigma ** 2), axis=1)
                for m in means]
        out[i:i + 1000] = special.expit(logp[1] - logp[0])
    return out


def bayes_accuracy(task: str, n: int = 20000, seed: int = 12345,
                   grid: int = 1000) -> tuple[float, float]:
    """(accuracy, standard error) of the Bayes-optimal classifier of ``task``.

    The accuracy is E[max(p, 1 − p)] for x from the generator; it is estimated over ``n``
    points drawn by :func:`afbook.datasets.load` with ``seed``, and the standard error is that of
    this Monte Carlo mean (the quadrature error of :func:`bayes_posterior` is far smaller)."""
    n = args.integer("bayes_accuracy", "n", n, low=100)
    X, _ = datasets.load(_task("bayes_accuracy", task), n=int(n), seed=seed)
    p = bayes_posterior(task, X, grid)
    best = np.maximum(p, 1.0 - p)
    return float(best.mean()), float(best.std(ddof=1) / math.sqrt(best.size))


def bayes_loss(task: str = "sine") -> float:
    """The Bayes risk of the noisy sine in the book's loss (half squared error): σ²/2 with the
    generator's noise σ = 0.1 (the best predictor is sin x itself)."""
    if _task("bayes_loss", task) != "sine":
        raise ValueError(f"bayes_loss: only the regression task 'sine' has a loss floor, "
                         f"got {task!r}")
    return 0.5 * 0.1 ** 2
