"""The experiments chapter's drivers, its stored results and the tables that display them.

Training near the edge of stability (dead units at large learning rates, deep sigmoid and tanh stacks)
is *chaotic*: a one-ulp nudge of the initial weights, another BLAS kernel or another SIMD path moves
its digits. Such experiments are therefore run once by ``tools/make_results.py`` (``make results``)
and stored as data in ``results/<name>.json``:

* ``config``: everything the run depends on (the notebook checks that it matches :data:`EXPERIMENTS`);
* ``main``: the raw per-seed values, at full (repr) precision;
* ``replicate``: the same run with every initial weight nudged by one ulp (``np.nextafter``): a cell
  whose displayed value changes under the nudge is marked ``†`` (its digits are noise);
* ``provenance``: git commit, CPU, Python/NumPy/SciPy versions, BLAS (threadpoolctl), SIMD features.

The notebooks :func:`load` these files (``AFBOOK_RECOMPUTE=1`` recomputes them live instead), render
tables, figures and glued numbers from them, and check the prose's findings as
:mod:`afbook.claims`. ``tests/test_experiment_claims.py`` recomputes every experiment on the machine
it runs on and checks the claims and the statistical agreement with the stored results.

Also here: the initialisation table of the book (:data:`INITIALISATION`, :func:`recommended_init`),
the drivers :func:`train_on_task` / :func:`train_seeds`, :func:`inactive_fraction`, and the
display helpers :class:`Table` and :func:`mean_std`.
"""
from __future__ import annotations

import datetime
import json
import math
import os
import platform
import subprocess
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

import activations as A
from afbook import args, datasets
from afbook.display import HTMLDisplay, fmt, scroll_region
from afbook.paths import book_file
from afbook.mlp import MLP, Adam, epochs_to_target, fit_stacked

__all__ = [
    "INITIALISATION", "INIT_TITLES", "recommended_init", "init_title", "init_table", "inactive_fraction",
    "train_on_task", "train_seeds", "Table", "mean_std", "EXPERIMENTS", "run", "load",
    "results_dir", "provenance", "provenance_note", "values", "find", "paired_stats", "verdict",
    "SCHEMA", "FAIR_RANKING", "run_fair_ranking", "fair_settings", "fair_cell", "fair_epoch_grid",
    "fair_choice_scores", "chosen", "fair_values", "fair_fixed_budget", "fair_means", "fair_ranks",
    "fair_comparisons", "fair_epochs",
    "epochs_comparisons",
]

SCHEMA = 1

# ------------------------------------------------------------------------------------------------
# Initialisation: one explicit, documented choice per elementwise activation
# ------------------------------------------------------------------------------------------------
_HE = "rectifier-like: passes about half the signal's second moment (He et al. 2015)"
_GLOROT = "saturating or linear near 0 with slope ≤ 1 (Glorot & Bengio 2010)"
#: activation -> (initialiser, why). The experiments use it whenever no initialiser is given, and
#: the chapter prints it from here (``init_table``), so text and code cannot disagree.
INITIALISATION: dict[str, tuple[str, str]] = {
    "selu": ("lecun_normal", "self-normalising only with variance 1/n (Klambauer et al. 2017)"),
    "relu": ("he_normal", _HE),
    "relu6": ("he_normal", _HE),
    "leaky_relu": ("he_normal", _HE),
    "prelu": ("he_normal", _HE),
    "rrelu": ("he_normal", _HE),
    "elu": ("he_normal", _HE),
    "celu": ("he_normal", _HE),
    "gelu": ("he_normal", _HE),
    "silu": ("he_normal", _HE),
    "swish": ("he_normal", _HE),
    "mish": ("he_normal", _HE),
    "hard_swish": ("he_normal", _HE),
    "softplus": ("he_normal", _HE),
    "sigmoid": ("glorot_normal", _GLOROT),
    "hard_sigmoid": ("glorot_normal", _GLOROT),
    "log_sigmoid": ("glorot_normal", _GLOROT),
    "tanh": ("glorot_normal", _GLOROT),
    "hard_tanh": ("glorot_normal", _GLOROT),
    "tanh_shrink": ("glorot_normal", _GLOROT),
    "softsign": ("glorot_normal", _GLOROT),
    "soft_shrink": ("glorot_normal", _GLOROT),
    "hard_shrink": ("glorot_normal", _GLOROT),
    "identity": ("glorot_normal", _GLOROT),
    "step": ("glorot_normal", "no useful gradient; any scale (Glorot, as for sigmoid)"),
    "threshold": ("glorot_normal", _GLOROT),
}
#: initialiser name -> how the book writes it
INIT_TITLES = {"he_normal": "He normal", "glorot_normal": "Glorot normal",
               "lecun_normal": "LeCun normal"}


def recommended_init(activation: str) -> str:
    """The initialiser the book pairs with ``activation`` (see :data:`INITIALISATION`)."""
    if not isinstance(activation, str):
        raise TypeError(f"recommended_init: activation must be a registry name, got {activation!r}")
    A.get(activation)  # ValueError for unknown names
    if activation not in INITIALISATION:
        raise ValueError(f"recommended_init: no initialiser is listed for {activation!r} "
                         f"(elementwise activations only)")
    return INITIALISATION[activation][0]


def init_title(activation: str) -> str:
    """The display name of :func:`recommended_init` (``"He normal"``), for tables and prose."""
    return INIT_TITLES[recommended_init(activation)]


def init_table(names: Sequence[str]) -> "Table":
    """The initialisation of each activation in ``names``, rendered from :data:`INITIALISATION`."""
    rows = [[A.get(n).title, init_title(n), INITIALISATION[n][1]] for n in names]
    return Table(["activation", "initialiser", "why"], rows,
                 caption="Initialisation of each activation (afbook.experiments.INITIALISATION)")


def inactive_fraction(net: MLP, X) -> float:
    """Fraction of hidden units whose pre-activation is <= 0 for *every* sample of X.

    For ReLU this is the dead fraction; a Leaky ReLU or ELU unit in this state still passes a
    (small) gradient, so it can come back."""
    _, zs, _ = net.forward(X, keep=True)
    n_units = sum(z.shape[1] for z in zs)
    if n_units == 0:
        return 0.0
    return sum(int(np.sum(np.all(z <= 0, axis=0))) for z in zs) / n_units


# ------------------------------------------------------------------------------------------------
# Training drivers
# ------------------------------------------------------------------------------------------------

def _task_problem(task, activation, hidden_layers, width, seeds, *, n=200, data_seed=0, init=None,
                  params=None, test_fraction=0.25, perturb=False):
    """Data split and freshly initialised networks (one per seed) for a toy task."""
    if task not in datasets.TASKS:
        raise ValueError(f"train_on_task: unknown task {task!r}; "
                         f"choose one of {sorted(datasets.TASKS)}")
    args.integer("train_on_task", "hidden_layers", hidden_layers, low=0)
    X, y = datasets.load(task, n=n, seed=data_seed)
    split = datasets.train_test_split(X, y, test_fraction=test_fraction, seed=data_seed)
    classify = datasets.TASKS[task][1] == "classification"
    n_out = int(np.max(y)) + 1 if classify else 1
    sizes = [X.shape[1]] + [int(width)] * int(hidden_layers) + [n_out]
    init = init if init is not None else recommended_init(activation)
    nets = [MLP(sizes, activation=activation, params=params,
                head="softmax" if classify else "identity", init=init, seed=s) for s in seeds]
    if perturb:  # the 1-ulp replicate: every initial weight nudged to the next float up
        for net in nets:
            for W in net.weights:
                W[...] = np.nextafter(W, np.inf)
    return split, classify, nets


def _summary(net, hist, split, classify) -> dict:
    X_tr, X_te, y_tr, y_te = split
    out = {"net": net, "history": hist, "diverged": bool(hist["diverged"]),
           "X_train": X_tr, "y_train": y_tr, "X_test": X_te, "y_test": y_te}
    nan = float("nan")
    with np.errstate(all="ignore"):
        ok = not hist["diverged"]
        out["train_loss"] = float(hist["loss"][-1]) if ok else nan
        out["test_loss"] = net.loss(X_te, y_te) if ok else nan
        if classify:
            out["train_accuracy"] = float(hist["accuracy"][-1]) if ok else nan
            out["test_accuracy"] = net.accuracy(X_te, y_te) if ok else nan
    return out


def train_on_task(task: str, activation: str, hidden_layers: int, width: int = 32, *,
                  n: int = 200, data_seed: int = 0, seed: int = 0, epochs: int = 300,
                  optimizer: str = "adam", lr: float = 0.01, init: str | None = None,
                  params: dict | None = None, test_fraction: float = 0.25, perturb: bool = False,
                  record: Sequence[str] = (), callback: Callable | None = None) -> dict:
    """Train a fresh ``MLP`` on a toy task of :data:`datasets.TASKS` (full batch) and summarise.

    Classification tasks use the softmax head, regression the identity head (half squared
    error). ``init=None`` picks :func:`recommended_init`. ``seed`` seeds the weights,
    ``data_seed`` the data set and its split; ``perturb=True`` nudges every initial weight by
    one ulp; ``record`` and ``callback`` go to :meth:`MLP.fit`. Returns a dict with ``net``,
    ``history``, the split (``X_train``, ``y_train``, ``X_test``, ``y_test``), ``diverged`` and
    the final ``train_loss``, ``test_loss`` and, for classification, ``train_accuracy`` and
    ``test_accuracy`` (nan when training diverged).
    """
    split, classify, (net,) = _task_problem(
        task, activation, hidden_layers, width, [seed], n=n, data_seed=data_seed, init=init,
        params=params, test_fraction=test_fraction, perturb=perturb)
    hist = net.fit(split[0], split[2], epochs=epochs, optimizer=optimizer, lr=lr, seed=seed,
                   record=record, callback=callback)
    return _summary(net, hist, split, classify)


def train_seeds(task: str, activation: str, hidden_layers: int, width: int = 32, *,
                seeds: Sequence[int] = (0, 1, 2, 3, 4), epochs: int = 300,
                optimizer: str = "adam", lr: float = 0.01, **problem) -> list[dict]:
    """:func:`train_on_task` for several weight seeds at once, vectorised with
    :func:`afbook.mlp.fit_stacked` (the same numbers as one at a time, several times faster).
    ``problem`` takes ``n``, ``data_seed``, ``init``, ``params``, ``test_fraction`` and
    ``perturb`` of :func:`train_on_task`. Returns one summary dict per seed."""
    split, classify, nets = _task_problem(task, activation, hidden_layers, width, list(seeds),
                                          **problem)
    hists = fit_stacked(nets, split[0], split[2], epochs=epochs, optimizer=optimizer, lr=lr)
    return [_summary(net, h, split, classify) for net, h in zip(nets, hists)]


# ------------------------------------------------------------------------------------------------
# Display
# ------------------------------------------------------------------------------------------------
class Table(HTMLDisplay):
    """A small results table: HTML (in a horizontally scrollable wrapper, readable on a phone)
    and aligned plain text. Numbers are written with :func:`afbook.display.fmt`, other cells with
    ``str``; everything is escaped."""

    def __init__(self, header: Sequence, rows: Sequence[Sequence], caption: str | None = None):
        super().__init__()
        cell = lambda v: v if isinstance(v, str) else fmt(v)  # noqa: E731
        self.header = [cell(h) for h in header]
        self.rows = [[cell(v) for v in r] for r in rows]
        for r in self.rows:
            if len(r) != len(self.header):
                raise ValueError(f"Table: row {r!r} has {len(r)} cells, "
                                 f"header has {len(self.header)}")
        self.caption = caption

    @property
    def html(self) -> str:
        import html as _html

        esc = _html.escape
        head = "".join(f"<th scope='col'>{esc(h)}</th>" for h in self.header)
        body = "".join(
            "<tr>" + "".join(f"<th scope='row'>{esc(v)}</th>" if j == 0 else f"<td>{esc(v)}</td>"
                             for j, v in enumerate(r)) + "</tr>" for r in self.rows)
        cap = f"<caption>{esc(self.caption)}</caption>" if self.caption else ""
        return scroll_region(f"<table class='afx-table'>{cap}<thead><tr>{head}</tr></thead>"
                             f"<tbody>{body}</tbody></table>", self.caption or "table")

    @property
    def text(self) -> str:
        cols = [self.header] + self.rows
        widths = [max(len(r[j]) for r in cols) for j in range(len(self.header))]
        lines = ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in cols]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return ((self.caption + "\n") if self.caption else "") + "\n".join(lines)


def _mean_std_text(v: np.ndarray, digits: int, percent: bool) -> str:
    v = v[np.isfinite(v)]
    if v.size == 0:
        return "—"
    scale, unit = (100.0, " %") if percent else (1.0, "")
    if v.size == 1:
        return f"{scale * v[0]:.{digits}f}{unit} (1 run)"
    return f"{scale * v.mean():.{digits}f} ± {scale * v.std():.{digits}f}{unit}"


def mean_std(values, digits: int = 2, percent: bool = False, replicate=None) -> str:
    """``"0.93 ± 0.02"`` for a list of numbers (nan/None ignored; ``"—"`` if none is left).

    ``percent=True`` prints fractions as percentages. With ``replicate`` (the same cell of the
    1-ulp perturbed run), a ``†`` marks a cell whose text changes under that perturbation."""
    digits = args.integer("mean_std", "digits", digits, low=0)
    shown = _mean_std_text(_floats(values), int(digits), percent)
    if replicate is not None and _mean_std_text(_floats(replicate), int(digits), percent) != shown:
        shown += " †"
    return shown


def _floats(values) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


# ------------------------------------------------------------------------------------------------
# Stored results: accessors and statistics
# ------------------------------------------------------------------------------------------------
def values(cell: dict, metric: str) -> np.ndarray:
    """The per-seed values of ``metric`` in a stored cell, as floats (None -> nan)."""
    if metric not in cell:
        raise ValueError(f"values: the cell has no {metric!r} (has {sorted(cell)})")
    return _floats(cell[metric])


def find(cells: Sequence[dict], **key) -> dict:
    """The one cell of ``cells`` whose entries equal ``key`` (e.g. ``activation="relu", lr=2.0``)."""
    hits = [c for c in cells if all(c.get(k) == v for k, v in key.items())]
    if len(hits) != 1:
        raise ValueError(f"find: {len(hits)} cells match {key!r}")
    return hits[0]


def paired_stats(a, b) -> tuple[float, float]:
    """Mean and standard error of the paired differences ``a - b`` (seeds where both are finite)."""
    a, b = _floats(a), _floats(b)
    ok = np.isfinite(a) & np.isfinite(b)
    d = a[ok] - b[ok]
    if d.size < 2:
        raise ValueError("paired_stats: need at least two seeds where both values are finite")
    return float(d.mean()), float(d.std(ddof=1) / math.sqrt(d.size))


def verdict(better, worse, higher_is_better: bool = True, k: float = 2.0) -> tuple[str, float]:
    """Chapter 04's rule for "better > worse": ``"holds"`` or ``"reversed"`` when the difference
    of the means exceeds ``k`` standard errors (unpaired), else ``"noise"``. Returns the verdict
    and its margin ``|diff| / SE - k`` in standard errors (positive: clear by that much; negative:
    within the noise by that much)."""
    a, b = _floats(better), _floats(worse)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    diff = float(a.mean() - b.mean()) * (1.0 if higher_is_better else -1.0)
    se = math.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
    margin = abs(diff) / se - k if se > 0 else (math.inf if abs(diff) >= 1e-12 else -k)
    if margin <= 0 or abs(diff) < 1e-12:
        return "noise", margin
    return ("holds" if diff > 0 else "reversed"), margin


# ------------------------------------------------------------------------------------------------
# The experiments
# ------------------------------------------------------------------------------------------------
def _clean(v):
    """A JSON value: Python floats at full precision, None for nan/inf."""
    v = float(v)
    return v if math.isfinite(v) else None


def run_dead_units(config: dict, *, perturb: bool = False) -> dict:
    """Gradient descent on one task at several (activation, parameters, learning rate, epochs);
    per seed the fraction of dead and of off units and the final training accuracy (None where
    the run diverged). Optional: the units off at initialisation, and a per-epoch trace."""
    net = config["network"]
    seeds = list(config["seeds"])
    out = {"settings": []}
    for s in config["settings"]:
        runs = train_seeds(config["task"], s["activation"], net["hidden_layers"], net["width"],
                           params=s.get("params") or None, seeds=seeds, lr=s["lr"],
                           epochs=s["epochs"], optimizer=net["optimizer"], n=net["n"],
                           init=net["init"], perturb=perturb)
        cell = dict(s, diverged=[r["diverged"] for r in runs])
        cell["dead"] = [None if r["diverged"] else _clean(r["net"].dead_fraction(r["X_train"]))
                        for r in runs]
        cell["off"] = [None if r["diverged"] else _clean(inactive_fraction(r["net"], r["X_train"]))
                       for r in runs]
        cell["acc"] = [_clean(r["train_accuracy"]) for r in runs]
        out["settings"].append(cell)
    if config.get("init_off"):
        out["init_off"] = {}
        for act in config["init_off"]:
            runs = train_seeds(config["task"], act, net["hidden_layers"], net["width"],
                               seeds=seeds, lr=0.1, epochs=0, optimizer=net["optimizer"],
                               n=net["n"], init=net["init"], perturb=perturb)
            out["init_off"][act] = [inactive_fraction(r["net"], r["X_train"]) for r in runs]
    if config.get("trace"):
        tr = config["trace"]
        out["trace"] = {}
        for act in tr["activations"]:
            kw = dict(seed=tr["seed"], lr=tr["lr"], optimizer=net["optimizer"], n=net["n"],
                      init=net["init"], perturb=perturb)
            start = train_on_task(config["task"], act, net["hidden_layers"], net["width"],
                                  epochs=0, **kw)
            X_tr = start["X_train"]
            trace = [inactive_fraction(start["net"], X_tr)]
            train_on_task(config["task"], act, net["hidden_layers"], net["width"],
                          epochs=tr["epochs"], **kw,
                          callback=lambda n_, e, h: trace.append(inactive_fraction(n_, X_tr)))
            out["trace"][act] = [_clean(v) for v in trace]
    return out


def run_ranking(config: dict, *, perturb: bool = False) -> dict:
    """Adam on toy tasks, every (task, depth, activation): per seed the final training loss, the
    held-out metric (accuracy, or loss for regression) and the first epoch at which the training
    metric reaches the task's target (None if never)."""
    tr = config["training"]
    cells = []
    for task, spec in config["tasks"].items():
        for depth in config["depths"]:
            for act in config["activations"]:
                runs = train_seeds(task, act, depth, tr["width"], seeds=list(config["seeds"]),
                                   params=config.get("params", {}).get(act), epochs=tr["epochs"],
                                   optimizer=tr["optimizer"], lr=tr["lr"], n=tr["n"],
                                   test_fraction=tr["test_fraction"], perturb=perturb)
                metric = "test_accuracy" if spec["metric"] == "accuracy" else "test_loss"
                cells.append({
                    "task": task, "depth": depth, "activation": act,
                    "init": recommended_init(act),
                    "diverged": [r["diverged"] for r in runs],
                    "train_loss": [_clean(r["train_loss"]) for r in runs],
                    "test": [_clean(r[metric]) for r in runs],
                    "epochs": [epochs_to_target(r["history"], spec["metric"], spec["target"],
                                                above=spec["higher_is_better"]) for r in runs],
                })
    return {"cells": cells}


class _StackedAdam(Adam):
    """Adam whose learning rate is an array of shape (S, 1, 1): one rate per stacked network."""

    def __init__(self, lrs):
        super().__init__(lr=float(np.min(lrs)))
        self.lr = np.asarray(lrs, dtype=float).reshape(-1, 1, 1)


def _fair_data(task: str, data_seed: int, tr: dict):
    """(X_train, X_val, X_test, y_train, y_val, y_test) of one data draw."""
    if task == "digits":
        return datasets.digits_split(seed=data_seed)
    a, b = tr["n_train"], tr["n_train"] + tr["n_val"]
    X, y = datasets.load(task, n=b + tr["n_test"], seed=data_seed)
    return X[:a], X[a:b], X[b:], y[:a], y[a:b], y[b:]


def _bayes(task: str, data: dict) -> dict | None:
    """The Bayes-optimal score of ``task``: over the generator and on each test set."""
    from afbook import stats

    if task == "sine":
        on_test = [0.5 * float(np.mean((d[5] - np.sin(d[2][:, 0])) ** 2)) for d in data.values()]
        return {"population": stats.bayes_loss("sine"), "population_se": 0.0, "test": on_test}
    if task in ("spirals", "circles"):
        acc, se = stats.bayes_accuracy(task)
        on_test = [float(np.mean((stats.bayes_posterior(task, d[2]) > 0.5) == (d[5] == 1)))
                   for d in data.values()]
        return {"population": acc, "population_se": se, "test": on_test}
    return None


def run_fair_ranking(config: dict, *, perturb: bool = False) -> dict:
    """Adam on each task, every (depth, activation, learning rate of the grid): per run (one data
    draw and one weight seed; the same runs for every activation, so the comparison is paired)
    the validation and test metric after each number of epochs of the task's epoch grid
    (``val_at``/``test_at``, keyed by the epoch count; ``val``/``test`` are those at the budget,
    the grid's last entry), the final training loss and the first epoch at which the training
    metric reaches the task's target (None if never). A run that has diverged scores chance
    (accuracy 1/classes, or the loss of predicting 0). All learning rates and seeds of one
    (task, depth, activation, data draw) are trained as one stack (:func:`fit_stacked`)."""
    tr, lrs = config["training"], list(config["lrs"])
    out = {"cells": [], "bayes": {}}
    for task, spec in config["tasks"].items():
        draws = spec.get("data_seeds", config["data_seeds"])
        per = spec.get("seeds_per_draw", config["seeds_per_draw"])
        data = {ds: _fair_data(task, ds, tr) for ds in draws}
        out["bayes"][task] = _bayes(task, data)   # the same in the 1-ulp replicate
        classify = spec["metric"] == "accuracy"
        width, epochs = spec.get("width", tr["width"]), _budget(config, task)
        grid = fair_epoch_grid({"config": config}, task)
        for depth in spec["depths"]:
            for act in config["activations"]:
                keys = ("val", "test", "train_loss", "epochs", "diverged", "val_at", "test_at")
                res = {lr: {k: ({str(e): [] for e in grid} if k.endswith("_at") else [])
                            for k in keys} for lr in lrs}
                for i, ds in enumerate(draws):
                    X_tr, X_va, X_te, y_tr, y_va, y_te = data[ds]
                    seeds = [i * per + j for j in range(per)]
                    n_out = int(np.max(y_tr)) + 1 if classify else 1
                    sizes = [X_tr.shape[1]] + [int(width)] * int(depth) + [n_out]
                    nets = [MLP(sizes, activation=act, params=config.get("params", {}).get(act),
                                head="softmax" if classify else "identity",
                                init=recommended_init(act), seed=s) for _ in lrs for s in seeds]
                    if perturb:
                        for net in nets:
                            for W in net.weights:
                                W[...] = np.nextafter(W, np.inf)

                    def score(net, bad, X, y):
                        with np.errstate(all="ignore"):
                            if classify:
                                return _clean(1.0 / n_out if bad else net.accuracy(X, y))
                            return _clean(0.5 * float(np.mean(y ** 2)) if bad else net.loss(X, y))

                    at = {}

                    def checkpoint(nets_, epoch, hists_):
                        if epoch in grid:
                            at[epoch] = [(score(n_, h["diverged"], X_va, y_va),
                                          score(n_, h["diverged"], X_te, y_te))
                                         for n_, h in zip(nets_, hists_)]

                    hists = fit_stacked(nets, X_tr, y_tr, epochs=epochs, callback=checkpoint,
                                        optimizer=_StackedAdam(np.repeat(lrs, per)))
                    chance = [(score(None, True, X_va, y_va), score(None, True, X_te, y_te))
                              ] * len(nets)
                    for e in grid:    # epochs not reached because every run had diverged
                        at.setdefault(e, chance)
                    for k, h in enumerate(hists):
                        r = res[lrs[k // per]]
                        for e in grid:
                            r["val_at"][str(e)].append(at[e][k][0])
                            r["test_at"][str(e)].append(at[e][k][1])
                        r["val"].append(at[epochs][k][0])
                        r["test"].append(at[epochs][k][1])
                        bad = h["diverged"]
                        r["train_loss"].append(None if bad else _clean(h["loss"][-1]))
                        r["epochs"].append(epochs_to_target(h, spec["metric"], spec["target"],
                                                            above=spec["higher_is_better"]))
                        r["diverged"].append(bool(bad))
                for lr in lrs:
                    out["cells"].append({"task": task, "depth": depth, "activation": act,
                                         "init": recommended_init(act), "lr": lr, **res[lr]})
    return out


_DEAD_NET = {"hidden_layers": 4, "width": 32, "n": 160, "optimizer": "sgd", "init": "he_normal"}
_DEAD_ACTS = [("relu", {}), ("leaky_relu", {}), ("leaky_relu", {"alpha": 0.2}), ("elu", {})]
_RANKING_TASKS = {
    "spirals": {"title": "two spirals", "metric": "accuracy", "target": 0.95,
                "higher_is_better": True},
    "circles": {"title": "circles", "metric": "accuracy", "target": 0.95,
                "higher_is_better": True},
    "sine": {"title": "noisy sine", "metric": "loss", "target": 0.01, "higher_is_better": False},
}
_RANKING_TRAINING = {"width": 16, "n": 160, "epochs": 200, "optimizer": "adam", "lr": 0.02,
                     "test_fraction": 0.25}

_FAIR_TASKS = {
    "spirals": {"title": "two spirals", "metric": "accuracy", "target": 0.85,
                "higher_is_better": True, "depths": [2, 4]},
    "circles": {"title": "circles", "metric": "accuracy", "target": 0.95,
                "higher_is_better": True, "depths": [2, 4]},
    "sine": {"title": "noisy sine", "metric": "loss", "target": 0.01,
             "higher_is_better": False, "depths": [2, 4]},
    "digits": {"title": "digits (8×8)", "metric": "accuracy", "target": 0.95,
               "higher_is_better": True, "depths": [2], "data_seeds": [0],
               "seeds_per_draw": 20, "epoch_grid": [25, 50, 100]},
}
#: the fair ranking: learning rate and number of epochs chosen per activation on a validation
#: split from one grid (the epoch grid's last entry is the training budget), 20 paired runs
#: (4 data draws x 5 weight seeds; digits: one fixed split x 20 seeds)
FAIR_RANKING = {
    "tasks": _FAIR_TASKS,
    "activations": ["selu", "elu", "leaky_relu", "relu", "tanh", "sigmoid", "silu", "gelu"],
    "params": {"gelu": {"approximate": "tanh"}},
    "lrs": [0.0025, 0.01, 0.04, 0.16], "data_seeds": [0, 1, 2, 3], "seeds_per_draw": 5,
    "training": {"width": 16, "n_train": 150, "n_val": 500, "n_test": 2000,
                 "epoch_grid": [50, 100, 200], "optimizer": "adam"},
}


#: name -> (runner, config). ``tools/make_results.py`` writes ``results/<name>.json`` for each.
EXPERIMENTS: dict[str, tuple[Callable, dict]] = {
    "dead_units": (run_dead_units, {
        "task": "spirals", "network": _DEAD_NET, "seeds": [0, 1, 2, 3, 4],
        "settings": [{"activation": a, "params": p, "lr": lr, "epochs": 300}
                     for a, p in _DEAD_ACTS for lr in (0.1, 0.3, 1.0, 1.5, 2.0, 3.0)],
        "init_off": ["relu", "elu"],
        "trace": {"activations": ["relu", "leaky_relu"], "seed": 0, "lr": 2.0, "epochs": 300},
    }),
    "dead_units_exercise": (run_dead_units, {
        "task": "spirals", "network": _DEAD_NET, "seeds": [0, 1, 2, 3, 4],
        "settings": [{"activation": "relu", "params": {}, "lr": 2.0, "epochs": 300},
                     {"activation": "relu", "params": {}, "lr": 0.5, "epochs": 1200}]
                    + [{"activation": "leaky_relu", "params": {"alpha": a}, "lr": 1.5,
                        "epochs": 300} for a in (0.01, 0.1, 0.25, 0.5)],
    }),
    "ranking": (run_fair_ranking, FAIR_RANKING),
    "ranking_20_seeds": (run_ranking, {
        "tasks": {"spirals": _RANKING_TASKS["spirals"]}, "depths": [2],
        "activations": ["selu", "elu", "relu", "leaky_relu"],
        "seeds": list(range(20)), "training": _RANKING_TRAINING,
    }),
}


def _experiment(name: str):
    if name not in EXPERIMENTS:
        raise ValueError(f"unknown experiment {name!r}; choose one of {sorted(EXPERIMENTS)}")
    return EXPERIMENTS[name]


def run(name: str, *, replicate: bool = True, config: dict | None = None) -> dict:
    """Run experiment ``name`` now (with ``config`` instead of the book's, e.g. fewer seeds):
    the record that ``results/<name>.json`` stores, with this machine's provenance."""
    runner, book_config = _experiment(name)
    config = json.loads(json.dumps(book_config if config is None else config))
    out = {"name": name, "schema": SCHEMA, "config": config, "main": runner(config)}
    if replicate:
        out["replicate"] = runner(config, perturb=True)
    out["provenance"] = provenance()
    return out


def results_dir() -> Path:
    """The book's ``results/`` folder (found from the notebook's folder, see :mod:`afbook.paths`)."""
    return book_file("results")


def load(name: str, *, recompute: bool | None = None) -> dict:
    """The stored results of experiment ``name`` (``results/<name>.json``), or a live run when
    ``recompute`` is true (default: the environment variable ``AFBOOK_RECOMPUTE=1``).

    Raises if the stored config is not the one in :data:`EXPERIMENTS` (run ``make results``)."""
    runner, config = _experiment(name)
    if recompute is None:
        recompute = os.environ.get("AFBOOK_RECOMPUTE", "") == "1"
    if recompute:
        return run(name)
    path = results_dir() / f"{name}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("schema") != SCHEMA or data.get("config") != json.loads(json.dumps(config)):
        raise ValueError(f"load: {path.name} was made with another config or schema than "
                         f"afbook.experiments.EXPERIMENTS[{name!r}]: run `make results {name}`")
    return data


# ------------------------------------------------------------------------------------------------
# Provenance
# ------------------------------------------------------------------------------------------------
_CODE_MODULES = ("mlp", "datasets", "experiments", "claims", "display", "deep", "stats")


def _git_commit() -> str | None:
    """The commit of the code the results depend on; "+modified" if that code has local edits."""
    try:
        root = Path(__file__).resolve().parents[2]
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                             text=True, check=True).stdout.strip()
        deps = ["src/activations.py"] + [f"src/afbook/{m}.py" for m in _CODE_MODULES]
        dirty = subprocess.run(["git", "status", "--porcelain", "--", *deps], cwd=root,
                               capture_output=True, text=True, check=True).stdout.strip()
        return sha + ("+modified" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def provenance() -> dict:
    """Where and with what a result was computed: commit, CPU, versions, BLAS, SIMD."""
    import scipy
    import scipy.linalg  # noqa: F401  (loads SciPy's BLAS, so threadpoolctl lists it)
    from numpy._core import _multiarray_umath as umath
    from threadpoolctl import threadpool_info

    blas = [{k: d.get(k) for k in ("internal_api", "version", "architecture", "threading_layer",
                                   "num_threads")} | {"library": Path(d["filepath"]).name}
            for d in threadpool_info()]
    env = {k: os.environ[k] for k in ("NPY_DISABLE_CPU_FEATURES", "OPENBLAS_CORETYPE",
                                      "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS") if k in os.environ}
    return {
        "git_commit": _git_commit(),
        "created_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%MZ"),
        "cpu": _cpu_model(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "blas": blas,
        "simd_baseline": list(umath.__cpu_baseline__),
        "simd_dispatch_active": [t for t in umath.__cpu_dispatch__ if umath.__cpu_features__.get(t)],
        "environment": env,
    }


def provenance_note(data: dict) -> str:
    """One line about where stored results come from (the same text on every machine)."""
    p = data["provenance"]
    blas = ", ".join(f"{b['internal_api']} {b['version']} ({b['architecture']})"
                     for b in p["blas"] if b.get("internal_api") in ("openblas", "mkl", "blis"))
    commit = (p["git_commit"] or "unknown")[:10]
    simd = ", ".join(p["simd_dispatch_active"]) or "baseline only"
    return (f"Results {data['name']!r}: computed {p['created_utc']} at commit {commit} on "
            f"{p['cpu']}; Python {p['python']}, NumPy {p['numpy']}, SciPy {p['scipy']}; "
            f"BLAS {blas or 'unknown'}; SIMD dispatch {simd}.")


# ------------------------------------------------------------------------------------------------
# Summaries of the stored results (shared by the notebooks and the claims)
# ------------------------------------------------------------------------------------------------
def dead_cell(part: dict, activation: str, lr: float, alpha: float | None = None,
              epochs: int | None = None) -> dict:
    """The setting of a dead-unit run (``alpha=None``: the activation's default parameters)."""
    hits = [c for c in part["settings"] if c["activation"] == activation and c["lr"] == lr
            and (c["params"].get("alpha") == alpha) and (epochs is None or c["epochs"] == epochs)]
    if len(hits) != 1:
        raise ValueError(f"dead_cell: {len(hits)} settings match {activation!r}, lr={lr}, "
                         f"alpha={alpha}, epochs={epochs}")
    return hits[0]


def mean_of(cell: dict, metric: str) -> float:
    """Mean of ``metric`` over the seeds where it is finite (nan if there is none)."""
    v = values(cell, metric)
    v = v[np.isfinite(v)]
    return float(v.mean()) if v.size else float("nan")


SEED_ORDER = ["selu", "elu", "leaky_relu", "relu", "tanh", "sigmoid"]
RECTIFIERS = ["relu", "leaky_relu", "elu", "selu", "silu", "gelu"]


# The deep networks on the digits of 08_deep_networks: runner and config live in afbook/deep.py
from afbook import deep as _deep  # noqa: E402  (deep imports neither experiments nor claims)

EXPERIMENTS["deep_networks"] = (_deep.run_deep, _deep.CONFIG)


# ------------------------------------------------------------------------------------------------
# Summaries of the fair ranking (learning rate chosen on validation; paired runs)
# ------------------------------------------------------------------------------------------------
def fair_settings(data: dict) -> list[tuple[str, int]]:
    """The (task, depth) settings of the fair ranking, in the config's order."""
    return [(t, d) for t, spec in data["config"]["tasks"].items() for d in spec["depths"]]


def fair_cell(data: dict, task: str, depth: int, activation: str, lr: float,
              part: str = "main") -> dict:
    """The stored cell of one (task, depth, activation, learning rate)."""
    return find(data[part]["cells"], task=task, depth=depth, activation=activation, lr=lr)


def _score(data: dict, task: str, v: np.ndarray) -> np.ndarray:
    """Higher is better: accuracy, or minus the loss."""
    return v if data["config"]["tasks"][task]["higher_is_better"] else -v


def fair_epoch_grid(data: dict, task: str) -> list[int]:
    """The numbers of epochs the validation split chooses from for ``task`` (ascending; the last
    is the training budget)."""
    cfg = data["config"]
    grid = cfg["tasks"][task].get("epoch_grid", cfg["training"].get("epoch_grid"))
    if grid is None:       # a configuration with a fixed budget only
        return [int(cfg["tasks"][task].get("epochs", cfg["training"]["epochs"]))]
    grid = [int(e) for e in grid]
    if not grid or grid != sorted(set(grid)) or grid[0] < 1:
        raise ValueError(f"fair ranking: the epoch grid of {task!r} must be ascending positive "
                         f"integers, got {grid!r}")
    return grid


def fair_fixed_budget(data: dict) -> dict:
    """A view of a stored fair ranking in which the validation split chooses the rate only and
    every run is read after the full budget (the epoch grid of each task cut to its last entry):
    the design of a fixed number of epochs, from the same runs."""
    cfg = json.loads(json.dumps(data["config"]))
    for task, spec in cfg["tasks"].items():
        spec["epoch_grid"] = [_budget(data["config"], task)]
    return {**data, "config": cfg}


def _budget(config: dict, task: str) -> int:
    return fair_epoch_grid({"config": config}, task)[-1]


def _at(cell: dict, metric: str, epochs: int, budget: int) -> np.ndarray:
    if f"{metric}_at" in cell:
        return _floats(cell[f"{metric}_at"][str(epochs)])
    if epochs != budget:
        raise ValueError(f"fair ranking: no {metric} values after {epochs} epochs stored")
    return values(cell, metric)


def fair_choice_scores(data: dict, task: str, depth: int, activation: str,
                       part: str = "main") -> dict:
    """(learning rate, epochs) -> mean validation score over the runs (higher is better:
    accuracy, or minus the loss; a diverged run scores chance), over the whole grid."""
    grid = fair_epoch_grid(data, task)
    out = {}
    for lr in data["config"]["lrs"]:
        cell = fair_cell(data, task, depth, activation, lr, part)
        for e in grid:
            out[lr, e] = float(np.mean(_score(data, task, _at(cell, "val", e, grid[-1]))))
    return out


def chosen(data: dict, task: str, depth: int, activation: str, part: str = "main",
           epochs: int | None = None) -> tuple[float, int]:
    """The (learning rate, epochs) of the grid with the best mean validation score; on a tie the
    smaller rate, then the fewer epochs. With ``epochs``, only the rate is chosen (for that
    number of epochs: the budget gives the choice of a fixed-budget design)."""
    scores = fair_choice_scores(data, task, depth, activation, part)
    if epochs is not None:
        if epochs not in fair_epoch_grid(data, task):
            raise ValueError(f"chosen: epochs must be one of the grid "
                             f"{fair_epoch_grid(data, task)}, got {epochs!r}")
        scores = {k: v for k, v in scores.items() if k[1] == epochs}
    best = max(scores.values())
    return min(k for k, v in scores.items() if v == best)


def fair_values(data: dict, task: str, depth: int, activation: str, metric: str = "test",
                part: str = "main", lr: float | None = None,
                epochs: int | None = None) -> np.ndarray:
    """Per-run values of ``metric`` at the chosen learning rate and number of epochs (or at
    ``lr`` and ``epochs``, default the budget). ``val`` and ``test`` are read after that many
    epochs; the other metrics (``train_loss``, ``epochs``, ``diverged``) are the runs' own."""
    grid = fair_epoch_grid(data, task)
    if lr is None:
        lr, chosen_epochs = chosen(data, task, depth, activation, part)
        epochs = chosen_epochs if epochs is None else epochs
    epochs = grid[-1] if epochs is None else int(epochs)
    cell = fair_cell(data, task, depth, activation, lr, part)
    if metric in ("val", "test"):
        return _at(cell, metric, epochs, grid[-1])
    return values(cell, metric)


def fair_means(data: dict, part: str = "main") -> dict:
    """(task, depth, activation) -> mean test metric at the chosen learning rate."""
    return {(t, d, a): float(np.mean(fair_values(data, t, d, a, part=part)))
            for t, d in fair_settings(data) for a in data["config"]["activations"]}


def fair_ranks(data: dict, part: str = "main") -> dict:
    """(task, depth) -> {activation: rank} by mean test metric (1 = best; no ties expected)."""
    from scipy import stats as sps

    means, acts = fair_means(data, part), data["config"]["activations"]
    out = {}
    for t, d in fair_settings(data):
        s = _score(data, t, np.array([means[t, d, a] for a in acts]))
        out[t, d] = {a: float(r) for a, r in zip(acts, sps.rankdata(-s))}
    return out


def fair_comparisons(data: dict, pairs: Sequence[tuple[str, str]] | None = None,
                     part: str = "main", alpha: float = 0.05) -> list[dict]:
    """Paired comparisons "better > worse" at each activation's chosen learning rate, for every
    pair (default: the adjacent pairs of seed 000's ranking) and setting, on the same runs.

    Each entry has ``better``, ``worse``, ``task``, ``depth``, ``diff`` (a
    :class:`afbook.stats.Paired` of score(better) - score(worse): accuracy in percentage points,
    or minus the loss in units of 1e-3; positive = the claim's direction), ``p_holm`` (Holm over
    all entries) and ``verdict``: "holds" / "reversed" if ``p_holm <= alpha``, else
    "unresolved"."""
    from afbook import stats

    pairs = list(zip(SEED_ORDER[:-1], SEED_ORDER[1:])) if pairs is None else list(pairs)
    out = []
    for b, w in pairs:
        for t, d in fair_settings(data):
            k = 100.0 if data["config"]["tasks"][t]["higher_is_better"] else 1000.0
            va, vb = (_score(data, t, fair_values(data, t, d, a, part=part)) for a in (b, w))
            out.append({"better": b, "worse": w, "task": t, "depth": d,
                        "diff": stats.paired(va, vb).scaled(k)})
    adj = stats.holm([e["diff"].p for e in out])
    for e, p in zip(out, adj):
        e["p_holm"] = float(p)
        e["verdict"] = ("unresolved" if p > alpha else
                        "holds" if e["diff"].mean > 0 else "reversed")
    return out


def fair_epochs(data: dict, task: str, depth: int, activation: str, lr: float,
                part: str = "main") -> np.ndarray:
    """Per-run epochs to the training target at ``lr``; a run that never reaches it counts as
    the budget + 1 (censored, so a comparison of such runs is conservative)."""
    budget = fair_epoch_grid(data, task)[-1]
    e = values(fair_cell(data, task, depth, activation, lr, part), "epochs")
    return np.where(np.isfinite(e), e, budget + 1.0)


def epochs_comparisons(data: dict, first: str, second: str, lr: float,
                       part: str = "main", alpha: float = 0.05) -> list[dict]:
    """Per setting, the paired difference of epochs to target ``first - second`` at the common
    rate ``lr`` (positive: ``first`` is slower), Holm-adjusted over the settings; verdict
    "slower" / "faster" / "unresolved" for ``first``."""
    from afbook import stats

    out = [{"task": t, "depth": d,
            "diff": stats.paired(fair_epochs(data, t, d, first, lr, part),
                                 fair_epochs(data, t, d, second, lr, part))}
           for t, d in fair_settings(data)]
    for e, p in zip(out, stats.holm([e["diff"].p for e in out])):
        e["p_holm"] = float(p)
        e["verdict"] = ("unresolved" if p > alpha else
                        "slower" if e["diff"].mean > 0 else "faster")
    return out
