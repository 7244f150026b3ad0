"""Page make-up after layout: find the holes WeasyPrint leaves at column feet and close them by
moving or reshaping a figure, pull quote or box, as a make-up artist would; then level the
last page's columns.

In: a laid-out WeasyPrint ``Document`` of an article's HTML (its body blocks carry
``data-block``, their index in ``Article.blocks``, see layout/_blocks.html.j2), the ``Article``,
and a function laying out another arrangement of that article.
Out: ``improve(article, document, lay_out)``, the best (article, document) found.

This module chooses what to try and keeps what scores best. Measuring a layout is in
render/feet.py (``feet``: where each column of each page ends against its text block's foot;
``holes``, ``score``, ``paragraphs``…); the changes themselves are in render/moves.py
(``moved``, ``resized``, ``stacked``, ``Spaced``…: each returns a new block tuple or article).

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

from dataclasses import replace
from typing import Any, Callable

from paiban import budget
from paiban.check import lines_apart
from paiban.render.feet import (MAX_SHORT, Foot, Lines, feet, holes, level, paragraphs, placed,
                                score, sparse, spread)
from paiban.render.moves import (HERO_LINES, HERO_RAISE, MAX_LOWERED, OPENER_SPACE,
                                 after_paragraph, after_text, before_headings, end_row_resized,
                                 grown, hero_index, hero_number, hero_raised, hero_shrunk,
                                 lines_set, lowered, moved, paragraph_before, paragraph_earlier,
                                 dropped, reset, resets, resets_together, resized, run_of,
                                 spaced, stacked, without_hero)

DROP_BOXES = 2
"""Section boxes on the last two pages a sparse last page may cost: the nearest the end, or
the one before it, or both."""

MAX_TRIALS = 20
"""Extra layouts tried per article at most (each one costs a full layout)."""

layouts = 0
"""Extra layouts made by ``improve`` in this process (for measuring the pass's cost)."""

LEVEL_TRIALS = 16
"""Of those, at most this many for levelling the last page (holes come first)."""


def candidates(article: Any, found: list[Foot], original: dict[int, float] | None = None,
               set_lines: dict[int, Lines] | None = None, saving: list[Any] | None = None
               ) -> list[Any]:
    """Block orders (or figure shapes; or a ``Spaced`` article, its opener set lower) that
    might close a hole, the first hole's nearest moves first; then, with no hole left, ones
    that might level the last page's columns.
    ``original``: each figure's first ratio (figure number -> ratio), the crop's reference;
    ``set_lines``: how each paragraph is set (``paragraphs``), for loosening or tightening one;
    ``saving``: ``_saving``'s arrangements when the caller has them (else made here)."""
    original = original or {}
    out: list[tuple | None] = []
    shapes: list[tuple | None] = []
    if saving is None:
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
    hero = hero_number(article, article.blocks)
    unique: list[tuple] = []
    for order in out:
        if order is None or order == article.blocks or order in unique:
            continue
        # A move taking the opener's hero along (it stands next to the figures moved), or
        # putting another figure first where the first is the hero: the photo an editor
        # chose to open with is not the make-up's to change.
        if isinstance(order, tuple) and hero_number(article, order) != hero:
            continue
        unique.append(order)
    return unique


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
    pushed = before_headings(blocks, pushed)
    out = []
    # Later: a movable block before the hole, nearest first, goes after the pushed group.
    before = [i for f in found if f.page in (hole.page, hole.page - 1)
              and (f.page, f.column) <= (hole.page, hole.column) for i in f.blocks]
    target = after_paragraph(blocks, pushed)
    # The block pushed over the hole is itself a figure, box or quote too tall for it: the
    # text after it fills the hole when it goes one or two paragraphs later.
    first_after = [f.blocks[0] for f in following[:1] if f.blocks and f.blocks[0] == f.first]
    for source in first_after:
        later = after_paragraph(blocks, run_of(blocks, source).stop)
        out.append(moved(blocks, source, later))
        out.append(moved(blocks, source, after_paragraph(blocks, later)))
        # Or a paragraph earlier: it goes into the hole and the paragraph before it follows,
        # split across the column foot (a box stays in its section: ``moved`` refuses).
        out.append(paragraph_earlier(blocks, source))
    for source in sorted(before, key=lambda i: pushed - i):
        if source < pushed:
            out.append(moved(blocks, source, target))
    # Earlier: a movable block on the next page goes into the hole.
    after = [i for f in following if f.page == hole.page + 1 for i in f.blocks]
    for source in after:
        if source > pushed:
            out.append(moved(blocks, source, before_headings(blocks, pushed)))
    moves, out = out, []
    # Fill: a figure above the hole on its page grows by the hole's height (the text under it
    # moves down into the hole; the column break stays where it was); or a box above it is
    # set one figure to a row (two lines taller per figure moved down).
    here = sorted((i for f in found if f.page == hole.page and f.column <= hole.column
                   for i in f.blocks), key=lambda i: -i)
    for source in here:
        out.append(resized(blocks, source, hole.short, original))
        out.append(stacked(blocks, source))
    # The opener: its hero set higher takes lines from its columns, the hole's among them.
    # Or it starts a line or more lower (blank lines under the opener), with or without a
    # hero.
    if hole.page == 0:
        for lines in (1, 2):
            out.append(hero_shrunk(article, lines, original))
        for lines in sorted({max(hole.short - MAX_SHORT, 1), min(hole.short, HERO_RAISE)}):
            out.append(hero_raised(article, lines, original))
        for lines in sorted({max(hole.short - MAX_SHORT, 1), min(hole.short, OPENER_SPACE)}):
            out.append(spaced(article, lines))
    # Free: the figure pushed over the hole, or one above it, a line or two lower so that the
    # pushed group fits.
    for source in first_after + here:
        out.append(resized(blocks, source, -1, original))
        out.append(resized(blocks, source, -2, original))
    # Or a figure from further on comes up a paragraph before the hole: the text before the
    # hole moves down by the figure's height and the pushed group starts the next column.
    further = [i for f in following if f.page > hole.page for i in f.blocks
               if getattr(blocks[i], "kind", "") == "figure" and i > pushed]
    paragraph = paragraph_before(blocks, pushed)
    for source in further[:2]:
        if paragraph is not None:
            out.append(moved(blocks, source, before_headings(blocks, paragraph)))
    # The opener's hero gives each of its columns a line or more (a wider crop): the text
    # before the hole moves up by twice that (a heading needing one or two lines more fits).
    for lines in range(1, HERO_LINES + 1):
        out.append(hero_shrunk(article, lines, original))
    return moves, out


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
    - both;
    - the opener's hero ``HERO_LINES`` lower (a wider crop: its columns hold that many more);
    - all three;
    - a section box on the last two pages left out (``dropped``; the last ``DROP_BOXES``, one
      at a time), alone, then with the tighter paragraphs; then those boxes together."""
    blocks = article.blocks
    hero = hero_index(article)
    figures = [i for i, b in enumerate(blocks) if getattr(b, "kind", "") == "figure"]
    runs = {without_hero(run_of(blocks, i), hero) for i in figures if i != hero}
    rows = [r for r in runs if 2 <= len(r) <= 3]
    lone = sorted(r.start for r in runs if len(r) == 1)
    out: list[Any] = []
    for source in lone:
        for row in sorted(rows, key=lambda r: abs(r.start - source))[:1]:
            out.append(moved(blocks, source, row.stop))
    lower = blocks
    for source in lone:
        lower = resized(lower, source, -2, original) or lower
    tighter = blocks
    for index, lines in set_lines.items():
        if lines.count > 1 and lines_set(lines, "tight-1") < lines.count:
            tighter = reset(tighter, index, "tight-1") or tighter
    both = tighter
    for source in lone:
        both = resized(both, source, -2, original) or both
    last = max(f.page for f in found)
    end = after_text(blocks)
    # From the first block of the page before the last on (a row in mid-page is in no
    # column's blocks: it spans them).
    near = min((f.first for f in found if f.page >= last - 1 and f.first is not None),
               default=len(blocks))
    for row in sorted(rows, key=lambda r: -r.start):
        if row.start >= near and row.stop < end:
            out.append(moved(blocks, row.start, end))
    out.extend([lower, tighter, both, hero_shrunk(article, HERO_LINES, original)])
    out.append(hero_shrunk(replace(article, blocks=both), HERO_LINES, original))
    # Last, a section box on the last two pages left out (the nearest the end first), then
    # with every tighter paragraph, then two: kept only if the page is saved (``improve``).
    # The editor may forbid it (a sidecar's ``[layout] keep_boxes``).
    boxes = [] if getattr(article, "keep_boxes", False) else [
        i for i in range(near, len(blocks)) if dropped(blocks, i) is not None][::-1]
    for index in boxes[:DROP_BOXES]:
        out.append(dropped(blocks, index))
    for index in boxes[:DROP_BOXES]:
        out.append(dropped(tighter, index))
    both_boxes = tighter if len(boxes) >= DROP_BOXES else None
    for index in boxes[:DROP_BOXES]:  # from the end: the indices before stay
        both_boxes = both_boxes and dropped(both_boxes, index)
    out.append(both_boxes)
    return out


def _levelling(article: Any, found: list[Foot], original: dict[int, float],
               set_lines: dict[int, Lines]) -> list[Any]:
    """Arrangements that might level the last page's columns, the least visible first:

    - a figure on it a few lines taller (it takes the room the short column leaves), or
      lower when it stands in the column ending lowest; the row of photos after the last
      paragraph so, as far as their shapes allow; three lines apart or more, as many
      paragraphs in the column ending highest a character looser a line, at once, as it
      must gain lines;
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
    gap = lines_apart(spread(found))
    end = after_text(blocks)
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
        out.append(resized(blocks, source, sign * max(gap // 2, 1), original))
        out.append(resized(blocks, source, sign * gap, original))
    # The photos after the last paragraph (a row in the column the text ends in) taller, as
    # far as their shapes allow, when that column ends highest; shorter when it ends lowest.
    rows = {run_of(blocks, i).start: i for i in sorted(figures, reverse=True)}
    for start, source in sorted(rows.items()):  # a figure of the row in a column on the page
        sign = -1 if shorts[source] == low and gap else 1
        out.append(end_row_resized(blocks, start, sign * gap, original, hero_index(article)))
    # Three lines apart or more: as many paragraphs in the column ending highest set a
    # character looser a line, at once, as it needs lines to end level (one a trial would
    # take a trial a line).
    columns = {f.column: f.short for f in found if f.page == last}

    def in_column(column: int) -> dict[int, Lines]:
        return {i: lines for i, lines in set_lines.items()
                if lines.page == last and lines.column == column}

    if len(columns) > 1 and gap >= 3:
        out.append(resets_together(blocks, in_column(max(columns, key=columns.get)), last,
                                   ("loose-1",), gap - 1))
    for source in on_last:  # a box stays in its section (``moved`` refuses)
        run = run_of(blocks, source)
        later = after_paragraph(blocks, run.stop)
        if later < len(blocks):
            out.append(moved(blocks, source, later))
        out.append(paragraph_earlier(blocks, source))
        if source not in figures:
            continue
        for other in figures:
            if other not in run:
                out.append(moved(blocks, source, run_of(blocks, other).stop))
    for source in on_last + before:
        if getattr(blocks[source], "kind", "") == "figure":
            out.append(moved(blocks, source, end))
    # A paragraph in the column ending lowest a line shorter, one in the column ending highest
    # a line longer; then any paragraph near the end a line longer or shorter.
    if len(columns) > 1:
        for column, settings in ((min(columns, key=columns.get), ("tight-1",)),
                                 (max(columns, key=columns.get), ("loose-1", "loose-2"))):
            out.extend(resets(blocks, in_column(column), last, settings)[:2])
    out.extend(resets(blocks, set_lines, last, ("loose-1", "tight-1")))
    for source in on_last:
        out.append(stacked(blocks, source))
    # The last box or pull quote in the column ending highest set lower, down to its foot.
    high = max((f for f in found if f.page == last), key=lambda f: f.short)
    lowerable = [i for i in high.blocks if i in on_last and i != high.first  # a column's head
                 and getattr(blocks[i], "kind", "") in ("callout", "quote")]  # keeps no margin
    reach = sorted({min(gap, MAX_LOWERED), min(gap - 1, MAX_LOWERED)}, reverse=True)
    for source in lowerable[-1:]:  # lines more than it stands lower already
        now = getattr(blocks[source], "lowered", 0)
        for lines in reach:
            out.append(lowered(blocks, source, min(now + lines, MAX_LOWERED)))
    # A box heading that column keeps no margin above it: it grows instead, blank under its
    # figures, its tint down to the column's foot.
    if high.first in on_last and getattr(blocks[high.first], "kind", "") == "callout":
        now = getattr(blocks[high.first], "grown", 0)
        for lines in reach:
            out.append(grown(blocks, high.first, min(now + lines, MAX_LOWERED)))
    out.append(spaced(article, 1))
    out.append(hero_raised(article, 1, original))
    out.append(hero_shrunk(article, 1, original))
    out.extend(resets(blocks, set_lines, last, ("loose-2",)))
    for source in on_last:
        out.append(resized(blocks, source, -(gap // 2), original))
    return out


def left_out(article: Any, best: Any) -> list[str]:
    """A warning for each section box of ``article`` that ``best`` leaves out to save a page,
    naming its figures (value and label) and its section, and how to keep it."""
    def boxes(blocks):
        return [b.stats for b in blocks if getattr(b, "kind", "") == "callout"]

    kept = boxes(best.blocks)
    notes = []
    for stats in boxes(article.blocks):
        if stats in kept:
            continue
        figures = "、".join(f"{s.value} {s.label}".strip() for s in stats)
        section = f" in 「{stats[0].section}」" if stats and stats[0].section else ""
        notes.append(f"make-up: the box 「{figures}」{section} is left out, so that the text "
                     "ends a page sooner (keep_boxes = true under [layout] in the sidecar "
                     "keeps it)")
    return notes


def _change(blocks: tuple, candidate: Any) -> tuple:
    """What ``candidate`` changes in ``blocks``: the blocks it puts at each index (a paragraph
    reset, a figure reshaped, a block moved), or the whole article (the opener spaced)."""
    if not isinstance(candidate, tuple):
        return ("article", repr(candidate.blocks), getattr(candidate, "opener_space", 0))
    changed = tuple((i, repr(b)) for i, (a, b) in enumerate(zip(blocks, candidate)) if a != b)
    # A block left out (``dropped``) changes the length: without it, leaving out the last
    # block would be no change at all, or the same as the resets made with it.
    return changed if len(candidate) == len(blocks) else changed + (("blocks", len(candidate)),)


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
        set_lines = paragraphs(best[2]) if levelling or sparse(best[3]) else None
        # A saving move (it changes the whole article) is kept for the page it saves, or when
        # it closes every hole; not for one hole of several (the pass would follow it where
        # no other closes: corpus text 98 ended with one). A box left out only saves a page.
        saving = (_saving(best[1], best[3], original, set_lines or {}) if sparse(best[3])
                  else [])
        saves = {repr(c) for c in saving}
        drops = {repr(c) for c in saving
                 if isinstance(c, tuple) and len(c) < len(best[1].blocks)}
        for blocks in candidates(best[1], best[3], original, set_lines, saving):
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
            budget.checkpoint()  # the preview closing stops here, not after every trial
            trial_document = lay_out(trial)
            trial_feet = feet(trial_document)
            trial_score = score(trial_feet)
            if trial_score < best[0] and count is None:
                count = placed(document)
            # A page saved must not leave a hole: the check fails a hole, not a page.
            saved_with_hole = trial_score[0] < best[0][0] and trial_score[1]
            unsaved = (repr(blocks) in saves and trial_score[0] >= best[0][0]
                       and (trial_score[1] or repr(blocks) in drops))
            if (trial_score < best[0] and not saved_with_hole and not unsaved
                    and placed(trial_document) == count):
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
