"""Rule ``normalise``: line endings and the white space at line ends.

In: ``State.text`` as decoded. Out: the same text with CRLF and lone CR turned into LF and
white space at line ends (spaces, tabs, ideographic spaces U+3000, no-break spaces) removed.
Each kind of change is reported once, with a count. Nothing else is touched: full-width and
half-width characters are kept as written (a rewrite there would change the author's text).
"""

from __future__ import annotations

from .state import State


def normalise(state: State) -> None:
    """Normalise line endings and trailing white space of ``state.text``."""
    text = state.text
    crlf = text.count("\r\n")
    text = text.replace("\r\n", "\n")
    lone_cr = text.count("\r")
    text = text.replace("\r", "\n")
    if crlf:
        state.change("normalise", f"{crlf} CRLF line endings made LF")
    if lone_cr:
        state.change("normalise", f"{lone_cr} CR line endings made LF")
    lines = text.split("\n")
    trimmed = [line.rstrip() for line in lines]
    changed = [i for i, (a, b) in enumerate(zip(lines, trimmed), 1) if a != b]
    if changed:
        ideographic = sum(1 for i in changed if "\u3000" in lines[i - 1][len(trimmed[i - 1]):])
        state.change(
            "normalise",
            f"white space removed at the end of {len(changed)} lines"
            + (f" ({ideographic} with ideographic spaces)" if ideographic else ""),
            changed[0],
        )
    state.text = "\n".join(trimmed)
