"""Rule ``hints``: the roles a source format states, taken as given.

In: ``State.units`` after ``split`` and ``State.hints`` (from the reader: a Word heading style,
a Markdown ``#``, a photo's caption; none for a .txt). Out: those units classified (``title``,
``heading`` with its level and marker, ``caption``, ``quote``). The other rules leave a
classified unit alone, so a hint is never second-guessed, and ``settle`` applies the hints
again after each round's reset.
"""

from __future__ import annotations

from .marked import marked_heading
from .state import State


def hints(state: State) -> None:
    """Classify the units the format gave a role."""
    if not state.hints:
        return
    for unit in state.units:
        hint = state.hints.get(unit.line)
        if hint is None or unit.kind == "byline" or unit.forced:
            continue
        unit.kind = hint.kind
        if hint.kind == "title":
            unit.body = unit.text
        elif hint.kind == "heading":
            found = marked_heading(unit.text)
            unit.level = hint.level or 1
            unit.marker, unit.body = (found[1], found[2]) if found else (
                "", unit.text.replace("**", "").strip())
