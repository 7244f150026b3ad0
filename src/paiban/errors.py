"""User-facing errors.

A ``PaibanError`` is something the user can fix (bad input, missing font, bad config): the CLI
prints it as one line, ``paiban: <where>: <problem>``, and exits non-zero. Anything else is a bug.
"""

from __future__ import annotations

import re

_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROLS_BUT_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str, *, lines: bool = False) -> str:
    """``text`` with control characters written as ``\\x1b`` (line feeds and tabs too, unless
    ``lines``): escape sequences from a text or a file name must not reach the terminal (they
    can retitle, clear or rewrite it), and an error stays on one line."""
    pattern = _CONTROLS_BUT_LINES if lines else _CONTROLS
    return pattern.sub(lambda m: f"\\x{ord(m[0]):02x}", text)


class PaibanError(Exception):
    """An error with a one-line message naming the file (or key) and the problem."""

    def __init__(self, message: str, *, path: str | None = None, exit_code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.exit_code = exit_code

    def __str__(self) -> str:
        one_line = " ".join(self.message.split())
        return visible(f"{self.path}: {one_line}" if self.path else one_line)


class InputError(PaibanError):
    """A source text that cannot be read or cleaned."""


class ConfigError(PaibanError):
    """A bad value in the project config or a sidecar file."""


class FontError(PaibanError):
    """A font the edition needs is not installed."""
