"""layers: the E資格-format layers against the library, and the layer checker's verdicts."""
import numpy as np
import pytest

import activations as A
from afbook import layers as L

GRID = np.linspace(-30.0, 30.0, 1201)


# ---- the library layers -------------------------------------------------------------
@pytest.mark.parametrize("cls, act, kw", [
    (L.Sigmoid, A.sigmoid, {}), (L.Tanh, A.tanh, {}), (L.Relu, A.relu, {}),
    (L.LeakyRelu, A.leaky_relu, {"alpha": 0.2}),
])
def test_activation_layers_match_the_library(cls, act, kw):
    layer = cls(**kw)
    x = np.union1d(GRID, [0.0])
    dout = np.cos(x)
    out = layer.forward(x)
    assert np.array_equal(out, act(x, **kw))
    dx = layer.backward(dout)
    assert np.max(np.abs(dx - dout * act.derivative(x, **kw))) < 1e-15


@pytest.mark.parametrize("cls", [L.Sigmoid, L.Tanh, L.Relu, L.LeakyRelu])
def test_activation_layers_keep_float32_and_shape(cls):
    x = np.linspace(-3, 3, 12, dtype=np.float32).reshape(3, 4)
    layer = cls()
    out = layer.forward(x)
    dx = layer.backward(np.ones_like(x))
    assert out.dtype == dx.dtype == np.float32 and dx.shape == x.shape


def test_relu_and_leaky_follow_pytorch_at_zero():
    x = np.array([-0.0, 0.0])
    r, lk = L.Relu(), L.LeakyRelu(alpha=0.1)
    r.forward(x)
    lk.forward(x)
    assert np.array_equal(r.backward(np.ones(2)), [0.0, 0.0])
    assert np.array_equal(lk.backward(np.ones(2)), [0.1, 0.1])


def _fd(f, x, h=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        g[i] = (f(xp) - f(xm)) / (2 * h)
    return g


def test_softmax_with_loss_gradient_is_p_minus_y_over_n():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 3))
    labels = np.array([0, 2, 1, 2])
    layer = L.SoftmaxWithLoss()
    loss = layer.forward(x, labels)
    assert loss == pytest.approx(-np.mean(A.log_softmax(x)[np.arange(4), labels]))
    dx = layer.backward()
    assert np.allclose(dx, (A.softmax(x) - np.eye(3)[labels]) / 4, rtol=0, atol=1e-16)
    num = _fd(lambda z: L.SoftmaxWithLoss().forward(z, labels), x)
    assert np.max(np.abs(dx - num)) < 1e-8
    onehot = L.SoftmaxWithLoss()
    assert onehot.forward(x, np.eye(3)[labels]) == loss
    assert np.array_equal(onehot.backward(1.0), dx)
    assert np.allclose(layer.backward(2.5), 2.5 * dx)


def test_softmax_with_loss_large_logits_one_sample_and_float32():
    layer = L.SoftmaxWithLoss()
    loss = layer.forward(np.array([[1000.0, 1001.0, 1002.0]]), np.array([2]))
    assert np.isfinite(loss) and np.all(np.isfinite(layer.backward()))
    one = L.SoftmaxWithLoss()
    v = one.forward(np.array([1.0, 2.0, 0.5]), 1)
    assert v == pytest.approx(-A.log_softmax(np.array([1.0, 2.0, 0.5]))[1])
    assert one.backward().shape == (3,)
    f32 = L.SoftmaxWithLoss()
    loss32 = f32.forward(np.ones((2, 3), np.float32), np.array([0, 1]))
    assert loss32.dtype == np.float32 and f32.backward(np.float64(1.0)).dtype == np.float32


def test_sigmoid_with_loss_gradient():
    x = np.array([-2.0, -0.5, 0.3, 1.7, 800.0])
    t = np.array([0.0, 1.0, 1.0, 0.0, 0.0])
    layer = L.SigmoidWithLoss()
    loss = layer.forward(x, t)
    assert np.isfinite(loss) and loss > 800 / 5
    assert np.allclose(layer.backward(), (A.sigmoid(x) - t) / 5, rtol=0, atol=1e-16)
    xs = x[:4]
    num = _fd(lambda z: L.SigmoidWithLoss().forward(z, t[:4]), xs)
    small = L.SigmoidWithLoss()
    small.forward(xs, t[:4])
    assert np.max(np.abs(small.backward() - num)) < 1e-8


def test_affine_gradients_match_finite_differences():
    rng = np.random.default_rng(1)
    W, b = rng.normal(size=(3, 2)), rng.normal(size=2)
    x, dout = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    layer = L.Affine(W, b)
    assert np.allclose(layer.forward(x), x @ W + b)
    dx = layer.backward(dout)
    assert np.max(np.abs(dx - _fd(lambda z: np.sum(dout * (z @ W + b)), x))) < 1e-8
    assert np.max(np.abs(layer.dW - _fd(lambda w: np.sum(dout * (x @ w + b)), W))) < 1e-8
    assert np.allclose(layer.db, dout.sum(axis=0))


@pytest.mark.parametrize("call, exc, word", [
    (lambda: L.Sigmoid().backward(np.ones(3)), RuntimeError, "call forward"),
    (lambda: L.Relu().backward(np.ones(3)), RuntimeError, "self.mask"),
    (lambda: L.SoftmaxWithLoss().backward(), RuntimeError, "call forward"),
    (lambda: L.Affine(np.ones((2, 2)), np.ones(2)).backward(np.ones((1, 2))),
     RuntimeError, "call forward"),
    (lambda: L.Sigmoid().forward("abc"), TypeError, "x"),
    (lambda: L.Tanh().forward(None), TypeError, "x"),
    (lambda: L.Tanh().forward(np.array([1 + 2j])), TypeError, "x"),
    (lambda: L.LeakyRelu(alpha="big"), TypeError, "alpha"),
    (lambda: L.LeakyRelu(alpha=float("nan")), ValueError, "alpha"),
    (lambda: L.Affine(np.ones(3), np.ones(3)), ValueError, "W"),
    (lambda: L.Affine(np.ones((3, 2)), np.ones(3)), ValueError, "b"),
    (lambda: L.Affine(np.ones((3, 2)), np.ones(2)).forward(np.ones((4, 2))), ValueError, "x"),
    (lambda: L.SoftmaxWithLoss().forward(np.ones((2, 3)), np.array([0, 3])), ValueError, "t"),
    (lambda: L.SoftmaxWithLoss().forward(np.ones((2, 3)), np.ones((2, 2))), ValueError, "t"),
    (lambda: L.SoftmaxWithLoss().forward(np.ones((2, 3)), "a"), TypeError, "t"),
    (lambda: L.SigmoidWithLoss().forward(np.ones(3), np.array([0.0, 2.0, 1.0])),
     ValueError, "t"),
])
def test_bad_input_is_named(call, exc, word):
    with pytest.raises(exc, match=word):
        call()


def test_dout_shape_is_checked():
    layer = L.Sigmoid()
    layer.forward(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"dout must have the shape .*\(2, 3\)"):
        layer.backward(np.ones(3))
    loss = L.SoftmaxWithLoss()
    loss.forward(np.ones((2, 3)), np.array([0, 1]))
    with pytest.raises(ValueError, match="dout must be a number"):
        loss.backward(np.ones(2))


# ---- the checker ----------------------------------------------------------------------
@pytest.mark.parametrize("name", list(L.LAYERS))
def test_library_layers_pass_their_own_checker(name):
    report = L.check_layer(L.LAYERS[name], like=name)
    assert report, report.text
    assert report.text.endswith(f"✔ all {report.n} checks passed") and report.n >= 4
    assert report.html.count('class="afx-check-pass"') == report.n


def _hint(report):
    assert not report, report.text
    return " ".join(h for _, _, hs in report.failures for h in hs)


class SigmoidUsesX:
    def forward(self, x):
        self.x = x
        self.out = A.sigmoid(x)
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.x) * self.x


class ReluMaskLessThan:                 # ゼロから作る style, but the mask is (x < 0)
    def forward(self, x):
        self.mask = x < 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0
        return dout


class ReluFloatMask:
    def forward(self, x):
        self.mask = (x > 0).astype(float)      # float64 even for float32 x
        return A.relu(x)

    def backward(self, dout):
        return dout * self.mask


class SoftmaxNoBatch:
    def forward(self, x, t):
        self.y = A.softmax(x)
        self.t = t if np.shape(t) == np.shape(x) else np.eye(x.shape[-1])[t]
        n = x.shape[0] if x.ndim == 2 else 1
        return -np.sum(self.t * A.log_softmax(x)) / n

    def backward(self, dout=1):
        return self.y - self.t


class TanhNoDout:
    def forward(self, x):
        self.out = A.tanh(x)
        return self.out

    def backward(self, dout):
        return 1.0 - self.out ** 2


class LeakyAtZeroOne:
    def __init__(self, alpha=0.01):
        self.alpha = alpha

    def forward(self, x):
        self.x = x
        return A.leaky_relu(x, alpha=self.alpha)

    def backward(self, dout):
        return dout * np.where(self.x >= 0, 1, self.alpha).astype(self.x.dtype)


def test_sigmoid_using_x_instead_of_out_fails_with_its_hint():
    report = L.check_layer(SigmoidUsesX, like="sigmoid")
    assert "backward used the input x" in _hint(report)
    assert len(report.failures) == report.n        # wrong everywhere


def test_relu_mask_at_zero_fails_only_at_the_kink_with_the_pytorch_hint():
    report = L.check_layer(ReluMaskLessThan, like="relu")
    assert [c for c, _, _ in report.failures] == [
        "x = 0 and ±1e-8: the kink, where the book follows PyTorch"]
    assert "relu′(0) = 0" in _hint(report)
    assert any("changes dout in place" in n for n in report.notes)


def test_float64_upcast_fails_with_the_dtype_hint():
    report = L.check_layer(ReluFloatMask, like="relu")
    assert [c for c, _, _ in report.failures] == [
        "float32 batch of shape (2, 3): dx must stay float32"]
    assert "float32 in must give float32 out" in _hint(report)
    assert "float32 input gave float64 output" in report.failures[0][1]


def test_softmax_without_batch_division_fails_with_its_hint():
    report = L.check_layer(SoftmaxNoBatch, like="softmax_with_loss")
    assert "divide by the batch size" in _hint(report)
    passed = [c for c, m, _ in report.results if not m]
    assert passed == ["one sample: a vector of 3 logits"]      # N = 1 hides the bug


def test_forgetting_dout_and_leaky_convention_are_named():
    assert "multiplies the local derivative by the upstream" in _hint(
        L.check_layer(TanhNoDout, like="tanh"))
    report = L.check_layer(LeakyAtZeroOne, like="leaky_relu", alpha=0.1)
    assert "α = 0.1" in report.title and "leaky_relu′(0) = α" in _hint(report)


def test_exceptions_none_and_warnings_are_failures_not_crashes():
    class Broken:
        def forward(self, x):
            return 1 / (1 + np.exp(-x))

        def backward(self, dout):
            return dout * self.out

    report = L.check_layer(Broken, like="sigmoid")
    text = report.text
    assert "backward raised AttributeError" in text and "overflow" in text

    class NoReturn:
        def forward(self, x):
            self.out = A.sigmoid(x)
            return self.out

        def backward(self, dout):
            dout * (1 - self.out) * self.out

    assert "backward returned None" in L.check_layer(NoReturn, like="sigmoid").text


def test_finite_differences_catch_a_backward_consistent_with_nothing():
    class Wobbly(L.Sigmoid):                     # forward right, backward slightly off
        def backward(self, dout):
            return super().backward(dout) * 1.001

    report = L.check_layer(Wobbly, like="sigmoid")
    assert not report and "expected" in report.failures[0][1]


def test_like_is_read_from_the_class_name_and_checked():
    class MySigmoid(L.Sigmoid):
        pass

    assert "against afbook.layers.Sigmoid" in L.check_layer(MySigmoid).title
    assert L.check_layer(L.Sigmoid())                       # an instance works too
    with pytest.raises(ValueError, match="like="):
        L.check_layer(SigmoidUsesX)
    with pytest.raises(ValueError, match="like must be one of"):
        L.check_layer(L.Sigmoid, like="sigmod")
    with pytest.raises(TypeError, match="no parameters"):
        L.check_layer(L.Sigmoid, like="sigmoid", alpha=0.1)
    with pytest.raises(ValueError, match="alpha"):
        L.check_layer(L.LeakyRelu, like="leaky_relu", alpha=float("inf"))
    with pytest.raises(TypeError, match="layer must be"):
        L.check_layer(3, like="relu")


def test_report_is_deterministic_and_escaped():
    a = L.check_layer(SigmoidUsesX, like="sigmoid")
    b = L.check_layer(SigmoidUsesX, like="sigmoid")
    assert a.text == b.text and a.html == b.html
    bundle = a._repr_mimebundle_()
    assert bundle["text/plain"] == a.text and "<ul" in bundle["text/html"]
    assert "✘" in a.html and "&lt;" not in a.text


def test_a_loss_returned_as_a_python_float_is_fine():
    class FloatLoss(L.SoftmaxWithLoss):
        def forward(self, x, t):
            return float(super().forward(x, t))

    assert L.check_layer(FloatLoss, like="softmax_with_loss")
