"""Tests of src/datasets.py: shapes, determinism, class balance, geometry, splits, errors."""
import numpy as np
import pytest

from afbook import datasets as D

pytestmark = pytest.mark.filterwarnings("error")

CLASSIFIERS = [D.two_spirals, D.circles, D.xor_blobs]


@pytest.mark.parametrize("gen", CLASSIFIERS)
def test_classification_sets(gen):
    X, y = gen(101, seed=3)
    assert X.shape == (101, 2) and X.dtype == np.float64
    assert y.shape == (101,) and np.issubdtype(y.dtype, np.integer)
    assert set(np.unique(y)) == {0, 1}
    assert abs(int(np.sum(y == 1)) - int(np.sum(y == 0))) <= 1 or gen is D.xor_blobs
    X2, y2 = gen(101, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X3, _ = gen(101, seed=4)
    assert not np.array_equal(X, X3)
    assert np.abs(X).max() < 3


def test_circles_radii_without_noise():
    X, y = D.circles(200, noise=0.0, factor=0.3, seed=0)
    r = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(r[y == 0], 1.0)
    np.testing.assert_allclose(r[y == 1], 0.3)


def test_xor_labels_follow_quadrants():
    X, y = D.xor_blobs(400, std=0.1, seed=0)
    np.testing.assert_array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(int))


def test_spirals_are_point_symmetric_without_noise():
    X, y = D.two_spirals(200, noise=0.0, seed=0)
    # class 1 is class 0 rotated by 180 degrees: same set of radii
    r0 = np.sort(np.hypot(*X[y == 0].T))
    assert r0.max() <= 1.0 and r0.min() >= 0.05
    # each class-1 point reflected through the origin lies on the class-0 spiral
    t = np.arctan2(-X[y == 1][:, 1], -X[y == 1][:, 0])
    r = np.hypot(*X[y == 1].T)
    k = (r * 1.5 * 2 * np.pi - t) / (2 * np.pi)
    np.testing.assert_allclose(k, np.round(k), atol=1e-9)


def test_sine_regression():
    X, y = D.sine_regression(500, noise=0.0, seed=1)
    assert X.shape == (500, 1) and y.shape == (500,)
    np.testing.assert_allclose(y, np.sin(X[:, 0]))
    assert X.min() >= -np.pi and X.max() <= np.pi
    _, noisy = D.sine_regression(500, noise=0.2, seed=1)
    assert 0.15 < np.std(noisy - y) < 0.25


def test_train_test_split():
    X = np.arange(40).reshape(20, 2)
    y = np.arange(20)
    Xtr, Xte, ytr, yte = D.train_test_split(X, y, test_fraction=0.25, seed=0)
    assert Xtr.shape == (15, 2) and Xte.shape == (5, 2)
    np.testing.assert_array_equal(Xtr[:, 0] // 2, ytr)
    np.testing.assert_array_equal(Xte[:, 0] // 2, yte)
    assert sorted(np.concatenate([ytr, yte]).tolist()) == list(range(20))
    again = D.train_test_split(X, y, test_fraction=0.25, seed=0)
    np.testing.assert_array_equal(again[3], yte)


def test_load_and_tasks():
    X, y = D.load("circles", n=50, seed=2)
    X2, y2 = D.circles(n=50, seed=2)
    np.testing.assert_array_equal(X, X2)
    assert set(D.TASKS) >= {"spirals", "circles", "xor", "sine"}
    with pytest.raises(ValueError, match="moons"):
        D.load("moons")


@pytest.mark.parametrize("call,exc,word", [
    (lambda: D.two_spirals(1), ValueError, "n"),
    (lambda: D.two_spirals(10.0), TypeError, "n"),
    (lambda: D.two_spirals(10, noise=-1), ValueError, "noise"),
    (lambda: D.two_spirals(10, turns=0), ValueError, "turns"),
    (lambda: D.circles(10, factor=1.5), ValueError, "factor"),
    (lambda: D.xor_blobs(10, std=float("nan")), ValueError, "std"),
    (lambda: D.xor_blobs(10, seed=None), TypeError, "seed"),
    (lambda: D.sine_regression(0), ValueError, "n"),
    (lambda: D.train_test_split(np.zeros((5, 2)), np.zeros(4)), ValueError, "rows"),
    (lambda: D.train_test_split(np.zeros((5, 2)), np.zeros(5), test_fraction=1.0), ValueError, "test_fraction"),
    (lambda: D.train_test_split(np.zeros((2, 2)), np.zeros(2), test_fraction=0.1), ValueError, "empty"),
])
def test_errors(call, exc, word):
    with pytest.raises(exc, match=word):
        call()


def test_digits_split():
    Xtr, Xva, Xte, ytr, yva, yte = D.digits_split()
    assert (Xtr.shape, Xva.shape, Xte.shape) == ((1000, 64), (400, 64), (397, 64))
    assert ytr.dtype == np.int64 and set(np.unique(ytr)) == set(range(10))
    np.testing.assert_allclose(Xtr.mean(axis=0), 0, atol=1e-12)
    sd = Xtr.std(axis=0)
    assert np.all((np.abs(sd - 1) < 1e-12) | (sd == 0))      # constant pixels only centred
    again = D.digits_split()
    assert all(np.array_equal(a, b) for a, b in zip(again, (Xtr, Xva, Xte, ytr, yva, yte)))
    other = D.digits_split(seed=1)
    assert not np.array_equal(other[3], ytr)
    small = D.digits_split(n_train=100, n_val=50)
    assert small[2].shape == (1647, 64)
    with pytest.raises(ValueError, match="n_train"):
        D.digits_split(n_train=0)
    with pytest.raises(TypeError, match="n_val"):
        D.digits_split(n_val=2.5)
    with pytest.raises(ValueError, match="n_val"):
        D.digits_split(n_val=0)
    with pytest.raises(ValueError, match="test set"):
        D.digits_split(n_train=1500, n_val=297)
    with pytest.raises(TypeError, match="seed"):
        D.digits_split(seed="a")
