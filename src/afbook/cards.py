"""Fact cards and property tables generated from the registry in :mod:`activations`.

Chapters never type a formula or a fact the registry holds; they display it::

    from afbook import cards
    cards.show("elu")                      # formula, derivative, facts, frameworks, names
    cards.table(activations.names(family="relu"))   # one row per activation

Both return display objects with ``text/html`` (math in ``\\(…\\)``/``\\[…\\]`` spans that MathJax
typesets on the site and JupyterLab typesets in a kernel) and ``text/plain``. The HTML is
deterministic, so strict nbval compares it as it is.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

import activations as A
from afbook.display import HTMLDisplay, fmt, scroll_region
from afbook.paths import book_file

__all__ = ["show", "table", "COLUMNS", "TERMS", "authors", "yes_no"]


#: column name → (header, function of the activation giving plain text or HTML). Each term is
#: defined once (glossary.md, CONTRIBUTING.md) and in the note under every table that uses it.
COLUMNS = {
    "name": ("Activation", lambda a: f"<code>{a.name}</code>"),
    "title": ("Name", lambda a: html.escape(a.title)),
    "family": ("Family", lambda a: a.family),
    "range": ("Range", lambda a: _m(_range_latex(a, dict(a.example_params), table=True))),
    "bounded": ("Bounded", lambda a: _bounded(a)),
    "monotonic": ("Non-decreasing", lambda a: _non_decreasing(a)),
    "smoothness": ("Smoothness", lambda a: _smoothness(a, dict(a.example_params), table=True)),
    "odd": ("Odd", lambda a: yes_no(a.odd)),
    "zero_centred": ("Zero-centred", lambda a: yes_no(a.zero_centred)),
    "saturating": ("Saturates", lambda a: _SAT[a.saturating]),
    "year": ("Year", lambda a: str(a.year) if a.year else "—"),
    "paper": ("Key reference", lambda a: _reference(a)),
    "pytorch": ("PyTorch", lambda a: f"<code>{html.escape(a.frameworks.get('pytorch', '—'))}</code>"),
    "ja": ("日本語", lambda a: html.escape(a.ja)),
    "zh": ("中文", lambda a: html.escape(a.zh)),
}
COLUMNS["reference"] = COLUMNS["paper"]
COLUMNS["non_decreasing"] = COLUMNS["monotonic"]
_DEFAULT_COLUMNS = ("title", "family", "range", "monotonic", "smoothness", "odd", "zero_centred", "saturating",
                    "paper")
_FW = {"pytorch": "PyTorch", "keras": "Keras", "jax": "JAX", "numpy": "NumPy", "scipy": "SciPy"}
_SAT = {"none": "no", "left": "x → −∞ only", "right": "x → +∞ only", "both": "both sides"}
#: On a card, one-sided saturation is qualified: such functions are non-saturating in the usual sense.
_SAT_CARD = {**_SAT, "left": "x → −∞ only (non-saturating as x → +∞)",
             "right": "x → +∞ only (non-saturating as x → −∞)"}
#: The definitions printed under a table, one per column that needs it (glossary.md says the same).
TERMS = {
    "monotonic": "Non-decreasing: x < y ⇒ f(x) ≤ f(y) (for the softmax family: in its own input x_i)",
    "odd": "Odd: f(−x) = −f(x)",
    "zero_centred": "Zero-centred: E[f(Z)] = 0 for Z ~ N(0, 1)",
    "saturating": "Saturates: where f′ → 0; a function flat on one side only, such as ReLU, is called "
                  "non-saturating",
    "paper": "Key reference: the publication that introduced the function as an activation in its registered "
             "form, or the one that made it standard",
}
TERMS["reference"], TERMS["non_decreasing"] = TERMS["paper"], TERMS["monotonic"]


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def _m(latex: str, display: bool = False) -> str:
    """A math span in the form Sphinx emits, so MathJax typesets it inside cell outputs."""
    body = html.escape(latex, quote=False)
    if display:
        return f'<div class="math notranslate nohighlight">\\[{body}\\]</div>'
    return f'<span class="math notranslate nohighlight">\\({body}\\)</span>'


#: Smoothness classes; HTML writes C<sup>∞</sup>, plain text "C∞" (C⁰ and C¹ are Unicode in both).
_SMOOTH = {"discontinuous": "discontinuous", "C0": "continuous (C⁰)", "C1": "C¹", "Cinf": "smooth (C<sup>∞</sup>)"}


def _smooth(s: str) -> str:
    return _SMOOTH[s]


def _probe_values(p):
    """A few other legal values of a real parameter, to see whether a fact depends on it."""
    d = float(p.default)
    return [v for v in (d / 2, d * 2, d + 0.5, d - 0.5) if v != d]


def _smoothness(a, params, table=False) -> str:
    """Smoothness for ``params``, computed from the registry's break points (Activation.breaks):
    a jump of f is "discontinuous", a jump of f′ "continuous (C⁰)"; else the registry's class.
    Where that class holds only at the parameter values shown (ELU: C¹ only for α = 1), it says so."""
    if a.kind != "elementwise":
        return _smooth(a.smoothness)
    jumps, kinks = a.breaks(**params)
    if jumps:
        return _smooth("discontinuous")
    if kinks:
        return _smooth("C0")
    text = _smooth(a.smoothness if a.smoothness in ("C1", "Cinf") else "C1")
    only = []
    for p in a.params:
        if p.kind != "real" or p.required:
            continue
        for v in _probe_values(p):
            try:
                other = a.breaks(**{**params, p.name: v})
            except (TypeError, ValueError):
                continue
            if any(other):
                only.append(f"{_param_symbol(p.name)} = {fmt(params[p.name])}")
                break
    return f"{text} ({', '.join(only)} only)" if only else text


_SYMBOLS = {"alpha": "α", "beta": "β", "lambd": "λ", "threshold": "θ", "value": "v", "at_zero": "h₀",
            "min_val": "min_val", "max_val": "max_val"}


def _param_symbol(name: str) -> str:
    return _SYMBOLS.get(name, name)


def _non_decreasing(a, params=None) -> str:
    """The column "Non-decreasing": for the softmax family read in the own input x_i (like
    "Saturates"); for other vector activations (maxout, GLU, FReLU) it does not apply (maxout is
    non-decreasing in each input, not in the layer input: its note says so). For parameters other
    than the registry's ``example_params`` (a card of threshold with value > θ), it is checked on
    a grid of [−20, 20] with the break points on both sides."""
    if a.kind == "vector":
        if a.family == "softmax":
            return yes_no(a.monotonic) + " (in x_i)"
        return "n/a (vector)"
    if params is None or dict(params) == dict(a.example_params) or any(p.kind == "generator" for p in a.params):
        return yes_no(a.monotonic)        # (a random function, RReLU in training, keeps the registry's fact)
    jumps, kinks = a.breaks(**params)
    x = np.union1d(np.linspace(-20.0, 20.0, 40_001), [t + d for t in kinks for d in (-1e-9, 0.0, 1e-9)])
    with np.errstate(all="ignore"):
        y = np.asarray(a(x, **params), dtype=float)
    drops = np.diff(y) < -1e-12 * np.maximum(1.0, np.abs(y[1:]))
    return yes_no(not drops.any())


def _reference(a) -> str:
    """Author–year of the key reference (pybtex reads references.bib), or the year alone."""
    if a.paper:
        return html.escape(authors(a.paper))
    return str(a.year) if a.year else "—"


def _bounded(a) -> str:
    if a.bounded:
        return "both sides"
    if a.bounded_below:
        return "below"
    if a.bounded_above:
        return "above"
    return "no"


@lru_cache(maxsize=None)
def _entries(bib: Path):
    from pybtex.database import parse_file

    return parse_file(str(bib), bib_format="bibtex").entries


def authors(key: str, bib: str | Path | None = None) -> str:
    """'Clevert et al. (2016)' for a bibliography key of ``bib`` (default: the book's references.bib).

    ValueError for a key that the bibliography does not hold."""
    path = Path(bib).resolve() if bib is not None else book_file("references.bib")
    entries = _entries(path)
    if key not in entries:
        raise ValueError(f"authors: {key!r} is not a key of {path}")
    entry = entries[key]
    last = [" ".join(t.render_as("text") for t in p.rich_prelast_names + p.rich_last_names)
            for p in entry.persons.get("author", [])]
    year = entry.fields.get("year", "")
    if not last:
        who = entry.fields.get("title", key)
    elif len(last) == 1:
        who = last[0]
    elif len(last) == 2:
        who = f"{last[0]} & {last[1]}"
    else:
        who = f"{last[0]} et al."
    return f"{who} ({year})" if year else who


def _num(v: float) -> str:
    return fmt(v, 6)


def _plain(cell: str) -> str:
    """The text/plain form of an HTML cell: line breaks as "; ", tags dropped, entities decoded."""
    return html.unescape(re.sub("<[^>]+>", "", cell.replace("<br>", "; ")))


def _params_html(a) -> str:
    if not a.params:
        return "none"
    rows = []
    for p in a.params:
        default = "required" if p.required else html.escape(repr(p.default) if not isinstance(p.default, float)
                                                            else _num(p.default))
        allowed = {"real": p.interval(), "int": p.interval(), "bool": "True / False",
                   "choice": " / ".join(map(repr, p.choices)), "generator": "None or np.random.Generator",
                   "array": "array"}[p.kind]
        learn = " (learned)" if p.learnable else ""
        rows.append(f"<code>{p.name}</code> = {default}{learn}; allowed {html.escape(allowed)} — {html.escape(p.doc)}")
    return "<br>".join(rows)


def show(name: str, **params) -> HTMLDisplay:
    """The fact card of one activation: formula, derivative, properties, paper, frameworks,
    names in Japanese and Chinese. ``params`` (optional) are the values in use: the range and the
    smoothness are computed for them, and the card names them."""
    a = A.get(name)
    bound = a.bind(params, where="cards.show")
    here = _range_latex(a, bound)
    range_text = _m(a.range_latex) + (f" — here {_m(here)}" if here != a.range_latex else "")
    facts = [
        ("Family", f"{a.family} ({a.kind})"),
        ("Range", range_text),
        ("Bounded", _bounded(a)),
        ("Non-decreasing", _non_decreasing(a, bound)),
        ("Smoothness", _smoothness(a, bound)),
        ("Odd", yes_no(a.odd)),
        ("Zero-centred", yes_no(a.zero_centred)),
        ("Saturates", _SAT_CARD[a.saturating]),
    ]
    if a.self_normalising:
        facts.append(("Self-normalising", "yes"))
    if a.minimum is not None:
        xm, fm = a.minimum
        facts.append(("Minimum", f"f({_num(xm)}) = {_num(fm)}"))
    facts += [
        ("Parameters", _params_html(a)),
        ("Key reference", f"{html.escape(authors(a.paper))} <code>[{a.paper}]</code>" if a.paper else "—"),
        ("Used in", html.escape("; ".join(a.used_in))),
    ]
    facts += [(_FW.get(fw, fw), f"<code>{html.escape(call)}</code>")
              for fw, call in a.frameworks.items()]
    facts += [("日本語", html.escape(a.ja)), ("中文", html.escape(a.zh))]
    if a.notes:
        note = a.notes
        m = re.match(r"Facts are stated for [^:]*:", note)
        if m and a.params:
            note = f"Facts are stated for {_facts_for(a, bound)}:" + note[m.end():]
        facts.append(("Note", html.escape(note)))
    rows = "\n".join(f'<tr><th scope="row">{k}</th><td>{v}</td></tr>' for k, v in facts)
    deriv_label = "Jacobian" if a.kind == "vector" else "Derivative"
    body = (f'<div class="afx-card" id="afx-card-{a.name}">\n'
            f"<p><strong>{html.escape(a.title)}</strong> — {html.escape(a.summary)}.</p>\n"
            f"<p>Definition:</p>\n{_m(a.formula, display=True)}\n"
            f"<p>{deriv_label}:</p>\n{_m(a.derivative_formula, display=True)}\n"
            + scroll_region(f'<table class="afx-facts"><caption>Facts about {html.escape(a.title)} from the '
                            f"course's registry</caption>\n{rows}\n</table>", f"Facts about {a.title}")
            + "\n</div>")
    plain = [f"{a.title}: {a.summary}", f"  f(x): {a.formula}", f"  {deriv_label}: {a.derivative_formula}"]
    plain += [f"  {k}: {_plain(v)}" for k, v in facts]
    return HTMLDisplay(body, "\n".join(plain))


#: LaTeX symbols of parameters in ``range_latex`` (set-valued ranges get numbers put in).
_LATEX_SYMBOLS = {"threshold": r"\theta", "value": "v", "alpha": r"\alpha", "beta": r"\beta", "lambd": r"\lambda"}


def _latex_num(v: float) -> str:
    s = fmt(v, 3).replace("∞", r"\infty").replace("−", "-")
    m = re.fullmatch(r"(.*)×10\^(.*)", s)
    return f"{m.group(1)} \\times 10^{{{m.group(2)}}}" if m else s


def _range_latex(a, params, table=False) -> str:
    r"""The range of f for ``params`` in LaTeX. A set-valued range (``\{0, 1\}``, ``\{v\} \cup
    (\theta, \infty)``) is the registry's formula with the parameter values put in; an interval
    is ``range_for`` with ``[`` ``]`` at attained ends and ``(`` ``)`` at open ones
    (``range_closed``). A table keeps the registry's formula, true for every parameter value
    (``(-\alpha, \infty)``, ``\{v\} \cup (\theta, \infty)``), but prints the number for
    ``[\min f, \infty)`` (stated at ``example_params``)."""
    latex = a.range_latex
    if table and r"\min" not in latex:
        return latex                      # true for every parameter value
    if latex.startswith(r"\{"):
        out = latex
        for name, value in params.items():
            sym = _LATEX_SYMBOLS.get(name)
            if sym and isinstance(value, float):
                out = re.sub(re.escape(sym) + r"(?![A-Za-z])" if sym.startswith("\\")
                             else r"(?<![A-Za-z\\])" + sym + r"(?![A-Za-z])", lambda _: _latex_num(value), out)
        return out
    if r"\min" in latex and dict(params) != dict(a.example_params):
        return latex                      # the registry's minimum is stated at example_params only
    lo, hi = a.range_for(**params)
    closed_lo, closed_hi = a.range_closed
    left = "[" if closed_lo and lo > float("-inf") else "("
    right = "]" if closed_hi and hi < float("inf") else ")"
    return f"{left}{_latex_num(lo)}, {_latex_num(hi)}{right}"


def _facts_for(a, params) -> str:
    """"Facts are stated for threshold = 1, value = −1": the parameters a card was rendered with."""
    shown = {k: v for k, v in params.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
    return ", ".join(f"{k} = {fmt(v, 6)}" for k, v in shown.items())


def table(names=None, columns=_DEFAULT_COLUMNS, caption: str | None = None, extra=None) -> HTMLDisplay:
    """A properties table, one row per activation (default: the whole registry), in a
    horizontally scrollable wrapper so it stays readable on a phone.

    ``extra`` adds columns that are not registry facts (say, a cost measured on the page):
    ``{key: (header, {activation name: text})}``; name ``key`` in ``columns`` to place it."""
    names = list(A.REGISTRY) if names is None else list(names)
    acts = [A.get(n) for n in names]
    extra = dict(extra or {})
    for key, spec in extra.items():
        if key in COLUMNS:
            raise ValueError(f"table: extra column {key!r} would hide the registry column of that name")
        if not (isinstance(spec, tuple) and len(spec) == 2 and isinstance(spec[0], str) and isinstance(spec[1], dict)):
            raise TypeError(f"table: extra[{key!r}] must be (header, {{name: text}}), got {spec!r}")
        missing = [a.name for a in acts if a.name not in spec[1]]
        if missing:
            raise ValueError(f"table: extra column {key!r} has no value for {', '.join(missing)}")
    cols = {**COLUMNS, **{k: (h, lambda a, v=v: html.escape(str(v[a.name]))) for k, (h, v) in extra.items()}}
    unknown = [c for c in columns if c not in cols]
    if unknown:
        raise ValueError(f"table: unknown column(s) {unknown}; choose from {', '.join(cols)}")
    if not acts:
        raise ValueError("table: names must list at least one activation")
    caption = caption or f"Properties of {len(acts)} activation functions, generated from the registry"
    head = "".join(f'<th scope="col">{html.escape(cols[c][0]) if c in extra else cols[c][0]}</th>' for c in columns)
    rows = "\n".join("<tr>" + "".join(f"<td>{cols[c][1](a)}</td>" for c in columns) + "</tr>" for a in acts)
    terms = list(dict.fromkeys(TERMS[c] for c in columns if c in TERMS and c not in extra))
    note = ("Terms: " + "; ".join(terms) + ".") if terms else ""
    body = (scroll_region(f'<table class="afx-props"><caption>{html.escape(caption)}</caption>\n'
                          f"<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody></table>", caption)
            + (f'\n<p class="afx-table-note">{html.escape(note)}</p>' if note else ""))
    plain_rows = [" | ".join(cols[c][0] for c in columns)]
    plain_rows += [" | ".join(_plain(cols[c][1](a)) for c in columns) for a in acts]
    if note:
        plain_rows.append(note)
    return HTMLDisplay(body, "\n".join(plain_rows))
