"""Rule ``marked``: headings that announce themselves with a marker.

In: ``State.units`` after ``dedupe``. Out: units marked ``heading`` with ``level``, ``marker``
and ``body`` set:
- ``——注重工会源头参与`` on its own line: a subhead (level 2, marker ``——``);
- ``**源头参与**`` alone on a line (with or without ``——``): a subhead, ``**`` dropped;
- ``一、…``, ``01 …`` and ``第一部分…``: a section heading (level 1); ``（一）…``, ``1、…`` and
  ``1.…``: a subhead (``lists`` has taken the ``1.`` lines that are a list); ``【…】`` alone on
  a line: a subhead (``【一线直击】``), or run in (``【现场】记者看到…``);
- a section number alone on a line (``01``) is put together with the heading under it.
A marked line is a heading only when what follows the marker is short and not prose; a long
``——…`` line is a paragraph (``structure`` splits off a run-in subhead if it has one).
"""

from __future__ import annotations

import re

from .state import State, Unit
from .text import (BRACKET_HEAD, DASH, NUMBERED, PLAIN_RUN_IN, RUN_IN, has_inner_stop,
                   visible_len)

HEADING_MAX = 30
"""Longest marked heading, in characters after the marker."""


def marked(state: State) -> None:
    """Mark the units that are headings by their marker."""
    _number_lines(state)
    for unit in state.body_units():
        if unit.kind == "text" and not unit.forced:
            classify(unit)


LONE_NUMBER = re.compile(r"^0[1-9]$")
"""A section number on a line of its own above its heading (``01``)."""


def _number_lines(state: State) -> None:
    """Put a lone section number (``01``) together with the heading on the next line."""
    units = state.units
    out: list[Unit] = []
    i = 0
    while i < len(units):
        unit = units[i]
        nxt = units[i + 1] if i + 1 < len(units) else None
        if (nxt is not None and unit.kind == "text" and nxt.kind == "text"
                and not (unit.forced or nxt.forced) and LONE_NUMBER.match(unit.text)
                and _short_heading(nxt.text) and not NUMBERED.match(nxt.text)):
            nxt.text = f"{unit.text} {nxt.text}"
            nxt.line, nxt.gap_before = unit.line, unit.gap_before
            nxt.sources = unit.sources + nxt.sources
            state.change("marked", f"section number {unit.text} joined to its heading "
                         f"on line {nxt.sources[-1][0]}", unit.line)
            i += 1
            continue
        out.append(unit)
        i += 1
    state.units = out


def classify(unit: Unit) -> None:
    """Mark ``unit`` as a heading if its marker makes it one (``rejoin`` calls this again on
    joined units: a page break can split a heading too)."""
    found = marked_heading(unit.text)
    if found is not None:
        unit.kind, unit.level, unit.marker, unit.body = "heading", *found


def marked_heading(text: str) -> tuple[int, str, str] | None:
    """``(level, marker, text)`` when ``text`` is a heading by its marker, else None."""
    run_in = RUN_IN.match(text)
    if run_in:
        if not run_in.group(3).strip() and _short_heading(run_in.group(2)):
            return 2, run_in.group(1) or "", run_in.group(2).strip()
        return None
    dash = DASH.match(text)
    if dash:
        rest = text[dash.end():]
        # An own-line dash subhead may end with a full stop (``——注重源头参与。``).
        ok = _short_heading(rest.strip().rstrip("。"))
        return (2, dash.group(1), rest.strip()) if ok else None
    numbered = NUMBERED.match(text)
    if numbered:
        rest = text[numbered.end():]
        marker = text[:numbered.end()]
        level = 1 if marker[0] in "一二三四五六七八九十百第0" else 2
        return (level, marker, rest.strip()) if _short_heading(rest) else None
    bracket = BRACKET_HEAD.match(text)
    if bracket and not bracket.group(4).strip() and is_bracket_heading(bracket.group(2)):
        return 2, "【", bracket.group(2).strip() + "】"
    return None


BYLINE_WORDS = re.compile(r"^[文图]|记者|作者|来源|编辑|编者|摄|报道|讯$|网$|日电|综合")
"""Bracketed words that are a byline, a source or a dateline, not a heading."""


def is_bracket_heading(words: str) -> bool:
    """True for the words of a ``【…】`` heading (not ``【文/王芳】`` or ``【新华网讯】``)."""
    return _short_heading(words) and not BYLINE_WORDS.search(words.strip()) \
        and visible_len(words) <= 16


def split_run_in(text: str) -> tuple[str, str, str] | None:
    """``(marker, subhead, rest)`` of a paragraph that opens with a run-in subhead
    (``——**源头参与全面畅通。**龙岩市委…``, or without bold ``——源头参与全面畅通。龙岩…``)."""
    bracket = BRACKET_HEAD.match(text)
    if bracket and bracket.group(4).strip() and is_bracket_heading(bracket.group(2)) \
            and visible_len(bracket.group(2)) <= 10:
        return "【", bracket.group(2).strip() + "】", bracket.group(4).strip()
    found = RUN_IN.match(text) or PLAIN_RUN_IN.match(text)
    if found is None or not found.group(3).strip() or not re.search(r"\w", found.group(2)):
        return None
    return found.group(1) or "", found.group(2).strip(), found.group(3).strip()


def _short_heading(rest: str) -> bool:
    """A heading's words: short, no sentence ending inside, not ending with a full stop."""
    rest = rest.strip()
    # Words, not just punctuation: ``— —`` is no subhead ``—``.
    return (bool(re.search(r"\w", rest)) and visible_len(rest) <= HEADING_MAX
            and not rest.startswith(("—", "─", "－", "-"))  # a marker is one run of dashes
            and not has_inner_stop(rest)
            and not rest.endswith(("。", ".")))
