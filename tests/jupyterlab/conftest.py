"""Fixtures of the real-client test: one JupyterLab server (tools/lab.py, isolated settings, a
token, 127.0.0.1) and one Debian chromium for the whole session."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

from lab import Lab  # noqa: E402  (tools/ is on pytest's pythonpath, see pyproject.toml)

from labclient import LATENCY, PHASES  # noqa: E402  (the run's tables, filled by test_lab.py)


@pytest.fixture(scope="session")
def lab():
    t0 = time.monotonic()
    server = Lab(isolated=True).start()
    PHASES["(server start)"] = {"open": time.monotonic() - t0}
    yield server
    server.stop()


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
