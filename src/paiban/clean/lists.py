"""Rule ``lists``: numbered items on lines of their own become a list.

In: ``State.units`` after ``dedupe``. Out: item units marked ``item`` (``marker`` as written).

Markers: ``1.`` ``1、`` ``1．`` (the ``dot`` family), ``（1）`` ``(1)``, ``1）`` and ``①``. Items
often have no closing punctuation, so without this rule ``rejoin`` would run them together
and ``captions``/``headings`` would take them for captions or headings.

``（1）``, ``1）`` and ``①`` always mark list items. A ``1.`` line is a list item or a
heading, decided by context: items that follow one another (numbered on, nothing else between
them but the items of a nested list) are a list; ``1.``, ``2.`` lines each followed by text of
their own are headings (left to ``marked``), unless they are prose (then they are a list of
long items, still numbered as written).
"""

from __future__ import annotations

from .state import State, Unit
from .text import LIST_ITEM, has_inner_stop, is_closed, visible_len

HEADING_MAX = 30
"""Longest ``1.`` line that can be a heading."""


def lists(state: State) -> None:
    """Mark the list items."""
    units = state.body_units()
    numbered = [(i, *found) for i, u in enumerate(units)
                if u.kind == "text" and not u.forced and (found := item_marker(u.text))]
    at = {i: (family, n) for i, family, n, _ in numbered}
    markers = {i: marker for i, _, _, marker in numbered}
    present = set(at.values())
    for i, (family, n) in at.items():
        if family != "dot":
            _mark(units[i], markers[i])
            continue
        run = _in_run(units, at, i, family, n)
        sibling = (family, n + 1) in present or (family, n - 1) in present
        if run or (sibling and not _heading_shaped(units[i], markers[i])):
            _mark(units[i], markers[i])


def item_marker(text: str) -> tuple[str, int, str] | None:
    """``(family, number, marker as written)`` of a list item line, or None."""
    m = LIST_ITEM.match(text)
    if m is None or not text[m.end():].strip():
        return None
    for family in ("dot", "paren", "half", "circled"):
        value = m.group(family)
        if value:
            n = _circled(value) if family == "circled" else int(value)
            return family, n, text[:m.end()]
    return None


def _circled(c: str) -> int:
    code = ord(c)
    return code - 0x2460 + 1 if code <= 0x2473 else code - 0x2776 + 1


def _in_run(units: list[Unit], at: dict[int, tuple[str, int]], i: int, family: str,
            n: int) -> bool:
    """True when the item before or after ``i`` in the same family is numbered next to it
    and only nested items stand between them."""
    for step, want in ((-1, n - 1), (1, n + 1)):
        j = i + step
        while 0 <= j < len(units) and j in at and at[j][0] != family:
            j += step  # a nested list between two items
        if j in at and at[j] == (family, want):
            return True
    return False


def _heading_shaped(unit: Unit, marker: str) -> bool:
    rest = unit.text[len(marker):]
    return (visible_len(rest) <= HEADING_MAX and not has_inner_stop(rest)
            and not (is_closed(rest) and rest.rstrip()[-1:] == "。"))


def _mark(unit: Unit, marker: str) -> None:
    unit.kind, unit.marker, unit.body = "item", marker, unit.text[len(marker):].strip()
