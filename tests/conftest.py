"""Shared fixtures for the test suite: adversarial inputs for numerical tests, and the helpers
several test files need (HTML start tags, nbval's sanitize patterns, loading a tools/ script).

Keep this file generic (any module of the book may use these fixtures) and small.
"""
import configparser
import importlib.util
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

# Inputs that break naive implementations: signed zeros, the subnormal/normal boundary, values where
# exp overflows in float32 (~88.7) and float64 (~709.8), huge magnitudes, infinities and nan.
_MAGNITUDES = (1e-300, 1e-8, 0.5, 1.0, 3.0, 10.0, 20.0, 30.0, 88.0, 89.0, 700.0, 710.0, 1e10, 1e300)


def adversarial_values(dtype=np.float64):
    """1-D array of adversarial inputs, as they are after a cast to `dtype` (duplicates removed).

    Includes both signed zeros, the dtype's smallest subnormal and smallest normal number (and those of
    float64), ±each magnitude of `_MAGNITUDES`, ±inf and nan. Values that overflow in `dtype` become ±inf.
    """
    dtype = np.dtype(dtype)
    vals = [0.0, -0.0, np.inf, -np.inf]
    for t in {np.dtype(np.float64), dtype}:
        fi = np.finfo(t)
        vals += [float(fi.smallest_subnormal), float(fi.smallest_normal),
                 -float(fi.smallest_subnormal), -float(fi.smallest_normal)]
    for m in _MAGNITUDES:
        vals += [m, -m]
    with np.errstate(over="ignore", under="ignore"):
        arr = np.array(vals, dtype=np.float64).astype(dtype)
    # unique by bit pattern, so +0.0 and -0.0 both stay; nan appended once
    _, idx = np.unique(arr.view(np.dtype(f"u{dtype.itemsize}")), return_index=True)
    arr = arr[np.sort(idx)]
    return np.concatenate([arr, np.array([np.nan], dtype=dtype)])


def dense_values(lo=-40.0, hi=40.0, n=801, dtype=np.float64, seed=0):
    """Evenly spaced points in [lo, hi] plus `n // 4` seeded uniform points, sorted."""
    rng = np.random.default_rng(seed)
    x = np.concatenate([np.linspace(lo, hi, n), rng.uniform(lo, hi, n // 4)])
    return np.sort(x).astype(dtype)


@pytest.fixture
def adversarial():
    """Factory fixture: ``adversarial(np.float32)`` -> 1-D array of adversarial inputs in that dtype."""
    return adversarial_values


@pytest.fixture
def dense_grid():
    """Factory fixture: ``dense_grid(lo=-40, hi=40, n=801, dtype=np.float64)`` -> sorted 1-D grid."""
    return dense_values


# --- helpers shared by the test files (fixtures, so every test folder gets the same ones) ----------
ROOT = Path(__file__).resolve().parents[1]
SANITIZE_CFG = ROOT / "tests" / "nbval_sanitize.cfg"


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _html_tags(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


@pytest.fixture(scope="session")
def html_tags():
    """``html_tags(html)`` -> ``[(tag, {attribute: value}), ...]``, every start tag in document order."""
    return _html_tags


@pytest.fixture(scope="session")
def sanitize():
    """``sanitize(text)``: the text with strict nbval's sanitize patterns (tests/nbval_sanitize.cfg)
    applied, as nbval compares it (base64 images and memory addresses masked)."""
    cfg = configparser.ConfigParser()
    cfg.read(SANITIZE_CFG, encoding="utf-8")
    patterns = [(re.compile(cfg[s]["regex"]), cfg[s]["replace"]) for s in cfg.sections()]
    assert patterns, f"no sanitize pattern read from {SANITIZE_CFG}"

    def apply(text: str) -> str:
        for regex, replace in patterns:
            text = regex.sub(replace, text)
        return text

    return apply


@pytest.fixture(scope="session")
def load_tool():
    """``load_tool("check_site")`` imports tools/check_site.py (tools/ is a folder of scripts)."""
    def load(name: str):
        spec = importlib.util.spec_from_file_location(f"tools_{name}", ROOT / "tools" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module          # as an import would (dataclasses look it up)
        spec.loader.exec_module(module)
        return module

    return load


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium under Playwright, headless and with no background networking (the site
    tests in tests/browser and the JupyterLab test in tests/jupyterlab share it)."""
    from playwright.sync_api import sync_playwright

    from afx_browser import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not found (make chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
