"""Measuring a laid-out article for the make-up pass (render/makeup.py): where each column
of each page ends, how each paragraph is set, and how a layout scores.

In: a laid-out WeasyPrint ``Document`` of an article's HTML (its body blocks carry
``data-block``, their index in ``Article.blocks``, see layout/_blocks.html.j2).
Out: ``feet(document)``, a ``Foot`` for each column of each page (the lines it ends short of
the text block's foot, the movable blocks it holds); ``paragraphs(document)``, a ``Lines`` for
each body paragraph (where its last line is, how many lines, how full the last);
``placed(document)``, how many paragraphs and headings it lays out. From the feet:
``holes``, ``spread`` and ``level`` (the last page's columns), ``sparse`` (a last page worth
saving) and ``score``, by which the make-up pass ranks two layouts.

A column's foot is where its last line's glyphs end (a paragraph split at the foot keeps a box
reaching below it), as ``paiban check`` measures it; a column is what stands at one x, above
and below a row of figures in mid-page (WeasyPrint makes two column sets there).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from paiban.check import GRID_TOLERANCE, lines_short

MAX_SHORT = 2
"""A column may end this many lines above the text block's foot (the last page excepted)."""

MAX_SPREAD = 1
"""The last page's columns are level when their feet lie within this many lines."""


@dataclass(slots=True, frozen=True)
class Foot:
    """Where one column of one page ends."""
    page: int  # 0-based
    column: int
    short: int  # whole lines between what the column draws last and the text block's foot
    first: int | None  # data-block index of the first block starting in this column
    blocks: tuple[int, ...]  # data-block indices of the movable blocks in this column
    held: int = 99  # lines from the column's first block to its foot (what it holds)
    exact: float = -1.0  # lines short, not rounded (-1: as ``short``)


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


def _glyphs_end(line: Any) -> float:
    """The bottom of a line's glyphs (its text boxes' content areas), where ``paiban check``
    reads a line's foot from the PDF: above the line box's bottom by the half-leading, so
    that a box ending on the same grid line counts a line more, as check counts it."""
    from weasyprint.formatting_structure.boxes import TextBox

    ends = []
    todo = [line]
    while todo:
        box = todo.pop()
        if isinstance(box, TextBox) and box.text.strip():
            ends.append(box.position_y + box.height)
        todo.extend(getattr(box, "children", ()))
    return max(ends) if ends else line.position_y + line.height


def _drawn_end(box: Any) -> float:
    """The bottom of what ``box`` draws, as ``paiban check`` and a reader see it: a
    paragraph's last line's glyphs (one split at a column's foot keeps a box reaching below
    it: WeasyPrint extends a broken block's fragment); a figure's (or a row's) lowest caption
    line (its box is set to a whole number of grid lines, its caption on a finer pitch ends
    above that); else the border box."""
    from weasyprint.formatting_structure.boxes import LineBox

    if box.element_tag == "p":
        lines = [c for c in box.children if isinstance(c, LineBox)]
        return _glyphs_end(lines[-1]) if lines else _end(box)
    if box.element_tag not in ("figure", "div"):
        return _end(box)
    ends: list[float] = []
    todo = [box]
    while todo:
        child = todo.pop()
        if child.element_tag == "figcaption":
            ends.extend(_glyphs_end(c) for c in child.children if isinstance(c, LineBox))
        else:
            todo.extend(getattr(child, "children", ()))
    return max(ends) if ends else _end(box)


def feet(document: Any) -> list[Foot]:
    """Each column's foot on each page; a page whose body is not in columns has one column.

    The text block's foot is where the lowest column of the document ends (as ``paiban
    check`` measures it), not the page area's bottom: that is rarely a whole number of lines
    below the first, and would make a column ending on its last full line look one short."""
    ends: list[tuple[int, int, float, float, int | None, tuple[int, ...], float]] = []
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
        # A row in mid-page makes two column sets: a column is what stands at one x, above
        # the row and below it (as a reader and check see it), not the upper set's column,
        # which ends at the row.
        # What a column after the first takes over from the one before it is the lowest
        # set's first block (the text flows down the left column of a set, then its right).
        by_x: dict[int, list[Any]] = {}
        starts: dict[int, Any] = {}
        for column in columns:
            children = [c for c in column.children if c.is_in_normal_flow()]
            by_x.setdefault(round(column.position_x), []).extend(children)
            if children:
                starts[round(column.position_x)] = children[0]
        for index, x in enumerate(sorted(by_x) if columns else [None]):
            children = by_x[x] if columns else [c for c in body.children
                                                 if c.is_in_normal_flow()]
            if index == 0:
                children = lead + children
            if not children:
                continue
            end = _drawn_end(children[-1])
            end = max([end] + [e for e in spanning if e > end])
            first = _block(children[0] if index == 0 else starts[x])
            movable = tuple(i for c in children if c.element_tag in MOVABLE
                            for i in [_block(c)] if i is not None)
            held = (min(end, foot) - children[0].position_y) / pitch
            ends.append((number, index, min(end, foot), pitch, first, movable, held))
    foot = max((end for _, _, end, _, _, _, _ in ends), default=0.0)
    out: list[Foot] = []
    for number, index, end, pitch, first, movable, held in ends:
        out.append(Foot(number, index, lines_short((foot - end) / pitch), first, movable,
                        int(held + 0.5), (foot - end) / pitch))
    return out


@dataclass(slots=True, frozen=True)
class Lines:
    """How a paragraph is set: where its last line is and how full."""
    page: int  # 0-based page of its last line
    count: int  # lines, over every page and column
    last: int  # characters on its last line
    column: int = 0  # the column (by x, as ``feet`` counts them) of its last line


def paragraphs(document: Any) -> dict[int, Lines]:
    """Each body paragraph (by ``data-block`` index) as laid out in ``document``."""
    from weasyprint.formatting_structure.boxes import LineBox, TextBox

    from paiban.render.justify import _IGNORABLE

    def characters(box: Any) -> int:
        if isinstance(box, TextBox):
            return sum(c not in _IGNORABLE and not c.isspace() for c in box.text)
        return sum(characters(c) for c in getattr(box, "children", ()))

    out: dict[int, Lines] = {}
    for number, page in enumerate(document.pages):
        body = _body(page._page_box)
        xs = sorted({round(c.position_x) for c in getattr(body, "children", ())
                     if getattr(c, "is_column", False)})
        todo = [page._page_box]
        while todo:
            box = todo.pop()
            if box.element_tag == "p" and (index := _block(box)) is not None:
                lines = [c for c in box.children if isinstance(c, LineBox)]
                if lines:
                    before = out.get(index)
                    column = max((i for i, x in enumerate(xs) if x <= lines[-1].position_x + 1),
                                 default=0)
                    out[index] = Lines(number, len(lines) + (before.count if before else 0),
                                       characters(lines[-1]), column)
                continue
            todo.extend(reversed(getattr(box, "children", ())))
    return out


def placed(document: Any) -> int:
    """How many paragraphs and headings (distinct ``data-block`` indices) the document lays
    out (figures are left out: two brought together make one row).

    A trial must place as many as the first layout: WeasyPrint 70 drops everything after a
    row of figures spanning the columns at a page foot (seed 002 with its last two photos
    moved up a page ended after two pages; main's pass kept such a layout of a synthetic
    article, a third of its text gone, as it had fewer pages)."""
    seen: set[str] = set()
    for page in document.pages:
        todo = [page._page_box]
        while todo:
            box = todo.pop()
            element = getattr(box, "element", None)
            if (element is not None and element.get("data-block") is not None
                    and box.element_tag in ("p", "h2", "h3")):
                seen.add(element.get("data-block"))
            todo.extend(getattr(box, "children", ()))
    return len(seen)


def holes(found: list[Foot]) -> list[Foot]:
    """Columns ending more than ``MAX_SHORT`` lines short, on any page but the last."""
    last = max((f.page for f in found), default=0)
    return [f for f in found if f.page < last and f.short > MAX_SHORT]


def spread(found: list[Foot]) -> float:
    """Lines between the highest and the lowest column foot on the last page (0 when it has
    one column), as ``paiban check`` measures them (``last_page_spread``)."""
    last = max((f.page for f in found), default=0)
    shorts = [f.exact if f.exact >= 0 else f.short for f in found if f.page == last]
    return max(shorts) - min(shorts) if len(shorts) > 1 else 0.0


def level(found: list[Foot]) -> float:
    """How far the last page's columns are from level: lines beyond ``MAX_SPREAD`` between
    their feet (glyphs end up to ``GRID_TOLERANCE`` of a line above their line box, so that
    much more is level too); 0 when level."""
    return max(round(spread(found) - MAX_SPREAD - GRID_TOLERANCE, 2), 0.0)


def score(found: list[Foot]) -> tuple[int, int, int, float]:
    """Fewer pages first (a move must never cost a page), then fewer holes, then fewer
    lines short in them, then the last page's columns nearer level (``level``: a spread of
    a line and a fifth is level)."""
    bad = holes(found)
    return (max((f.page for f in found), default=0), len(bad), sum(f.short for f in bad),
            level(found))


SAVE_LINES = 12
"""A last page whose fullest column holds at most this many lines is a page the make-up
tries to save (``makeup._saving``): a tenth of a page or so of text, on a page of its own."""


def sparse(found: list[Foot]) -> bool:
    """The last page (not the first) holds at most ``SAVE_LINES`` lines in any column."""
    last = max((f.page for f in found), default=0)
    return last > 0 and all(f.held <= SAVE_LINES for f in found if f.page == last)
