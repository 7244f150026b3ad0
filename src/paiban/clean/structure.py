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

from dataclasses import replace

from paiban.model import (Article, Block, Figure, Fragment, Heading, Item, LineRole, ListBlock,
                          Paragraph, Quote, Report, Turn)

from .lists import item_marker
from .state import State, Unit
from .marked import split_run_in
from .text import is_closed, starts_mid_sentence


def structure(state: State) -> None:
    """Build ``state.article`` from the units."""
    reasons = _fragment_reasons(state.units)
    blocks: list[Block] = []
    end_matter: list[str] = []
    figures = 0  # counted as they come: recounting the blocks each time was quadratic
    for unit in state.units:
        if unit.kind == "item":
            item = Item(text=unit.body, marker=unit.marker, line=unit.line)
            if blocks and isinstance(blocks[-1], ListBlock):
                first = blocks[-1].items[0].marker
                if item_marker(first + "x")[0] != item_marker(unit.marker + "x")[0]:
                    item = replace(item, level=2)
                blocks[-1] = replace(blocks[-1], items=blocks[-1].items + (item,))
            else:
                blocks.append(ListBlock(items=(item,), line=unit.line))
            continue
        if unit.kind == "end":
            end_matter.append(unit.text)
            continue
        if unit.kind == "credit":
            at = next((i for i in range(len(blocks) - 1, -1, -1)
                       if isinstance(blocks[i], Figure)), None)
            if at is not None:
                fig = blocks[at]
                assert isinstance(fig, Figure)
                blocks[at] = replace(fig, credit=f"{fig.credit} {unit.text}".strip())
                continue
            unit.kind = "caption"  # a credit with no caption before it: the photo's only words
        new = _blocks(unit, unit.line in reasons, figures)
        figures += sum(1 for b in new if isinstance(b, Figure))
        for reason in reasons.get(unit.line, ()):
            # Reported with the paragraph's own text (a run-in subhead split off).
            state.fragments.append(Fragment(line=unit.line, text=new[-1].text, reason=reason))
        blocks.extend(new)
    blocks = _mark_lede(_levels(blocks))
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
        end_matter=tuple(end_matter),
        lines=line_roles(state),
        report=Report(
            encoding=state.encoding,
            joins=tuple(state.joins),
            removed=tuple(sorted(state.removed, key=lambda r: r.line)),
            fragments=tuple(state.fragments),
            changes=tuple(state.changes),
            warnings=tuple(dict.fromkeys(state.warnings)),  # settle may warn again
            replaced=tuple(state.replaced),
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
        text, end = _bracket(unit.marker, unit.body)
        return [Heading(text=text, level=unit.level, marker=unit.marker, marker_end=end,
                        line=unit.line)]
    if unit.kind == "quote":
        return [Quote(text=unit.text, line=unit.line)]
    if unit.kind == "turn":
        return [Turn(text=unit.text[len(unit.marker):], speaker=unit.marker,
                     question=unit.level == 1, line=unit.line)]
    if unit.kind != "text":
        return []  # title, deck and byline live on the Article itself
    run_in = split_run_in(unit.text)
    if run_in:
        marker, head, rest = run_in
        head, end = _bracket(marker, head)
        return [Heading(text=head, level=2, marker=marker, marker_end=end, run_in=True,
                        line=unit.line),
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


def _bracket(marker: str, text: str) -> tuple[str, str]:
    """A ``【…】`` heading's words and its closing bracket."""
    if marker == "【" and text.endswith("】"):
        return text[:-1], "】"
    return text, ""


NUMBER_FAMILIES = (("（一）", "（("), ("1.", "0123456789"), ("【】", "【"))
"""Numbered subhead markers, outermost first, by the first character of their marker."""


def _levels(blocks: list[Block]) -> list[Block]:
    """Section headings for a text numbered only with subhead markers: when no heading is
    a section (level 1), the outermost numbered subheads (（一）, then 1., then 【】) are."""
    headings = [b for b in blocks if isinstance(b, Heading)]
    if any(h.level == 1 for h in headings):
        return blocks
    for _, firsts in NUMBER_FAMILIES:
        if any(h.marker[:1] in firsts and h.marker for h in headings):
            return [replace(b, level=1) if isinstance(b, Heading) and b.marker
                    and b.marker[:1] in firsts and not b.run_in else b for b in blocks]
    return blocks


ROLE_OF = {"text": "paragraph", "caption": "caption", "byline": "byline", "quote": "quote",
           "item": "item", "credit": "credit", "end": "end", "title": "title", "deck": "deck"}


def line_roles(state: State) -> tuple[LineRole, ...]:
    """What each non-empty source line became (for ``paiban inspect`` and ``[lines]``)."""
    out: dict[int, LineRole] = {}
    for unit in state.units:
        if unit.kind == "heading":
            role = "heading" if unit.level == 1 else "subhead"
        elif unit.kind == "turn":
            role = "question" if unit.level == 1 else "answer"
        else:
            role = ROLE_OF.get(unit.kind, unit.kind)
        for line, text in unit.sources:
            out[line] = LineRole(line=line, role=role, text=text[:LINE_TEXT],
                                 forced=bool(unit.forced))
    for removal in state.removed:
        out.setdefault(removal.line, LineRole(line=removal.line, role="removed",
                                              text=removal.text[:LINE_TEXT],
                                              forced=removal.reason == "dropped"))
    return tuple(out[k] for k in sorted(out))


LINE_TEXT = 12
"""Characters of each line kept in ``Article.lines``: enough to recognise it."""
