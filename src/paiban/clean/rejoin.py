"""Rule ``rejoin``: put back together paragraphs that a page break split mid-sentence.

In: ``State.units`` after ``headings`` (captions and headings are marked). Out: text units
merged, each join reported with both lines and the characters on either side of the seam.

A text unit that does not end a sentence (``…联席会议制``, ``…等活动，``) is joined with the
next unit when that one is text that does not open a new block (a ``——`` subhead, a numbered
heading). A split can fall anywhere, before a number too, so the seam itself is not judged.
Nothing is ever joined onto a heading or a caption: a truncated paragraph before a heading
is kept as written (``…在中心城区重点公交站点``) (``structure`` reports it as a fragment).
A joined unit that its marker makes a heading (``一`` + ``、服务职工``) is classified as one:
page breaks split headings too.
"""

from __future__ import annotations

from paiban.model import Join

from .marked import classify, marked_heading
from .state import State, Unit
from .text import is_closed, starts_block

SEAM = 8
"""Characters kept on each side of a join in the report."""


def rejoin(state: State) -> None:
    """Join split paragraphs, reporting each join."""
    units = state.units
    out: list[Unit] = []
    i = 0
    while i < len(units):
        parts = [units[i]]
        i += 1
        if parts[0].kind in ("text", "turn") and not parts[0].forced:
            text = parts[0].text
            while not is_closed(text) and i < len(units) and _continues(units[i]):
                text = _seam(text, units[i].text)
                parts.append(units[i])
                i += 1
                if marked_heading(text):
                    break  # the page break had split a heading: it is whole now
            _join(state, parts, text)
        out.append(parts[0])
    state.units = out


def _join(state: State, parts: list[Unit], text: str) -> None:
    """Merge ``parts`` into the first, reporting each seam."""
    first = parts[0]
    done = first.text
    for nxt in parts[1:]:
        state.joins.append(Join(line=first.line, next_line=nxt.line,
                                before=done[-SEAM:], after=nxt.text[:SEAM]))
        done = _seam(done, nxt.text)
    first.text, first.gap_after = text, parts[-1].gap_after
    first.sources = [source for part in parts for source in part.sources]
    if len(parts) > 1:
        classify(first)


def _continues(unit: Unit) -> bool:
    return unit.kind == "text" and not unit.forced and not starts_block(unit.text)


def _seam(first: str, second: str) -> str:
    """The two parts joined. Chinese needs nothing between them; Latin words need a space."""
    if first[-1:].isascii() and first[-1:].isalnum() and second[:1].isascii() \
            and second[:1].isalnum():
        return first + " " + second
    return first + second
