"""Run the chaotic experiments of the experiments chapter and store them as data.

Usage: python tools/make_results.py [name ...]      (default: every experiment)

For each name of ``afbook.experiments.EXPERIMENTS`` this writes ``results/<name>.json``: the config,
the raw per-seed values, the 1-ulp perturbed replicate and the provenance (commit, CPU, versions,
BLAS, SIMD). Afterwards re-execute the notebooks that load them (`make execute`) and commit the
JSON files together with the notebooks. One BLAS thread is used (set through threadpoolctl, not
through environment variables), as in the notebooks.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    from threadpoolctl import threadpool_limits

    from afbook import experiments

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"experiments (default: all of "
                                                 f"{', '.join(experiments.EXPERIMENTS)})")
    args = parser.parse_args(argv)
    names = args.names or list(experiments.EXPERIMENTS)
    unknown = [n for n in names if n not in experiments.EXPERIMENTS]
    if unknown:
        parser.error(f"unknown experiment(s) {', '.join(unknown)}; "
                     f"choose from {', '.join(experiments.EXPERIMENTS)}")
    out_dir = ROOT / "results"
    out_dir.mkdir(exist_ok=True)
    with threadpool_limits(limits=1):
        for name in names:
            t0, c0 = time.perf_counter(), time.process_time()
            data = experiments.run(name)
            path = out_dir / f"{name}.json"
            path.write_text(json.dumps(data, indent=1, ensure_ascii=False, allow_nan=False) + "\n",
                            encoding="utf-8")
            print(f"{path.relative_to(ROOT)}: {time.perf_counter() - t0:.1f} s wall, "
                  f"{time.process_time() - c0:.1f} s CPU (main run and 1-ulp replicate)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
