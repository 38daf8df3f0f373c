"""How fast the interactive layer is (prints numbers; not a timed test).

* live explorers in a real JupyterLab (chromium, as in tests/jupyterlab): key press on a slider to
  the new image loaded in the page — goal ≤ 60 ms median for one function, ≤ 100 ms for a
  comparison of three (skipped without /usr/bin/chromium; ``--no-browser`` skips it too);
* live widget in the kernel alone: time of one redraw after a slider moves (new values each time,
  so no frame comes from the cache);
* static fallback: time to build each explorer (all frames), its frame count and HTML size — goal
  ≤ 600 kB per explorer; the frame swap itself happens in the browser (measured by
  tests/browser/test_interactive.py, goal ≤ 50 ms);
* plotting.show: time and PNG size of one figure; quiz rendering; one checker run.

    .venv/bin/python benchmarks/bench_interactive.py [--repeat 15] [--presses 12] [--no-browser]

``--explore-module path/to/explore.py`` measures another version of the module in the browser
(e.g. ``git show HEAD~3:src/afbook/explore.py > /tmp/old_explore.py``), for before/after numbers.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
# The explorers measured in the browser: (label, code); the first two are the targets.
BROWSER_CASES = [
    ("explore('elu', alpha=(0.1, 2))", 'explore.explore("elu", alpha=(0.1, 2.0))'),
    ("compare(['relu', 'gelu', 'silu'])", 'explore.compare(["relu", "gelu", "silu"])'),
    ("explore('gelu')  [zoom only]", 'explore.explore("gelu")'),
    ("softmax([2, 1, 0.1], T=(0.1, 10))", "explore.softmax()"),
]


def _notebook(module_path):
    if module_path:
        imp = ("import importlib.util\n"
               f"spec = importlib.util.spec_from_file_location('explore', {str(Path(module_path).resolve())!r})\n"
               "explore = importlib.util.module_from_spec(spec)\nspec.loader.exec_module(explore)")
    else:
        imp = "from afbook import explore"
    cells = [f"from afbook import book\nbook.setup()\n{imp}"] + [code for _, code in BROWSER_CASES]
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                              "language": "python"}},
            "cells": [{"cell_type": "code", "metadata": {}, "source": c, "outputs": [], "execution_count": None,
                       "id": f"c{i}"} for i, c in enumerate(cells)]}


def browser(presses, module_path=None):
    """Key press -> new image in JupyterLab for every slider of BROWSER_CASES; None if no chromium."""
    sys.path[:0] = [str(REPO / "tools"), str(REPO / "tests" / "jupyterlab"), str(REPO / "tests" / "browser")]
    from afx_browser import CHROMIUM, CHROMIUM_ARGS
    if not Path(CHROMIUM).exists():
        return None
    import labclient as L
    from lab import Lab
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory(prefix="afx-bench-") as root:
        Path(root, "bench.ipynb").write_text(json.dumps(_notebook(module_path)), encoding="utf-8")
        with Lab(root=Path(root), isolated=True) as lab, sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            ctx = b.new_context(viewport={"width": 1280, "height": 900})
            page = L.open_notebook(ctx, lab, "bench.ipynb")
            L.run_all(page)
            bad = L.problems(L.wait_finished(page))
            if bad:
                raise RuntimeError("benchmark notebook failed: " + "; ".join(bad))
            for i, (label, _) in enumerate(BROWSER_CASES):
                w = L.explorer(page, i)
                for name, handle in L.sliders(w):
                    L.move(page, w, handle, presses=1)            # warm-up press
                    t = L.move(page, w, handle, presses=presses)
                    rows.append((label, name, statistics.median(t), max(t)))
            b.close()
    return rows


def timed(fn, repeat):
    ts = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t) * 1000)
    return statistics.median(ts), max(ts)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--presses", type=int, default=12, help="key presses per slider in the browser")
    ap.add_argument("--no-browser", action="store_true", help="skip the JupyterLab measurement")
    ap.add_argument("--explore-module", default=None, help="measure this explore.py in the browser instead")
    args, _ = ap.parse_known_args(argv)  # benchmarks/run.py calls main() with its own arguments

    from afbook import checker
    from afbook import explore
    from afbook import plotting
    from afbook import quiz

    if not args.no_browser:
        t0 = time.perf_counter()
        rows = browser(args.presses, args.explore_module)
        if rows is None:
            print("live explorers in JupyterLab: skipped (no /usr/bin/chromium; make chromium)\n")
        else:
            load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
            which = args.explore_module or "afbook.explore"
            print(f"live explorers in JupyterLab ({which}): key press -> new image loaded, ms; "
                  f"{args.presses} presses per slider; load average {load:.1f}, {time.perf_counter() - t0:.0f} s")
            print(f"{'explorer':38} {'slider':16} {'median ms':>10} {'max ms':>8}")
            for label, name, med, mx in rows:
                print(f"{label:38} {name:16} {med:10.1f} {mx:8.1f}")
            print("goal: median ≤ 60 ms for one function, ≤ 100 ms for a comparison of three\n")

    print("live widget redraw in the kernel (slider change -> new PNG in the Image widget); a selection")
    print("slider (x range) is timed on its first visit to each value: later visits come from the cache")
    print(f"{'explorer':38} {'slider':16} {'median ms':>10} {'max ms':>8}")
    built = []
    for label, code in BROWSER_CASES:
        t = time.perf_counter()
        e = eval(code, {"explore": explore})
        build_ms = (time.perf_counter() - t) * 1000
        built.append((label, e, build_ms))
        w = e.widget()
        for slider in w.children[:-1]:
            options = list(getattr(slider, "options", None) or [])
            if options:   # every value once, starting next to the initial one
                start = slider.index
                order = [(start + k) % len(options) for k in range(1, len(options))]
                ts = []
                for i in order:
                    t = time.perf_counter()
                    slider.index = i
                    ts.append((time.perf_counter() - t) * 1000)
                med, mx = statistics.median(ts), max(ts)
            else:         # a new value each time (no cache hit)
                state = {"i": 0}

                def move(slider=slider, state=state):
                    state["i"] += 1
                    lo, hi = slider.min, slider.max
                    v = lo + (hi - lo) * ((state["i"] * 0.0137) % 1.0)
                    slider.value = slider.base ** v if hasattr(slider, "base") else v

                med, mx = timed(move, args.repeat)
            print(f"{label:38} {slider.description:16} {med:10.1f} {mx:8.1f}")

    print("\nstatic fallback (text/html): frames rendered in Python, swapped by the inline script")
    print(f"{'explorer':38} {'build s':>8} {'frames':>7} {'HTML kB':>8} {'kB/frame':>9}")
    for label, e, build_ms in built:
        kb = len(e.html.encode()) / 1000
        print(f"{label:38} {build_ms / 1000:8.2f} {len(e.frames):7d} {kb:8.1f} {kb / len(e.frames):9.1f}")

    med, _ = timed(lambda: plotting.show("elu", alpha=1.0), max(3, args.repeat // 3))
    png = plotting.show("elu", alpha=1.0).png
    print(f"\nplotting.show('elu'): {med:.0f} ms, PNG {len(png) / 1000:.1f} kB")

    here = os.path.dirname(os.path.abspath(__file__))
    qfiles = sorted(os.path.join(r, "quiz.json") for r, _, fs in os.walk(os.path.join(here, "..", "chapters"))
                    if "quiz.json" in fs and "_build" not in r)
    for path in qfiles:
        data = quiz.load(path)
        med, _ = timed(lambda: quiz.render(data, source=path), 3)
        print(f"quiz {os.path.relpath(path, os.path.join(here, '..'))}: {len(data['questions'])} questions, "
              f"render {med:.0f} ms, HTML {len(quiz.render(data).html.encode()) / 1000:.1f} kB")

    def run_check():
        with contextlib.redirect_stdout(io.StringIO()):
            checker.check(lambda x: 1 / (1 + np.exp(-x)), "sigmoid")

    med, _ = timed(run_check, 5)
    print(f"checker.check(naive sigmoid): {med:.1f} ms")


if __name__ == "__main__":
    main()
