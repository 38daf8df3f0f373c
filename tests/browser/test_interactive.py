"""Explorers and quizzes on the built site, driven as a reader would (static-site DOM contract).

The drivers first run on a hand-written fixture page that follows the contract (tests/browser/fixtures/
contract.html): they must pass on it, and must report failures on its broken variant (?broken=1), so a driver
that silently checks nothing fails here.
"""
from __future__ import annotations

import re
import statistics
from pathlib import Path

import pytest

from afbook.explore import BUILDERS
from afx_browser import HAVE_SITE, NO_SITE, PAGES, REPO, REPORT, SITE, chapter_notebooks, page_params, wait_mathjax

LATENCY_BOUND_MS = 200  # the goal is <= 50 ms; this generous bound only catches a broken or very slow explorer


def _pages_with(cls: str) -> list[str]:
    return [p for p in PAGES if f'class="{cls}"' in (SITE / p).read_text(encoding="utf-8")]


EXPLORER_PAGES = _pages_with("afx-explorer")
QUIZ_PAGES = _pages_with("afx-quiz")


# --------------------------------------------------------------------------------------------- explorer driver
# Sets up timing in the page: t0 at the keydown (keyboard) or right before the value changes (dispatch),
# t1 when img.afx-frame's src attribute changes (MutationObserver), both performance.now().
ARM_JS = """([root, idx]) => {
  const r = document.querySelectorAll('div.afx-explorer')[root];
  const inp = r.querySelectorAll('input[type=range]')[idx], img = r.querySelector('img.afx-frame');
  window.__afx = {t0: null, t1: null, before: img.getAttribute('src')};
  if (window.__afxObs) window.__afxObs.disconnect();
  window.__afxObs = new MutationObserver(() => { if (window.__afx.t1 === null) window.__afx.t1 = performance.now(); });
  window.__afxObs.observe(img, {attributes: true, attributeFilter: ['src']});
  inp.addEventListener('keydown', () => { if (window.__afx.t0 === null) window.__afx.t0 = performance.now(); },
                       {once: true, capture: true});
  return {min: +inp.min, max: +inp.max, value: +inp.value, step: +(inp.step || 1), id: inp.id,
          label: (inp.id && document.querySelector('label[for="' + CSS.escape(inp.id) + '"]')?.textContent.trim()) || ''};
}"""

DISPATCH_JS = """([root, idx, value]) => {
  const r = document.querySelectorAll('div.afx-explorer')[root];
  const inp = r.querySelectorAll('input[type=range]')[idx];
  window.__afx.t0 = performance.now();
  inp.value = String(value);
  inp.dispatchEvent(new Event('input', {bubbles: true}));
}"""

RESULT_JS = """([root]) => {
  const img = document.querySelectorAll('div.afx-explorer')[root].querySelector('img.afx-frame');
  const a = window.__afx, src = img.getAttribute('src');
  return {changed: src !== a.before, ms: a.t1 === null || a.t0 === null ? null : a.t1 - a.t0,
          alt: img.getAttribute('alt') || '', srcStart: (src || '').slice(0, 30)};
}"""


def _wait_src(page):
    try:
        page.wait_for_function("() => window.__afx && window.__afx.t1 !== null", timeout=1000)
    except Exception:
        pass  # reported as "src did not change"


def drive_explorers(page, key: str) -> tuple[list[str], list[tuple[str, str, float]]]:
    """Move every range input of every explorer on the page, by keyboard and by dispatching `input`.
    Returns (problems, timings [(label, how, ms)])."""
    problems, timings = [], []
    roots = page.locator("div.afx-explorer")
    if roots.count() == 0:
        return ["no div.afx-explorer on the page"], timings
    for r in range(roots.count()):
        root = roots.nth(r)
        ranges = root.locator("input[type=range]")
        if root.locator("img.afx-frame").count() != 1:
            problems.append(f"explorer {r}: expected one img.afx-frame, found {root.locator('img.afx-frame').count()}")
            continue
        if ranges.count() == 0:
            problems.append(f"explorer {r}: no input[type=range]")
        for i in range(ranges.count()):
            info = page.evaluate(ARM_JS, [r, i])
            name = f"explorer {r} control {i} ({info['label'] or info['id']})"
            if not info["label"]:
                problems.append(f"{name}: no <label for=…> with text")
            if info["max"] <= info["min"]:
                problems.append(f"{name}: a range with a single value (min={info['min']}, max={info['max']})")
                continue
            # 1. dispatch: move to a different value
            target = info["min"] if info["value"] != info["min"] else info["min"] + info["step"]
            page.evaluate(DISPATCH_JS, [r, i, target])
            _wait_src(page)
            res = page.evaluate(RESULT_JS, [r])
            if not res["changed"] or res["ms"] is None:
                problems.append(f"{name}: setting value {target} and dispatching 'input' did not change img.afx-frame src")
            else:
                timings.append((info["label"] or info["id"], "dispatch", res["ms"]))
            if not res["alt"].strip():
                problems.append(f"{name}: frame has no alt text after the change")
            # 2. keyboard: put it at min, focus, ArrowRight
            page.evaluate(DISPATCH_JS, [r, i, info["min"]])
            info2 = page.evaluate(ARM_JS, [r, i])
            ranges.nth(i).focus()
            page.keyboard.press("ArrowRight")
            _wait_src(page)
            res = page.evaluate(RESULT_JS, [r])
            now = float(ranges.nth(i).input_value())
            if now == info2["value"]:
                problems.append(f"{name}: ArrowRight did not move the slider (value stays {now})")
            elif not res["changed"] or res["ms"] is None:
                problems.append(f"{name}: ArrowRight moved the slider to {now} but img.afx-frame src did not change")
            else:
                timings.append((info["label"] or info["id"], "keyboard", res["ms"]))
    REPORT["explorer"][key] = timings
    for label, how, ms in timings:
        if ms > LATENCY_BOUND_MS:
            problems.append(f"{label} ({how}): {ms:.1f} ms from input to new frame > {LATENCY_BOUND_MS} ms")
    return problems, timings


# --------------------------------------------------------------------------------------------- quiz driver
NUMBER = r"[-+−]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+−]?\d+)?"   # the page writes minus as U+2212, exponents too


def answer_key(q) -> dict:
    """What the reader sees in <details class="afx-answer">: ✔/✘ per choice (in order), or 'Answer: <number>'."""
    details = q.locator("details.afx-answer")
    if details.count() != 1:
        raise AssertionError("no <details class='afx-answer'> (required: the answer must show without JavaScript)")
    text = details.evaluate("d => d.textContent")
    items = details.locator("li").evaluate_all("els => els.map(e => e.textContent)")
    if items:
        return {"choices": ["✔" in t if ("✔" in t) != ("✘" in t) else None for t in items]}
    m = re.search(r"Answer:\s*(" + NUMBER + ")", text)
    tol = re.search(r"±\s*(" + NUMBER + ")", text)
    if m:
        return {"number": float(m.group(1).replace("−", "-")), "tolerance": float(tol.group(1).replace("−", "-")) if tol else None}
    raise AssertionError(f"cannot read the answer from the details block: {text[:200]!r}")


def _feedback(q):
    fb = q.locator("div.afx-feedback")
    cls = fb.get_attribute("class") or ""
    return ("correct" if "afx-correct" in cls.split() else "incorrect" if "afx-incorrect" in cls.split() else "none",
            fb.inner_text().strip()[:120])


def _submit(page, q):
    q.locator("button.afx-check").click()


def _set_choices(q, chosen: list[bool], via_label: bool):
    boxes = q.locator("input[type=radio], input[type=checkbox]")
    for k in range(boxes.count()):
        box = boxes.nth(k)
        if box.get_attribute("type") == "radio" and not chosen[k]:
            continue
        if box.is_checked() != chosen[k]:
            bid = box.get_attribute("id")
            if via_label and bid and q.locator(f'label[for="{bid}"]').count():
                q.locator(f'label[for="{bid}"]').click()  # the label must toggle its input
            else:
                box.click()


def drive_question(page, q) -> list[str]:
    qid = q.get_attribute("data-qid") or "?"
    problems = []
    try:
        key = answer_key(q)
    except AssertionError as e:
        return [f"{qid}: {e}"]
    if "choices" in key:
        marks = key["choices"]
        boxes = q.locator("input[type=radio], input[type=checkbox]")
        if boxes.count() != len(marks) or None in marks:
            return [f"{qid}: {boxes.count()} inputs but the answer lists {len(marks)} choices marked {marks}"]
        radio = boxes.nth(0).get_attribute("type") == "radio"
        right = list(marks)
        if radio:
            wrong_at = [k for k, m in enumerate(marks) if not m]
            if sum(marks) != 1 or not wrong_at:
                return [f"{qid}: a single-choice question needs one correct and some wrong choices, got {marks}"]
            wrong = [k == wrong_at[0] for k in range(len(marks))]
        elif not all(marks):
            wrong = [not m for m in marks]
        elif len(marks) > 1:
            wrong = [k == 0 for k in range(len(marks))]  # every choice is right: choosing one is incomplete
        else:
            wrong = None
        if wrong is not None:
            _set_choices(q, wrong, via_label=False)
            _submit(page, q)
            got = _feedback(q)
            if got[0] != "incorrect":
                problems.append(f"{qid}: wrong choice {wrong} gave feedback {got}")
        _set_choices(q, right, via_label=True)
        _submit(page, q)
        got = _feedback(q)
        if got[0] != "correct":
            problems.append(f"{qid}: right choice {right} (from the answer block) gave feedback {got}")
    else:
        field = q.locator("input[type=number], input[type=text], input:not([type])")
        if field.count() != 1:
            return [f"{qid}: numeric question with {field.count()} text/number inputs"]
        ans, tol = key["number"], key["tolerance"]
        off = 10 * (tol or 0) + 1 + abs(ans)
        field.fill(repr(ans + off))
        _submit(page, q)
        got = _feedback(q)
        if got[0] != "incorrect":
            problems.append(f"{qid}: wrong answer {ans + off!r} gave feedback {got}")
        # the number the answer block shows must itself be accepted (reader copies it); typed, then Enter or Check
        field.fill("")
        field.type(repr(ans))
        _submit(page, q)
        got = _feedback(q)
        if got[0] != "correct":
            problems.append(f"{qid}: the shown answer {ans!r} gave feedback {got}")
    return problems


def drive_quizzes(page) -> tuple[list[str], int]:
    problems, n = [], 0
    quizzes = page.locator("div.afx-quiz")
    if quizzes.count() == 0:
        return ["no div.afx-quiz on the page"], 0
    for z in range(quizzes.count()):
        qs = quizzes.nth(z).locator("div.afx-question[data-qid]")
        if qs.count() == 0:
            problems.append(f"quiz {z}: no div.afx-question[data-qid]")
        for k in range(qs.count()):
            n += 1
            q = qs.nth(k)
            missing = [f"{q.get_attribute('data-qid')}: expected one {sel}"
                       for sel in ("button.afx-check", "div.afx-feedback") if q.locator(sel).count() != 1]
            problems += missing or drive_question(page, q)
    return problems, n


def _open(new_page, url, rec=None):
    page = new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url, wait_until="load")
    wait_mathjax(page)
    return page, errors


# --------------------------------------------------------------------------------------------- driver self-tests
def test_drivers_pass_on_contract_fixture(new_page, fixture_url):
    page, errors = _open(new_page, fixture_url + "contract.html")
    problems, timings = drive_explorers(page, "fixture contract.html")
    assert not problems, problems
    assert len(timings) == 4  # 2 controls x (dispatch, keyboard)
    problems, n = drive_quizzes(page)
    assert not problems, problems
    assert n == 3
    assert not errors


def test_drivers_catch_a_broken_page(new_page, fixture_url):
    page, _ = _open(new_page, fixture_url + "contract.html?broken=1")
    problems, _ = drive_explorers(page, "fixture contract.html?broken=1")
    assert any("did not change" in p for p in problems), problems
    REPORT["explorer"].pop("fixture contract.html?broken=1", None)
    problems, _ = drive_quizzes(page)
    assert sum("gave feedback ('correct'" in p for p in problems) == 3, problems  # every wrong answer "accepted"


# --------------------------------------------------------------------------------------------- the site
EXPLORE_CALL = re.compile(r"\bexplore\.(" + "|".join(BUILDERS) + r")\(")
QUIZ_CALL = re.compile(r"\bquiz\.show\(")


def _built_chapters() -> dict[str, str]:
    """{page: source notebook text} for the chapter pages in the site that come from a notebook."""
    out = {}
    for rel in PAGES:
        src = REPO / rel.removesuffix(".html")
        nb = src.with_suffix(".ipynb")
        if rel.startswith("chapters/") and nb.is_file():
            out[rel] = nb.read_text(encoding="utf-8")
    return out


@pytest.mark.skipif(not HAVE_SITE, reason=NO_SITE)
def test_site_has_explorers_and_quizzes():
    """A notebook that calls explore.*/quiz.show must give a page with the static explorer/quiz; a chapter in the
    site with a quiz.json (all its notebooks built) must show a quiz on one of its pages; once chapters are built, the site has both."""
    built = _built_chapters()
    if not chapter_notebooks() or not built:
        pytest.skip("no chapter notebooks in the site yet")
    problems = []
    for rel, src in built.items():
        if EXPLORE_CALL.search(src) and rel not in EXPLORER_PAGES:
            problems.append(f"{rel}: its notebook calls explore.* but the page has no div.afx-explorer")
        if QUIZ_CALL.search(src) and rel not in QUIZ_PAGES:
            problems.append(f"{rel}: its notebook calls quiz.show but the page has no div.afx-quiz")
    for chapter in sorted({rel.split("/")[1] for rel in built}):
        notebooks = {p.stem for p in chapter_notebooks() if p.parent.name == chapter}
        complete = notebooks <= {Path(rel).stem for rel in built if rel.startswith(f"chapters/{chapter}/")}
        if complete and (REPO / "chapters" / chapter / "quiz.json").is_file() and not any(
                p.startswith(f"chapters/{chapter}/") for p in QUIZ_PAGES):
            problems.append(f"chapters/{chapter} has a quiz.json but none of its pages shows a quiz")
    if any(EXPLORE_CALL.search(s) for s in built.values()):
        assert EXPLORER_PAGES, "no page of the site has a div.afx-explorer"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("rel", page_params(EXPLORER_PAGES) if EXPLORER_PAGES or not HAVE_SITE else
                         [pytest.param(None, marks=pytest.mark.skip(reason="no page with an explorer"), id="none")])
def test_explorers_respond(new_page, site_url, rel):
    page, errors = _open(new_page, site_url + rel)
    problems, timings = drive_explorers(page, rel)
    assert not errors, errors
    assert not problems, f"{rel}:\n" + "\n".join(problems)
    ms = [t[2] for t in timings]
    print(f"{rel}: {len(ms)} moves, median {statistics.median(ms):.1f} ms, max {max(ms):.1f} ms")


@pytest.mark.parametrize("rel", page_params(QUIZ_PAGES) if QUIZ_PAGES or not HAVE_SITE else
                         [pytest.param(None, marks=pytest.mark.skip(reason="no page with a quiz"), id="none")])
def test_quizzes_give_feedback(new_page, site_url, rel):
    page, errors = _open(new_page, site_url + rel)
    problems, n = drive_quizzes(page)
    assert not errors, errors
    assert not problems, f"{rel}:\n" + "\n".join(problems)
    assert n > 0
