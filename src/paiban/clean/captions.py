"""Rule ``captions``: photo captions left in the text where the photos were.

In: ``State.units`` after ``marked``. Out: caption units marked ``caption``.

A caption is a "loose" line: short, not ending a sentence, no sentence ending inside it (or it
says 图为/摄). Loose lines are also what section headings and the first halves of page-split
paragraphs look like, so position decides, line by line:
- a line with 图为, 供图, （…摄） is a caption;
- loose lines in a run (several in a row) set apart by more blank lines than paragraphs are
  are captions, except the last heading-like one before the text resumes (captions can sit
  between a paragraph and the next heading);
- a single loose line set apart is a caption unless it could be a heading (short, plain);
- at the end of the article (after the byline), loose lines set apart are captions.
The rest is left for ``headings`` (short and plain: a heading) and ``rejoin``.
"""

from __future__ import annotations

from collections import Counter

from .state import State, Unit
from .text import (RUN_IN, balanced_clauses, cjk_count, ends_open, has_caption_signal, has_comma,
                   has_inner_stop, is_closed, key, starts_block, starts_mid_sentence,
                   visible_len)

CAPTION_MAX = 100
"""Longest caption, in characters."""

HEADING_MAX = 32
"""Longest unmarked section heading; longer loose lines read as captions or prose."""

DEFAULT_GAP = 1
"""Blank lines between paragraphs when a text gives no evidence (one, as in the seeds)."""

MIN_CJK = 2
"""A heading has at least this many Chinese characters (a Latin line is prose here)."""


def captions(state: State) -> None:
    """Mark the caption units."""
    units = state.body_units()
    typical = typical_gap(state.units)
    _credited(units, typical)  # first: a credited line is never the run's heading
    for start, end in loose_runs(units):
        run = units[start:end]
        after = units[end] if end < len(units) else None
        before = units[start - 1] if start > 0 else None
        if after is None or after.kind in ("byline", "end"):
            after_byline = before is not None and (
                before.kind == "byline" or before.line == state.byline_line)
            _trailing(run, after_byline, typical)
        else:
            _inside(run, typical)
    _repeated(units)


def _credited(units: list[Unit], typical: int) -> None:
    """A line with a credit line after it is a caption (``…现场`` / ``张三 摄``): a loose
    one, or a sentence set apart like a caption."""
    for i, unit in enumerate(units[:-1]):
        if unit.kind != "text" or units[i + 1].kind != "credit":
            continue
        if is_loose(unit):
            unit.kind = "caption"
        elif visible_len(unit.text) <= CAPTION_MAX and set_apart(unit, typical):
            # A caption written as a sentence (Xinhua's ``6月11日，职工在…。``) set apart
            # like a caption, with its credit under it.
            unit.kind = "caption"


def _repeated(units: list[Unit]) -> None:
    """A loose line that repeats a caption's words (the same caption twice), or that had an
    image file name in it, is a caption."""
    from .credits import split_credit

    seen = {key(split_credit(u.text)[0]) for u in units if u.kind == "caption"}
    for unit in units:
        if unit.kind == "text" and is_loose(unit) and (key(unit.text) in seen or unit.photo):
            unit.kind = "caption"


def is_loose(unit: Unit, any_kind: bool = False) -> bool:
    """True for a text unit that could be a caption or a heading (see module docstring);
    ``any_kind``: judge the line alone, even if a rule has classified it already."""
    text = unit.text
    if (unit.kind != "text" and not any_kind) or unit.forced or starts_block(text) \
            or RUN_IN.match(text):
        return False
    if visible_len(text) > CAPTION_MAX or visible_len(text) < 2:
        return False  # one character is no caption or heading: a page break cut it off
    return has_caption_signal(text) or not (is_closed(text) or has_inner_stop(text))


def caption_like(unit: Unit) -> bool:
    """True when a loose line reads as a description rather than a heading: 图为…, longer
    than a heading, or with a comma (unless in a balanced heading like ``坚持改革创新，激发
    工会活力``)."""
    text = unit.text
    return (has_caption_signal(text) or visible_len(text) > HEADING_MAX
            or (has_comma(text) and not balanced_clauses(text)))


def typical_gap(units: list[Unit]) -> int:
    """The usual number of blank lines between paragraphs in this text.

    Counted before the lines that are not and cannot be captions (prose, marked headings,
    the deck):
    a caption's own wide gap is what is being measured against, so it must not set the
    measure. Ties go to the smaller gap; a text with nothing to count uses ``DEFAULT_GAP``."""
    # List items stand on consecutive lines whatever the text's paragraph spacing: not counted.
    gaps = Counter(u.gap_before for u in units[1:]
                   if u.kind not in ("caption", "item") and not is_loose(u))
    if not gaps:
        return DEFAULT_GAP
    return min(gaps, key=lambda g: (-gaps[g], g))


def set_apart(unit: Unit, typical: int) -> bool:
    """True when more blank lines than usual come before ``unit``.

    Only the gap before counts: the source texts put extra blank lines before a caption and
    one after it, so a wide gap after a line belongs to the caption that follows."""
    return unit.gap_before > typical


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


def heading_like(unit: Unit) -> bool:
    """True when a loose line could be a section heading: it reads as a title (no comma, not
    longer than ``HEADING_MAX``), has some Chinese in it, and does not end on a function word
    the way the first half of a page-split sentence does (``…始终把``)."""
    text = unit.text
    return (not (caption_like(unit) or ends_open(text) or starts_mid_sentence(text))
            and cjk_count(text) >= MIN_CJK)


def heading_at(run: list[Unit]) -> int:
    """Index in ``run`` of the line that may be a section heading, or -1: the last
    heading-like one (captions can sit between a paragraph and the next heading)."""
    for i in range(len(run) - 1, -1, -1):
        if heading_like(run[i]):
            return i
    return -1


def _inside(run: list[Unit], typical: int) -> None:
    """Captions in a run of loose lines followed by text or a heading."""
    heading = heading_at(run)
    for i, unit in enumerate(run):
        if i != heading and (has_caption_signal(unit.text) or set_apart(unit, typical)):
            unit.kind = "caption"


def _trailing(run: list[Unit], after_byline: bool, typical: int) -> None:
    """Captions after the last paragraph (or after the byline)."""
    for unit in run:
        if has_caption_signal(unit.text) or after_byline or set_apart(unit, typical):
            unit.kind = "caption"
