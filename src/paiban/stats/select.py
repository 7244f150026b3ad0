"""Selection: which figures go into callout boxes, and where the boxes go.

In: an ``Article``, every ``Stat`` extracted from it, and the article's ``Sidecar``.
Out: the Article with ``stats`` set (sidecar drops removed, relabels applied) and ``Callout``
blocks inserted:

- one opener box (``placement="opener"``, titled 数说 unless the sidecar says otherwise) of the
  article's 3–4 headline figures, right after the lede paragraph (none when fewer than 3 are
  worth it, unless the sidecar pins some);
- one box of 2–4 figures in each section rich in figures (at least ``RICH_SECTION`` left after
  the opener took its share), right after the last paragraph that holds one of them.

Figures are ranked by ``score.score`` and picked one at a time, each next one marked down for
repeating a kind (money, people…), a sentence or a section already shown. A value is never shown
twice, in one box or across boxes. Pinned figures go first into the opener box, in the
sidecar's order. Running ``select`` again replaces the boxes it made before.
"""

from __future__ import annotations

import re
from dataclasses import replace

from paiban.model import Article, Block, Callout, Heading, Paragraph, Quote, Stat
from paiban.sidecar import Sidecar
from paiban.stats import figures
from paiban.stats.extract import sentence_spans
from paiban.stats.label import label
from paiban.stats.score import kind, score

OPENER_MAX = 4
OPENER_MIN = 3
SECTION_MIN = 2
RICH_SECTION = 4
"""A section with at least this many unused figures gets its own box."""
EXTRA_MIN = 4.0
"""Score (after the overlap mark-down) a figure needs to go into a box beyond its minimum."""

_CLAUSE_END = re.compile(r"[，。；！？：]")


def select(article: Article, stats: tuple[Stat, ...], sidecar: Sidecar | None = None) -> Article:
    """Set ``article.stats`` and insert the callout boxes (see the module docstring)."""
    sidecar = sidecar or Sidecar()
    article = replace(article, blocks=tuple(b for b in article.blocks if not isinstance(b, Callout)))
    kept = tuple(s for s in stats if s.value not in sidecar.drop)
    missing = _missing_pins(article, kept, sidecar)
    if missing:
        kept = _in_document_order(article, kept + tuple(missing))
    boxable = _boxable(article, kept, sidecar)
    opener = _opener(boxable, sidecar)
    if len(opener) < OPENER_MIN and not sidecar.pin:
        opener = ()  # two figures do not make a 数说 box, unless the editor asked for them
    used = {s.value for s in opener}
    boxes: list[tuple[int, Callout]] = []
    if sidecar.section_boxes:
        for section, members in _by_section(boxable).items():
            chosen = _section_choice([s for s in members if s.value not in used])
            if chosen:
                used |= {s.value for s in chosen}
                boxes.append((_anchor(article, section, chosen), Callout(stats=chosen)))
    if opener:
        boxes.append((_lede_index(article), Callout(opener, sidecar.title, "opener")))
    # Labels change last: an editor's label changes what a box says, not which figures it holds.
    boxes = [(i, replace(box, stats=_relabelled(box.stats, sidecar))) for i, box in boxes]
    return replace(article, stats=_relabelled(kept, sidecar),
                   blocks=_insert(article.blocks, boxes))


def _boxable(article: Article, stats: tuple[Stat, ...], sidecar: Sidecar) -> tuple[Stat, ...]:
    """Figures fit for a box: all but those in the cut-off clause of a paragraph the cleaner
    could not make whole (「万条，…」, 「…同时积极参」), where what a figure counts may be lost.
    The editor's pins are always fit."""
    pinned = {p.value for p in sidecar.pin}
    return tuple(s for s in stats if s.value in pinned or not _at_a_cut(article, s))


def _at_a_cut(article: Article, stat: Stat) -> bool:
    for block in article.blocks:
        if not isinstance(block, (Paragraph, Quote)) or stat.sentence not in block.text:
            continue
        if not getattr(block, "fragment", False):
            return False
        at = block.text.index(stat.sentence) + max(stat.sentence.find(stat.value), 0)
        edges = [m.start() for m in _CLAUSE_END.finditer(block.text)]
        if not edges:
            return True
        return at < edges[0] or (at > edges[-1] and not _CLAUSE_END.search(block.text[-1]))
    return False


def _opener(stats: tuple[Stat, ...], sidecar: Sidecar) -> tuple[Stat, ...]:
    chosen: list[Stat] = []
    for pin in sidecar.pin:
        match = next((s for s in stats if s.value == pin.value), None)
        if match and match.value not in {c.value for c in chosen}:
            chosen.append(match)
    return _greedy(list(stats), OPENER_MAX, chosen, spread_sections=True, required=OPENER_MIN)


def _greedy(pool: list[Stat], size: int, chosen: list[Stat], spread_sections: bool,
            required: int) -> tuple[Stat, ...]:
    """Best-scoring figures first, each next one marked down for repeating a kind (money,
    people…), a sentence or, across the article, a section already shown. Beyond the
    ``required`` count a figure must still score ``EXTRA_MIN``: a weak fourth figure makes a box
    worse, not fuller."""
    chosen = list(chosen)
    pool = [s for s in pool if score(s) > 0]
    while len(chosen) < size:
        pool = [s for s in pool if s.value not in {c.value for c in chosen}]
        if not pool:
            break
        best = max(pool, key=lambda s: score(s) - _overlap(s, chosen, spread_sections))
        if len(chosen) >= required and score(best) - _overlap(best, chosen, spread_sections) < EXTRA_MIN:
            break
        chosen.append(best)
    return tuple(chosen)


def _overlap(stat: Stat, chosen: list[Stat], spread_sections: bool) -> float:
    # Squared, so a box may hold two money figures but hardly three.
    same_kind = sum(1 for c in chosen if kind(c) == kind(stat))
    same_sentence = sum(1 for c in chosen if c.sentence == stat.sentence)
    # Two figures of a kind whose labels open with the same verb read as one fact twice:
    # 3.25万人次 培训职工代表, 2万多人 培训职工.
    same_verb = sum(1 for c in chosen if kind(c) == kind(stat) and c.label[:2] == stat.label[:2])
    same_section = sum(1 for c in chosen if c.section == stat.section) if spread_sections else 0
    return 2.0 * same_kind**2 + 1.0 * same_sentence + 1.5 * same_verb + 0.5 * same_section


def _section_choice(members: list[Stat]) -> tuple[Stat, ...]:
    if len(members) < RICH_SECTION:
        return ()
    size = 4 if len(members) >= 10 else 3 if len(members) >= 6 else 2
    chosen = _greedy(members, size, [], spread_sections=False, required=SECTION_MIN)
    if len(chosen) < 2:
        return ()
    order = {id(s): i for i, s in enumerate(members)}
    return tuple(sorted(chosen, key=lambda s: order[id(s)]))


def _by_section(stats: tuple[Stat, ...]) -> dict[str, list[Stat]]:
    # The text before the first heading is the opener's; it gets no box of its own.
    out: dict[str, list[Stat]] = {}
    for stat in stats:
        if stat.section:
            out.setdefault(stat.section, []).append(stat)
    return out


def _anchor(article: Article, section: str, chosen: tuple[Stat, ...]) -> int:
    """Index of the block after which the box goes: the last paragraph holding one of its
    figures, else the section's last block."""
    current, last_in_section, anchor = "", -1, -1
    for i, block in enumerate(article.blocks):
        if isinstance(block, Heading) and block.level == 1:
            current = block.text
        if current != section:
            continue
        last_in_section = i
        if isinstance(block, (Paragraph, Quote)) and any(
            s.sentence in block.text and s.value in block.text for s in chosen
        ):
            anchor = i
    return anchor if anchor >= 0 else last_in_section


def source_index(article: Article, box: Callout) -> int:
    """Index in ``article.blocks`` of the paragraph a box belongs to, wherever the layout or
    the make-up put the box: the lede for the opener box (it is inserted after it), else the
    last paragraph or quote of the box's section holding one of its figures in the sentence it
    came from (the box's anchor, see ``_anchor``); -1 when none does. Found from the text, so it
    holds after an edition's conversion and after the make-up moved blocks."""
    if box.placement == "opener":
        index = _lede_index(article)
        return index if index >= 0 and isinstance(article.blocks[index], Paragraph) else -1
    sections = {s.section for s in box.stats}
    current, found = "", -1
    for i, block in enumerate(article.blocks):
        if isinstance(block, Heading) and block.level == 1:
            current = block.text
        if current in sections and isinstance(block, (Paragraph, Quote)) and any(
            s.sentence in block.text and s.value in block.text for s in box.stats
        ):
            found = i
    return found


def _lede_index(article: Article) -> int:
    """The opener box follows the lede (else the first paragraph); with none, it opens the
    body."""
    paragraphs = [i for i, b in enumerate(article.blocks) if isinstance(b, Paragraph)]
    ledes = [i for i in paragraphs if article.blocks[i].lede]
    return (ledes or paragraphs or [-1])[0]


def _insert(blocks: tuple[Block, ...], boxes: list[tuple[int, Callout]]) -> tuple[Block, ...]:
    """Put each box after the block at its index (-1: before everything)."""
    after: dict[int, list[Callout]] = {}
    for index, box in boxes:
        after.setdefault(index, []).append(box)
    out: list[Block] = list(after.get(-1, []))
    for i, block in enumerate(blocks):
        out.append(block)
        out.extend(after.get(i, []))
    return tuple(out)


def _relabelled(stats: tuple[Stat, ...], sidecar: Sidecar) -> tuple[Stat, ...]:
    return tuple(_relabel(s, sidecar) for s in stats)


def _relabel(stat: Stat, sidecar: Sidecar) -> Stat:
    label = sidecar.label_for(stat.value)
    return replace(stat, label=label) if label else stat


def _in_document_order(article: Article, stats: tuple[Stat, ...]) -> tuple[Stat, ...]:
    texts = [b.text if isinstance(b, (Paragraph, Quote)) else "" for b in article.blocks]

    def position(stat: Stat) -> tuple[int, int]:
        for i, text in enumerate(texts):
            if stat.sentence and stat.sentence in text:
                return i, text.index(stat.sentence) + max(stat.sentence.find(stat.value), 0)
        return len(texts), 0

    return tuple(sorted(stats, key=position))  # stable: equal places keep their order


def _missing_pins(article: Article, stats: tuple[Stat, ...], sidecar: Sidecar) -> list[Stat]:
    """Pinned values the extractor did not take as figures (七期): the editor has the last word,
    so they become statistics, read from the paragraph that holds them."""
    values = {s.value for s in stats}
    out: list[Stat] = []
    for pin in sidecar.pin:
        if pin.value not in values:
            stat = _stat_from_text(article, pin.value)
            if stat:
                out.append(stat)
                values.add(pin.value)
    return out


def _stat_from_text(article: Article, value: str) -> Stat | None:
    section = ""
    for block in article.blocks:
        if isinstance(block, Heading) and block.level == 1:
            section = block.text
        elif isinstance(block, (Paragraph, Quote)) and value in block.text:
            at = block.text.index(value)
            a, b = next((a, b) for a, b in sentence_spans(block.text) if a <= at < b)
            parsed = figures.parse(value)
            digits = re.search(r"\d+(?:\.\d+)?", value)
            return Stat(
                value=value,
                number=parsed.number if parsed else float(digits[0]) if digits else 0.0,
                unit=parsed.unit if parsed else "",
                label=label(block.text, at, at + len(value)),
                sentence=block.text[a:b].strip(),
                section=section,
                approximate=parsed.approximate if parsed else False,
            )
    return None
