"""Tests of the helper scripts in tools/: the notebook executor and the site check."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def execute_notebooks(load_tool):
    return load_tool("execute_notebooks")


@pytest.fixture(scope="module")
def check_site(load_tool):
    return load_tool("check_site")


def _write(path: Path, *sources: str, metadata: dict | None = None) -> Path:
    cells = [new_markdown_cell("# A test notebook")] + [new_code_cell(s) for s in sources]
    nb = new_notebook(cells=cells, metadata=metadata or {})
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


# --- execute_notebooks ------------------------------------------------------------------------------

def test_outputs_are_stored_and_widget_state_removed(tmp_path, execute_notebooks):
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


def test_stream_chunks_are_merged(tmp_path, execute_notebooks):
    # flushed prints arrive as separate chunks; stored as one, the file does not depend on timing
    nb_path = _write(tmp_path / "s.ipynb", "import time\nfor i in range(3):\n    print(i, flush=True)\n    time.sleep(0.05)")
    outs = execute_notebooks.execute_notebook(nb_path).cells[1].outputs
    assert [(o.output_type, o.name, o.text) for o in outs] == [("stream", "stdout", "0\n1\n2\n")]


def test_widget_notebook_re_executes_to_identical_file(tmp_path, execute_notebooks):
    path = _write(tmp_path / "01_nb.ipynb", "import ipywidgets as w\nw.FloatSlider(value=0.5)",
                  "import ipywidgets as w\nw.HBox([w.IntSlider(), w.Label('x')])")
    execute_notebooks.execute_notebook(path)
    first = path.read_bytes()
    ids = [c.outputs[0].data[execute_notebooks.WIDGET_VIEW]["model_id"]
           for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    assert len(set(ids)) == 2 and all(len(i) == 32 for i in ids)
    execute_notebooks.execute_notebook(path)
    assert path.read_bytes() == first


def test_kernel_runs_in_the_notebooks_folder(tmp_path, execute_notebooks):
    folder = tmp_path / "some_chapter"
    path = _write(folder / "01_nb.ipynb", "import os\nprint(os.path.basename(os.getcwd()))")
    (folder / "data.txt").write_text("x")
    execute_notebooks.execute_notebook(path)
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[1].outputs[0].text == "some_chapter\n"


def test_re_execution_gives_identical_file(tmp_path, execute_notebooks):
    path = _write(tmp_path / "01_nb.ipynb", "import numpy as np\nnp.arange(3)", "print('x')")
    execute_notebooks.execute_notebook(path)
    first = path.read_bytes()
    execute_notebooks.execute_notebook(path)
    assert path.read_bytes() == first


def test_failing_cell_leaves_the_file_untouched_and_cli_fails(tmp_path, execute_notebooks):
    path = _write(tmp_path / "01_nb.ipynb", "print('before')", "raise ValueError('boom')")
    before = path.read_bytes()
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "execute_notebooks.py"), str(path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "boom" in result.stderr
    assert path.read_bytes() == before


def test_raises_exception_tag_is_allowed(tmp_path, execute_notebooks):
    path = tmp_path / "01_nb.ipynb"
    nb = new_notebook(cells=[new_code_cell("1 / 0", metadata={"tags": ["raises-exception"]}),
                             new_code_cell("'after'")])
    nbformat.write(nb, path)
    execute_notebooks.execute_notebook(path)
    out = nbformat.read(path, as_version=4)
    assert out.cells[0].outputs[0].ename == "ZeroDivisionError"
    assert out.cells[1].outputs[0].data["text/plain"] == "'after'"


@pytest.mark.parametrize("bad, match", [("missing.ipynb", "does not exist"), ("notes.txt", "not a .ipynb")])
def test_bad_path_is_a_value_error(tmp_path, bad, match, execute_notebooks):
    with pytest.raises(ValueError, match=match):
        execute_notebooks.execute_notebook(tmp_path / bad)


def test_bad_timeout_is_a_value_error(tmp_path, execute_notebooks):
    path = _write(tmp_path / "01_nb.ipynb", "1")
    with pytest.raises(ValueError, match="timeout"):
        execute_notebooks.execute_notebook(path, timeout=0)


# --- check_site ---------------------------------------------------------------------------------------

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
def test_external_resources_are_found(check_site, html):
    assert len(check_site.external_resources(html)) == 1


@pytest.mark.parametrize("html", [
    '<a href="https://example.org/">a link</a>',
    '<script src="_static/x.js"></script>',
    '<link rel="stylesheet" href="../_static/a.css">',
    '<link rel="canonical" href="https://example.org/page.html">',
    '<img src="data:image/png;base64,AAAA" alt="">',
    '<script>const u = "https://example.org";</script>',
])
def test_local_resources_and_links_pass(check_site, html):
    assert check_site.external_resources(html) == []


def _site(root: Path, pages: dict[str, str]) -> Path:
    for rel, html in pages.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(html, encoding="utf-8")
    return root


def test_check_reports_pages_and_cli_status(check_site, tmp_path):
    _site(tmp_path, {"_static/a.js": "", "index.html": '<script src="_static/a.js"></script>',
                     "sub/page.html": '<img src="https://example.org/x.png" alt="">'})
    problems, _ = check_site.check(tmp_path)
    assert list(problems) == ["sub/page.html"] and "loads external <img src=" in problems["sub/page.html"][0]
    assert check_site.main([str(tmp_path)]) == 1
    _site(tmp_path, {"sub/x.png": "", "sub/page.html": '<img src="x.png" alt="">'})
    assert check_site.main([str(tmp_path)]) == 0
    assert check_site.main([str(tmp_path / "sub")]) == 2          # no index.html: not a built site


def test_missing_local_script_or_stylesheet_is_reported(check_site, tmp_path):
    page = '<script src="../_static/a.js?v=1"></script><link rel="stylesheet" href="../_static/b.css">'
    _site(tmp_path, {"_static/a.js": "", "sub/page.html": page})
    assert check_site.check(tmp_path)[0] == {"sub/page.html": ["broken <link> '../_static/b.css' (no such file)"]}
    _site(tmp_path, {"_static/b.css": ""})
    assert check_site.check(tmp_path)[0] == {}


def test_internal_links_and_anchors_must_resolve(check_site, tmp_path):
    _site(tmp_path, {
        "index.html": '<a href="a/one.html#sec">ok</a> <a href="#top" id="top">self</a> <a href="a/">dir</a>'
                      '<a href="a/one.html#nope">bad id</a> <a href="missing.html">gone</a>'
                      '<a href="../outside.html">out</a> <a href="file:///etc/passwd">file</a>'
                      '<a href="mailto:x@example.org">mail</a> <a href="https://example.org/">ext</a>'
                      '<a href="a/one.html#old">named</a>',
        "a/index.html": "", "a/one.html": '<h2 id="sec">S</h2><a name="old"></a>',
        "_sources/ignored.html": '<a href="nowhere.html">not a page</a>',
    })
    problems, external = check_site.check(tmp_path)
    assert problems == {"index.html": [
        "broken <a> 'a/one.html#nope' (no id 'nope' in a/one.html)",
        "broken <a> 'missing.html' (no such file)",
        "broken <a> '../outside.html' (points outside the site)",
        "broken <a> 'file:///etc/passwd' (a file: URL)",
    ]}
    assert external == {"mailto:x@example.org": ["index.html"], "https://example.org/": ["index.html"]}


def test_check_needs_a_directory(check_site, tmp_path):
    with pytest.raises(ValueError, match="root"):
        check_site.check(tmp_path / "nope")


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
        assert entry.persons.get("author"), f"{key}: no author"
        assert entry.fields.get("title"), f"{key}: no title"
        year = entry.fields.get("year", "")
        if entry.type == "misc":             # web pages, documentation, the source articles
            assert re.fullmatch(r"[a-z][a-z0-9_]*", key), f"key {key!r}: lower case, digits and _"
            assert re.fullmatch(r"\d{4}|n\.d\.", year), f"{key}: year {year!r} is not YYYY or n.d."
            continue
        assert re.fullmatch(r"[a-z]+\d{4}[a-z0-9]+", key), f"key {key!r} is not firstauthorYEARword"
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
