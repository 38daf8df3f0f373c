"""How fast the interactive layer is (prints numbers; not a timed test).

* live widget: time of one redraw after a slider moves (1,000-point f and f′, Agg, PNG into the
  Image widget) — goal ≤ 150 ms;
* static fallback: time to build each explorer (all frames), its frame count and HTML size — goal
  ≤ 600 kB per explorer; the frame swap itself happens in the browser (measured by
  tests/browser/test_interactive.py, goal ≤ 50 ms);
* plotting.show: time and PNG size of one figure; quiz rendering; one checker run.

    .venv/bin/python benchmarks/bench_interactive.py [--repeat 15]
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import time

import numpy as np


def timed(fn, repeat):
    ts = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t) * 1000)
    return statistics.median(ts), max(ts)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()

    from afbook import checker
    from afbook import explore
    from afbook import plotting
    from afbook import quiz

    print("live widget redraw (slider change -> new PNG in the Image widget), 1,000-point curves")
    print(f"{'explorer':38} {'median ms':>10} {'max ms':>8}")
    cases = [("explore('elu', alpha=(0.1, 2))", lambda: explore.explore("elu", alpha=(0.1, 2.0))),
             ("explore('gelu')  [zoom only]", lambda: explore.explore("gelu")),
             ("compare(['relu', 'gelu', 'silu'])", lambda: explore.compare(["relu", "gelu", "silu"])),
             ("softmax([2, 1, 0.1], T=(0.1, 10))", lambda: explore.softmax())]
    built = []
    for label, make in cases:
        t = time.perf_counter()
        e = make()
        build_ms = (time.perf_counter() - t) * 1000
        built.append((label, e, build_ms))
        w = e.widget()
        slider = w.children[0]
        vals = list(slider.options) if hasattr(slider, "options") and slider.options else None
        state = {"i": 0}

        def move():
            state["i"] += 1
            if vals:
                slider.index = state["i"] % len(vals)
            else:
                lo, hi = slider.min, slider.max
                slider.value = lo + (hi - lo) * ((state["i"] * 0.37) % 1.0)

        med, mx = timed(move, args.repeat)
        print(f"{label:38} {med:10.1f} {mx:8.1f}")

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
