"""Sample articles for the layout tests, built from the seed texts.

In: a seed path. Out: an ``Article`` with every block kind the layouts draw: title, deck,
byline, level-1 sections, standalone and run-in subheads, a pull quote, figures, an opener
数说 box and a section box.

Uses the cleaner (``paiban.clean.read``) and the statistics stage when they exist; until then a
deliberately simple reading of the seed: the first line is the title, a ``——`` line under it
the deck, a line after two or more blank lines is a caption, ``——**…**text`` a run-in subhead,
``——text`` a standalone subhead, a short line without final punctuation a section heading, a
short line right after a section heading a pull quote; lines split by a page break are joined,
repeats dropped, and a trailing ``（name name）`` becomes the byline. The boxes then hold a few
figures found by a regular expression, so the tests do not depend on the statistics stage.
"""

from __future__ import annotations

import re
from pathlib import Path

from paiban.model import (Article, Block, Callout, Figure, Heading, Paragraph, Quote, Stat)

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))

_END = re.compile(r"[。！？!?…”」』）)]$")
_RUN_IN = re.compile(r"^(——)\*\*(.+?)\*\*(.*)$")
_BYLINE = re.compile(r"（([\u4e00-\u9fff]{2,4}(?: [\u4e00-\u9fff]{2,4})*)）$")
_FIGURE = re.compile(r"(\d[\d.]*)(万多|万|亿多|亿|多)?(元|人次|名|家|个|项|起|人|条|场|期|件)")


def read(path: Path) -> Article:
    """The seed as a full Article: the real pipeline's when available, else the simple one."""
    try:
        from paiban import clean, stats

        article = stats.apply(clean.read(path))
    except (ImportError, AttributeError):
        return simple_read(path)
    return article


def simple_read(path: Path) -> Article:
    """The simple reading described in the module docstring."""
    raw = path.read_text("utf-8").splitlines()
    items: list[tuple[int, str, int]] = []  # (line number, text, blank lines before)
    blanks = 0
    for number, line in enumerate(raw, start=1):
        line = line.strip()
        if not line:
            blanks += 1
            continue
        items.append((number, line, blanks))
        blanks = 0
    title = items[0][1]
    subtitle = marker = ""
    rest = items[1:]
    if rest and rest[0][1].startswith("——"):
        marker, subtitle = "——", rest[0][1][2:]
        rest = rest[1:]
    # Rejoin lines split by a page break: a line without final punctuation followed by text.
    joined: list[tuple[int, str, int]] = []
    for item in rest:
        prev = joined[-1] if joined else None
        if (prev and item[2] <= 1 and prev[2] <= 1 and not _END.search(prev[1])
                and re.search(r"[，。]|\*\*$|\*\*.", prev[1]) and not item[1].startswith("——")):
            joined[-1] = (prev[0], prev[1] + item[1], prev[2])
        else:
            joined.append(item)
    blocks: list[Block] = []
    seen: set[str] = set()
    byline = ""
    figures = 0
    lede_done = False
    for number, text, before in joined:
        if text in seen:
            continue
        seen.add(text)
        m = _BYLINE.search(text)
        if m:
            byline, text = m[1], text[: m.start()]
        prev = blocks[-1] if blocks else None
        if before >= 2 and not _END.search(text) and len(text) < 80:
            figures += 1
            blocks.append(Figure(caption=text, number=figures, line=number))
        elif (m2 := _RUN_IN.match(text)):
            blocks.append(Heading(m2[2], 2, marker=m2[1], run_in=True, line=number))
            blocks.append(Paragraph(m2[3], line=number))
        elif text.startswith("——") and len(text) < 30:
            blocks.append(Heading(text[2:], 2, marker="——", line=number))
        elif any(text in b.text for b in blocks if isinstance(b, Paragraph)):
            continue  # a truncated repeat of an earlier paragraph
        elif not re.search(r"[。！？]$", text) and len(text) <= 30:
            blocks.append(Heading(text, 1, line=number))
        elif isinstance(prev, Heading) and prev.level == 1 and len(text) <= 30:
            blocks.append(Quote(text, line=number))
        else:
            fragment = not _END.search(text) or not re.match(r"[\u4e00-\u9fff“《0-9]", text)
            blocks.append(Paragraph(text, lede=not lede_done, fragment=fragment, line=number))
            lede_done = True
    article = Article(title=title, subtitle=subtitle, subtitle_marker=marker, byline=byline,
                      blocks=tuple(blocks), source=path.name, stem=path.stem)
    return with_callouts(article)


def figures_in(article: Article) -> list[Stat]:
    """Every number-with-unit in the paragraphs, labelled by the words before it."""
    out: list[Stat] = []
    section = ""
    for block in article.blocks:
        if isinstance(block, Heading) and block.level == 1:
            section = block.text
        if not isinstance(block, Paragraph):
            continue
        for m in _FIGURE.finditer(block.text):
            start = max(block.text.rfind(p, 0, m.start()) for p in "，。；、：")
            label = block.text[start + 1: m.start()][-8:] or block.text[m.end(): m.end() + 6]
            label = re.sub(r"^(共|累计|全市|各级工会|5年来)", "", label)
            if len(label) < 3 or "年" in m[0]:
                continue
            scale = {"万": 1e4, "万多": 1e4, "亿": 1e8, "亿多": 1e8}.get(m[2] or "", 1)
            out.append(Stat(value=m[0], number=float(m[1]) * scale, unit=m[3], label=label,
                            sentence=block.text, section=section,
                            approximate="多" in (m[2] or "")))
    return out


def with_callouts(article: Article) -> Article:
    """An opener 数说 box (the four largest figures) after the lede, and a section box after
    the paragraph richest in figures."""
    found = figures_in(article)
    if len(found) < 4:
        return article
    opener = tuple(sorted(found, key=lambda s: -s.number)[:4])
    rest = [s for s in found if s not in opener]
    best = max(
        (i for i, b in enumerate(article.blocks) if isinstance(b, Paragraph)),
        key=lambda i: sum(s.sentence == article.blocks[i].text for s in rest),
    )
    box = tuple(s for s in rest if s.sentence == article.blocks[best].text)[:3]
    blocks = list(article.blocks)
    if box:
        blocks.insert(best + 1, Callout(stats=box))
    lede = next(i for i, b in enumerate(blocks) if isinstance(b, Paragraph))
    blocks.insert(lede + 1, Callout(stats=opener, title="数说", placement="opener"))
    return Article(**{**{f: getattr(article, f) for f in article.__dataclass_fields__},
                      "blocks": tuple(blocks), "stats": tuple(found)})


def every_kind() -> Article:
    """A small article holding each block kind once (and hostile text), for HTML tests."""
    stat = Stat(value="8070万元", number=8.07e7, unit="元", label="送温暖慰问金",
                sentence="筹集送温暖慰问金8070万元。", section="一")
    return Article(
        title="标题<b>粗</b>", subtitle="副题", subtitle_marker="——", byline="黄秀珍 郑飞飞",
        blocks=(
            Paragraph("导语段落，<script>alert(1)</script> 与 {{ 7*7 }}。", lede=True),
            Callout(stats=(stat, stat, stat), title="数说", placement="opener"),
            Heading("一节", 1),
            Quote("责任立基，成就天地人和。"),
            Heading("独立小标题", 2, marker="——"),
            Paragraph("正文一。"),
            Heading("引题小标题。", 2, marker="——", run_in=True),
            Paragraph("正文二，筹集送温暖慰问金8070万元。"),
            Figure(caption="图注一", number=1),
            Callout(stats=(stat,)),
            Figure(caption="图注二", number=2, ratio=1.0),
            Paragraph("末段。"),
        ),
        stats=(stat,),
    )
