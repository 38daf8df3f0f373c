"""Unit tests of afbook.stats (paired comparisons, Holm, Benjamini–Hochberg, Bayes ceilings)."""
import math

import numpy as np
import pytest
from scipy import stats as sps

from afbook import datasets
from afbook import stats as S

pytestmark = pytest.mark.filterwarnings("error")

# Benjamini & Hochberg (1995), section 3.2: 15 p-values of a clinical trial. At level 0.05 the
# Bonferroni-type procedures (Holm's among them) reject 3 hypotheses, the FDR procedure 4.
BH_1995 = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240,
           0.4262, 0.5719, 0.6528, 0.7590, 1.0]


def test_holm_on_known_p_values():
    # hand computation: sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 -> 0.02, 0.03, 0.06,
    # 0.04 -> running maximum 0.02, 0.03, 0.06, 0.06 (returned in the input order)
    np.testing.assert_allclose(S.holm([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02])
    adj = S.holm(BH_1995)
    assert int(np.sum(adj <= 0.05)) == 3
    np.testing.assert_allclose(adj[:4], [0.0015, 0.0056, 0.0247, 0.114])
    assert np.all(adj <= 1) and np.all(adj >= np.asarray(BH_1995))
    assert S.holm([0.3, 0.9]).tolist() == [0.6, 0.9]   # capped at 1 only where needed


def test_benjamini_hochberg_on_known_p_values():
    adj = S.benjamini_hochberg(BH_1995)
    assert int(np.sum(adj <= 0.05)) == 4
    # step-up: p_(i) * m / i, then the running minimum from the top
    np.testing.assert_allclose(S.benjamini_hochberg([0.01, 0.02, 0.03, 0.04]), [0.04] * 4)
    np.testing.assert_allclose(S.benjamini_hochberg([0.04, 0.001]), [0.04, 0.002])


@pytest.mark.parametrize("fn", [S.holm, S.benjamini_hochberg])
def test_adjustments_reject_bad_p_values(fn):
    with pytest.raises(ValueError, match="pvalues"):
        fn([])
    with pytest.raises(ValueError, match="p-value"):
        fn([0.1, 1.5])
    with pytest.raises(TypeError, match="pvalues"):
        fn(["a"])


def test_paired_difference_matches_a_hand_computation():
    a = np.array([0.80, 0.85, 0.90, 0.70, 0.75])
    b = np.array([0.78, 0.80, 0.86, 0.71, 0.70])
    d = a - b
    r = S.paired(a, b)
    se = d.std(ddof=1) / math.sqrt(5)
    t = sps.t.ppf(0.975, 4)
    assert r.mean == pytest.approx(d.mean()) and r.se == pytest.approx(se)
    assert (r.low, r.high) == pytest.approx((d.mean() - t * se, d.mean() + t * se))
    assert r.p == pytest.approx(2 * sps.t.sf(abs(d.mean() / se), 4))
    assert r.d_z == pytest.approx(d.mean() / d.std(ddof=1)) and r.n == 5
    pts = r.scaled(100)
    assert pts.mean == pytest.approx(100 * r.mean) and pts.low == pytest.approx(100 * r.low)
    neg = r.scaled(-1)
    assert neg.low == pytest.approx(-r.high) and neg.d_z == pytest.approx(-r.d_z)


def test_paired_is_paired_not_unpaired():
    # a shared seed effect: unpaired, the difference drowns; paired, it is clear
    base = np.linspace(0.6, 0.9, 10)
    r = S.paired(base + 0.01 + 0.001 * np.sin(np.arange(10)), base)
    assert r.p < 1e-6 and sps.ttest_ind(base + 0.01, base).pvalue > 0.5


def test_paired_edge_cases():
    r = S.paired([1, 2, None, 4], [0, 1, 5, 3])      # None is dropped with its pair
    assert r.n == 3 and r.mean == 1.0 and r.se == 0.0 and r.p == 0.0 and r.d_z == math.inf
    assert S.paired([1, 2], [1, 2]).p == 1.0
    with pytest.raises(ValueError, match="same length"):
        S.paired([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="two pairs"):
        S.paired([1, float("nan")], [1, 2])
    with pytest.raises(ValueError, match="confidence"):
        S.paired([1, 2], [2, 3], confidence=95)
    with pytest.raises(TypeError, match="a must be"):
        S.paired("ab", [1, 2])


def test_interval_covers_at_the_stated_rate():
    rng = np.random.default_rng(0)
    hits = 0
    for _ in range(400):
        r = S.paired(rng.normal(0.3, 1, 8), np.zeros(8), confidence=0.9)
        hits += r.low <= 0.3 <= r.high
    assert 0.85 <= hits / 400 <= 0.95


def test_bayes_posterior_and_accuracy():
    # the Bayes classifier beats any other rule; it is near 1 on the circles and about 0.9 on
    # the spirals (noise 0.1, 1.5 turns)
    acc, se = S.bayes_accuracy("circles", n=4000)
    assert 0.985 < acc < 0.999 and 0 < se < 0.002
    acc_s, se_s = S.bayes_accuracy("spirals", n=4000)
    assert 0.87 < acc_s < 0.92 and se_s < 0.005
    # quadrature: a finer grid changes nothing that matters
    X, y = datasets.load("spirals", n=500, seed=3)
    p1, p2 = S.bayes_posterior("spirals", X), S.bayes_posterior("spirals", X, grid=4000)
    assert np.max(np.abs(p1 - p2)) < 1e-3
    # posterior agrees with the labels it was built for: far better than chance on fresh data
    assert np.mean((p1 > 0.5) == (y == 1)) > 0.85
    # a simple rule (radius threshold) cannot beat the Bayes rule on the circles
    Xc, yc = datasets.load("circles", n=4000, seed=5)
    radius_rule = np.mean((np.hypot(*Xc.T) < 0.75) == (yc == 1))
    bayes_rule = np.mean((S.bayes_posterior("circles", Xc) > 0.5) == (yc == 1))
    assert bayes_rule >= radius_rule - 1e-12
    assert S.bayes_loss("sine") == pytest.approx(0.005)


def test_bayes_helpers_reject_bad_input():
    with pytest.raises(ValueError, match="task"):
        S.bayes_accuracy("nope")
    with pytest.raises(ValueError, match="only"):
        S.bayes_posterior("sine", np.zeros((3, 2)))
    with pytest.raises(ValueError, match="X must"):
        S.bayes_posterior("circles", np.zeros((3, 3)))
    with pytest.raises(ValueError, match="grid"):
        S.bayes_posterior("circles", np.zeros((3, 2)), grid=2)
    with pytest.raises(ValueError, match="n must"):
        S.bayes_accuracy("circles", n=5)
    with pytest.raises(ValueError, match="only the regression"):
        S.bayes_loss("circles")


def test_paired_agrees_with_scipy_ttest_rel():
    rng = np.random.default_rng(1)
    a, b = rng.normal(0.8, 0.05, 12), rng.normal(0.78, 0.05, 12)
    r, ref = S.paired(a, b, confidence=0.9), sps.ttest_rel(a, b)
    ci = ref.confidence_interval(confidence_level=0.9)
    assert r.p == pytest.approx(ref.pvalue, rel=1e-10)
    assert (r.low, r.high) == pytest.approx((ci.low, ci.high), rel=1e-10)
