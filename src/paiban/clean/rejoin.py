"""Rule ``rejoin``: put back together paragraphs that a page break split mid-sentence.

In: ``State.units`` after ``headings`` (captions and headings are marked). Out: text units
merged, each join reported with both lines and the characters on either side of the seam;
paragraphs that stay unfinished or start mid-sentence reported as fragments.

A text unit that does not end a sentence (``…联席会议制``, ``…等活动，``) is joined with the
next unit when that one is text that does not open a new block (a ``——`` subhead, a numbered
heading). A split can fall anywhere, before a number too, so the seam itself is not judged.
Nothing is ever joined onto a heading or a caption: a truncated paragraph before a heading
is kept as written (``…在中心城区重点公交站点``) and reported.
"""

from __future__ import annotations

from paiban.model import Fragment, Join

from .state import State, Unit
from .text import is_closed, starts_block, starts_mid_sentence

SEAM = 8
"""Characters kept on each side of a join in the report."""


def rejoin(state: State) -> None:
    """Join split paragraphs and report fragments."""
    units = state.units
    out: list[Unit] = []
    i = 0
    while i < len(units):
        unit = units[i]
        i += 1
        if unit.kind != "text":
            out.append(unit)
            continue
        while not is_closed(unit.text) and i < len(units) and _continues(units[i]):
            nxt = units[i]
            state.joins.append(Join(line=unit.line, next_line=nxt.line,
                                    before=unit.text[-SEAM:], after=nxt.text[:SEAM]))
            unit.text = _seam(unit.text, nxt.text)
            unit.gap_after = nxt.gap_after
            i += 1
        out.append(unit)
    state.units = out
    _report_fragments(state)


def _continues(unit: Unit) -> bool:
    return unit.kind == "text" and not starts_block(unit.text)


def _seam(first: str, second: str) -> str:
    """The two parts joined. Chinese needs nothing between them; Latin words need a space."""
    if first[-1:].isascii() and first[-1:].isalnum() and second[:1].isascii() \
            and second[:1].isalnum():
        return first + " " + second
    return first + second


def _report_fragments(state: State) -> None:
    """Report text units that are still unfinished or start mid-sentence."""
    previous: Unit | None = None
    for unit in state.units:
        if unit.kind == "text":
            if starts_mid_sentence(unit.text) and not (previous and previous.kind == "text"
                                                       and not is_closed(previous.text)):
                state.fragments.append(Fragment(line=unit.line, text=unit.text,
                                                reason="starts-mid-sentence"))
            if not is_closed(unit.text):
                state.fragments.append(Fragment(line=unit.line, text=unit.text,
                                                reason="truncated"))
        previous = unit
