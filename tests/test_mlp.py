"""Tests of src/mlp.py: backpropagation against finite differences for every elementwise
activation of the registry and every loss head, determinism, shapes, errors, training."""
import numpy as np
import pytest

import activations as A
from afbook import datasets as D
from afbook import mlp

pytestmark = pytest.mark.filterwarnings("error")  # no RuntimeWarning for legal input

ELEMENTWISE = A.names(kind="elementwise")


def _params(name):
    return dict(getattr(A.get(name), "example_params", {}) or {})


def _flat_grads(gW, gb):
    return np.concatenate([g.ravel() for g in gW + gb])


def _numeric_grads(net, X, y, h=1e-6):
    out = []
    for arrays in (net.weights, net.biases):
        for P in arrays:
            G = np.zeros_like(P)
            for idx in np.ndindex(P.shape):
                old = P[idx]
                P[idx] = old + h
                up = net.loss(X, y)
                P[idx] = old - h
                down = net.loss(X, y)
                P[idx] = old
                G[idx] = (up - down) / (2 * h)
            out.append(G)
    n = len(net.weights)
    return _flat_grads(out[:n], out[n:])


def _away_from_kinks(net, X, delta=1e-4, bound=1e3):
    """True if, at every hidden pre-activation, f and f' are locally Lipschitz with a modest
    constant, i.e. no kink or jump lies within `delta` of any pre-activation."""
    _, zs, _ = net.forward(X, keep=True)
    for z in zs:
        f_jump = np.abs(net.f(z + delta) - net.f(z - delta))
        d_jump = np.abs(net.df(z + delta) - net.df(z - delta))
        if np.any(f_jump > bound * delta) or np.any(d_jump > 1e2 * delta):
            return False
    return True


def _kink_free_problem(name, params, head="identity", out=2):
    """A small network and data set whose pre-activations avoid the activation's kinks."""
    for seed in range(50):
        rng = np.random.default_rng(seed)
        X = rng.normal(0.0, 1.5, size=(6, 3))
        net = mlp.MLP([3, 5, 4, out], activation=name, params=params, head=head,
                      init="he_normal", seed=seed)
        for b in net.biases:
            b[:] = rng.normal(0.0, 0.3, size=b.shape)
        if _away_from_kinks(net, X):
            if head == "identity":
                y = rng.normal(size=(6, out))
            elif head == "sigmoid":
                y = rng.integers(0, 2, size=(6, out)).astype(float)
            else:
                y = rng.integers(0, out, size=6)
            return net, X, y
    raise AssertionError(f"no kink-free point found for {name}")


def test_registry_has_elementwise_activations():
    assert len(ELEMENTWISE) >= 10
    assert "relu" in ELEMENTWISE and "softmax" not in ELEMENTWISE


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_backprop_matches_finite_differences(name):
    net, X, y = _kink_free_problem(name, _params(name))
    loss, gW, gb = net.loss_and_grads(X, y)
    numeric = _numeric_grads(net, X, y)
    analytic = _flat_grads(gW, gb)
    assert np.isfinite(loss)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-7, err_msg=name)


@pytest.mark.parametrize("head,out", [("identity", 1), ("identity", 3), ("sigmoid", 1),
                                      ("sigmoid", 3), ("softmax", 2), ("softmax", 4)])
def test_heads_match_finite_differences(head, out):
    net, X, y = _kink_free_problem("tanh", {}, head=head, out=out)
    _, gW, gb = net.loss_and_grads(X, y)
    np.testing.assert_allclose(_flat_grads(gW, gb), _numeric_grads(net, X, y), rtol=1e-5, atol=1e-8)


def test_softmax_onehot_equals_labels():
    net, X, y = _kink_free_problem("tanh", {}, head="softmax", out=3)
    onehot = np.eye(3)[y]
    assert net.loss(X, y) == pytest.approx(net.loss(X, onehot))
    g1 = _flat_grads(*net.loss_and_grads(X, y)[1:])
    g2 = _flat_grads(*net.loss_and_grads(X, onehot)[1:])
    np.testing.assert_allclose(g1, g2)


def test_loss_values_match_naive_formulas():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(5, 2))
    for head, out in (("identity", 2), ("sigmoid", 1), ("softmax", 3)):
        net = mlp.MLP([2, 4, out], activation="tanh", head=head, seed=3)
        z = net.forward(X)
        if head == "identity":
            y = rng.normal(size=(5, 2))
            expected = 0.5 * np.mean(np.sum((z - y) ** 2, axis=1))
        elif head == "sigmoid":
            y = rng.integers(0, 2, size=5)
            p = 1 / (1 + np.exp(-z[:, 0]))
            expected = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
        else:
            y = rng.integers(0, 3, size=5)
            p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
            expected = -np.mean(np.log(p[np.arange(5), y]))
        assert net.loss(X, y) == pytest.approx(expected, rel=1e-12)


def test_losses_are_stable_for_huge_logits():
    net = mlp.MLP([1, 2], activation="relu", head="softmax", seed=0)
    net.weights[0][:] = [[1000.0, -1000.0]]
    X = np.array([[1.0], [2.0]])
    assert net.loss(X, [0, 0]) == pytest.approx(0.0, abs=1e-12)
    assert net.loss(X, [1, 1]) == pytest.approx((2000 + 4000) / 2)
    net = mlp.MLP([1, 1], activation="relu", head="sigmoid", seed=0)
    net.weights[0][:] = 800.0
    assert net.loss(X, [0, 0]) == pytest.approx((800 + 1600) / 2)
    _, gW, _ = net.loss_and_grads(X, [1, 1])
    assert np.all(np.isfinite(gW[0]))


def test_determinism_under_seed():
    X, y = D.two_spirals(100, seed=4)
    nets = [mlp.MLP([2, 8, 8, 2], activation="elu", head="softmax", init="glorot_uniform", seed=7)
            for _ in range(2)]
    hists = [n.fit(X, y, epochs=5, batch_size=32, optimizer="adam", lr=0.01, seed=1) for n in nets]
    assert hists[0]["loss"] == hists[1]["loss"]
    for a, b in zip(nets[0].weights, nets[1].weights):
        np.testing.assert_array_equal(a, b)
    other = mlp.MLP([2, 8, 8, 2], activation="elu", head="softmax", init="glorot_uniform", seed=8)
    assert not np.array_equal(other.weights[0], nets[0].weights[0])
    other_shuffle = mlp.MLP([2, 8, 8, 2], activation="elu", head="softmax", init="glorot_uniform", seed=7)
    h = other_shuffle.fit(X, y, epochs=5, batch_size=32, optimizer="adam", lr=0.01, seed=2)
    assert h["loss"][0] == hists[0]["loss"][0] and h["loss"][-1] != hists[0]["loss"][-1]


def test_shapes_and_dtypes():
    net = mlp.MLP([3, 7, 5, 4], activation="silu", head="softmax", seed=0)
    assert [W.shape for W in net.weights] == [(3, 7), (7, 5), (5, 4)]
    assert [b.shape for b in net.biases] == [(7,), (5,), (4,)]
    X = np.ones((10, 3), dtype=np.float32)
    z, zs, acts = net.forward(X, keep=True)
    assert z.shape == (10, 4) and z.dtype == np.float64
    assert [a.shape for a in acts] == [(10, 3), (10, 7), (10, 5)]
    p = net.predict(X)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert net.gradient_norms(X, np.zeros(10, dtype=int)).shape == (3,)
    stats = net.layer_stats(X)
    assert set(stats) >= {"mean", "std", "dead_fraction"}
    assert stats["dead_fraction"].shape == (2,)
    assert mlp.MLP([2, 1], head="sigmoid").predict(np.zeros((4, 2))).shape == (4, 1)


@pytest.mark.parametrize("scheme,var", [
    ("he_normal", 2 / 400), ("he_uniform", 2 / 400), ("glorot_normal", 2 / 1200),
    ("glorot_uniform", 2 / 1200), ("lecun_normal", 1 / 400), ("lecun_uniform", 1 / 400)])
def test_initialiser_variance(scheme, var):
    W = mlp.init_weights(400, 800, scheme, np.random.default_rng(0))
    assert W.shape == (400, 800)
    assert W.var() == pytest.approx(var, rel=0.02)
    assert abs(W.mean()) < 0.01 * np.sqrt(var)
    if scheme.endswith("uniform"):
        assert np.abs(W).max() <= np.sqrt(3 * var)
    else:
        assert np.abs(W).max() > np.sqrt(3 * var)  # a normal sample exceeds the uniform limit


def test_init_aliases():
    a = mlp.MLP([4, 4], init="xavier", seed=0).weights[0]
    b = mlp.MLP([4, 4], init="glorot_uniform", seed=0).weights[0]
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("kwargs,exc,word", [
    ({"sizes": [2, 0, 1]}, ValueError, "size"),
    ({"sizes": [2, -3, 1]}, ValueError, "size"),
    ({"sizes": [2]}, ValueError, "sizes"),
    ({"sizes": [2, 2.5, 1]}, TypeError, "sizes"),
    ({"sizes": "21"}, TypeError, "sizes"),
    ({"sizes": [2, 1], "init": "orthogonal"}, ValueError, "init"),
    ({"sizes": [2, 1], "head": "tanh"}, ValueError, "head"),
    ({"sizes": [2, 1], "head": "softmax"}, ValueError, "softmax"),
    ({"sizes": [2, 1], "activation": "softmax"}, ValueError, "elementwise"),
    ({"sizes": [2, 1], "activation": "no_such_thing"}, ValueError, "no_such_thing"),
    ({"sizes": [2, 1], "activation": "elu", "params": {"alpah": 1.0}}, (ValueError, TypeError), "alpah"),
    ({"sizes": [2, 1], "seed": 1.5}, TypeError, "seed"),
])
def test_constructor_errors(kwargs, exc, word):
    with pytest.raises(exc, match=word):
        mlp.MLP(**kwargs)


def test_data_errors():
    net = mlp.MLP([2, 3, 2], head="softmax")
    X = np.zeros((4, 2))
    with pytest.raises(ValueError, match="shape"):
        net.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="shape"):
        net.forward(np.zeros(4))
    with pytest.raises(ValueError, match="rows"):
        net.loss(X, [0, 1, 0])
    with pytest.raises(ValueError, match="labels"):
        net.loss(X, [0, 1, 2, 0])
    with pytest.raises(ValueError, match="integers"):
        net.loss(X, [0, 0.5, 1, 0])
    with pytest.raises(ValueError, match="one-hot"):
        net.loss(X, np.zeros((4, 3)))
    sig = mlp.MLP([2, 1], head="sigmoid")
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        sig.loss(X, [0, 2, 0, 1])
    reg = mlp.MLP([2, 2])
    with pytest.raises(ValueError, match="outputs"):
        reg.loss(X, np.zeros(4))
    with pytest.raises(ValueError, match="accuracy"):
        reg.accuracy(X, np.zeros((4, 2)))
    with pytest.raises(ValueError, match="epochs"):
        net.fit(X, [0, 1, 0, 1], epochs=-1)
    with pytest.raises(ValueError, match="batch_size"):
        net.fit(X, [0, 1, 0, 1], batch_size=0)
    with pytest.raises(ValueError, match="optimiser"):
        net.fit(X, [0, 1, 0, 1], optimizer="rmsprop")
    with pytest.raises(ValueError, match="lr"):
        net.fit(X, [0, 1, 0, 1], optimizer="sgd", lr=-0.1)
    with pytest.raises(ValueError, match="momentum"):
        net.fit(X, [0, 1, 0, 1], optimizer="sgd", lr=0.1, momentum=1.0)
    with pytest.raises(ValueError, match="record"):
        net.fit(X, [0, 1, 0, 1], record=["weights"])
    with pytest.raises(ValueError, match="X_val"):
        net.fit(X, [0, 1, 0, 1], X_val=X)


def test_sgd_momentum_step_by_hand():
    p = [np.array([1.0, 2.0])]
    opt = mlp.SGD(lr=0.1, momentum=0.5)
    opt.step(p, [np.array([1.0, -1.0])])
    np.testing.assert_allclose(p[0], [0.9, 2.1])
    opt.step(p, [np.array([1.0, -1.0])])   # v = 0.5 * (-0.1, 0.1) - (0.1, -0.1)
    np.testing.assert_allclose(p[0], [0.9 - 0.15, 2.1 + 0.15])


def test_adam_first_step_is_lr_times_sign():
    p = [np.array([1.0, 1.0, 1.0])]
    mlp.Adam(lr=0.01).step(p, [np.array([3.0, -0.2, 1e-3])])
    np.testing.assert_allclose(p[0], [0.99, 1.01, 0.99], rtol=1e-6)


def test_training_reduces_loss_classification():
    X, y = D.two_spirals(200, seed=0)
    Xtr, Xte, ytr, yte = D.train_test_split(X, y, 0.25, seed=0)
    net = mlp.MLP([2, 32, 32, 2], activation="relu", head="softmax", seed=0)
    h = net.fit(Xtr, ytr, epochs=300, optimizer="adam", lr=0.01, X_val=Xte, y_val=yte)
    assert h["epochs_run"] == 300 and len(h["loss"]) == 301 and not h["diverged"]
    assert h["loss"][-1] < 0.5 * h["loss"][0]
    assert h["accuracy"][-1] > 0.85 and h["val_accuracy"][-1] > 0.7
    assert net.accuracy(Xtr, ytr) == h["accuracy"][-1]


def test_training_reduces_loss_regression_sgd():
    X, y = D.sine_regression(100, noise=0.05, seed=0)
    net = mlp.MLP([1, 16, 1], activation="tanh", head="identity", init="glorot_normal", seed=0)
    h = net.fit(X, y, epochs=200, batch_size=20, optimizer="sgd", lr=0.05, momentum=0.9)
    assert h["loss"][-1] < 0.1 * h["loss"][0]


def test_training_binary_head():
    X, y = D.xor_blobs(100, seed=0)
    net = mlp.MLP([2, 8, 1], activation="tanh", head="sigmoid", seed=0)
    h = net.fit(X, y, epochs=200, lr=0.05)
    assert h["accuracy"][-1] > 0.95


def test_divergence_is_reported_without_warnings():
    X, y = D.sine_regression(50, seed=0)
    net = mlp.MLP([1, 16, 16, 1], activation="identity", seed=0)
    h = net.fit(X, y, epochs=50, optimizer="sgd", lr=1.0)
    assert h["diverged"] and h["epochs_run"] < 50


def test_recording_and_callback():
    X, y = D.circles(60, seed=0)
    net = mlp.MLP([2, 6, 6, 2], activation="relu", head="softmax", seed=0)
    h = net.fit(X, y, epochs=10, lr=0.01, record=("grad_norms", "layer_stats"),
                callback=lambda net, epoch, hist: epoch == 4)
    assert h["epochs_run"] == 4 and len(h["grad_norms"]) == 5 and len(h["layer_stats"]) == 5
    assert h["grad_norms"][0].shape == (3,)
    np.testing.assert_allclose(h["grad_norms"][-1], net.gradient_norms(X, y))


def test_dead_units():
    X = np.random.default_rng(0).normal(size=(50, 2))
    net = mlp.MLP([2, 10, 10, 1], activation="relu", seed=0)
    assert net.dead_fraction(X) < 0.5
    net.biases[0][:5] = -100.0          # five units of layer 1 never fire
    stats = net.layer_stats(X)
    assert stats["dead_fraction"][0] == pytest.approx(0.5)
    net.biases[1][:] = -100.0           # all of layer 2
    assert net.layer_stats(X)["dead_fraction"][1] == 1.0
    assert net.dead_fraction(X) == pytest.approx(15 / 20)
    _, gW, _ = net.loss_and_grads(X, np.zeros(50))
    assert np.all(gW[0] == 0) and np.all(gW[1] == 0)   # nothing flows below a dead layer
    leaky = mlp.MLP([2, 10, 10, 1], activation="leaky_relu", seed=0)
    leaky.biases[1][:] = -100.0
    assert leaky.dead_fraction(X) == 0.0


def test_epochs_to_target():
    h = {"accuracy": [0.5, 0.7, 0.9, 0.95], "loss": [1.0, 0.5, 0.2, 0.1]}
    assert mlp.epochs_to_target(h, "accuracy", 0.9) == 2
    assert mlp.epochs_to_target(h, "loss", 0.3, above=False) == 2
    assert mlp.epochs_to_target(h, "accuracy", 0.99) is None
    with pytest.raises(ValueError, match="val_loss"):
        mlp.epochs_to_target(h, "val_loss", 0.1)


def test_full_batch_history_matches_explicit_evaluation():
    """Full-batch training reuses each step's forward pass for the history; every recorded value
    must equal an explicit evaluation of the weights of that epoch (done here in the callback)."""
    X, y = D.circles(80, seed=1)
    Xv, yv = X[:10], y[:10]
    seen = []

    def check(net, epoch, hist):
        seen.append(epoch)
        assert hist["loss"][-1] == net.loss(X, y)
        assert hist["accuracy"][-1] == net.accuracy(X, y)
        assert hist["val_loss"][-1] == net.loss(Xv, yv)
        np.testing.assert_array_equal(hist["grad_norms"][-1], net.gradient_norms(X, y))

    h = mlp.MLP([2, 8, 8, 2], activation="selu", head="softmax", seed=2).fit(
        X, y, epochs=6, optimizer="sgd", lr=0.3, momentum=0.5, X_val=Xv, y_val=yv,
        record=("grad_norms",), callback=check)
    assert seen == [1, 2, 3, 4, 5, 6]
    assert len(h["loss"]) == len(h["val_loss"]) == len(h["grad_norms"]) == 7


# ---- helpers of the experiments chapter -------------------------------------------------------
@pytest.mark.parametrize("head,out", [("identity", 2), ("sigmoid", 1), ("softmax", 3)])
@pytest.mark.parametrize("batch", [None, 8])
def test_a_network_trained_in_a_stack_gives_the_numbers_it_gives_alone(head, out, batch):
    """fit is fit_stacked with S = 1, and the stack computes every network with the same BLAS
    calls and reductions, so the numbers agree exactly (mini-batches, validation, records)."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(30, 3))
    if head == "identity":
        y = rng.normal(size=(30, out))
    elif head == "sigmoid":
        y = rng.integers(0, 2, size=(30, 1)).astype(float)
    else:
        y = rng.integers(0, out, size=30)
    make = lambda s: mlp.MLP([3, 6, 5, out], activation="elu", head=head, init="he_normal", seed=s)
    kw = dict(epochs=12, batch_size=batch, optimizer="adam", lr=0.01, seed=4,
              X_val=X[:7], y_val=y[:7], record=("grad_norms", "layer_stats"))
    stacked = [make(s) for s in (0, 1, 2)]
    arrays = [net.weights[0] for net in stacked]
    hists = mlp.fit_stacked(stacked, X, y, **kw)
    for s, (net, h) in enumerate(zip(stacked, hists)):
        assert net.weights[0] is arrays[s]          # trained in place, own arrays back
        ref = make(s)
        h_ref = ref.fit(X, y, **kw)
        assert set(h) == set(h_ref)
        for key in ("loss", "val_loss") + (("accuracy", "val_accuracy") if head != "identity" else ()):
            assert h[key] == h_ref[key], key
        np.testing.assert_array_equal(np.array(h["grad_norms"]), np.array(h_ref["grad_norms"]))
        for a, b in zip(h["layer_stats"], h_ref["layer_stats"]):
            for key in a:
                np.testing.assert_array_equal(a[key], b[key])
        for W, W_ref in zip(net.weights + net.biases, ref.weights + ref.biases):
            np.testing.assert_array_equal(W, W_ref)
        assert h["epochs_run"] == 12 and not h["diverged"]


def test_callback_sees_live_weights_and_divergence_ends_the_history_at_the_first_nonfinite_loss():
    X, y = D.circles(40, seed=0)
    seen = []
    nets = [mlp.MLP([2, 5, 2], activation="tanh", head="softmax", seed=s) for s in (0, 1)]
    mlp.fit_stacked(nets, X, y, epochs=3, lr=0.05,
                    callback=lambda ns, e, hs: seen.append((e, ns[1].loss(X, y), hs[1]["loss"][-1])))
    assert [e for e, _, _ in seen] == [1, 2, 3]
    for _, now, recorded in seen:                   # the net's weights are the stack's, live
        assert now == pytest.approx(recorded, rel=1e-12)
    rng = np.random.default_rng(0)
    Xr, yr = rng.normal(size=(20, 2)), rng.normal(size=(20, 1)) * 1e3
    for batch in (None, 5):
        h = mlp.MLP([2, 16, 1], activation="relu", seed=0).fit(
            Xr, yr, epochs=200, batch_size=batch, optimizer="sgd", lr=20.0)
        assert h["diverged"] and len(h["loss"]) == h["epochs_run"] + 1
        assert not np.isfinite(h["loss"][-1]) and np.all(np.isfinite(h["loss"][:-1]))


def test_fit_stacked_marks_only_the_diverging_network():
    X = np.random.default_rng(0).normal(size=(20, 2))
    y = np.random.default_rng(1).normal(size=(20, 1)) * 100
    nets = [mlp.MLP([2, 8, 1], activation="relu", seed=s) for s in (0, 1)]
    nets[1].weights[0][:] = 1e200          # overflows at once
    h = mlp.fit_stacked(nets, X, y, epochs=5, optimizer="sgd", lr=1e-4)
    assert not h[0]["diverged"] and h[0]["epochs_run"] == 5
    assert h[1]["diverged"] and h[1]["epochs_run"] < 5


def test_fit_stacked_rejects_mixed_networks():
    with pytest.raises(ValueError, match="same sizes"):
        mlp.fit_stacked([mlp.MLP([2, 3, 1]), mlp.MLP([2, 4, 1])], np.zeros((4, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="at least one"):
        mlp.fit_stacked([], np.zeros((4, 2)), np.zeros(4))
