"""Rule ``settle``: classify and join again until nothing changes.

In: ``State.units`` after ``rejoin``. Out: the same, at a fixed point.

Captions and headings are told apart by their neighbours, and ``rejoin`` changes
neighbours: a page break can split a heading or a caption as well as a paragraph, and a short
line taken for a heading may turn out to be the first half of a sentence once the line
after it is whole; and a joined paragraph may turn out to repeat another. So while ``rejoin``
still joins something, the classifications made from position (not from markers) are undone
and ``byline``, ``dedupe``, ``captions``, ``headings`` and ``rejoin`` run again. This is what makes cleaning idempotent: cleaning the clean text again
starts from this fixed point.
"""

from __future__ import annotations

from .byline import byline
from .captions import captions
from .dedupe import dedupe
from .headings import headings
from .rejoin import rejoin
from .state import State


def settle(state: State) -> None:
    """Repeat classification and joining until ``rejoin`` joins nothing more."""
    if not state.joins:
        return
    while True:
        joins, removed = len(state.joins), len(state.removed)
        for unit in state.units:
            if unit.by_position:
                unit.kind, unit.level, unit.body, unit.by_position = "text", 0, "", False
        if not state.byline:
            byline(state)
        dedupe(state)
        captions(state)
        headings(state)
        rejoin(state)
        if len(state.joins) == joins and len(state.removed) == removed:
            return
