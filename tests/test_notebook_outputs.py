"""Static checks of the notebooks, their code and committed outputs (fast; nbval re-runs them separately)."""
import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for p in (ROOT / "chapters").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def _outputs(nb):
    for i, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []) if cell["cell_type"] == "code" else []:
            yield i, out


def _code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def _calls(source: str):
    """Every call in a code cell (IPython magics and shell lines left out)."""
    lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
    return [n for n in ast.walk(ast.parse("\n".join(lines))) if isinstance(n, ast.Call)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_setup_cell_comes_first_and_nothing_sets_blas_variables(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = _code_cells(nb)
    first = cells[0]
    assert any(ast.unparse(c.func) == "book.setup" for c in _calls("".join(first["source"]))), \
        "the first code cell must call book.setup()"
    assert {"hide-input", "remove-input"} & set(first.get("metadata", {}).get("tags", [])), \
        "tag the setup cell hide-input (or remove-input)"
    blas = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
            and re.search(r"\b(OPENBLAS|OMP|MKL)_\w+", "".join(c["source"]))]
    assert not blas, f"cells that set BLAS/OpenMP variables (book.setup() sets the threads): {blas}"


DISPLAY_OBJECTS = {"Markdown", "HTML", "Image"}      # what myst_nb's glue may still glue directly


def _bare_glue(call: ast.Call) -> bool:
    """A myst_nb ``glue(name, value)`` whose value is not an IPython display object."""
    if not (isinstance(call.func, ast.Name) and call.func.id == "glue"):
        return False
    value = call.args[1] if len(call.args) > 1 else None
    return not (isinstance(value, ast.Call) and ast.unparse(value.func).split(".")[-1] in DISPLAY_OBJECTS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_numbers_are_glued_as_the_reader_sees_them(path):
    # book.glue(name, value, spec) glues the formatted text; a bare myst_nb glue of a float would
    # put its full precision (or a NumPy scalar repr) into the committed output.
    nb = json.loads(path.read_text(encoding="utf-8"))
    bare = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code" and "".join(c["source"]).strip()
            and any(_bare_glue(n) for n in _calls("".join(c["source"])))]
    assert not bare, f"cells that glue(...) a value instead of book.glue(name, value, spec): {bare}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_error_or_stderr_output(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    bad = [(i, out.get("name", out["output_type"])) for i, out in _outputs(nb)
           if out["output_type"] == "error" or out.get("name") == "stderr"]
    assert not bad, f"committed error/stderr outputs (cell, kind): {bad}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_code_cell_was_executed(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    missing = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code" and "".join(c["source"]).strip()
               and c.get("execution_count") is None]
    assert not missing, f"cells never executed (run `make execute NB={path.relative_to(ROOT)}`): {missing}"


MAX_LINE = 88      # code lines of the site never scroll sideways (issue 15)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_code_lines_fit_the_page(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    long = [(i, len(line)) for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
            for line in "".join(c["source"]).splitlines() if len(line) > MAX_LINE]
    assert not long, f"code lines over {MAX_LINE} characters (cell, length): {long}"


CONTENT_PAGES = [p for p in NOTEBOOKS if "exercises" not in p.stem]


def test_content_pages_are_the_non_exercise_notebooks():
    assert len(CONTENT_PAGES) >= 26 and len(NOTEBOOKS) - len(CONTENT_PAGES) == 6


@pytest.mark.parametrize("path", CONTENT_PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_content_page_has_its_key_points_box(path):
    # 要点まとめ: one book.key_points(...) cell, after the page's teaching and before its quiz
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
             and any(ast.unparse(n.func) == "book.key_points" for n in _calls("".join(c["source"])))]
    assert len(cells) == 1, f"key_points cells: {cells} (want exactly one)"
    after = [i for i, c in enumerate(nb["cells"]) if (c["cell_type"] == "code" and any(
        ast.unparse(n.func) == "quiz.show" for n in _calls("".join(c["source"]))))
        or (c["cell_type"] == "markdown" and re.search(r"^#+ (Exercises|Check yourself|Quiz)",
                                                       "".join(c["source"]), re.M))]
    assert all(i > cells[0] for i in after), \
        f"the key points (cell {cells[0]}) come before the quiz and the exercises (cells {after})"
    out = [o for o in nb["cells"][cells[0]].get("outputs", []) if "data" in o]
    assert out and "要点まとめ" in "".join(out[0]["data"].get("text/plain", "")), "the box has no output"
