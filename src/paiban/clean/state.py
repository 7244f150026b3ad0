"""The working state the cleaning rules share.

In: raw bytes (``read``) or text (``clean``) and the source name.
Out: after the rules ran, ``State.article`` holds the finished ``Article``.

Rules work on ``Unit``s: one non-empty source line each, in source order. Rules classify
units (``kind``), merge them (rejoin) or drop them (dedupe), and record everything they do
in the report lists, each entry with the source line it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from paiban.model import Article, Change, EndNote, Fragment, Join, Removal, Replacement

if TYPE_CHECKING:
    from paiban.readers import Hint

Kind = Literal["text", "kicker", "title", "deck", "caption", "credit", "heading", "byline",
               "quote", "note", "end", "item", "turn"]


@dataclass(slots=True)
class Unit:
    """One paragraph-to-be: a non-empty line of the source, later maybe merged with others."""

    text: str
    """The line as written (normalised), without leading or trailing whitespace."""
    line: int
    """1-based source line."""
    gap_before: int = 0
    """Blank lines between this line and the previous non-empty one (or the file's start)."""
    gap_after: int = 0
    """Blank lines between this line and the next non-empty one (or the file's end)."""
    kind: Kind = "text"
    """What the unit has been classified as; ``text`` until a rule decides otherwise."""
    level: int = 0
    """For headings: 1 (section) or 2 (subhead)."""
    marker: str = ""
    """For headings and the deck: the leading marker as written (``——``, ``一、``); for an
    editor's note: its label (``编者按``)."""
    body: str = ""
    """For headings and the deck: the text after the marker, ``**`` removed."""
    forced: str = ""
    """The role a sidecar ``[lines]`` entry gives this line ("" when none): no rule changes
    a forced unit's kind, and it is neither joined nor removed as a repeat."""
    photo: bool = False
    """True when an image file name was cut out of this line: if it is loose, it is a
    caption. (A file name alone on the line before is no such evidence: the line after it
    may be a heading, and cleaning the clean text again must read it the same way.)"""
    sources: list[tuple[int, str]] = field(default_factory=list)
    """The source lines this unit is made of, ``(line, text)``: one, or more once ``rejoin``
    joined some. A removal reports each, so every removed line is accounted for."""


@dataclass(slots=True)
class State:
    """Everything one cleaning run knows; each rule reads and updates it."""

    source: str = ""
    """File name of the source (recorded on the Article)."""
    path: str = ""
    """Where the file is, as the user named it (for error messages)."""
    raw: bytes | None = None
    """The file's bytes; None when cleaning text that is already decoded."""
    text: str = ""
    """The decoded (then normalised) text."""
    encoding: str = "utf-8"
    hints: dict[int, "Hint"] = field(default_factory=dict)
    """Roles the source format states, by line (``paiban.readers.Hint``; ``hints`` applies
    them)."""
    disabled: frozenset[str] = frozenset()
    """Names of the rules switched off for this run (``settle`` respects them too)."""
    units: list[Unit] = field(default_factory=list)
    title: Unit | None = None
    deck: Unit | None = None
    kicker: Unit | None = None
    byline: str = ""
    byline_line: int = 0
    dateline: str = ""
    dateline_line: int = 0
    end_matter: list[EndNote] = field(default_factory=list)
    joins: list[Join] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    fragments: list[Fragment] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    replaced: list[Replacement] = field(default_factory=list)
    overrides: dict[int, str] = field(default_factory=dict)
    """Sidecar ``[lines]``: source line -> role (see ``clean.lines``)."""
    override_source: str = ""
    """The sidecar that gave ``overrides`` (for the report)."""
    warnings: list[str] = field(default_factory=list)
    article: Article | None = None

    def change(self, rule: str, message: str, line: int = 0) -> None:
        """Record a change a rule made."""
        self.changes.append(Change(rule=rule, message=message, line=line))

    def body_units(self) -> list[Unit]:
        """Units after the title (all units when there is no title)."""
        if self.title is None:
            return self.units
        return self.units[self.units.index(self.title) + 1:]
