"""checker.check_exercise: the reference solution in each exercise notebook passes, the notebook's
starter (a typical wrong answer) and other typical wrong answers fail, and bad calls raise."""
import ast
import json

import numpy as np
import pytest

import activations as A
from afbook import checker
from afbook.paths import book_file

NOTEBOOKS = {
    "relu-ex-4": ("chapters/relu/05_exercises.ipynb", "leaky_gain"),
    "relu-ex-5": ("chapters/relu/05_exercises.ipynb", "softplus_beta"),
    "softmax-ex-3": ("chapters/softmax/03_exercises.ipynb", "temperature_for"),
    "softmax-ex-4": ("chapters/softmax/03_exercises.ipynb", "masked_softmax"),
}


def _definitions(source, namespace):
    """Run the imports, function definitions and lambda assignments of a cell (nothing else)."""
    keep = [n for n in ast.parse(source).body
            if isinstance(n, (ast.Import, ast.ImportFrom, ast.FunctionDef))
            or (isinstance(n, ast.Assign) and isinstance(n.value, ast.Lambda))]
    exec(compile(ast.Module(keep, type_ignores=[]), "<notebook cell>", "exec"), namespace)
    return namespace


def notebook_answers(exercise):
    """(starter, solution): the function the notebook's two checker cells of ``exercise`` define."""
    path, name = NOTEBOOKS[exercise]
    cells = [c for c in json.loads(book_file(path).read_text(encoding="utf-8"))["cells"]
             if c["cell_type"] == "code"]
    setup = "".join(cells[0]["source"])
    calls = ["".join(c["source"]) for c in cells
             if f'check_exercise({name}, "{exercise}")' in "".join(c["source"])]
    assert len(calls) == 2, f"{path}: expected a starter and a solution cell for {exercise}"
    out = []
    for src in calls:
        ns = _definitions(setup, {})
        out.append(_definitions(src, ns)[name])
    return out


def run(capsys, fn, exercise):
    r = checker.check_exercise(fn, exercise)
    out = capsys.readouterr().out
    assert out.strip() == r.report
    return r, out


@pytest.mark.parametrize("exercise", sorted(NOTEBOOKS))
def test_notebook_solution_passes_and_starter_fails(capsys, exercise):
    starter, solution = notebook_answers(exercise)
    r, out = run(capsys, solution, exercise)
    assert r and r.passed and r.n == len(checker.EXERCISES[exercise][1]), out
    assert out.rstrip().splitlines()[-1] == f"✔ all {r.n} checks passed"
    r, out = run(capsys, starter, exercise)
    assert not r and 0 < len(r.failures) <= r.n, out
    assert out.rstrip().splitlines()[-1] == f"✘ {len(r.failures)} of {r.n} checks failed"
    assert "hint:" in out


def test_gain_without_the_square_fails_where_alpha_squared_differs(capsys):
    r, out = run(capsys, lambda a: 2 / (1 + a), "relu-ex-4")
    assert {f.label for f in r.failures} == {"α = 0.01 (PyTorch's default)", "α = 0.3 (the exercise)",
                                             "α = 5 (slope above 1)"}
    assert "expected 1.835, got 1.538" in out
    r, _ = run(capsys, lambda a: 2.0, "relu-ex-4")           # ReLU's gain for every slope
    assert not r and "α = 0 (ReLU)" not in {f.label for f in r.failures}
    r, out = run(capsys, lambda a: np.array([2 / (1 + a * a)]), "relu-ex-4")
    assert not r and "expected one real number" in out


def test_softplus_beta_must_be_sharp_enough_and_the_smallest(capsys):
    r, out = run(capsys, lambda t: np.log(2) / t * 0.999, "relu-ex-5")
    assert not r and len(r.failures) == r.n and "too small" in out
    r, out = run(capsys, lambda t: np.log(2) / t * 1.001, "relu-ex-5")
    assert not r and len(r.failures) == r.n and "not the smallest" in out
    r, out = run(capsys, lambda t: -np.log(2) / t, "relu-ex-5")
    assert not r and "positive sharpness" in out


def test_temperature_reading_entry_zero_fails_only_where_the_top_is_elsewhere(capsys):
    from scipy.optimize import brentq

    def first_entry(z, p):      # a wide bracket, but the probability of entry 0
        return brentq(lambda T: float(A.softmax(np.asarray(z, float), temperature=T)[0]) - p,
                      1e-4, 1e4)

    r, out = run(capsys, first_entry, "softmax-ex-3")
    assert [f.label for f in r.failures] == ["top class not first: z = (-1, 3, 0.5, 0.5), p = 0.6"]
    assert "np.argmax" in out


def test_masked_softmax_mistakes_are_caught(capsys):
    def multiplied(scores, mask):   # forbidden scores set to 0 instead of removed
        return A.softmax(np.asarray(scores) * mask, axis=-1)

    r, _ = run(capsys, multiplied, "softmax-ex-4")
    assert not r and "all entries allowed" not in {f.label for f in r.failures}

    def in_place(scores, mask):     # right values, but edits the caller's array
        s = np.asarray(scores)
        any_row = mask.any(axis=-1, keepdims=True)
        s[~(mask & any_row)] = -np.inf
        s[~any_row.repeat(s.shape[-1], axis=-1)] = 0.0
        return np.where(mask & any_row, A.softmax(s, axis=-1), 0.0).astype(s.dtype)

    r, out = run(capsys, in_place, "softmax-ex-4")
    assert not r and "changed its input array in place" in out

    def to_float64(scores, mask):
        _, solution = notebook_answers("softmax-ex-4")
        return solution(np.asarray(scores, dtype=float), mask)

    r, out = run(capsys, to_float64, "softmax-ex-4")
    assert [f.label for f in r.failures] == ["float32 scores, one row fully masked"]
    assert "dtype changed" in out and "keep float32" in out


def test_exceptions_and_warnings_are_reported_not_raised(capsys):
    def warns(alpha):
        return float(np.float64(1.0) / np.float64(0.0)) if alpha == 0 else 1.0

    r, out = run(capsys, warns, "relu-ex-4")
    assert not r and "RuntimeWarning: divide by zero" in out

    def raises(tol):
        raise ZeroDivisionError("no")

    r, out = run(capsys, raises, "relu-ex-5")
    assert len(r.failures) == r.n and "raised ZeroDivisionError: no" in out
    r, out = run(capsys, lambda t: None, "relu-ex-5")
    assert "returned None" in out


def test_bad_calls_raise_naming_the_parameter():
    with pytest.raises(TypeError, match="fn must be a function"):
        checker.check_exercise("leaky_gain", "relu-ex-4")
    with pytest.raises(ValueError, match="exercise must be one of relu-ex-4"):
        checker.check_exercise(lambda a: 2.0, "relu-ex-9")
    with pytest.raises(ValueError, match="exercise must be one of"):
        checker.check_exercise(lambda a: 2.0, 4)
