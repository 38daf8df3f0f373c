"""Every chapters/**/quiz.json: schema valid, every answer.expr evaluates to a finite number, every `check`
agrees with its choice's `correct` key, every question renders; `quiz.show(..., ids=[...])` calls in the
chapter notebooks name questions that exist; every chapter has at least a quarter reasoning questions (issue 15,
item 7). A wrong answer key fails CI here."""
import ast
import copy
import json
import pathlib
from fractions import Fraction

import pytest

from afbook import quiz

ROOT = pathlib.Path(__file__).resolve().parents[1]
QUIZ_FILES = sorted(p for p in ROOT.glob("chapters/**/quiz.json") if "_build" not in p.parts)
NOTEBOOKS = sorted(p for p in ROOT.glob("chapters/**/*.ipynb") if "_build" not in p.parts and ".ipynb_checkpoints" not in p.parts)

# Issue 15, item 7: "At least a quarter of each chapter's questions should ask the reader to reason about code
# or a derivation." Each question says which it is in its 'skill' field (afbook/quiz.schema.json).
MIN_REASONING_SHARE = Fraction(1, 4)


def _rel(p):
    return str(p.relative_to(ROOT))


def test_chapters_with_notebooks_have_a_quiz():
    chapters = sorted({nb.parent for nb in NOTEBOOKS})
    missing = [_rel(c) for c in chapters if not (c / "quiz.json").is_file()]
    assert not missing, f"chapter folders without quiz.json: {missing}"


@pytest.mark.parametrize("path", QUIZ_FILES, ids=_rel)
def test_quiz_file_is_valid_and_its_keys_agree_with_the_library(path):
    data = quiz.load(path)  # schema (raises QuizError listing every problem)
    answers = quiz.verify(data, source=_rel(path))  # expressions and checks
    assert set(answers) == {q["id"] for q in data["questions"]}
    rendered = quiz.render(data, source=_rel(path))
    assert rendered.html.count('class="afx-question"') == len(data["questions"])


@pytest.mark.parametrize("path", QUIZ_FILES, ids=_rel)
def test_quiz_file_matches_the_json_schema_editors_use(path):
    # what an editor checks: the file alone against afbook/quiz.schema.json (and the path it names)
    import jsonschema

    data = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(quiz.schema()).validate(data)
    if "$schema" in data:
        named = (path.parent / data["$schema"]).resolve()
        assert named == (ROOT / "src" / "afbook" / "quiz.schema.json"), f"{_rel(path)} names {data['$schema']}"


def _quiz_calls(nb_path):
    """(path argument, ids or None) of each quiz.show(...) call in a notebook's code cells."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        src = "".join(cell.get("source", []))
        try:
            tree = ast.parse("\n".join(l for l in src.splitlines() if not l.lstrip().startswith(("%", "!"))))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "show" \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "quiz":
                args = [ast.literal_eval(a) for a in node.args if isinstance(a, ast.Constant)]
                kw = {k.arg: ast.literal_eval(k.value) for k in node.keywords
                      if k.arg in ("path", "ids") and isinstance(k.value, (ast.Constant, ast.List, ast.Tuple))}
                path = kw.get("path", args[0] if args else "quiz.json")
                ids = kw.get("ids", args[1] if len(args) > 1 else None)
                yield path, ids


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=_rel)
def test_notebook_quiz_calls_name_existing_questions(nb):
    for path, ids in _quiz_calls(nb):
        qfile = nb.parent / path
        assert qfile.is_file(), f"{_rel(nb)} calls quiz.show({path!r}) but {_rel(qfile)} does not exist"
        if ids:
            known = {q["id"] for q in json.loads(qfile.read_text(encoding="utf-8"))["questions"]}
            unknown = [i for i in ids if i not in known]
            assert not unknown, f"{_rel(nb)}: quiz.show ids {unknown} are not in {_rel(qfile)}"


@pytest.mark.parametrize("path", QUIZ_FILES, ids=_rel)
def test_numeric_keys_are_not_rounding_noise(path):
    # a key like 1.1e-16 (a sum that is 0 in exact arithmetic) differs between machines and reads badly
    data = quiz.load(path)
    answers = quiz.verify(data, source=_rel(path))
    noise = {q["id"]: answers[q["id"]] for q in data["questions"]
             if q["type"] == "numeric" and 0 < abs(answers[q["id"]]) < 1e-12}
    assert not noise, f"numeric keys that look like rounding errors (round them in the expression): {noise}"


def _reasoning_share(questions):
    return Fraction(sum(q["skill"] == "reasoning" for q in questions), len(questions))


@pytest.mark.parametrize("path", QUIZ_FILES, ids=_rel)
def test_at_least_a_quarter_of_each_chapters_questions_ask_for_reasoning(path):
    questions = quiz.load(path)["questions"]  # the schema requires 'skill' on every question
    share = _reasoning_share(questions)
    n = share * len(questions)
    assert share >= MIN_REASONING_SHARE, (
        f"{_rel(path)}: {n} of {len(questions)} questions are 'reasoning', fewer than "
        f"{MIN_REASONING_SHARE} of them; add questions that reason about code or a derivation")


def test_the_reasoning_share_check_can_fail():
    qs = [{"skill": "reasoning"}] * 3 + [{"skill": "recall"}] * 10  # 3 of 13: below a quarter
    assert _reasoning_share(qs) < MIN_REASONING_SHARE
    assert _reasoning_share(qs[:1] + qs[3:6]) >= MIN_REASONING_SHARE  # 1 of 4: exactly a quarter


def _one_question_quiz():
    """A quiz holding a copy of a real question (the first of the first chapter file)."""
    data = json.loads(QUIZ_FILES[0].read_text(encoding="utf-8"))
    return {"questions": [copy.deepcopy(data["questions"][0])]}


@pytest.mark.parametrize("skill", [None, "derivation", "Reasoning", "", 1, True])
def test_a_question_without_a_valid_skill_is_rejected(skill):
    import jsonschema

    data = _one_question_quiz()
    quiz.validate(data)  # the copy as it is passes
    q = data["questions"][0]
    if skill is None:
        del q["skill"]
    else:
        q["skill"] = skill
    with pytest.raises(quiz.QuizError, match=r"'skill' must be one of \['recall', 'reasoning'\]") as err:
        quiz.validate(data)
    assert repr(q["id"]) in str(err.value)  # names the question
    with pytest.raises(jsonschema.ValidationError):  # what an editor reports
        jsonschema.Draft202012Validator(quiz.schema()).validate(data)


def test_the_skill_is_not_rendered():
    from afbook import display

    data = _one_question_quiz()
    pages = []
    for skill in ("recall", "reasoning"):
        data["questions"][0]["skill"] = skill
        display.reset_ids()
        r = quiz.render(data, source="quiz.json")
        pages.append((r.html, r.text, r.id))
    assert pages[0] == pages[1]
    assert "reasoning" not in pages[1][0] and "recall" not in pages[1][0]
