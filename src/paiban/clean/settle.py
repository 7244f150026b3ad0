"""Rule ``settle``: classify and join again until nothing changes.

In: ``State.units`` after ``rejoin``. Out: the same, at a fixed point.

Captions, headings, even the title and deck are told apart by their neighbours, and
``rejoin`` changes neighbours: a page break can split a heading or a caption as well as a
paragraph, a short line taken for a heading may turn out to be the first half of a sentence
once the line after it is whole, and a joined paragraph may repeat another. So while a round
still joins or removes something, every classification is undone (the byline stays found)
and the unit rules run again: ``frame``, ``dedupe``, ``marked``, ``captions``, ``headings``,
``rejoin`` (those not switched off). This is what makes cleaning idempotent: cleaning the
clean text again starts from this fixed point.
"""

from __future__ import annotations

from collections.abc import Callable

from .byline import byline
from .captions import captions
from .dedupe import dedupe
from .frame import frame
from .headings import headings
from .hints import hints
from .interview import interview
from .lists import lists
from .marked import marked
from .rejoin import rejoin
from .state import State

ROUND: list[tuple[str, Callable[[State], None]]] = [
    ("byline", byline), ("frame", frame), ("dedupe", dedupe), ("lists", lists),
    ("marked", marked), ("interview", interview), ("captions", captions),
    ("headings", headings), ("rejoin", rejoin),
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
            if name not in state.disabled and not (name == "byline" and state.byline):
                rule(state)
        if len(state.joins) == joins and len(state.removed) == removed:
            return


def _reset(state: State) -> None:
    """Undo every classification but the byline's and the sidecar's."""
    state.title = state.deck = None
    for unit in state.units:
        if unit.kind != "byline" and not unit.forced:
            unit.kind, unit.level, unit.marker, unit.body = "text", 0, "", ""
    if "hints" not in state.disabled:
        hints(state)
