"""Run code that may misbehave numerically and report what happened, as data.

The chapters show the seeds' naive formulas failing *live*: overflow in ``np.exp``, ``inf/inf``
giving nan, an ``AxisError``. A warning printed to stderr would break the book build (and says
nothing precise), so every chapter uses this one helper instead of its own
``warnings.catch_warnings`` block::

    from afbook.pitfalls import recorded
    value, warned = recorded(naive_softmax, x)          # warned: ['RuntimeWarning: overflow encountered in exp']
    value, warned = recorded(f, x, catch=ValueError)    # value is the ValueError if f raised one
"""
from __future__ import annotations

import warnings
from typing import Any, Callable

__all__ = ["recorded"]


def recorded(fn: Callable, *args: Any, catch: type | tuple = (), **kwargs: Any) -> tuple[Any, list[str]]:
    """Call ``fn(*args, **kwargs)`` with every warning captured instead of printed.

    Returns ``(result, warned)``: ``warned`` is the sorted list of the distinct warnings raised,
    each as ``"Category: message"`` (empty when the call was clean). An exception whose type is
    in ``catch`` is returned in place of the result; any other exception propagates.
    """
    if not callable(fn):
        raise TypeError(f"recorded: fn must be callable, got {type(fn).__name__}")
    if catch and not (isinstance(catch, type) and issubclass(catch, BaseException)) and not (
            isinstance(catch, tuple) and all(isinstance(c, type) and issubclass(c, BaseException) for c in catch)):
        raise TypeError(f"recorded: catch must be an exception class or a tuple of them, got {catch!r}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = fn(*args, **kwargs)
        except catch as exc:  # an empty tuple catches nothing
            result = exc
    return result, sorted({f"{w.category.__name__}: {w.message}" for w in caught})
