"""Rule ``decode``: the file's bytes to text, with the encoding detected.

In: ``State.raw`` (None when cleaning text that is already decoded, as from a reader's
``Document``: the rule does nothing).
Out: ``State.text`` and ``State.encoding``; a ``Change`` when the file was not plain UTF-8.
The decoding itself is the plain-text reader's (``paiban.readers.txt``).
"""

from __future__ import annotations

from paiban.readers.txt import decode_bytes

from .state import State

__all__ = ["decode", "decode_bytes"]


def decode(state: State) -> None:
    """Decode ``state.raw`` into ``state.text``."""
    if state.raw is None:
        return
    text, encoding = decode_bytes(state.raw, state.path or state.source)
    state.text, state.encoding = text, encoding
    if encoding != "utf-8":
        state.change("decode", f"decoded as {encoding}")


