"""Static checks of the committed notebook outputs (fast; nbval re-runs them separately)."""
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for p in (ROOT / "chapters").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def _outputs(nb):
    for i, cell in enumerate(nb["cells"]):
        for out in cell.get("outputs", []) if cell["cell_type"] == "code" else []:
            yield i, out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_glued_numbers_are_python_numbers(path):
    # myst-nb formats {glue:text}`x:.3f` by parsing text/plain; NumPy 2 writes np.float64(...) there,
    # which fails the -W build only at the end of `make test`. Glue float(x) instead.
    nb = json.loads(path.read_text(encoding="utf-8"))
    bad = [(i, out["metadata"]["scrapbook"]["name"]) for i, out in _outputs(nb)
           if str(out.get("data", {}).get("application/papermill.record/text/plain", "")).startswith("np.")]
    assert not bad, f"glue a Python number, not a NumPy scalar (cell, name): {bad}"


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
