"""nbval, run strictly (not --nbval-lax) with the repository's sanitize file, must catch a changed output.

A small notebook written and executed here is checked untouched (must pass), then with one
committed output changed (must fail). Each check runs pytest in a subprocess. (The chapters'
notebooks themselves are checked by `make test-notebooks`.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"


def run_nbval(notebook: Path) -> subprocess.CompletedProcess:
    """Run strict nbval on one notebook, isolated from the repository's pytest configuration."""
    (notebook.parent / "pytest.ini").write_text("[pytest]\n")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
         "--nbval-sanitize-with", str(SANITIZE), "-q", notebook.name],
        cwd=notebook.parent, capture_output=True, text=True, timeout=1200,
    )


def change_one_output(path: Path) -> str:
    """Alter the first text output (stream text or text/plain) of a code cell; return the new text."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.outputs:
            if out.output_type == "stream" and out.text.strip():
                out.text = out.text + "an extra line the code does not print\n"
                nbformat.write(nb, path)
                return out.text
            if out.output_type in ("execute_result", "display_data") and "text/plain" in out.data:
                out.data["text/plain"] = out.data["text/plain"] + " (changed)"
                nbformat.write(nb, path)
                return out.data["text/plain"]
    pytest.skip(f"{path.name} has no text output to change")


@pytest.fixture
def small_notebook(tmp_path, load_tool):
    """A notebook written and executed here, with outputs the sanitize file must handle."""
    module = load_tool("execute_notebooks")
    path = tmp_path / "nb" / "01_small.ipynb"
    path.parent.mkdir()
    nb = new_notebook(cells=[
        new_markdown_cell("# small"),
        new_code_cell("print('sum =', sum(range(10)))"),
        new_code_cell("class Thing:\n    pass\nThing()"),  # repr holds a memory address
        new_code_cell(
            "import base64, os\nfrom IPython.display import HTML\n"
            "HTML('<img alt=\"random bytes\" src=\"data:image/png;base64,' + "
            "base64.b64encode(os.urandom(30)).decode() + '\">')"  # differs on every run
        ),
    ])
    nbformat.write(nb, path)
    module.execute_notebook(path)
    return path


def test_small_notebook_passes_untouched(small_notebook):
    result = run_nbval(small_notebook)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout


def test_small_notebook_fails_when_an_output_changes(small_notebook):
    change_one_output(small_notebook)
    result = run_nbval(small_notebook)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 failed" in result.stdout


def test_sanitize_patterns_cover_images_and_addresses_only(sanitize):
    a = '<img src="data:image/png;base64,iVBORw0KGgo+/A==" alt="f"> <A at 0x7f3a2b1c0d90>'
    b = '<img src="data:image/png;base64,QUJDRA==" alt="f"> <A at 0x55d1e2f3a4b0>'
    assert sanitize(a) == sanitize(b)
    svg = 'src="data:image/svg+xml;base64,PHN2Zz4="'
    assert "PHN2Zz4" not in sanitize(svg)
    # ordinary numbers and text are left alone, so changed values are still caught
    assert sanitize("loss = 0.6931, alt=\"f\"") == "loss = 0.6931, alt=\"f\""
    assert sanitize('alt="sigmoid"') != sanitize('alt="tanh"')
