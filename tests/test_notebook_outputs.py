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
