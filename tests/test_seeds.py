"""The source articles' code and printed outputs (afbook.sources), reproduced with the library.

Article 002 prints sigmoid, ReLU and leaky ReLU (0.01) with '%.1f'. Article 001 defines the step
function with x >= 0 in its formula but x > 0 in its code. Article 000's NumPy code, restored where
the page lost characters, computes the library's functions wherever it does not overflow.
"""
from pathlib import Path

import numpy as np
import pytest
from scipy import special as sp

import activations as A
from afbook import sources

ARTICLE_002 = {"sigmoid": sources.sig_002, "relu": sources.relu_002, "leaky_relu": sources.leaky_relu_002}


@pytest.mark.parametrize("name", sources.PRINTED_002)
def test_the_stored_output_is_what_the_articles_code_prints(name):
    assert sources.reproduces(name, ARTICLE_002[name])


@pytest.mark.parametrize("name", sources.PRINTED_002)
def test_the_library_prints_article_002s_lines(name):
    act = A.get(name)
    assert sources.reproduces(name, lambda x: float(act(x)))
    assert not sources.reproduces(name, lambda x: float(act(x)) + 1.0)


@pytest.mark.parametrize("name", sources.PRINTED_002)
def test_vectorised_library_matches_the_printed_values(name):
    ex = sources.PRINTED_002[name]
    shown = [line.rsplit(" ", 1)[1] for line in ex.output.splitlines()]
    assert ["%.1f" % v for v in A.get(name)(np.array(ex.inputs))] == shown


def test_printed_examples_name_the_function():
    with pytest.raises(ValueError, match="tanh"):
        sources.printed("tanh", np.tanh)
    with pytest.raises(TypeError, match="callable"):
        sources.printed("relu", 3)


def test_leaky_relu_default_is_article_002s_slope():
    assert sources.leaky_relu_002(-1.0) == -A.leaky_relu.defaults["alpha"]


STEP_X = [-2.0, -1e-300, -0.0, 0.0, 1e-300, 3.0]


def test_article_001_step_code_convention_is_the_default():
    """The library's default is the article's code (x > 0), as torch.heaviside(x, 0)."""
    assert [float(A.step(x)) for x in STEP_X] == [sources.step_001(x) for x in STEP_X]


def test_article_001_step_formula_convention_via_at_zero():
    """at_zero=1 gives the article's formula (1 for x >= 0); at_zero only changes the value at 0."""
    x = np.array(STEP_X)
    assert A.step(x, at_zero=1.0).tolist() == [sources.step_formula_001(v) for v in STEP_X]
    np.testing.assert_array_equal(A.step(x, at_zero=0.5), [0, 0, 0.5, 0.5, 1, 1])
    np.testing.assert_array_equal(A.step.derivative(x, at_zero=1.0), np.zeros(x.size))


# article 000 (and 001) where the naive formulas do not overflow: |x| <= 20
X = np.linspace(-20.0, 20.0, 4001)
ARTICLE_000 = [
    (sources.sigmoid_000, A.sigmoid, {}),
    (sources.sigmoid_001, A.sigmoid, {}),
    (sources.hard_sigmoid_000, A.hard_sigmoid, {"slope": 0.2}),
    (sources.swish_000, A.swish, {}),
    (sources.relu_000, A.relu, {}),
    (sources.relu_001, A.relu, {}),
    (sources.elu_000, A.elu, {}),
    (sources.lrelu_000, A.leaky_relu, {}),
    (sources.selu_000, A.selu, {}),
    (sources.tanh_000, A.tanh, {}),
    (sources.gelu_000, A.gelu, {"approximate": "tanh"}),
]


@pytest.mark.parametrize("article, act, params", ARTICLE_000, ids=[a.__name__ for a, _, _ in ARTICLE_000])
def test_the_articles_code_computes_the_librarys_function(article, act, params):
    np.testing.assert_allclose(np.asarray(article(X), dtype=float), act(X, **params), rtol=1e-12, atol=1e-15)


def test_article_000_softmax_works_on_rows():
    z = np.array([[1.0, 2.0, 3.0], [-1.0, 0.0, 4.0]])
    np.testing.assert_allclose(sources.softmax_000(z), sp.softmax(z, axis=1), rtol=1e-14)
    with pytest.raises(np.exceptions.AxisError):
        sources.softmax_000(z[0])              # a single vector has no axis 1


def test_every_article_is_in_the_bibliography():
    from pybtex.database import parse_file

    bib = Path(__file__).resolve().parents[1] / "references.bib"
    entries = parse_file(str(bib), bib_format="bibtex").entries
    for number, key in sources.ARTICLES.items():
        assert f"Source article {number}" in entries[key].fields["note"], key


def test_the_restored_lines_are_the_functions_code():
    import inspect

    for name, (as_printed, restored) in sources.AS_PRINTED.items():
        assert restored in inspect.getsource(getattr(sources, name)) and as_printed != restored
