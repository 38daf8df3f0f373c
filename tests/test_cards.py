"""Fact cards and tables are generated from the registry, for every activation."""
import html
import re

import pytest

import activations as A
from afbook import cards
from afbook.display import fmt


@pytest.mark.parametrize("name", list(A.REGISTRY))
def test_card_carries_the_registry_facts(name):
    act = A.get(name)
    card = cards.show(name)
    bundle = card._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"}
    html_text = bundle["text/html"]
    assert act.title in card.text and act.ja in html_text and act.zh in html_text
    assert html.escape(act.formula, quote=False) in html_text
    assert "math notranslate nohighlight" in html_text          # MathJax typesets it on the site
    if act.paper:
        assert f"[{act.paper}]" in html_text
    if act.minimum is not None:
        assert fmt(act.minimum[1], 6) in html_text


def test_card_is_deterministic():
    assert cards.show("gelu").html == cards.show("gelu").html


def test_card_validates_parameters():
    with pytest.raises(ValueError, match="alpha"):
        cards.show("elu", alpha=float("nan"))
    assert "(-0.5, \\infty)" in cards.show("elu", alpha=0.5).html


def test_authors_from_the_bibliography():
    assert cards.authors("clevert2016fast") == "Clevert et al. (2016)"
    assert cards.authors("hendrycks2016gaussian") == "Hendrycks & Gimpel (2016)"
    with pytest.raises(ValueError, match="no-such-key"):
        cards.authors("no-such-key")


def test_authors_reads_bibtex_with_a_maintained_parser(tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text('@string{jmlr = "JMLR"}\n'
                   '@article{vandermaaten2008visualizing,\n  author = {van der Maaten, Laurens and Hinton, '
                   'Geoffrey},\n  title = {Visualizing {Data} using t-{SNE}},\n  journal = jmlr,\n'
                   '  year = 2008\n}\n', encoding="utf-8")
    assert cards.authors("vandermaaten2008visualizing", bib) == "van der Maaten & Hinton (2008)"


def test_table_rows_and_columns():
    names = A.names(family="relu")
    t = cards.table(names, columns=("title", "monotonic", "year"))
    assert t.html.count("<tr>") == len(names) + 1
    for n in names:
        assert A.get(n).title in t.html
    rows = t.text.splitlines()
    assert rows[0] == "Name | Non-decreasing | Year"
    gelu_row = next(r for r in rows if r.startswith("GELU"))
    assert gelu_row == f"GELU | no | {A.gelu.year}"
    with pytest.raises(ValueError, match="column"):
        cards.table(names, columns=("nope",))
    with pytest.raises(ValueError, match="unknown activation"):
        cards.table(["relu", "reul"])
    assert re.search(r'class="afx-table-wrap"', t.html)


def test_table_extra_column_is_placed_and_escaped():
    t = cards.table(["relu", "elu"], columns=("title", "cost", "year"),
                    extra={"cost": ("Cost ÷ ReLU", {"relu": "1.0", "elu": "<80"})})
    assert "<th scope=\"col\">Cost ÷ ReLU</th>" in t.html
    assert t.html.index("Cost ÷ ReLU") < t.html.index("Year")
    assert "&lt;80" in t.html and "<80" not in t.html


@pytest.mark.parametrize("extra,err,match", [
    ({"cost": ("Cost", {"relu": "1"})}, ValueError, "no value for elu"),
    ({"year": ("Year", {"relu": "1", "elu": "2"})}, ValueError, "hide the registry column"),
    ({"cost": "Cost"}, TypeError, "header"),
])
def test_table_extra_column_errors(extra, err, match):
    with pytest.raises(err, match=match):
        cards.table(["relu", "elu"], columns=("title", "cost"), extra=extra)


# ---- terms used one way everywhere (issue 14; glossary.md and CONTRIBUTING.md define them) ---------
def _fact(card, key):
    line = next(ln for ln in card.text.splitlines() if ln.startswith(f"  {key}: "))
    return line.split(": ", 1)[1]


@pytest.mark.parametrize("name", list(A.REGISTRY))
def test_cards_use_the_defined_terms(name):
    card = cards.show(name)
    for old in ("Monotonic:", "Zero-centred (odd)", "C^∞", "Paper:"):
        assert old not in card.text and old not in card.html
    act = A.get(name)
    assert _fact(card, "Odd") == cards.yes_no(act.odd)
    assert _fact(card, "Zero-centred") == cards.yes_no(act.zero_centred)
    nd = _fact(card, "Non-decreasing")
    if act.kind == "vector" and act.family != "softmax":
        assert nd == "n/a (vector)"
    elif act.kind == "elementwise":
        assert nd == cards.yes_no(act.monotonic)
    if act.smoothness == "Cinf" and act.kind == "vector":
        assert "C<sup>∞</sup>" in card.html and "C∞" in card.text


def test_selu_is_zero_centred_but_not_odd():
    card = cards.show("selu")
    assert _fact(card, "Zero-centred") == "yes" and _fact(card, "Odd") == "no"
    row = next(r for r in cards.table(["selu"], columns=("title", "odd", "zero_centred")).text.splitlines()
               if r.startswith("SELU"))
    assert row == "SELU | no | yes"


def test_maxout_is_not_called_non_decreasing():
    card = cards.show("maxout")
    assert _fact(card, "Non-decreasing") == "n/a (vector)"
    assert "not as a function of the layer input" in card.text       # the registry's note explains
    row = cards.table(["maxout", "softmin"], columns=("title", "monotonic")).text.splitlines()
    assert row[1] == "Maxout | n/a (vector)" and row[2] == "Softmin | no (in x_i)"


def test_one_sided_saturation_is_called_non_saturating_on_the_card():
    assert _fact(cards.show("relu"), "Saturates") == "x → −∞ only (non-saturating as x → +∞)"
    assert _fact(cards.show("log_sigmoid"), "Saturates") == "x → +∞ only (non-saturating as x → −∞)"
    assert _fact(cards.show("sigmoid"), "Saturates") == "both sides"
    t = cards.table(["relu", "sigmoid", "identity"], columns=("title", "saturating")).text.splitlines()
    assert t[1:4] == ["ReLU | x → −∞ only", "Sigmoid (logistic) | both sides", f"{A.identity.title} | no"]


def test_threshold_range_has_its_gap_and_the_card_names_its_parameters():
    card = cards.show("threshold", threshold=1.0, value=-1.0)
    assert r"\(\{-1\} \cup (1, \infty)\)" in _fact(card, "Range")
    assert _fact(card, "Note").startswith("Facts are stated for threshold = 1, value = −1:")
    assert _fact(card, "Smoothness") == "discontinuous" and _fact(card, "Non-decreasing") == "yes"
    above = cards.show("threshold", threshold=1.0, value=2.0)        # v > θ: f drops at θ
    assert _fact(above, "Non-decreasing") == "no"
    assert _fact(cards.show("threshold", threshold=1.0, value=1.0), "Smoothness") == "continuous (C⁰)"
    # a table (no parameters chosen) keeps the formula, true for every θ and v
    assert r"\{v\} \cup (\theta, \infty)" in cards.table(["threshold"], columns=("range",)).text


def test_interval_ends_follow_range_closed():
    assert r"\((-0.5, \infty)\)" in _fact(cards.show("elu", alpha=0.5), "Range")
    hard = cards.show("hard_tanh", min_val=-2.0, max_val=0.5)
    assert r"here \([-2, 0.5]\)" in _fact(hard, "Range")
    swish_min = fmt(A.swish.minimum[1], 3).replace("−", "-")
    assert f"[{swish_min}, \\infty)" in cards.table(["swish"], columns=("range",)).text
    assert swish_min == "-0.278"
    assert r"\([0, \infty)\)" == _fact(cards.show("relu"), "Range")   # no "here" when nothing changes


def test_smoothness_is_stated_for_the_parameters_shown():
    row = cards.table(["elu", "celu", "relu"], columns=("title", "smoothness")).text.splitlines()
    assert row[1:4] == ["ELU | C¹ (α = 1 only)", "CELU | C¹", "ReLU | continuous (C⁰)"]
    assert _fact(cards.show("elu"), "Smoothness") == "C¹ (α = 1 only)"
    assert _fact(cards.show("elu", alpha=0.5), "Smoothness") == "continuous (C⁰)"
    html_table = cards.table(["sigmoid"]).html
    assert "smooth (C<sup>∞</sup>)" in html_table and "C^" not in html_table
    assert "smooth (C∞)" in cards.table(["sigmoid"]).text


def test_key_reference_column_is_defined_under_the_table():
    t = cards.table(["relu", "threshold"])
    head = t.text.splitlines()[0]
    assert head == ("Name | Family | Range | Non-decreasing | Smoothness | Odd | Zero-centred | Saturates | "
                    "Key reference")
    assert "Nair & Hinton (2010)" in t.text and "&amp;" not in t.text
    note = t.text.splitlines()[-1]
    assert note.startswith("Terms: ") and note.count("Key reference:") == 1
    assert "introduced the function as an activation in its registered form" in note
    assert 'class="afx-table-note"' in t.html
    assert "Terms" not in cards.table(["relu"], columns=("title", "family")).html
