"""The source articles of the course: their code and their printed outputs, in one place.

The chapters start from three web articles on activation functions, numbered as in the text and
described on the book's page "Sources of this course" (``sources.md``); :data:`ARTICLES` gives the
bibliography key of each (cite them with ``{cite}`key```):

====  ==============================  ==============================================================
000   source_ja_common_activations    NumPy code for sigmoid, hard sigmoid, swish, ReLU, ELU, leaky
                                      ReLU, SELU, tanh, GELU and softmax
001   source_qiita_rabbit_challenge   step, sigmoid and ReLU
002   source_zh_sigmoid_tutorial      sigmoid, ReLU and leaky ReLU on single numbers, with the lines
                                      they print
====  ==============================  ==============================================================

The functions below are the articles' code as published, named ``<function>_<article>``. Where the
published text lost characters (the page dropped ``<`` and ``*``), the code is restored with the
least change and :data:`AS_PRINTED` keeps the line as it was printed. They are the *naive*
formulas: they overflow, lose precision or return nan on some inputs, which is what the chapters
show (run them through :func:`afbook.pitfalls.recorded` or :func:`afbook.checker.check`).
:data:`PRINTED_002` holds article 002's printed examples and :func:`reproduces` checks a function
against them, without capturing stdout.
"""
from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

__all__ = ["ARTICLES", "AS_PRINTED", "PRINTED_002", "Printed", "print_line", "printed", "reproduces",
           "sigmoid_000", "hard_sigmoid_000", "swish_000", "relu_000", "elu_000", "lrelu_000",
           "selu_000", "tanh_000", "gelu_000", "softmax_000",
           "step_001", "step_formula_001", "sigmoid_001", "relu_001",
           "sig_002", "relu_002", "leaky_relu_002"]


#: Article number -> its key in references.bib.
ARTICLES = {"000": "source_ja_common_activations", "001": "source_qiita_rabbit_challenge",
            "002": "source_zh_sigmoid_tutorial"}


# ----------------------------------------------------------------------------------------------
# article 000 (NumPy)
# ----------------------------------------------------------------------------------------------
def sigmoid_000(x):
    s = 1 / (1 + np.exp(-x))
    return s


def hard_sigmoid_000(x):
    """A Python loop over the elements; the two lost ``<`` restored."""
    y = []
    for i in x:
        if i < -2.5:
            y_i = 0
        elif i >= -2.5 and i <= 2.5:
            y_i = 0.2 * i + 0.5
        else:
            y_i = 1
        y.append(y_i)
    return y


def swish_000(x, b=1.0):
    """The article uses a global ``b``; here it is a parameter with the value 1."""
    return x / (1 + np.exp(-b * x))


def relu_000(x):
    """The lost ``<`` restored (see ``AS_PRINTED["relu_000"]``)."""
    s = np.where(x < 0, 0, x)
    return s


def elu_000(x, alpha=1.0):
    """The lost ``*`` and closing parenthesis restored; the article's α is ``alpha``."""
    s = np.where(x >= 0, x, alpha * (np.exp(x) - 1))
    return s


def lrelu_000(x, alpha=0.01):
    """The lost ``*`` restored (``αx`` is a NameError); the article's α is ``alpha``."""
    s = np.where(x >= 0, x, alpha * x)
    return s


def selu_000(x, alpha=1.6732632423543772848170429916717,
             scale=1.0507009873554804934193349852946):
    y = []
    for i in x:
        if i >= 0:
            y_i = scale * i
        else:
            y_i = scale * alpha * (np.exp(i) - 1)
        y.append(y_i)
    return y


def tanh_000(x):
    s1 = np.exp(x) - np.exp(-x)
    s2 = np.exp(x) + np.exp(-x)
    s = s1 / s2
    return s


def gelu_000(x):
    """The article's one-line lambda (the tanh form), built on its own :func:`tanh_000`."""
    return 0.5 * x * (1 + tanh_000(np.sqrt(2 / np.pi) * (x + 0.044715 * np.power(x, 3))))


def softmax_000(x):
    """Sums over ``axis=1``: it needs a 2-D batch of rows."""
    x_exp = np.exp(x)
    x_sum = np.sum(x_exp, axis=1, keepdims=True)
    s = x_exp / x_sum
    return s


#: Lines of article 000 as the page printed them (characters lost), and the restored line.
AS_PRINTED = {
    "relu_000": ("s = np.where(x  0, 0, x)", "s = np.where(x < 0, 0, x)"),
    "elu_000": ("s = np.where(x >= 0, x, α(np.exp(x)-1)",
                "s = np.where(x >= 0, x, alpha * (np.exp(x) - 1))"),
    "lrelu_000": ("s = np.where(x >= 0, x, αx)", "s = np.where(x >= 0, x, alpha * x)"),
    "hard_sigmoid_000": ("if i  -2.5:", "if i < -2.5:"),
}


# ----------------------------------------------------------------------------------------------
# article 001 (single numbers and NumPy)
# ----------------------------------------------------------------------------------------------
def step_001(x):
    """The article's code: 1 for x > 0 (its formula says x ≥ 0, see :func:`step_formula_001`)."""
    if x > 0:
        return 1
    else:
        return 0


def step_formula_001(x):
    """The article's formula, f(x) = 1 for x ≥ 0, written as code."""
    return 1 if x >= 0 else 0


def sigmoid_001(x):
    return 1 / (1 + np.exp(-x))


def relu_001(x):
    return np.maximum(0, x)


# ----------------------------------------------------------------------------------------------
# article 002 (single Python numbers, printed with '%.1f')
# ----------------------------------------------------------------------------------------------
def sig_002(x):
    return 1/(1 + np.exp(-x))


def relu_002(x):
    return max(0.0, x)


def leaky_relu_002(x):
    if x > 0:
        return x
    else:
        return 0.01*x


class Printed(NamedTuple):
    """One printed example of article 002: the label in its print statement, the inputs in the
    order it prints them, and its printed output."""
    label: str
    inputs: tuple[float, ...]
    output: str


#: Article 002's printed examples, by the function that printed them.
PRINTED_002 = {
    "sigmoid": Printed("Sigmoid Activation", (1.0, -10.0, 0.0, 15.0, -2.0), """\
Applying Sigmoid Activation on (1.0) gives 0.7
Applying Sigmoid Activation on (-10.0) gives 0.0
Applying Sigmoid Activation on (0.0) gives 0.5
Applying Sigmoid Activation on (15.0) gives 1.0
Applying Sigmoid Activation on (-2.0) gives 0.1"""),
    "relu": Printed("Relu", (1.0, -10.0, 0.0, 15.0, -20.0), """\
Applying Relu on (1.0) gives 1.0
Applying Relu on (-10.0) gives 0.0
Applying Relu on (0.0) gives 0.0
Applying Relu on (15.0) gives 15.0
Applying Relu on (-20.0) gives 0.0"""),
    "leaky_relu": Printed("Leaky Relu", (1.0, -10.0, 0.0, 15.0, -20.0), """\
Applying Leaky Relu on (1.0) gives 1.0
Applying Leaky Relu on (-10.0) gives -0.1
Applying Leaky Relu on (0.0) gives 0.0
Applying Leaky Relu on (15.0) gives 15.0
Applying Leaky Relu on (-20.0) gives -0.2"""),
}


def print_line(label: str, x: float, y: float) -> str:
    """Article 002's print statement: ``'Applying %s on (%.1f) gives %.1f' % (label, x, y)``."""
    return "Applying %s on (%.1f) gives %.1f" % (label, x, y)


def _example(name: str) -> Printed:
    if name not in PRINTED_002:
        raise ValueError(f"sources: article 002 prints {', '.join(map(repr, PRINTED_002))}, got {name!r}")
    return PRINTED_002[name]


def printed(name: str, fn: Callable) -> str:
    """What article 002's example ``name`` prints when its function is ``fn`` (one call per input)."""
    if not callable(fn):
        raise TypeError(f"printed: fn must be callable, got {type(fn).__name__}")
    ex = _example(name)
    return "\n".join(print_line(ex.label, x, fn(x)) for x in ex.inputs)


def reproduces(name: str, fn: Callable) -> bool:
    """Whether ``fn`` prints exactly article 002's output for its example ``name``."""
    return printed(name, fn) == _example(name).output
