"""Rule ``headings``: section headings written without a marker.

In: ``State.units`` after ``captions``. Out: units marked ``heading`` (level 1).

A section heading in this genre is a short plain line (``可靠的“职工之家”在引领职工中彰显政治
本色``, ``“责任工会”： 带领职工听党的话、跟党走``): loose (see ``captions``), at most
``HEADING_MAX`` characters, no comma (except between balanced clauses: ``坚持改革创新，激发
工会活力``), and followed by text, a subhead or a caption. It must
also not look like the first half of a page-split paragraph: it does not end on a function
word (的, 在, 把…), and the next line does not start mid-sentence (``，…``, ``万条，…``);
such lines are left as text for ``rejoin``.
"""

from __future__ import annotations

from .captions import caption_like, heading_like, is_loose
from .state import State, Unit
from .text import (balanced_clauses, cjk_count, has_comma, has_inner_stop, starts_mid_sentence,
                   visible_len)


def headings(state: State) -> None:
    """Mark the unmarked section headings."""
    units = state.body_units()
    for i, unit in enumerate(units):
        if unit.kind != "text" or not is_loose(unit) or not heading_like(unit):
            continue
        nxt = units[i + 1] if i + 1 < len(units) else None
        if nxt is None or not _text_follows(units, i + 1):
            continue
        if nxt.kind in ("text", "heading") and is_loose(nxt, any_kind=True) \
                and not caption_like(nxt):
            continue  # two plain short lines in a row: leave them to rejoin
        if starts_mid_sentence(nxt.text):
            continue  # the next line finishes this one's sentence: a page break, no heading
        unit.kind, unit.level, unit.body = "heading", 1, unit.text
    _asking(units)


QUESTION_MAX = 18
"""Longest heading that ends in ？ or ！."""


def _asking(units: list[Unit]) -> None:
    """Section headings that ask or exclaim (``钱从哪里来？``, ``让数据多跑路！``): short lines
    ending in ？ or ！ with prose after them. A one-line question is also what speech and
    rhetorical paragraphs look like, so these count only in a text that has sections (other
    headings) or has at least two of them, never in quotation marks, never in a run of short
    lines, never after a line that introduces speech (``…说：``)."""
    found = [i for i, unit in enumerate(units) if _asks(units, i)]
    others = any(u.kind == "heading" for u in units)
    if len(found) >= 2 or (found and others):
        for i in found:
            units[i].kind, units[i].level, units[i].body = "heading", 1, units[i].text


def _asks(units: list[Unit], i: int) -> bool:
    unit = units[i]
    text = unit.text
    if unit.kind != "text" or unit.forced or i == 0 or i + 1 >= len(units):
        return False
    if not (text.endswith(("？", "！", "?", "!")) and _short_question(text)):
        return False
    if text[0] in "“‘「『\"'（(《" or cjk_count(text) < 3:
        return False
    before, after = units[i - 1], units[i + 1]
    if before.kind == "text" and (before.text.endswith(("：", ":")) or _short_question(before.text)):
        return False
    return (after.kind == "text" and not _short_question(after.text)
            and not starts_mid_sentence(after.text))


def _short_question(text: str) -> bool:
    core = text.rstrip("？！?!")
    return (visible_len(text) <= QUESTION_MAX and not has_inner_stop(core)
            and not (has_comma(core) and not balanced_clauses(core))
            and text[-1:] in "？！?!")


def _text_follows(units: list[Unit], start: int) -> bool:
    """True when, past any captions and credits from ``units[start]`` on, something other
    than the byline or end matter follows: a heading heads something. (Indexed, not sliced:
    a slice per line was quadratic.)"""
    for k in range(start, len(units)):
        unit = units[k]
        if unit.kind not in ("caption", "credit"):
            return unit.kind not in ("byline", "end")
    return False
