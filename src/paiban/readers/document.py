"""What every reader produces, and the cleaning rules read: a ``Document``.

In: nothing (types only). Out: ``Document`` (the text as lines, hints for the lines whose role
the format states, embedded photos, encoding, detected script), ``Photo``, and ``Linked`` (a
photo a text links, as read).

A reader never decides what cleaning decides (rejoining, captions by position, bylines…): it
only says what the format itself says — this paragraph has Word's "Heading 1" style, this line
was a Markdown ``#`` — so that a .txt, a .docx and a .md of the same copy clean the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

HintKind = Literal["title", "heading", "caption", "quote"]


@dataclass(slots=True, frozen=True)
class Hint:
    """The role the format gives one line (cleaning takes it as given)."""

    line: int
    """1-based line of ``Document.text``."""
    kind: HintKind
    level: int = 0
    """For headings: 1 (section) or 2 (subhead)."""


@dataclass(slots=True, frozen=True)
class Photo:
    """A photo that came with the text (embedded in a .docx, linked from a .md)."""

    data: bytes
    """The image file's bytes, as read."""
    suffix: str
    """File suffix for its type, lower case with the dot (``.jpg``, ``.png``)."""
    line: int
    """Line of the caption that follows the photo; or, when ``captioned`` is False, the line
    the photo stands before (0: at the end)."""
    captioned: bool = True
    origin: str = ""
    """Where it came from, for messages (``word/media/image1.jpeg``, ``images/a.jpg``)."""


@dataclass(slots=True, frozen=True)
class Linked:
    """A photo a text links (a Markdown ``![caption](images/a.jpg)``) as the build read it, once:
    what its reader is served instead of the disk, wherever the text is cleaned."""

    src: str
    """The link as written."""
    data: bytes | None = None
    """The photo's bytes; None when it could not be read (``error`` says why)."""
    error: str | None = None
    """The one-line error reading it gave (naming the text), raised when the reader asks."""


@dataclass(slots=True, frozen=True)
class Document:
    """A source file as the cleaning rules read it."""

    text: str
    """One paragraph per line (blank lines as the format gives them); no markup except the
    ``**…**`` of a run-in subhead at a paragraph's start, the convention of the wire copy."""
    format: Literal["txt", "docx", "md"] = "txt"
    encoding: str = "utf-8"
    """How the text was decoded (``utf-8``, ``gb18030``…; ``docx`` for Word's own XML)."""
    script: Literal["zh-Hans", "zh-Hant"] = "zh-Hans"
    """The script the text is written in (see ``paiban.readers.script``)."""
    hints: tuple[Hint, ...] = ()
    photos: tuple[Photo, ...] = ()
    warnings: tuple[str, ...] = ()
    """What the reader could not carry over (an unreadable photo, a table…)."""
    changes: tuple[str, ...] = field(default=())
    """What the reader did that a reader of the report should know (decoded as GB18030…)."""
