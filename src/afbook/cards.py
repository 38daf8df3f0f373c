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

import activations as A
from afbook.display import HTMLDisplay, fmt

__all__ = ["show", "table", "COLUMNS", "authors", "book_root", "yes_no"]

_SOURCE_ROOT = Path(__file__).resolve().parents[2]   # the repository, for an editable install

#: column name → (header, function of the activation giving plain text or HTML).
COLUMNS = {
    "name": ("Activation", lambda a: f"<code>{a.name}</code>"),
    "title": ("Name", lambda a: html.escape(a.title)),
    "family": ("Family", lambda a: a.family),
    "range": ("Range", lambda a: _m(a.range_latex)),
    "bounded": ("Bounded", lambda a: _bounded(a)),
    "monotonic": ("Monotonic", lambda a: yes_no(a.monotonic)),
    "smoothness": ("Smoothness", lambda a: _smooth(a.smoothness)),
    "zero_centred": ("Zero-centred", lambda a: yes_no(a.zero_centred)),
    "saturating": ("Saturates", lambda a: _SAT[a.saturating]),
    "year": ("Year", lambda a: str(a.year) if a.year else "—"),
    "paper": ("Paper", lambda a: html.escape(authors(a.paper)) if a.paper else "—"),
    "pytorch": ("PyTorch", lambda a: f"<code>{html.escape(a.frameworks.get('pytorch', '—'))}</code>"),
    "ja": ("日本語", lambda a: html.escape(a.ja)),
    "zh": ("中文", lambda a: html.escape(a.zh)),
}
_DEFAULT_COLUMNS = ("title", "family", "range", "monotonic", "smoothness", "zero_centred", "saturating", "year", "paper")
_FW = {"pytorch": "PyTorch", "keras": "Keras", "jax": "JAX", "numpy": "NumPy", "scipy": "SciPy"}
_SAT = {"none": "no", "left": "for x → −∞", "right": "for x → +∞", "both": "both sides"}


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def _m(latex: str, display: bool = False) -> str:
    """A math span in the form Sphinx emits, so MathJax typesets it inside cell outputs."""
    body = html.escape(latex, quote=False)
    if display:
        return f'<div class="math notranslate nohighlight">\\[{body}\\]</div>'
    return f'<span class="math notranslate nohighlight">\\({body}\\)</span>'


def _smooth(s: str) -> str:
    return {"discontinuous": "discontinuous", "C0": "continuous (C⁰)", "C1": "C¹",
            "Cinf": "smooth (C^∞)"}[s]


def _bounded(a) -> str:
    if a.bounded:
        return "both sides"
    if a.bounded_below:
        return "below"
    if a.bounded_above:
        return "above"
    return "no"


def book_root(start: str | Path | None = None) -> Path:
    """The book's folder: the first one holding ``_config.yml`` and ``references.bib``, looking from
    ``start`` (default: the current directory, a chapter's folder in a kernel) upwards, then in
    the source tree this package was installed from. FileNotFoundError if there is none."""
    here = Path.cwd() if start is None else Path(start)
    here = here.resolve()
    for folder in (here, *here.parents, _SOURCE_ROOT):
        if (folder / "_config.yml").is_file() and (folder / "references.bib").is_file():
            return folder
    raise FileNotFoundError(f"cards: no folder with _config.yml and references.bib in {here} or above, "
                            f"nor at {_SOURCE_ROOT}; run from inside the book's repository")


@lru_cache(maxsize=None)
def _entries(bib: Path):
    from pybtex.database import parse_file

    return parse_file(str(bib), bib_format="bibtex").entries


def authors(key: str, bib: str | Path | None = None) -> str:
    """'Clevert et al. (2016)' for a bibliography key of ``bib`` (default: the book's references.bib).

    ValueError for a key that the bibliography does not hold."""
    path = Path(bib).resolve() if bib is not None else book_root() / "references.bib"
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
    names in Japanese and Chinese. ``params`` (optional) are shown as the values in use."""
    a = A.get(name)
    bound = a.bind(params, where="cards.show")
    facts = [
        ("Family", f"{a.family} ({a.kind})"),
        ("Range", _m(a.range_latex) + (f" — here {_m(_range_text(a, bound))}" if params else "")),
        ("Bounded", _bounded(a)),
        ("Monotonic", yes_no(a.monotonic)),
        ("Smoothness", _smooth(a.smoothness)),
        ("Zero-centred (odd)", yes_no(a.zero_centred)),
        ("Saturates", _SAT[a.saturating]),
    ]
    if a.self_normalising:
        facts.append(("Self-normalising", "yes"))
    if a.minimum is not None:
        xm, fm = a.minimum
        facts.append(("Minimum", f"f({_num(xm)}) = {_num(fm)}"))
    facts += [
        ("Parameters", _params_html(a)),
        ("Paper", f"{html.escape(authors(a.paper))} <code>[{a.paper}]</code>" if a.paper else "—"),
        ("Used in", html.escape("; ".join(a.used_in))),
    ]
    facts += [(_FW.get(fw, fw), f"<code>{html.escape(call)}</code>")
              for fw, call in a.frameworks.items()]
    facts += [("日本語", html.escape(a.ja)), ("中文", html.escape(a.zh))]
    if a.notes:
        facts.append(("Note", html.escape(a.notes)))
    rows = "\n".join(f'<tr><th scope="row">{k}</th><td>{v}</td></tr>' for k, v in facts)
    deriv_label = "Jacobian" if a.kind == "vector" else "Derivative"
    body = (f'<div class="afx-card" id="afx-card-{a.name}">\n'
            f"<p><strong>{html.escape(a.title)}</strong> — {html.escape(a.summary)}.</p>\n"
            f"<p>Definition:</p>\n{_m(a.formula, display=True)}\n"
            f"<p>{deriv_label}:</p>\n{_m(a.derivative_formula, display=True)}\n"
            f'<div class="afx-table-wrap"><table class="afx-facts">'
            f"<caption>Facts about {html.escape(a.title)} from the course's registry</caption>\n"
            f"{rows}\n</table></div>\n</div>")
    plain = [f"{a.title}: {a.summary}", f"  f(x): {a.formula}", f"  {deriv_label}: {a.derivative_formula}"]
    plain += [f"  {k}: {html.unescape(re.sub('<[^>]+>', '', v))}" for k, v in facts]
    return HTMLDisplay(body, "\n".join(plain))


def _range_text(a, params) -> str:
    lo, hi = a.range_for(**params)
    return f"({_num(lo)}, {_num(hi)})".replace("∞", r"\infty").replace("−", "-")


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
    body = (f'<div class="afx-table-wrap" role="region" aria-label="{html.escape(caption)}" tabindex="0">'
            f'<table class="afx-props"><caption>{html.escape(caption)}</caption>\n'
            f"<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}\n</tbody></table></div>")
    plain_rows = [" | ".join(cols[c][0] for c in columns)]
    plain_rows += [" | ".join(re.sub("<[^>]+>", "", cols[c][1](a)) for c in columns) for a in acts]
    return HTMLDisplay(body, "\n".join(plain_rows))
