"""The registry of facts: every public activation, every attribute of CONTRIBUTING.md, valid values."""
import inspect
import math
import pathlib
import re
from collections.abc import Mapping

import pytest
from pybtex.database import parse_file

import activations as A
from afbook import glossary

ROOT = pathlib.Path(__file__).resolve().parents[1]
BIB = ROOT / "references.bib"

# every public activation, by kind (the names the chapters and CONTRIBUTING.md use)
PUBLIC = {
    "elementwise": [
        "step", "identity", "sigmoid", "hard_sigmoid", "log_sigmoid", "swish", "silu", "hard_swish", "mish",
        "relu", "relu6", "leaky_relu", "prelu", "rrelu", "elu", "celu", "selu", "gelu", "softplus",
        "softsign", "tanh", "hard_tanh", "tanh_shrink", "soft_shrink", "hard_shrink", "threshold",
    ],
    "vector": ["glu", "softmax", "log_softmax", "softmin", "maxout", "frelu"],
}
ALL = list(A.REGISTRY)
ATTRS = {
    "name": str, "title": str, "family": str, "kind": str, "formula": str, "derivative_formula": str,
    "params": tuple, "defaults": Mapping, "example_params": Mapping, "range": tuple, "range_closed": tuple,
    "range_latex": str, "bounded_below": bool, "bounded_above": bool, "bounded": bool, "monotonic": bool,
    "smoothness": str, "odd": bool, "zero_centred": bool, "saturating": str, "self_normalising": bool,
    "paper": str, "year": int, "used_in": tuple, "ja": str, "zh": str, "frameworks": Mapping, "summary": str,
}
PARAM_ATTRS = ("name", "default", "low", "high", "low_open", "high_open", "doc", "learnable")


@pytest.mark.parametrize("kind", ["elementwise", "vector"])
def test_every_public_name_is_registered_with_its_kind(kind):
    missing = [n for n in PUBLIC[kind] if n not in A.REGISTRY]
    assert not missing, f"missing from REGISTRY: {missing}"
    assert set(PUBLIC[kind]) <= set(A.names(kind=kind))
    for n in PUBLIC[kind]:
        assert getattr(A, n) is A.REGISTRY[n] is A.get(n), n
        assert A.REGISTRY[n].kind == kind, n


def test_names_filters():
    assert A.names() == ALL
    for fam in ("sigmoid", "tanh", "relu", "softmax", "other"):
        got = A.names(family=fam)
        assert got == [n for n in ALL if A.REGISTRY[n].family == fam]
    assert A.names(family="relu", kind="elementwise") == [
        n for n in ALL if A.REGISTRY[n].family == "relu" and A.REGISTRY[n].kind == "elementwise"]
    assert "relu" in A.names(family="relu") and "softmax" in A.names(family="softmax")
    assert set(A.names(kind="elementwise")) | set(A.names(kind="vector")) == set(ALL)


@pytest.mark.parametrize("bad", [{"family": "nope"}, {"kind": "nope"}])
def test_names_rejects_unknown_filters(bad):
    with pytest.raises(ValueError):
        A.names(**bad)


@pytest.mark.parametrize("name", ALL)
def test_attributes_exist_with_types(name):
    fn = A.REGISTRY[name]
    for attr, typ in ATTRS.items():
        assert hasattr(fn, attr), f"{name} lacks {attr}"
        val = getattr(fn, attr)
        if attr in ("paper", "year") and val is None:
            continue  # no paper (step, identity)
        assert isinstance(val, typ), f"{name}.{attr} is {type(val).__name__}, expected {typ.__name__}"
    assert hasattr(fn, "minimum")
    assert callable(fn)
    if fn.kind == "elementwise":
        assert callable(fn.derivative)
    if name in ("softmax", "log_softmax", "softmin", "glu"):
        assert callable(fn.jacobian)


@pytest.mark.parametrize("name", ALL)
def test_attribute_values(name):
    fn = A.REGISTRY[name]
    assert fn.name == name
    assert fn.title.strip() and fn.summary.strip() and "\n" not in fn.summary
    assert fn.ja.strip() and fn.zh.strip()
    assert all(isinstance(u, str) and u.strip() for u in fn.used_in)
    lo, hi = fn.range
    assert isinstance(lo, float) and isinstance(hi, float) and lo <= hi, fn.range
    assert len(fn.range_closed) == 2 and all(isinstance(b, bool) for b in fn.range_closed)
    if math.isinf(lo):
        assert not fn.range_closed[0]
    if math.isinf(hi):
        assert not fn.range_closed[1]
    if fn.minimum is not None:
        xm, fm = fn.minimum
        assert math.isfinite(xm) and math.isfinite(fm)
    if fn.paper:
        assert isinstance(fn.year, int) and 1940 <= fn.year <= 2026, fn.year


@pytest.mark.parametrize("name", ALL)
def test_range_latex_matches_the_range(name):
    fn = A.REGISTRY[name]
    s = fn.range_latex
    if not re.fullmatch(r"\s*[(\[][^(\[\])]*,[^(\[\])]*[)\]]\s*", s):
        pytest.skip(f"{name}: range {s!r} is not a single interval")
    opens = [c for c in s if c in "(["]
    closes = [c for c in s if c in ")]"]
    assert opens and closes, s
    assert (opens[0] == "[") == fn.range_closed[0], f"{name}: {s} vs range_closed {fn.range_closed}"
    assert (closes[-1] == "]") == fn.range_closed[1], f"{name}: {s} vs range_closed {fn.range_closed}"
    if math.isinf(fn.range[1]):
        assert "infty" in s, s


def _balanced(s):
    depth = 0
    s = s.replace(r"\{", "").replace(r"\}", "")
    for c in s:
        depth += {"{": 1, "}": -1}.get(c, 0)
        if depth < 0:
            return False
    return depth == 0


@pytest.mark.parametrize("name", ALL)
def test_latex_strings(name):
    fn = A.REGISTRY[name]
    for attr in ("formula", "derivative_formula", "range_latex"):
        s = getattr(fn, attr)
        assert s.strip(), f"{name}.{attr} is empty"
        assert "$" not in s, f"{name}.{attr} contains $ delimiters"
        assert _balanced(s), f"{name}.{attr} has unbalanced braces: {s}"
        left, right = len(re.findall(r"\\left\b", s)), len(re.findall(r"\\right\b", s))
        assert left == right, f"{name}.{attr}: \\left/\\right mismatch"
        assert s.count(r"\begin{") == s.count(r"\end{"), f"{name}.{attr}: \\begin/\\end mismatch"


@pytest.mark.parametrize("name", ALL)
def test_params(name):
    fn = A.REGISTRY[name]
    names = []
    for prm in fn.params:
        for attr in PARAM_ATTRS:
            assert hasattr(prm, attr), f"{name} param lacks {attr}"
        assert isinstance(prm.name, str) and prm.name.isidentifier()
        assert isinstance(prm.doc, str) and prm.doc.strip(), f"{name}.{prm.name} has no doc"
        assert isinstance(prm.learnable, bool)
        names.append(prm.name)
        d = prm.default
        if d is inspect.Parameter.empty:
            continue
        if isinstance(d, (int, float)) and not isinstance(d, bool):
            lo, hi = prm.low, prm.high
            assert lo <= hi
            assert (lo < d if prm.low_open else lo <= d), f"{name}.{prm.name}={d} below {lo}"
            assert (d < hi if prm.high_open else d <= hi), f"{name}.{prm.name}={d} above {hi}"
    assert len(set(names)) == len(names)
    # required parameters (no default) are absent from `defaults` and given in `example_params`
    required = [p.name for p in fn.params if p.default is inspect.Parameter.empty]
    assert dict(fn.defaults) == {p.name: p.default for p in fn.params if p.name not in required}
    assert set(fn.example_params) <= set(names)
    assert set(required) <= set(fn.example_params), f"{name}: example_params lacks required {required}"
    for k, v in fn.example_params.items():
        if k in fn.defaults:
            d = fn.defaults[k]
            assert v is d or v == d, f"{name}: example_params[{k!r}] = {v} differs from the default {d}"
    # the example parameters are enough to call the function
    import numpy as np
    x = np.zeros((1, 1, 4, 4)) if name == "frelu" else np.zeros((2, 12))
    fn(x, **fn.example_params)


EXPECTED_DEFAULTS = {
    "step": {"at_zero": 0.0},
    "hard_sigmoid": {"slope": 1 / 6},
    "swish": {"beta": 1.0},
    "leaky_relu": {"alpha": 0.01},
    "prelu": {"alpha": 0.25},
    "rrelu": {"lower": 1 / 8, "upper": 1 / 3, "training": False, "rng": None},
    "elu": {"alpha": 1.0},
    "celu": {"alpha": 1.0},
    "gelu": {"approximate": "none"},
    "softplus": {"beta": 1.0, "threshold": 20.0},
    "hard_tanh": {"min_val": -1.0, "max_val": 1.0},
    "soft_shrink": {"lambd": 0.5},
    "hard_shrink": {"lambd": 0.5},
    "glu": {"axis": -1},
    "softmax": {"axis": -1, "temperature": 1.0},
    "log_softmax": {"axis": -1, "temperature": 1.0},
    "softmin": {"axis": -1, "temperature": 1.0},
}


@pytest.mark.parametrize("name", list(EXPECTED_DEFAULTS))
def test_defaults_follow_pytorch(name):
    got = A.get(name).defaults
    for k, v in EXPECTED_DEFAULTS[name].items():
        assert k in got, f"{name} has no parameter {k!r}"
        assert got[k] == v, f"{name}: default {k}={got[k]!r}, PyTorch/reference uses {v!r}"


@pytest.mark.parametrize("name", ALL)
def test_frameworks(name):
    fw = A.REGISTRY[name].frameworks
    assert "pytorch" in fw, f"{name}.frameworks lacks pytorch"
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in fw.items())


def test_framework_calls_name_the_pytorch_function():
    expect = {"relu": "relu", "gelu": "gelu", "silu": "silu", "softmax": "softmax", "leaky_relu": "leaky_relu",
              "hard_swish": "hardswish", "hard_sigmoid": "hardsigmoid", "elu": "elu", "selu": "selu"}
    for name, torch_name in expect.items():
        assert torch_name in A.get(name).frameworks["pytorch"], (name, A.get(name).frameworks["pytorch"])


def _bib_keys():
    return set(parse_file(str(BIB), bib_format="bibtex").entries)


@pytest.mark.parametrize("name", [n for n in ALL if A.REGISTRY[n].paper])
def test_paper_key_is_in_the_bibliography(name):
    fn = A.REGISTRY[name]
    assert fn.paper in _bib_keys(), f"{name}.paper = {fn.paper!r} is not a key of references.bib"


def test_no_year_without_a_paper():
    assert [n for n in ALL if A.REGISTRY[n].paper is None and A.REGISTRY[n].year is not None] == []


GLOSSARY_TERMS = {"ReLU": "relu", "leaky ReLU": "leaky_relu", "sigmoid function": "sigmoid", "hyperbolic tangent": "tanh",
                  "softmax function": "softmax", "step function": "step", "identity function": "identity",
                  "hard sigmoid": "hard_sigmoid", "softmin": "softmin"}


@pytest.mark.parametrize("term,name", GLOSSARY_TERMS.items())
def test_glossary_names_agree_with_the_registry(term, name):
    entry = glossary.term(term, ROOT / "glossary.md")   # ValueError if the glossary has no entry
    a = A.get(name)
    assert (entry.ja, entry.zh) == (a.ja, a.zh), (term, entry, a.ja, a.zh)
