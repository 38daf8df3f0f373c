"""Tests of the helper scripts in tools/: the notebook executor and the offline-resource check."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]


def _load(name):
    """Import tools/<name>.py as a module (tools/ is a folder of scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(f"tools_{name}", ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


execute_notebooks = _load("execute_notebooks")
check_offline = _load("check_offline")
toc_check = _load("toc_check")


def _write(path: Path, *sources: str, metadata: dict | None = None) -> Path:
    cells = [new_markdown_cell("# A test notebook")] + [new_code_cell(s) for s in sources]
    nb = new_notebook(cells=cells, metadata=metadata or {})
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


# --- execute_notebooks ------------------------------------------------------------------------------

def test_outputs_are_stored_and_widget_state_removed(tmp_path):
    path = _write(
        tmp_path / "chapter" / "01_nb.ipynb",
        "print('hello')",
        "import ipywidgets as w\nslider = w.IntSlider(value=3)\nslider",
        "21 * 2",
        # stale metadata as a front-end would leave it
        metadata={"widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}},
                  "kernelspec": {"name": "python3", "display_name": "old", "language": "python"}},
    )
    execute_notebooks.execute_notebook(path)
    nb = nbformat.read(path, as_version=4)
    assert "widgets" not in nb.metadata
    assert nb.metadata.kernelspec == execute_notebooks.KERNELSPEC
    assert "version" not in nb.metadata.language_info
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].outputs[0].text == "hello\n"
    assert "application/vnd.jupyter.widget-view+json" in code[1].outputs[0].data
    assert code[2].outputs[0].data["text/plain"] == "42"
    assert [c.execution_count for c in code] == [1, 2, 3]
    assert code[2].outputs[0].execution_count == 3
    assert all("execution" not in c.metadata for c in nb.cells)


def test_stream_chunks_are_merged(tmp_path):
    # flushed prints arrive as separate chunks; stored as one, the file does not depend on timing
    nb_path = _write(tmp_path / "s.ipynb", "import time\nfor i in range(3):\n    print(i, flush=True)\n    time.sleep(0.05)")
    outs = execute_notebooks.execute_notebook(nb_path).cells[1].outputs
    assert [(o.output_type, o.name, o.text) for o in outs] == [("stream", "stdout", "0\n1\n2\n")]


def test_widget_notebook_re_executes_to_identical_file(tmp_path):
    path = _write(tmp_path / "01_nb.ipynb", "import ipywidgets as w\nw.FloatSlider(value=0.5)",
                  "import ipywidgets as w\nw.HBox([w.IntSlider(), w.Label('x')])")
    execute_notebooks.execute_notebook(path)
    first = path.read_bytes()
    ids = [c.outputs[0].data[execute_notebooks.WIDGET_VIEW]["model_id"]
           for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    assert len(set(ids)) == 2 and all(len(i) == 32 for i in ids)
    execute_notebooks.execute_notebook(path)
    assert path.read_bytes() == first


def test_kernel_runs_in_the_notebooks_folder(tmp_path):
    folder = tmp_path / "some_chapter"
    path = _write(folder / "01_nb.ipynb", "import os\nprint(os.path.basename(os.getcwd()))")
    (folder / "data.txt").write_text("x")
    execute_notebooks.execute_notebook(path)
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[1].outputs[0].text == "some_chapter\n"


def test_re_execution_gives_identical_file(tmp_path):
    path = _write(tmp_path / "01_nb.ipynb", "import numpy as np\nnp.arange(3)", "print('x')")
    execute_notebooks.execute_notebook(path)
    first = path.read_bytes()
    execute_notebooks.execute_notebook(path)
    assert path.read_bytes() == first


def test_failing_cell_leaves_the_file_untouched_and_cli_fails(tmp_path):
    path = _write(tmp_path / "01_nb.ipynb", "print('before')", "raise ValueError('boom')")
    before = path.read_bytes()
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "execute_notebooks.py"), str(path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "boom" in result.stderr
    assert path.read_bytes() == before


def test_raises_exception_tag_is_allowed(tmp_path):
    path = tmp_path / "01_nb.ipynb"
    nb = new_notebook(cells=[new_code_cell("1 / 0", metadata={"tags": ["raises-exception"]}),
                             new_code_cell("'after'")])
    nbformat.write(nb, path)
    execute_notebooks.execute_notebook(path)
    out = nbformat.read(path, as_version=4)
    assert out.cells[0].outputs[0].ename == "ZeroDivisionError"
    assert out.cells[1].outputs[0].data["text/plain"] == "'after'"


@pytest.mark.parametrize("bad, match", [("missing.ipynb", "does not exist"), ("notes.txt", "not a .ipynb")])
def test_bad_path_is_a_value_error(tmp_path, bad, match):
    with pytest.raises(ValueError, match=match):
        execute_notebooks.execute_notebook(tmp_path / bad)


def test_bad_timeout_is_a_value_error(tmp_path):
    path = _write(tmp_path / "01_nb.ipynb", "1")
    with pytest.raises(ValueError, match="timeout"):
        execute_notebooks.execute_notebook(path, timeout=0)


# --- check_offline ------------------------------------------------------------------------------------

@pytest.mark.parametrize("html", [
    '<script src="https://cdn.example.org/x.js"></script>',
    '<script src="//cdn.example.org/x.js"></script>',
    '<link rel="stylesheet" href="http://example.org/a.css">',
    '<link rel="preload" href="https://example.org/font.woff2">',
    '<img src="https://example.org/a.png" alt="">',
    '<img srcset="a.png 1x, https://example.org/b.png 2x" alt="">',
    '<iframe src="https://example.org/"></iframe>',
    '<div style="background: url(https://example.org/bg.png)"></div>',
    "<style>@font-face { src: url('https://example.org/f.woff') }</style>",
])
def test_external_resources_are_found(html):
    assert len(check_offline.external_resources(html)) == 1


@pytest.mark.parametrize("html", [
    '<a href="https://example.org/">a link</a>',
    '<script src="_static/x.js"></script>',
    '<link rel="stylesheet" href="../_static/a.css">',
    '<link rel="canonical" href="https://example.org/page.html">',
    '<img src="data:image/png;base64,AAAA" alt="">',
    '<script>const u = "https://example.org";</script>',
])
def test_local_resources_and_links_pass(html):
    assert check_offline.external_resources(html) == []


def test_check_site_reports_pages_and_cli_status(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "a.js").write_text("")
    (tmp_path / "index.html").write_text('<script src="_static/a.js"></script>')
    (tmp_path / "sub" / "page.html").write_text('<img src="https://example.org/x.png" alt="">')
    assert list(check_offline.check_site(tmp_path)) == ["sub/page.html"]
    assert check_offline.main(["check_offline", str(tmp_path)]) == 1
    (tmp_path / "sub" / "page.html").write_text('<img src="x.png" alt="">')
    assert check_offline.main(["check_offline", str(tmp_path)]) == 0


def test_missing_local_script_or_stylesheet_is_reported(tmp_path):
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "a.js").write_text("")
    (tmp_path / "sub").mkdir()
    page = '<script src="../_static/a.js?v=1"></script><link rel="stylesheet" href="../_static/b.css">'
    (tmp_path / "sub" / "page.html").write_text(page)
    assert check_offline.check_site(tmp_path) == {"sub/page.html": ["missing local resource '../_static/b.css'"]}
    (tmp_path / "_static" / "b.css").write_text("")
    assert check_offline.check_site(tmp_path) == {}


def test_check_site_needs_a_directory(tmp_path):
    with pytest.raises(ValueError, match="root"):
        check_offline.check_site(tmp_path / "nope")


# --- toc_check ----------------------------------------------------------------------------------------

def test_toc_check_finds_notebooks_missing_from_the_toc(tmp_path):
    (tmp_path / "chapters" / "a").mkdir(parents=True)
    (tmp_path / "chapters" / "a" / ".ipynb_checkpoints").mkdir()
    for name in ("01_x.ipynb", "02_y.ipynb", ".ipynb_checkpoints/01_x-checkpoint.ipynb"):
        (tmp_path / "chapters" / "a" / name).write_text("{}")
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: index\nparts:\n  - caption: A\n    chapters:\n"
        "      - file: chapters/a/01_x\n        sections:\n          - file: other.md\n")
    assert toc_check.missing_notebooks(tmp_path) == ["chapters/a/02_y"]
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: index\nparts:\n  - caption: A\n    chapters:\n"
        "      - file: chapters/a/01_x.ipynb\n      - file: chapters/a/02_y\n")
    assert toc_check.missing_notebooks(tmp_path) == []
    with pytest.raises(ValueError, match="toc"):
        toc_check.toc_files(["not", "a", "mapping"])


# --- book sources: the bibliography ----------------------------------------------------------------

REQUIRED_KEYS = """nair2010rectified glorot2011deep maas2013rectifier he2015delving xu2015empirical clevert2016fast
klambauer2017self barron2017continuously hendrycks2016gaussian elfwing2018sigmoid ramachandran2017searching
misra2019mish courbariaux2015binaryconnect howard2019searching krizhevsky2010convolutional sandler2018mobilenetv2
goodfellow2013maxout ma2020funnel dauphin2017language shazeer2020glu dugas2001incorporating bridle1990probabilistic
hinton2015distilling hochreiter1991untersuchungen bengio1994learning glorot2010understanding lecun1998efficient
rosenblatt1958perceptron minsky1969perceptrons vaswani2017attention hornik1989multilayer cybenko1989approximation
ioffe2015batch""".split()


def _bib_entries():
    from pybtex.database import parse_file

    return parse_file(str(ROOT / "references.bib"), bib_format="bibtex").entries  # raises on duplicate keys


def test_bibliography_has_the_required_keys_with_authors_titles_years():
    entries = _bib_entries()
    missing = [k for k in REQUIRED_KEYS if k not in entries]
    assert not missing, f"references.bib lacks {missing}"
    for key, entry in entries.items():
        assert re.fullmatch(r"[a-z]+\d{4}[a-z0-9]+", key), f"key {key!r} is not firstauthorYEARword"
        assert entry.persons.get("author"), f"{key}: no author"
        assert entry.fields.get("title"), f"{key}: no title"
        year = entry.fields.get("year", "")
        assert re.search(r"\d{4}", key).group() == year, f"{key}: year {year!r} does not match the key"
        eprint = entry.fields.get("eprint")
        if eprint:
            assert re.fullmatch(r"\d{4}\.\d{4,5}", eprint), f"{key}: eprint {eprint!r} is not an arXiv id"
            assert entry.fields.get("url") == f"https://arxiv.org/abs/{eprint}", f"{key}: url does not match eprint"


def test_every_cited_key_is_in_the_bibliography():
    entries = _bib_entries()
    cite = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")
    not_in_book = {"README.md", "CONTRIBUTING.md"}
    sources = [p for p in ROOT.glob("*.md") if p.name not in not_in_book] + [p for p in (ROOT / "chapters").rglob("*.ipynb")
                                                  if ".ipynb_checkpoints" not in p.parts]
    unknown = {}
    for path in sources:
        if path.suffix == ".ipynb":           # markdown cells only: code may build a {cite} role from data
            nb = json.loads(path.read_text(encoding="utf-8"))
            text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
        else:
            text = path.read_text(encoding="utf-8")
        for match in cite.finditer(text):
            for key in match.group(1).split(","):
                if key.strip() not in entries:
                    unknown.setdefault(key.strip(), []).append(str(path.relative_to(ROOT)))
    assert not unknown, f"cited but not in references.bib: {unknown}"
