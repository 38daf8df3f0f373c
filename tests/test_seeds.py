"""The printed examples of the source articles (shared/seeds), reproduced with the library.

Seed 002 prints sigmoid, ReLU and leaky ReLU (0.01) with '%.1f'; the strings below are its printed output.
Seed 001 defines the step function with x >= 0 in its formula but x > 0 in its code.
"""
import numpy as np
import pytest

import activations as A

INPUTS_SIGMOID = [1.0, -10.0, 0.0, 15.0, -2.0]
INPUTS_RELU = [1.0, -10.0, 0.0, 15.0, -20.0]

SEED_002 = [
    # (label printed by the seed, library call, inputs, printed output of the seed)
    ("Sigmoid Activation", lambda x: A.sigmoid(x), INPUTS_SIGMOID,
     ["0.7", "0.0", "0.5", "1.0", "0.1"]),
    ("Relu", lambda x: A.relu(x), INPUTS_RELU,
     ["1.0", "0.0", "0.0", "15.0", "0.0"]),
    ("Leaky Relu", lambda x: A.leaky_relu(x, alpha=0.01), INPUTS_RELU,
     ["1.0", "-0.1", "0.0", "15.0", "-0.2"]),
]


@pytest.mark.parametrize("label,call,inputs,printed", SEED_002, ids=[s[0] for s in SEED_002])
def test_seed_002_printed_lines(label, call, inputs, printed):
    for x, out in zip(inputs, printed):
        line = "Applying %s on (%.1f) gives %.1f" % (label, x, call(x))
        assert line == "Applying %s on (%.1f) gives %s" % (label, x, out)


@pytest.mark.parametrize("label,call,inputs,printed", SEED_002, ids=[s[0] for s in SEED_002])
def test_seed_002_vectorised_matches_scalar(label, call, inputs, printed):
    y = call(np.array(inputs))
    assert ["%.1f" % v for v in y] == printed


def test_leaky_relu_default_is_the_seeds_001():
    assert A.leaky_relu.defaults["alpha"] == 0.01
    assert ["%.1f" % v for v in A.leaky_relu(np.array(INPUTS_RELU))] == SEED_002[2][3]


def test_seed_001_step_code_convention_is_the_default():
    """The library's documented default is the seed's code (x > 0) and torch.heaviside(x, 0)."""
    assert A.step.defaults["at_zero"] == 0.0
    assert A.step(0.0) == 0.0 and A.step(-0.0) == 0.0
    np.testing.assert_array_equal(A.step(np.array([-2.0, -1e-300, 0.0, 1e-300, 3.0])), [0, 0, 0, 1, 1])


def test_seed_001_step_formula_convention_via_at_zero():
    """at_zero=1 gives the seed's formula (1 for x >= 0); at_zero only changes the value at 0."""
    x = np.array([-2.0, -1e-300, -0.0, 0.0, 1e-300, 3.0])
    np.testing.assert_array_equal(A.step(x, at_zero=1.0), [0, 0, 1, 1, 1, 1])
    np.testing.assert_array_equal(A.step(x, at_zero=0.5), [0, 0, 0.5, 0.5, 1, 1])
    np.testing.assert_array_equal(A.step.derivative(x, at_zero=1.0), np.zeros(6))


def test_seed_001_relu_code_matches_library():
    x = np.array([-3.0, -0.0, 0.0, 2.5])
    np.testing.assert_array_equal(A.relu(x), np.maximum(0, x))
