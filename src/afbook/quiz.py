"""Chapter quizzes from ``quiz.json``: immediate feedback in JupyterLab/Binder and on the static site.

In a chapter notebook::

    from afbook import quiz
    quiz.show("quiz.json")                          # every question, in file order
    quiz.show("quiz.json", ids=["sigmoid-slope-at-0"])   # a selection, in the order given

The path is relative to the notebook's folder (the kernel's working directory). The output is
``text/html`` (questions, inputs, a "Check" button, feedback, inline script; no network) plus a
``text/plain`` version. Without JavaScript every question still shows, with a ``<details>``
"Show answer" block.

Schema (``chapters/<chapter>/quiz.json``)
-----------------------------------------
The shape is the JSON Schema ``afbook/quiz.schema.json`` (validated with ``jsonschema``; a quiz
file names it with ``"$schema": "../../src/afbook/quiz.schema.json"`` so editors complete and check
it). :func:`validate` adds what a schema cannot state: unique ids, the number of correct choices,
distinct choice texts, finite tolerances; :func:`verify` checks the keys against the library.

``{"title": "optional", "questions": [question, ...]}``; each question has

* ``id`` — unique within the file; letters, digits, ``-`` and ``_``;
* ``type`` — ``"single"`` (exactly one correct choice), ``"multiple"`` (one or more correct) or
  ``"numeric"``;
* ``skill`` — ``"reasoning"`` (reason about code or carry out / follow a derivation) or
  ``"recall"`` (a fact, a definition, a name, a convention, a formula of the page plugged in); not
  rendered; the tests require at least a quarter of each chapter's questions to be reasoning;
* ``question`` — Markdown with ``$…$`` math; optional ``explanation`` (shown after a correct
  answer and in "Show answer") and ``hint`` (shown after a wrong answer);
* choice questions: ``choices`` — at least two ``{"text", "correct", "feedback"?, "check"?}``;
  ``check`` is a Python expression whose truth value must equal ``correct`` (tests enforce it);
* numeric questions: ``answer: {"expr": "A.sigmoid.derivative(0.0)"}`` and ``tolerance`` (> 0,
  absolute). Readers may type ``0.25``, ``1/4`` or ``2.5e-1``. Optional ``"digits"`` (default 4):
  significant digits of the answer shown in "Show answer".

Expressions are evaluated with ``A`` (:mod:`activations`), ``np`` (numpy) and ``sp``
(``scipy.special``) in scope, plus ``abs``, ``min``, ``max``, ``round``, ``float``, ``int``,
``len``, ``sum``, ``all``, ``any``, ``bool``. Rendering evaluates them (so the page shows numbers
the library computed) and refuses a quiz whose key contradicts a ``check``.

Validation errors raise :class:`QuizError` (a ValueError) listing every problem with the file
and question id.
"""
from __future__ import annotations

import html
import importlib.resources
import json
import math
import numbers
import os
import re

import numpy as np
import scipy.special as sp

import activations as A
from afbook.display import HTMLDisplay, inline_script, make_id

__all__ = ["QuizError", "load", "schema", "validate", "evaluate", "verify", "render", "show", "Quiz"]

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def _numpy_import(name, *args, **kwargs):
    if name.split(".")[0] not in ("numpy", "scipy"):
        raise NameError(f"quiz expressions cannot import {name!r} (A, np and sp are in scope)")
    return __import__(name, *args, **kwargs)


_SAFE_BUILTINS = {"abs": abs, "min": min, "max": max, "round": round, "float": float, "int": int, "len": len,
                  "sum": sum, "all": all, "any": any, "bool": bool, "True": True, "False": False, "None": None,
                  # NumPy imports some modules lazily on first use (ndarray.sum → numpy._core._methods);
                  # without __import__ such an expression fails with KeyError, depending on call order.
                  "__import__": _numpy_import}


class QuizError(ValueError):
    """A quiz file that breaks the schema or whose key contradicts the library."""


# ----------------------------------------------------------------------------------------------
# loading and validation
# ----------------------------------------------------------------------------------------------
def load(path):
    """Read and validate a quiz file; returns the parsed dict. Raises FileNotFoundError / QuizError."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"quiz: path must be a file path, got {type(path).__name__}")
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"quiz: no file {path!r} (relative paths start in {os.getcwd()!r}, "
                                f"the notebook's folder)")
    with open(path, encoding="utf-8") as fh:
        try:
            data = json.load(fh)
        except json.JSONDecodeError as e:
            raise QuizError(f"{path}: not valid JSON: {e}") from None
    validate(data, source=path)
    return data


def schema():
    """The JSON Schema of quiz files (``afbook/quiz.schema.json``), parsed once."""
    global _SCHEMA
    if _SCHEMA is None:
        _SCHEMA = json.loads(importlib.resources.files("afbook").joinpath("quiz.schema.json").read_text("utf-8"))
    return _SCHEMA


_SCHEMA = None


def _where(data, path):
    """'question 2 ('relu-kink'), choice 1' for a path such as ['questions', 1, 'choices', 0, 'text']."""
    parts, node = [], data
    path = list(path)
    for i, key in enumerate(path):
        if isinstance(key, int) and i > 0 and path[i - 1] in ("questions", "choices"):
            what = "question" if path[i - 1] == "questions" else "choice"
            qid = node[key].get("id") if what == "question" and isinstance(node[key], dict) else None
            ok = isinstance(qid, str) and _ID_RE.match(qid)
            parts.append(f"{what} {key + 1}" + (f" ({qid!r})" if ok else ""))
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
    return ", ".join(parts)


def _schema_problem(data, err):
    """One reader-facing line for a jsonschema error: where, which key, what is wrong."""
    path = list(err.absolute_path)
    where = _where(data, path)
    sub = err.schema if isinstance(err.schema, dict) else {}
    if err.validator == "required":
        missing = [k for k in err.validator_value if k not in err.instance]
        k = missing[0] if missing else "?"
        what = sub.get("properties", {}).get(k, {}).get("message", "is required")
        text = f"{k!r} {what}"
    elif err.validator == "additionalProperties" and "message" not in sub:
        extra = sorted(set(err.instance) - set(sub.get("properties", {})))
        if not path:
            text = f"unknown top-level key(s) {extra} (allowed: {', '.join(map(repr, sub['properties']))})"
        else:
            text = f"unknown key(s) {extra}"
    else:
        key = path[-1] if path and isinstance(path[-1], str) else None
        what = sub.get("message", err.message)
        if err.validator == "not":  # a key of another question type
            qtype = data["questions"][path[1]].get("type")
            text = f"{key!r} {what}" + (f", not {qtype!r}" if "not '" not in what else "")
        else:
            text = f"{key!r} {what}, got {err.instance!r}" if key else f"{what}, got {err.instance!r}"
    return f"{where}: {text}" if where else text


def validate(data, source="quiz"):
    """Check ``data`` against ``quiz.schema.json`` and the rules a schema cannot state.

    Raises QuizError listing every problem found, each with the question's number and id.
    The schema gives the shape (keys, types, which keys belong to which question type); Python
    checks unique ids, the number of correct choices, distinct choice texts and finite tolerances.
    """
    import jsonschema

    if not isinstance(data, dict):
        raise QuizError(f"{source}: the top level must be an object with a 'questions' list")
    validator = jsonschema.Draft202012Validator(schema())
    errs = []
    for err in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        line = _schema_problem(data, err)
        if line not in errs:
            errs.append(line)
    qs = data.get("questions") if isinstance(data.get("questions"), list) else []
    seen = set()
    for i, q in enumerate(qs):
        if not isinstance(q, dict):
            continue
        where = _where(data, ["questions", i])
        qid = q.get("id")
        if isinstance(qid, str):
            if qid in seen:
                errs.append(f"{where}: duplicate id {qid!r}")
            seen.add(qid)
        tol = q.get("tolerance")
        if isinstance(tol, float) and not math.isfinite(tol):
            errs.append(f"{where}: 'tolerance' must be a finite number > 0, got {tol!r}")
        ch = q.get("choices")
        if q.get("type") not in ("single", "multiple") or not isinstance(ch, list):
            continue
        n_correct = sum(1 for c in ch if isinstance(c, dict) and c.get("correct") is True)
        texts = [str(c.get("text")) for c in ch if isinstance(c, dict)]
        if len(set(texts)) != len(texts):
            errs.append(f"{where}: two choices have the same text")
        if q["type"] == "single" and n_correct != 1:
            errs.append(f"{where}: a 'single' question needs exactly one correct choice, found {n_correct}")
        if q["type"] == "multiple" and n_correct < 1:
            errs.append(f"{where}: a 'multiple' question needs at least one correct choice, found 0")
    if errs:
        raise QuizError(f"{source}: " + ("\n  " if len(errs) > 1 else "") + "\n  ".join(errs))
    return data


def evaluate(expr):
    """Evaluate a quiz expression with ``A``, ``np`` and ``sp`` in scope."""
    if not isinstance(expr, str):
        raise TypeError(f"quiz: an expression must be a str, got {type(expr).__name__}")
    return eval(compile(expr, "<quiz expr>", "eval"), {"__builtins__": _SAFE_BUILTINS, "A": A, "np": np, "sp": sp})


def _as_real(v, where, expr):
    if isinstance(v, np.ndarray) and v.shape == ():
        v = v[()]
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (numbers.Real, np.floating, np.integer)):
        raise QuizError(f"{where}: answer.expr {expr!r} must give a real number, got {v!r}")
    v = float(v)
    if not math.isfinite(v):
        raise QuizError(f"{where}: answer.expr {expr!r} gave {v}, not a finite number")
    return v


def verify(data, source="quiz"):
    """Evaluate every ``answer.expr`` and ``check``; returns ``{qid: answer_value_or_correct_list}``.

    Raises QuizError for an expression that fails or a ``check`` that contradicts ``correct``."""
    validate(data, source)
    out, errs = {}, []
    for q in data["questions"]:
        where = f"question {q['id']!r}"
        if q["type"] == "numeric":
            expr = q["answer"]["expr"]
            try:
                out[q["id"]] = _as_real(evaluate(expr), where, expr)
            except QuizError as e:
                errs.append(str(e))
            except Exception as e:  # noqa: BLE001 - report any failure of the author's expression
                errs.append(f"{where}: answer.expr {expr!r} failed: {type(e).__name__}: {e}")
        else:
            for j, c in enumerate(q["choices"], 1):
                if "check" not in c:
                    continue
                try:
                    got = evaluate(c["check"])
                    if isinstance(got, np.ndarray):
                        if got.shape != ():
                            raise TypeError(f"gave an array of shape {got.shape}, not a truth value")
                        got = got[()]
                    truth = bool(got)
                except Exception as e:  # noqa: BLE001
                    errs.append(f"{where}, choice {j} ({c['text']!r}): check {c['check']!r} failed: {type(e).__name__}: {e}")
                    continue
                if truth != c["correct"]:
                    errs.append(f"{where}, choice {j} ({c['text']!r}): marked correct={str(c['correct']).lower()} "
                                f"but its check {c['check']!r} is {truth}")
            out[q["id"]] = [c["correct"] for c in q["choices"]]
    if errs:
        raise QuizError(f"{source}: " + ("\n  " if len(errs) > 1 else "") + "\n  ".join(errs))
    return out


# ----------------------------------------------------------------------------------------------
# Markdown with $math$
# ----------------------------------------------------------------------------------------------
_MD = None


def _md():
    global _MD
    if _MD is None:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.dollarmath import dollarmath_plugin

        def math(content, opts):
            c = html.escape(content, quote=False)
            return f"\\[{c}\\]" if opts.get("display_mode") else f"\\({c}\\)"

        _MD = MarkdownIt("commonmark", {"html": False}).use(dollarmath_plugin, renderer=math, double_inline=True)
    return _MD


def markdown(text, inline=False):
    """Markdown (no raw HTML) with ``$…$`` / ``$$…$$`` math to HTML; math becomes ``\\(…\\)`` in ``span.math``."""
    return _md().renderInline(text) if inline else _md().render(text).strip()


def _plain(text):
    return re.sub(r"\s+", " ", text).strip()


_TEX_WORDS = {r"\ne": "≠", r"\neq": "≠", r"\le": "≤", r"\leq": "≤", r"\ge": "≥", r"\geq": "≥",
              r"\cdot": "·", r"\times": "×", r"\infty": "∞", r"\pm": "±", r"\approx": "≈", r"\to": "→",
              r"\in": "∈", r"\sigma": "σ", r"\alpha": "α", r"\beta": "β", r"\lambda": "λ", r"\Phi": "Φ",
              r"\phi": "φ", r"\mu": "μ", r"\tau": "τ", r"\theta": "θ", r"\odot": "⊙", r"\sum": "Σ"}


def _speakable(text):
    """A plain-text accessible name for a choice whose label may be all LaTeX (MathJax's output
    alone gives axe no name): ``$\\mathrm{relu}(2 \\cdot 3)$`` becomes ``relu(2 · 3)``."""
    t = text.replace("$", "").replace(r"\(", "").replace(r"\)", "")
    t = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"(\1)/(\2)", t)
    t = re.sub(r"\\(?:mathrm|operatorname|text|mathbf|mathit|textrm)\{([^{}]*)\}", r"\1", t)
    t = re.sub(r"\\[a-zA-Z]+", lambda m: _TEX_WORDS.get(m.group(0), m.group(0)[1:]), t)
    t = re.sub(r"\\[,;:! ]", " ", t)
    t = t.replace("{", "").replace("}", "").replace("\\", "").replace("*", "").replace("`", "")
    return html.escape(_plain(t), quote=True)


# ----------------------------------------------------------------------------------------------
# rendering
# ----------------------------------------------------------------------------------------------
def _script(root_id):
    return inline_script("quiz.js", root_id)

_MSG = {"right": "<p><strong>Correct.</strong></p>", "wrong": "<p><strong>Not quite.</strong> Try again, or open “Show answer”.</p>",
        "missing": "<p><strong>Not quite:</strong> what you chose is right, but at least one correct choice is missing.</p>",
        "none": "Choose an answer first.", "nan": "Type a number, e.g. 0.25, 1/4 or 2.5e-1."}


def _fmt_answer(v, digits, tolerance=None):
    """``v`` with ``digits`` significant digits, more if needed so the shown number is itself
    within ``tolerance / 10`` of ``v`` (a reader who copies it must be marked correct).

    Unlike :func:`afbook.display.fmt` (``1.2×10^-5``, for reading), this writes ``1.2e−05``: a
    number the reader can type back into the answer box, which accepts U+2212 and ``e``."""
    d = digits
    while tolerance is not None and d < 17 and abs(float(f"{v:.{d}g}") - v) > tolerance / 10:
        d += 1
    return f"{v:.{d}g}".replace("-", "−")


class Quiz(HTMLDisplay):
    """A rendered quiz: ``html`` (static + inline script), ``text`` (plain), ``id``, ``answers``."""

    def __init__(self, data, ids=None, source="quiz"):
        answers = verify(data, source)
        questions = data["questions"]
        if ids is not None:
            if isinstance(ids, str) or not hasattr(ids, "__iter__"):
                raise TypeError(f"quiz: ids must be a list of question ids, got {ids!r}")
            byid = {q["id"]: q for q in questions}
            unknown = [i for i in ids if i not in byid]
            if unknown:
                raise ValueError(f"quiz: ids {unknown} not in {source} (its ids: {', '.join(byid)})")
            if not ids:
                raise ValueError("quiz: ids is empty")
            questions = [byid[i] for i in ids]
        self.questions, self.answers, self.source = questions, answers, source
        self.title = data.get("title")
        base = os.path.splitext(os.path.basename(str(source)))[0]
        # naming the schema or classifying a question ('skill') changes nothing on the page
        content = {k: v for k, v in data.items() if k != "$schema"}
        if isinstance(content.get("questions"), list):
            content["questions"] = [{k: v for k, v in q.items() if k != "skill"}
                                    for q in content["questions"]]
        self.id = make_id("quiz", base, json.dumps([content, ids], sort_keys=True))
        super().__init__(self._build_html(), self._build_text())

    def _build_html(self):
        parts, script = [], {}
        for n, q in enumerate(self.questions, 1):
            qid, qt = q["id"], q["type"]
            base = f"{self.id}-{qid}"
            expl = markdown(q["explanation"]) if "explanation" in q else ""
            hint = markdown(q["hint"]) if "hint" in q else ""
            body = [f'<p class="afx-qnum" style="margin:.6em 0 0;font-weight:bold">Question {n}</p>'
                    f'<div class="afx-prompt" id="{base}-prompt">{markdown(q["question"])}</div>']
            if qt == "numeric":
                val = self.answers[qid]
                atext = _fmt_answer(val, q.get("digits", 4), q["tolerance"])
                body.append(f'<div class="afx-numeric"><label for="{base}-input">Your answer</label> '
                            f'<input type="text" inputmode="decimal" autocomplete="off" class="afx-input" id="{base}-input" '
                            f'name="{base}-input" aria-describedby="{base}-prompt" size="12"/></div>')
                ans_html = f"<p>Answer: {atext} (answers within ±{_fmt_answer(q['tolerance'], 3)} count as correct).</p>"
                script[qid] = {"type": qt, "answer": val, "tolerance": float(q["tolerance"]), "explanation": expl,
                               "hint": hint, "msg": {**_MSG, "right": f"<p><strong>Correct:</strong> {atext}.</p>"}}
            else:
                kind = "radio" if qt == "single" else "checkbox"
                items = []
                for j, c in enumerate(q["choices"]):
                    cid = f"{base}-c{j}"
                    items.append(f'<div class="afx-option"><input type="{kind}" class="afx-choice" id="{cid}" '
                                 f'name="{base}" value="{j}" aria-label="{_speakable(c["text"])}"/> <label for="{cid}">{markdown(c["text"], inline=True)}</label></div>')
                legend = "Choose one." if qt == "single" else "Choose all that apply."
                body.append(f'<fieldset class="afx-choices" style="border:0;padding:0;margin:.3em 0">'
                            f'<legend class="afx-legend" style="font-size:90%">{legend}</legend>{"".join(items)}</fieldset>')
                lis = []
                for c in q["choices"]:
                    mark = "✔ correct" if c["correct"] else "✘ wrong"
                    fb = f" {markdown(c['feedback'], inline=True)}" if "feedback" in c else ""
                    lis.append(f"<li>{markdown(c['text'], inline=True)}: <strong>{mark}</strong>.{fb}</li>")
                ans_html = f"<ul>{''.join(lis)}</ul>"
                script[qid] = {"type": qt, "correct": [c["correct"] for c in q["choices"]],
                               "feedback": [markdown(c["feedback"]) if "feedback" in c else "" for c in q["choices"]],
                               "explanation": expl, "hint": hint, "msg": _MSG}
            body.append('<button type="button" class="afx-check">Check</button>')
            body.append('<div class="afx-feedback" role="status" aria-live="polite"></div>')
            body.append(f'<details class="afx-answer"><summary>Show answer</summary>{ans_html}{expl}</details>')
            parts.append(f'<div class="afx-question" data-qid="{html.escape(qid)}" data-type="{qt}" '
                         f'role="group" aria-labelledby="{base}-prompt">{"".join(body)}</div>')
        blob = json.dumps(script, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
        title = f'<p class="afx-quiz-title"><strong>{html.escape(self.title)}</strong></p>' if self.title else ""
        return (f'<div class="afx-quiz" id="{self.id}">{title}{"".join(parts)}'
                f'<script type="application/json" class="afx-quiz-data">{blob}</script>'
                f'<script>{_script(self.id)}</script></div>')

    def _build_text(self):
        lines = [self.title] if self.title else []
        for n, q in enumerate(self.questions, 1):
            lines.append(f"{n}. {_plain(q['question'])}")
            if q["type"] == "numeric":
                lines.append("   (type a number)")
            else:
                box = "( )" if q["type"] == "single" else "[ ]"
                lines.extend(f"   {box} {_plain(c['text'])}" for c in q["choices"])
        return "\n".join(lines)

    def __repr__(self):
        return f"<Quiz {self.id}: {len(self.questions)} question(s) from {self.source}>"


def render(data, ids=None, source="quiz"):
    """Render an in-memory quiz dict (validated and evaluated first)."""
    return Quiz(data, ids=ids, source=source)


def show(path="quiz.json", ids=None):
    """Render the quiz file ``path`` (relative to the notebook's folder); ``ids`` picks questions."""
    data = load(path)
    return Quiz(data, ids=ids, source=os.fspath(path))
