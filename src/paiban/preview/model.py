"""What the preview knows about a build: problems, results and target ids.

In: nothing (types and two small helpers).
Out: ``Problem`` (a build error as a person reads it: file, line, message), ``Result`` (what a
builder callback returns for one target) and the ``target_id`` naming a target in URLs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from paiban.targets import Target


@dataclass(slots=True, frozen=True)
class Problem:
    """A failed build, as the page shows it."""

    message: str
    """One line saying what went wrong."""
    file: str | None = None
    """The file to fix (a text, sidecar, template or stylesheet), when known."""
    line: int | None = None
    """1-based line in ``file``, when known."""


@dataclass(slots=True, frozen=True)
class Result:
    """What a builder callback returns for one target. Builders never raise."""

    pages: int = 0
    seconds: float = 0.0
    problem: Problem | None = None
    """None when the PDF was written; otherwise the previous PDF is still in place."""
    warnings: tuple[str, ...] = ()
    """WeasyPrint's warnings (ignored CSS, missing glyphs…), worth showing but not fatal."""
    title: str = ""
    """The article's title, for the start page ("" when unknown)."""

    @property
    def ok(self) -> bool:
        return self.problem is None


Builder = Callable[[Target], Result]
"""Renders one target (text × edition × layout) to its PDF and HTML in the build folder."""


def target_id(target: Target) -> str:
    """``<stem>/<edition>/<layout>``: the target's name in the preview's URLs."""
    return f"{target.text.stem}/{target.edition}/{target.layout}"


# "line 12" (Jinja, tomllib: "at line 3, column 5"), "file.css:12:4" (WeasyPrint, compilers).
_LINE = re.compile(r"\bline (\d+)|:(\d+)(?::\d+)?(?=\D|$)")


def parse_problem(message: str) -> Problem:
    """Split a build's one-line error (``<file>: <problem>``) into file, line and message."""
    file: str | None = None
    text = message
    head, sep, rest = message.partition(": ")
    # A PaibanError reads "<path>: <problem>"; only a path-looking head is taken as the file.
    if sep and " " not in head and ("/" in head or "." in head):
        file, text = head, rest
        match = re.fullmatch(r"(.+?):(\d+)(?::\d+)?", head)
        if match:
            return Problem(message=text, file=match.group(1), line=int(match.group(2)))
    match = _LINE.search(text)
    line = int(match.group(1) or match.group(2)) if match else None
    return Problem(message=text, file=file, line=line)
