"""Rule ``headings``: section headings written without a marker.

In: ``State.units`` after ``captions``. Out: units marked ``heading`` (level 1).

A section heading in this genre is a short plain line (``可靠的“职工之家”在引领职工中彰显政治
本色``, ``“责任工会”： 带领职工听党的话、跟党走``): loose (see ``captions``), at most
``HEADING_MAX`` characters, no comma, and followed by text, a subhead or a caption. It must
also not look like the first half of a page-split paragraph: it does not end on a function
word (的, 在, 把…), and when the next line starts mid-sentence (``万条，…``) and nothing sets
this line apart, it is left as text for ``rejoin``.
"""

from __future__ import annotations

from .captions import caption_like, is_loose, set_apart, typical_gap
from .state import State
from .text import cjk_count, ends_open, starts_mid_sentence

MIN_CJK = 2
"""A heading has at least this many Chinese characters (a Latin line is prose here)."""


def headings(state: State) -> None:
    """Mark the unmarked section headings."""
    units = state.body_units()
    typical = typical_gap(state.units)
    for i, unit in enumerate(units):
        if not is_loose(unit) or caption_like(unit) or ends_open(unit.text):
            continue
        if cjk_count(unit.text) < MIN_CJK:
            continue
        nxt = units[i + 1] if i + 1 < len(units) else None
        if nxt is None or nxt.kind == "byline":
            continue
        if nxt.kind == "text" and is_loose(nxt) and not caption_like(nxt):
            continue  # two plain short lines in a row: leave them to rejoin
        if starts_mid_sentence(nxt.text) and not set_apart(unit, typical):
            continue
        unit.kind, unit.level, unit.body = "heading", 1, unit.text
