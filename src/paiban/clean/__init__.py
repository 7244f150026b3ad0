"""Cleaning: a raw feature text to a structured ``Article``, losing nothing.

In: a file (``read``) or text (``clean``). Out: an ``Article`` whose ``report`` lists every
change: joins, removed repeats with their text, fragments, other changes, warnings, each with
its source line.

Cleaning is an ordered list of named rules (like markdown-it-py's core rules), each in its own
module, each taking the one ``State``; any rule can be switched off by name
(``clean(text, disable={"dedupe"})``) to test the others alone:

    decode → normalise → punct → split → lines → byline → frame → dedupe → lists → marked
    → interview → captions → headings → rejoin → settle → quotes → structure

(``byline`` and ``frame`` come before ``dedupe``: a last paragraph minus its byline may repeat
another, and the title is no paragraph to compare with.)

Input limits: files over ``MAX_BYTES`` (10 MB; a long feature is under 100 KB) are refused
with a one-line ``InputError``, as are directories, missing files, empty or whitespace-only
files, binary files and bytes that are not UTF-8, UTF-16/32 with a BOM, or GB18030.
"""

from __future__ import annotations

import os
import stat

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from paiban.errors import InputError
from paiban.model import Article

from .byline import byline
from .captions import captions
from .decode import decode
from .dedupe import dedupe
from .frame import frame
from .headings import headings
from .interview import interview
from .lines import lines
from .lists import lists
from .marked import marked
from .normalise import normalise
from .punct import punct
from .quotes import quotes
from .rejoin import rejoin
from .render import to_text
from .settle import settle
from .split import split
from .state import State
from .structure import structure

__all__ = ["MAX_BYTES", "RULES", "clean", "read", "run", "to_text"]

Rule = Callable[[State], None]

RULES: list[tuple[str, Rule]] = [
    ("decode", decode),
    ("normalise", normalise),
    ("punct", punct),
    ("split", split),
    ("lines", lines),
    ("byline", byline),
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

MAX_BYTES = 10 * 1024 * 1024
"""Largest file ``read`` accepts."""


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
    """Read, decode and clean the file at ``path``; ``InputError`` with a one-line message
    naming the file when it cannot be used (see the module docstring)."""
    raw = _read_bytes(Path(path))
    if not raw:
        raise InputError("is empty", path=str(path))
    state = State(source=Path(path).name, path=str(path), raw=raw,
                  overrides=dict(overrides or {}), override_source=override_source)
    decode(state)
    if not state.text.strip():
        raise InputError("contains only white space", path=str(path))
    state = run(state, set(disable) | {"decode"})
    assert state.article is not None
    return state.article


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, at most ``MAX_BYTES``: only a regular file is opened (a FIFO would
    block the open, /dev/zero never ends), and the read stops past the limit, so a file that
    grows while it is read cannot make it unbounded."""
    try:
        if path.is_dir():
            raise InputError("is a directory, not a text file", path=str(path))
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError("is not a regular file (a device, FIFO or socket)", path=str(path))
        if info.st_size > MAX_BYTES:
            raise InputError(f"is too large ({info.st_size / 1024 / 1024:.1f} MB; the limit is "
                             f"{MAX_BYTES // 1024 // 1024} MB for one text)", path=str(path))
        # O_NONBLOCK: if a FIFO replaced the file since the check, the open does not wait.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise InputError("is not a regular file (a device, FIFO or socket)",
                                 path=str(path))
            data = fh.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise InputError(f"is too large (over {MAX_BYTES // 1024 // 1024} MB, the limit "
                             f"for one text)", path=str(path))
        return data
    except FileNotFoundError:
        raise InputError("no such file", path=str(path)) from None
    except PermissionError:
        raise InputError("cannot be read (permission denied)", path=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", path=str(path)) from None
