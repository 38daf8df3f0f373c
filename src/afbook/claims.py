"""Findings of the experiments chapter as checked objects.

Every sentence of the chapter that states a finding of a chaotic experiment is a :class:`Claim`:
a number-free ``text`` (the same on every machine) and a ``check(data)`` that returns
``(holds, margin, detail)`` on the results of :func:`afbook.experiments.load` or
:func:`afbook.experiments.run`. ``margin`` says how far the data are from making the claim false,
in the claim's ``unit`` (percentage points, settings, runs, ...): positive = holds with that much to
spare. ``detail`` names the numbers behind it (for reports and failures, never for the page).

A notebook shows ``claims.check(name, data)``: a ✔/✘ list of the texts, which fails loudly (an
AssertionError naming the claim and its detail) when one no longer holds. The prose glues its verdict
words from the same report, so the text cannot contradict the data. ``tests/test_experiment_claims.py``
checks the same claims on results recomputed on the machine that runs the tests.
"""
from __future__ import annotations

import html as _html
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from afbook import experiments as E
from afbook.display import HTMLDisplay

__all__ = ["Claim", "Outcome", "Report", "CLAIMS", "check", "evaluate"]


@dataclass(frozen=True)
class Claim:
    """A finding stated in the prose, with the check that decides it on the data."""

    id: str
    text: str
    check: Callable[[dict], tuple[bool, float, str]]
    unit: str = "points"

    def evaluate(self, data: dict) -> "Outcome":
        holds, margin, detail = self.check(data)
        return Outcome(self, bool(holds), float(margin), str(detail))


@dataclass(frozen=True)
class Outcome:
    claim: Claim
    holds: bool
    margin: float
    detail: str

    @property
    def line(self) -> str:
        return f"{'✔' if self.holds else '✘'} {self.claim.text}"


class Report(HTMLDisplay):
    """The outcomes of a list of claims: a ✔/✘ list whose text does not depend on the machine."""

    def __init__(self, outcomes: list[Outcome], caption: str | None = None):
        super().__init__()
        self.outcomes = list(outcomes)
        self.caption = caption

    def __getitem__(self, claim_id: str) -> Outcome:
        for o in self.outcomes:
            if o.claim.id == claim_id:
                return o
        raise KeyError(f"Report: no claim {claim_id!r}")

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.holds]

    def word(self, claim_id: str, yes: str = "holds", no: str = "does not hold") -> str:
        """A verdict word for the prose, taken from the outcome of ``claim_id``."""
        return yes if self[claim_id].holds else no

    @property
    def text(self) -> str:
        head = [self.caption] if self.caption else []
        return "\n".join(head + [o.line for o in self.outcomes])

    @property
    def html(self) -> str:
        esc = _html.escape
        items = "".join(
            f"<li><span aria-label='{'holds' if o.holds else 'fails'}'>"
            f"{'✔' if o.holds else '✘'}</span> {esc(o.claim.text)}</li>" for o in self.outcomes)
        cap = f"<p><strong>{esc(self.caption)}</strong></p>" if self.caption else ""
        return f"<div class='afx-claims'>{cap}<ul style='list-style:none;padding-left:0'>{items}</ul></div>"

    def margins(self) -> str:
        """Each claim with its margin and detail (for reports; these digits depend on the data)."""
        return "\n".join(f"{o.claim.id}: {'holds' if o.holds else 'FAILS'}, margin "
                         f"{o.margin:+.3g} {o.claim.unit} ({o.detail})" for o in self.outcomes)


def evaluate(name: str, data: dict) -> Report:
    """Every claim of experiment ``name`` on ``data``, without raising."""
    if name not in CLAIMS:
        raise ValueError(f"evaluate: no claims for {name!r}; choose one of {sorted(CLAIMS)}")
    return Report([c.evaluate(data) for c in CLAIMS[name]],
                  caption=f"Findings checked on the data ({len(CLAIMS[name])} claims)")


def check(name: str, data: dict) -> Report:
    """:func:`evaluate`, and raise an AssertionError naming every claim that does not hold."""
    report = evaluate(name, data)
    if report.failed:
        raise AssertionError("claims that no longer hold:\n" + "\n".join(
            f"  {o.claim.id}: {o.claim.text} [{o.detail}]" for o in report.failed))
    return report


# ------------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------------
def _pts(x: float) -> float:
    return 100.0 * x


def _at_least(value: float, bound: float) -> tuple[bool, float]:
    m = value - bound
    return (not math.isnan(m)) and m >= 0, m


def _both(*parts: tuple[bool, float]) -> tuple[bool, float]:
    return all(h for h, _ in parts), min(m for _, m in parts)


def _n_div(cell: dict) -> int:
    return int(sum(cell["diverged"]))


# ------------------------------------------------------------------------------------------------
# 02_dead_relus
# ------------------------------------------------------------------------------------------------
def _dead(data, act, lr, alpha=None, epochs=None):
    return E.dead_cell(data["main"], act, lr, alpha, epochs)


def _relu_dies(data):
    high = [E.mean_of(_dead(data, "relu", lr), "dead") for lr in (1.5, 2.0, 3.0)]
    low = [E.mean_of(_dead(data, "relu", lr), "dead") for lr in (0.1, 0.3, 1.0)]
    h, m = _both(_at_least(_pts(min(high)), 20.0), _at_least(10.0, _pts(max(low))))
    return h, m, (f"mean dead at lr >= 1.5: min {_pts(min(high)):.1f} %; "
                  f"at lr <= 1: max {_pts(max(low)):.1f} %")


def _relu_acc_falls(data):
    best_low = max(E.mean_of(_dead(data, "relu", lr), "acc") for lr in (0.1, 0.3, 1.0))
    worst_gap = min(best_low - E.mean_of(_dead(data, "relu", lr), "acc") for lr in (1.5, 2.0, 3.0))
    h, m = _at_least(_pts(worst_gap), 10.0)
    return h, m, f"best accuracy at lr <= 1 minus accuracy at lr >= 1.5: >= {_pts(worst_gap):.1f}"


def _leaky_never_dead(data):
    cells = [c for c in data["main"]["settings"] if c["activation"] == "leaky_relu"]
    worst = max((v for c in cells for v in c["dead"] if v is not None), default=0.0)
    return worst == 0.0, abs(_pts(worst)), f"largest dead fraction of a Leaky ReLU run: {worst!r}"


def _leaky_off(data):
    off = E.mean_of(_dead(data, "leaky_relu", 2.0), "off")
    h, m = _at_least(_pts(off), 20.0)
    return h, m, f"Leaky ReLU (0.01), lr 2: {_pts(off):.1f} % off"


def _leaky_no_rescue(data):
    parts, det = [], []
    for lr in (1.5, 2.0):
        d, se = E.paired_stats(_dead(data, "leaky_relu", lr)["acc"], _dead(data, "relu", lr)["acc"])
        parts.append(_at_least(_pts(2 * se - d), 0.0))
        det.append(f"lr {lr:g}: leaky - relu {_pts(d):+.1f} ± {_pts(se):.1f} (paired SE)")
    h, m = _both(*parts)
    return h, m, "; ".join(det)


def _leaky02_no_rescue(data):
    drop = E.mean_of(_dead(data, "leaky_relu", 0.3, 0.2), "acc") - E.mean_of(
        _dead(data, "leaky_relu", 1.5, 0.2), "acc")
    n3 = _n_div(_dead(data, "leaky_relu", 3.0, 0.2))
    h, m = _at_least(_pts(drop), 10.0)
    return h and n3 == 5, m, f"accuracy lr 0.3 minus lr 1.5: {_pts(drop):.1f}; diverged at 3: {n3}/5"


def _elu_diverges_first(data):
    e, r = _n_div(_dead(data, "elu", 1.0)), _n_div(_dead(data, "relu", 1.0))
    acc = E.mean_of(_dead(data, "relu", 1.0), "acc")
    h, m = _at_least(_pts(acc), 85.0)
    return h and e == 5 and r == 0, m, f"lr 1: ELU {e}/5 diverged, ReLU {r}/5, ReLU {_pts(acc):.1f} %"


def _small_lr_fixes(data):
    cells = [c for c in data["main"]["settings"] if c["lr"] == 0.3]
    worst = min(E.mean_of(c, "acc") for c in cells)
    n = sum(_n_div(c) for c in cells)
    h, m = _at_least(_pts(worst), 85.0)
    return h and n == 0, m, f"lr 0.3: lowest mean accuracy {_pts(worst):.1f} %, {n} diverged"


def _early_damage(data):
    tr = data["main"]["trace"]["relu"]
    h, m = _at_least(_pts(tr[5]), _pts(tr[-1]) / 2)
    return h, m, f"ReLU off after 5 epochs {_pts(tr[5]):.1f} %, at the end {_pts(tr[-1]):.1f} %"


def _units_revive(data):
    init = float(np.mean(data["main"]["init_off"]["relu"]))
    after = E.mean_of(_dead(data, "relu", 0.3), "off")
    h, m = _at_least(_pts(init - after), 0.0)
    return h and m > 0, m, f"ReLU off at init {_pts(init):.1f} %, after training at 0.3 {_pts(after):.1f} %"


# ------------------------------------------------------------------------------------------------
# 06_exercises, exercise 1
# ------------------------------------------------------------------------------------------------
def _budget(data):
    fast, slow = _dead(data, "relu", 2.0, epochs=300), _dead(data, "relu", 0.5, epochs=1200)
    df, ds = E.mean_of(fast, "dead"), E.mean_of(slow, "dead")
    af, as_ = E.mean_of(fast, "acc"), E.mean_of(slow, "acc")
    h, m = _both(_at_least(10.0, _pts(ds)), _at_least(_pts(df), 20.0),
                 _at_least(_pts(as_ - af), 20.0))
    return h, m, (f"lr 2 x 300: dead {_pts(df):.1f} %, acc {_pts(af):.1f} %; "
                  f"lr 0.5 x 1200: dead {_pts(ds):.1f} %, acc {_pts(as_):.1f} %")


def _slopes_no_fix(data):
    slow = E.mean_of(_dead(data, "relu", 0.5, epochs=1200), "acc")
    cells = [_dead(data, "leaky_relu", 1.5, a) for a in (0.01, 0.1, 0.25)]
    best = max(E.mean_of(c, "acc") for c in cells)
    worst_dead = max((v for c in cells for v in c["dead"] if v is not None), default=0.0)
    h, m = _at_least(_pts(slow - best), 5.0)
    return h and worst_dead == 0.0, m, (f"best Leaky accuracy {_pts(best):.1f} % vs slow ReLU "
                                        f"{_pts(slow):.1f} %; largest dead {worst_dead!r}")


def _steep_leak(data):
    n = _n_div(_dead(data, "leaky_relu", 1.5, 0.5))
    return n >= 4, n - 4, f"alpha 0.5: {n}/5 diverged"


# ------------------------------------------------------------------------------------------------
# 04_ranking (the fair ranking: rates tuned on validation, 20 paired runs, Holm)
# ------------------------------------------------------------------------------------------------
GENERATED = ("spirals", "circles", "sine")


def _cmp(data, better, worse, task, depth, cmps=None):
    cmps = E.fair_comparisons(data) if cmps is None else cmps
    for e in cmps:
        if (e["better"], e["worse"], e["task"], e["depth"]) == (better, worse, task, depth):
            return e
    raise KeyError((better, worse, task, depth))


def _sigmoid_behind_tanh(data):
    cmps = E.fair_comparisons(data)
    gen = [e for e in cmps if e["worse"] == "sigmoid" and e["task"] in GENERATED]
    n = sum(e["verdict"] == "holds" for e in gen)
    return n >= 4, n - 4, f"tanh > sigmoid resolved (Holm) in {n} of {len(gen)} generated settings"


def _sigmoid_spirals(data):
    cmps = E.fair_comparisons(data)
    lows = [_cmp(data, "tanh", "sigmoid", "spirals", d, cmps)["diff"].low
            for d in data["config"]["tasks"]["spirals"]["depths"]]
    h, m = _at_least(min(lows), 5.0)
    return h, m, "tanh - sigmoid on the spirals, lower 95 % bounds: " + ", ".join(
        f"{v:.1f}" for v in lows)


def _digits_unresolved(data):
    cmps = [e for e in E.fair_comparisons(data) if e["task"] == "digits"]
    p = min(e["p_holm"] for e in cmps)
    n = sum(e["verdict"] != "unresolved" for e in cmps)
    return n == 0, p - 0.05, f"digits: {n} of {len(cmps)} steps resolved, smallest Holm p {p:.3g}"


def _seed_steps_unresolved(data):
    cmps = [e for e in E.fair_comparisons(data) if e["worse"] != "sigmoid"]
    n = sum(e["verdict"] == "unresolved" for e in cmps)
    k = sum(e["verdict"] == "holds" for e in cmps)
    return n >= 22, n - 22, f"{n} of {len(cmps)} unresolved, {k} hold, {len(cmps) - n - k} reversed"


def _never_ahead(better):
    def check(data):
        cmps = [e for e in E.fair_comparisons(data) if e["better"] == better]
        n = sum(e["verdict"] == "holds" for e in cmps)
        pos = [e["p_holm"] for e in cmps if e["diff"].mean > 0]
        m = min(pos) - 0.05 if pos else 1.0
        return n == 0, m, (f"{better} > {cmps[0]['worse']} resolved in {n} of {len(cmps)} "
                           f"settings")
    return check


def _gap_to_bayes(data, task, acts):
    means, bayes = E.fair_means(data), data["main"]["bayes"][task]["population"]
    return {(d, a): _pts(bayes - means[task, d, a])
            for d in data["config"]["tasks"][task]["depths"] for a in acts}


def _circles_ceiling(data):
    acts = [a for a in data["config"]["activations"] if a != "sigmoid"]
    gaps = _gap_to_bayes(data, "circles", acts)
    worst = max(gaps.values())
    h, m = _at_least(1.5, worst)
    return h, m, f"largest gap to the Bayes accuracy on the circles (no sigmoid): {worst:.2f}"


def _spirals_room(data):
    gaps = _gap_to_bayes(data, "spirals", data["config"]["activations"])
    best = min(gaps.values())
    h, m = _at_least(best, 3.0)
    return h, m, f"smallest gap to the Bayes accuracy on the spirals: {best:.2f} points"


def _shallow_spread(data, limits={"spirals": 6.0, "circles": 1.0, "digits": 1.5}):
    means = E.fair_means(data)
    acts = [a for a in data["config"]["activations"] if a != "sigmoid"]
    parts, det = [], []
    for t, limit in limits.items():
        for d in data["config"]["tasks"][t]["depths"]:
            v = [means[t, d, a] for a in acts]
            s = _pts(max(v) - min(v))
            parts.append(_at_least(limit, s))
            det.append(f"{t}-{d}: {s:.2f}")
    h, m = _both(*parts)
    return h, m, "spread without sigmoid: " + ", ".join(det)


ZERO_CENTRED_LR = 0.01


def _zero_centred(data):
    cmps = {(e["task"], e["depth"]): e
            for e in E.epochs_comparisons(data, "tanh", "relu", ZERO_CENTRED_LR)}
    slow = [cmps[t, d] for t in ("spirals", "circles")
            for d in data["config"]["tasks"][t]["depths"]]
    fast = [cmps["digits", d] for d in data["config"]["tasks"]["digits"]["depths"]]
    ok = (all(e["verdict"] == "slower" for e in slow)
          and all(e["verdict"] == "faster" for e in fast))
    m = 0.05 - max(e["p_holm"] for e in slow + fast)
    return ok, m, "tanh - ReLU epochs to target: " + ", ".join(
        f"{t}-{d} {e['diff'].mean:+.1f} ({e['verdict']})" for (t, d), e in cmps.items())


def epoch_choice_effects(data) -> dict:
    """(task, depth, activation) -> change of the mean test metric (accuracy: points; loss: its
    value) when the validation split chooses the epochs as well as the rate, against choosing
    the rate alone for the full budget."""
    fixed, out = E.fair_fixed_budget(data), {}
    for t, d in E.fair_settings(data):
        k = 100.0 if data["config"]["tasks"][t]["higher_is_better"] else 1.0
        for a in data["config"]["activations"]:
            out[t, d, a] = k * float(np.mean(E.fair_values(data, t, d, a))
                                     - np.mean(E.fair_values(fixed, t, d, a)))
    return out


EPOCH_EFFECT_LIMIT = 2.0     # accuracy points


def _epochs_small(data):
    eff = {k: v for k, v in epoch_choice_effects(data).items()
           if data["config"]["tasks"][k[0]]["higher_is_better"]}
    (t, d, a), worst = max(eff.items(), key=lambda kv: abs(kv[1]))
    h, m = _at_least(EPOCH_EFFECT_LIMIT, abs(worst))
    return h, m, f"largest change {worst:+.2f} points ({t}-{d}, {a})"


def _lr_differs(data):
    acts = data["config"]["activations"]
    n = sum(len({E.chosen(data, t, d, a)[0] for a in acts}) > 1 for t, d in E.fair_settings(data))
    k = len(E.fair_settings(data))
    return n >= 4, n - 4, f"the chosen rate differs between activations in {n} of {k} settings"


# ------------------------------------------------------------------------------------------------
# 06_exercises, exercise 4
# ------------------------------------------------------------------------------------------------
def _test(data, act, k=None):
    v = E.values(E.find(data["main"]["cells"], activation=act), "test")
    return v if k is None else v[:k]


def _selu_behind(data):
    d = _test(data, "elu").mean() - _test(data, "selu").mean()
    h, m = _at_least(_pts(d), 0.0)
    return h and m > 0, m, f"ELU - SELU with 20 seeds: {_pts(d):+.1f} points"


def _five_overstate(data):
    g5 = _test(data, "elu", 5).mean() - _test(data, "selu", 5).mean()
    g20 = _test(data, "elu").mean() - _test(data, "selu").mean()
    h, m = _at_least(_pts(g5 - g20), 0.0)
    return h and m > 0, m, f"ELU - SELU: {_pts(g5):+.1f} (5 seeds), {_pts(g20):+.1f} (20 seeds)"


def _relu_leaky_noise(data):
    out = [E.verdict(_test(data, "relu", k), _test(data, "leaky_relu", k)) for k in (5, None)]
    m = -max(mm for _, mm in out)
    return all(v == "noise" for v, _ in out), m, (
        "ReLU vs Leaky ReLU: " + ", ".join(f"{v} ({mm:+.2f} SE beyond 2)" for v, mm in out))


CLAIMS: dict[str, list[Claim]] = {
    "dead_units": [
        Claim("relu_dies", "ReLU ends with at least 20 % dead units on average at every learning "
              "rate of 1.5 or more, and with at most 10 % at every learning rate up to 1.",
              _relu_dies),
        Claim("relu_accuracy_falls", "ReLU's training accuracy at learning rates of 1.5 or more "
              "is at least 10 points below its best at learning rates up to 1.", _relu_acc_falls),
        Claim("leaky_never_dead", "No Leaky ReLU run (either slope) has a single dead unit.",
              _leaky_never_dead, "percentage points (exact)"),
        Claim("leaky_switches_off", "At a learning rate of 2, at least 20 % of the Leaky ReLU "
              "(α = 0.01) units are off on every training point.", _leaky_off),
        Claim("leaky_no_rescue", "At learning rates 1.5 and 2, Leaky ReLU (α = 0.01) trains no "
              "better than ReLU beyond twice the paired standard error over the seeds.",
              _leaky_no_rescue),
        Claim("steeper_leak_no_rescue", "With α = 0.2, the accuracy at a learning rate of 1.5 is "
              "at least 10 points below that at 0.3, and every run diverges at 3.",
              _leaky02_no_rescue),
        Claim("elu_diverges_first", "At a learning rate of 1 every ELU run diverges, while no "
              "ReLU run does and ReLU reaches at least 85 % training accuracy.",
              _elu_diverges_first),
        Claim("small_lr_fixes", "At a learning rate of 0.3 no run diverges and every variant "
              "reaches at least 85 % training accuracy on average.", _small_lr_fixes),
        Claim("early_damage", "In the traced ReLU run, at least half of the final share of off "
              "units is already off after five epochs.", _early_damage),
        Claim("units_revive", "At a learning rate of 0.3, fewer ReLU units are off after "
              "training than at initialisation.", _units_revive),
    ],
    "dead_units_exercise": [
        Claim("budget_not_amount", "ReLU at a learning rate of 0.5 for 1200 epochs ends with at "
              "most 10 % dead units and at least 20 points more training accuracy than at 2 for "
              "300 epochs, which ends with at least 20 % dead.", _budget),
        Claim("slopes_no_fix", "With α = 0.01, 0.1 and 0.25 at a learning rate of 1.5 no unit "
              "is dead, yet the accuracy stays at least 5 points below the slow ReLU run.",
              _slopes_no_fix),
        Claim("steep_leak_diverges", "With α = 0.5 at a learning rate of 1.5, at least 4 of the "
              "5 runs diverge.", _steep_leak, "runs"),
    ],
    "ranking": [
        Claim("sigmoid_behind_tanh", "On the generated tasks, sigmoid is behind tanh after "
              "Holm's correction in at least 4 of the 6 settings.", _sigmoid_behind_tanh,
              "settings"),
        Claim("sigmoid_fails_spirals", "On the spirals, tanh beats sigmoid by at least 5 points "
              "(lower end of the 95 % interval) at both depths.", _sigmoid_spirals),
        Claim("digits_no_step_resolved", "On the digits, none of the five steps of the seed's "
              "ranking is resolved after Holm's correction, not even tanh > sigmoid.",
              _digits_unresolved, "Holm p-value above 0.05"),
        Claim("seed_steps_unresolved", "Of the 28 steps among SELU, ELU, Leaky ReLU, ReLU and "
              "tanh (4 steps × 7 settings), at least 22 are unresolved after Holm's correction.",
              _seed_steps_unresolved, "comparisons"),
        Claim("selu_not_first", "SELU is ahead of ELU after Holm's correction in none of the 7 "
              "settings.", _never_ahead("selu"), "Holm p-value above 0.05"),
        Claim("relu_not_ahead_of_tanh", "ReLU is ahead of tanh after Holm's correction in none "
              "of the 7 settings.", _never_ahead("relu"), "Holm p-value above 0.05"),
        Claim("circles_at_ceiling", "On the circles, every activation except sigmoid is within "
              "1.5 points of the Bayes-optimal accuracy at both depths.", _circles_ceiling),
        Claim("spirals_room", "On the spirals, even the best activation stays at least 3 points "
              "below the Bayes-optimal accuracy at both depths.", _spirals_room),
        Claim("shallow_spread", "Leaving sigmoid out, the seven other activations lie within 6 "
              "points of each other on the spirals, 1 point on the circles (2 and 4 hidden "
              "layers) and 1.5 points on the digits.", _shallow_spread),
        Claim("zero_centred_not_faster", "At a common learning rate of 0.01, tanh reaches the "
              "training target later than ReLU on the spirals and the circles at both depths, "
              "and sooner on the digits (paired, Holm over the 7 settings).", _zero_centred,
              "Holm p-value below 0.05"),
        Claim("epoch_choice_small", "Choosing the number of epochs on the validation split "
              "as well as the rate moves no activation's mean test accuracy by more than "
              f"{EPOCH_EFFECT_LIMIT:g} points in any classification setting.", _epochs_small,
              "points"),
        Claim("learning_rate_differs", "The validation split picks different learning rates "
              "for different activations in at least 4 of the 7 settings.", _lr_differs,
              "settings"),
    ],
    "ranking_20_seeds": [
        Claim("selu_behind_elu", "With 20 seeds SELU is still behind ELU on the spirals.",
              _selu_behind),
        Claim("five_seeds_overstate", "The gap between SELU and ELU is smaller with 20 seeds "
              "than with the first 5.", _five_overstate),
        Claim("relu_leaky_noise", "ReLU and Leaky ReLU are within the noise with 5 and with 20 "
              "seeds.", _relu_leaky_noise, "standard errors below 2"),
    ],
}

# 08_deep_networks: the claims live beside their experiment, in afbook/deep.py
from afbook import deep as _deep  # noqa: E402

CLAIMS["deep_networks"] = _deep.claims()
