"""Rule ``settle``: classify and join again until nothing changes.

In: ``State.units`` after ``rejoin``. Out: the same, at a fixed point.

Captions, headings, even the title and deck are told apart by their neighbours, and
``rejoin`` changes neighbours: a page break can split a heading or a caption as well as a
paragraph, a short line taken for a heading may turn out to be the first half of a sentence
once the line after it is whole, and a joined paragraph may repeat another. So while a round
still joins or removes something, every classification is undone (the byline stays found)
and the unit rules run again: ``byline``, ``notes``, ``credits``, ``frame``, ``dedupe``,
``lists``, ``marked``, ``interview``, ``captions``, ``headings``, ``rejoin`` (those not
switched off; a sidecar's forced roles and the kinds in ``STICKY`` are never undone). This is what makes cleaning idempotent: cleaning the
clean text again starts from this fixed point.
"""

from __future__ import annotations

from collections.abc import Callable

from .byline import byline
from .captions import captions
from .credits import credits
from .dedupe import dedupe
from .endmatter import endmatter
from .frame import frame
from .headings import headings
from .hints import hints
from .interview import interview
from .lists import lists
from .marked import marked
from .notes import notes
from .rejoin import rejoin
from .state import State

ROUND: list[tuple[str, Callable[[State], None]]] = [
    ("endmatter", endmatter), ("byline", byline), ("notes", notes), ("credits", credits), ("frame", frame),
    ("dedupe", dedupe), ("lists", lists), ("marked", marked), ("interview", interview),
    ("captions", captions), ("headings", headings), ("rejoin", rejoin),
]
"""The rules one round runs again, in pipeline order."""


def settle(state: State) -> None:
    """Repeat classification and joining until a round joins and removes nothing."""
    if not state.joins:
        return
    while True:
        joins, removed = len(state.joins), len(state.removed)
        _reset(state)
        for name, rule in ROUND:
            # ``byline`` looks again only for what it has not found (a dateline whose paragraph
            # a join has only now made whole, say).
            if name not in state.disabled:
                rule(state)
        if len(state.joins) == joins and len(state.removed) == removed:
            return


STICKY = ("byline", "end", "note", "credit")
"""Kinds that lines have by their own words, not their neighbours: never undone."""


def _reset(state: State) -> None:
    """Undo every classification but those in ``STICKY`` and the sidecar's."""
    state.title = state.deck = state.kicker = None
    for unit in state.units:
        if unit.kind not in STICKY and not unit.forced:
            unit.kind, unit.level, unit.marker, unit.body = "text", 0, "", ""
    if "hints" not in state.disabled:
        hints(state)
