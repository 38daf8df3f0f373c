"""afbook.deep: alpha-dropout, the training step, and a reduced recompute of deep_networks.

The reduced run (2 seeds, 10 epochs, every setting) checks on this machine the claims that do not
need the full budget, and its agreement with the stored results at the epochs both have.
"""
import math

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

import activations as A
from afbook import claims as C
from afbook import deep as D
from afbook import experiments as E
from afbook.mlp import MLP


@pytest.mark.parametrize("rate", [0.05, 0.1, 0.3])
def test_alpha_dropout_keeps_mean_zero_and_variance_one(rate):
    rng = np.random.default_rng(0)
    # SELU outputs of standard-normal inputs have mean 0 and variance 1
    x = A.selu(rng.normal(size=2_000_000))
    y, grad = D.alpha_dropout(x, rate, np.random.default_rng(1))
    se = 1 / math.sqrt(x.size)
    assert abs(y.mean()) < 5 * se * 2 and abs(y.var() - 1) < 5 * se * 3
    assert abs(np.mean(grad == 0) - rate) < 5 * math.sqrt(rate / x.size)
    # ordinary (inverted) dropout would not: it keeps the mean but changes the variance
    keep = np.random.default_rng(1).random(x.size) >= rate
    assert abs((x * keep / (1 - rate)).var() - 1) > 20 * se * 3


def test_alpha_dropout_constants_and_errors():
    alpha_p, a, b = D.alpha_dropout_constants(0.0)
    assert alpha_p == pytest.approx(-A.SELU_LAMBDA * A.SELU_ALPHA) and a == 1 and b == 0
    x = np.linspace(-1, 1, 5)
    assert D.alpha_dropout(x, 0.0, None)[0] is x
    for bad, exc in ((-0.1, ValueError), (1.0, ValueError), ("0.1", TypeError), (True, TypeError)):
        with pytest.raises(exc, match="rate"):
            D.alpha_dropout_constants(bad)


def test_alpha_dropout_backprop_matches_finite_differences_and_rate_zero_is_plain_backprop():
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(20, 5)), rng.integers(0, 3, size=20)
    net = MLP([5, 7, 7, 3], activation="selu", head="softmax", init="lecun_normal", seed=2)

    def drop(rate):
        return lambda a, g: D.alpha_dropout(a, rate, g)

    plain = net.loss_and_grads(X, y)
    zero = net.loss_and_grads(X, y, dropout=drop(0.0), rng=np.random.default_rng(0))
    assert zero[0] == plain[0]
    for g, r in zip(zero[1] + zero[2], plain[1] + plain[2]):
        np.testing.assert_array_equal(g, r)
    # with a fixed dropout mask (same generator state), the gradient is that of a fixed network
    seed, W, (i, j, h) = 5, net.weights[1], (2, 3, 1e-6)

    def loss_grads():
        return net.loss_and_grads(X, y, dropout=drop(0.3), rng=np.random.default_rng(seed))

    loss, gW, _ = loss_grads()
    assert loss != plain[0]
    W[i, j] += h
    up = loss_grads()[0]
    W[i, j] -= 2 * h
    down = loss_grads()[0]
    W[i, j] += h
    assert gW[1][i, j] == pytest.approx((up - down) / (2 * h), rel=1e-5, abs=1e-9)
    with pytest.raises(TypeError, match="dropout"):
        net.loss_and_grads(X, y, dropout=0.3)


def test_load_digits_is_standardised_and_checks_n_train():
    X_tr, X_te, y_tr, y_te = D.load_digits(1200)
    assert X_tr.shape == (1200, 64) and X_te.shape == (597, 64)
    assert np.all(np.abs(X_tr.mean(axis=0)) < 1e-12)
    sd = X_tr.std(axis=0)
    assert np.all((np.abs(sd - 1) < 1e-12) | (sd == 0))
    assert set(y_tr) == set(range(10))
    with pytest.raises(ValueError, match="n_train"):
        D.load_digits(5)


REDUCED_EPOCHS = 10


def test_reduced_recompute_keeps_the_claims_and_agrees_with_the_stored_results():
    stored = E.load("deep_networks", recompute=False)
    cfg = dict(stored["config"], seeds=[0, 1])
    cfg["training"] = dict(cfg["training"], epochs=REDUCED_EPOCHS,
                           record=[e for e in cfg["training"]["record"] if e <= REDUCED_EPOCHS])
    with threadpool_limits(limits=1):
        fresh = E.run("deep_networks", replicate=False, config=cfg)
    report = C.evaluate("deep_networks", fresh)
    # every claim but the end-of-training accuracy and drift must hold after 10 epochs already
    need = {"selu_normalised_at_init", "gradients_flat_at_init", "tanh_stays_centred",
            "no_gradient_explosion", "selu_drifts_in_training", "alpha_dropout_no_help"}
    failed = [o.claim.id for o in report.failed if o.claim.id in need]
    assert not failed, report.margins()
    assert report["all_deep_nets_train"].margin > -5, report.margins()
    # agreement at the shared epochs: per-layer means and stds, by seed 0 and 1
    for new, old in zip(fresh["main"]["cells"], stored["main"]["cells"]):
        assert new["label"] == old["label"]
        for e in cfg["training"]["record"]:
            for key in ("mean", "std"):
                a, b = D.stat(new, key, e), D.stat(old, key, e)
                # standard errors from the stored seeds' spread (2 fresh seeds give no SE)
                sd = np.nanstd(b, axis=0, ddof=1)
                tol = 3 * sd * math.sqrt(1 / a.shape[0] + 1 / b.shape[0]) + 0.05
                bad = np.abs(np.nanmean(a, axis=0) - np.nanmean(b, axis=0)) > tol
                assert not bad.any(), (new["label"], e, key, np.flatnonzero(bad))
        acc_new = np.array([r["test_accuracy"][REDUCED_EPOCHS] for r in new["runs"]])
        acc_old = np.array([r["test_accuracy"][REDUCED_EPOCHS] for r in old["runs"]])
        assert abs(acc_new.mean() - acc_old.mean()) < 0.05, new["label"]
