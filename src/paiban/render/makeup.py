"""Page make-up after layout: find the holes WeasyPrint leaves at column feet and close them by
moving or reshaping a figure, pull quote or box, as a make-up artist would; then level the
last page's columns.

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

A box (数说) never moves past a section heading: it sums up its own section (main's pass put
seed 002's page-2 box at the top of the next section). When no move closes a hole, shapes
change, by whole lines, within what an art director signs:

- **fill**: a lone figure above the hole on its page grows by the hole's height (its frame
  between square and 2.4 : 1; a real photo cropped by a quarter at most), or a box above it is
  set one figure to a row (seed 002, page 2: the box fills the column's foot);
- **opener**: the hero a line or two lower (a wider crop: the heading pushed over an opener
  column's hole fits), or up to 3 lines higher (a taller crop: the columns hold fewer lines);
  or, with or without a hero, the columns set up to 3 lines lower (``Spaced``: blank lines under
  the opener's title, deck and box);
- **free**: the figure pushed over the hole, or one above it, a line or two lower; the box or
  figure pushed over it a paragraph earlier (it goes into the hole and the paragraph before it
  follows, split across the foot); or a figure from further on brought up a paragraph before
  the hole.

A column's foot is where its last line's glyphs end (a paragraph split at the foot keeps a box
reaching below it), as ``paiban check`` measures it; a column is what stands at one x, above
and below a row of figures in mid-page (WeasyPrint makes two column sets there).

A last page (not the first) holding at most ``SAVE_LINES`` lines a column is saved if it can
be, before anything else (``_saving``): a lone figure set beside a row (a row of three or four
is lower), a row near the end set after the last paragraph in a column, every lone figure two
lines lower, every paragraph a tighter setting takes a line from set so. A page saved must not
leave a hole.

With no hole left, a last page whose columns end more than ``MAX_SPREAD`` lines apart (and a
fifth, ``GRID_TOLERANCE``) gets up to ``LEVEL_TRIALS`` layouts (``_levelling``), the least
visible change first: a figure in the short column grown (one in the long column lower); a
figure, box or quote a paragraph later or earlier (a box within its section), a figure beside
another one (a row) or after the last paragraph; a paragraph set a character looser or tighter
a line (``SETTINGS``: 松排/紧排 by letter spacing, justified back to the measure) so that it
takes a line more or fewer, chosen from how each paragraph is set (``paragraphs``), first in
the column that must gain or lose a line; a box stacked; the short column's last box or quote
set up to ``MAX_LOWERED`` lines lower (``Lowered``, 加行: it ends at the foot); the opener a line
lower or the hero a line higher or lower; a paragraph two characters looser.

Each candidate is laid out for real and kept only when it scores better (fewer pages, then
holes, then lines short in them, then the last page's spread) and lays out every paragraph and
heading the first layout did; at most ``MAX_TRIALS`` layouts per article, and a change that did
not help is not tried again on a later arrangement. An article without a hole, with a level
last page that is not sparse, is laid out once, as before, and its PDF is unchanged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Callable

from paiban.check import GRID_TOLERANCE
from paiban.model import Article, Callout, Figure, Paragraph, Quote

MAX_SHORT = 2
"""A column may end this many lines above the text block's foot (the last page excepted)."""

MAX_SPREAD = 1
"""The last page's columns are level when their feet lie within this many lines."""

MAX_TRIALS = 20
"""Extra layouts tried per article at most (each one costs a full layout)."""

layouts = 0
"""Extra layouts made by ``improve`` in this process (for measuring the pass's cost)."""

LEVEL_TRIALS = 16
"""Of those, at most this many for levelling the last page (holes come first)."""

LINE_PX = 22
"""The feature's line pitch in CSS px (feature.css); a figure grows or shrinks by whole lines."""

COLUMN_PX = 312
"""The feature's column width in CSS px (24 em of 13 px): a figure's frame is this wide."""

RATIOS = (1.0, 2.4)
"""The frame shapes (width / height) a figure may be given to fill or free lines: from square
to a wide crop; an upright photo (ratio under 1) is never resized."""

CROP = 1.34
"""A real photo's frame may differ from the photo's shape by at most this factor (object-fit:
cover crops the rest; a quarter off one side at most). A placeholder is only a frame."""

HERO_MM = 85.0
"""The opener's hero is at most this high (feature.html.j2) …"""

HERO_LINES = 4
"""… and may give up to this many lines (of 5.82 mm) to the opener's columns …"""

HERO_RAISE = 3
"""… or take up to this many from them, set higher than ``HERO_MM`` (at most 102.5 mm: the
opener keeps its title, deck, box and a few lines of text)."""


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


def _as(cls: type, instance: Any, **extra: Any) -> Any:
    """``instance`` (a model dataclass) as its make-up subclass ``cls``, with ``extra`` fields."""
    base = cls.__mro__[1]
    return cls(**{name: getattr(instance, name) for name in base.__dataclass_fields__}, **extra)


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
        out.append(Foot(number, index, int((foot - end) / pitch + GRID_TOLERANCE), first,
                        movable, int(held + 0.5), (foot - end) / pitch))
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


def _crosses_section(blocks: tuple, run: range, before: int) -> bool:
    """A box (数说) sums up its own section: moving it to ``before`` would take it past a section
    heading (level 1). Figures and pull quotes (a motto, not a section's figures) may."""
    if getattr(blocks[run.start], "kind", "") != "callout":
        return False
    between = range(run.stop, before) if before > run.start else range(before, run.start)
    return any(getattr(blocks[i], "kind", "") == "heading" and getattr(blocks[i], "level", 1) == 1
               for i in between)


def _moved(blocks: tuple, source: int, before: int) -> tuple | None:
    """``blocks`` with the block at ``source`` (and the figures beside it) moved to just
    before index ``before``; None when that is where it is, or when a box would leave its
    section."""
    run = _run(blocks, source)
    if run.start <= before <= run.stop or _crosses_section(blocks, run, before):
        return None
    moving = list(blocks[run.start:run.stop])
    head = [b for i, b in enumerate(blocks[:before]) if i not in run]
    tail = [b for i, b in enumerate(blocks) if i >= before and i not in run]
    return tuple(head + moving + tail)


LINE_MM = LINE_PX * 25.4 / 96


@dataclass(slots=True, frozen=True)
class Stacked(Callout):
    """A box (数说) set one figure to a row instead of two: two lines taller per figure moved
    down (the template's ``stats-1``), a box that fills a column's foot."""

    @property
    def stacked(self) -> bool:
        return True


SETTINGS = {"loose-1": 23, "loose-2": 22, "tight-1": 25}
"""A paragraph's settings besides the usual, by the characters a full line then holds (24
normally): letter spacing in base.css, each line justified back to the measure. ``loose-1``
(about 0.04 em more per gap) and ``loose-2`` (0.1 em) are a compositor's 松排, ``tight-1``
(0.04 em less) his 紧排: a paragraph a line longer or shorter, its text unchanged."""

LINE_CHARS = 24
"""Characters on a full line of the feature's columns (24 em)."""


@dataclass(slots=True, frozen=True)
class Reset(Paragraph):
    """A paragraph set looser or tighter (``setting``, one of ``SETTINGS``; the template's
    class)."""
    setting: str = ""


def _reset(blocks: tuple, index: int, setting: str) -> tuple | None:
    """``blocks`` with the paragraph at ``index`` given ``setting``; None for a lede or a
    paragraph already reset."""
    paragraph = blocks[index]
    if type(paragraph) is not Paragraph or paragraph.lede:
        return None
    return blocks[:index] + (_as(Reset, paragraph, setting=setting),) + blocks[index + 1:]


def _resets(blocks: tuple, set_lines: dict[int, Lines], last: int, settings: tuple[str, ...]
            ) -> list[tuple | None]:
    """Paragraphs ending on the last page or the one before, reset so that they take a line
    more or fewer (as ``set_lines`` says they are set: characters on each full line, and on
    the last), the surest first: the last page gets a line more or fewer, and its columns
    balance differently. Punctuation compression moves a line's count by a character or so:
    the estimate may miss."""
    found = []
    for index, lines in set_lines.items():
        if lines.page < last - 1 or lines.count < 2:
            continue
        chars = LINE_CHARS * (lines.count - 1) + lines.last
        for setting in settings:
            per_line = SETTINGS[setting]
            after = -(-chars // per_line)
            if after != lines.count:  # a line more or fewer; how sure: the room to spare
                spare = (after * per_line - chars if after < lines.count
                         else chars - lines.count * per_line)
                found.append((-spare, -lines.page, index, setting))
                break
    return [_reset(blocks, index, setting) for _, _, index, setting in sorted(found)[:3]]


def _stacked(blocks: tuple, index: int) -> tuple | None:
    """``blocks`` with the box at ``index`` stacked; None when it has one figure or already is."""
    box = blocks[index]
    if (not isinstance(box, Callout) or getattr(box, "stacked", False) or len(box.stats) < 2
            or box.placement != "section"):
        return None
    stacked = (replace(box, stacked=True) if isinstance(box, Lowered)  # stays lowered
               else Stacked(stats=box.stats, title=box.title, placement=box.placement))
    return blocks[:index] + (stacked,) + blocks[index + 1:]


MAX_LOWERED = 3
"""A box or pull quote may stand this many lines lower than usual at most (``Lowered``)."""


@dataclass(slots=True, frozen=True)
class Lowered(Callout):
    """A box with ``lowered`` blank lines above it (the template's margin), so that the last
    page's short column ends level with the other: a compositor's 加行, the box at the
    column's foot. ``stacked``: one figure to a row, as a ``Stacked`` box."""
    lowered: int = 0
    stacked: bool = False


@dataclass(slots=True, frozen=True)
class LoweredQuote(Quote):
    """A pull quote with ``lowered`` blank lines above it (see ``Lowered``)."""
    lowered: int = 0


def _lowered(blocks: tuple, index: int, lines: int) -> tuple | None:
    """``blocks`` with the box or pull quote at ``index`` ``lines`` lines lower than usual;
    None for another block or past ``MAX_LOWERED``."""
    block = blocks[index]
    if not 0 < lines <= MAX_LOWERED:
        return None
    if isinstance(block, (Lowered, LoweredQuote)):
        lowered = replace(block, lowered=lines)
    elif isinstance(block, Callout) and block.placement == "section":
        lowered = _as(Lowered, block, lowered=lines, stacked=isinstance(block, Stacked))
    elif isinstance(block, Quote):
        lowered = _as(LoweredQuote, block, lowered=lines)
    else:
        return None
    return blocks[:index] + (lowered,) + blocks[index + 1:]


def _resized(blocks: tuple, index: int, lines: int, original: dict[int, float]) -> tuple | None:
    """``blocks`` with the lone figure at ``index`` ``lines`` lines taller (shorter when
    negative): its frame, a column wide, given another shape (see ``RATIOS``, ``CROP``); None
    when it is in a row, upright, or the shape would leave those limits."""
    figure = blocks[index]
    if (getattr(figure, "kind", "") != "figure" or len(_run(blocks, index)) > 1
            or figure.ratio < RATIOS[0] or not lines):
        return None
    frame = COLUMN_PX / figure.ratio + lines * LINE_PX
    ratio = COLUMN_PX / frame if frame > 0 else 0.0
    if not RATIOS[0] <= ratio <= RATIOS[1]:
        return None
    first = original.get(figure.number, figure.ratio)
    if figure.image and not 1 / CROP <= ratio / first <= CROP:
        return None
    return blocks[:index] + (replace(figure, ratio=ratio),) + blocks[index + 1:]


def _hero(article: Any, blocks: tuple | None = None) -> int | None:
    """Index in ``blocks`` (``article.blocks``) of the opener's hero figure (as render_html
    chooses it: the article's ``hero``, else the first figure)."""
    blocks = article.blocks if blocks is None else blocks
    figures = [i for i, b in enumerate(blocks) if getattr(b, "kind", "") == "figure"]
    for i in figures:
        if blocks[i].number == getattr(article, "hero", 0):
            return i
    return figures[0] if figures else None


@dataclass(slots=True, frozen=True)
class Raised(Figure):
    """The hero set ``height_mm`` high, above its usual ``HERO_MM`` (feature.html.j2)."""
    height_mm: float = 0.0


def _hero_raised(article: Any, lines: int, original: dict[int, float]) -> tuple | None:
    """``article.blocks`` with the hero ``lines`` lines higher than first set (a taller crop),
    so that the opener's columns hold that many lines fewer: a hole at their foot closes."""
    index = _hero(article)
    if index is None or not 0 < lines <= HERO_RAISE:
        return None
    hero = article.blocks[index]
    first = min(218 / original.get(hero.number, hero.ratio), HERO_MM)
    height = math.ceil((first + lines * LINE_MM) * 10) / 10  # rounded up: the lines really go
    raised = _as(Raised, hero, height_mm=height)
    return article.blocks[:index] + (raised,) + article.blocks[index + 1:]


def _hero_shrunk(article: Any, lines: int, original: dict[int, float]) -> tuple | None:
    """``article.blocks`` with the hero ``lines`` lines lower than it was first set (a wider
    crop), so that the opener's columns hold that many lines more; None past ``HERO_LINES``."""
    index = _hero(article)
    if index is None or not 0 < lines <= HERO_LINES:
        return None
    hero = article.blocks[index]
    if isinstance(hero, Raised):
        return None
    first = min(218 / original.get(hero.number, hero.ratio), HERO_MM)
    # Rounded down to the 0.1 mm the template writes, so the lines are really freed.
    height = int((first - lines * LINE_MM) * 10) / 10
    ratio = 218 / (height + 0.01)
    if abs(ratio - hero.ratio) < 1e-6:
        return None
    return article.blocks[:index] + (replace(hero, ratio=ratio),) + article.blocks[index + 1:]


OPENER_SPACE = 3
"""The opener page's columns may start this many lines lower at most (blank lines under the
opener's title, deck and box): what closes a hole on an opener without a hero to raise, or
one a raised hero leaves."""


@dataclass(slots=True, frozen=True)
class Spaced(Article):
    """The article with ``opener_space`` blank lines between its opener and its columns
    (feature.html.j2), so that the opener page's columns hold that many lines fewer."""
    opener_space: int = 0


def _spaced(article: Any, lines: int) -> Any | None:
    """``article`` with ``lines`` more blank lines under its opener; None past
    ``OPENER_SPACE`` in all."""
    now = getattr(article, "opener_space", 0)
    if lines <= 0 or now + lines > OPENER_SPACE:
        return None
    return _as(Spaced, article, opener_space=now + lines)


def _paragraph_before(blocks: tuple, index: int) -> int | None:
    """Index of the last paragraph before ``index`` (None when there is none)."""
    return max((i for i in range(index) if getattr(blocks[i], "kind", "") == "paragraph"),
               default=None)


def _paragraph_earlier(blocks: tuple, source: int) -> tuple | None:
    """``blocks`` with the block at ``source`` (and the figures beside it) moved before the
    paragraph before it (and that paragraph's heading); None when there is none, or when a
    box would leave its section."""
    earlier = _paragraph_before(blocks, _run(blocks, source).start)
    return None if earlier is None else _moved(blocks, source, _before_headings(blocks, earlier))


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


def candidates(article: Any, found: list[Foot], original: dict[int, float] | None = None,
               set_lines: dict[int, Lines] | None = None) -> list[Any]:
    """Block orders (or figure shapes; or a ``Spaced`` article, its opener set lower) that
    might close a hole, the first hole's nearest moves first; then, with no hole left, ones
    that might level the last page's columns.
    ``original``: each figure's first ratio (figure number -> ratio), the crop's reference;
    ``set_lines``: how each paragraph is set (``paragraphs``), for loosening or tightening one."""
    original = original or {}
    out: list[tuple | None] = []
    shapes: list[tuple | None] = []
    saving = _saving(article, found, original, set_lines or {}) if sparse(found) else []
    for hole in holes(found):
        moves, changes = _candidates(article, found, hole, original)
        out.extend(moves)
        shapes.extend(changes)
    out.extend(shapes)  # every hole's moves first, as before shapes could change
    if not out and level(found) > 0:
        out.extend(_levelling(article, found, original, set_lines or {}))
    # A page saved comes first (fewer pages score best); with holes to close, a few tries.
    out[:0] = saving[:4] if holes(found) else saving
    hero = _hero_number(article, article.blocks)
    unique: list[tuple] = []
    for order in out:
        if order is None or order == article.blocks or order in unique:
            continue
        # A move taking the opener's hero along (it stands next to the figures moved), or
        # putting another figure first where the first is the hero: the photo an editor
        # chose to open with is not the make-up's to change.
        if isinstance(order, tuple) and _hero_number(article, order) != hero:
            continue
        unique.append(order)
    return unique


def _hero_number(article: Any, blocks: tuple) -> int | None:
    """The number of the figure that opens ``article`` laid out with ``blocks``."""
    index = _hero(article, blocks)
    return None if index is None else blocks[index].number


def _trial(article: Any, candidate: Any) -> Any:
    """The article a candidate describes: a block order, or a whole article (``Spaced``)."""
    return replace(article, blocks=candidate) if isinstance(candidate, tuple) else candidate


def _candidates(article: Any, found: list[Foot], hole: Foot, original: dict[int, float]
                ) -> tuple[list[tuple | None], list[tuple | None]]:
    """The moves (block order only) and the changes of shape that might close ``hole``,
    nearest it first."""
    blocks = article.blocks
    following = [f for f in found if (f.page, f.column) > (hole.page, hole.column)]
    pushed = following[0].first if following else None
    if pushed is None:
        return [], []
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
        # Or a paragraph earlier: it goes into the hole and the paragraph before it follows,
        # split across the column foot (a box stays in its section: _moved refuses).
        out.append(_paragraph_earlier(blocks, source))
    for source in sorted(before, key=lambda i: pushed - i):
        if source < pushed:
            out.append(_moved(blocks, source, target))
    # Earlier: a movable block on the next page goes into the hole.
    after = [i for f in following if f.page == hole.page + 1 for i in f.blocks]
    for source in after:
        if source > pushed:
            out.append(_moved(blocks, source, _before_headings(blocks, pushed)))
    moves, out = out, []
    # Fill: a figure above the hole on its page grows by the hole's height (the text under it
    # moves down into the hole; the column break stays where it was); or a box above it is
    # set one figure to a row (two lines taller per figure moved down).
    here = sorted((i for f in found if f.page == hole.page and f.column <= hole.column
                   for i in f.blocks), key=lambda i: -i)
    for source in here:
        out.append(_resized(blocks, source, hole.short, original))
        out.append(_stacked(blocks, source))
    # The opener: its hero set higher takes lines from its columns, the hole's among them.
    # Or it starts a line or more lower (blank lines under the opener), with or without a
    # hero.
    if hole.page == 0:
        for lines in (1, 2):
            out.append(_hero_shrunk(article, lines, original))
        for lines in sorted({max(hole.short - MAX_SHORT, 1), min(hole.short, HERO_RAISE)}):
            out.append(_hero_raised(article, lines, original))
        for lines in sorted({max(hole.short - MAX_SHORT, 1), min(hole.short, OPENER_SPACE)}):
            out.append(_spaced(article, lines))
    # Free: the figure pushed over the hole, or one above it, a line or two lower so that the
    # pushed group fits.
    for source in first_after + here:
        out.append(_resized(blocks, source, -1, original))
        out.append(_resized(blocks, source, -2, original))
    # Or a figure from further on comes up a paragraph before the hole: the text before the
    # hole moves down by the figure's height and the pushed group starts the next column.
    further = [i for f in following if f.page > hole.page for i in f.blocks
               if getattr(blocks[i], "kind", "") == "figure" and i > pushed]
    paragraph = _paragraph_before(blocks, pushed)
    for source in further[:2]:
        if paragraph is not None:
            out.append(_moved(blocks, source, _before_headings(blocks, paragraph)))
    # The opener's hero gives each of its columns a line or more (a wider crop): the text
    # before the hole moves up by twice that (a heading needing one or two lines more fits).
    for lines in range(1, HERO_LINES + 1):
        out.append(_hero_shrunk(article, lines, original))
    return moves, out


SAVE_LINES = 12
"""A last page whose fullest column holds at most this many lines is a page the make-up
tries to save (``_saving``): a tenth of a page or so of text, on a page of its own."""


def sparse(found: list[Foot]) -> bool:
    """The last page (not the first) holds at most ``SAVE_LINES`` lines in any column."""
    last = max((f.page for f in found), default=0)
    return last > 0 and all(f.held <= SAVE_LINES for f in found if f.page == last)


def _saving(article: Any, found: list[Foot], original: dict[int, float],
            set_lines: dict[int, Lines]) -> list[Any]:
    """Arrangements that might save the last page when it holds a few lines (``sparse``), as
    a compositor saves one:

    - a lone figure set beside the nearest row of two or three (a row of three or four
      figures, each narrower and so lower, takes fewer lines than the row and the figure);
    - a row of figures on the last page or the one before set after the last paragraph, in
      a column (each figure half a column wide: the row takes half the lines it did);
    - every lone figure (the hero aside) two lines lower, a wider crop;
    - every paragraph that a tighter setting (``tight-1``, 紧排) takes a line from, set so;
    - both."""
    blocks = article.blocks
    hero = _hero(article)
    figures = [i for i, b in enumerate(blocks) if getattr(b, "kind", "") == "figure"]
    runs = {_run(blocks, i) for i in figures if i != hero}
    # The hero stands in the opener, not in a row beside the figures after it.
    runs = {range(r.start + (r.start == hero), r.stop - (r.stop - 1 == hero)) for r in runs}
    rows = [r for r in runs if 2 <= len(r) <= 3]
    lone = sorted(r.start for r in runs if len(r) == 1)
    out: list[Any] = []
    for source in lone:
        for row in sorted(rows, key=lambda r: abs(r.start - source))[:1]:
            out.append(_moved(blocks, source, row.stop))
    lower = blocks
    for source in lone:
        lower = _resized(lower, source, -2, original) or lower
    tighter = blocks
    for index, lines in set_lines.items():
        chars = LINE_CHARS * (lines.count - 1) + lines.last
        if lines.count > 1 and -(-chars // SETTINGS["tight-1"]) < lines.count:
            tighter = _reset(tighter, index, "tight-1") or tighter
    both = tighter
    for source in lone:
        both = _resized(both, source, -2, original) or both
    last = max(f.page for f in found)
    end = len(blocks)
    while end and getattr(blocks[end - 1], "kind", "") != "paragraph":
        end -= 1
    # From the first block of the page before the last on (a row in mid-page is in no
    # column's blocks: it spans them).
    near = min((f.first for f in found if f.page >= last - 1 and f.first is not None),
               default=len(blocks))
    for row in sorted(rows, key=lambda r: -r.start):
        if row.start >= near and row.stop < end:
            out.append(_moved(blocks, row.start, end))
    out.extend([lower, tighter, both])
    return out


def _levelling(article: Any, found: list[Foot], original: dict[int, float],
               set_lines: dict[int, Lines]) -> list[Any]:
    """Arrangements that might level the last page's columns, the least visible first:

    - a figure on it a few lines taller (it takes the room the short column leaves), or
      lower when it stands in the column ending lowest;
    - a figure, box or quote on it a paragraph later or earlier (balanced columns break where
      the block stands: one at a column's head leaves the text before it in the other
      column); a figure beside another figure on the page (a row across both columns, the
      text balanced below), or from it or the page before set after the last paragraph;
    - a paragraph on it set a character tighter a line in the column ending lowest, or looser
      in the one ending highest; then any paragraph on it (or ending on the page before) a
      character looser or tighter (``SETTINGS``), so that it takes a line more or fewer;
    - a box on it stacked; the last box or quote of the column ending highest set lower;
    - the text shifted by a line per opener column (the opener set a line lower, the hero a
      line higher or lower): the last page gets two lines more or fewer;
    - a paragraph set two characters looser a line; a figure on it shorter."""
    blocks = article.blocks
    last = max(f.page for f in found)
    gap = math.ceil(spread(found) - GRID_TOLERANCE)  # whole lines
    end = len(blocks)
    while end and getattr(blocks[end - 1], "kind", "") != "paragraph":
        end -= 1
    on_last = sorted({i for f in found if f.page == last for i in f.blocks}, key=lambda i: -i)
    before = sorted({i for f in found if f.page == last - 1 for i in f.blocks},
                    key=lambda i: -i)
    figures = [i for i in on_last if getattr(blocks[i], "kind", "") == "figure"]
    out: list[Any] = []
    # A figure in the column ending highest grows into the room; one in the column ending
    # lowest gives lines up (the other figures on the page: grown, as the text may rebalance).
    shorts = {i: f.short for f in found if f.page == last for i in f.blocks}
    low = min(f.short for f in found if f.page == last)
    for source in on_last:
        sign = -1 if shorts[source] == low and gap else 1
        out.append(_resized(blocks, source, sign * max(gap // 2, 1), original))
        out.append(_resized(blocks, source, sign * gap, original))
    for source in on_last:  # a box stays in its section (``_moved`` refuses)
        run = _run(blocks, source)
        later = _after_paragraph(blocks, run.stop)
        if later < len(blocks):
            out.append(_moved(blocks, source, later))
        out.append(_paragraph_earlier(blocks, source))
        if source not in figures:
            continue
        for other in figures:
            if other not in run:
                out.append(_moved(blocks, source, _run(blocks, other).stop))
    for source in on_last + before:
        if getattr(blocks[source], "kind", "") == "figure":
            out.append(_moved(blocks, source, end))
    # A paragraph in the column ending lowest a line shorter, one in the column ending highest
    # a line longer; then any paragraph near the end a line longer or shorter.
    columns = {f.column: f.short for f in found if f.page == last}
    if len(columns) > 1:
        for column, settings in ((min(columns, key=columns.get), ("tight-1",)),
                                 (max(columns, key=columns.get), ("loose-1", "loose-2"))):
            out.extend(_resets(blocks, {i: lines for i, lines in set_lines.items()
                                        if lines.page == last and lines.column == column},
                               last, settings)[:2])
    out.extend(_resets(blocks, set_lines, last, ("loose-1", "tight-1")))
    for source in on_last:
        out.append(_stacked(blocks, source))
    # The last box or pull quote in the column ending highest set lower, down to its foot.
    high = max((f for f in found if f.page == last), key=lambda f: f.short)
    lowerable = [i for i in high.blocks if i in on_last and i != high.first  # a column's head
                 and getattr(blocks[i], "kind", "") in ("callout", "quote")]  # keeps no margin
    for source in lowerable[-1:]:
        for lines in (gap, gap - 1):
            out.append(_lowered(blocks, source, lines))
    out.append(_spaced(article, 1))
    out.append(_hero_raised(article, 1, original))
    out.append(_hero_shrunk(article, 1, original))
    out.extend(_resets(blocks, set_lines, last, ("loose-2",)))
    for source in on_last:
        out.append(_resized(blocks, source, -(gap // 2), original))
    return out


def _change(blocks: tuple, candidate: Any) -> tuple:
    """What ``candidate`` changes in ``blocks``: the blocks it puts at each index (a paragraph
    reset, a figure reshaped, a block moved), or the whole article (the opener spaced)."""
    if not isinstance(candidate, tuple):
        return ("article", repr(candidate.blocks), getattr(candidate, "opener_space", 0))
    return tuple((i, repr(b)) for i, (a, b) in enumerate(zip(blocks, candidate)) if a != b)


def improve(article: Any, document: Any, lay_out: Callable[[Any], Any],
            trials: int = MAX_TRIALS) -> tuple[Any, Any]:
    """The arrangement of ``article`` with the fewest pages, then holes (then the levellest
    last page) found within ``trials`` layouts (``LEVEL_TRIALS`` of them once no hole is
    left), with its document: ``(article, document)`` unchanged when it has no hole and its
    last page is level and not sparse."""
    found = feet(document)
    best = (score(found), article, document, found)
    original = {b.number: b.ratio for b in article.blocks if getattr(b, "kind", "") == "figure"}
    count = None
    tried = levelled = 0
    failed: set[tuple] = set()  # changes that did not help: not tried again on a later base
    laid = {(repr(article.blocks), getattr(article, "opener_space", 0))}
    while (best[0][1] or best[0][3] or sparse(best[3])) and tried < trials:
        improved = False
        levelling = not best[0][1]
        for blocks in candidates(best[1], best[3], original,
                                 paragraphs(best[2]) if levelling or sparse(best[3])
                                 else None):
            if tried >= trials or (levelling and levelled >= LEVEL_TRIALS):
                break
            change = _change(best[1].blocks, blocks)
            trial = _trial(best[1], blocks)
            arrangement = (repr(trial.blocks), getattr(trial, "opener_space", 0))
            if change in failed or arrangement in laid:  # no move undone, nothing laid twice
                continue
            failed.add(change)
            laid.add(arrangement)
            tried += 1
            levelled += levelling
            trial_document = lay_out(trial)
            trial_feet = feet(trial_document)
            trial_score = score(trial_feet)
            if trial_score < best[0] and count is None:
                count = placed(document)
            # A page saved must not leave a hole: the check fails a hole, not a page.
            saved_with_hole = trial_score[0] < best[0][0] and trial_score[1]
            if trial_score < best[0] and not saved_with_hole and placed(trial_document) == count:
                if trial_score[1] != best[0][1]:
                    failed.clear()  # what failed with the holes open may level the page now
                best = (trial_score, trial, trial_document, trial_feet)
                improved = True
                break
        if not improved:
            break
    global layouts
    layouts += tried
    return best[1], best[2]
