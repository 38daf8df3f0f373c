"""diagrams: every diagram is a deterministic PNG with alt text drawn from its inputs."""
import re

import pytest

import activations as A
from afbook import diagrams
from afbook.plotting import FigureDisplay


@pytest.mark.parametrize("make", [diagrams.neuron, diagrams.network,
                                  diagrams.computational_graph, diagrams.timeline])
def test_diagram_is_a_figure_with_alt_text_and_is_deterministic(make):
    d = make()
    assert isinstance(d, FigureDisplay)
    assert d.png.startswith(b"\x89PNG") and d.width > 300 and d.height > 200
    assert len(d.alt) > 80
    b = d._repr_mimebundle_()
    assert 'class="afx-fig"' in b["text/html"] and b["text/plain"] == d.alt
    again = make()
    assert again.png == d.png and again.alt == d.alt


def test_network_alt_counts_weights_and_biases():
    d = diagrams.network((3, 4, 2))
    assert "3-4-2" in d.alt and "20 weights and 6 biases" in d.alt
    d = diagrams.network((2, 5, 5, 1), activation="tanh")
    assert "2-5-5-1" in d.alt and "40 weights and 11 biases" in d.alt
    assert A.tanh.title in d.alt


def test_neuron_and_graph_name_the_activation():
    assert A.tanh.title in diagrams.neuron("tanh").alt
    assert A.relu.title in diagrams.computational_graph("relu").alt


def test_timeline_is_generated_from_the_registry():
    alt = diagrams.timeline().alt
    dated = [a for a in A.REGISTRY.values() if a.year]
    first = min(dated, key=lambda a: a.year)
    last = max(dated, key=lambda a: a.year)
    assert f"Timeline of {len(dated)} activation functions" in alt
    assert f"from {first.year}" in alt and f"to {last.year}" in alt
    for a in dated:
        assert f"{a.title} {a.year}" in alt
    for a in A.REGISTRY.values():
        if not a.year:
            assert a.title in alt.split("Not shown")[1]
    assert re.search(r"busiest decade is the \d{4}s", alt)


@pytest.mark.parametrize("call, exc, word", [
    (lambda: diagrams.network((3, 0, 2)), ValueError, "sizes"),
    (lambda: diagrams.network((3,)), ValueError, "sizes"),
    (lambda: diagrams.network("342"), TypeError, "sizes"),
    (lambda: diagrams.network((3, 2.5, 2)), TypeError, "sizes"),
    (lambda: diagrams.neuron(3), TypeError, "activation"),
    (lambda: diagrams.neuron("nope"), ValueError, "nope"),
    (lambda: diagrams.computational_graph(None), TypeError, "activation"),
])
def test_bad_arguments_are_named(call, exc, word):
    with pytest.raises(exc, match=word):
        call()
