"""The textbook formulas the library replaces: the source articles' NumPy code
(:mod:`afbook.sources`), vectorised where the article loops over elements, and the usual
one-liners for functions the articles do not show. They overflow, lose precision or return nan
on some inputs (that is the point of the library); here they only serve as a speed baseline.
"""
import numpy as np
from scipy import special as sp

import activations as A
from afbook import sources as S

NAIVE = {
    "step": lambda x: np.where(x > 0, 1.0, 0.0).astype(x.dtype),            # article 001 (x > 0), vectorised
    "identity": lambda x: x.copy(),
    "sigmoid": S.sigmoid_000,                                                 # articles 000, 001, 002
    "hard_sigmoid": lambda x: np.clip(0.2 * x + 0.5, 0, 1),                   # article 000, vectorised
    "log_sigmoid": lambda x: np.log(S.sigmoid_000(x)),
    "swish": S.swish_000,
    "silu": lambda x: x / (1 + np.exp(-x)),
    "hard_swish": lambda x: x * np.clip(x + 3, 0, 6) / 6,
    "mish": lambda x: x * np.tanh(np.log(1 + np.exp(x))),
    "tanh": S.tanh_000,
    "hard_tanh": lambda x: np.where(x > 1, 1, np.where(x < -1, -1, x)).astype(x.dtype),
    "tanh_shrink": lambda x: x - S.tanh_000(x),
    "softsign": lambda x: x / (1 + np.abs(x)),
    "soft_shrink": lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0)).astype(x.dtype),
    "hard_shrink": lambda x: np.where(np.abs(x) > 0.5, x, 0).astype(x.dtype),
    "relu": S.relu_000,
    "relu6": lambda x: np.minimum(np.maximum(x, 0), 6),
    "leaky_relu": S.lrelu_000,                                                # α = 0.01
    "prelu": lambda x: np.where(x >= 0, x, 0.25 * x),
    "rrelu": lambda x: np.where(x >= 0, x, (1 / 8 + 1 / 3) / 2 * x),
    "elu": S.elu_000,                                                         # α = 1
    "celu": lambda x: np.maximum(0, x) + np.minimum(0, 1.0 * (np.exp(x / 1.0) - 1)),
    "selu": lambda x: A.SELU_LAMBDA * np.where(x >= 0, x, A.SELU_ALPHA * (np.exp(x) - 1)),  # art. 000
    "gelu": lambda x: 0.5 * x * (1 + sp.erf(x / np.sqrt(2))),
    "softplus": lambda x: np.log(1 + np.exp(x)),
    "threshold": lambda x: np.where(x > PARAMS["threshold"]["threshold"], x, PARAMS["threshold"]["value"]).astype(x.dtype),
}

#: scipy.special's own implementation, where it has one.
SCIPY = {
    "sigmoid": sp.expit,
    "log_sigmoid": sp.log_expit,
    "gelu": lambda x: x * sp.ndtr(x),
    "softplus": lambda x: np.logaddexp(0, x),
}

#: torch.nn.functional names (benchmark only; torch is optional).
TORCH = {
    "sigmoid": "torch.sigmoid", "hard_sigmoid": "F.hardsigmoid", "log_sigmoid": "F.logsigmoid",
    "swish": "F.silu", "silu": "F.silu", "hard_swish": "F.hardswish", "mish": "F.mish",
    "tanh": "torch.tanh", "hard_tanh": "F.hardtanh", "tanh_shrink": "F.tanhshrink",
    "softsign": "F.softsign", "soft_shrink": "F.softshrink", "hard_shrink": "F.hardshrink",
    "relu": "F.relu", "relu6": "F.relu6", "leaky_relu": "F.leaky_relu", "rrelu": "F.rrelu",
    "elu": "F.elu", "celu": "F.celu", "selu": "F.selu", "gelu": "F.gelu", "softplus": "F.softplus",
    "identity": "torch.clone",
}


# Parameters the library is called with where the naive formula fixes them (required parameters).
PARAMS = {"threshold": {"threshold": 1.0, "value": 0.0}}
