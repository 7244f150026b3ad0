"""Chinese typography inside WeasyPrint 70.0: inter-character justification and line breaks.

In: nothing at import time. ``install()`` monkeypatches the installed WeasyPrint (it must be
exactly version 70.0, the version this module was written against; any other version raises
``RuntimeError``). It is idempotent and must run before the first document is rendered.
Out: from then on, every WeasyPrint document in the process gets:

1. **Inter-character justification.** WeasyPrint's ``text-align: justify`` only widens U+0020
   and U+00A0, so Chinese lines stay ragged. ``inline.justify_line`` is replaced: on a line that
   holds CJK characters the leftover width is spread evenly over every *justification gap* —
   a gap between two adjacent characters at least one of which is CJK (Han, kana, hangul, CJK
   and full-width punctuation, “”‘’—…·), never the gap inside ——, …… or between Latin
   letters or digits; a space counts as one gap as in WeasyPrint. Gaps inside a text box are
   widened with Pango letter-spacing attributes (the mechanism WeasyPrint itself uses for word
   spacing, see ``Layout.set_text``); gaps between two text boxes are widened by shifting the
   later box. The text is not changed, so text extracted from the PDF stays exact. Lines
   without CJK characters keep WeasyPrint's own behaviour. The last line of a paragraph is not
   justified (WeasyPrint's ``text-align-last: auto`` logic is left alone).
2. **Chinese line-break opportunities.** Pango follows UAX #14 LB19, which forbids breaks on
   either side of the ambiguous quotation marks “ ” ‘ ’. In Chinese “ ‘ always open and ” ’
   always close, so after the box tree is built (``document.build_formatting_structure``) a
   ZERO WIDTH SPACE is put into the *box* text (never into the HTML) before an opening quote
   that follows a CJK character or closing mark, and after a closing quote that is followed by a
   CJK character that may start a line. Conversely a WORD JOINER is put before · ～ and ——,
   which must not start a line but which UAX #14 lets Pango put there. Both are default-ignorable:
   Pango shapes them as empty glyphs, which WeasyPrint draws as a bare position adjustment, so
   they never reach the PDF's text layer.

Patched names: ``weasyprint.layout.inline.justify_line``,
``weasyprint.text.line_break.Layout.set_text`` (re-applies the per-character spacing whenever
WeasyPrint re-creates the Pango layout, e.g. at drawing time) and
``weasyprint.document.build_formatting_structure``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Iterator

WEASYPRINT_VERSION = "70.0"

ZWSP = "\u200b"  # break opportunity, zero width, default-ignorable
WJ = "\u2060"  # word joiner: forbids a break, zero width, default-ignorable
_IGNORABLE = frozenset(ZWSP + WJ + "\u00ad\u200c\u200d")
_SPACES = frozenset(" \u00a0")
# Pairs that form one unit: no break (Pango already) and no justification space inside.
_DOUBLED = frozenset("\u2014\u2026\u2e3a\u2e3b")
# Characters treated as full-width in a CJK line although Unicode calls them ambiguous.
_CJK_AMBIGUOUS = "\u00b7\u2014\u2018\u2019\u201c\u201d\u2026\u2e3a\u2e3b"
OPENING = frozenset("（《「『【〈〔［｛“‘")
# May not start a line (clreq); used to avoid offering a break before them.
NO_LINE_START = frozenset("、，。．：；！？）》」』】〉〕］｝”’·～\u2014\u2026")
_NEEDS_JOINER = frozenset("·～\u2014")

_CJK_RANGES = (
    (0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3040, 0x30FF), (0x3100, 0x312F),
    (0x3190, 0x31FF), (0x3200, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFE10, 0xFE1F), (0xFE30, 0xFE4F),
    (0xFF00, 0xFF60), (0xFFE0, 0xFFEF),
)
# Ideographs and kana only: a line must hold one of these to be justified the CJK way.
_IDEOGRAPHIC = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003ffff]")


def _build_table() -> bytearray:
    table = bytearray(0x10000)
    for start, end in _CJK_RANGES:
        table[start:end + 1] = b"\x01" * (end + 1 - start)
    for char in _CJK_AMBIGUOUS:
        table[ord(char)] = 1
    return table


_CJK_TABLE = _build_table()


def is_cjk(char: str) -> bool:
    """True for characters that are set on the CJK em grid (ideographs, kana, CJK punctuation)."""
    code = ord(char)
    return bool(_CJK_TABLE[code]) if code < 0x10000 else 0x20000 <= code < 0x40000


def gap_weight(left: str, right: str) -> float:
    """How many justification units the gap between two visible characters takes.

    A space is one unit, split half on each of its sides; a CJK gap is one unit; the inside of
    ——/…… and of Latin words or numbers is none.
    """
    if left in _SPACES or right in _SPACES:
        return 0.5 * (left in _SPACES) + 0.5 * (right in _SPACES)
    if left == right and left in _DOUBLED:
        return 0.0
    if is_cjk(left) or is_cjk(right):
        return 1.0
    return 0.0


# --- Break opportunities (LB19 and line-start prohibitions) ----------------------------------

def _insert_marks(text: str, previous: str | None) -> str:
    """``text`` with ZWSP/WJ inserted; ``previous`` is the visible character before it."""
    out: list[str] = []
    for char in text:
        if previous is not None and previous not in _SPACES:
            if char in "“‘" and is_cjk(previous) and previous not in OPENING:
                out.append(ZWSP)
            elif previous in "”’" and is_cjk(char) and char not in NO_LINE_START:
                out.append(ZWSP)
            elif char in _NEEDS_JOINER and not (char == previous == "\u2014"):
                out.append(WJ)
        out.append(char)
        if char not in _IGNORABLE:
            previous = char
    return "".join(out)


def _mark_break_opportunities(box, previous: list) -> None:
    """Walk the box tree in document order, fixing text boxes; ``previous`` holds the last
    visible character of the current inline formatting context (reset at block boundaries)."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        text = box.text
        if text and (_IDEOGRAPHIC.search(text) or (previous[0] and is_cjk(previous[0]))):
            box.text = _insert_marks(text, previous[0])
        visible = [c for c in text if c not in _IGNORABLE]
        if visible:
            previous[0] = visible[-1]
    elif isinstance(box, boxes.InlineBox):
        for child in box.children:
            _mark_break_opportunities(child, previous)
    elif isinstance(box, boxes.ParentBox):
        previous[0] = None
        for child in box.children:
            _mark_break_opportunities(child, [None])
        previous[0] = None
    else:
        previous[0] = None


# --- Justification ---------------------------------------------------------------------------

@dataclass(slots=True)
class _Leaf:
    """A text box of the line with the justification units of its inner gaps."""
    box: object
    units: list[tuple[int, int]] = field(default_factory=list)  # byte ranges of clusters
    inner: list[float] = field(default_factory=list)  # weight of the gap after each cluster
    lead: float = 0.0  # weight of the gap before the box (with the previous text box)


def _clusters(text: str) -> Iterator[tuple[int, int, str]]:
    """(byte start, byte end, base character) per cluster; ignorables are their own clusters."""
    position = 0
    start = 0
    base: str | None = None
    for char in text:
        size = len(char.encode())
        joins = base is not None and base not in _IGNORABLE and (
            unicodedata.combining(char) or "\ufe00" <= char <= "\ufe0f"
            or "\U000e0100" <= char <= "\U000e01ef")
        if not joins:
            if base is not None:
                yield start, position, base
            start, base = position, char
        position += size
    if base is not None:
        yield start, position, base


def _leaves(box, out: list) -> None:
    """Text boxes and atomic boxes of a line, in order (None stands for an atomic box)."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        out.append(box)
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                _leaves(child, out)
    else:
        out.append(None)


def _plan(line) -> list[_Leaf] | None:
    """Justification units of the line, or None when the line is not for CJK justification."""
    flat: list = []
    _leaves(line, flat)
    if not any(box is not None and _IDEOGRAPHIC.search(box.text) for box in flat):
        return None
    plan: list[_Leaf] = []
    previous: str | None = None  # last visible character
    # Sub-gaps since the last visible character: (leaf, index), index -1 being the gap before
    # the leaf. A gap spanning ZWSP/WJ clusters is shared equally between its sub-gaps, so that
    # the zero-width cluster sits in the middle and uniform spacing stays uniform.
    pending: list[tuple[_Leaf, int]] = []
    for box in flat:
        if box is None:
            previous, pending = None, []
            continue
        leaf = _Leaf(box)
        plan.append(leaf)
        if box.style["white_space"] not in ("normal", "nowrap", "pre-line"):
            previous, pending = None, []
            continue
        pending.append((leaf, -1))
        for start, end, base in _clusters(box.text):
            if base not in _IGNORABLE:
                weight = gap_weight(previous, base) if previous is not None else 0.0
                for owner, index in pending:
                    share = weight / len(pending)
                    if index < 0:
                        owner.lead = share
                    else:
                        owner.inner[index] = share
                pending = []
                previous = base
            leaf.units.append((start, end))
            leaf.inner.append(0.0)
            pending.append((leaf, len(leaf.inner) - 1))
    return plan


def letter_spacings(inner: list[float], spacing: float) -> list[float]:
    """Per-cluster Pango letter spacing giving each inner gap ``weight × spacing``.

    Pango adds half a cluster's letter spacing on each side of it (and trims the outer halves
    at the ends of the layout), so the gap after cluster i grows by (L[i] + L[i+1]) / 2. That
    fixes every value but the first, which is chosen so that the most clusters get the same
    value: equal values merge into one Pango item, which keeps shaping whole and fast.
    """
    if not inner:
        return []
    offsets = [0.0]  # values for a first value of 0; value i is offsets[i] + (-1)**i * first
    for weight in inner[:-1]:
        offsets.append(2 * spacing * weight - offsets[-1])
    votes: dict[float, int] = {}
    for i, offset in enumerate(offsets):
        candidate = round((spacing - offset) * (-1) ** i, 9)
        votes[candidate] = votes.get(candidate, 0) + 1
    first = max(votes, key=votes.__getitem__)
    return [offset + (-1) ** i * first for i, offset in enumerate(offsets)]


def _spacing_ranges(units: list[tuple[int, int]], values: list[float], base: float,
                    to_units: float) -> tuple[tuple[int, int, int], ...]:
    """Merge clusters of equal spacing into (start byte, end byte, Pango units) ranges."""
    ranges: list[list[int]] = []
    for (start, end), value in zip(units, values):
        pango_value = round((value + base) * to_units)
        if ranges and ranges[-1][2] == pango_value and ranges[-1][1] == start:
            ranges[-1][1] = end
        else:
            ranges.append([start, end, pango_value])
    return tuple(tuple(r) for r in ranges)


def _relayout(context, box, ranges, inline) -> float:
    """Give ``box`` a Pango layout with the spacing ``ranges``; return its new width."""
    from weasyprint.text.line_break import line_size

    layout = inline.create_layout(
        box.text, box.style, context, max_width=None, justification_spacing=0)
    layout.paiban_spacing = (box.text, ranges)
    layout.set_text(box.text, justify=True)
    first_line, _ = layout.get_first_line()
    width, _ = line_size(first_line, box.style)
    layout.deactivate()
    box.pango_layout = layout
    box.justification_spacing = 0
    return width


def _justify_cjk_line(context, line, extra_width: float, plan: list[_Leaf]) -> bool:
    """Spread ``extra_width`` over the gaps of ``plan``; False when there is no gap."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline
    from weasyprint.text.ffi import TO_UNITS

    total = sum(leaf.lead + sum(leaf.inner) for leaf in plan)
    if total <= 0:
        return False
    spacing = extra_width / total
    by_box = {id(leaf.box): leaf for leaf in plan}
    first_leaf: dict[int, _Leaf] = {}

    def first_text_leaf(box) -> _Leaf | None:
        while isinstance(box, boxes.InlineBox):
            children = [c for c in box.children if c.is_in_normal_flow()]
            if not children:
                return None
            box = children[0]
        return by_box.get(id(box))

    def walk(box, x_advance: float) -> float:
        if isinstance(box, boxes.TextBox):
            box.position_x += x_advance
            leaf = by_box.get(id(box))
            if leaf is not None and any(leaf.inner):
                letter = box.style["letter_spacing"]
                base = 0 if letter == "normal" else letter
                values = letter_spacings(leaf.inner, spacing)
                ranges = _spacing_ranges(leaf.units, values, base, TO_UNITS)
                width = _relayout(context, box, ranges, inline)
                x_advance += width - box.width
                box.width = width
            return x_advance
        if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            box.position_x += x_advance
            before = x_advance
            for child in box.children:
                if not child.is_in_normal_flow():
                    continue
                leaf = first_text_leaf(child)
                if leaf is not None and id(leaf) not in first_leaf and leaf.lead:
                    # The gap before a box belongs outside it (before a span's margin).
                    first_leaf[id(leaf)] = leaf
                    x_advance += leaf.lead * spacing
                x_advance = walk(child, x_advance)
            box.width += x_advance - before
            return x_advance
        box.translate(x_advance, 0)
        return x_advance

    walk(line, 0)
    return True


# --- Drawing precision -----------------------------------------------------------------------

_KERNING_OLD = "f'>{int(kerning)}<'"
_KERNING_NEW = "f'>{_paiban_tj(kerning)}<'"


def _tj(kerning: float) -> str:
    """A TJ adjustment in thousandths of an em, to 1/100 000 em (integers stay integers)."""
    value = round(kerning, 2)
    return str(int(value)) if value == int(value) else str(value)


def _patch_draw_first_line() -> Callable:
    """Recompile ``draw.text.draw_first_line`` with the glyph adjustment rounded, not truncated.

    WeasyPrint writes each glyph's advance correction as ``int(kerning)`` (1/1000 em,
    truncated towards zero). Letter spacing is rarely a whole number of those units, so every
    spaced glyph loses up to 0.01 pt at 10 pt, and a justified line of 40 glyphs ends up to
    0.4 pt short of the column edge. Only that expression changes; the rest of the function is
    WeasyPrint's own source. Returns the original function.
    """
    import inspect
    import textwrap

    from weasyprint.draw import text as draw_text

    original = draw_text.draw_first_line
    source = textwrap.dedent(inspect.getsource(original))
    if source.count(_KERNING_OLD) != 1:
        raise RuntimeError("paiban.render.justify: draw_first_line is not the expected source")
    code = compile(source.replace(_KERNING_OLD, _KERNING_NEW), draw_text.__file__, "exec")
    draw_text._paiban_tj = _tj
    exec(code, draw_text.__dict__)  # defines the new draw_first_line in WeasyPrint's module
    return original


# --- Installation ----------------------------------------------------------------------------

_ORIGINALS: dict[str, Callable] = {}


def installed() -> bool:
    """True once ``install()`` has patched WeasyPrint in this process."""
    return bool(_ORIGINALS)


def install() -> None:
    """Patch WeasyPrint 70.0 (idempotent). Raises RuntimeError for any other version."""
    if _ORIGINALS:
        return
    import weasyprint
    from weasyprint import document
    from weasyprint.layout import inline
    from weasyprint.text import line_break
    from weasyprint.text.ffi import ffi, pango

    if weasyprint.__version__ != WEASYPRINT_VERSION:
        raise RuntimeError(
            f"paiban.render.justify patches WeasyPrint {WEASYPRINT_VERSION}, "
            f"found {weasyprint.__version__}: review the patch against the new source")

    original_justify = inline.justify_line
    original_set_text = line_break.Layout.set_text
    original_build = document.build_formatting_structure

    def justify_line(context, line, extra_width):
        plan = _plan(line)
        if plan is None or not _justify_cjk_line(context, line, extra_width, plan):
            original_justify(context, line, extra_width)

    def set_text(self, text, justify=False):
        original_set_text(self, text, justify)
        spacing = getattr(self, "paiban_spacing", None)
        if not (justify and spacing and spacing[0] == self.text):
            return
        attr_list = pango.pango_layout_get_attributes(self.layout)
        if attr_list == ffi.NULL:
            attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
        for start, end, value in spacing[1]:
            attr = pango.pango_attr_letter_spacing_new(value)
            attr.start_index, attr.end_index = start, end
            pango.pango_attr_list_change(attr_list, attr)
        pango.pango_layout_set_attributes(self.layout, attr_list)

    original_draw = _patch_draw_first_line()

    def build_formatting_structure(*args, **kwargs):
        root = original_build(*args, **kwargs)
        _mark_break_opportunities(root, [None])
        return root

    _ORIGINALS.update(justify_line=original_justify, set_text=original_set_text,
                      build=original_build, draw=original_draw)
    inline.justify_line = justify_line
    line_break.Layout.set_text = set_text
    document.build_formatting_structure = build_formatting_structure


def uninstall() -> None:
    """Undo ``install()`` (for tests that compare against plain WeasyPrint)."""
    if not _ORIGINALS:
        return
    from weasyprint import document
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    inline.justify_line = _ORIGINALS["justify_line"]
    line_break.Layout.set_text = _ORIGINALS["set_text"]
    document.build_formatting_structure = _ORIGINALS["build"]
    from weasyprint.draw import text as draw_text
    draw_text.draw_first_line = _ORIGINALS["draw"]
    _ORIGINALS.clear()
