"""Articles for the statistics tests, built from the seed texts.

In: a seed path. Out: an ``Article``. Uses the cleaner (``paiban.clean.read``) when it exists;
until then, a deliberately simple reading: each non-empty line is a paragraph, a line starting
with —— is a subhead, a short line without closing or inner punctuation is a section heading,
a line repeated word for word is dropped, and a line that starts mid-figure or stops
mid-sentence is marked a fragment. The statistics stage only needs paragraphs and
level-1 headings, so the tests hold with either reading.
"""

from __future__ import annotations

import re
from pathlib import Path

from paiban.model import Article, Block, Heading, Paragraph

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))

_CLOSING = re.compile(r"[。！？!?…]$")


def read(path: Path) -> Article:
    """The seed as an Article: the cleaner's, or the simple reading."""
    try:
        from paiban import clean

        reader = clean.read
    except (ImportError, AttributeError):
        return simple_read(path)
    return reader(path)


def simple_read(path: Path) -> Article:
    """Each non-empty line a block; enough structure for statistics (see module docstring)."""
    lines = [ln.strip() for ln in path.read_text("utf-8").splitlines()]
    lines = [ln for ln in lines if ln]
    title, body = lines[0], lines[1:]
    blocks: list[Block] = []
    seen: set[str] = set()
    for number, line in enumerate(body, start=2):
        if line in seen:
            continue
        seen.add(line)
        blocks.extend(_blocks(line, number))
    return Article(title=title, blocks=tuple(blocks), source=path.name, stem=path.stem)


def article_of(*lines: str) -> Article:
    """An Article from literal lines (for small tests)."""
    blocks = [b for i, ln in enumerate(lines, 1) for b in _blocks(ln, i)]
    return Article(title="t", blocks=tuple(blocks))


def _blocks(line: str, number: int) -> list[Block]:
    run_in = re.match(r"——\*\*(.+?)\*\*(.*)$", line)
    if run_in:
        head = Heading(text=run_in[1], level=2, marker="——", run_in=True, line=number)
        rest = run_in[2].strip()
        return [head, Paragraph(text=rest, line=number)] if rest else [head]
    return [_block(line, number)]


def _block(line: str, number: int) -> Block:
    if line.startswith("——"):
        return Heading(text=line[2:], level=2, marker="——", line=number)
    if not _CLOSING.search(line) and not re.search(r"[，。；]", line) and 8 <= len(line) <= 40:
        return Heading(text=line, level=1, line=number)
    # A line cut at a page break starts mid-figure (万条，…) or stops mid-sentence.
    fragment = bool(re.match(r"[万亿，、。]", line)) or not _CLOSING.search(line)
    return Paragraph(text=line, fragment=fragment, line=number)
