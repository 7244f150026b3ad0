"""Reader for Markdown (``.md``) through markdown-it-py (CommonMark).

In: the file's bytes, its name, and ``load(src) -> bytes`` that reads a linked photo (the
caller resolves it against the file's folder and refuses what is outside the project).
Out: a ``Document`` whose lines stand on the source lines of their blocks (so the report's line
numbers are the Markdown file's), with no markup left:
- ``#`` headings: the first line, when it is one, is the title; the highest remaining level
  makes sections, deeper ones subheads;
- ``**…**`` opening a paragraph is the run-in subhead convention (``——**…**rest``); other
  emphasis, code spans and links keep only their text;
- ``![caption](photo.jpg)`` alone in a paragraph: the photo, with its alt text as caption; a
  photo in a paragraph with other text takes the next line as caption when it reads as one;
- list items keep their numbers (``1.``) or get ``•``; block quotes are quotes;
- a soft line break inside a paragraph joins the lines (no space between Chinese characters).
"""

from __future__ import annotations

import re
from typing import Callable

from paiban.errors import InputError

from .common import rank_headings, reads_as_caption, run_in
from .document import Document, Hint, Photo

PHOTO_SUFFIXES = {".jpg": ".jpg", ".jpeg": ".jpg", ".png": ".png", ".gif": ".gif",
                  ".webp": ".webp"}

_CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]")

Loader = Callable[[str], bytes]


def read(data: bytes, name: str = "", load: Loader | None = None) -> Document:
    """The ``Document`` of a Markdown file's bytes; its photos read through ``load``."""
    from markdown_it import MarkdownIt

    from .script import detect
    from .txt import decode_bytes

    source, encoding = decode_bytes(data, name)
    tokens = MarkdownIt("commonmark").parse(source)
    builder = _Builder(name, load)
    builder.walk(tokens)
    text = "\n".join(builder.lines)
    if not text.strip():
        raise InputError("has no text (only Markdown markup)", path=name or None)
    script, warning = detect(text)
    hints = builder.hints + rank_headings(builder.lines, builder.headings)
    return Document(text=text, format="md", encoding=encoding, script=script,
                    hints=tuple(sorted(hints, key=lambda h: h.line)),
                    photos=tuple(builder.photos),
                    warnings=tuple(dict.fromkeys(builder.warnings)) + ((warning,) if warning else ()),
                    changes=(f"decoded as {encoding}",) if encoding != "utf-8" else ())


def photo_links(data: bytes) -> list[str]:
    """The photo paths a Markdown file links (for the cache key and the preview's watch)."""
    from markdown_it import MarkdownIt

    from .txt import decode_bytes

    try:
        source, _ = decode_bytes(data)
    except InputError:
        return []
    links: list[str] = []
    for token in MarkdownIt("commonmark").parse(source):
        for child in token.children or ():
            if child.type == "image":
                links.append(str(child.attrs.get("src", "")))
    return links


def photo_suffix(src: str, name: str = "") -> str:
    """The file suffix of the photo ``src`` links; ``InputError`` for a link paiban does not
    read (a web address, not a JPEG, PNG, GIF or WebP file), before any file is opened."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", src):
        raise InputError(f"links the photo {src!r}, a web address or drive path; paiban "
                         f"reads photos from files next to the text", path=name or None)
    suffix = PHOTO_SUFFIXES.get("." + src.rsplit(".", 1)[-1].lower() if "." in src else "")
    if suffix is None:
        raise InputError(f"links the photo {src!r}, which is not a JPEG, PNG, GIF or WebP "
                         f"file", path=name or None)
    return suffix


class _Builder:
    def __init__(self, name: str, load: Loader | None) -> None:
        self.name = name
        self.load = load
        self.lines: list[str] = []
        self.hints: list[Hint] = []
        self.headings: list[tuple[int, int]] = []
        self.photos: list[Photo] = []
        self.pending: list[tuple[bytes, str, str]] = []
        self.warnings: list[str] = []

    def walk(self, tokens) -> None:
        lists: list[list] = []  # per open list: [ordered, next number, delimiter]
        quote = 0
        heading = 0
        item_label = ""
        for token in tokens:
            kind = token.type
            if kind in ("bullet_list_open", "ordered_list_open"):
                start = int(token.attrs.get("start", 1) or 1)
                lists.append([kind == "ordered_list_open", start, token.markup or "."])
            elif kind in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif kind == "list_item_open" and lists:
                ordered, number, delim = lists[-1]
                item_label = f"{number}{delim} " if ordered else "• "
                lists[-1][1] += 1
            elif kind == "blockquote_open":
                quote += 1
            elif kind == "blockquote_close":
                quote -= 1
            elif kind == "heading_open":
                heading = int(token.tag[1])
            elif kind == "heading_close":
                heading = 0
            elif kind == "inline":
                at = token.map[0] + 1 if token.map else len(self.lines) + 1
                self._inline(token, at, item_label, heading, quote > 0)
                item_label = ""
            elif kind in ("fence", "code_block"):
                at = token.map[0] + 1 if token.map else len(self.lines) + 1
                for i, line in enumerate(token.content.rstrip("\n").split("\n")):
                    self._put(at + i + (kind == "fence"), line.strip())
            elif kind == "html_block":
                self.warnings.append(f"HTML in the Markdown (line {token.map[0] + 1 if token.map else '?'}) "
                                     f"is left out")
        for data, suffix, origin in self.pending:
            self.photos.append(Photo(data, suffix, 0, captioned=False, origin=origin))

    def _put(self, at: int, text: str) -> int:
        """Write ``text`` on line ``at`` (or the next free line); its line number."""
        while len(self.lines) < at - 1:
            self.lines.append("")
        self.lines.append(text)
        return len(self.lines)

    def _inline(self, token, at: int, label: str, heading: int, quote: bool) -> None:
        segments: list[tuple[str, bool]] = []
        images: list[tuple[str, str]] = []
        bold = 0
        for child in token.children or ():
            kind = child.type
            if kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind in ("text", "code_inline"):
                segments.append((child.content, bold > 0))
            elif kind == "softbreak":
                segments.append(("\0soft", bold > 0))
            elif kind == "hardbreak":
                segments.append(("\n", bold > 0))
            elif kind == "image":
                images.append((str(child.attrs.get("src", "")), child.content))
            elif kind == "html_inline":
                self.warnings.append(f"HTML in the Markdown (line {at}) is left out")
        segments = _join_soft(segments)
        only_photos = images and not "".join(t for t, _ in segments).strip()
        for src, _alt in images:
            self._photo(src)
        if only_photos:
            alts = " ".join(alt.strip() for _, alt in images if alt.strip())
            if not alts:
                return  # uncaptioned: placed before the next line
            number = self._put(at, alts)
            self.hints.append(Hint(number, "caption"))
            self._place(number, True)
            return
        if heading:
            number = self._put(at, label + "".join(t for t, _ in segments).replace("\n", "").strip())
            self.headings.append((number, heading))
            self._place(number, False)
            return
        text = label + (run_in(segments) if not quote else "".join(t for t, _ in segments))
        for i, line in enumerate(text.split("\n")):
            line = line.strip()
            if not line:
                continue
            number = self._put(at + i, line)
            if quote:
                self.hints.append(Hint(number, "quote"))
            if self.pending:
                captioned = not quote and reads_as_caption(line)
                if captioned:
                    self.hints.append(Hint(number, "caption"))
                self._place(number, captioned)

    def _place(self, line: int, captioned: bool) -> None:
        for i, (data, suffix, origin) in enumerate(self.pending):
            last = i == len(self.pending) - 1
            self.photos.append(Photo(data, suffix, line, captioned=captioned and last,
                                     origin=origin))
        self.pending.clear()

    def _photo(self, src: str) -> None:
        suffix = photo_suffix(src, self.name)
        if self.load is None:
            self.warnings.append(f"photo {src} is not read (no folder to read it from)")
            return
        self.pending.append((self.load(src), suffix, src))


def _join_soft(segments: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Soft line breaks: nothing between Chinese characters, a space between Latin words."""
    out: list[tuple[str, bool]] = []
    for i, (text, bold) in enumerate(segments):
        if text != "\0soft":
            out.append((text, bold))
            continue
        before = out[-1][0][-1:] if out else ""
        after = next((t[:1] for t, _ in segments[i + 1:] if t and t != "\0soft"), "")
        cjk = bool(_CJK.match(before) or _CJK.match(after))
        out.append(("" if cjk or not before or not after else " ", bold))
    return out
