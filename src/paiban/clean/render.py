"""The clean model back to plain text, in the source's own conventions.

In: an ``Article``. Out: text that ``clean`` reads back into the same model: the title, the
deck as ``——…``, one paragraph per line with a blank line between, captions set apart by
three blank lines before them and one after (as in the source texts), run-in subheads as
``——**…**`` at the start of their paragraph, the byline in brackets after the last paragraph,
before any closing captions. Used by the idempotence tests and handy for diffing a cleaning.
The frame is written in the conventions cleaning reads: the kicker above the title, a
dateline (with the byline in brackets, when it was written there) opening the first
paragraph, a byline line of its own under the deck when it stood above the body, an editor's
note with its label, a credit in brackets after its caption, the end matter last, one line
per source line.
"""

from __future__ import annotations

from paiban.model import Article, Block, Figure, Heading, ListBlock, Note, Paragraph, Turn

from .byline import own_line_byline

CAPTION_GAP = "\n\n\n\n"
PARAGRAPH_GAP = "\n\n"


def to_text(article: Article) -> str:
    """``article`` as plain text (see module docstring)."""
    pieces: list[tuple[str, bool]] = []  # (text, is_caption)
    blocks = list(article.blocks)
    front = [b for b in blocks if isinstance(b, Figure) and b.line
             and article.title_line and b.line < article.title_line]
    for block in front:
        pieces.append((_line(block), True))
    if article.kicker:
        pieces.append((article.kicker_marker + article.kicker, False))
    if article.title:
        pieces.append((article.title, False))
    if article.subtitle or article.subtitle_marker:
        pieces.append((article.subtitle_marker + article.subtitle, False))
    body = [b for b in blocks if not any(b is f for f in front)]
    # On the dateline's line the byline opened the paragraph, unless the report says it was
    # cut off its end (a one-paragraph brief).
    cut = any(c.rule == "byline" and "off the end" in c.message and c.line == article.byline_line
              for c in article.report.changes)
    head = bool(article.dateline) and article.byline_line == article.dateline_line and not cut
    first_line = min((b.line for b in body if b.line), default=0)
    # A byline line of its own above the body, when it reads as one again (本报记者 X);
    # otherwise the byline goes in brackets at its place.
    top = (article.byline and not head and article.byline_line
           and (not first_line or article.byline_line < first_line)
           and own_line_byline(article.byline) is not None)
    if top:
        pieces.append((article.byline, False))
    byline_at = _byline_position(body, article.byline_line) if article.byline and not (
        head or top) else -1
    # The dateline opens the paragraph it was written on when a short fragment came first
    # (``。`` cut off the line before); the first paragraph otherwise (it may repeat it).
    paragraphs = [i for i, b in enumerate(body) if isinstance(b, Paragraph)]
    lede = paragraphs[0] if paragraphs else -1
    own = next((i for i in paragraphs if body[i].line == article.dateline_line), lede)
    if article.dateline and lede >= 0 and not body[lede].text.startswith(article.dateline):
        lede = own
    groups: dict[int, list[str]] = {}
    for e in article.end_matter:
        groups.setdefault(e.line, []).append(e.text)
    ends = sorted(groups.items())  # end matter at its place: its neighbours decide captions

    def flush(before: int | None) -> None:
        while ends and (before is None or ends[0][0] < before):
            pieces.append((" ".join(ends.pop(0)[1]), False))

    i = 0
    while i < len(body):
        block = body[i]
        if i == byline_at:
            flush(article.byline_line + 1)  # end matter cut off the byline's paragraph first
            pieces.append((f"（{article.byline}）", False))
        if block.line:
            flush(block.line)
        if isinstance(block, Heading) and block.run_in and i + 1 < len(body):
            head = f"{block.marker}**{block.text}{block.marker_end}**"
            if block.marker == "【":
                head = f"{block.marker}{block.text}{block.marker_end}"
            pieces.append((head + body[i + 1].text, False))
            i += 2
            continue
        text = _line(block)
        if i == lede and article.dateline:
            text = article.dateline + (f"（{article.byline}）" if head else " ") + text
        pieces.append((text, isinstance(block, Figure)))
        i += 1
    if byline_at >= len(body):
        flush(article.byline_line + 1)
        pieces.append((f"（{article.byline}）", False))
    flush(None)
    return _join(pieces)


def _line(block: Block) -> str:
    if isinstance(block, Figure):
        return block.caption + (f"（{block.credit}）" if block.credit else "")
    if isinstance(block, Note):
        # A label that stood alone on its line is written with a colon, on the text's line.
        bare = block.marker and block.marker[-1] not in "：:】]〕）)"
        return block.marker + ("：" if bare else "") + block.text
    if isinstance(block, Heading):
        if block.run_in or (block.level == 2 and not block.marker):
            # A run-in subhead with no paragraph after it, or a bold subhead line.
            return f"{block.marker}**{block.text}{block.marker_end}**"
        return block.marker + block.text + block.marker_end
    if isinstance(block, ListBlock):
        return "\n".join(i.marker + i.text for i in block.items)  # one item a line
    if isinstance(block, Turn):
        return block.speaker + block.text
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
