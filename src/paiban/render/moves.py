"""The changes a make-up artist may make to an article, for the make-up pass
(render/makeup.py) to lay out and judge; nothing here lays anything out.

In: an article's blocks (``Article.blocks``), the index of the block to change and how far
(lines, a paragraph setting, where to move it); the opener's changes take the ``Article``;
``original``, each figure's first ratio by number, is the reference a crop is measured from.
Out: a new block tuple (``spaced``: a new article) with that one change, or None when it is not
allowed (a box leaving its section, a crop past ``CROP``, more than ``MAX_LOWERED`` lines…) or
changes nothing:

- ``moved`` (a block, a row of figures whole, before another index) and
  ``paragraph_earlier``;
- ``resized``, a lone figure whole lines taller or shorter, and ``end_row_resized``, the row
  after the last paragraph so (both through ``reshaped``); ``hero_raised`` (``Raised``) and
  ``hero_shrunk``, the opener's hero higher or lower; ``spaced`` (``Spaced``), blank lines under
  the opener;
- ``stacked`` (``Stacked``), a box one figure to a row; ``dropped``, a section box left out;
  ``lowered`` (``Lowered``, ``LoweredQuote``), a box or pull quote lower; ``grown``, a box
  taller (``Lowered``); ``reset`` (``Reset``), a paragraph set looser or tighter
  (``SETTINGS``), and ``resets``, a list of such tuples: the paragraphs a setting gives a
  line or takes one from (``lines_set`` estimates it), the surest first; ``resets_together``,
  several of them at once.

The indices they aim at: ``run_of`` (a block and the figures beside it), ``before_headings``,
``after_paragraph``, ``paragraph_before``, ``hero_index`` and ``hero_number``. The make-up
subclasses of the model's dataclasses carry the field the templates read (render/html.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from paiban.model import Article, Callout, Figure, Paragraph, Quote
from paiban.render.feet import Lines

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


def _as(cls: type, instance: Any, **extra: Any) -> Any:
    """``instance`` (a model dataclass) as its make-up subclass ``cls``, with ``extra`` fields."""
    base = cls.__mro__[1]
    return cls(**{name: getattr(instance, name) for name in base.__dataclass_fields__}, **extra)


def run_of(blocks: tuple, index: int) -> range:
    """The block at ``index`` with the figures standing next to it (a row moves whole)."""
    if getattr(blocks[index], "kind", "") != "figure":
        return range(index, index + 1)
    start = end = index
    while start > 0 and getattr(blocks[start - 1], "kind", "") == "figure":
        start -= 1
    while end + 1 < len(blocks) and getattr(blocks[end + 1], "kind", "") == "figure":
        end += 1
    return range(start, end + 1)


def without_hero(run: range, hero: int | None) -> range:
    """``run`` without the opener's hero at either end (index ``hero``): the hero stands in
    the opener, not in a row beside the figures after it (``figure_rows``)."""
    return range(run.start + (run.start == hero), run.stop - (run.stop - 1 == hero))


def _crosses_section(blocks: tuple, run: range, before: int) -> bool:
    """A box (数说) sums up its own section: moving it to ``before`` would take it past a section
    heading (level 1). Figures and pull quotes (a motto, not a section's figures) may."""
    if getattr(blocks[run.start], "kind", "") != "callout":
        return False
    between = range(run.stop, before) if before > run.start else range(before, run.start)
    return any(getattr(blocks[i], "kind", "") == "heading" and getattr(blocks[i], "level", 1) == 1
               for i in between)


def moved(blocks: tuple, source: int, before: int) -> tuple | None:
    """``blocks`` with the block at ``source`` (and the figures beside it) moved to just
    before index ``before``; None when that is where it is, or when a box would leave its
    section."""
    run = run_of(blocks, source)
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


def reset(blocks: tuple, index: int, setting: str) -> tuple | None:
    """``blocks`` with the paragraph at ``index`` given ``setting``; None for a lede or a
    paragraph already reset."""
    paragraph = blocks[index]
    if type(paragraph) is not Paragraph or paragraph.lede:
        return None
    return blocks[:index] + (_as(Reset, paragraph, setting=setting),) + blocks[index + 1:]


def lines_set(lines: Lines, setting: str) -> int:
    """The lines a paragraph set as ``lines`` says would take in ``setting`` (its characters
    over the characters a line of that setting holds)."""
    chars = LINE_CHARS * (lines.count - 1) + lines.last
    return -(-chars // SETTINGS[setting])


def resets(blocks: tuple, set_lines: dict[int, Lines], last: int, settings: tuple[str, ...]
           ) -> list[tuple | None]:
    """Paragraphs ending on the last page or the one before, reset so that they take a line
    more or fewer (as ``set_lines`` says they are set: characters on each full line, and on
    the last), the surest first: the last page gets a line more or fewer, and its columns
    balance differently. Punctuation compression moves a line's count by a character or so:
    the estimate may miss."""
    return [reset(blocks, index, setting)
            for index, setting in _resettable(set_lines, last, settings)[:3]]


def resets_together(blocks: tuple, set_lines: dict[int, Lines], last: int,
                    settings: tuple[str, ...], count: int) -> tuple | None:
    """``blocks`` with the ``count`` surest of ``resets`` made at once (as many as there
    are): a column ``count`` lines short gains them in one layout; None for fewer than two."""
    chosen = _resettable(set_lines, last, settings)[:count]
    if len(chosen) < 2:
        return None
    for index, setting in chosen:
        blocks = reset(blocks, index, setting) or blocks
    return blocks


def _resettable(set_lines: dict[int, Lines], last: int, settings: tuple[str, ...]
                ) -> list[tuple[int, str]]:
    """(index, setting) of the paragraphs ``resets`` may reset, the surest first."""
    found = []
    for index, lines in set_lines.items():
        if lines.page < last - 1 or lines.count < 2:
            continue
        chars = LINE_CHARS * (lines.count - 1) + lines.last
        for setting in settings:
            per_line = SETTINGS[setting]
            after = lines_set(lines, setting)
            if after != lines.count:  # a line more or fewer; how sure: the room to spare
                spare = (after * per_line - chars if after < lines.count
                         else chars - lines.count * per_line)
                found.append((-spare, -lines.page, index, setting))
                break
    return [(index, setting) for _, _, index, setting in sorted(found)]


def dropped(blocks: tuple, index: int) -> tuple | None:
    """``blocks`` without the section box at ``index``: its figures are the text's own (the
    stats selection made it), so no word is lost; a compositor cuts a sidebar before he lets
    a few lines run onto a page of their own. None for any other block (the opener's 数说
    box stays), and for a box between two figures (they would be set as one row)."""
    box = blocks[index]
    if not isinstance(box, Callout) or box.placement != "section":
        return None
    if (0 < index < len(blocks) - 1 and getattr(blocks[index - 1], "kind", "") == "figure"
            and getattr(blocks[index + 1], "kind", "") == "figure"):
        return None
    return blocks[:index] + blocks[index + 1:]


def stacked(blocks: tuple, index: int) -> tuple | None:
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
    column's foot. ``stacked``: one figure to a row, as a ``Stacked`` box. ``grown``: blank
    lines inside it, under its figures (the template's filler), for a box heading its column,
    where WeasyPrint drops the margin above: its tint reaches down to the column's foot."""
    lowered: int = 0
    stacked: bool = False
    grown: int = 0


@dataclass(slots=True, frozen=True)
class LoweredQuote(Quote):
    """A pull quote with ``lowered`` blank lines above it (see ``Lowered``)."""
    lowered: int = 0


def lowered(blocks: tuple, index: int, lines: int) -> tuple | None:
    """``blocks`` with the box or pull quote at ``index`` ``lines`` lines lower than usual;
    None for another block or past ``MAX_LOWERED``."""
    if isinstance(blocks[index], Quote):
        if not 0 < lines <= MAX_LOWERED:
            return None
        quote = blocks[index]
        lower = (replace(quote, lowered=lines) if isinstance(quote, LoweredQuote)
                 else _as(LoweredQuote, quote, lowered=lines))
        return blocks[:index] + (lower,) + blocks[index + 1:]
    return _blank(blocks, index, lines, "lowered")


def grown(blocks: tuple, index: int, lines: int) -> tuple | None:
    """``blocks`` with the box at ``index`` ``lines`` lines taller, blank under its figures
    (``Lowered.grown``); None for another block or past ``MAX_LOWERED``."""
    return _blank(blocks, index, lines, "grown")


def _blank(blocks: tuple, index: int, lines: int, where: str) -> tuple | None:
    """``blocks`` with the section box at ``index`` given ``lines`` blank lines ``where``
    (``lowered``: above it; ``grown``: under its figures), and none at the other place."""
    box = blocks[index]
    if not 0 < lines <= MAX_LOWERED:
        return None
    blank = {"lowered": 0, "grown": 0, where: lines}  # one or the other
    if isinstance(box, Lowered):
        changed = replace(box, **blank)
    elif isinstance(box, Callout) and box.placement == "section":
        changed = _as(Lowered, box, stacked=isinstance(box, Stacked), **blank)
    else:
        return None
    return blocks[:index] + (changed,) + blocks[index + 1:]


def reshaped(figure: Any, width: float, lines: int, original: dict[int, float]) -> float | None:
    """The ratio that makes ``figure``'s frame, ``width`` px wide, ``lines`` lines taller
    (shorter when negative); None when it is upright or the shape would leave ``RATIOS`` (or,
    for a real photo, differ from its first shape by more than ``CROP``)."""
    if figure.ratio < RATIOS[0]:
        return None
    frame = width / figure.ratio + lines * LINE_PX
    ratio = width / frame if frame > 0 else 0.0
    if not RATIOS[0] <= ratio <= RATIOS[1]:
        return None
    first = original.get(figure.number, figure.ratio)
    if figure.image and not 1 / CROP <= ratio / first <= CROP:
        return None
    return ratio


def resized(blocks: tuple, index: int, lines: int, original: dict[int, float]) -> tuple | None:
    """``blocks`` with the lone figure at ``index`` ``lines`` lines taller (shorter when
    negative): its frame, a column wide, given another shape (``reshaped``); None when it is
    in a row, upright, or the shape would leave those limits."""
    figure = blocks[index]
    if getattr(figure, "kind", "") != "figure" or len(run_of(blocks, index)) > 1 or not lines:
        return None
    ratio = reshaped(figure, COLUMN_PX, lines, original)
    if ratio is None:
        return None
    return blocks[:index] + (replace(figure, ratio=ratio),) + blocks[index + 1:]


END_ROW_PX = {2: 149.5, 3: 94.9, 4: 68.25}
"""The width of each figure in a row of 2, 3 or 4 set after the last paragraph, within its
column (feature.css ``.figure-row-end``: 11.5, 7.3 and 5.25 em of 13 px)."""


def end_row_resized(blocks: tuple, index: int, lines: int,
                    original: dict[int, float], hero: int | None = None) -> tuple | None:
    """``blocks`` with the row of figures at ``index``, set after the last paragraph (in the
    column the text ends in), up to ``lines`` lines taller (shorter when negative): every
    figure's frame the same whole lines taller, as many as the row's figures allow within
    ``RATIOS`` and ``CROP`` (a small frame of an end row reaches square in two lines or so);
    None when it is not such a row or no line is allowed. ``hero``: the index of the opener's
    hero, which stands in the opener, not in the row (``figure_rows``)."""
    run = without_hero(run_of(blocks, index), hero)
    width = END_ROW_PX.get(len(run))
    if (getattr(blocks[index], "kind", "") != "figure" or width is None
            or run.start < after_text(blocks) or not lines):
        return None
    step = 1 if lines > 0 else -1
    for count in range(lines, 0, -step):
        ratios = [reshaped(blocks[i], width, count, original) for i in run]
        if None not in ratios:
            row = tuple(replace(blocks[i], ratio=r) for i, r in zip(run, ratios))
            return blocks[:run.start] + row + blocks[run.stop:]
    return None


def hero_index(article: Any, blocks: tuple | None = None) -> int | None:
    """Index in ``blocks`` (``article.blocks``) of the opener's hero figure (as render_html
    chooses it: the article's ``hero``, else the first figure)."""
    blocks = article.blocks if blocks is None else blocks
    figures = [i for i, b in enumerate(blocks) if getattr(b, "kind", "") == "figure"]
    for i in figures:
        if blocks[i].number == getattr(article, "hero", 0):
            return i
    return figures[0] if figures else None


def hero_number(article: Any, blocks: tuple) -> int | None:
    """The number of the figure that opens ``article`` laid out with ``blocks``."""
    index = hero_index(article, blocks)
    return None if index is None else blocks[index].number


@dataclass(slots=True, frozen=True)
class Raised(Figure):
    """The hero set ``height_mm`` high, above its usual ``HERO_MM`` (feature.html.j2)."""
    height_mm: float = 0.0


def hero_raised(article: Any, lines: int, original: dict[int, float]) -> tuple | None:
    """``article.blocks`` with the hero ``lines`` lines higher than first set (a taller crop),
    so that the opener's columns hold that many lines fewer: a hole at their foot closes."""
    index = hero_index(article)
    if index is None or not 0 < lines <= HERO_RAISE:
        return None
    hero = article.blocks[index]
    first = min(218 / original.get(hero.number, hero.ratio), HERO_MM)
    height = math.ceil((first + lines * LINE_MM) * 10) / 10  # rounded up: the lines really go
    raised = _as(Raised, hero, height_mm=height)
    return article.blocks[:index] + (raised,) + article.blocks[index + 1:]


def hero_shrunk(article: Any, lines: int, original: dict[int, float]) -> tuple | None:
    """``article.blocks`` with the hero ``lines`` lines lower than it was first set (a wider
    crop), so that the opener's columns hold that many lines more; None past ``HERO_LINES``."""
    index = hero_index(article)
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


def spaced(article: Any, lines: int) -> Any | None:
    """``article`` with ``lines`` more blank lines under its opener; None past
    ``OPENER_SPACE`` in all."""
    now = getattr(article, "opener_space", 0)
    if lines <= 0 or now + lines > OPENER_SPACE:
        return None
    return _as(Spaced, article, opener_space=now + lines)


def paragraph_before(blocks: tuple, index: int) -> int | None:
    """Index of the last paragraph before ``index`` (None when there is none)."""
    return max((i for i in range(index) if getattr(blocks[i], "kind", "") == "paragraph"),
               default=None)


def paragraph_earlier(blocks: tuple, source: int) -> tuple | None:
    """``blocks`` with the block at ``source`` (and the figures beside it) moved before the
    paragraph before it (and that paragraph's heading); None when there is none, or when a
    box would leave its section."""
    earlier = paragraph_before(blocks, run_of(blocks, source).start)
    return None if earlier is None else moved(blocks, source, before_headings(blocks, earlier))


def after_text(blocks: tuple) -> int:
    """Index just after the last paragraph (figures and boxes after it stand at the end)."""
    end = len(blocks)
    while end and getattr(blocks[end - 1], "kind", "") != "paragraph":
        end -= 1
    return end


def after_paragraph(blocks: tuple, start: int) -> int:
    """Index just after the first paragraph at or after ``start`` (the pushed heading's first
    paragraph), or the end."""
    for i in range(start, len(blocks)):
        if getattr(blocks[i], "kind", "") == "paragraph":
            return i + 1
    return len(blocks)


def before_headings(blocks: tuple, index: int) -> int:
    """``index`` moved back over the headings just before it: nothing comes between a heading
    and its text."""
    while index > 0 and getattr(blocks[index - 1], "kind", "") == "heading":
        index -= 1
    return index
