"""afbook.meanfield: the quadrature, the variance map, χ₁ and fixed points against closed forms."""
import math

import numpy as np
import pytest

import activations as A
from afbook import book
from afbook import meanfield as M


@pytest.mark.parametrize("q", [1e-6, 0.3, 1.0, 7.0, 400.0])
def test_quadrature_is_exact_for_polynomials_and_kinks(q):
    assert M.expect(lambda z: np.ones_like(z), q) == pytest.approx(1.0, abs=1e-13)
    assert M.expect(lambda z: z ** 2, q) == pytest.approx(q, rel=1e-13)
    assert M.expect(lambda z: z ** 4, q) == pytest.approx(3 * q * q, rel=1e-12)
    # E|√q Z| = √(2q/π): a kink at 0
    assert M.expect(np.abs, q) == pytest.approx(math.sqrt(2 * q / math.pi), rel=1e-13)


@pytest.mark.parametrize("name", ["selu", "elu", "gelu", "silu", "tanh", "sigmoid", "softplus"])
@pytest.mark.parametrize("q", [0.25, 1.0, 9.0])
def test_quadrature_agrees_with_adaptive_quadrature(name, q):
    f = A.get(name)
    mean, var = book.gaussian_moments(lambda z: float(f(z)), q)
    assert M.expect(lambda z: f(z), q) == pytest.approx(mean, abs=1e-12)
    assert M.expect(lambda z: f(z) ** 2, q) == pytest.approx(var + mean * mean, abs=1e-12)


@pytest.mark.parametrize("sw2", [0.5, 1.0, 2.0, 3.0])
def test_relu_closed_forms(sw2):
    # E[relu(√q Z)²] = q/2 and E[relu'(√q Z)²] = 1/2, so V(q) = σ_w² q/2 and χ₁ = σ_w²/2
    for q in (0.1, 1.0, 50.0):
        assert M.variance_map("relu", q, sw2) == pytest.approx(sw2 * q / 2, rel=1e-13)
        assert M.chi1("relu", q, sw2) == pytest.approx(sw2 / 2, rel=1e-13)


def test_identity_and_he_relu_are_neutral():
    assert M.variance_map("identity", 3.0, 1.0) == pytest.approx(3.0, rel=1e-13)
    assert M.chi1("identity", 3.0, 1.0) == pytest.approx(1.0, rel=1e-13)
    assert M.fixed_point("identity", 1.0)[1] == "neutral"
    assert M.fixed_point("relu", 2.0)[1] == "neutral"
    assert M.fixed_point("relu", 1.0) == (0.0, "zero")
    assert M.fixed_point("relu", 3.0) == (math.inf, "infinite")


def test_tanh_is_critical_at_sigma_w2_one():
    # f'(0) = 1: χ₁ → σ_w² as q → 0; below 1 the signal dies, above it settles at q* > 0
    assert M.chi1("tanh", 1e-10, 1.0) == pytest.approx(1.0, abs=1e-9)
    assert M.fixed_point("tanh", 0.9) == (0.0, "zero")
    assert M.fixed_point("tanh", 1.0) == (0.0, "zero")
    q, kind = M.fixed_point("tanh", 1.5)
    assert kind == "finite" and q > 0
    assert M.variance_map("tanh", q, 1.5) == pytest.approx(q, rel=1e-10)
    # critical decay q_l ≈ 1/(2l) (the map is q - 2q² + O(q³))
    qs = M.iterate("tanh", 1.0, 400, 1.0)
    assert qs[-1] * 2 * 400 == pytest.approx(1.0, rel=0.05)


def test_selu_fixed_point_is_one():
    q, kind = M.fixed_point("selu", 1.0, q0=3.0)
    assert kind == "finite" and q == pytest.approx(1.0, rel=1e-9)
    # χ₁ = λ²(1/2 + α² E[e^{2Z}; Z < 0]) with E[e^{2Z}; Z < 0] = e² Φ(−2)
    from scipy.special import ndtr
    lam, alpha = A.SELU_LAMBDA, A.SELU_ALPHA
    exact = lam ** 2 * (0.5 + alpha ** 2 * math.exp(2) * ndtr(-2.0))
    assert M.chi1("selu", 1.0, 1.0) == pytest.approx(exact, rel=1e-12)


def test_pair_summary_gain_is_sqrt_chi_power_at_a_fixed_point():
    p = M.pair_summary("selu", "lecun_normal", depth=64)
    assert p["gain"] == pytest.approx(math.sqrt(p["chi1_deep"] ** 63), rel=1e-9)
    assert M.depth_scale(math.e) == pytest.approx(1.0)
    assert M.depth_scale(1.0) == math.inf


def test_bad_input_names_the_parameter():
    with pytest.raises(ValueError, match="q"):
        M.expect(np.abs, -1.0)
    with pytest.raises(ValueError, match="sigma_w2"):
        M.chi1("relu", 1.0, 0.0)
    with pytest.raises(TypeError, match="activation"):
        M.chi1(np.tanh, 1.0)
    with pytest.raises(ValueError, match="depth"):
        M.iterate("relu", 1.0, 0)
    with pytest.raises(ValueError, match="init"):
        M.pair_summary("relu", "orthogonal")
    with pytest.raises(ValueError, match="chi"):
        M.depth_scale(0.0)
