"""Punctuation compression before spreading (clreq 3.1.6, jlreq 追い込み) in WeasyPrint 70.0.

In: WeasyPrint's line boxes while it lays out a paragraph (``paiban.render.justify`` installs
``split_line`` in ``inline.get_next_linebox`` and calls ``squeeze_line`` from its
``text_align``).
Out: a justified CJK line that would be spread more than ``SHRINK_FROM`` em per gap (it broke
early: the next unit is a mark that may not start a line, a number and its unit, a Latin word)
takes that unit instead when the overflow fits in the line's *compressible blanks*:

- the blank half of a closing mark at the line end, which then hangs past the column edge
  (clreq: 行尾点号可以半角): ½ em, or ¼ em for the centred 。，、；：！？ of TC/HK faces;
- the blanks of full-width marks inside the line that are not already halved by ``cjk-halt``:
  after a closing mark, before an opening one, with the same limits;
- half of each ¼ em autospace margin between Han and a Latin or digit run inside the line
  (typography.md allows ⅛–¼ em there).

The line-end blank is used first, whole; what is still missing is taken from the mid-line
blanks in proportion to their size, so no mark loses more than its blank, and what is left
over is spread as before. Inside ——/…… nothing is compressed (they are not marks here). The
compression is negative letter spacing on the gaps next to the marks (``justify`` solves it
with the justification spacing), so each mark's glyph stays where it is, only its blank goes,
and the text is unchanged. Lines that need no compression are laid out exactly as before.

A line that would still be spread more than ``LOOSE_AFTER`` em (the unit it stops before, a
number and its unit, is too wide to take) looks back: the line before gives up one or two
characters if it stays within ``GIVE_UP_TO`` em. To know, each line lays out the next one
ahead; that layout is kept and reused when WeasyPrint asks for the next line, so a paragraph
is not laid out twice.
"""

from __future__ import annotations

import re

from paiban.render.justify import (AUTOSPACE_LEFT, AUTOSPACE_RIGHT, CJK, _edge_chain,
                                   _has_class, _Leaf, _plan, char_class, squeeze_values)

SHRINK_FROM = 0.1
"""em per gap: a line that would be spread more than this first tries to take the next unit by
compressing punctuation (a spread under it is not visible; a half-width mark is)."""

CLOSING = frozenset("，。、；：！？）》」』】〕〉］｝”’")
OPENING = frozenset("（《「『【〔〈［｛“‘")
CENTRED = frozenset("，。、；：！？")
"""Marks the TC and HK faces centre in the em: only ¼ em of blank on each side."""
_CENTRING_FACE = re.compile(r"\b(TC|HK)\b")
_ATTEMPTS = 3  # widths tried for a line, each no wider than the last one's blanks allowed
LOOSE_AFTER = 0.2
"""em per gap: a line that would be spread more, and cannot compress instead, asks the line
before it to give up one or two characters (a short look back, not a paragraph optimiser)."""
GIVE_UP_TO = 0.15
"""em per gap: how loose the line before may become by giving them up."""

# Lines laid out ahead by the look back, kept for the next line's own layout (which asks for
# exactly the same): key -> (linebox, containing block, result, lists); only the last line's
# look-ahead is kept.
_AHEAD: dict[tuple, tuple] = {}


def _halted(style) -> bool:
    features = style["font_feature_settings"]
    return features != "normal" and any(tag == "halt" and value for tag, value in features)


def blank(char: str, style) -> float:
    """The compressible blank of a full-width mark in ``style``'s face, in layout units (CSS px;
    0 when none)."""
    if (char not in CLOSING and char not in OPENING) or _halted(style):
        return 0.0
    centred = char in CENTRED and any(_CENTRING_FACE.search(f) for f in style["font_family"])
    return (0.25 if centred else 0.5) * style["font_size"]


def _characters(leaf: _Leaf) -> list[str]:
    """The first character of each visible cluster of the leaf's box."""
    data = leaf.box.text.encode()
    return [data[leaf.units[i][0]:leaf.units[i][1]].decode()[0] for i in leaf.visible]


def blanks(plan: list[_Leaf]) -> tuple[float, list[tuple[_Leaf, int, float]]]:
    """The line's compressible blanks: the width the line-end closing mark may hang, and
    ``(leaf, gap, width)`` for each mid-line blank, where ``gap`` is the visible cluster of
    ``leaf`` the gap follows, or -1 for the gap before the leaf's first one (between boxes)."""
    characters = {id(leaf): _characters(leaf) for leaf in plan if leaf.visible}
    sequence = [(leaf, i, char) for leaf in plan if leaf.visible
                for i, char in enumerate(characters[id(leaf)])]
    inner: list[tuple[_Leaf, int, float]] = []
    end = 0.0
    accepted: dict[int, list[float]] = {}  # squeeze per gap of each leaf, as far as accepted

    def inside(leaf: _Leaf, gap: int, width: float) -> None:
        squeeze = accepted.get(id(leaf), [0.0] * len(leaf.inner))
        trial = squeeze.copy()
        trial[gap] += width
        if _safe(trial, characters[id(leaf)], leaf.box.style["font_size"]):
            accepted[id(leaf)] = trial
            inner.append((leaf, gap, width))

    for k, (leaf, i, char) in enumerate(sequence):
        width = blank(char, leaf.box.style)
        if not width:
            continue
        if char in CLOSING:
            if k == len(sequence) - 1:
                end = width
            elif sequence[k + 1][0] is leaf:
                inside(leaf, i, width)
            elif sequence[k + 1][0].lead and sequence[k + 1][1] == 0:
                inner.append((sequence[k + 1][0], -1, width))
        elif k > 0:
            if i > 0:
                inside(leaf, i - 1, width)
            elif leaf.lead:
                inner.append((leaf, -1, width))
    return end, inner


def _safe(squeeze: list[float], characters: list[str], em: float) -> bool:
    """Whether a box can take ``squeeze`` as letter spacing (``justify.squeeze_values``): the
    spacing that alternates after a squeezed gap must fall on full-width CJK characters only
    and stay within one em, or narrow glyphs would get negative advances that Pango mishandles."""
    values = squeeze_values([round(q * 1024) for q in squeeze])
    return all(not value or (char_class(char) == CJK and abs(value) <= em * 1024)
               for value, char in zip(values, characters))


def autospaces(line) -> list[tuple[object, str, float]]:
    """``(inline box, "left" or "right", width)`` for each autospace margin inside ``line`` that
    may give up half its width (those at the line's edges are dropped anyway)."""
    from weasyprint.formatting_structure import boxes

    edges = {id(box) for box in _edge_chain(line, False)} | {
        id(box) for box in _edge_chain(line, True)}
    found: list[tuple[object, str, float]] = []

    def visit(box) -> None:
        for child in box.children:
            if isinstance(child, boxes.InlineBox) and child.is_in_normal_flow():
                if child.margin_left and _has_class(child, AUTOSPACE_LEFT) and (
                        id(child) not in edges):
                    found.append((child, "left", child.margin_left / 2))
                visit(child)
                if child.margin_right and _has_class(child, AUTOSPACE_RIGHT) and (
                        id(child) not in edges):
                    found.append((child, "right", child.margin_right / 2))

    visit(line)
    return found


def _edge_margins(line) -> float:
    """The autospace margins ``justify.trim_autospace`` will drop at the line's edges."""
    return (sum(box.margin_left for box in _edge_chain(line, False)
                if box.margin_left and _has_class(box, AUTOSPACE_LEFT))
            + sum(box.margin_right for box in _edge_chain(line, True)
                  if box.margin_right and _has_class(box, AUTOSPACE_RIGHT)))


def _resources(line, plan) -> tuple[float, list[float], list, list]:
    """(end blank, widths of the other resources, the mark blanks, the autospaces)."""
    end, marks = blanks(plan)
    spaces = autospaces(line)
    return end, [w for _, _, w in marks] + [w for _, _, w in spaces], marks, spaces


def decide(need: float, end: float, inner: list[float]) -> tuple[float, list[float]] | None:
    """How to absorb ``need`` pt of overflow: (width the end mark hangs, width taken from each
    mid-line blank), or None when the blanks are too small. The end mark hangs its whole blank
    (a mark half-hanging would end nowhere in particular); the rest comes from the mid-line
    blanks in proportion."""
    if need <= 0:
        return 0.0, [0.0] * len(inner)
    rest = need - end
    if rest <= 0:
        return end, [0.0] * len(inner)
    room = sum(inner)
    if rest > room * (1 + 1e-9):
        return None
    share = min(rest / room, 1.0)
    return end, [width * share for width in inner]


def squeeze_line(context, line, available_width: float, justify_plan) -> bool:
    """Compress the punctuation of an overflowing line chosen by ``split_line``, then spread
    what is left; False when it does not fit after all (WeasyPrint's alignment then runs)."""
    plan = _plan(line)
    if plan is None:
        return False
    end, widths, marks, spaces = _resources(line, plan)
    decision = decide(line.width - available_width, end, widths)
    if decision is None:
        return False
    hang, taken = decision
    for leaf in plan:
        leaf.squeeze = [0.0] * len(leaf.inner)
    for (leaf, gap, _), width in zip(marks, taken):
        if gap < 0:
            leaf.lead_squeeze += width
        else:
            leaf.squeeze[gap] += width
    cuts: dict[int, tuple[float, float]] = {}
    for (box, side, _), width in zip(spaces, taken[len(marks):]):
        left, right = cuts.get(id(box), (0.0, 0.0))
        cuts[id(box)] = (left + width, right) if side == "left" else (left, right + width)
    extra = available_width + hang + sum(taken) - line.width
    return justify_plan(context, line, max(extra, 0.0), plan, cuts)


def _spread(line, available: float) -> float | None:
    """Per-gap spread (em) the line would get, or None when it is not a CJK justified line."""
    plan = _plan(line)
    if plan is None:
        return None
    total = sum(leaf.lead + sum(leaf.inner) for leaf in plan)
    if total <= 0:
        return None
    return (available - line.width) / total / line.style["font_size"]


def fitted_width(line) -> float:
    """The width of ``line`` once squeezed: what WeasyPrint must take it for when it looks for
    room beside floats again (``get_next_linebox``), or the line would move."""
    target = getattr(line, "paiban_squeeze", None)
    return line.width if target is None else min(line.width, target)


class _Line:
    """Everything ``split_line`` needs to lay out lines of one paragraph at one place."""

    def __init__(self, context, linebox, max_x, bottom_space, containing_block,
                 store: dict | None, reuse: bool):
        self.context, self.linebox, self.max_x = context, linebox, max_x
        self.bottom_space, self.containing_block = bottom_space, containing_block
        self.store, self.reuse = store, reuse
        self.available = max_x - linebox.position_x  # the line's width counts its indent

    def attempt(self, position_x, limit, skip_stack, first_letter_style, first_line_style):
        from weasyprint.layout.inline import split_inline_box

        key = (position_x, limit, self.bottom_space, repr(skip_stack),
               id(first_letter_style), id(first_line_style))
        if self.reuse:
            kept = _AHEAD.pop(key, None)
            if kept is not None and kept[0] is self.linebox and kept[1] is self.containing_block:
                return kept[2], kept[3]
        lists: tuple[list, ...] = ([], [], [], [], [])
        result = split_inline_box(self.context, self.linebox, position_x, limit,
                                  self.bottom_space, skip_stack, self.containing_block, *lists,
                                  first_letter_style, first_line_style)
        if self.store is not None and not any(lists[:4]):
            self.store[key] = (self.linebox, self.containing_block, result, lists)
        return result, lists

    def best(self, position_x, skip_stack, first_letter_style=None, first_line_style=None):
        """The line from ``skip_stack``: as WeasyPrint breaks it, or one unit longer when
        compressing punctuation lets that fit."""
        def attempt(limit):
            return self.attempt(position_x, limit, skip_stack, first_letter_style,
                                first_line_style)

        first = attempt(self.max_x)
        line, resume_at, preserved = first[0][:3]
        available = self.available
        if (resume_at is None or preserved or any(first[1][:4])
                or self.linebox.style["text_align_all"] != "justify"
                or line.width >= available):
            return first
        spread = _spread(line, available + _edge_margins(line))
        if spread is None or spread <= SHRINK_FROM:
            return first
        end, widths, _, _ = _resources(line, _plan(line))
        extra = end + sum(widths) + self.linebox.style["font_size"]
        for _ in range(_ATTEMPTS):
            second = attempt(self.max_x + extra)
            longer = second[0][0]
            if second[0][1] == resume_at or longer.width <= line.width or any(second[1][:4]):
                break
            plan = _plan(longer)
            if plan is None:
                break
            end, widths, _, _ = _resources(longer, plan)
            need = longer.width - _edge_margins(longer) - available
            if decide(need, end, widths) is not None:
                longer.paiban_squeeze = available  # the width it is squeezed to
                return second
            extra = end + sum(widths) + _edge_margins(longer)
            if extra <= 0:
                break
        return first

    def loose(self, chosen) -> bool:
        """Whether the line of ``chosen`` will be spread more than ``LOOSE_AFTER``."""
        line, resume_at = chosen[0][:2]
        if resume_at is None or getattr(line, "paiban_squeeze", None) is not None:
            return False
        spread = _spread(line, self.available + _edge_margins(line))
        return spread is not None and spread > LOOSE_AFTER


def split_line(context, linebox, position_x, max_x, bottom_space, skip_stack, containing_block,
               absolute_boxes, fixed_boxes, line_placeholders, waiting_floats, line_children,
               first_letter_style, first_line_style):
    """``inline.split_inline_box`` for a whole line, taking one unit more when compressing
    punctuation lets it fit, or one or two characters fewer when the next line would be loose
    otherwise (see the module docstring). Same arguments and result.

    A paragraph with letter spacing (one the make-up pass set looser or tighter, base.css) is
    broken by WeasyPrint alone: its spacing is what decides its lines, and compressing its
    punctuation would undo it."""
    if linebox.style["letter_spacing"] != "normal":
        from weasyprint.layout.inline import split_inline_box

        return split_inline_box(context, linebox, position_x, max_x, bottom_space, skip_stack,
                                containing_block, absolute_boxes, fixed_boxes,
                                line_placeholders, waiting_floats, line_children,
                                first_letter_style, first_line_style)
    this = _Line(context, linebox, max_x, bottom_space, containing_block, None, True)
    chosen = this.best(position_x, skip_stack, first_letter_style, first_line_style)
    _AHEAD.clear()
    line, resume_at = chosen[0][:2]
    ahead: dict[tuple, tuple] = {}
    if (resume_at is not None and not chosen[0][2] and not any(chosen[1][:4])
            and getattr(line, "paiban_squeeze", None) is None
            and linebox.style["text_align_all"] == "justify" and _plan(line) is not None):
        following = _Line(context, linebox, max_x, bottom_space, containing_block, ahead, False)
        base = linebox.position_x
        if following.loose(following.best(base, resume_at)):
            em = linebox.style["font_size"]
            for give in (1, 2):
                shorter = this.attempt(position_x, max_x - give * em, skip_stack,
                                       first_letter_style, first_line_style)
                if shorter[0][1] in (None, resume_at) or any(shorter[1][:4]):
                    continue
                spread = _spread(shorter[0][0],
                                 this.available + _edge_margins(shorter[0][0]))
                if spread is None or spread > GIVE_UP_TO:
                    break
                trial: dict[tuple, tuple] = {}
                after = _Line(context, linebox, max_x, bottom_space, containing_block, trial,
                              False)
                if not after.loose(after.best(base, shorter[0][1])):
                    chosen, ahead = shorter, trial
                    break
    _AHEAD.update(ahead)
    for target, items in zip((absolute_boxes, fixed_boxes, line_placeholders, waiting_floats,
                              line_children), chosen[1]):
        target.extend(items)
    return chosen[0]
