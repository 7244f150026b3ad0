"""Extraction: every quantitative fact in an article.

In: a cleaned ``Article``. Out: a tuple of ``Stat`` in document order, one per figure written in
a body paragraph, pull quote, list item or interview turn (headings and photo captions are not reporting text). Each keeps
its value verbatim, its number in base units, its unit, a short label, the sentence it came from
and the level-1 section it falls under. What counts as a figure is in ``figures``; how the label
is made is in ``label``.

A paragraph repeated word for word (a page-layout leftover the cleaner may not have removed)
yields its figures once: the same value at the same place in the same sentence is one fact.
"""

from __future__ import annotations

import re

from paiban.model import Article, Heading, ListBlock, Paragraph, Quote, Stat, Turn
from paiban.stats import figures
from paiban.stats.label import label

_SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]+[”’」』）)]*|$)")


def extract(article: Article) -> tuple[Stat, ...]:
    """Every figure in the article's body, in document order."""
    out: list[Stat] = []
    seen: set[tuple[str, str, int]] = set()
    section = ""
    for block in article.blocks:
        if isinstance(block, Heading) and block.level == 1:
            section = block.text
        elif isinstance(block, (Paragraph, Quote, Turn, ListBlock)):
            texts = [i.text for i in block.items] if isinstance(block, ListBlock) else [block.text]
            for stat, offset in (found for text in texts
                                 for found in paragraph_stats(text, section)):
                key = (stat.value, stat.sentence, offset)
                if key not in seen:
                    seen.add(key)
                    out.append(stat)
    return tuple(out)


def paragraph_stats(text: str, section: str = "") -> list[tuple[Stat, int]]:
    """The figures of one paragraph, each with its offset inside its sentence."""
    matches = figures.find(text)
    sentences = sentence_spans(text)
    out: list[tuple[Stat, int]] = []
    for i, m in enumerate(matches):
        prev_end = matches[i - 1].end if i else 0
        next_start = matches[i + 1].start if i + 1 < len(matches) else None
        s_start, s_end = next((a, b) for a, b in sentences if a <= m.start < b)
        stat = Stat(
            value=m.value,
            number=m.number,
            unit=m.unit,
            label=label(text, m.start, m.end, prev_end, next_start),
            sentence=text[s_start:s_end].strip(),
            section=section,
            approximate=m.approximate,
        )
        out.append((stat, m.start - s_start))
    return out


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence boundaries: after 。！？ and any closing quote that follows them."""
    spans = [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.end() > m.start()]
    return spans or [(0, len(text))]
