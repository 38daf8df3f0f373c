"""Print the value of NPY_DISABLE_CPU_FEATURES that limits NumPy to its baseline SIMD path.

Usage: NPY_DISABLE_CPU_FEATURES="$(python tools/simd_baseline.py)" python ...

The list is read from the installed NumPy: its dispatch targets that are above its baseline (on
x86-64 with NumPy 2.4: X86_V3,X86_V4,AVX512_ICL,AVX512_SPR). `make test` runs strict nbval once more
under it, so the committed outputs are checked on two SIMD paths of the same machine. Disabling a
target that this CPU lacks is harmless. With --check, verify instead that none of them is active
in this process (exit 1 if one is).
"""

import sys

from numpy._core import _multiarray_umath as _umath


def above_baseline() -> list:
    base = set(_umath.__cpu_baseline__)
    return [t for t in _umath.__cpu_dispatch__ if t not in base]


def main(argv: list) -> int:
    targets = above_baseline()
    if "--check" in argv[1:]:
        active = [t for t in targets if _umath.__cpu_features__.get(t)]
        if active:
            print(f"NumPy still dispatches to {', '.join(active)}", file=sys.stderr)
            return 1
        print(f"NumPy runs on its baseline ({', '.join(_umath.__cpu_baseline__)}) only")
        return 0
    print(",".join(targets))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
