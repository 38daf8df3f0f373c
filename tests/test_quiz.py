"""quiz: schema validation with clear errors, keys checked against the library, rendering of each type."""
import copy
import json
import re
import subprocess
import sys

import pytest

import activations as A
from afbook import display
from afbook import quiz

GOOD = {"title": "Test quiz", "questions": [
    {"id": "sigmoid-slope-at-0", "type": "numeric", "skill": "recall", "question": "What is $\\sigma'(0)$?",
     "answer": {"expr": "A.sigmoid.derivative(0.0)"}, "tolerance": 0.001,
     "explanation": "$\\sigma'(x) = \\sigma(x)(1-\\sigma(x))$ is $1/4$ at 0."},
    {"id": "bounded-ones", "type": "multiple", "skill": "recall", "question": "Which of these are **bounded**?",
     "choices": [
         {"text": "tanh", "correct": True, "check": "A.tanh.bounded", "feedback": "Range $(-1, 1)$."},
         {"text": "ReLU", "correct": False, "check": "A.relu.bounded", "feedback": "Unbounded above."},
         {"text": "sigmoid", "correct": True, "check": "A.sigmoid.bounded"}],
     "explanation": "Both ends finite."},
    {"id": "relu-kink", "type": "single", "skill": "recall", "question": "ReLU′(0) in PyTorch?",
     "choices": [{"text": "0", "correct": True, "check": "A.relu.derivative(0.0) == 0"},
                 {"text": "1", "correct": False, "check": "A.relu.derivative(0.0) == 1"},
                 {"text": "nan", "correct": False}],
     "hint": "Look at the convention."},
]}




def question_html(html, qid):
    m = re.search(rf'<div class="afx-question" data-qid="{qid}".*?</details></div>', html, re.S)
    assert m, qid
    return m.group(0)


@pytest.fixture
def rendered():
    return quiz.render(copy.deepcopy(GOOD), source="quiz.json")


def test_bundle_and_root(rendered):
    b = rendered._repr_mimebundle_()
    assert set(b) == {"text/html", "text/plain"}
    assert b["text/html"].startswith('<div class="afx-quiz" id="afx-quiz-quiz-')
    assert "1. What is $\\sigma'(0)$?" in b["text/plain"] and "[ ] tanh" in b["text/plain"] and "( ) 0" in b["text/plain"]
    assert b["text/html"].count('class="afx-question"') == 3


def test_numeric_question(rendered, html_tags):
    h = question_html(rendered.html, "sigmoid-slope-at-0")
    t = html_tags(h)
    inputs = [a for tag, a in t if tag == "input"]
    assert len(inputs) == 1 and inputs[0]["type"] == "text" and inputs[0]["class"] == "afx-input"
    assert any(tag == "label" and a["for"] == inputs[0]["id"] for tag, a in t)
    assert f"Answer: {A.sigmoid.derivative(0.0):g}" in h and "±0.001" in h
    assert '<span class="math inline">\\(\\sigma\'(0)\\)</span>' in h  # MathJax-ready inline math
    assert rendered.answers["sigmoid-slope-at-0"] == 0.25


def test_choice_questions(rendered, html_tags):
    h = question_html(rendered.html, "bounded-ones")
    t = html_tags(h)
    boxes = [a for tag, a in t if tag == "input"]
    assert [a["type"] for a in boxes] == ["checkbox"] * 3
    assert all(any(tag == "label" and a.get("for") == b["id"] for tag, a in t) for b in boxes)
    assert len({b["name"] for b in boxes}) == 1
    assert h.count("✔ correct") == 2 and h.count("✘ wrong") == 1
    assert "<strong>bounded</strong>" in h
    h = question_html(rendered.html, "relu-kink")
    assert [a["type"] for tag, a in html_tags(h) if tag == "input"] == ["radio"] * 3
    for qid in ("sigmoid-slope-at-0", "bounded-ones", "relu-kink"):
        h = question_html(rendered.html, qid)
        assert h.count('class="afx-check"') == 1 and h.count('class="afx-feedback"') == 1
        assert h.count('<details class="afx-answer">') == 1


def test_script_data_and_behaviour_hooks(rendered):
    m = re.search(r'<script type="application/json" class="afx-quiz-data">(.*?)</script>', rendered.html, re.S)
    d = json.loads(m.group(1))
    assert d["bounded-ones"]["correct"] == [True, False, True]
    assert d["relu-kink"]["correct"] == [True, False, False]
    assert d["sigmoid-slope-at-0"]["answer"] == 0.25 and d["sigmoid-slope-at-0"]["tolerance"] == 0.001
    assert "Look at the convention." in d["relu-kink"]["hint"]
    js = re.findall(r"<script>(.*?)</script>", rendered.html, re.S)[0]
    assert "MathJax.typesetPromise" in js and "afx-correct" in js and "afx-incorrect" in js
    assert "fetch(" not in js and "XMLHttpRequest" not in js and "Math.random" not in js


def test_deterministic_ids():
    display.reset_ids()
    a = quiz.render(copy.deepcopy(GOOD), source="quiz.json").html
    display.reset_ids()
    b = quiz.render(copy.deepcopy(GOOD), source="quiz.json").html
    assert a == b
    c = quiz.render(copy.deepcopy(GOOD), source="quiz.json")
    assert c.id != re.search(r'id="([^"]+)"', a).group(1)


def test_ids_select_questions(rendered):
    q = quiz.render(copy.deepcopy(GOOD), ids=["relu-kink", "sigmoid-slope-at-0"])
    assert re.findall(r'data-qid="([^"]+)"', q.html) == ["relu-kink", "sigmoid-slope-at-0"]
    with pytest.raises(ValueError, match="nope"):
        quiz.render(copy.deepcopy(GOOD), ids=["nope"])
    with pytest.raises(TypeError, match="ids"):
        quiz.render(copy.deepcopy(GOOD), ids="relu-kink")


def test_show_reads_relative_to_cwd(tmp_path, monkeypatch):
    (tmp_path / "quiz.json").write_text(json.dumps(GOOD), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert len(quiz.show("quiz.json").questions) == 3
    with pytest.raises(FileNotFoundError, match="missing.json"):
        quiz.show("missing.json")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    with pytest.raises(quiz.QuizError, match="not valid JSON"):
        quiz.show("broken.json")


def _mutate(fn):
    d = copy.deepcopy(GOOD)
    fn(d)
    return d


BAD = [
    (lambda d: d.pop("questions"), "'questions' must be a non-empty list"),
    (lambda d: d.update(extra=1), "unknown top-level key"),
    (lambda d: d["questions"][1].update(id="sigmoid-slope-at-0"), "duplicate id"),
    (lambda d: d["questions"][0].update(id="has space"), "'id' must be"),
    (lambda d: d["questions"][0].update(type="essay"), "'type' must be one of"),
    (lambda d: d["questions"][0].update(question=""), "'question' must be non-empty"),
    (lambda d: d["questions"][0].update(tolerance=0), "'tolerance' must be a finite number > 0"),
    (lambda d: d["questions"][0].update(tolerance=-1e-3), "'tolerance' must be a finite number > 0"),
    (lambda d: d["questions"][0].pop("tolerance"), "'tolerance'"),
    (lambda d: d["questions"][0].update(answer=0.25), "numbers are computed, never typed"),
    (lambda d: d["questions"][0].update(answer={"expr": "0.25", "value": 0.25}), "'answer' must be"),
    (lambda d: d["questions"][2]["choices"][1].update(correct=True), "exactly one correct choice, found 2"),
    (lambda d: d["questions"][2]["choices"][0].update(correct=False), "exactly one correct choice, found 0"),
    (lambda d: [c.update(correct=False, check="False") for c in d["questions"][1]["choices"]], "at least one correct"),
    (lambda d: d["questions"][1]["choices"][0].update(corect=True), "unknown key(s) ['corect']"),
    (lambda d: d["questions"][1]["choices"][0].update(correct="yes"), "'correct' must be true or false"),
    (lambda d: d["questions"][1].update(choices=[{"text": "a", "correct": True}]), "at least two choices"),
    (lambda d: d["questions"][1]["choices"][1].update(text="tanh"), "same text"),
    (lambda d: d["questions"][1].update(tolerance=1), "belongs to numeric questions"),
]


@pytest.mark.parametrize("mutate, message", BAD)
def test_bad_schema_rejected_with_clear_error(mutate, message):
    with pytest.raises(quiz.QuizError) as e:
        quiz.validate(_mutate(mutate), source="chapters/x/quiz.json")
    assert message in str(e.value)
    assert str(e.value).startswith("chapters/x/quiz.json")


def test_all_problems_listed_at_once():
    d = _mutate(lambda d: (d["questions"][0].update(tolerance=0), d["questions"][2].update(type="x")))
    with pytest.raises(quiz.QuizError) as e:
        quiz.validate(d)
    assert "question 1 ('sigmoid-slope-at-0')" in str(e.value) and "question 3 ('relu-kink')" in str(e.value)


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["questions"][1]["choices"][1].update(correct=True), "marked correct=true but its check 'A.relu.bounded' is False"),
    (lambda d: d["questions"][0]["answer"].update(expr="A.sigmod.derivative(0.0)"), "AttributeError"),
    (lambda d: d["questions"][0]["answer"].update(expr="A.sigmoid.bounded"), "must give a real number"),
    (lambda d: d["questions"][0]["answer"].update(expr="np.inf"), "not a finite number"),
    (lambda d: d["questions"][0]["answer"].update(expr="__import__('os')"), "NameError"),
    (lambda d: d["questions"][1]["choices"][0].update(check="A.tanh(np.zeros(3)) == 0"), "not a truth value"),
])
def test_wrong_key_or_failing_expression_rejected(mutate, message):
    with pytest.raises(quiz.QuizError, match=re.escape(message)):
        quiz.verify(_mutate(mutate))
    with pytest.raises(quiz.QuizError):  # rendering refuses it too
        quiz.render(_mutate(mutate))


def test_expressions_see_A_np_sp():
    assert quiz.evaluate("A.sigmoid(0.0) + np.float64(1) + sp.expit(0.0)") == 2.0
    with pytest.raises(TypeError, match="str"):
        quiz.evaluate(1.0)


def test_shown_answer_is_within_tolerance():
    d = _mutate(lambda d: d["questions"][0].update(answer={"expr": "A.sigmoid(1.0)"}, tolerance=1e-7))
    q = quiz.render(d)
    shown = re.search(r"Answer: ([−\d.e+-]+)", q.html).group(1).replace("−", "-")
    assert abs(float(shown) - A.sigmoid(1.0)) <= 1e-7 / 10
    assert re.search(r"Answer: ([−\d.e+-]+) ", quiz.render(copy.deepcopy(GOOD)).html).group(1) == "0.25"


@pytest.mark.parametrize("latex,name", [
    (r"$\tanh$", "tanh"),
    (r"$\mathrm{relu}(2 \cdot 3) \ne 2\,\mathrm{relu}(3)$", "relu(2 · 3) ≠ 2 relu(3)"),
    (r"$\frac{1}{4}$ for **all** $x$", "(1)/(4) for all x"),
    ('say "<b>"', "say &quot;&lt;b&gt;&quot;"),
])
def test_choices_have_a_plain_text_accessible_name(latex, name):
    # a label made only of math has no accessible name once MathJax has typeset it (axe: label)
    data = {"title": "t", "questions": [{"id": "q", "type": "single", "skill": "recall", "question": "Which?",
                                         "choices": [{"text": latex, "correct": True},
                                                     {"text": "other", "correct": False}]}]}
    html_ = quiz.render(data).html
    assert f'aria-label="{name}"' in html_


def test_expression_may_trigger_numpy_lazy_imports():
    # ndarray.sum imports numpy._core._methods lazily; a fresh interpreter shows whether eval allows it
    code = ("from afbook import quiz; print(quiz.evaluate('float(A.softmax.jacobian(np.array([1.0, 2.0])).sum())'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert abs(float(out.stdout)) < 1e-12


def test_schema_is_a_valid_draft_2020_12_schema():
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(quiz.schema())
    assert jsonschema.Draft202012Validator(quiz.schema()).is_valid(GOOD)


def test_a_quiz_file_may_name_its_schema():
    d = _mutate(lambda d: d.update({"$schema": "../../src/afbook/quiz.schema.json"}))
    assert quiz.validate(d) is d
    display.reset_ids()
    with_schema = quiz.render(d).html
    display.reset_ids()
    assert with_schema == quiz.render(copy.deepcopy(GOOD)).html   # same quiz, same HTML and ids


def test_schema_and_python_rules_are_both_reported():
    # a shape error (schema) and a semantic one (Python) in one file: both listed
    d = _mutate(lambda d: (d["questions"][0].update(digits=0), d["questions"][2]["choices"][1].update(correct=True)))
    with pytest.raises(quiz.QuizError) as e:
        quiz.validate(d, source="q.json")
    msg = str(e.value)
    assert "question 1 ('sigmoid-slope-at-0'): 'digits' must be an integer from 1 to 15, got 0" in msg
    assert "question 3 ('relu-kink'): a 'single' question needs exactly one correct choice, found 2" in msg


def test_inline_script_is_the_package_file(rendered):
    import importlib.resources

    src = importlib.resources.files("afbook").joinpath("static/quiz.js").read_text("utf-8")
    body = src[src.index("*/") + 2:].strip().replace("AFX_ROOT_ID", json.dumps(rendered.id))
    assert re.findall(r"<script>(.*?)</script>", rendered.html, re.S) == [body]
    assert isinstance(rendered, display.HTMLDisplay)
