"""Rule ``byline``: the authors' names at the end of the article.

In: ``State.units`` after ``split``. Out: ``State.byline`` (names without brackets) and
``State.byline_line``. A byline on its own line becomes a ``byline`` unit; one written at the
end of the last paragraph (``…先进单位。（黄秀珍 郑飞飞）``) is cut off that paragraph, and
the cut is reported.

Forms: ``（黄秀珍 郑飞飞）``, ``（记者 王大明 通讯员 李小红）``, ``（本报记者 王大明）``,
``（文/王大明）``; half-width brackets too. Two or more names, or one name with a role word,
so that an ordinary trailing aside like ``（试行）`` is not taken for a byline. Only captions
may follow the byline: the search walks back from the end over short unfinished lines.
"""

from __future__ import annotations

import re

from .state import State, Unit
from .variants import hant
from .text import has_caption_signal, has_inner_stop, is_closed, visible_len

ROLE = hant(r"(?:本报|本刊|特约)?(?:记者|通讯员|撰稿|编辑|摄影|文|图|作者)")
NAME = r"[\u4e00-\u9fff·]{2,5}"
SEP = r"[\s、，,／/:：]*"
BYLINE = re.compile(
    rf"[（(]\s*((?:{ROLE}{SEP})?{NAME}(?:[\s、，,／/]+(?:{ROLE}{SEP})?{NAME})*)\s*[）)]$"
)
ROLE_WORD = re.compile(hant(r"记者|通讯员|撰稿|摄影|作者|编辑|^[文图]\s*[/／:：]"))
"""A role that makes a single name a byline (``文`` and ``图`` only with their slash)."""

TRAILING_MAX = 100
"""Longest line that may follow the byline (a caption)."""


def byline(state: State) -> None:
    """Find the byline at the end of the article and take it out of the text."""
    if state.byline:
        return  # a sidecar's [lines] named the byline line
    for unit in reversed(state.units[1:]):  # the first line is never the byline
        if unit.kind != "text" or unit.forced:
            break
        found = match_byline(unit.text)
        if found is not None:
            names, start = found
            state.byline, state.byline_line = names, unit.line
            if start == 0:
                unit.kind = "byline"
            else:
                _cut(unit, len(unit.text) - start)
                unit.text = unit.text[:start].rstrip()
                state.change("byline", f"byline 「{names}」 split off the end of "
                             "the paragraph", unit.line)
            return
        if not _may_follow_byline(unit):
            return


def match_byline(text: str) -> tuple[str, int] | None:
    """The names of a byline ending ``text`` and where the byline starts, or None."""
    m = BYLINE.search(text)
    if m is None:
        return None
    inner = m.group(1)
    names = [t for t in re.split(r"[\s、，,／/:：]+", inner) if t]
    if len(names) < 2 and not ROLE_WORD.search(inner):
        return None
    if m.start() > 0 and not is_closed(text[:m.start()]):
        # In mid-sentence, a bracket pair is an aside, not a byline.
        return None
    return " ".join(inner.split()), m.start()


def _cut(unit: Unit, size: int) -> None:
    """Take ``size`` characters off the end of ``unit``'s source parts."""
    sources = list(unit.sources)
    while size > 0 and sources:
        line, text = sources.pop()
        if len(text) > size:
            sources.append((line, text[:-size].rstrip()))
        size -= len(text)
    unit.sources = sources


def _may_follow_byline(unit: Unit) -> bool:
    """True for a line that can come after the byline: a short caption-like line."""
    if visible_len(unit.text) > TRAILING_MAX:
        return False
    return has_caption_signal(unit.text) or not (is_closed(unit.text)
                                                 or has_inner_stop(unit.text))
