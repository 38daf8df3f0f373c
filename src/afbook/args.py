"""Argument checks of the package's public functions.

Bad input gets a clear error that names the function and the parameter, never a NumPy traceback
from deep inside or a silent wrong answer: a value of the wrong type raises ``TypeError``, a value
of the right type outside its range raises ``ValueError``. (An activation's own parameters are
checked by ``Activation.bind`` in the registry.)

>>> from afbook import args
>>> args.integer("fit", "epochs", 10, low=0)
10
>>> args.positive("SGD", "momentum", 0.9, allow_zero=True, below=1)
0.9
"""
from __future__ import annotations

import math
import numbers

__all__ = ["integer", "positive"]


def integer(where: str, name: str, value, low: int | None = None, high: int | None = None) -> int:
    """``value`` as an ``int``, checked to lie in ``[low, high]`` (either end may be open: None).
    ``bool`` is not an integer here."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{where}: {name} must be an integer, got {value!r}")
    if (low is not None and value < low) or (high is not None and value > high):
        if high is None:
            span = "a non-negative integer" if low == 0 else f"an integer >= {low}"
        elif low is None:
            span = f"an integer <= {high}"
        else:
            span = f"an integer from {low} to {high}"
        raise ValueError(f"{where}: {name} must be {span}, got {value!r}")
    return int(value)


def positive(where: str, name: str, value, *, allow_zero: bool = False,
             below: float | None = None) -> float:
    """``value`` as a finite ``float`` > 0 (>= 0 with ``allow_zero``), and < ``below`` if given.
    ``bool`` is not a number here."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{where}: {name} must be a real number, got {value!r}")
    v = float(value)
    if (not math.isfinite(v) or v < 0 or (v == 0 and not allow_zero)
            or (below is not None and v >= below)):
        span = (">= 0" if allow_zero else "> 0") + (f" and < {below:g}" if below is not None else "")
        raise ValueError(f"{where}: {name} must be finite and {span}, got {value!r}")
    return v
