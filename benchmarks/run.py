"""`make bench`: how much exactness costs.

For every elementwise activation, on 2,000,000 float32 and float64 values (seeded normal,
σ = 3, so the naive formulas do not overflow), one thread, the best of several runs:
the library's time as a ratio to (a) the textbook formula or the source article's code
(``naive.py``), (b) scipy.special where it
has the function, (c) torch.nn.functional when torch is installed, (d) np.copy (the memory
floor). Ratios below 1 mean the library is faster. All ratios come from this one run.

    python benchmarks/run.py [--n 2000000] [--repeat 7] [--only relu,elu]
"""
from __future__ import annotations

import argparse
import math
import warnings

import numpy as np

import activations as A
import naive                      # benchmarks/naive.py: this script's folder is on sys.path
from afbook import book


def best_time(fn, x, repeat: int) -> float:
    """Seconds per call, best of ``repeat`` rounds of 3 calls (after a warm-up): book.best_time."""
    return book.best_time(fn, x, repeat=repeat, number=3)


def torch_funcs():
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        return None, {}
    torch.set_num_threads(1)
    funcs = {}
    for name, expr in naive.TORCH.items():
        f = eval(expr, {"torch": torch, "F": F})
        funcs[name] = f
    return torch, funcs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2_000_000)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--only", default="")
    args = ap.parse_args(argv)
    book.setup(threads=1)                     # one BLAS/OpenMP thread, set at run time
    names = [n for n in A.names(kind="elementwise") if n in naive.NAIVE]
    if args.only:
        names = [n for n in names if n in args.only.split(",")]
    torch, tfuncs = torch_funcs()
    rng = np.random.default_rng(0)
    base = rng.standard_normal(args.n) * 3.0
    print(f"{args.n:,} elements, best of {args.repeat}; numpy {np.__version__}"
          + (f", torch {torch.__version__} (1 thread)" if torch else ", torch not installed"))
    for dtype in (np.float32, np.float64):
        x = base.astype(dtype)
        t_copy = best_time(np.copy, x, args.repeat)
        xt = torch.from_numpy(x) if torch else None
        print(f"\n{np.dtype(dtype).name}: np.copy {t_copy * 1e3:.2f} ms")
        head = f"{'activation':<13}{'library ms':>11}{'÷ naive':>9}{'÷ scipy':>9}{'÷ torch':>9}{'÷ copy':>8}"
        print(head)
        print("-" * len(head))
        ratios = []
        for name in names:
            act = A.get(name)
            params = dict(naive.PARAMS.get(name, {}))   # the naive formula's parameters (required ones)

            def lib(v, act=act, params=params):
                return act(v, **params)
            t_lib = best_time(lib, x, args.repeat)
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                t_naive = best_time(naive.NAIVE[name], x, args.repeat)
                t_sp = best_time(naive.SCIPY[name], x, args.repeat) if name in naive.SCIPY else None
            t_torch = best_time(tfuncs[name], xt, args.repeat) if name in tfuncs else None
            ratios.append(t_lib / t_naive)

            def r(t):
                return f"{t_lib / t:9.2f}" if t else f"{'—':>9}"
            print(f"{name:<13}{t_lib * 1e3:11.2f}{r(t_naive)}{r(t_sp)}{r(t_torch)}{t_lib / t_copy:8.1f}")
        gm = math.exp(sum(math.log(v) for v in ratios) / len(ratios))
        print(f"geometric mean of library ÷ naive ({np.dtype(dtype).name}): {gm:.2f}  (target ≤ 1.25)")
    if not args.only:
        print()
        import bench_interactive          # benchmarks/bench_interactive.py

        bench_interactive.main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
