"""Rule ``quotes``: short standalone mottos, candidates for pull quotes.

In: ``State.units`` after ``rejoin``. Out: motto units marked ``quote``.

A motto is a whole paragraph that is short, has no figures, and is built of parallel
clauses: ``责任立基，成就天地人和；厚德载物，创造价值无限。`` (halves of equal length around
``；``), ``悠悠万事，民生为大。`` (clauses of equal length), or a slogan wholly in quotation
marks. The lede is never a motto: it opens the article.
"""

from __future__ import annotations

import re

from .state import State
from .text import is_closed, visible_len

QUOTE_MAX = 40
"""Longest motto, in characters."""

CLAUSE_MAX = 12
"""Longest clause of a motto."""

SLOGAN = re.compile(r"[“「][^“”「」。！？]{4,30}[”」][。！!]?")
"""A slogan wholly in quotation marks: ``“勇于担当、履责于行”。``"""

PRONOUN = re.compile(r"[我你您他她它咱]")

FINAL = "。！!；;…”’」』\"'"


def quotes(state: State) -> None:
    """Mark motto paragraphs as quotes."""
    texts = [u for u in state.body_units() if u.kind == "text"]
    for unit in texts[1:]:  # texts[0] is the lede
        if is_motto(unit.text):
            unit.kind = "quote"


def is_motto(text: str) -> bool:
    """True when ``text`` reads as a motto (see module docstring)."""
    if visible_len(text) > QUOTE_MAX or not is_closed(text) or re.search(r"\d", text):
        return False
    if SLOGAN.fullmatch(text.strip()):
        return True
    core = text.strip().rstrip(FINAL)
    halves = [h for h in re.split(r"[；;]", core) if h]
    if len(halves) >= 2 and _parallel(halves):
        return all(len(c) <= CLAUSE_MAX for h in halves for c in _clauses(h))
    clauses = [c for c in re.split(r"[，,]", core) if c]  # 、 lists things: no motto
    # Speech (我/你/他…) is no motto, however even its clauses: 后来厂里派我去学数控，我才知道…
    return 2 <= len(clauses) <= 4 and _parallel(clauses) and all(
        4 <= len(c) <= CLAUSE_MAX for c in clauses) and not re.search(r"[。！？!?]", core) \
        and not PRONOUN.search(core)


def _clauses(text: str) -> list[str]:
    return [c for c in re.split(r"[，,、]", text) if c]


def _parallel(parts: list[str]) -> bool:
    """True when all parts have the same length (give or take one character)."""
    lengths = [visible_len(p) for p in parts]
    return max(lengths) - min(lengths) <= 1

