"""Rule ``notes``: an editor's note (编者按, 阅读提示, 导读, 开栏的话, 摘要…) near the top.

In: ``State.units`` after ``byline``. Out: ``note`` units with ``marker`` (the label as written,
``编者按：``, ``【编者按】``) and ``body`` (the note's text). A label alone on its line takes the
next line as its text. ``structure`` makes a ``Note`` block of them: never the lede, no drop
cap; the first real paragraph after it is the lede.
"""

from __future__ import annotations

import re

from .variants import hant
from .state import State

LABELS = hant("(?:编者按|编者的话|编前语|编者|阅读提示|核心提示|内容提要|提要|导读|开栏的话|开篇的话|"
          "摘要|引言)")
NOTE = re.compile(
    rf"^(?P<marker>[【\[〔（(]\s*(?P<l1>{LABELS})\s*[】\]〕）)]\s*[：:]?|(?P<l2>{LABELS})\s*[：:]"
    rf"|(?P<l3>{LABELS})(?=\s|$))\s*(?P<text>.*)$", re.S)
"""A label with brackets, a colon, a space or nothing after it: ``编者按：…``, ``【导读】…``."""

TOP_UNITS = 10
"""How far from the top an editor's note is looked for."""


def notes(state: State) -> None:
    """Mark the editor's note units."""
    units = state.units
    i = 0
    while i < min(len(units), TOP_UNITS):
        unit = units[i]
        m = NOTE.match(unit.text) if unit.kind == "text" and not unit.forced and i > 0 \
            else None
        if m is None:
            i += 1
            continue
        label = m.group("l1") or m.group("l2") or m.group("l3")
        if label == "编者" and not m.group("l1"):
            i += 1  # 编者 alone is a label only in brackets: 【编者】
            continue
        unit.kind, unit.marker, unit.body = "note", m.group("marker"), m.group("text").strip()
        unit.level = 0
        nxt = units[i + 1] if i + 1 < len(units) else None
        if not unit.body and nxt is not None and nxt.kind == "text" and not nxt.forced:
            unit.level = -1  # a label alone: the next line is its text
            nxt.kind, nxt.marker, nxt.body, nxt.level = "note", "", nxt.text, 0
            i += 1
        i += 1
