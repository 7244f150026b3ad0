"""Rule ``dedupe``: remove paragraphs the source repeats.

In: ``State.units`` after ``frame`` (only ``text`` units are compared). Out: the same list without repeats; each removal
is in the report with its text and the line of the occurrence kept (the first).

Three shapes are recognised, compared without white space:
- ``duplicate``: a unit equal to an earlier unit (or to an earlier page-split paragraph's two
  halves put together);
- a repeat split by a page break: consecutive units that together equal an earlier unit;
- ``truncated-repeat``: an unfinished unit that is the start of an earlier unit and is not
  continued by the unit after it (feature texts pasted from layouts often end with one).
Short lines (under ``MIN_REPEAT`` characters and not ending a sentence) are left alone: two
sections may well have a subhead with the same words.
"""

from __future__ import annotations

from paiban.model import Removal

from .captions import heading_like, is_loose
from .marked import marked_heading
from .state import State, Unit
from .text import is_closed, key, starts_block

MIN_REPEAT = 16
"""Unfinished units shorter than this are not taken for repeats of a whole paragraph."""

MIN_TRUNCATED = 6
"""A cut-off copy must be at least this long to be recognised as the start of another."""


def dedupe(state: State) -> None:
    """Drop repeated units from ``state.units``, reporting each."""
    kept: list[Unit] = []
    seen = _Seen()
    units = state.units
    i = 0
    while i < len(units):
        unit = units[i]
        if unit.kind != "text" or unit.forced:  # title, deck, captions above the title…
            kept.append(unit)
            i += 1
            continue
        k = key(unit.text)
        if k in seen and (is_closed(unit.text) or len(k) >= MIN_REPEAT):
            _remove(state, unit, "duplicate", seen[k])
            i += 1
            continue
        span = _split_repeat(units, i, seen)
        if span:
            original = seen[_joined(units[i:i + span])]
            for part in units[i:i + span]:
                _remove(state, part, "duplicate", original)
            i += span
            continue
        original = _truncated_repeat_of(units, i, seen)
        if original:
            _remove(state, unit, "truncated-repeat", original)
            i += 1
            continue
        if kept and kept[-1].kind == "text" and not is_closed(kept[-1].text) \
                and not (is_loose(kept[-1]) and heading_like(kept[-1])):
            # Remember the two halves of a page-split paragraph together too (unless the
            # first could be a heading: then they are likely a heading and its paragraph).
            seen.add(key(kept[-1].text) + k, kept[-1].line)
        seen.add(k, unit.line)
        kept.append(unit)
        i += 1
    state.units = kept


class _Seen(dict[str, int]):
    """Keys of the units kept so far, with their lines, indexed by their first characters so
    that looking for "an earlier unit starting with…" stays fast on long files."""

    def __init__(self) -> None:
        super().__init__()
        self.by_start: dict[str, list[str]] = {}

    def add(self, k: str, line: int) -> None:
        if k not in self:
            self[k] = line
            self.by_start.setdefault(k[:MIN_TRUNCATED], []).append(k)

    def starting_with(self, prefix: str) -> list[str]:
        """Keys longer than ``prefix`` that start with it (``prefix`` >= MIN_TRUNCATED chars)."""
        return [s for s in self.by_start.get(prefix[:MIN_TRUNCATED], ())
                if s.startswith(prefix) and s != prefix]


def _joined(units: list[Unit]) -> str:
    return "".join(key(u.text) for u in units)


def _split_repeat(units: list[Unit], i: int, seen: _Seen) -> int:
    """How many units from ``i`` on together equal an earlier unit (0 if they do not)."""
    combined = key(units[i].text)
    if is_closed(units[i].text) or len(combined) < MIN_TRUNCATED:
        return 0
    starts = seen.starting_with(combined)
    j = i
    while starts and j + 1 < len(units):
        j += 1
        combined += key(units[j].text)
        if combined in seen:
            return j - i + 1
        starts = [s for s in starts if s.startswith(combined)]
    return 0


def _truncated_repeat_of(units: list[Unit], i: int, seen: _Seen) -> int:
    """Line of the earlier unit that ``units[i]`` is a cut-off copy of, or 0."""
    text = units[i].text
    k = key(text)
    if is_closed(text) or len(k) < MIN_TRUNCATED or marked_heading(text):
        return 0  # a subhead that starts like a longer one is no cut-off copy
    earlier = [seen[s] for s in seen.starting_with(k)]
    if not earlier:
        return 0
    nxt = units[i + 1] if i + 1 < len(units) else None
    # A unit that the next one continues is half of a page-split paragraph that merely starts
    # like an earlier one; it is a repeat only when nothing continues it.
    if nxt is None or starts_block(nxt.text) or key(nxt.text) in seen:
        return min(earlier)
    return 0


def _remove(state: State, unit: Unit, reason: str, original: int) -> None:
    """Report ``unit`` removed: each of its source lines (more than one once joined)."""
    for line, text in unit.sources or [(unit.line, unit.text)]:
        state.removed.append(Removal(line=line, text=text, reason=reason,
                                     original_line=original))
