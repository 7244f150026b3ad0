"""Rule ``split``: normalised text to units, one per non-empty line.

In: ``State.text``. Out: ``State.units``, each with its 1-based line and the number of blank
lines between it and its neighbours (captions are often set apart by more blank lines than
paragraphs are); at the file's start and end the gap is 0.

Feature texts put one paragraph on a line; a paragraph cut by a page break arrives as two
lines, which ``rejoin`` puts back together. Leading indentation (often two ideographic
spaces) is layout, not text: it is dropped and reported.
"""

from __future__ import annotations

from .state import State, Unit


def split(state: State) -> None:
    """Fill ``state.units`` from ``state.text``."""
    units: list[Unit] = []
    gap = 0
    indented = 0
    # Split on LF only: str.splitlines would also break on U+2028, form feeds and the like,
    # which would make line numbers disagree with an editor's.
    for number, line in enumerate(state.text.split("\n"), 1):
        stripped = line.strip()
        if not stripped:
            gap += 1
            continue
        if stripped != line.rstrip():
            indented += 1
        if units:
            units[-1].gap_after = gap
        # Blank lines at the file's start (and end) say nothing about layout: gap 0.
        units.append(Unit(text=stripped, line=number, gap_before=gap if units else 0,
                          sources=[(number, stripped)]))
        gap = 0
    if indented:
        state.change("split", f"leading indentation removed from {indented} lines")
    state.units = units
