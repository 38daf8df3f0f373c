import warnings

import numpy as np
import pytest

import activations as A
from afbook.pitfalls import recorded


def naive_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def test_warnings_are_returned_not_printed(recwarn):
    value, warned = recorded(naive_sigmoid, np.array([-1000.0, 0.0]))
    assert value[0] == 0.0 and value[1] == 0.5
    assert warned == ["RuntimeWarning: overflow encountered in exp"]
    assert len(recwarn) == 0


def test_clean_call_reports_nothing_and_passes_kwargs():
    value, warned = recorded(A.elu, np.array([-1000.0, 1.0]), alpha=2.0)
    assert warned == [] and value[0] == -2.0 and value[1] == 1.0


def test_distinct_and_sorted():
    def noisy():
        for msg in ("b", "a", "b"):
            warnings.warn(msg, UserWarning)
        return 1
    assert recorded(noisy) == (1, ["UserWarning: a", "UserWarning: b"])


def test_caught_exception_is_the_result_others_propagate():
    value, warned = recorded(A.softmax, np.ones(3), temperature=0.0, catch=ValueError)
    assert isinstance(value, ValueError) and "temperature" in str(value) and warned == []
    with pytest.raises(ValueError, match="temperature"):
        recorded(A.softmax, np.ones(3), temperature=0.0)


@pytest.mark.parametrize("fn,catch,match", [(1, (), "callable"), (len, "ValueError", "exception class"),
                                            (len, (ValueError, 3), "exception class")])
def test_bad_arguments(fn, catch, match):
    with pytest.raises(TypeError, match=match):
        recorded(fn, [], catch=catch)
