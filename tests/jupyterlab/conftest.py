"""Fixtures of the real-client test: one JupyterLab server (tools/lab.py, isolated settings, a
token, 127.0.0.1) and one Debian chromium for the whole session."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
for p in (HERE, REPO / "tools", REPO / "tests" / "browser"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from afx_browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from lab import Lab  # noqa: E402

LATENCY: dict[str, list[tuple[str, float, float]]] = {}
PHASES: dict[str, dict[str, float]] = {}


@pytest.fixture(scope="session")
def lab():
    t0 = time.monotonic()
    server = Lab(isolated=True).start()
    PHASES["(server start)"] = {"open": time.monotonic() - t0}
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found (make chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


def pytest_collection_modifyitems(config, items):
    # one server, one browser and the notebooks in order: this folder runs in one process
    if os.environ.get("PYTEST_XDIST_WORKER"):
        skip = pytest.mark.skip(reason="tests/jupyterlab runs without pytest-xdist (make test-lab)")
        for item in items:
            if HERE in Path(str(item.fspath)).parents:
                item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    tr = terminalreporter
    if PHASES:
        tr.section("JupyterLab: seconds per notebook (open + kernel ready, Run All, checks)")
        for nb, ph in PHASES.items():
            tr.write_line(f"{nb:55s} " + "  ".join(f"{k} {ph[k]:5.1f}" for k in ("open", "run", "explorer", "quiz", "checks") if k in ph))
    if LATENCY:
        tr.section("JupyterLab explorers: key press -> new image, ms (first explorer of each notebook)")
        for nb, rows in sorted(LATENCY.items()):
            for label, med, mx in rows:
                tr.write_line(f"{nb:55s} {label:22s} median {med:7.1f}  max {mx:7.1f}")
