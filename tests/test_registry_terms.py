"""The registry's terms for vector activations, checked on their Jacobians.

`saturating` says where the derivative goes to 0. For the softmax family it is read on the
diagonal of the Jacobian, ∂f_i/∂x_i, as x_i → ±∞ with the other inputs fixed.
"""

import numpy as np
import pytest

import activations as A

VECTOR_SOFTMAX = ["softmax", "log_softmax", "softmin"]


def _diagonal_slope(name, t):
    x = np.array([t, 0.0, 1.0])
    return float(A.get(name).jacobian(x)[0, 0])


@pytest.mark.parametrize("name", VECTOR_SOFTMAX)
def test_saturating_claim_of_the_softmax_family(name):
    claim = A.get(name).saturating
    left, right = abs(_diagonal_slope(name, -50.0)), abs(_diagonal_slope(name, 50.0))
    assert (left < 1e-12) == (claim in ("left", "both")), (name, claim, left)
    assert (right < 1e-12) == (claim in ("right", "both")), (name, claim, right)


def test_log_softmax_is_asymptotically_linear_for_a_non_maximal_class():
    # ℓ_0 ≈ x_0 − max(x) while x_0 is not the largest input: slope 1. Only when s_0 → 1 does ℓ_0
    # level off at 0, so log-softmax saturates on the right only (softmax on both sides).
    assert _diagonal_slope("log_softmax", -50.0) == pytest.approx(1.0)
    assert A.log_softmax.saturating == "right" and A.softmax.saturating == "both"


FRAMEWORK_CALLS = [(n, fw, call) for n, a in A.REGISTRY.items() for fw, call in a.frameworks.items()]


@pytest.mark.parametrize("name, fw, call", FRAMEWORK_CALLS, ids=[f"{n}-{fw}" for n, fw, _ in FRAMEWORK_CALLS])
def test_framework_calls_are_python_expressions(name, fw, call):
    import ast

    assert isinstance(call, A.FrameworkCall)
    if call.available:
        ast.parse(call.code, mode="eval")          # a SyntaxError names the broken entry
        assert str(call).startswith(call.code)
    else:
        assert str(call).startswith("(none")


def test_framework_defaults_are_data():
    assert A.leaky_relu.frameworks["pytorch"].defaults == {"negative_slope": 0.01}
    assert A.leaky_relu.frameworks["keras"].defaults == {"negative_slope": 0.2}
    assert A.leaky_relu.frameworks["keras (layer)"].defaults == {"negative_slope": 0.3}
    assert A.gelu.frameworks["jax"].defaults == {"approximate": True}
    assert A.prelu.frameworks["jax"].defaults == {} and not A.prelu.frameworks["jax"].available


# ---- jumps and kinks: where figures break their lines ---------------------------------------------
ELEMENTWISE = A.names(kind="elementwise")


def _sides(fn, t, params, h):
    return fn(np.array([t - h, t + h]), **params)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_declared_jumps_and_kinks_are_real(name):
    act = A.get(name)
    params = dict(act.example_params)
    jumps, kinks = act.breaks(**params)
    for t in jumps:
        lo, hi = _sides(act, t, params, 1e-9 * max(1.0, abs(t)))
        assert abs(hi - lo) > 1e-6, f"{name}: declared jump at {t} but f({t}±h) = {lo}, {hi}"
    for t in set(kinks) - set(jumps):
        lo, hi = _sides(act.derivative, t, params, 1e-9 * max(1.0, abs(t)))
        assert abs(hi - lo) > 1e-6, f"{name}: declared kink at {t} but f′({t}±h) = {lo}, {hi}"


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_no_undeclared_jump_or_kink(name):
    """On a fine grid of [-10, 10], f and f′ change by a large step only across a declared point."""
    act = A.get(name)
    params = dict(act.example_params)
    if name == "rrelu":
        params["training"] = False
    jumps, kinks = act.breaks(**params)
    x = np.linspace(-10, 10, 200_001)           # step 1e-4: smooth parts change by < 1e-3 per step
    for values, declared, what in ((act(x, **params), jumps, "f"), (act.derivative(x, **params), kinks, "f′")):
        big = np.flatnonzero(np.abs(np.diff(values)) > 1e-2)
        for i in big:
            assert any(x[i] <= t <= x[i + 1] for t in declared), \
                f"{name}: {what} jumps between {x[i]} and {x[i + 1]}, not declared"


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_smoothness_agrees_with_breaks(name):
    act = A.get(name)
    jumps, kinks = act.breaks(**act.example_params)
    assert (act.smoothness == "discontinuous") == bool(jumps), name
    if act.smoothness in ("C1", "Cinf"):
        assert not kinks, name
    if act.smoothness == "C0":
        assert kinks, name


def test_breaks_follow_the_parameters():
    assert A.threshold.breaks(threshold=1.0, value=-1.0) == ((1.0,), (1.0,))
    assert A.threshold.breaks(threshold=1.0, value=1.0) == ((), (1.0,))
    assert A.elu.breaks(alpha=0.5) == ((), (0.0,)) and A.elu.breaks() == ((), ())
    assert A.hard_sigmoid.breaks(slope=0.2) == ((), (-2.5, 2.5))
    with pytest.raises(ValueError, match="slope"):
        A.hard_sigmoid.breaks(slope=-1.0)


@pytest.mark.parametrize("beta", [0.5, 1.0, 2.0, 4.0])
def test_swish_range_follows_beta(beta):
    """The minimum moves with β (x*/β, f*/β): range_for must not report the β = 1 minimum."""
    lo, hi = A.swish.range_for(beta=beta)
    grid = np.linspace(-60, 10, 2_000_001)
    assert lo == pytest.approx(float(A.swish(grid, beta=beta).min()), rel=1e-9)
    assert lo == pytest.approx(A.swish.minimum[1] / beta, rel=1e-12) and hi == np.inf
