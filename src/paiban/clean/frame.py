"""Rule ``frame``: the kicker, the title, the deck, and captions printed before the title.

In: ``State.units`` after ``credits``. Out: ``State.kicker``, ``State.title`` and
``State.deck`` set (their units' ``kind`` too), units before them marked ``caption``; a
warning when no title is found. Byline, note and credit lines are already classified: the
headline is read around them.

The title is a short line that does not read as prose (no sentence ends inside it). Above it
are captions, which describe a scene (图为…, 摄, a comma in a long line), and maybe a kicker
(引题), which does not. With a ``——…`` deck the line above it is the title. Otherwise the
headline is the run of short lines at the top that do not look like captions, at most three:
- two short parallel halves (``聆听历史足音`` / ``书写时代新篇``) are one title over two lines;
- of two lines, the shorter is the title: a longer line above it is the kicker, a longer
  line under it the deck (a line ending in ``——`` or ``：`` is always a kicker);
- three lines are kicker, title and deck.
"""

from __future__ import annotations

import re

from .state import State, Unit
from .variants import hant
from itertools import takewhile

from .text import (DASH, RUN_IN, balanced_clauses, has_caption_signal, has_comma,
                   has_inner_stop, is_closed, starts_block, visible_len)

TITLE_MAX = 50
"""Longest title, in characters."""

DECK_MAX = 60
"""Longest deck line."""

CAPTION_MAX = 100
"""Longest caption above the title."""

KICKER_MAX = 36
"""Longest kicker line; a longer line above the title is a caption."""

HALF_MAX = 12
"""Longest half of a title written over two lines."""

SKIP = ("credit", "byline", "note", "end")
"""Kinds classified before ``frame`` that a headline is read around."""


KICKER_LABEL = re.compile(hant(r"^\s*(?:[【\[〔]\s*(?:引题|肩题|眉题)\s*[】\]〕]\s*[：:]?"
                                r"|(?:引题|肩题|眉题)\s*[：:])\s*"))
"""A kicker's label, as some copy writes it: ``引题：…``, ``【肩题】…``."""


def frame(state: State) -> None:
    """Find the kicker, the title, the deck and the captions above the title."""
    units = state.units
    hinted = next((i for i, u in enumerate(units) if u.kind == "title"), None)
    if hinted is not None:  # the format says which line is the title (a Word Title style)
        _set_title(state, hinted)
        return
    top = _top_run(units, state.dateline_line)
    labelled = next((i for i in range(top) if units[i].kind == "text" and not units[i].forced
                     and KICKER_LABEL.match(units[i].text)
                     and units[i].text[KICKER_LABEL.match(units[i].text).end():].strip()),
                    None)
    if labelled is not None:
        _labelled_kicker(state, labelled)
        return
    if not top:
        if units:
            state.warnings.append(f"no title line found (line {units[0].line} reads as prose)")
        return
    cands = [i for i in range(top) if units[i].kind == "text"]
    title_at = _deck_title(units, top)
    deck_at = title_at + 1 if title_at is not None else None
    if title_at is None:
        title_at = _plain_title(units, top)
    if title_at >= len(units) or units[title_at].kind != "text" \
            or not titleable(units[title_at]):
        for unit in units[:title_at]:
            if unit.kind == "text" and not unit.forced:
                unit.kind = "caption"
        state.warnings.append("no title line found (only captions at the top)")
        return
    title = units[title_at]
    # The headline lines after the title (no ``——`` deck): maybe a second title line or deck.
    after = [i for i in cands if i > title_at][:2] if deck_at is None else []
    after = list(takewhile(lambda p: p[1] == title_at + 1 + p[0] and not _caption(units[p[1]]),
                           enumerate(after)))
    after = [i for _, i in after]
    before = title_at - 1 if title_at - 1 in cands and not _caption(units[title_at - 1]) \
        else None
    kicker = second = deck = None
    if before is not None and _halves(units[before], title):
        second, title = title, units[before]
    elif deck_at is None and len(after) >= 1 and _halves(title, units[after[0]]):
        second = units[after[0]]
        after = after[1:]
        deck = units[after[0]] if after else None
    elif before is not None and _kicker(units[before], title):
        kicker = units[before]
    elif deck_at is None and after and _one_line_halves(title):
        deck = units[after[0]]  # a title in two halves on one line, as to_text writes one
    elif deck_at is None and len(after) == 2:
        kicker, title, deck = title, units[after[0]], units[after[1]]
    elif deck_at is None and len(after) == 1:
        nxt = units[after[0]]
        if _kicker(title, nxt):
            kicker, title = title, nxt
        else:
            deck = nxt
    first = min(u.line for u in (kicker, title) if u is not None)
    for unit in units:
        if unit.line < first and unit.kind == "text" and not unit.forced:
            unit.kind = "caption"
    if kicker is not None:
        kicker.kind, kicker.body = "kicker", kicker.text
        state.kicker = kicker
    title.kind = "title"
    title.body = title.text
    if second is not None:
        second.kind = "title"
        second.body = ""
        title.body = title.text + " " + second.text
        state.change("frame", f"title written over two lines (l.{title.line}, "
                     f"l.{second.line}) read as one", title.line)
    state.title = title
    if deck_at is not None and deck_at < len(units):
        nxt = units[deck_at]
        dash = DASH.match(nxt.text)
        assert dash is not None
        nxt.kind, nxt.marker, nxt.body = "deck", dash.group(1), nxt.text[dash.end():]
        state.deck = nxt
    elif deck is not None:
        deck.kind, deck.marker, deck.body = "deck", "", deck.text
        state.deck = deck
    last = max(u.line for u in (title, second, state.deck) if u is not None)
    if not any(u.line > last for u in units):
        state.warnings.append("the text is only a title: no body")


def _labelled_kicker(state: State, at: int) -> None:
    """The headline read without the labelled kicker line, which is then the kicker when the
    title comes after it (its label kept as its ``marker``)."""
    units = state.units
    kicker = units[at]
    state.units = units[:at] + units[at + 1:]
    try:
        frame(state)
    finally:
        state.units = units
    if state.title is None or state.title.line < kicker.line:
        return  # no title after it: an ordinary line after all
    if state.kicker is not None:
        state.kicker.kind = "caption"
    m = KICKER_LABEL.match(kicker.text)
    assert m is not None
    kicker.kind, kicker.marker, kicker.body = "kicker", m.group(), kicker.text[m.end():]
    state.kicker = kicker
    message = f"kicker label 「{m.group().strip()}」 read off the line above the title"
    if not any(c.message == message and c.line == kicker.line for c in state.changes):
        state.change("frame", message, kicker.line)


def _set_title(state: State, title_at: int) -> None:
    """Make ``units[title_at]`` the title (the format said so), what is above it captions,
    and find a ``——`` deck."""
    units = state.units
    for unit in units[:title_at]:
        if unit.kind == "text" and not unit.forced:
            unit.kind = "caption"
    title = units[title_at]
    title.kind = "title"
    title.body = title.text
    state.title = title
    nxt = units[title_at + 1] if title_at + 1 < len(units) else None
    if nxt is not None and nxt.kind == "text" and _is_deck(nxt):
        dash = DASH.match(nxt.text)
        assert dash is not None
        nxt.kind, nxt.marker, nxt.body = "deck", dash.group(1), nxt.text[dash.end():]
        state.deck = nxt
    if len(units) == title_at + 1:
        state.warnings.append("the text is only a title: no body")


def _caption(unit: Unit) -> bool:
    """True when a short line at the top reads as a photo caption, not a headline line."""
    text = unit.text
    return (has_caption_signal(text) or visible_len(text) > KICKER_MAX
            or (has_comma(text) and visible_len(text) >= 12 and not balanced_clauses(text)))


def _halves(first: Unit, second: Unit) -> bool:
    """True for a title written over two lines: two short halves of about equal length,
    neither with punctuation."""
    a, b = visible_len(first.text), visible_len(second.text)
    plain = re.compile(r"^[\w“”‘’《》·]+$")
    return (a <= HALF_MAX and b <= HALF_MAX and abs(a - b) <= 1
            and bool(plain.match(first.text.strip())) and bool(plain.match(second.text.strip())))


def _one_line_halves(unit: Unit) -> bool:
    """True for a title in two halves on one line (``聆听历史足音 书写时代新篇``)."""
    parts = unit.text.split()
    return len(parts) == 2 and _halves(Unit(text=parts[0], line=0), Unit(text=parts[1], line=0))


def _kicker(upper: Unit, lower: Unit) -> bool:
    """True when ``upper`` is a kicker over the title ``lower``: it leads into it (ends with
    —— or ：), or it is the longer of the two."""
    if upper.text.rstrip().endswith(("——", "：", ":")):
        return True
    parts = upper.text.split()
    if len(parts) == 2 and _halves(Unit(text=parts[0], line=0), Unit(text=parts[1], line=0)):
        return False  # a title in two halves on one line (``聆听历史足音 书写时代新篇``)
    return visible_len(upper.text) > visible_len(lower.text)


def titleable(unit: Unit) -> bool:
    """True when ``unit`` could be a title: short, not prose, no marker."""
    return (visible_len(unit.text) <= TITLE_MAX and not has_inner_stop(unit.text)
            and not starts_block(unit.text) and "。" not in unit.text)


def _top_run(units: list[Unit], dateline_line: int = 0) -> int:
    """Number of title-like (or caption) units at the top, before the first prose (or the
    paragraph a dateline opened, however short: it is the first paragraph)."""
    n = 0
    for unit in units:
        if dateline_line and unit.line == dateline_line:
            break
        if unit.kind in ("credit", "caption"):  # a caption: the format said so
            n += 1
            continue
        if unit.kind == "byline" and all(u.kind == "byline" for u in units[:n]):
            n += 1  # a byline line above the headline (文/图 本报记者 X): read around it
            continue
        if unit.kind != "text" or unit.forced:
            break
        caption = has_caption_signal(unit.text) and visible_len(unit.text) <= CAPTION_MAX
        closed = is_closed(unit.text) and not unit.text.endswith(("？", "！", "?", "!"))
        if not caption and (not titleable(unit) or closed):
            break
        n += 1
    return n


def _is_deck(unit: Unit) -> bool:
    dash = DASH.match(unit.text)
    return (dash is not None and not RUN_IN.match(unit.text)
            and 2 <= visible_len(unit.text[dash.end():]) <= DECK_MAX
            and not has_inner_stop(unit.text))


def _deck_title(units: list[Unit], top: int) -> int | None:
    """Index of the title when a deck follows one of the top units."""
    for i in range(top):
        if units[i].kind == "text" and i + 1 < len(units) and units[i + 1].kind == "text" \
                and _is_deck(units[i + 1]):
            return i
    return None


def _plain_title(units: list[Unit], top: int) -> int:
    """Index of the first top unit that does not look like a caption (else the last one)."""
    for i in range(top):
        text = units[i].text
        if units[i].kind == "text" and not (
                has_caption_signal(text) or (has_comma(text) and visible_len(text) >= 12
                                             and not balanced_clauses(text))):
            return i
    last = max((i for i in range(top) if units[i].kind == "text"), default=top)
    return last if last < top and titleable(units[last]) else top
