"""Unit tests of afbook.experiments and afbook.claims (small and fast; the experiments themselves are
recomputed in test_experiment_claims.py)."""
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

import activations as A
from afbook import claims as C
from afbook import experiments as E
from afbook import datasets, mlp

ROOT = Path(__file__).resolve().parents[1]


# --- initialisation table ------------------------------------------------------------------------
def test_every_elementwise_activation_has_an_initialiser():
    elementwise = set(A.names(kind="elementwise"))
    assert set(E.INITIALISATION) == elementwise
    for name, (init, why) in E.INITIALISATION.items():
        assert init in mlp.INITIALISERS and why


def test_initialiser_choices_that_the_text_states():
    assert E.recommended_init("selu") == "lecun_normal"
    assert E.recommended_init("tanh") == E.recommended_init("sigmoid") == "glorot_normal"
    # the bug of issue 16: SiLU, swish, Mish and hard swish are rectifier-like, not sigmoid-like
    for name in ("relu", "leaky_relu", "elu", "gelu", "silu", "swish", "mish", "hard_swish"):
        assert E.recommended_init(name) == "he_normal", name
    with pytest.raises(ValueError, match="softmax"):
        E.recommended_init("softmax")
    with pytest.raises(ValueError):
        E.recommended_init("no_such_activation")
    with pytest.raises(TypeError):
        E.recommended_init(3)


def test_init_table_renders_the_code():
    t = E.init_table(["silu", "selu", "tanh"])
    assert [r[:2] for r in t.rows] == [["SiLU", "He normal"], ["SELU", "LeCun normal"],
                                       ["Tanh", "Glorot normal"]]


def _nb_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            src = "".join(cell["source"])
            for out in cell.get("outputs", []):
                text = out.get("data", {}).get("text/plain") or out.get("text")
                if text:
                    yield src, "".join(text)


def test_ranking_page_states_the_initialisation_from_the_code():
    # the set-up of 04_ranking prints the table of the initialisers the runs used; the committed
    # output must be what the current code renders, for exactly the activations of the experiment
    acts = E.EXPERIMENTS["ranking"][1]["activations"]
    shown = [out for src, out in _nb_outputs(ROOT / "chapters/experiments/04_ranking.ipynb")
             if "init_table" in src]
    assert shown == [E.init_table(acts).text]
    stored = E.load("ranking")
    assert {c["activation"]: c["init"] for c in stored["main"]["cells"]} == {
        a: E.recommended_init(a) for a in acts}
    md = "".join("".join(c["source"]) for c in json.loads(
        (ROOT / "chapters/experiments/04_ranking.ipynb").read_text())["cells"]
        if c["cell_type"] == "markdown")
    assert "He normal for the rest" not in md


# --- drivers ----------------------------------------------------------------------------------------
def test_train_seeds_equals_train_on_task():
    many = E.train_seeds("circles", "tanh", 2, 8, seeds=(0, 1), n=40, epochs=15, lr=0.02)
    for s, r in zip((0, 1), many):
        one = E.train_on_task("circles", "tanh", 2, 8, seed=s, n=40, epochs=15, lr=0.02)
        np.testing.assert_allclose(r["history"]["loss"], one["history"]["loss"], rtol=1e-10)
        assert r["test_accuracy"] == pytest.approx(one["test_accuracy"])
        assert r["net"].init == "glorot_normal"
    reg = E.train_on_task("sine", "relu", 1, 4, n=20, epochs=3)
    assert "test_accuracy" not in reg and np.isfinite(reg["test_loss"])
    with pytest.raises(ValueError, match="unknown task"):
        E.train_on_task("moons", "relu", 1)
    with pytest.raises(ValueError, match="hidden_layers"):
        E.train_on_task("sine", "relu", -1)


def test_perturb_nudges_every_initial_weight_by_one_ulp():
    a = E.train_on_task("sine", "relu", 2, 4, n=20, epochs=0)["net"]
    b = E.train_on_task("sine", "relu", 2, 4, n=20, epochs=0, perturb=True)["net"]
    for wa, wb in zip(a.weights, b.weights):
        assert np.all(wb == np.nextafter(wa, np.inf))


def test_inactive_fraction():
    net = mlp.MLP([2, 4, 1], activation="leaky_relu", seed=0)
    net.biases[0][:2] = -1e6                 # two units off on every input
    X = np.random.default_rng(0).normal(size=(10, 2))
    assert E.inactive_fraction(net, X) == 0.5
    assert net.dead_fraction(X) == 0.0       # leaky units are never dead


# --- display ----------------------------------------------------------------------------------------
def test_table_and_mean_std():
    t = E.Table(["a", "b"], [[1, "<x>"], [-0.5, 2.0]], caption="cap")
    bundle = t._repr_mimebundle_()
    assert "&lt;x&gt;" in bundle["text/html"] and "<caption>cap</caption>" in bundle["text/html"]
    assert bundle["text/plain"].splitlines()[0] == "cap"
    assert t.rows[1] == ["−0.5", "2"]        # numbers through display.fmt
    with pytest.raises(ValueError):
        E.Table(["a"], [[1, 2]])
    assert E.mean_std([0.5, 0.7], 2) == "0.60 ± 0.10"
    assert E.mean_std([0.5, np.nan], 1, percent=True) == "50.0 % (1 run)"
    assert E.mean_std([None, np.nan]) == "—"
    assert E.mean_std([0.5, 0.7], 1, replicate=[0.5, 0.7]) == "0.6 ± 0.1"
    assert E.mean_std([0.5, 0.7], 1, replicate=[0.5, 0.9]) == "0.6 ± 0.1 †"
    with pytest.raises(ValueError, match="digits"):
        E.mean_std([1.0], -1)


# --- statistics -----------------------------------------------------------------------------------
def test_paired_stats_and_verdict_on_known_numbers():
    d, se = E.paired_stats([1.0, 2.0, 3.0, None], [0.0, 0.0, 0.0, 5.0])
    assert d == 2.0 and se == pytest.approx(1 / math.sqrt(3))
    with pytest.raises(ValueError, match="two seeds"):
        E.paired_stats([1.0], [0.0])
    # means 1 and 0, SE = sqrt(1/3 + 0) -> |diff| / SE = sqrt(3) = 1.73 < 2: noise
    v, m = E.verdict([0.0, 1.0, 2.0], [0.0, 0.0, 0.0])
    assert v == "noise" and m == pytest.approx(math.sqrt(3) - 2)
    v, m = E.verdict([10.0, 11.0, 12.0], [0.0, 0.0, 0.0])
    assert v == "holds" and m > 0
    assert E.verdict([10.0, 11.0, 12.0], [0.0, 0.0, 0.0], higher_is_better=False)[0] == "reversed"
    assert E.verdict([1.0, 1.0], [1.0, 1.0])[0] == "noise"


def test_find_and_values():
    cells = [{"a": 1, "v": [0.5, None]}, {"a": 2, "v": [1.0, 2.0]}]
    assert E.find(cells, a=2)["v"] == [1.0, 2.0]
    assert np.isnan(E.values(E.find(cells, a=1), "v")[1])
    with pytest.raises(ValueError, match="0 cells"):
        E.find(cells, a=3)
    with pytest.raises(ValueError, match="has no"):
        E.values(cells[0], "w")


# --- stored results -------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(E.EXPERIMENTS))
def test_stored_results_match_the_config_and_carry_provenance(name):
    data = E.load(name, recompute=False)
    assert data["name"] == name and "replicate" in data
    p = data["provenance"]
    for key in ("git_commit", "cpu", "numpy", "scipy", "blas", "simd_dispatch_active"):
        assert key in p
    note = E.provenance_note(data)
    assert p["numpy"] in note and p["cpu"] in note


def test_load_refuses_stale_results(tmp_path, monkeypatch):
    src = E.results_dir() / "ranking_20_seeds.json"
    data = json.loads(src.read_text())
    data["config"]["seeds"] = [0, 1]
    (tmp_path / "results").mkdir()
    (tmp_path / "_config.yml").write_text("")
    (tmp_path / "results" / "ranking_20_seeds.json").write_text(json.dumps(data))
    monkeypatch.setattr(E, "results_dir", lambda: tmp_path / "results")
    with pytest.raises(ValueError, match="make results"):
        E.load("ranking_20_seeds", recompute=False)
    with pytest.raises(ValueError, match="unknown experiment"):
        E.load("nope")


def test_run_with_a_small_config():
    cfg = json.loads(json.dumps(E.EXPERIMENTS["ranking_20_seeds"][1]))
    cfg["seeds"], cfg["activations"] = [0, 1], ["relu", "tanh"]
    cfg["training"]["epochs"] = 5
    out = E.run("ranking_20_seeds", config=cfg)
    assert out["config"] == cfg and len(out["main"]["cells"]) == 2
    assert len(out["replicate"]["cells"][0]["test"]) == 2
    json.dumps(out, allow_nan=False)          # storable as strict JSON


# --- claims ---------------------------------------------------------------------------------------
def test_claims_report_text_has_no_digits_that_depend_on_data():
    for name in C.CLAIMS:
        for claim in C.CLAIMS[name]:
            assert claim.text.endswith(".") and claim.id.isidentifier()
        ids = [c.id for c in C.CLAIMS[name]]
        assert len(ids) == len(set(ids))
    report = C.check("ranking_20_seeds", E.load("ranking_20_seeds", recompute=False))
    assert all(line.startswith("✔ ") for line in report.text.splitlines()[1:])
    assert report.word("selu_behind_elu", "yes", "no") == "yes"
    assert "✔" in report.html and "aria-label" in report.html


def test_a_failing_claim_is_loud():
    data = E.load("ranking_20_seeds", recompute=False)
    data = json.loads(json.dumps(data))
    for c in data["main"]["cells"]:          # make SELU the best activation by far
        if c["activation"] == "selu":
            c["test"] = [1.0] * len(c["test"])
    report = C.evaluate("ranking_20_seeds", data)
    assert [o.claim.id for o in report.failed] == ["selu_behind_elu"]
    assert report["selu_behind_elu"].margin < 0
    assert report.text.splitlines()[1].startswith("✘ ")
    with pytest.raises(AssertionError, match="selu_behind_elu"):
        C.check("ranking_20_seeds", data)
    with pytest.raises(ValueError, match="no claims"):
        C.evaluate("nope", data)


def test_choosing_guide_names_the_initialisers_of_the_table():
    nb = json.loads((ROOT / "chapters/choosing/01_choosing.ipynb").read_text(encoding="utf-8"))
    glued = {out["metadata"]["scrapbook"]["name"]: out["data"]["application/papermill.record/text/plain"]
             for cell in nb["cells"] if cell["cell_type"] == "code"
             for out in cell.get("outputs", []) if "scrapbook" in out.get("metadata", {})}
    for name in ("relu", "tanh", "selu"):
        assert glued[f"init_{name}"] == E.init_title(name)


# --- the fair ranking ----------------------------------------------------------------------------
def test_stacked_learning_rates_equal_separate_fits():
    X, y = datasets.load("circles", n=60, seed=0)
    lrs = [0.003, 0.03]
    nets = [mlp.MLP([2, 8, 8, 2], activation="elu", head="softmax", seed=s)
            for _ in lrs for s in (0, 1)]
    hists = mlp.fit_stacked(nets, X, y, epochs=20, optimizer=E._StackedAdam(np.repeat(lrs, 2)))
    for k, h in enumerate(hists):
        one = mlp.MLP([2, 8, 8, 2], activation="elu", head="softmax", seed=k % 2)
        ref = mlp.fit_stacked([one], X, y, epochs=20, lr=lrs[k // 2])[0]
        np.testing.assert_allclose(h["loss"], ref["loss"], rtol=1e-10)


def _fake_fair(test_by_act, val_by_lr=None):
    """A stored fair ranking with one setting, two rates and given per-run test values."""
    lrs = [0.01, 0.04]
    cells = []
    for act, test in test_by_act.items():
        for lr in lrs:
            val = (val_by_lr or {}).get((act, lr), [0.5] * len(test))
            cells.append({"task": "circles", "depth": 2, "activation": act, "init": "x",
                          "lr": lr, "val": val, "test": test, "train_loss": test,
                          "epochs": [10] * len(test), "diverged": [False] * len(test)})
    cfg = {"tasks": {"circles": {"metric": "accuracy", "higher_is_better": True,
                                 "depths": [2]}},
           "activations": list(test_by_act), "lrs": lrs, "training": {"epochs": 200}}
    return {"config": cfg, "main": {"cells": cells}}


def test_chosen_lr_and_paired_comparisons():
    rng = np.random.default_rng(0)
    base = rng.uniform(0.8, 0.9, 20)
    acts = {a: list(base + shift) for a, shift in zip(E.SEED_ORDER, (0, 0.05, 0.05, 0, 0, -0.2))}
    val = {("elu", 0.04): [0.9] * 20}
    data = _fake_fair(acts, val)
    assert E.chosen(data, "circles", 2, "elu") == (0.04, 200)
    assert E.chosen(data, "circles", 2, "relu") == (0.01, 200)    # tie -> the smaller rate
    cmps = E.fair_comparisons(data)
    verdicts = {(e["better"], e["worse"]): e["verdict"] for e in cmps}
    assert verdicts == {("selu", "elu"): "reversed", ("elu", "leaky_relu"): "unresolved",
                        ("leaky_relu", "relu"): "holds", ("relu", "tanh"): "unresolved",
                        ("tanh", "sigmoid"): "holds"}
    e = [c for c in cmps if c["worse"] == "sigmoid"][0]
    assert e["diff"].mean == pytest.approx(20.0) and e["p_holm"] <= 0.05
    assert E.fair_ranks(data)["circles", 2]["sigmoid"] == 6.0
    np.testing.assert_array_equal(E.fair_epochs(data, "circles", 2, "relu", 0.01), [10.0] * 20)


def test_epochs_are_chosen_on_validation_with_the_rate_and_test_values_read_there():
    data = _fake_fair({a: [0.8] * 20 for a in E.SEED_ORDER})
    data["config"]["training"] = {"epoch_grid": [50, 100, 200]}
    for c in data["main"]["cells"]:
        c["val_at"] = {"50": [0.5] * 20, "100": [0.5] * 20, "200": c["val"]}
        c["test_at"] = {"50": [0.1] * 20, "100": [0.2] * 20, "200": c["test"]}
    cell = E.fair_cell(data, "circles", 2, "tanh", 0.04)
    cell["val_at"]["100"] = [0.6] * 20                 # tanh is best at 0.04 after 100 epochs
    assert E.fair_epoch_grid(data, "circles") == [50, 100, 200]
    assert E.chosen(data, "circles", 2, "tanh") == (0.04, 100)
    np.testing.assert_array_equal(E.fair_values(data, "circles", 2, "tanh"), [0.2] * 20)
    np.testing.assert_array_equal(E.fair_values(data, "circles", 2, "tanh", lr=0.04), [0.8] * 20)
    assert E.chosen(data, "circles", 2, "relu") == (0.01, 50)     # all tie: smallest rate, epochs
    scores = E.fair_choice_scores(data, "circles", 2, "tanh")
    assert len(scores) == 6 and scores[0.04, 100] == pytest.approx(0.6)
    np.testing.assert_array_equal(E.fair_epochs(data, "circles", 2, "relu", 0.01), [10.0] * 20)
    fixed = E.fair_fixed_budget(data)
    assert E.fair_epoch_grid(fixed, "circles") == [200] and E.fair_epoch_grid(data, "circles") == [50, 100, 200]
    assert E.chosen(fixed, "circles", 2, "tanh") == (0.01, 200)
    np.testing.assert_array_equal(E.fair_values(fixed, "circles", 2, "tanh"), [0.8] * 20)
    data["config"]["training"] = {"epoch_grid": [100, 50]}
    with pytest.raises(ValueError, match="epoch grid"):
        E.fair_epoch_grid(data, "circles")
