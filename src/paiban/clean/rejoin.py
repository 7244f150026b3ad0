"""Rule ``rejoin``: put back together paragraphs that a page break split mid-sentence.

In: ``State.units`` after ``headings`` (captions and headings are marked). Out: text units
merged, each join reported with both lines and the characters on either side of the seam;
paragraphs that stay unfinished or start mid-sentence reported as fragments.

A text unit that does not end a sentence (``…联席会议制``, ``…等活动，``) is joined with the
next unit when that one is text that does not open a new block (a ``——`` subhead, a numbered
heading). A split can fall anywhere, before a number too, so the seam itself is not judged.
Nothing is ever joined onto a heading or a caption: a truncated paragraph before a heading
is kept as written (``…在中心城区重点公交站点``) and reported. Parts that, joined, repeat an
earlier paragraph are removed as a repeat (their halves were too short for ``dedupe``).
"""

from __future__ import annotations

from paiban.model import Fragment, Join, Removal

from .byline import byline
from .captions import captions
from .headings import headings
from .marked import classify
from .state import State, Unit
from .text import is_closed, key, starts_block, starts_mid_sentence

SEAM = 8
"""Characters kept on each side of a join in the report."""


def rejoin(state: State) -> None:
    """Join split paragraphs and report fragments."""
    units = state.units
    out: list[Unit] = []
    seen: dict[str, int] = {}
    i = 0
    while i < len(units):
        parts = [units[i]]
        i += 1
        if parts[0].kind == "text":
            text = parts[0].text
            while not is_closed(text) and i < len(units) and _continues(units[i]):
                text = _seam(text, units[i].text)
                parts.append(units[i])
                i += 1
            if len(parts) > 1 and key(text) in seen:
                # Halves too short for dedupe to recognise, which together repeat a paragraph.
                for part in parts:
                    state.removed.append(Removal(line=part.line, text=part.text,
                                                 reason="duplicate",
                                                 original_line=seen[key(text)]))
                continue
            _join(state, parts, text)
            seen.setdefault(key(text), parts[0].line)
        out.append(parts[0])
    state.units = out
    if state.joins:
        # A page break can split a byline, a caption or a heading as well as a paragraph:
        # what the joins made is looked at again, as cleaning the result anew would.
        if not state.byline:
            byline(state)
        captions(state)
        headings(state)
    _report_fragments(state)


def _join(state: State, parts: list[Unit], text: str) -> None:
    """Merge ``parts`` into the first, reporting each seam."""
    first = parts[0]
    done = first.text
    for nxt in parts[1:]:
        state.joins.append(Join(line=first.line, next_line=nxt.line,
                                before=done[-SEAM:], after=nxt.text[:SEAM]))
        done = _seam(done, nxt.text)
    first.text, first.gap_after = text, parts[-1].gap_after
    if len(parts) > 1:
        classify(first)


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
