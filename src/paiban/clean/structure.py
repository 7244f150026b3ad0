"""Rule ``structure``: the classified units to the ``Article``.

In: ``State`` after every other rule. Out: ``State.article``: title, deck, byline, blocks in
document order (figures numbered 1.. in that order), the lede flagged, and the report, with
the paragraphs still unfinished or starting mid-sentence reported and flagged as fragments.

Run-in subheads are split here, after ``rejoin`` has made their paragraph whole:
``——**源头参与全面畅通。**龙岩市委…`` becomes ``Heading(level=2, run_in=True, marker="——",
text="源头参与全面畅通。")`` and a ``Paragraph`` with the rest. Without bold, a ``——`` line
whose first sentence is short (``——源头参与全面畅通。龙岩市委…``) is read the same way.
"""

from __future__ import annotations

from paiban.model import Article, Block, Figure, Fragment, Heading, Paragraph, Quote, Report

from .state import State, Unit
from .marked import split_run_in
from .text import is_closed, starts_mid_sentence


def structure(state: State) -> None:
    """Build ``state.article`` from the units."""
    reasons = _fragment_reasons(state.units)
    blocks: list[Block] = []
    figures = 0  # counted as they come: recounting the blocks each time was quadratic
    for unit in state.units:
        new = _blocks(unit, unit.line in reasons, figures)
        figures += sum(1 for b in new if isinstance(b, Figure))
        for reason in reasons.get(unit.line, ()):
            # Reported with the paragraph's own text (a run-in subhead split off).
            state.fragments.append(Fragment(line=unit.line, text=new[-1].text, reason=reason))
        blocks.extend(new)
    blocks = _mark_lede(blocks)
    title, deck = state.title, state.deck
    if not blocks and title is None:
        state.warnings.append("no text left after cleaning")
    state.article = Article(
        title=title.body if title else "",
        title_line=title.line if title else 0,
        subtitle=deck.body if deck else "",
        subtitle_marker=deck.marker if deck else "",
        byline=state.byline,
        byline_line=state.byline_line,
        blocks=tuple(blocks),
        report=Report(
            encoding=state.encoding,
            joins=tuple(state.joins),
            removed=tuple(sorted(state.removed, key=lambda r: r.line)),
            fragments=tuple(state.fragments),
            changes=tuple(state.changes),
            warnings=tuple(dict.fromkeys(state.warnings)),  # settle may warn again
        ),
        source=state.source,
        stem=state.source.rsplit("/", 1)[-1].rsplit(".", 1)[0] if state.source else "",
    )


def _fragment_reasons(units: list[Unit]) -> dict[int, list[str]]:
    """Lines of the paragraphs still unfinished or starting mid-sentence, with the reasons."""
    reasons: dict[int, list[str]] = {}
    previous: Unit | None = None
    for unit in units:
        if unit.kind == "text":
            found = []
            if starts_mid_sentence(unit.text) and not (previous and previous.kind == "text"
                                                       and not is_closed(previous.text)):
                found.append("starts-mid-sentence")
            if not is_closed(unit.text):
                found.append("truncated")
            if found:
                reasons[unit.line] = found
        previous = unit
    return reasons


def _blocks(unit: Unit, fragment: bool, figures: int) -> list[Block]:
    """The blocks of one unit (a run-in subhead gives two)."""
    if unit.kind == "caption":
        return [Figure(caption=unit.text, number=figures + 1, line=unit.line)]
    if unit.kind == "heading":
        return [Heading(text=unit.body, level=unit.level, marker=unit.marker, line=unit.line)]
    if unit.kind == "quote":
        return [Quote(text=unit.text, line=unit.line)]
    if unit.kind != "text":
        return []  # title, deck and byline live on the Article itself
    run_in = split_run_in(unit.text)
    if run_in:
        marker, head, rest = run_in
        return [Heading(text=head, level=2, marker=marker, run_in=True, line=unit.line),
                Paragraph(text=rest, fragment=fragment, line=unit.line)]
    return [Paragraph(text=unit.text, fragment=fragment, line=unit.line)]


def _mark_lede(blocks: list[Block]) -> list[Block]:
    """Flag the first paragraph as the lede, unless a heading comes before it."""
    for i, block in enumerate(blocks):
        if isinstance(block, Heading):
            return blocks
        if isinstance(block, Paragraph):
            return blocks[:i] + [Paragraph(text=block.text, lede=True, fragment=block.fragment,
                                           line=block.line)] + blocks[i + 1:]
    return blocks
