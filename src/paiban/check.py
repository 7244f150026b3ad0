"""Measure a typeset PDF against paiban's Chinese typography rules (docs/typography.md).

In: PDF paths (``measure(path)`` for one, ``main(paths, as_json)`` for the CLI ``paiban check``).
Out: a ``CheckResult`` per PDF (flush share of justified lines, line-start/line-end violations,
split units, first-line indents, line pitch, looseness, fonts and whether they are embedded,
the extracted text) and, from ``main``, a readable summary or JSON and an exit status (0 when
every rule holds, 1 otherwise).

Heuristics (all positions in PDF points, from pdfplumber's characters):

- **Body text** is every character in the most common font size (counted per character,
  rounded to 0.1 pt). Titles, captions and folios in other sizes are ignored.
- **Columns**: on each page, the x ranges covered by body characters, cut wherever at least
  ½ em is covered by no character (the gutter: the lines of a column together cover all of
  it, justified or not). A body-size line running across the gutter (rare) merges the
  columns of its page. A column's left edge is where its characters start. Its right edge is
  the most common right end among its lines that end within 1 pt of the farthest one (lines
  ending in closing punctuation left out, see Flush), raised to ``left + usual width`` when
  the page's lines all fall short of that by less than 2 em. A ragged document may have no
  line at its column edge at all: callers that know the layout pass ``column_width``
  instead (the CLI cannot, so its figure for ragged text is optimistic).
  Lines reaching more than 0.5 em beyond their column, or starting more than 4 em inside
  it without reaching its edge (centred lines), are *other* lines: not measured for
  flushness. Lines starting far inside but reaching the edge run beside a drop cap or a
  float: they are body lines, not paragraph starts.
- **Lines**: the body characters of a column grouped by baseline (within 0.5 pt).
- **Reading order**: columns left to right, lines top to bottom, pages in order.
- **Paragraphs**: a line starting 0.5–4 em inside its column starts a paragraph (first-line
  indent). A line is *final* (last of its paragraph, so not justified) when the next line
  starts a paragraph, is an *other* line, lies more than 1.5 line pitches below it in the
  same column, or does not exist.
- **Flush**: a non-final line is flush when its last glyph's right edge is within 0.1 pt of the
  column's right edge. pdfplumber takes a glyph's width from the font, so a closing mark set
  half-width (``halt``) at the line end reaches ½ em past the edge, its blank half hanging
  (GB/T 15834 allows ½-em line-end punctuation): that also counts as flush. For the same
  reason lines ending in closing punctuation are left out when finding a column's right edge.
- **Line pitch**: baseline differences of consecutive lines in a column; gaps over 1.5 times
  the most common one (headings, figures) are left out.
- **Looseness**: per non-final line, the largest gap between two adjacent ideographs (in em);
  this is exactly the inter-character justification added, as ideographs have no side
  bearing in CJK fonts. Gaps next to Latin, digits or punctuation are left out because they
  carry designed spacing (¼ em) or compression.
- **Violations**: a line starting with 、，。：；！？）》」』】〉”’·～ or with —— or …… (except a
  paragraph's first line, which may open with a dash); a line ending with （《「『【〈“‘;
  —— or …… split across lines; a number split from its digits or from its unit (the units
  ``paiban.render.cjk`` keeps with their number: 万, 万元, 万人次, 年, %, …).
- **Last lines and widows**: a paragraph's last line holding one character (punctuation,
  opening marks included, not counted); a paragraph's last line alone at the top of a column,
  or its first line alone at the bottom of one. Reported; not part of ``ok``, which covers the layout engine's rules
  (flush, violations, split units, indent, embedding) and holes.
- **Column feet** (holes, part of ``ok``): the text block's foot is the lowest body line's
  bottom in the document. A column's foot is the bottom of the lowest thing drawn in it (any
  character, rule, box, frame or image overlapping its x range, above the foot plus ½ line, so
  folios stay out). A column holding no body text (a box alone in a last page's right column)
  is found where the page with most columns (10 em wide or more) has one and something is
  drawn below the page's first line. It ends *short* by the whole line pitches between the two
  (a fifth of a line less counts as a whole one, ``GRID_TOLERANCE``: glyphs end above their
  line box, boxes on it). A hole is a column, on any page but the document's last, that ends
  more than 2 lines short: it fails the check. On the last page the columns are *level* when
  their feet lie within one line of each other (and that fifth); a figure filling the short
  column counts: it is drawn. Columns further apart are a warning (printed, in the JSON's
  ``warnings``; the exit status stays 0).
- **Display text** (captions, box labels, headings, pull quotes: every size but the body's):
  per page and size, characters on one baseline within 2 em of each other make a line; lines
  at the same left edge, at most 2.2 sizes apart, make a block while each is at least 6 em
  wide. A block's last line of one character, a line (not a block's first) starting with a
  line-start-forbidden mark or a line (not a block's last) ending with a line-end-forbidden
  mark is reported.
- **Loose lines**: justified body lines with more than ``LOOSE`` (0.2 em) added between
  two ideographs.
- **Fonts**: from pypdf, every font resource of every page (and of its form XObjects), with
  its embedded font file if any.
"""

from __future__ import annotations

import json
import math
import re
import statistics
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

from paiban.render.cjk import unit_at

LINE_START_FORBIDDEN = "、，。：；！？）》」』】〉”’·～"
LINE_END_FORBIDDEN = "（《「『【〈“‘"
DOUBLED = ("——", "……")
FLUSH_TOLERANCE = 0.1  # pt
LOOSE = 0.2  # em added per gap beyond which a justified line is loose
# A column ending less than this much of a line above a whole line counts as ending on it: a
# line's glyphs end above its line box by the half-leading (0.08 line for the body, more for
# a lede's or a caption's type), where a box or rule on the same grid line ends at the line.
GRID_TOLERANCE = 0.2


def lines_short(distance: float) -> int:
    """Whole lines in ``distance`` (in lines) between a column's foot and the text block's: a
    fifth of a line less counts as a whole one (``GRID_TOLERANCE``)."""
    return int(distance + GRID_TOLERANCE)


def lines_apart(distance: float) -> int:
    """Whole lines in ``distance`` (in lines) between two columns' feet, rounded up: a fifth of
    a line over a whole number counts as that number (``GRID_TOLERANCE``)."""
    return max(math.ceil(round(distance - GRID_TOLERANCE, 2)), 0)

# Full-width closing punctuation: its glyph's blank half may hang past the column edge.
CLOSING = frozenset("，。、；：！？）》」』】〕〉”’")
_IDEOGRAPH = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


@dataclass(slots=True)
class Line:
    """One line of one column."""
    page: int
    column: int  # index of the column on its page, left to right
    baseline: float  # distance from the page top, pt
    x0: float
    x1: float
    text: str
    size: float
    kind: str = "body"  # body | other
    first: bool = False  # starts a paragraph (indented)
    final: bool = False  # last line of its paragraph
    right: float = 0.0  # right edge of the column
    left: float = 0.0  # left edge of the column
    looseness: float = 0.0  # em
    gaps: list[tuple[str, float, float]] = field(default_factory=list, repr=False)
    last_font: str = ""  # PDF font name of the line's last glyph
    bottom: float = 0.0  # lowest glyph bottom, pt from the page top

    @property
    def shortfall(self) -> float:
        return self.right - self.x1


@dataclass(slots=True)
class ColumnFoot:
    """Where one column ends, against the text block's foot."""
    page: int  # 0-based
    column: int
    bottom: float  # pt from the page top
    short: int  # whole line pitches between ``bottom`` and the text block's foot
    last_text: str = ""  # the column's last body line, to name it


@dataclass(slots=True)
class FontInfo:
    name: str
    subtype: str
    embedded: bool


@dataclass(slots=True)
class CheckResult:
    path: str
    pages: int
    body_size: float
    lines: int
    justified_lines: int  # non-final body lines
    flush_lines: int
    flush_share: float
    not_flush: list[str]  # "page N: text (shortfall pt)" for the lines that are not flush
    line_start_violations: list[str]
    line_end_violations: list[str]
    split_units: list[str]
    short_last_lines: list[str]  # a paragraph's last line with one character (+ punctuation)
    widows_orphans: list[str]  # a paragraph's single line alone at a column top or bottom
    indents_em: list[float]
    indent_consistent: bool
    pitch: float
    pitch_constant: bool
    pitches: list[float]
    looseness_max_em: float
    looseness_p95_em: float
    fonts: list[FontInfo]
    all_embedded: bool
    text: str = field(repr=False, default="")
    column_feet: list[ColumnFoot] = field(default_factory=list)
    loose_lines: int = 0  # justified lines with more than LOOSE em added between ideographs
    display_short_last_lines: list[str] = field(default_factory=list)
    display_line_start_violations: list[str] = field(default_factory=list)
    display_line_end_violations: list[str] = field(default_factory=list)

    @property
    def holes(self) -> list[ColumnFoot]:
        """Columns ending more than 2 lines above the text block's foot, last page excepted."""
        last = self.pages - 1
        return [f for f in self.column_feet if f.page < last and f.short > 2]

    @property
    def last_page_spread(self) -> float:
        """Lines between the highest and lowest column foot on the last page (0 when it has
        one column)."""
        feet = [f.bottom for f in self.column_feet if f.page == self.pages - 1]
        return round((max(feet) - min(feet)) / self.pitch, 2) if len(feet) > 1 and self.pitch else 0.0

    @property
    def last_page_apart(self) -> int:
        """Whole lines between the highest and lowest column foot on the last page: the
        distance rounded up, a fifth of a line over a whole number counting as that number
        (``GRID_TOLERANCE``: glyphs end above their line box); 0 when it has one column."""
        return lines_apart(self.last_page_spread)

    @property
    def warnings(self) -> list[str]:
        """Page make-up an art director would look at but may accept: the last page's columns
        more than one line apart (a paragraph too short to split by the widow rules)."""
        if self.last_page_apart > 1:
            return [f"last page's columns end {self.last_page_apart} lines apart (not level, "
                    f"no figure fills the short one)"]
        return []

    @property
    def ok(self) -> bool:
        """The layout engine's rules hold and no column ends in a hole (more than 2 lines
        short before the last page): the pass fails. ``warnings`` do not."""
        return (self.flush_share >= 0.99 and not self.line_start_violations
                and not self.line_end_violations and not self.split_units
                and self.indent_consistent and self.all_embedded and not self.holes)


# --- Lines -----------------------------------------------------------------------------------

def _body_size(chars: list[dict]) -> float:
    sizes = Counter(round(c["size"], 1) for c in chars if c["text"].strip())
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _baseline(char: dict) -> float:
    """Position of the character's baseline, growing down the page, up to a per-page constant
    (from its text matrix: exact, whereas pdfplumber's ``bottom`` depends on each font's
    bounding box)."""
    return -char["matrix"][5]


def _columns(body: list[dict], size: float) -> list[tuple[float, float]]:
    """Column extents of a page: the x ranges covered by body characters, split wherever
    more than 0.4 em is covered by none (a gutter). Justified or not, the lines of a column
    together cover all of it, so even a 1 em gutter shows, also when a line-end mark hangs
    its ½ em blank into it."""
    spans = sorted((c["x0"], c["x1"]) for c in body)
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 - columns[-1][1] <= 0.4 * size:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    return [(a, b) for a, b in columns]


def _segments(page_chars: list[dict], size: float) -> list[tuple[int, float, list[dict]]]:
    """Body characters of one page as (column index, column left, same-baseline run)."""
    body = [c for c in page_chars
            if abs(c["size"] - size) < 0.06 and c.get("upright", True) and c["text"] != ""]
    columns = _columns(body, size)
    rows: list[tuple[int, list[dict]]] = []
    current: dict[int, tuple[float, list[dict]]] = {}  # open row of each column
    for char in sorted(body, key=lambda c: (_baseline(c), c["x0"])):
        column = next(i for i, (a, b) in enumerate(columns) if a - 0.01 <= char["x0"] <= b)
        entry = current.get(column)
        if entry is not None and abs(entry[0] - _baseline(char)) < 0.5:
            entry[1].append(char)
        else:
            row = [char]
            current[column] = (_baseline(char), row)
            rows.append((column, row))
    segments = []
    for column, row in rows:
        row.sort(key=lambda c: c["x0"])
        # Drop runs made only of spaces (pdfplumber reports drawn space glyphs).
        if "".join(c["text"] for c in row).strip():
            segments.append((column, columns[column][0], row))
    return segments


def _visible(segment: list[dict]) -> list[dict]:
    chars = [c for c in segment if c["text"].strip()]
    return chars or segment


def _build_lines(pages_chars: list[list[dict]], size: float,
                 column_width: float | None = None) -> list[Line]:
    lines: list[Line] = []
    for page, page_chars in enumerate(pages_chars):
        for column, left, segment in _segments(page_chars, size):
            chars = _visible(segment)
            line = Line(page=page, column=column, baseline=_baseline(chars[0]),
                        x0=chars[0]["x0"], x1=chars[-1]["x1"],
                        text="".join(c["text"] for c in segment).strip(), size=size, left=left,
                        last_font=chars[-1].get("fontname", ""),
                        bottom=max(c["bottom"] for c in chars))
            # Neighbours in the text: a drawn word space (黄秀珍 郑飞飞) stays between its
            # two characters, so the gap it makes is not taken for added spacing.
            line.gaps = [(a["text"] + b["text"], a["x1"], b["x0"])
                         for a, b in zip(segment, segment[1:])]
            lines.append(line)
    _set_right_edges(lines, size, column_width)
    lines.sort(key=lambda ln: (ln.page, ln.column, ln.baseline))
    return lines


def _edge(ends) -> float:
    """A column's right edge from its lines' right ends: the most common end (to 0.02 pt)
    among those within 1 pt of the farthest, so that one glyph whose font width is a little
    off its advance does not move the edge."""
    ends = list(ends)
    far = max(ends)
    near = Counter(round(x / 0.02) * 0.02 for x in ends if far - x <= 1.0)
    best = max(near.values())
    return max(x for x, n in near.items() if n == best)


def _set_right_edges(lines: list[Line], size: float, column_width: float | None) -> None:
    groups: dict[tuple[int, int], list[Line]] = {}
    for line in lines:
        groups.setdefault((line.page, line.column), []).append(line)
    widths: Counter[float] = Counter()
    exact: dict[float, float] = {}  # widest value seen for each rounded width
    for group in groups.values():
        left = group[0].left
        inside = [ln for ln in group if ln.x0 - left <= 4 * size]
        solid = [ln for ln in inside if ln.text[-1:] not in CLOSING]
        if len(solid) >= 3:
            width = _edge(ln.x1 for ln in solid) - left
            key = round(width, 0)
            widths[key] += len(inside)
            exact[key] = max(exact.get(key, 0.0), width)
    usual = exact[widths.most_common(1)[0][0]] if widths else None
    for group in groups.values():
        left = group[0].left
        inside = [ln for ln in group if ln.x0 - left <= 4 * size]
        # Lines ending in punctuation may hang its blank half (½-em line-end punctuation).
        solid = [ln for ln in inside if ln.text[-1:] not in CLOSING] or inside or group
        right = _edge(ln.x1 for ln in solid)
        if column_width is not None:
            right = left + column_width
        elif usual is not None and 0 < left + usual - right < 2 * size:
            right = left + usual
        for line in group:
            line.right = right
            offset = line.x0 - left
            reaches = abs(line.x1 - right) <= 0.5 * size  # ends at the column edge
            if line.x1 > right + 0.5 * size or (offset > 4 * size and not reaches):
                line.kind = "other"
            line.first = line.kind == "body" and 0.5 * size <= offset <= 4 * size


_SENTENCE_END = frozenset("。！？…”’」』）】》")


def _mark_final(lines: list[Line], pitch: float) -> None:
    """A line is its paragraph's last when the next one starts a paragraph, or is more than a
    line and a half lower in its column. Lines are read column by column, so a column's last
    line is followed by the next column's first; a row of figures across the columns in
    mid-page splits them into two sets, read one after the other, which that order does not
    know: a column's last line that ends a sentence short of the edge by more than an em is
    its paragraph's last (a line that goes on is justified to the edge)."""
    for line, nxt in zip(lines, lines[1:] + [None]):
        if line.kind != "body":
            line.final = True
        elif nxt is None or nxt.kind != "body" or nxt.first:
            line.final = True
        elif (nxt.page, nxt.column) == (line.page, line.column):
            line.final = nxt.baseline - line.baseline > 1.5 * pitch
        else:
            line.final = (line.text[-1:] in _SENTENCE_END
                          and line.right - line.x1 > line.size)


CENTRED_MARKS = frozenset("，。、：；！？")
"""Marks the Traditional (TC, HK) faces centre in the em, where Simplified faces set them in
the corner."""


def is_flush(line: Line) -> bool:
    """The line's last glyph ends at the column edge (within 0.1 pt); a closing punctuation
    mark set half-width at the line end may instead end beyond it by its blank part: ½ em for
    a mark in the corner of its em, ¼ em for one of ``CENTRED_MARKS`` in a TC or HK face
    (halt draws it ¼ em to the left, and its glyph box keeps the full em)."""
    if abs(line.shortfall) <= FLUSH_TOLERANCE:
        return True
    last = line.text[-1:]
    blank = 0.25 if last in CENTRED_MARKS and re.search(r"-(TC|HK)\b", line.last_font) else 0.5
    return last in CLOSING and abs(line.shortfall + blank * line.size) <= FLUSH_TOLERANCE


def _pitches(lines: list[Line]) -> list[float]:
    return [round(b.baseline - a.baseline, 2) for a, b in zip(lines, lines[1:])
            if (a.page, a.column) == (b.page, b.column)]


def _looseness(line: Line) -> float:
    gaps = [(b - a) / line.size for pair, a, b in line.gaps
            if len(pair) == 2 and _IDEOGRAPH.match(pair[0]) and _IDEOGRAPH.match(pair[1])]
    return max(gaps, default=0.0)


# --- Rules -----------------------------------------------------------------------------------

def _violations(lines: list[Line]) -> tuple[list[str], list[str], list[str]]:
    starts, ends, splits = [], [], []
    body = [ln for ln in lines if ln.kind == "body"]
    for line, nxt in zip(body, body[1:] + [None]):
        where = f"page {line.page + 1}: {line.text[:12]}…{line.text[-8:]}"
        head = line.text[:1]
        if head and head in LINE_START_FORBIDDEN:
            starts.append(where)
        elif line.text[:2] in DOUBLED and not line.first:
            starts.append(where)
        if line.text[-1:] and line.text[-1] in LINE_END_FORBIDDEN:
            ends.append(where)
        if nxt is None or line.final:
            continue
        tail, lead = line.text[-1:], nxt.text[:1]
        if (tail + lead) in ("——", "……") and line.text[-2:] not in DOUBLED:
            splits.append(f"{where} | {nxt.text[:6]}")
        elif tail.isdigit() and (lead.isdigit() or lead in ".," or unit_at(nxt.text)):
            splits.append(f"{where} | {nxt.text[:6]}")
        elif tail in ".," and lead.isdigit():
            splits.append(f"{where} | {nxt.text[:6]}")
    return starts, ends, splits


def _short_last_lines(lines: list[Line]) -> list[str]:
    out = []
    for line in lines:
        if line.kind == "body" and line.final and not line.first:
            letters = [c for c in line.text
                       if c not in LINE_START_FORBIDDEN + LINE_END_FORBIDDEN + "—…"]
            if len(letters) <= 1:
                out.append(f"page {line.page + 1}: {line.text}")
    return out


def _widows_orphans(lines: list[Line]) -> list[str]:
    """A paragraph's last line alone at the top of a column (widow) or its first line alone
    at the bottom of one (orphan)."""
    out = []
    for previous, line in zip([None] + lines, lines):
        if line.kind != "body":
            continue
        new_column = previous is None or (previous.page, previous.column) != (line.page, line.column)
        if new_column and previous is not None and line.final and not line.first:
            out.append(f"widow, page {line.page + 1}: {line.text[:12]}")
    for line, following in zip(lines, lines[1:] + [None]):
        if line.kind != "body":
            continue
        ends_column = following is None or (following.page, following.column) != (
            line.page, line.column)
        if ends_column and following is not None and line.first and not line.final:
            out.append(f"orphan, page {line.page + 1}: {line.text[:12]}")
    return out


def _column_feet(pages_objects: list[list[dict]], lines: list[Line], pitch: float
                  ) -> list[ColumnFoot]:
    """Each column's foot (see the module docstring). ``pages_objects``: per page, every
    drawn object with x0, x1, top, bottom (characters, rects, lines, curves, images)."""
    body = [ln for ln in lines if ln.kind == "body"]
    if not body or not pitch:
        return []
    foot = max(ln.bottom for ln in body)
    columns: dict[tuple[int, int], list[Line]] = {}
    for line in lines:
        columns.setdefault((line.page, line.column), []).append(line)
    found: dict[int, list[tuple[float, float, str]]] = {}  # page -> (left, low, last text)
    ranges: dict[int, list[tuple[float, float]]] = {}
    for (page, column), group in sorted(columns.items()):
        left = min(ln.left for ln in group)
        right = max(ln.right for ln in group)
        low = _lowest(pages_objects[page], left, right, max(ln.bottom for ln in group),
                      foot, pitch)
        texts = [ln.text for ln in group if ln.kind == "body"]
        found.setdefault(page, []).append((left, low, texts[-1] if texts else ""))
        ranges.setdefault(page, []).append((left, right))
    # A column holding no body text (only a box or a figure: a last page's short column) has
    # no lines to find it by: the document's columns are where the page with most of them
    # has them, and one of those with something drawn in it is a column too.
    # (Ranges of 10 em or more: a body-size fragment in a gutter is no column.)
    wide = [[r for r in page_ranges if r[1] - r[0] >= 10 * body[0].size]
            for page_ranges in ranges.values()]
    grid = max(wide, key=len)
    for page, page_ranges in ranges.items():
        if len(page_ranges) >= len(grid):
            continue
        top = min(ln.bottom for ln in lines if ln.page == page) - pitch
        for left, right in grid:
            if any(min(r, right) - max(l, left) > 1 for l, r in page_ranges):
                continue
            low = _lowest([o for o in pages_objects[page] if o["bottom"] > top], left, right,
                          top, foot, pitch)
            if low > top:
                found[page].append((left, low, ""))
    out = []
    for page in sorted(found):
        for column, (_, low, text) in enumerate(sorted(found[page])):
            short = lines_short((foot - low) / pitch)
            out.append(ColumnFoot(page, column, round(low, 2), short, text))
    return out


def _lowest(objects: list[dict], left: float, right: float, low: float, foot: float,
            pitch: float) -> float:
    """The bottom of the lowest object overlapping ``left``–``right`` below ``low``, above the
    text block's foot and half a line more (folios stay out), at most the foot."""
    for obj in objects:
        overlap = min(obj["x1"], right) - max(obj["x0"], left)
        if overlap > 1 and obj["top"] < foot + 0.5 * pitch and obj["bottom"] > low:
            low = min(obj["bottom"], foot)
    return low


def _drawn(page) -> list[dict]:
    """Everything pdfplumber sees drawn on a page, as boxes."""
    objects = [c for c in page.chars if c["text"].strip()]
    for kind in ("rects", "lines", "curves", "images"):
        objects.extend(getattr(page, kind))
    return [{"x0": o["x0"], "x1": o["x1"], "top": o["top"], "bottom": o["bottom"]}
            for o in objects]


def _display_lines(pages_chars: list[list[dict]], size: float) -> list[list[str]]:
    """The text set in other sizes than the body (captions, box labels, headings, pull
    quotes), as blocks of lines: per page and size, characters on one baseline within 2 em
    of each other make a line; a line continues the block above it when it starts within
    1 em of that block's left edge, its baseline lies at most 2.2 sizes below, and the
    block's last line is at least 6 em wide (a short line ends its block: stacked labels and
    figures in boxes are separate lines, not one wrapped text)."""
    blocks: list[list[str]] = []
    for chars in pages_chars:
        other = [c for c in chars if c["text"].strip() and abs(c["size"] - size) >= 0.06
                 and c.get("upright", True)]
        rows: list[list[dict]] = []  # characters of one size on one baseline
        for char in sorted(other, key=lambda c: (round(c["size"], 1), _baseline(c))):
            if (rows and round(rows[-1][0]["size"], 1) == round(char["size"], 1)
                    and abs(_baseline(rows[-1][0]) - _baseline(char)) < 0.5):
                rows[-1].append(char)
            else:
                rows.append([char])
        runs: list[tuple[float, float, float, float, str]] = []  # size, baseline, x0, x1, text
        for row in rows:
            row.sort(key=lambda c: c["x0"])
            csize, base = round(row[0]["size"], 1), _baseline(row[0])
            start = len(runs)
            for char in row:
                if len(runs) > start and char["x0"] - runs[-1][3] < 2 * csize:
                    rsize, rbase, rx0, _, text = runs[-1]
                    runs[-1] = (rsize, rbase, rx0, char["x1"], text + char["text"])
                else:
                    runs.append((csize, base, char["x0"], char["x1"], char["text"]))
        open_blocks: list[tuple[float, float, float, list[str]]] = []  # size, left, baseline
        widths: dict[int, float] = {}  # width of each block's last line: a short one ends it
        for rsize, base, x0, _x1, text in sorted(runs, key=lambda r: (r[1], r[2])):
            for i, (bsize, left, last, lines) in enumerate(open_blocks):
                if (bsize == rsize and abs(x0 - left) <= rsize and 0 < base - last <= 2.2 * rsize
                        and widths[id(lines)] >= 6 * rsize):
                    lines.append(text)
                    widths[id(lines)] = _x1 - x0
                    open_blocks[i] = (bsize, left, base, lines)
                    break
            else:
                lines = [text]
                widths[id(lines)] = _x1 - x0
                open_blocks.append((rsize, x0, base, lines))
                blocks.append(lines)
    return blocks


def _display_rules(blocks: list[list[str]]) -> tuple[list[str], list[str], list[str]]:
    """One-character last lines, line-start and line-end violations in display text."""
    short, starts, ends = [], [], []
    for lines in blocks:
        if len(lines) < 2:
            continue
        letters = [c for c in lines[-1] if c not in LINE_START_FORBIDDEN + LINE_END_FORBIDDEN + "—…"]
        if len(letters) <= 1:
            short.append(f"{lines[-2][-8:]} | {lines[-1]}")
        for line in lines[1:]:
            if line[:1] in LINE_START_FORBIDDEN or line[:2] in DOUBLED:
                starts.append(line[:12])
        for line in lines[:-1]:
            if line[-1:] in LINE_END_FORBIDDEN:
                ends.append(line[-12:])
    return short, starts, ends


def _fonts(path: Path) -> list[FontInfo]:
    from pypdf import PdfReader

    fonts: dict[str, FontInfo] = {}

    def descriptor_embedded(font) -> bool:
        font = font.get_object()
        if "/DescendantFonts" in font:
            return all(descriptor_embedded(d) for d in font["/DescendantFonts"])
        descriptor = font.get("/FontDescriptor")
        if descriptor is None:
            return font.get("/Subtype") == "/Type3"
        descriptor = descriptor.get_object()
        return any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))

    def visit(resources, seen: set[int]) -> None:
        if resources is None:
            return
        resources = resources.get_object()
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            name = str(font.get("/BaseFont", "?")).lstrip("/")
            if name not in fonts:
                fonts[name] = FontInfo(name, str(font.get("/Subtype", "?")).lstrip("/"),
                                       descriptor_embedded(font))
        for ref in (resources.get("/XObject") or {}).values():
            xobject = ref.get_object()
            key = id(xobject)
            if key not in seen and xobject.get("/Subtype") == "/Form":
                seen.add(key)
                visit(xobject.get("/Resources"), seen)

    for page in PdfReader(str(path)).pages:
        visit(page.get("/Resources"), set())
    return sorted(fonts.values(), key=lambda f: f.name)


def measure(path: Path, column_width: float | None = None) -> CheckResult:
    """All measurements of one PDF. ``column_width`` (pt), when the caller knows the layout,
    replaces the estimated column edges: a ragged document may have no line that reaches its
    column's edge, so the estimate can only be the farthest common line end."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        pages_chars = [page.chars for page in pdf.pages]
        pages_objects = [_drawn(page) for page in pdf.pages]
        page_count = len(pdf.pages)
    every = [c for chars in pages_chars for c in chars]
    text = "".join(c["text"] for c in every)
    size = _body_size(every)
    lines = _build_lines(pages_chars, size, column_width) if size else []
    pitches_all = _pitches(lines)
    pitch = Counter(pitches_all).most_common(1)[0][0] if pitches_all else 0.0
    _mark_final(lines, pitch)
    justified = [ln for ln in lines if ln.kind == "body" and not ln.final]
    flush = [ln for ln in justified if is_flush(ln)]
    for line in justified:
        line.looseness = _looseness(line)
    loose = sorted(ln.looseness for ln in justified)
    starts, ends, splits = _violations(lines)
    indents = sorted({round((ln.x0 - ln.left) / size, 2) for ln in lines if ln.first})
    pitches = [p for p in pitches_all if p <= 1.5 * pitch]
    fonts = _fonts(path)
    display = _display_rules(_display_lines(pages_chars, size)) if size else ([], [], [])
    return CheckResult(
        path=str(path), pages=page_count, body_size=size, lines=len(lines),
        justified_lines=len(justified), flush_lines=len(flush),
        flush_share=len(flush) / len(justified) if justified else 1.0,
        not_flush=[f"page {ln.page + 1}: {ln.text[:16]} ({ln.shortfall:.2f} pt)"
                   for ln in justified if not is_flush(ln)],
        line_start_violations=starts, line_end_violations=ends, split_units=splits,
        short_last_lines=_short_last_lines(lines), widows_orphans=_widows_orphans(lines),
        indents_em=indents,
        indent_consistent=not indents or max(indents) - min(indents) <= 0.1,
        pitch=pitch, pitch_constant=bool(pitches) and max(pitches) - min(pitches) <= 0.05,
        pitches=sorted(set(pitches)),
        looseness_max_em=round(loose[-1], 3) if loose else 0.0,
        looseness_p95_em=round(loose[int(0.95 * (len(loose) - 1))], 3) if loose else 0.0,
        fonts=fonts, all_embedded=all(f.embedded for f in fonts), text=text,
        column_feet=_column_feet(pages_objects, lines, pitch),
        loose_lines=sum(1 for ln in justified if ln.looseness > LOOSE + 0.005),
        display_short_last_lines=display[0], display_line_start_violations=display[1],
        display_line_end_violations=display[2])


def lines_of(path: Path, column_width: float | None = None) -> list[Line]:
    """The reconstructed lines of a PDF (for tests and debugging)."""
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        pages_chars = [page.chars for page in pdf.pages]
    size = _body_size([c for chars in pages_chars for c in chars])
    lines = _build_lines(pages_chars, size, column_width) if size else []
    pitches = _pitches(lines)
    _mark_final(lines, Counter(pitches).most_common(1)[0][0] if pitches else 0.0)
    return lines


# --- Report ----------------------------------------------------------------------------------

def summary(result: CheckResult) -> str:
    """A few readable lines about one PDF."""
    def listed(items: list[str], limit: int = 5) -> str:
        more = f" (+{len(items) - limit} more)" if len(items) > limit else ""
        return "".join(f"\n      {item}" for item in items[:limit]) + more

    fonts = ", ".join(f"{f.name}{'' if f.embedded else ' (NOT embedded)'}" for f in result.fonts)
    verdict = "ok" if result.ok else "FAIL"
    if result.warnings:
        verdict += f" ({len(result.warnings)} warning{'s' if len(result.warnings) > 1 else ''})"
    return "\n".join([
        f"{result.path}: {verdict} — {result.pages} pages, body {result.body_size} pt, "
        f"{result.lines} lines",
        f"  flush: {result.flush_lines}/{result.justified_lines} justified lines "
        f"({result.flush_share:.1%}, target ≥ 99 %){listed(result.not_flush)}",
        f"  line-start violations: {len(result.line_start_violations)}"
        f"{listed(result.line_start_violations)}",
        f"  line-end violations: {len(result.line_end_violations)}"
        f"{listed(result.line_end_violations)}",
        f"  split units: {len(result.split_units)}{listed(result.split_units)}",
        f"  one-character last lines: {len(result.short_last_lines)}"
        f"{listed(result.short_last_lines)}",
        f"  widows/orphans: {len(result.widows_orphans)}{listed(result.widows_orphans)}",
        f"  first-line indent (em): {result.indents_em or 'none'} "
        f"({'consistent' if result.indent_consistent else 'INCONSISTENT'})",
        f"  line pitch: {result.pitch} pt ({'constant' if result.pitch_constant else 'varies'}"
        f": {result.pitches[:6]})",
        f"  looseness: max {result.looseness_max_em} em, p95 {result.looseness_p95_em} em, "
        f"{result.loose_lines} line(s) over {LOOSE} em",
        f"  captions, labels, headings, quotes: one-character last lines "
        f"{len(result.display_short_last_lines)}{listed(result.display_short_last_lines)}; "
        f"line-start {len(result.display_line_start_violations)}"
        f"{listed(result.display_line_start_violations)}; line-end "
        f"{len(result.display_line_end_violations)}{listed(result.display_line_end_violations)}",
        f"  column feet: {len(result.holes)} column(s) more than 2 lines short before the "
        f"last page{listed([f'page {f.page + 1}, column {f.column + 1}: {f.short} lines' for f in result.holes])}; "
        f"last page's columns {result.last_page_spread} lines apart"
        f"{listed(['WARNING ' + w for w in result.warnings])}",
        f"  fonts: {fonts or 'none'}",
    ])


def main(pdf_paths: list[Path], as_json: bool = False) -> int:
    """``paiban check``: measure each PDF, print, return 0 if all pass, 1 otherwise."""
    results = []
    for path in pdf_paths:
        try:
            results.append(measure(Path(path)))
        except OSError as error:  # missing, unreadable: one line, exit 1
            print(f"paiban: {path}: cannot measure: {error.strerror or error}", file=sys.stderr)
            return 1
        except Exception as error:  # not a PDF, or a damaged one
            print(f"paiban: {path}: cannot measure: not a readable PDF ({error})", file=sys.stderr)
            return 1
    if as_json:
        payload = []
        for result in results:
            data = asdict(result)
            data.pop("text")
            data["ok"] = result.ok
            data["warnings"] = result.warnings
            payload.append(data)
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print("\n\n".join(summary(result) for result in results))
    issues_ok = _issues(pdf_paths, as_json)
    return 0 if all(result.ok for result in results) and issues_ok else 1


def _issues(pdf_paths: list[Path], as_json: bool) -> bool:
    """An issue PDF is also measured as an issue (folios, contents, binding)."""
    from paiban.issue.check import check_issue

    ok = True
    for path in pdf_paths:
        issue = check_issue(Path(path))
        if issue is None:
            continue
        ok = ok and issue.ok
        if not as_json:
            print(f"\n{path}\n{issue.summary()}")
    return ok
