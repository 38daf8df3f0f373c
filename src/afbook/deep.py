"""Deep fully connected networks trained on a real data set (08_deep_networks).

16 hidden layers of width 64 on scikit-learn's bundled digits (8×8 images, 1797 samples, shipped
inside the package: nothing is downloaded), standardised with the training set's mean and std:

* SELU + LeCun normal, without and with alpha-dropout (Klambauer et al. 2017);
* ReLU + He normal;
* tanh + Glorot normal.

Mini-batch Adam; after chosen epochs the per-layer mean and std of the hidden activations and the
per-layer gradient norms are recorded on the whole training set (no dropout). Training of this
depth is chaotic, so the runs are stored as data (``results/deep_networks.json``, ``make results``,
registered in :data:`afbook.experiments.EXPERIMENTS`) and the findings are :mod:`afbook.claims`
(:func:`claims`). This module imports neither of those, so they can import it.
"""
from __future__ import annotations

import math

import numpy as np

import activations as A
from afbook import args
from afbook.mlp import MLP

__all__ = ["load_digits", "alpha_dropout", "alpha_dropout_constants",
           "train", "run_deep", "CONFIG", "SETTINGS", "claims", "setting", "stat"]


def load_digits(n_train: int = 1200, seed: int = 0):
    """The digits split into (X_train, X_test, y_train, y_test), standardised per pixel with the
    training set's mean and std (pixels constant on the training set are only centred)."""
    from sklearn.datasets import load_digits as _load

    n_train = args.integer("load_digits", "n_train", n_train, low=10, high=1787)
    X, y = _load(return_X_y=True)
    order = np.random.default_rng(seed).permutation(len(y))
    X, y = X[order].astype(np.float64), y[order].astype(np.int64)
    X_tr, X_te = X[:n_train], X[n_train:]
    mu, sd = X_tr.mean(axis=0), X_tr.std(axis=0)
    sd[sd == 0] = 1.0
    return (X_tr - mu) / sd, (X_te - mu) / sd, y[:n_train], y[n_train:]


# ------------------------------------------------------------------------------------------------
# Alpha-dropout (Klambauer et al. 2017, section "New dropout technique")
# ------------------------------------------------------------------------------------------------
def alpha_dropout_constants(rate: float) -> tuple[float, float, float]:
    """(α′, a, b) of alpha-dropout with drop probability ``rate`` for SELU: a dropped unit is set
    to α′ = −λα (SELU's negative saturation value), then x ↦ a·x + b restores mean 0 and
    variance 1 for inputs of mean 0 and variance 1:  a = (q + α′² q (1 − q))^(−1/2),
    b = −a (1 − q) α′ with q = 1 − rate the keep probability."""
    rate = args.positive("alpha_dropout", "rate", rate, allow_zero=True, below=1)
    alpha_p = -A.SELU_LAMBDA * A.SELU_ALPHA
    keep = 1.0 - float(rate)
    a = (keep + alpha_p ** 2 * keep * (1.0 - keep)) ** -0.5
    b = -a * (1.0 - keep) * alpha_p
    return alpha_p, a, b


def alpha_dropout(x: np.ndarray, rate: float, rng: np.random.Generator):
    """Alpha-dropout of the activations ``x``: returns (output, d output / d x) (the second is
    a·mask: the gradient passes through kept units only)."""
    alpha_p, a, b = alpha_dropout_constants(rate)
    if rate == 0:
        return x, None
    keep = rng.random(x.shape) >= rate
    return a * np.where(keep, x, alpha_p) + b, a * keep


# ------------------------------------------------------------------------------------------------
# Training
# ------------------------------------------------------------------------------------------------
def _snapshot(net: MLP, X, y) -> dict:
    st = net.layer_stats(X)
    return {"mean": [float(v) for v in st["mean"]], "std": [float(v) for v in st["std"]],
            "grad_norm": [float(v) for v in net.gradient_norms(X, y)]}


def _clean(v) -> float | None:
    v = float(v)
    return v if math.isfinite(v) else None


def train(setting: dict, training: dict, data, seed: int, *, perturb: bool = False) -> dict:
    """One run: a fresh network of ``setting`` (activation, init, dropout) trained as
    ``training`` says on ``data`` = load_digits(...) with weight seed ``seed``, by the course's
    one trainer (:meth:`MLP.fit`: mini-batches, alpha-dropout as its ``dropout``). Returns the
    per-epoch training loss and test accuracy and the snapshots at ``training["record"]``."""
    X_tr, X_te, y_tr, y_te = data
    k = int(y_tr.max()) + 1
    sizes = [X_tr.shape[1]] + [training["width"]] * training["depth"] + [k]
    net = MLP(sizes, activation=setting["activation"], head="softmax", init=setting["init"],
              seed=seed)
    if perturb:
        for W in net.weights:
            W[...] = np.nextafter(W, np.inf)
    rate = float(setting.get("dropout", 0.0))
    record = set(training["record"])
    snapshots = {"0": _snapshot(net, X_tr, y_tr)} if 0 in record else {}

    def snapshot(net_, epoch, hist):
        if epoch in record:
            snapshots[str(epoch)] = _snapshot(net_, X_tr, y_tr)

    # (the trainer silences overflow inside a diverging run, the snapshots included)
    hist = net.fit(X_tr, y_tr, epochs=training["epochs"], batch_size=training["batch"],
                   optimizer=training["optimizer"], lr=training["lr"], seed=10_000 + seed,
                   X_val=X_te, y_val=y_te, callback=snapshot,
                   dropout=(lambda a, rng: alpha_dropout(a, rate, rng)) if rate else None)
    return {"train_loss": [_clean(v) for v in hist["loss"]],
            "test_accuracy": [_clean(v) for v in hist["val_accuracy"]],
            "snapshots": snapshots, "diverged": hist["diverged"]}


def run_deep(config: dict, *, perturb: bool = False) -> dict:
    """Every setting of ``config`` for every seed (the record stored in the results file)."""
    data = load_digits(config["data"]["n_train"], config["data"]["seed"])
    cells = []
    for s in config["settings"]:
        runs = [train(s, config["training"], data, seed, perturb=perturb)
                for seed in config["seeds"]]
        cells.append(dict(s, runs=runs))
    return {"cells": cells}


SETTINGS = [
    {"label": "SELU, LeCun", "activation": "selu", "init": "lecun_normal", "dropout": 0.0},
    {"label": "SELU, LeCun, alpha-dropout 0.05", "activation": "selu", "init": "lecun_normal",
     "dropout": 0.05},
    {"label": "ReLU, He", "activation": "relu", "init": "he_normal", "dropout": 0.0},
    {"label": "tanh, Glorot", "activation": "tanh", "init": "glorot_normal", "dropout": 0.0},
]
#: the book's configuration (``experiments.EXPERIMENTS["deep_networks"]``)
CONFIG = {
    "data": {"name": "sklearn digits, standardised", "n_train": 1200, "seed": 0},
    "training": {"depth": 16, "width": 64, "optimizer": "adam", "lr": 1e-3, "batch": 50,
                 "epochs": 20, "record": [0, 1, 3, 10, 20]},
    "settings": SETTINGS,
    "seeds": [0, 1, 2, 3, 4],
}


# ------------------------------------------------------------------------------------------------
# Summaries (shared by the notebook and the claims)
# ------------------------------------------------------------------------------------------------
def setting(data: dict, label: str, part: str = "main") -> dict:
    """The stored cell of the setting called ``label``."""
    hits = [c for c in data[part]["cells"] if c["label"] == label]
    if len(hits) != 1:
        raise ValueError(f"setting: {len(hits)} settings are called {label!r}")
    return hits[0]


def stat(cell: dict, key: str, epoch: int) -> np.ndarray:
    """(seeds, layers) array of snapshot statistic ``key`` (mean, std, grad_norm) at ``epoch``
    (nan rows for runs that diverged before it)."""
    rows = []
    for r in cell["runs"]:
        snap = r["snapshots"].get(str(epoch))
        rows.append(snap[key] if snap else None)
    width = max(len(r) for r in rows if r is not None)
    return np.array([r if r is not None else [np.nan] * width for r in rows], dtype=float)


def final(cell: dict, key: str = "test_accuracy") -> np.ndarray:
    """Per seed the last value of ``key`` (nan if the run diverged)."""
    return np.array([np.nan if r["diverged"] or r[key][-1] is None else r[key][-1]
                     for r in cell["runs"]], dtype=float)


def last_epoch(data: dict) -> int:
    return int(data["config"]["training"]["record"][-1])


def _gmean(x: np.ndarray) -> np.ndarray:
    return np.exp(np.nanmean(np.log(x), axis=0))


def drift(data: dict, label: str, epoch: int, part: str = "main") -> tuple[float, float]:
    """Largest |mean| and largest |std − 1| over the hidden layers at ``epoch`` (seed means)."""
    cell = setting(data, label, part)
    m = np.nanmean(stat(cell, "mean", epoch), axis=0)
    s = np.nanmean(stat(cell, "std", epoch), axis=0)
    return float(np.max(np.abs(m))), float(np.max(np.abs(s - 1.0)))


def grad_spread(data: dict, label: str, epoch: int, part: str = "main") -> float:
    """Largest / smallest hidden-layer gradient norm (geometric mean over seeds), |ln| of it:
    how many factors e separate the layers that learn fastest and slowest."""
    g = _gmean(stat(setting(data, label, part), "grad_norm", epoch))
    return float(np.log(g.max() / g.min()))


_SELU, _SELU_AD, _RELU, _TANH = (s["label"] for s in SETTINGS)


def _c_init_normalised(data):
    m, s = drift(data, _SELU, 0)
    margin = min(0.1 - m, 0.15 - s)
    return margin >= 0, margin, f"init: max |mean| {m:.3f}, max |std - 1| {s:.3f}"


def _c_selu_drifts(data):
    e = last_epoch(data)
    m, s = drift(data, _SELU, e)
    return s - 0.5 >= 0, s - 0.5, f"epoch {e}: max |mean| {m:.3f}, max |std - 1| {s:.3f}"


def _c_dropout_no_help(data):
    e = last_epoch(data)
    m0, s0 = drift(data, _SELU, e)
    m1, s1 = drift(data, _SELU_AD, e)
    return s1 - s0 >= 0, s1 - s0, f"epoch {e}: max |std - 1| {s0:.3f} without, {s1:.3f} with"


def _c_all_train(data):
    accs = {c["label"]: float(np.nanmean(final(c))) for c in data["main"]["cells"]}
    worst = min(accs.values())
    return worst >= 0.90, 100 * (worst - 0.90), ", ".join(f"{k} {100 * v:.1f} %"
                                                          for k, v in accs.items())


def _c_init_gradients(data):
    spreads = {s["label"]: grad_spread(data, s["label"], 0) for s in SETTINGS}
    m = min(math.log(1.5) - spreads[_SELU], math.log(4) - max(spreads.values()))
    return m >= 0, m, ", ".join(f"{k} ×{math.exp(v):.2f}" for k, v in spreads.items())


def _c_tanh_centred(data):
    rec = data["config"]["training"]["record"]
    worst = max(drift(data, _TANH, e)[0] for e in rec)
    return worst <= 0.05, 0.05 - worst, f"tanh: largest |layer mean| {worst:.4f}"


def _c_no_explosion(data):
    rec = data["config"]["training"]["record"]
    spreads = {(s["label"], e): grad_spread(data, s["label"], e) for s in SETTINGS for e in rec}
    worst = max(spreads.values())
    k = max(spreads, key=spreads.get)
    return worst <= math.log(20), math.log(20) - worst, (
        f"largest spread ×{math.exp(worst):.1f} ({k[0]}, epoch {k[1]})")


def claims() -> list:
    """The findings of 08_deep_networks as :class:`afbook.claims.Claim` objects."""
    from afbook.claims import Claim

    return [
        Claim("selu_normalised_at_init", "At initialisation every SELU layer has mean within "
              "0.1 of 0 and standard deviation within 0.15 of 1.", _c_init_normalised,
              "(units of the activations)"),
        Claim("selu_drifts_in_training", "After training, the standard deviation of some SELU "
              "layer is at least 0.5 away from 1: the layers do not stay normalised.",
              _c_selu_drifts, "(units of the activations)"),
        Claim("alpha_dropout_no_help", "With alpha-dropout the layers drift at least as far from "
              "standard deviation 1 as without.", _c_dropout_no_help, "(units of the activations)"),
        Claim("all_deep_nets_train", "Every one of the four 16-layer networks reaches at least "
              "90 % held-out accuracy on average.", _c_all_train, "percentage points"),
        Claim("gradients_flat_at_init", "At initialisation the hidden layers' gradient norms "
              "differ by less than a factor 1.5 with SELU and less than 4 in every setting.",
              _c_init_gradients, "ln units"),
        Claim("tanh_stays_centred", "Throughout training every tanh layer's mean stays within "
              "0.05 of 0.", _c_tanh_centred, "(units of the activations)"),
        Claim("no_gradient_explosion", "At every recorded epoch, in every setting, the hidden "
              "layers' gradient norms differ by less than a factor 20.", _c_no_explosion,
              "ln units"),
    ]
