"""The clean model back to plain text, in the source's own conventions.

In: an ``Article``. Out: text that ``clean`` reads back into the same model: the title, the
deck as ``——…``, one paragraph per line with a blank line between, captions set apart by
three blank lines before them and one after (as in the source texts), run-in subheads as
``——**…**`` at the start of their paragraph, the byline in brackets after the last paragraph,
before any closing captions. Used by the idempotence tests and handy for diffing a cleaning.
"""

from __future__ import annotations

from paiban.model import Article, Block, Figure, Heading, ListBlock, Turn

CAPTION_GAP = "\n\n\n\n"
PARAGRAPH_GAP = "\n\n"


def to_text(article: Article) -> str:
    """``article`` as plain text (see module docstring)."""
    pieces: list[tuple[str, bool]] = []  # (text, is_caption)
    blocks = list(article.blocks)
    front = [b for b in blocks if isinstance(b, Figure) and b.line
             and article.title_line and b.line < article.title_line]
    for block in front:
        pieces.append((block.caption, True))
    if article.title:
        pieces.append((article.title, False))
    if article.subtitle or article.subtitle_marker:
        pieces.append((article.subtitle_marker + article.subtitle, False))
    body = [b for b in blocks if not any(b is f for f in front)]
    byline_at = _byline_position(body, article.byline_line)
    i = 0
    while i < len(body):
        block = body[i]
        if i == byline_at and article.byline:
            pieces.append((f"（{article.byline}）", False))
        if isinstance(block, Heading) and block.run_in and i + 1 < len(body):
            head = f"{block.marker}**{block.text}{block.marker_end}**"
            if block.marker == "【":
                head = f"{block.marker}{block.text}{block.marker_end}"
            pieces.append((head + body[i + 1].text, False))
            i += 2
            continue
        pieces.append((_line(block), isinstance(block, Figure)))
        i += 1
    if byline_at >= len(body) and article.byline:
        pieces.append((f"（{article.byline}）", False))
    pieces += [(line, False) for line in article.end_matter]
    return _join(pieces)


def _line(block: Block) -> str:
    if isinstance(block, Heading):
        if block.run_in or (block.level == 2 and not block.marker):
            # A run-in subhead with no paragraph after it, or a bold subhead line.
            return f"{block.marker}**{block.text}{block.marker_end}**"
        return block.marker + block.text + block.marker_end
    if isinstance(block, ListBlock):
        return "\n".join(i.marker + i.text for i in block.items)  # one item a line
    if isinstance(block, Turn):
        return block.speaker + block.text
    if isinstance(block, Figure) and block.credit:
        return f"{block.caption}{CAPTION_GAP}{block.credit}"
    return block.text


def _byline_position(body: list[Block], line: int) -> int:
    """Index of the block the byline goes before: the first one after the byline's source
    line, or else the first of the closing run of captions."""
    if line:
        return next((i for i, b in enumerate(body) if b.line > line), len(body))
    i = len(body)
    while i > 0 and isinstance(body[i - 1], Figure):
        i -= 1
    return i


def _join(pieces: list[tuple[str, bool]]) -> str:
    out = ""
    for n, (text, caption) in enumerate(pieces):
        if n:
            out += CAPTION_GAP if caption else PARAGRAPH_GAP
        out += text
    return out + "\n"
