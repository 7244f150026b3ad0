"""Rule ``frame``: the title, the deck under it, and captions printed before the title.

In: ``State.units`` after ``byline``. Out: ``State.title`` and ``State.deck`` set (their units'
``kind`` too), units before the title marked ``caption``; a warning when no title is found.

The title is a short line that does not read as prose (no sentence ends inside it). When a
deck follows it (a ``——…`` line), everything above the title is a caption. Otherwise the title
is the first short line at the top that does not look like a caption: captions describe a
scene (图为…, a comma, or a long line) while titles are brief.
"""

from __future__ import annotations

from .state import State, Unit
from .text import (DASH, RUN_IN, has_caption_signal, has_comma, has_inner_stop, is_closed,
                   starts_block, visible_len)

TITLE_MAX = 50
"""Longest title, in characters."""

DECK_MAX = 60
"""Longest deck line."""

CAPTION_MAX = 100
"""Longest caption above the title."""


def frame(state: State) -> None:
    """Find the title, the deck and the captions above the title."""
    units = state.units
    hinted = next((i for i, u in enumerate(units) if u.kind == "title"), None)
    if hinted is not None:  # the format says which line is the title (a Word Title style)
        _set_title(state, hinted)
        return
    top = _top_run(units)
    if not top:
        if units:
            state.warnings.append(f"no title line found (line {units[0].line} reads as prose)")
        return
    title_at = _deck_title(units, top)
    if title_at is None:
        title_at = _plain_title(units, top)
    if title_at >= len(units) or not titleable(units[title_at]):
        for unit in units[:title_at]:
            unit.kind = "caption"
        state.warnings.append("no title line found (only captions at the top)")
        return
    _set_title(state, title_at)


def _set_title(state: State, title_at: int) -> None:
    """Make ``units[title_at]`` the title, what is above it captions, and find the deck."""
    units = state.units
    for unit in units[:title_at]:
        if unit.kind == "text":
            unit.kind = "caption"
    title = units[title_at]
    title.kind = "title"
    title.body = title.text
    state.title = title
    nxt = units[title_at + 1] if title_at + 1 < len(units) else None
    if nxt is not None and _is_deck(nxt):
        dash = DASH.match(nxt.text)
        assert dash is not None
        nxt.kind, nxt.marker, nxt.body = "deck", dash.group(1), nxt.text[dash.end():]
        state.deck = nxt
    if len(units) == title_at + 1:
        state.warnings.append("the text is only a title: no body")


def titleable(unit: Unit) -> bool:
    """True when ``unit`` could be a title: short, not prose, no marker."""
    return (visible_len(unit.text) <= TITLE_MAX and not has_inner_stop(unit.text)
            and not starts_block(unit.text) and "。" not in unit.text)


def _top_run(units: list[Unit]) -> int:
    """Number of title-like (or caption) units at the top, before the first prose."""
    n = 0
    for unit in units:
        if unit.kind == "caption":  # the format said so (a photo's caption above the title)
            n += 1
            continue
        if unit.kind != "text" or unit.forced:
            break
        caption = has_caption_signal(unit.text) and visible_len(unit.text) <= CAPTION_MAX
        closed = is_closed(unit.text) and not unit.text.endswith(("？", "！", "?", "!"))
        if not caption and (not titleable(unit) or closed):
            break
        n += 1
    return n


def _is_deck(unit: Unit) -> bool:
    dash = DASH.match(unit.text)
    return (dash is not None and not RUN_IN.match(unit.text)
            and 2 <= visible_len(unit.text[dash.end():]) <= DECK_MAX
            and not has_inner_stop(unit.text))


def _deck_title(units: list[Unit], top: int) -> int | None:
    """Index of the title when a deck follows one of the top units."""
    for i in range(top):
        if i + 1 < len(units) and _is_deck(units[i + 1]):
            return i
    return None


def _plain_title(units: list[Unit], top: int) -> int:
    """Index of the first top unit that does not look like a caption (else the last one)."""
    for i in range(top):
        text = units[i].text
        if units[i].kind == "caption":
            continue
        if not (has_caption_signal(text) or (has_comma(text) and visible_len(text) >= 12)):
            return i
    return top - 1 if titleable(units[top - 1]) else top
