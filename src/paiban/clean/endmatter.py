"""Rule ``endmatter``: source, editors, proof-readers and ``（完）``, which are not body text.

In: ``State.units`` after ``clutter``. Out: ``State.end_matter`` (one ``EndNote`` per item, in
source order); lines made only of such items become ``end`` units (they are neither
paragraphs, captions nor fragments); items written at the end of the last paragraph
(``…。（完）``, ``…。（责编：王芳）``) are cut off it, and the cut is reported.

An item is a label with a colon and a short value: 来源：, 编辑：, 责任编辑：, 责编：, 审核：,
校对：, 终审：…, bracketed or not, several on a line (``编辑：王芳 审核：李强``); or the end
sign ``（完）``; a date and time before such items (``2026-11-28 10:30 来源：…``, labelled
``时间``). A scraped page's top line ``来源：工人日报 作者：张三`` holds a byline too: the
``作者`` item becomes the byline.
"""

from __future__ import annotations

import re

from paiban.model import EndNote

from .variants import hant
from .state import State, Unit
from .text import is_closed

LABELS = hant("(?:责任编辑|值班编辑|实习编辑|网络编辑|执行编辑|编辑|责编|美编|编审|审核|审校|审签|初审|复审|"
          "终审|一审|二审|三审|校对|核稿|信息来源|文章来源|本文来源|稿件来源|稿源|来源|监制|统筹|"
          "发布时间|发布日期|作者)")
ITEM = re.compile(
    rf"(?P<open>[（(【\[])?\s*(?P<label>{LABELS})\s*[：:]\s*(?P<value>[^。！？!?\n]{{1,40}}?)"
    rf"\s*(?(open)[）)】\]])(?=[\s|｜丨/／]*(?:[（(【\[]?\s*(?:{LABELS})\s*[：:]|$))"
)
DONE = re.compile(hant(r"[（(【\[]\s*(?P<label>完|END|end)\s*[）)】\]]|[-—–－]+\s*(?P<dash>完)\s*[-—–－]+"))
GAP = re.compile(r"[\s|｜丨/／]*")
STAMP = re.compile(
    r"(?P<value>\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?)"
    r"(?=[\s|｜丨/／]*[（(【\[]?\s*" + LABELS + r"\s*[：:])"
)
"""A scraped page's date and time before its labelled items (``2026-11-28 10:30 来源：…``):
page metadata, never a deck."""


def endmatter(state: State) -> None:
    """Collect the end matter, from lines of their own and from the last paragraph's end."""
    for unit in state.units:
        if unit.kind != "text" or unit.forced:  # a sidecar's [lines] role is final
            continue
        items = parse(unit.text)
        if items is not None:
            unit.kind = "end"
            _keep(state, unit.line, items)
    _cut_from_last(state)
    state.end_matter.sort(key=lambda e: e.line)


def parse(text: str) -> list[tuple[str, str, str]] | None:
    """``(label, value, as written)`` of each item when ``text`` is only end matter."""
    items: list[tuple[str, str, str]] = []
    pos = GAP.match(text).end()  # type: ignore[union-attr]
    while pos < len(text):
        m = ITEM.match(text, pos) or DONE.match(text, pos) or STAMP.match(text, pos)
        if m is None:
            return None
        groups = m.groupdict()
        label = groups.get("label") or groups.get("dash") or ("时间" if "value" in groups
                                                              and m.re is STAMP else "")
        value = (groups.get("value") or "").strip()
        items.append((label, value, m.group().strip()))
        pos = GAP.match(text, m.end()).end()  # type: ignore[union-attr]
    return items or None


def _keep(state: State, line: int, items: list[tuple[str, str, str]]) -> None:
    for label, value, written in items:
        if label == "作者" and not state.byline:
            state.byline, state.byline_line = written.strip("（()）【】[]"), line
            continue
        state.end_matter.append(EndNote(text=written, label=label, line=line))


TRAILING = re.compile(
    rf"(?:[（(【\[]\s*(?:{LABELS})\s*[：:][^（()）【】\[\]。！？]{{1,40}}[）)】\]]"
    rf"|[（(【\[]\s*(?:完|END)\s*[）)】\]])\s*$"
)
"""A bracketed item at the very end of a paragraph."""


def _cut_from_last(state: State) -> None:
    """Cut bracketed items off the end of the last paragraph (``…。（完）``)."""
    last = next((u for u in reversed(state.units) if u.kind == "text"), None)
    if last is None or last.forced:
        return
    # Only items after the last sentence, and only from a paragraph after which nothing but
    # captions, end matter or a byline follows (the last text unit, by construction).
    cuts: list[list[tuple[str, str, str]]] = []
    while True:
        m = TRAILING.search(last.text)
        if m is None or m.start() == 0 or not is_closed(last.text[:m.start()]):
            break
        items = parse(m.group())
        if not items:
            break
        cut_tail(last, len(last.text) - m.start())
        last.text = last.text[:m.start()].rstrip()
        cuts.append(items)
        state.change("endmatter", f"「{m.group().strip()}」 cut off the end of the paragraph "
                     "into the end matter", last.line)
    for items in reversed(cuts):
        _keep(state, last.line, items)


def cut_tail(unit: Unit, size: int) -> None:
    """Take ``size`` characters off the end of ``unit``'s source parts."""
    sources = list(unit.sources)
    while size > 0 and sources:
        line, text = sources.pop()
        if len(text) > size:
            sources.append((line, text[:-size].rstrip()))
        size -= len(text)
    unit.sources = sources
