"""afbook.book, afbook.display, afbook.glossary and afbook.paths: the notebooks' helpers."""

import math

import numpy as np
import pytest

import activations as A
from afbook import book, display, glossary, paths


# ---- text and glue ----------------------------------------------------------------------------
@pytest.mark.parametrize("value, spec, want", [
    (0.123456, ".1%", "12.3%"), (np.float64(2.5), ".2f", "2.50"), (np.float32(0.1), ".3g", "0.1"),
    (np.int64(12345), ",", "12,345"), (7, None, "7"), (True, None, "True"), ("as is", None, "as is"),
    (-1.5e-7, ".1e", "-1.5e-07"),
])
def test_text_formats_what_the_reader_sees(value, spec, want):
    assert book.text(value, spec) == want


@pytest.mark.parametrize("value, spec, exc", [
    ([1.0], ".2f", TypeError), ("x", ".2f", TypeError), (1.0, 2, TypeError), (1.0, ".2q", ValueError),
])
def test_text_rejects_bad_input(value, spec, exc):
    with pytest.raises(exc, match="text"):
        book.text(value, spec)


def test_shown_prints_without_quotes():
    assert repr(book.Shown("0.25")) == "0.25" and book.Shown("a") == "a"


def test_glue_stores_the_formatted_string(monkeypatch):
    stored = {}
    import myst_nb

    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display: stored.update({name: (value, display)}))
    assert book.glue("ratio", np.float64(0.98765), ".1%") is None      # a cell may end with it
    value, shown = stored["ratio"]
    assert repr(value) == "98.8%" and shown is False


@pytest.mark.parametrize("name", ["", "two words", 3, "1x"])
def test_glue_rejects_bad_names(name):
    with pytest.raises(ValueError, match="name"):
        book.glue(name, 1.0, ".1f")


# ---- below --------------------------------------------------------------------------------------
def test_below_hides_rounding_digits_and_checks_the_bound():
    assert book.below(1.66e-16, 1e-15) == "< 1e-15 (rounding)"
    assert book.below(-3e-17, 1e-15, what="") == "< 1e-15"
    with pytest.raises(AssertionError, match="not below"):
        book.below(2e-15, 1e-15)
    with pytest.raises(AssertionError):
        book.below(float("nan"), 1e-15)
    with pytest.raises(ValueError, match="bound"):
        book.below(0.0, -1.0)


# ---- best_time, gaussian_moments, setup ---------------------------------------------------------
def test_best_time_is_positive_and_validates():
    t = book.best_time(np.sum, np.ones(100), repeat=2)
    assert 0 < t < 1
    for bad, exc in ((dict(repeat=0), ValueError), (dict(repeat=True), TypeError),
                     (dict(number=0), ValueError), (dict(number=2.0), TypeError)):
        with pytest.raises(exc, match=next(iter(bad))):
            book.best_time(np.sum, np.ones(3), **bad)


def test_gaussian_moments_match_known_values():
    m, v = book.gaussian_moments(lambda z: max(z, 0.0))          # ReLU of N(0, 1)
    assert m == pytest.approx(1 / math.sqrt(2 * math.pi), rel=1e-12)
    assert v == pytest.approx(0.5 - 1 / (2 * math.pi), rel=1e-12)
    m, v = book.gaussian_moments(lambda z: float(A.selu(z)))     # SELU's fixed point
    assert abs(m) < 1e-12 and v == pytest.approx(1.0, abs=1e-12)
    m, v = book.gaussian_moments(lambda z: z, q=4.0)
    assert abs(m) < 1e-12 and v == pytest.approx(4.0, rel=1e-12)
    with pytest.raises(ValueError, match="q"):
        book.gaussian_moments(abs, q=0)


def test_setup_limits_blas_threads_without_environment_variables(monkeypatch):
    from threadpoolctl import threadpool_info

    import os
    before = {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    book.setup(threads=1)
    assert all(p["num_threads"] == 1 for p in threadpool_info())
    assert {k: os.environ.get(k) for k in before} == before
    for bad, exc in ((0, ValueError), (1.5, TypeError), (True, TypeError)):
        with pytest.raises(exc, match="threads"):
            book.setup(threads=bad)


# ---- key points -----------------------------------------------------------------------------------
def test_key_points_take_japanese_from_the_glossary_and_registry():
    k = book.key_points("Deep {act:sigmoid} nets: {term:vanishing gradient}.")
    want_ja = glossary.term("vanishing gradient").ja
    assert want_ja in k.text and A.sigmoid.ja in k.text and A.sigmoid.title in k.text
    assert f'<span lang="ja">{want_ja}</span>' in k.html
    assert "{" not in k.text


@pytest.mark.parametrize("points, exc", [((), ValueError), (("",), TypeError), ((3,),  TypeError),
                                         (("{term:no such term}",), ValueError),
                                         (("{act:nonexistent}",), ValueError), (("{other:x}",), ValueError)])
def test_key_points_reject_bad_input(points, exc):
    with pytest.raises(exc):
        book.key_points(*points)


# ---- display ------------------------------------------------------------------------------------
def test_html_display_has_both_views():
    d = display.HTMLDisplay("<b>x</b>", "x")
    assert d._repr_mimebundle_() == {"text/html": "<b>x</b>", "text/plain": "x"} and repr(d) == "x"


def test_fmt():
    assert display.fmt(-0.0000123456) == "−1.23×10^−5" and display.fmt(-0.000123456) == "−0.000123"
    assert [display.fmt(v) for v in (2.0, 0, float("inf"), -float("inf"), float("nan"), np.True_)] == \
        ["2", "0", "∞", "−∞", "nan", "True"]
    assert display.fmt("label") == "label"


def test_make_id_is_deterministic_after_reset():
    display.reset_ids()
    a = display.make_id("quiz", "Sigmoid chapter")
    display.reset_ids()
    assert display.make_id("quiz", "Sigmoid chapter") == a
    assert a.startswith("afx-quiz-sigmoid-chapter-") and a.endswith("-1")
    assert display.make_id("quiz", "Sigmoid chapter") != a
    with pytest.raises(ValueError, match="kind"):
        display.make_id("Bad Kind")


# ---- glossary and paths ---------------------------------------------------------------------------
def test_every_glossary_entry_has_japanese_and_chinese():
    entries = set(glossary.terms().values())
    assert entries and all(t.ja and t.zh and t.definition for t in entries)


def test_glossary_reports_unknown_terms_with_a_hint():
    with pytest.raises(ValueError, match="did you mean 'vanishing gradient'"):
        glossary.term("vanishng gradient")
    with pytest.raises(TypeError):
        glossary.term(3)


def test_book_root_is_found_from_a_chapter_folder(tmp_path):
    root = paths.book_root()
    assert (root / "_config.yml").is_file()
    assert paths.book_root(root / "chapters" / "sigmoid") == root
    assert paths.book_file("references.bib").is_file()
    with pytest.raises(FileNotFoundError, match="no-such-file"):
        paths.book_file("no-such-file.txt")


def test_inline_script_binds_the_root_id_and_rejects_bad_names():
    js = display.inline_script("quiz.js", "afx-quiz-x-1")
    assert '"afx-quiz-x-1"' in js and "AFX_ROOT_ID" not in js and not js.startswith("/*")
    for bad in ("../quiz.js", "quiz", "Quiz.JS"):
        with pytest.raises(ValueError, match="inline_script"):
            display.inline_script(bad, "x")


def test_scroll_region_is_a_labelled_focusable_region():
    html = display.scroll_region("<table></table>", 'Facts about "ELU"')
    assert 'role="region"' in html and 'tabindex="0"' in html and 'aria-label="Facts about &quot;ELU&quot;"' in html
    with pytest.raises(ValueError, match="label"):
        display.scroll_region("<table></table>", " ")


def test_book_root_walks_up_then_falls_back_to_the_source_tree(tmp_path, monkeypatch):
    book = tmp_path / "book"
    (book / "chapters" / "relu").mkdir(parents=True)
    (book / "_config.yml").write_text("", encoding="utf-8")
    assert paths.book_root(book / "chapters" / "relu") == book.resolve()
    monkeypatch.chdir(book / "chapters" / "relu")
    assert paths.book_root() == book.resolve()
    with pytest.raises(FileNotFoundError, match="references.bib"):
        paths.book_file("references.bib")
    monkeypatch.setattr(paths, "SOURCE_TREE", tmp_path / "not-installed-from-a-tree")
    with pytest.raises(FileNotFoundError, match="_config.yml"):
        paths.book_root(tmp_path)
