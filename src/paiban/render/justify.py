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
   CJK character, letter or digit that may start a line. Conversely a WORD JOINER is put before · ～ and ——,
   which must not start a line but which UAX #14 lets Pango put there. Both are default-ignorable:
   Pango shapes them as empty glyphs, which WeasyPrint draws as a bare position adjustment, so
   they never reach the PDF's text layer.

3. **No autospace at line edges.** The ¼ em margins that ``paiban.render.cjk`` puts on Latin
   runs next to Han (classes ``cjk-as-l``/``cjk-as-r``) are dropped when such a span opens or
   closes a line, before the line is aligned (clreq: no extra space at line edges).
4. **Punctuation compressed before spreading** (``paiban.render.squeeze``): a line that would
   be spread more than ``squeeze.SHRINK_FROM`` em per gap takes the next unit when the blanks of
   its punctuation (and half its autospaces) absorb the overflow; the compression is negative
   letter spacing per gap (``squeeze_values``), added to the justification's.
5. **Exact glyph positions in the PDF.** Two precision slips in WeasyPrint's
   ``draw_first_line`` (see ``_draw_first_line``) would leave justified lines up to
   0.4 pt short of the column edge; they are corrected.

How the spacing is computed: Pango gives each character half its letter spacing on either
side, so a per-character value is solved for that gives every gap its share (``multipliers``;
pure Chinese runs simply get one value). The widths this adds are computed, not measured, so
justification does no shaping; only a box whose unspaced run (a Latin word, a number, ——)
ends up split into several Pango items is measured once by Pango, since the split can lose
kerning. A debug switch, ``DEBUG_WIDTHS``, compares every computed width with Pango's.

Patched names (all restored by ``uninstall()``):
``weasyprint.layout.inline.justify_line`` (the spacing), ``weasyprint.layout.inline.text_align``
(the autospace trim, compressed lines), ``weasyprint.layout.inline.get_next_linebox``
(recompiled to break lines through ``squeeze.split_line``), ``weasyprint.text.line_break.Layout.set_text`` (re-applies a box's
spacing whenever WeasyPrint re-creates its Pango layout, as it does at drawing time),
``weasyprint.document.build_formatting_structure`` (the break marks) and
``weasyprint.draw.text.draw_first_line`` (recompiled from WeasyPrint's own source with the two
precision fixes). Box text after building may thus hold ZWSP/WJ that the DOM does not; string-set
and bookmark labels are computed before, and the PDF's text layer never shows them.
"""

from __future__ import annotations

import copy
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable

from paiban.render.patching import Patch, recompile

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


# Character classes for the justification scan, looked up per code point.
OTHER, SPACE, CJK, DOUBLED, IGNORABLE, JOINS = range(6)


@functools.cache
def _classes() -> bytes:
    """The class of every BMP code point, one byte each (built once, ~30 ms, on first use)."""
    table = bytearray(0x10000)  # OTHER
    for start, end in _CJK_RANGES:
        table[start:end + 1] = bytes([CJK]) * (end + 1 - start)
    for char in _CJK_AMBIGUOUS:
        table[ord(char)] = CJK
    for code in range(0x300, 0x10000):
        # Combining marks and variation selectors stay with their base character.
        if table[code] == OTHER and (unicodedata.combining(chr(code)) or 0xFE00 <= code <= 0xFE0F):
            table[code] = JOINS
    for char in _DOUBLED:
        table[ord(char)] = DOUBLED
    for char in _IGNORABLE:
        table[ord(char)] = IGNORABLE
    for char in _SPACES:
        table[ord(char)] = SPACE
    return bytes(table)


def char_class(char: str) -> int:
    code = ord(char)
    if code < 0x10000:
        return _classes()[code]
    if 0x20000 <= code < 0x40000:
        return CJK
    return JOINS if 0xE0100 <= code <= 0xE01EF else OTHER


def is_cjk(char: str) -> bool:
    """True for characters that are set on the CJK em grid (ideographs, kana, CJK punctuation)."""
    return char_class(char) in (CJK, DOUBLED)


def _weight(left: int, right: int) -> float:
    if left == SPACE or right == SPACE:
        return 0.5 * (left == SPACE) + 0.5 * (right == SPACE)
    return 1.0 if left in (CJK, DOUBLED) or right in (CJK, DOUBLED) else 0.0


# Boxes made only of these (all three bytes in UTF-8, all of class CJK) take a fast path.
_PURE_CJK = re.compile("[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
                       "\uff01-\uff60\u201c\u201d\u2018\u2019\u200b\u2060]+")

_CHUNKS = re.compile(f"(?P<cjk>{_PURE_CJK.pattern})|(?P<other>[^{_PURE_CJK.pattern[1:-2]}]+)")

# Gap weight by the classes of the two characters (the same DOUBLED character twice: 0).
_WEIGHTS = tuple(tuple(_weight(a, b) for b in range(6)) for a in range(6))


def gap_weight(left: str, right: str) -> float:
    """How many justification units the gap between two visible characters takes.

    A space is one unit, split half on each of its sides; a CJK gap is one unit; the inside of
    ——/…… and of Latin words or numbers is none.
    """
    if left == right and left in _DOUBLED:
        return 0.0
    return _WEIGHTS[char_class(left)][char_class(right)]


# --- Break opportunities (LB19 and line-start prohibitions) ----------------------------------

def _insert_marks(text: str, previous: str | None) -> str:
    """``text`` with ZWSP/WJ inserted; ``previous`` is the visible character before it."""
    out: list[str] = []
    for char in text:
        if previous is not None and previous not in _SPACES:
            if char in "“‘" and is_cjk(previous) and previous not in OPENING:
                out.append(ZWSP)
            elif previous in "”’" and (is_cjk(char) or char.isalnum()) and (
                    char not in NO_LINE_START):
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
    """A text box of the line: its clusters and the justification weight of its gaps."""
    box: object
    units: list[tuple[int, int]] = field(default_factory=list)  # byte range of each cluster
    visible: list[int] = field(default_factory=list)  # indexes of the non-ignorable clusters
    inner: list[float] = field(default_factory=list)  # weight after each visible cluster
    lead: float = 0.0  # weight of the gap between the previous box's text and this box's
    head_pad: float = 0.0  # spacing Pango leaves before the first visible cluster, pt
    tail_pad: float = 0.0  # spacing Pango leaves after the last visible cluster, pt
    values: list[int] = field(default_factory=list)  # Pango letter spacing per cluster
    added: float = 0.0  # width the spacing adds to the box, pt
    shaping: float = 0.0  # width change from splitting unspaced runs into Pango items, pt
    squeeze: list[float] = field(default_factory=list)  # pt taken from the gap after each
    # visible cluster (compressed punctuation, see paiban.render.squeeze); empty: none
    lead_squeeze: float = 0.0  # pt taken from the gap before the first visible cluster


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
    """Justification gaps of the line, or None when the line is not for CJK justification
    (no ideograph; right-to-left; CSS word-spacing, which this module does not combine with)."""
    if line.style["direction"] == "rtl":
        return None
    flat: list = []
    _leaves(line, flat)
    if not any(box is not None and _IDEOGRAPHIC.search(box.text) for box in flat):
        return None
    if any(box is not None and box.style["word_spacing"] for box in flat):
        return None
    classes = _classes()
    plan: list[_Leaf] = []
    previous: str | None = None  # last visible character of the line so far
    previous_class = OTHER
    for box in flat:
        if box is None:
            previous = None
            continue
        leaf = _Leaf(box)
        plan.append(leaf)
        if box.style["white_space"] not in ("normal", "nowrap", "pre-line"):
            previous = None  # preserved white space is never justified (as in WeasyPrint)
            continue
        position = 0
        for match in _CHUNKS.finditer(box.text):
            chunk = match.group()
            if match.lastgroup == "cjk":
                # Fast path (most of a Chinese column): three-byte CJK characters and ZWSP/WJ,
                # every gap between visible characters one unit.
                first = len(leaf.units)
                end = position + 3 * len(chunk)
                leaf.units.extend(zip(range(position, end, 3), range(position + 3, end + 3, 3)))
                position = end
                if ZWSP in chunk or WJ in chunk:
                    visible = [first + i for i, c in enumerate(chunk) if c not in _IGNORABLE]
                else:
                    visible = list(range(first, first + len(chunk)))
                if not visible:
                    continue
                weight = _WEIGHTS[previous_class][CJK] if previous is not None else 0.0
                if leaf.inner:
                    leaf.inner[-1] = weight
                else:
                    leaf.lead = weight
                leaf.inner.extend([1.0] * (len(visible) - 1))
                leaf.inner.append(0.0)
                leaf.visible.extend(visible)
                previous, previous_class = chunk[visible[-1] - first], CJK
                continue
            for char in chunk:
                code = ord(char)
                size = 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
                kind = classes[code] if code < 0x10000 else char_class(char)
                if kind == JOINS and leaf.units:
                    leaf.units[-1] = (leaf.units[-1][0], position + size)
                else:
                    if kind != IGNORABLE:
                        if previous is None:
                            weight = 0.0
                        elif kind == DOUBLED and char == previous:
                            weight = 0.0
                        else:
                            weight = _WEIGHTS[previous_class][kind]
                        if leaf.inner:
                            leaf.inner[-1] = weight
                        else:
                            leaf.lead = weight
                        leaf.inner.append(0.0)
                        leaf.visible.append(len(leaf.units))
                        previous, previous_class = char, kind
                    leaf.units.append((position, position + size))
                position += size
    return plan


def multipliers(inner: list[float]) -> list[int] | None:
    """Letter spacing per cluster, in multiples of the spacing, so that the gap after
    cluster i grows by ``inner[i]`` spacings; None when every cluster gets exactly one.

    Pango adds half a cluster's letter spacing on each side of it (and trims the outer halves
    at the ends of the layout), so the gap after cluster i grows by (L[i] + L[i+1]) / 2. That
    fixes every value but the first, which is chosen so that the most clusters get the same
    value: equal values merge into one Pango item, which keeps shaping whole and fast.
    Weights are multiples of ½, so the values are whole multiples of the spacing.
    """
    count = len(inner)
    if count <= 1 or inner.count(1.0) >= count - 1:  # the last weight is always 0
        return None  # pure CJK run: the common case
    # With a first value of 0, value i is k[i]; with a first value of f it is k[i] + f for
    # even i and k[i] − f for odd i. The f making most values 1 wins.
    steps = [0] * count
    k = 0
    for i in range(count - 1):
        k = int(inner[i] * 2) - k
        steps[i + 1] = k
    even, odd = steps[::2], steps[1::2]
    candidates = [1 - k for k in even] + [k - 1 for k in odd]
    first = max(set(candidates), key=candidates.count)  # few distinct values: C-level counts
    values = [0] * count
    values[::2] = [k + first for k in even]
    values[1::2] = [k - first for k in odd]
    return values


def letter_spacings(inner: list[float], spacing: float) -> list[float]:
    """Per-cluster letter spacing giving the gap after cluster i ``inner[i] × spacing``
    (see ``multipliers``)."""
    factors = multipliers(inner)
    if factors is None:
        return [spacing if len(inner) > 1 else 0.0] * len(inner)
    return [factor * spacing for factor in factors]


def _halves(value: int) -> tuple[int, int]:
    """Pango's split of a letter spacing into the parts before and after a cluster
    (``distribute_letter_spacing`` in pango-layout.c, C division truncating towards zero)."""
    left = int(value / 2)
    if value % 1024 == 0:  # whole pixels are kept whole (PANGO_UNITS_ROUND)
        left = (left + 512) & ~1023
    return left, value - left


def squeeze_values(squeeze: list[int]) -> list[int]:
    """Letter spacing per cluster (Pango units) that takes ``squeeze[i]`` from the gap after
    cluster i and leaves the other gaps alone.

    As in ``multipliers``, the gap after cluster i changes by (L[i] + L[i+1]) / 2, so the
    values after a squeezed gap alternate between −2q and +2q (the mark's glyph stays, the
    characters after it move back by q). The first value is chosen so that the most values
    are 0: the alternation then runs on the shorter side of the marks.
    """
    count = len(squeeze)
    steps = [0] * count
    for i in range(count - 1):
        steps[i + 1] = -2 * squeeze[i] - steps[i]
    candidates = [-k for k in steps[::2]] + steps[1::2]
    first = max(sorted(set(candidates)), key=lambda c: (candidates.count(c), -abs(c)))
    return [k + first if i % 2 == 0 else k - first for i, k in enumerate(steps)]


def _pango_values(leaf: _Leaf, spacing: float, base: float, to_units: float) -> list[int]:
    """Letter spacing per cluster in Pango units; ignorable clusters get none (Pango would
    mishandle a negative spacing on their empty glyph)."""
    base_units = round(base * to_units)
    factors = multipliers(leaf.inner)
    if any(leaf.squeeze):
        # Compressed punctuation: the squeeze's values added to the spacing's, per cluster.
        squeezed = squeeze_values([round(q * to_units) for q in leaf.squeeze])
        factors = factors or [1 if len(leaf.inner) > 1 else 0] * len(leaf.inner)
        # A cluster of one em set to exactly zero width would be taken by Pango for a trimmed
        # space at the line end (adjust_line_letter_spacing), which moves its neighbours.
        zero = -round(leaf.box.style["font_size"] * to_units)
        values = [base_units] * len(leaf.units)
        for index, factor, extra in zip(leaf.visible, factors, squeezed):
            value = round((factor * spacing + base) * to_units) + extra
            values[index] = value + 1 if value == zero else value
        return values
    if factors is None:
        spaced = round((spacing + base) * to_units) if len(leaf.inner) > 1 else base_units
        if len(leaf.visible) == len(leaf.units):
            return [spaced] * len(leaf.units)
        factors = [1] * len(leaf.visible)
        table = {1: spaced}
    else:
        table = {k: round((k * spacing + base) * to_units) for k in set(factors)}
    values = [base_units] * len(leaf.units)
    for index, factor in zip(leaf.visible, factors):
        values[index] = table[factor]
    return values


def _ranges(units: list[tuple[int, int]], values: list[int]) -> tuple[tuple[int, int, int], ...]:
    """Merge neighbouring clusters of equal spacing into (start byte, end byte, value)."""
    if values.count(values[0]) == len(values):
        return ((units[0][0], units[-1][1], values[0]),)  # one value: the common case
    ranges: list[list[int]] = []
    for (start, end), value in zip(units, values):
        if ranges and ranges[-1][2] == value:
            ranges[-1][1] = end
        else:
            ranges.append([start, end, value])
    return tuple(tuple(r) for r in ranges)


def _added_width(values: list[int]) -> int:
    """Width in Pango units that ``values`` add to a one-line layout: every cluster's spacing,
    less the halves Pango trims at the two ends of the line."""
    return sum(values) - _halves(values[0])[0] - _halves(values[-1])[1]


DEBUG_WIDTHS = False  # tests set it to compare each computed width with Pango's


def _pango_width(context, box, spacing: tuple) -> float:
    """Width of ``box``'s text laid out by Pango with the letter ``spacing`` ranges."""
    from weasyprint.layout import inline
    from weasyprint.text.line_break import line_size

    layout = inline.create_layout(box.text, box.style, context, None, 0)
    layout.paiban_spacing = spacing
    layout.set_text(box.text, justify=True)
    width, _ = line_size(layout.get_first_line()[0], box.style)
    layout.deactivate()
    return width


def _check_width(context, box, layout, added: float) -> None:
    """Debugging aid: compare the computed added width with Pango's for the spaced layout."""
    spaced = _pango_width(context, box, layout.paiban_spacing)
    assert abs(spaced - box.width - added) < 1e-3, (box.text, spaced - box.width, added)


# Width change from splitting a box's unspaced runs into items, by (text, item boundaries,
# font): column balancing lays the same lines out several times, so it is asked for again.
_SHAPING: dict[tuple, float] = {}


def _shaping_change(context, leaf: _Leaf) -> float:
    """How much wider Pango sets the box of ``leaf`` when split into the items of its spacing
    than in one piece (kerning lost at item boundaries), in pt."""
    from weasyprint.text.line_break import _font_style_cache_key

    box = leaf.box
    ranges = _ranges(leaf.units, leaf.values)
    key = (box.text, tuple(end for _, end, _ in ranges), box.style["font_kerning"],
           box.style["letter_spacing"], _font_style_cache_key(box.style, include_size=True))
    if key not in _SHAPING:
        if len(_SHAPING) > 20000:
            _SHAPING.clear()
        _SHAPING[key] = _pango_width(context, box, (box.text, ranges)) - box.width - leaf.added
    return _SHAPING[key]


def _prepare(leaf: _Leaf, spacing: float, to_units: float) -> None:
    """Work out the letter spacing of a box (``values``), the width it adds and the Pango
    spacing left at its edges when it starts or ends with an ignorable cluster."""
    box = leaf.box
    letter = box.style["letter_spacing"]
    base = 0.0 if letter == "normal" else letter
    values = _pango_values(leaf, spacing, base, to_units)
    base_units = round(base * to_units)
    extra = [value - base_units for value in values] if base_units else values
    leaf.values = values
    leaf.added = _added_width(extra) / to_units + leaf.shaping
    first, last = leaf.visible[0], leaf.visible[-1]
    leaf.head_pad = _halves(extra[first])[0] / to_units if first > 0 else 0.0
    leaf.tail_pad = _halves(extra[last])[1] / to_units if last < len(values) - 1 else 0.0


def _apply(context, leaf: _Leaf) -> None:
    """Give the box of ``leaf`` its spaced layout and width."""
    box = leaf.box
    # The Pango layout is re-created from its text at drawing time (``reactivate``): a copy
    # of the inactive layout carrying the spacing is all the box needs, no shaping here.
    layout = copy.copy(box.pango_layout)
    layout.paiban_spacing = (box.text, _ranges(leaf.units, leaf.values))
    layout.justification_spacing = 0
    if DEBUG_WIDTHS:
        _check_width(context, box, layout, leaf.added)
    box.pango_layout = layout
    box.justification_spacing = 0
    box.width += leaf.added


def _trailing(plan: list[_Leaf]) -> float:
    """The letter spacing after a line's last character, and on the default-ignorable break
    marks after it: blank (CSS puts it after every character), so the line is justified as if
    it were not there and the character ends at the measure's edge (a paragraph set looser or
    tighter by the make-up pass, base.css)."""
    total = 0.0
    for leaf in reversed(plan):
        spacing = leaf.box.style["letter_spacing"]
        spacing = 0.0 if spacing == "normal" else spacing
        if leaf.visible:
            return total + spacing * (len(leaf.units) - leaf.visible[-1])
        total += spacing * len(leaf.units)
    return 0.0


def _justify_cjk_line(context, line, extra_width: float, plan: list[_Leaf],
                      cuts: dict[int, tuple[float, float]] | None = None) -> bool:
    """Spread ``extra_width`` over the gaps of ``plan``; False when there is no gap.
    ``cuts``: by ``id`` of an inline box, how much to take from its (left, right) margin."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.text.ffi import TO_UNITS

    total = sum(leaf.lead + sum(leaf.inner) for leaf in plan)
    if total <= 0:
        return False
    spacing = extra_width / total
    spaced = [leaf for leaf in plan if any(leaf.inner) or any(leaf.squeeze)]
    for leaf in spaced:
        if 0.0 in leaf.inner[:-1] or any(leaf.squeeze):
            # An unspaced run (Latin word, number, ——) may get alternating values, which split
            # it into several Pango items and so lose its kerning; Pango measures the change,
            # which does not depend on the spacing, and the spacing is worked out again.
            _prepare(leaf, spacing, TO_UNITS)
            leaf.shaping = _shaping_change(context, leaf)
    shaping = sum(leaf.shaping for leaf in spaced)
    if shaping:
        spacing = (extra_width - shaping) / total
    for leaf in spaced:
        _prepare(leaf, spacing, TO_UNITS)
    by_box = {id(leaf.box): leaf for leaf in plan}
    started: set[int] = set()
    previous: list[_Leaf | None] = [None]  # last text box with visible text, in line order

    def first_leaf(box) -> _Leaf | None:
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
            if leaf is not None and leaf.values:
                _apply(context, leaf)
                x_advance += leaf.added
            if leaf is not None and leaf.visible:
                previous[0] = leaf
            return x_advance
        if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            box.position_x += x_advance
            left, right = cuts.get(id(box), (0.0, 0.0)) if cuts else (0.0, 0.0)
            if left:
                box.margin_left -= left
                x_advance -= left
            before = x_advance
            for child in box.children:
                if not child.is_in_normal_flow():
                    continue
                leaf = first_leaf(child)
                if leaf is not None and id(leaf) not in started:
                    # The gap before a box is made by moving the box (with a span's margin),
                    # less the Pango spacing left at edges next to a ZWSP or WJ.
                    started.add(id(leaf))
                    x_advance += leaf.lead * spacing - leaf.head_pad - leaf.lead_squeeze
                    if previous[0] is not None:
                        x_advance -= previous[0].tail_pad
                x_advance = walk(child, x_advance)
            box.width += x_advance - before
            if right:
                box.margin_right -= right
            return x_advance - right
        box.translate(x_advance, 0)
        previous[0] = None
        return x_advance

    walk(line, 0)
    return True


# --- Autospace margins at line edges ---------------------------------------------------------

# Classes of the spans that paiban.render.cjk puts around Latin runs for the ¼ em next to Han.
AUTOSPACE_LEFT, AUTOSPACE_RIGHT = "cjk-as-l", "cjk-as-r"


def _has_class(box, name: str) -> bool:
    element = getattr(box, "element", None)
    if element is None or box.element_tag.count("::"):
        return False
    return name in (element.get("class") or "").split()


def _edge_chain(line, last: bool) -> list:
    """The inline boxes that open (or, with ``last``, close) the line, outermost first."""
    from weasyprint.formatting_structure import boxes

    chain = []
    box = line
    while True:
        children = [c for c in box.children if c.is_in_normal_flow()]
        if not children:
            return chain
        box = children[-1] if last else children[0]
        if not isinstance(box, boxes.InlineBox):
            return chain
        chain.append(box)


def trim_autospace(line) -> float:
    """Drop the ¼ em autospace margins at the start and end of ``line`` (clreq: no extra space
    at line edges); return the width given back to the line."""
    if line.style["direction"] == "rtl":
        return 0.0
    given = 0.0
    chain = _edge_chain(line, last=False)
    for depth, box in enumerate(chain):
        margin = box.margin_left
        if margin and _has_class(box, AUTOSPACE_LEFT):
            for child in line.children:
                child.translate(dx=-margin)
            for outer in chain[:depth + 1]:
                outer.position_x += margin  # margin edges stay at the line start
            for outer in chain[:depth]:
                outer.width -= margin
            box.margin_left = 0
            given += margin
    chain = _edge_chain(line, last=True)
    for depth, box in enumerate(chain):
        margin = box.margin_right
        if margin and _has_class(box, AUTOSPACE_RIGHT):
            for outer in chain[:depth]:
                outer.width -= margin
            box.margin_right = 0
            given += margin
    line.width -= given
    return given


# --- Drawing precision -----------------------------------------------------------------------

# (WeasyPrint's expression, paiban's replacement) in draw_first_line.
_DRAW_FIXES = (
    ("f'>{int(kerning)}<'", "f'>{_paiban_tj(kerning)}<'"),
    ("offset = glyph_info.geometry.x_offset / font_size",
     "offset = glyph_info.geometry.x_offset * 1000 * FROM_UNITS / font_size"),
)


def _tj(kerning: float) -> str:
    """A TJ adjustment in thousandths of an em, to 1/100 000 em (integers stay integers)."""
    value = round(kerning, 2)
    return str(int(value)) if value == int(value) else str(value)


def _draw_first_line() -> Callable:
    """``draw.text.draw_first_line`` recompiled with two precision fixes for spaced glyphs.

    1. WeasyPrint writes each glyph's advance correction as ``int(kerning)`` (1/1000 em,
       truncated towards zero). Letter spacing is rarely a whole number of those units, so
       every spaced glyph loses up to 0.01 pt at 10 pt, and a justified line of 40 glyphs ends
       up to 0.4 pt short of the column edge. It is now rounded to 1/100 000 em.
    2. A glyph's x offset (where Pango puts the half of the letter spacing that goes before
       the glyph) is converted with ``x_offset / font_size``, which misses the Pango-unit
       factor (1000/1024): spaced glyphs were drawn 2.4 % of that half too far right, so the
       last glyph of a justified line overshot the column by up to 0.04 pt. The advance that
       follows compensates, so nothing else moves.

    Only those two expressions change; the rest is WeasyPrint's own source. (svg/text.py
    imports the function when it draws SVG text, so it gets the patched one too.)
    """
    from weasyprint.draw import text as draw_text

    return recompile(draw_text.draw_first_line, _DRAW_FIXES, __name__, {"_paiban_tj": _tj})


# --- Installation ----------------------------------------------------------------------------

def _install_into(patch: Patch) -> None:
    """Replace WeasyPrint's justification and line-fitting functions with this module's."""
    from weasyprint import document
    from weasyprint.draw import text as draw_text
    from weasyprint.layout import inline
    from weasyprint.text import line_break
    from weasyprint.text.ffi import ffi, pango

    from paiban.render import squeeze

    original_justify = inline.justify_line
    original_text_align = inline.text_align
    original_set_text = line_break.Layout.set_text
    original_build = document.build_formatting_structure

    def justify_line(context, line, extra_width):
        plan = _plan(line)
        if plan is None or not _justify_cjk_line(context, line, extra_width + _trailing(plan),
                                                 plan):
            original_justify(context, line, extra_width)

    def text_align(context, line, available_width, last):
        trim_autospace(line)
        if (getattr(line, "paiban_squeeze", None) and line.width > available_width
                and squeeze.squeeze_line(context, line, available_width, _justify_cjk_line)):
            return 0
        return original_text_align(context, line, available_width, last)

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

    def build_formatting_structure(*args, **kwargs):
        root = original_build(*args, **kwargs)
        _mark_break_opportunities(root, [None])
        return root

    patch.set(draw_text, "draw_first_line", _draw_first_line())
    patch.set(inline, "get_next_linebox", recompile(
        inline.get_next_linebox,
        [("float_width) = split_inline_box(", "float_width) = _paiban_split_line("),
         ("linebox.width, linebox.height = line.width, line.height",
          "linebox.width, linebox.height = _paiban_fitted_width(line), line.height")],
        __name__, {"_paiban_split_line": squeeze.split_line,
                   "_paiban_fitted_width": squeeze.fitted_width}))
    patch.set(inline, "justify_line", justify_line)
    patch.set(inline, "text_align", text_align)
    patch.set(line_break.Layout, "set_text", set_text)
    patch.set(document, "build_formatting_structure", build_formatting_structure)


_PATCH = Patch(__name__, _install_into)
install, uninstall, installed = _PATCH.install, _PATCH.uninstall, _PATCH.installed
