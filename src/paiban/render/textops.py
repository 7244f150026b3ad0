"""Shorter text operators: glyph adjustments to 1/100 000 em, text positions to 1/1000 pt.

In: nothing at import time. ``install()`` wraps ``show_text`` and ``set_text_matrix`` of WeasyPrint's PDF content
stream (``weasyprint.pdf.stream.Stream``; WeasyPrint 70.0 only, else ``RuntimeError``);
idempotent, ``uninstall()`` restores it.
Out: in every ``[…] TJ`` array WeasyPrint writes, each position adjustment is rounded to
1/100 000 em (2 decimals of the array's thousandths: the precision ``paiban.render.justify``
already writes the advance corrections with). Glyphs, their order and every adjustment stay
where they were (within 1/100 000 em per glyph), so extracted text and the check's
measurements do not change. Each text object's position (the translation of its ``Tm``) is
rounded to 1/1000 pt (0.35 µm), where pydyf writes six decimals.

Why: a letter-spaced glyph (every glyph of a justified Chinese line) gets two adjustments in
WeasyPrint's output, the advance correction after it and the x offset of the next glyph before
it, the second with all of a float's digits (``<42f5>-105.32<>-105.24338942307692<9640>``).
The two are kept apart, not summed: text extractors (pypdf, for one) read one large
adjustment between two ideographs as a word space. An array this module does not recognise
(anything but hex glyph strings and numbers) is left exactly as WeasyPrint wrote it.
"""

from __future__ import annotations

import re

from paiban.render.justify import _tj
from paiban.render.patching import Patch

_TOKEN = re.compile(r"<([0-9a-fA-F]*)>|(-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)")


def compact(text: str) -> str:
    """The TJ array body ``text`` with every number rounded to 2 decimals; ``text`` itself
    when it holds anything but hex strings and numbers."""
    parts: list[str] = []
    end = 0
    for match in _TOKEN.finditer(text):
        if match.start() != end:
            return text
        end = match.end()
        digits = match.group(2)
        parts.append(match.group() if digits is None else _tj(float(digits)))
    return "".join(parts) if end == len(text) else text


def _install_into(patch: Patch) -> None:
    """Apply the patch."""
    from weasyprint.pdf.stream import Stream

    original = Stream.show_text

    def show_text(self, text):
        return original(self, compact(text) if isinstance(text, str) else text)

    original_matrix = Stream.set_text_matrix

    def set_text_matrix(self, a, b, c, d, e, f):
        return original_matrix(self, a, b, c, d, round(e, 3), round(f, 3))

    patch.set(Stream, "show_text", show_text)
    patch.set(Stream, "set_text_matrix", set_text_matrix)


_PATCH = Patch(__name__, _install_into)
install, uninstall, installed = _PATCH.install, _PATCH.uninstall, _PATCH.installed
