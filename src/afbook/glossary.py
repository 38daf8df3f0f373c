"""The glossary (``glossary.md``) as data: the one source of the book's Japanese and Chinese terms.

``glossary.md`` is a MyST ``{glossary}`` block: one or more term lines (synonyms), then an indented
definition that ends with ``ja: …; zh: ….``. :func:`terms` reads it into :class:`Term` records, looked
up by any of the synonyms, case-insensitively.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from afbook.paths import book_file

__all__ = ["Term", "terms", "term"]

_LANGS = re.compile(r"\bja:\s*(?P<ja>[^;]+);\s*zh:\s*(?P<zh>.+?)\.?\s*$")


@dataclass(frozen=True)
class Term:
    names: tuple          # the term and its synonyms, as written in the glossary
    definition: str       # the English definition, without the ja/zh part
    ja: str
    zh: str

    @property
    def en(self) -> str:
        return self.names[0]


def _parse(text: str) -> list:
    body = text.split("```{glossary}", 1)[1].split("```", 1)[0]
    out, names = [], []
    for line in body.splitlines():
        if not line.strip() or line.startswith(":"):
            continue
        if line.startswith((" ", "\t")):
            m = _LANGS.search(line)
            if not names or m is None:
                raise ValueError(f"glossary.md: a definition without its terms or its 'ja: …; zh: …': {line.strip()!r}")
            out.append(Term(tuple(names), line[:m.start()].strip(), m["ja"].strip(), m["zh"].strip()))
            names = []
        else:
            names.append(line.strip())
    return out


@lru_cache(maxsize=4)
def _load(path: Path) -> dict:
    table = {}
    for t in _parse(path.read_text(encoding="utf-8")):
        for n in t.names:
            table[n.casefold()] = t
    return table


def terms(path: Path | str | None = None) -> dict:
    """{lower-cased name: Term} for every term and synonym of the glossary."""
    return _load(Path(path) if path is not None else book_file("glossary.md"))


def term(name: str, path: Path | str | None = None) -> Term:
    """The glossary entry of ``name`` (any synonym, any case); ValueError if there is none."""
    if not isinstance(name, str):
        raise TypeError(f"term: name must be a str, got {type(name).__name__}")
    table = terms(path)
    try:
        return table[name.casefold()]
    except KeyError:
        import difflib

        near = difflib.get_close_matches(name.casefold(), table, n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        raise ValueError(f"glossary.md has no term {name!r}{hint}") from None
