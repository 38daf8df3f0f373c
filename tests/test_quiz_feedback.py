"""Quiz feedback agrees with its computed key.

Keys are computed (answer.expr), but explanations are prose that may quote the answer ("≈ 88.72").
A quoted number close to the key must be the key at the precision it is written with: a typed value
that drifted from the library, or a rounding instruction that the key does not follow, fails here.
"""
import json
import math
import pathlib
import re

import pytest

from afbook import quiz

ROOT = pathlib.Path(__file__).resolve().parents[1]
QUIZ_FILES = sorted(p for p in ROOT.glob("chapters/**/quiz.json") if "_build" not in p.parts)
# 88.72, −6.02, 9.5\times10^{-7}, 4.5×10^-5 (Unicode or TeX minus and times)
NUMBER = re.compile(r"(?<![\w.^{])([−-]?\d+(?:\.\d+)?)(?:\s*(?:\\times|×)\s*10\^\{?([−-]?\d+)\}?)?(?![\w.])")


def quoted_numbers(text: str):
    """(value, half of the last written digit) for each number written in ``text``."""
    for m in NUMBER.finditer(text):
        mant, exp = m.group(1).replace("−", "-"), m.group(2)
        decimals = len(mant.split(".")[1]) if "." in mant else 0
        scale = 10.0 ** int(exp.replace("−", "-")) if exp else 1.0
        yield float(mant) * scale, 0.5 * 10.0 ** -decimals * scale


def numeric_questions():
    for path in QUIZ_FILES:
        data = json.loads(path.read_text(encoding="utf-8"))
        for q in data["questions"]:
            if q.get("type") == "numeric":
                yield pytest.param(q, id=f"{path.parent.name}:{q['id']}")


@pytest.mark.parametrize("q", list(numeric_questions()))
def test_numbers_quoted_near_the_key_are_the_key(q):
    key = float(quiz.evaluate(q["answer"]["expr"]))
    text = " ".join(str(q.get(k, "")) for k in ("explanation", "hint"))
    for value, half_digit in quoted_numbers(text):
        if key == 0 or not math.isfinite(value):
            continue
        if abs(value - key) <= 0.015 * abs(key):         # a number that quotes the answer
            assert abs(value - key) <= half_digit * 1.0001 + 1e-12 * abs(key), \
                f"{q['id']}: the explanation says {value:g}, but the key is {key!r}"


def test_the_number_reader_reads_the_forms_in_use():
    got = list(quoted_numbers(r"about 88.72, $9.5\times10^{-7}$, 4.5×10^-5 and −6.02"))
    assert [v for v, _ in got] == pytest.approx([88.72, 9.5e-7, 4.5e-5, -6.02])
    assert got[0][1] == pytest.approx(0.005)
