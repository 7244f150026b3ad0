"""Rule ``captions``: photo captions left in the text where the photos were.

In: ``State.units`` after ``marked``. Out: caption units marked ``caption``.

A caption is a "loose" line: short, not ending a sentence, no sentence ending inside it (or it
says 图为/摄). Loose lines are also what section headings and the first halves of page-split
paragraphs look like, so position decides, line by line:
- a line with 图为, 供图, （…摄） is a caption;
- loose lines in a run (several in a row) set apart by more blank lines than paragraphs are
  are captions, except the last heading-like one before the text resumes (captions can sit
  between a paragraph and the next heading);
- a single loose line is a caption when it is set apart and reads like a description (a
  comma, or longer than a heading);
- at the end of the article (after the byline), loose lines set apart are captions.
The rest is left for ``headings`` (short and plain: a heading) and ``rejoin``.
"""

from __future__ import annotations

from collections import Counter

from .state import State, Unit
from .text import (RUN_IN, has_caption_signal, has_comma, has_inner_stop, is_closed,
                   starts_block, visible_len)

CAPTION_MAX = 100
"""Longest caption, in characters."""

HEADING_MAX = 32
"""Longest unmarked section heading; longer loose lines read as captions or prose."""


def captions(state: State) -> None:
    """Mark the caption units."""
    units = state.body_units()
    typical = typical_gap(state.units)
    for start, end in loose_runs(units):
        run = units[start:end]
        after = units[end] if end < len(units) else None
        before = units[start - 1] if start > 0 else None
        if after is None or after.kind == "byline":
            after_byline = before is not None and (
                before.kind == "byline" or before.line == state.byline_line)
            _trailing(run, after_byline, typical)
        else:
            _inside(run, typical)


def is_loose(unit: Unit) -> bool:
    """True for a text unit that could be a caption or a heading (see module docstring)."""
    text = unit.text
    if unit.kind != "text" or starts_block(text) or RUN_IN.match(text):
        return False
    if visible_len(text) > CAPTION_MAX:
        return False
    return has_caption_signal(text) or not (is_closed(text) or has_inner_stop(text))


def caption_like(unit: Unit) -> bool:
    """True when a loose line reads as a description rather than a heading."""
    text = unit.text
    return has_caption_signal(text) or has_comma(text) or visible_len(text) > HEADING_MAX


def typical_gap(units: list[Unit]) -> int:
    """The usual number of blank lines between paragraphs in this text.

    Each unit counts its smaller gap to a neighbour, so a caption set apart on both sides
    does not make its neighbours look set apart too; ties go to the smaller gap."""
    gaps: Counter[int] = Counter()
    for i, unit in enumerate(units):
        sides = ([unit.gap_before] if i else []) + ([unit.gap_after] if i < len(units) - 1 else [])
        if sides:
            gaps[min(sides)] += 1
    if not gaps:
        return 0
    return min(gaps, key=lambda g: (-gaps[g], g))


def set_apart(unit: Unit, typical: int) -> bool:
    """True when more blank lines than usual surround ``unit`` on either side."""
    return unit.gap_before > typical or unit.gap_after > typical


def loose_runs(units: list[Unit]) -> list[tuple[int, int]]:
    """``(start, end)`` index ranges of consecutive loose units."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, unit in enumerate(units + [None]):  # type: ignore[list-item]
        if unit is not None and is_loose(unit):
            start = i if start is None else start
        elif start is not None:
            runs.append((start, i))
            start = None
    return runs


def heading_at(run: list[Unit]) -> int:
    """Index in ``run`` of the line that may be a section heading, or -1: the last one that
    does not read as a description, if only descriptions follow it."""
    for i in range(len(run) - 1, -1, -1):
        if not caption_like(run[i]):
            return i
    return -1


def _inside(run: list[Unit], typical: int) -> None:
    """Captions in a run of loose lines followed by text or a heading."""
    heading = heading_at(run)
    for i, unit in enumerate(run):
        if i == heading:
            continue
        apart = set_apart(unit, typical)
        if has_caption_signal(unit.text) or (apart and (len(run) > 1 or caption_like(unit))):
            unit.kind = "caption"


def _trailing(run: list[Unit], after_byline: bool, typical: int) -> None:
    """Captions after the last paragraph (or after the byline)."""
    for unit in run:
        if has_caption_signal(unit.text) or after_byline or set_apart(unit, typical):
            unit.kind = "caption"
