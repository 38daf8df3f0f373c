"""Binder builds the book's environment (issue 13): repo2docker's generated build, checked offline.

`jupyter-repo2docker --no-build --no-run --debug .` prints the Dockerfile Binder would build,
without Docker and without network. It must use the Python of the lock (runtime.txt), install the
lock (requirements.txt) and then the course package (`pip install .`, because pyproject.toml
declares a project with a build system), and the site's launch buttons must open the page's
notebook in JupyterLab.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
R2D = Path(sys.executable).parent / "jupyter-repo2docker"


@pytest.fixture(scope="module")
def build():
    if not R2D.exists():
        pytest.fail(f"{R2D} missing: jupyter-repo2docker is in requirements.txt (make install)")
    out = subprocess.run([str(R2D), "--no-build", "--no-run", "--debug", "."], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout + out.stderr


def _runtime_python() -> str:
    text = (ROOT / "runtime.txt").read_text(encoding="utf-8").strip()
    m = re.fullmatch(r"python-(\d+\.\d+)", text)
    assert m, f"runtime.txt must say python-X.Y, says {text!r}"
    return m.group(1)


def test_runtime_txt_names_the_python_of_the_lock(load_tool):
    locked = load_tool("check_python").locked_python(ROOT / "requirements.txt")
    assert _runtime_python() == locked


def test_repo2docker_uses_that_python(build):
    py = _runtime_python()
    assert f"Building conda environment for python={py}" in build
    assert "Python version unspecified" not in build          # what it said before runtime.txt
    # the conda environment file it copies in (names escaped as -XX hex codes in the COPY line)
    copies = [re.sub(r"-([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), line)
              for line in build.splitlines() if line.startswith("COPY ") and "environment.lock" in line]
    assert copies and all(f"environment.py-{py}-linux-64.lock" in c for c in copies), copies


def test_repo2docker_installs_the_lock_then_the_course_package(build):
    runs = [line for line in build.splitlines() if line.startswith("RUN ")]
    lock = [i for i, r in enumerate(runs) if re.search(r'/pip install --no-cache-dir -r "requirements\.txt"$', r)]
    package = [i for i, r in enumerate(runs) if r.endswith("/pip install --no-cache-dir .")]
    assert len(lock) == 1 and len(package) == 1, runs[-5:]
    assert lock[0] < package[0]     # the pinned versions are in place before the package's own deps
    # root files are used: a binder/ (or .binder/) folder would make repo2docker ignore them
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()


def test_the_lock_pins_every_package_binder_installs():
    pins, loose = {}, []
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)(\s*;.*)?", line)
        (pins.__setitem__(m.group(1).lower(), m.group(2)) if m else loose.append(line))
    assert not loose, f"requirements.txt lines that are not name==version pins: {loose}"
    for name in ("jupyterlab", "ipykernel", "ipywidgets", "jupyterlab-widgets", "numpy", "matplotlib"):
        assert name in pins, f"{name} is not pinned in requirements.txt"


def _config():
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def test_launch_buttons_open_the_notebook_in_jupyterlab_on_mybinder():
    cfg = _config()
    launch = cfg.get("launch_buttons") or {}
    assert launch.get("binderhub_url", "").rstrip("/") == "https://mybinder.org"
    assert launch.get("notebook_interface") == "jupyterlab"
    url = (cfg.get("repository") or {}).get("url", "")
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url), url


def test_built_pages_link_to_their_notebook_in_jupyterlab():
    # the launch button sphinx-book-theme wrote into a built chapter page (after `make book`)
    site = ROOT / "_build" / "html" / "chapters"
    pages = sorted(site.glob("*/*.html")) if site.is_dir() else []
    pages = [p for p in pages if (ROOT / "chapters" / p.parent.name / (p.stem + ".ipynb")).is_file()]
    if not pages:
        pytest.skip("no built chapter pages (make book)")
    cfg = _config()
    org_repo = cfg["repository"]["url"].removeprefix("https://github.com/")
    branch = cfg["repository"].get("branch", "main")
    page = pages[0]
    rel = f"chapters/{page.parent.name}/{page.stem}.ipynb"
    links = re.findall(r'href="(https://mybinder\.org/[^"]+)"', page.read_text(encoding="utf-8"))
    want = f"https://mybinder.org/v2/gh/{org_repo}/{branch}?urlpath=lab/tree/{rel}"
    assert want in [link.replace("&amp;", "&") for link in links], links


def test_readme_badge_opens_jupyterlab():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    badges = re.findall(r"\(https://mybinder\.org/v2/gh/[^)\s]+\)", readme)
    assert badges, "README.md has no Binder badge"
    assert all("urlpath=lab" in b for b in badges), badges
