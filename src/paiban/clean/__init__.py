"""Cleaning: a raw feature text to a structured ``Article``, losing nothing.

In: a file (``read``, through its format's reader: ``paiban.readers``), a reader's ``Document``
(``clean_document``) or text (``clean``). Out: an ``Article`` whose ``report`` lists every
change: joins, removed repeats with their text, fragments, other changes, warnings, each with
its source line.

Cleaning is an ordered list of named rules (like markdown-it-py's core rules), each in its own
module, each taking the one ``State``; any rule can be switched off by name
(``clean(text, disable={"dedupe"})``) to test the others alone:

    decode → normalise → punct → split → hints → lines → clutter → endmatter → byline → notes
    → credits → frame → dedupe → lists → marked → interview → captions → headings → rejoin
    → settle → quotes → structure

(``clutter`` to ``credits`` classify lines by their own words, before anything reads lines by
their neighbours: a byline, an editor's note or a credit is never a title, heading or
caption. ``byline`` and ``frame`` come before ``dedupe``: a last paragraph minus its byline
may repeat another, and the title is no paragraph to compare with.)

Input limits: files over ``MAX_BYTES`` (10 MB; a long feature is under 100 KB) are refused
with a one-line ``InputError``, as are directories, missing files, empty or whitespace-only
files, binary files and bytes that are not UTF-8, UTF-16/32 with a BOM, or GB18030.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from paiban.errors import InputError
from paiban.model import Article
from paiban.readers import MAX_BYTES, Document

from .byline import byline
from .captions import captions
from .clutter import clutter
from .credits import credits
from .decode import decode
from .dedupe import dedupe
from .endmatter import endmatter
from .frame import frame
from .headings import headings
from .hints import hints
from .interview import interview
from .lines import lines
from .lists import lists
from .marked import marked
from .normalise import normalise
from .punct import punct
from .notes import notes
from .quotes import quotes
from .rejoin import rejoin
from .render import to_text
from .settle import settle
from .split import split
from .state import State
from .structure import structure

__all__ = ["MAX_BYTES", "RULES", "clean", "clean_document", "read", "run", "to_text"]

Rule = Callable[[State], None]

RULES: list[tuple[str, Rule]] = [
    ("decode", decode),
    ("normalise", normalise),
    ("punct", punct),
    ("split", split),
    ("hints", hints),
    ("lines", lines),
    ("clutter", clutter),
    ("endmatter", endmatter),
    ("byline", byline),
    ("notes", notes),
    ("credits", credits),
    ("frame", frame),
    ("dedupe", dedupe),
    ("lists", lists),
    ("marked", marked),
    ("interview", interview),
    ("captions", captions),
    ("headings", headings),
    ("rejoin", rejoin),
    ("settle", settle),
    ("quotes", quotes),
    ("structure", structure),
]
"""The cleaning rules in the order they run."""

REQUIRED = {"split", "lines", "structure"}
"""Rules that cannot be switched off: without them there is no model."""


def run(state: State, disable: Iterable[str] = ()) -> State:
    """Run the rules on ``state`` in order, skipping those named in ``disable``."""
    off = set(disable)
    unknown = off - {name for name, _ in RULES}
    if unknown:
        raise ValueError(f"unknown cleaning rules: {', '.join(sorted(unknown))}")
    if off & REQUIRED:
        raise ValueError(f"rules {', '.join(sorted(off & REQUIRED))} cannot be switched off")
    state.disabled = frozenset(off)
    for name, rule in RULES:
        if name not in off:
            rule(state)
    return state


def clean(text: str, source: str = "", disable: Iterable[str] = (),
          overrides: Mapping[int, str] | None = None) -> Article:
    """Clean decoded ``text`` into an ``Article``; ``InputError`` when it has no text.
    ``overrides`` maps source lines to roles (a sidecar's ``[lines]``, see ``lines``)."""
    if not text.strip():
        raise InputError("has no text (empty or only white space)", path=source or None)
    state = run(State(source=source, text=text, overrides=dict(overrides or {})), disable)
    assert state.article is not None
    return state.article


def read(path: Path, disable: Iterable[str] = (),
         overrides: Mapping[int, str] | None = None, override_source: str = "") -> Article:
    """Read the file at ``path`` with the reader for its format (.txt, .docx, .md) and clean
    it; ``InputError`` with a one-line message naming the file when it cannot be used (see
    the module docstring). ``overrides``: a sidecar's ``[lines]`` (see ``lines``), named in
    the report by ``override_source``."""
    from paiban.readers import read_file

    return clean_document(read_file(Path(path)), Path(path), disable, overrides,
                          override_source)


def clean_document(doc: Document, path: Path, disable: Iterable[str] = (),
                   overrides: Mapping[int, str] | None = None,
                   override_source: str = "") -> Article:
    """Clean a reader's ``Document`` of the file at ``path``: the same rules for every format;
    the format's hints (a heading style, a Markdown ``#``) fix those lines' roles, and a
    sidecar's ``overrides`` win over both."""
    if not doc.text.strip():
        raise InputError("contains only white space", path=str(path))
    state = State(source=Path(path).name, path=str(path), text=doc.text, encoding=doc.encoding,
                  hints={h.line: h for h in doc.hints}, overrides=dict(overrides or {}),
                  override_source=override_source)
    for message in doc.changes:
        state.change("decode", message)
    state.warnings.extend(doc.warnings)
    state = run(state, set(disable) | {"decode"})
    assert state.article is not None
    return replace(state.article, lang=doc.script)
