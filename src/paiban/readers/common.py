"""What the .docx and .md readers share: run-in subheads, heading levels, photo captions.

In: runs of text with their weight, heading lines with the format's levels, a line after a
photo. Out: the wire copy's conventions (``——**…**rest``), ``Hint``s, a yes/no.
"""

from __future__ import annotations

import re

from .document import Hint

RUN_IN_BOLD_MAX = 30
"""Longest paragraph all in bold that is read as a subhead on its own line."""

CAPTION_MAX = 100
"""Longest paragraph after a photo that is taken for its caption."""

DASH = re.compile(r"\s*(——|──|－－|--|—)\s*")


def run_in(segments: list[tuple[str, bool]]) -> str:
    """The paragraph's text from ``(text, bold)`` segments, a bold opening written as the
    run-in convention the cleaner reads (``——**源头参与。**龙岩市委…``); other bold is
    emphasis, which the page does not carry."""
    text = "".join(t for t, _ in segments)
    content = [(t, b) for t, b in segments if t.strip()]
    if not content:
        return text
    marker, i = "", 0
    if not content[0][1] and DASH.fullmatch(content[0][0]):  # ——**…** with a plain dash
        marker, i = content[0][0].strip(), 1
    bold = ""
    while i < len(content) and content[i][1]:
        bold += content[i][0]
        i += 1
    rest = "".join(t for t, _ in content[i:])
    if not bold.strip() or "\n" in bold.strip() or "**" in text:
        return text
    if rest.strip():
        return f"{marker}**{bold.strip()}**{rest.lstrip()}"
    if len(bold.strip()) <= RUN_IN_BOLD_MAX:
        return f"{marker}**{bold.strip()}**"
    return text


def rank_headings(lines: list[str], headings: list[tuple[int, int]]) -> list[Hint]:
    """Hints for heading lines ``(line, format level)``; level 0 is an explicit title. The
    first line of the text, when it is a heading, is the title; of the rest, the highest
    level makes sections (1), deeper ones subheads (2)."""
    if not headings:
        return []
    first = next((i + 1 for i, line in enumerate(lines) if line.strip()), 0)
    hints: list[Hint] = []
    rest = [(line, level) for line, level in headings if level > 0]
    titles = [line for line, level in headings if level == 0]
    if titles:
        hints.append(Hint(titles[0], "title"))
        rest += [(line, 1) for line in titles[1:]]
    elif headings[0][0] == first:
        hints.append(Hint(first, "title"))
        rest = [h for h in rest if h[0] != first]
    levels = sorted({level for _, level in rest})
    hints += [Hint(line, "heading", 1 if level == levels[0] else 2) for line, level in rest]
    return hints


def reads_as_caption(text: str) -> bool:
    """A paragraph right after a photo that describes it: 图为…/圖為…, or short with at most
    one sentence (a body paragraph after a photo has several)."""
    from paiban.clean.text import has_caption_signal, has_inner_stop, visible_len

    return visible_len(text) <= CAPTION_MAX and (has_caption_signal(text)
                                                 or not has_inner_stop(text))
