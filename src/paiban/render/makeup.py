"""Page make-up after layout: find the holes WeasyPrint leaves at column feet and close them by
moving one figure, pull quote or box, as a make-up artist would.

In: a laid-out WeasyPrint ``Document`` of an article's HTML (its body blocks carry
``data-block``, their index in ``Article.blocks``, see layout/_blocks.html.j2), the ``Article``,
and a function laying out another arrangement of that article.
Out: ``feet(document)``, where each column of each page ends against its text block's foot;
``improve(article, document, lay_out)``, the best (article, document) found.

Why a hole appears: a heading keeps its first lines with it (``break-after: avoid``,
``orphans: 2``) and a figure or box is never split (``break-inside: avoid``); when the
group after a column's last paragraph is taller than the room left, WeasyPrint rightly moves it
whole to the next column and leaves the room empty. Seed 002, page 2: a two-line section
heading takes 4 grid lines (its band and the line above it) plus 2 lines of text, 6 lines,
where 4 are left. No CSS rule can change that arithmetic: the text before the heading is what it
is. A make-up artist changes what comes before the hole instead:

- **later**: a figure, pull quote or box laid out on the page of the hole (or the page before)
  goes after the first paragraph past the hole; the text before the hole moves up by its
  height and the heading fits;
- **earlier**: a figure, quote or box laid out after the hole, on the next page, goes into the
  hole (just before the block pushed over), when it is about the hole's height.

Each candidate is laid out for real and kept only when it leaves fewer holes (then fewer lines
short) than the best so far; at most ``MAX_TRIALS`` layouts per article. An article without a
hole is laid out once, as before, and its PDF is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable

MAX_SHORT = 2
"""A column may end this many lines above the text block's foot (the last page excepted)."""

MAX_TRIALS = 8
"""Extra layouts tried per article at most (each one costs a full layout)."""


@dataclass(slots=True, frozen=True)
class Foot:
    """Where one column of one page ends."""
    page: int  # 0-based
    column: int
    short: int  # whole line pitches between the column's last box and the text block's foot
    first: int | None  # data-block index of the first block starting in this column
    blocks: tuple[int, ...]  # data-block indices of the movable blocks in this column


MOVABLE = ("figure", "aside", "blockquote", "div")
"""Figures, boxes, pull quotes and rows of figures (a row moves whole)."""


def _block(box: Any) -> int | None:
    element = getattr(box, "element", None)
    if element is None or box.element_tag not in ("p", "h2", "h3") + MOVABLE:
        return None
    value = element.get("data-block")
    return int(value) if value is not None and value.isdigit() else None


def _body(box: Any) -> Any | None:
    """The ``.body`` box of a page (depth-first)."""
    todo = [box]
    while todo:
        box = todo.pop()
        element = getattr(box, "element", None)
        if element is not None and "body" in (element.get("class") or "").split() \
                and box.element_tag == "div" and not getattr(box, "is_column", False):
            return box
        todo.extend(reversed(getattr(box, "children", ())))
    return None


def _pitch(body: Any) -> float:
    value = body.style["line_height"]
    return float(getattr(value, "value", 0) or 0)


def _end(box: Any) -> float:
    """The bottom of ``box``'s border box."""
    return box.position_y + box.margin_height() - box.margin_bottom


def feet(document: Any) -> list[Foot]:
    """Each column's foot on each page; a page whose body is not in columns has one column.

    The text block's foot is where the lowest column of the document ends (as ``paiban
    check`` measures it), not the page area's bottom: that is rarely a whole number of lines
    below the first, and would make a column ending on its last full line look one short."""
    ends: list[tuple[int, int, float, float, int | None, tuple[int, ...]]] = []
    for number, page in enumerate(document.pages):
        page_box = page._page_box
        foot = page_box.content_box_y() + page_box.height
        body = _body(page_box)
        if body is None:
            continue
        pitch = _pitch(body)
        if pitch <= 0:
            continue
        columns = [c for c in body.children if getattr(c, "is_column", False)]
        # A row of figures spanning the columns ends the column set above it (WeasyPrint
        # balances that set): the columns reach as far down as anything spanning below them.
        spanning = [_end(c) for c in body.children
                    if not getattr(c, "is_column", False) and c.is_in_normal_flow()]
        # A row of figures opening the page comes first: it is what was pushed over a hole.
        lead = [c for c in body.children if columns and not getattr(c, "is_column", False)
                and c.is_in_normal_flow() and c.position_y < columns[0].position_y]
        for index, column in enumerate(columns or [body]):
            children = [c for c in column.children if c.is_in_normal_flow()]
            if index == 0:
                children = lead + children
            if not children:
                continue
            end = _end(children[-1])
            end = max([end] + [e for e in spanning if e > end])
            first = _block(children[0])
            movable = tuple(i for c in children if c.element_tag in MOVABLE
                            for i in [_block(c)] if i is not None)
            ends.append((number, index, min(end, foot), pitch, first, movable))
    foot = max((end for _, _, end, _, _, _ in ends), default=0.0)
    out: list[Foot] = []
    for number, index, end, pitch, first, movable in ends:
        out.append(Foot(number, index, int((foot - end) / pitch + 0.05), first, movable))
    return out


def holes(found: list[Foot]) -> list[Foot]:
    """Columns ending more than ``MAX_SHORT`` lines short, on any page but the last."""
    last = max((f.page for f in found), default=0)
    return [f for f in found if f.page < last and f.short > MAX_SHORT]


def score(found: list[Foot]) -> tuple[int, int, int]:
    """Fewer pages first (a move must never cost a page), then fewer holes, then fewer
    lines short in them."""
    bad = holes(found)
    return max((f.page for f in found), default=0), len(bad), sum(f.short for f in bad)


def _run(blocks: tuple, index: int) -> range:
    """The block at ``index`` with the figures standing next to it (a row moves whole)."""
    if getattr(blocks[index], "kind", "") != "figure":
        return range(index, index + 1)
    start = end = index
    while start > 0 and getattr(blocks[start - 1], "kind", "") == "figure":
        start -= 1
    while end + 1 < len(blocks) and getattr(blocks[end + 1], "kind", "") == "figure":
        end += 1
    return range(start, end + 1)


def _moved(blocks: tuple, source: int, before: int) -> tuple | None:
    """``blocks`` with the block at ``source`` (and the figures beside it) moved to just
    before index ``before``; None when that is where it is."""
    run = _run(blocks, source)
    if run.start <= before <= run.stop:
        return None
    moving = list(blocks[run.start:run.stop])
    head = [b for i, b in enumerate(blocks[:before]) if i not in run]
    tail = [b for i, b in enumerate(blocks) if i >= before and i not in run]
    return tuple(head + moving + tail)


def _after_paragraph(blocks: tuple, start: int) -> int:
    """Index just after the first paragraph at or after ``start`` (the pushed heading's first
    paragraph), or the end."""
    for i in range(start, len(blocks)):
        if getattr(blocks[i], "kind", "") == "paragraph":
            return i + 1
    return len(blocks)


def _before_headings(blocks: tuple, index: int) -> int:
    """``index`` moved back over the headings just before it: nothing comes between a heading
    and its text."""
    while index > 0 and getattr(blocks[index - 1], "kind", "") == "heading":
        index -= 1
    return index


def candidates(article: Any, found: list[Foot]) -> list[tuple]:
    """Block orders that might close a hole, the first hole's nearest moves first."""
    out: list[tuple | None] = []
    for hole in holes(found):
        out.extend(_candidates(article.blocks, found, hole))
    unique: list[tuple] = []
    for order in out:
        if order is not None and order != article.blocks and order not in unique:
            unique.append(order)
    return unique


def _candidates(blocks: tuple, found: list[Foot], hole: Foot) -> list[tuple | None]:
    following = [f for f in found if (f.page, f.column) > (hole.page, hole.column)]
    pushed = following[0].first if following else None
    if pushed is None:
        return []
    pushed = _before_headings(blocks, pushed)
    out = []
    # Later: a movable block before the hole, nearest first, goes after the pushed group.
    before = [i for f in found if f.page in (hole.page, hole.page - 1)
              and (f.page, f.column) <= (hole.page, hole.column) for i in f.blocks]
    target = _after_paragraph(blocks, pushed)
    # The block pushed over the hole is itself a figure, box or quote too tall for it: the
    # text after it fills the hole when it goes one or two paragraphs later.
    first_after = [f.blocks[0] for f in following[:1] if f.blocks and f.blocks[0] == f.first]
    for source in first_after:
        later = _after_paragraph(blocks, _run(blocks, source).stop)
        out.append(_moved(blocks, source, later))
        out.append(_moved(blocks, source, _after_paragraph(blocks, later)))
    for source in sorted(before, key=lambda i: pushed - i):
        if source < pushed:
            out.append(_moved(blocks, source, target))
    # Earlier: a movable block on the next page goes into the hole.
    after = [i for f in following if f.page == hole.page + 1 for i in f.blocks]
    for source in after:
        if source > pushed:
            out.append(_moved(blocks, source, _before_headings(blocks, pushed)))
    return out


def improve(article: Any, document: Any, lay_out: Callable[[Any], Any],
            trials: int = MAX_TRIALS) -> tuple[Any, Any]:
    """The arrangement of ``article`` with the fewest holes found within ``trials`` layouts,
    with its document: ``(article, document)`` unchanged when it has no hole."""
    found = feet(document)
    best = (score(found), article, document, found)
    tried = 0
    while best[0][1] and tried < trials:
        improved = False
        for blocks in candidates(best[1], best[3]):
            if tried >= trials:
                break
            tried += 1
            trial = replace(best[1], blocks=blocks)
            trial_document = lay_out(trial)
            trial_feet = feet(trial_document)
            trial_score = score(trial_feet)
            if trial_score < best[0]:
                best = (trial_score, trial, trial_document, trial_feet)
                improved = True
                break
        if not improved:
            break
    return best[1], best[2]
