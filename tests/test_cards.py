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


def test_the_book_root_is_found_from_a_chapter_folder(tmp_path, monkeypatch):
    book = tmp_path / "book"
    (book / "chapters" / "relu").mkdir(parents=True)
    for name in ("_config.yml", "references.bib"):
        (book / name).write_text("", encoding="utf-8")
    assert cards.book_root(book / "chapters" / "relu") == book.resolve()
    monkeypatch.chdir(book / "chapters" / "relu")
    assert cards.book_root() == book.resolve()
    monkeypatch.setattr(cards, "_SOURCE_ROOT", tmp_path / "not-installed-from-a-tree")
    with pytest.raises(FileNotFoundError, match="references.bib"):
        cards.book_root(tmp_path)


def test_table_rows_and_columns():
    names = A.names(family="relu")
    t = cards.table(names, columns=("title", "monotonic", "year"))
    assert t.html.count("<tr>") == len(names) + 1
    for n in names:
        assert A.get(n).title in t.html
    rows = t.text.splitlines()
    assert rows[0] == "Name | Monotonic | Year"
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
