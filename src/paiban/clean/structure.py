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

from paiban.model import (Article, Block, EndNote, Figure, Fragment, Heading, Item, LineRole,
                          ListBlock, Note, Paragraph, Quote, Removal, Report, Turn)

from .credits import split_credit
from .lists import item_marker
from .marked import split_run_in
from .state import State, Unit
from .text import is_closed, key, starts_mid_sentence


def structure(state: State) -> None:
    """Build ``state.article`` from the units."""
    reasons = _fragment_reasons(state.units)
    blocks: list[Block] = []
    credits: list[tuple[int, Unit]] = []  # (index in blocks, unit)
    figures = 0  # counted as they come: recounting the blocks each time was quadratic
    for n, unit in enumerate(state.units):
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
        if unit.kind == "credit":
            credits.append((len(blocks), unit))
            continue
        if unit.kind == "note":
            note = _note(state.units, n)
            if note is not None:
                blocks.append(note)
            continue
        new = _blocks(unit, unit.line in reasons, figures)
        figures += sum(1 for b in new if isinstance(b, Figure))
        if unit.kind == "text":
            for reason in reasons.get(unit.line, ()):
                # Reported with the paragraph's own text (a run-in subhead split off).
                state.fragments.append(Fragment(line=unit.line, text=new[-1].text,
                                                reason=reason))
        blocks.extend(new)
    blocks = _give_credits(state, blocks, credits)
    blocks = _repeated_captions(state, blocks)
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
        dateline=state.dateline,
        dateline_line=state.dateline_line,
        kicker=(state.kicker.body or state.kicker.text) if state.kicker else "",
        kicker_line=state.kicker.line if state.kicker else 0,
        kicker_marker=state.kicker.marker if state.kicker else "",
        end_matter=tuple(state.end_matter),
        blocks=tuple(blocks),
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
        caption, credit = split_credit(unit.text)
        return [Figure(caption=caption, number=figures + 1, line=unit.line, credit=credit,
                       credit_line=unit.line if credit else 0)]
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


def _note(units: list[Unit], n: int) -> Note | None:
    """The editor's note of ``units[n]``; None for the text line of a label-alone note (made
    with its label)."""
    unit = units[n]
    if unit.level == -1:  # a label alone on its line; its text is the next unit
        nxt = units[n + 1] if n + 1 < len(units) else None
        text = nxt.body if nxt is not None and nxt.kind == "note" and nxt.level == 0 \
            and not nxt.marker else ""
        return Note(text=text, label=_label(unit.marker), marker=unit.marker,
                    line=nxt.line if text and nxt else unit.line, label_line=unit.line)
    if not unit.marker:
        return None  # made with the label before it
    return Note(text=unit.body, label=_label(unit.marker), marker=unit.marker, line=unit.line,
                label_line=unit.line)


def _label(marker: str) -> str:
    return marker.strip("【】[]〔〕（）()：: \u3000")


REPEAT_MIN = 4
"""Shortest caption taken for a repeat of another (two photos may well share a short one)."""


def _repeated_captions(state: State, blocks: list[Block]) -> list[Block]:
    """Figures whose caption repeats an earlier figure's are reported removed (a credit the
    first lacks goes to it); the figures are numbered again."""
    written = {u.line: u.text for u in state.units if u.kind == "caption"}
    first: dict[str, int] = {}
    out: list[Block] = []
    for block in blocks:
        if not isinstance(block, Figure) or len(key(block.caption)) < REPEAT_MIN:
            out.append(block)
            continue
        at = first.get(key(block.caption))
        earlier = out[at] if at is not None else None
        if not isinstance(earlier, Figure) or (
                block.credit and earlier.credit and block.credit != earlier.credit):
            first[key(block.caption)] = len(out)
            out.append(block)
            continue
        text = written.get(block.line, block.caption)
        if block.credit and not earlier.credit:
            out[at] = replace(earlier, credit=block.credit, credit_line=block.credit_line)
            if block.credit_line == block.line:
                text = block.caption  # the credit on this line stays, now the first's
        elif block.credit and block.credit_line != block.line:
            # The same credit again, on a line of its own: removed with its caption.
            credit_lines = {u.line: u.text for u in state.units if u.kind == "credit"}
            if block.credit_line in credit_lines:
                state.removed.append(Removal(line=block.credit_line,
                                             text=credit_lines[block.credit_line],
                                             reason="duplicate", original_line=earlier.line))
        state.removed.append(Removal(line=block.line, text=text, reason="duplicate",
                                     original_line=earlier.line))
    number = 0
    for i, block in enumerate(out):
        if isinstance(block, Figure):
            number += 1
            if block.number != number:
                out[i] = replace(block, number=number)
    return out


def _give_credits(state: State, blocks: list[Block],
                  credits: list[tuple[int, Unit]]) -> list[Block]:
    """Each credit line to the nearest figure: the one just before it, else the one just
    after it, else the nearest. With no figure at all, the credit is end matter: never a
    figure of its own."""
    from .credits import own_credit

    for at, unit in credits:
        credit = own_credit(unit.text) or unit.text
        figures = [i for i, b in enumerate(blocks) if isinstance(b, Figure)]
        if not figures:
            state.end_matter.append(EndNote(text=unit.text, label="图片", line=unit.line))
            state.change("structure", f"photo credit 「{credit}」 with no caption anywhere "
                         "kept as end matter", unit.line)
            continue
        if at - 1 in figures:
            i = at - 1
        elif at in figures:
            i = at
        else:
            i = min(figures, key=lambda f: (abs(f - at + 0.5), f))
        fig = blocks[i]
        assert isinstance(fig, Figure)
        joined = f"{fig.credit} {credit}" if fig.credit else credit
        blocks[i] = replace(fig, credit=joined, credit_line=fig.credit_line or unit.line)
    state.end_matter.sort(key=lambda e: e.line)
    return blocks


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
           "item": "item", "credit": "credit", "end": "end", "title": "title", "deck": "deck",
           "kicker": "kicker", "note": "note"}


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
