"""Reader for plain text (``.txt``): the file's bytes to lines, with the encoding detected.

In: bytes and the file's name. Out: a ``Document`` (no hints, no photos; the script detected).

Detected: UTF-8 (with or without BOM), UTF-16 and UTF-32 with a BOM, GB18030 (which covers
GBK and GB2312). Anything else is refused with an ``InputError`` naming the file, never
decoded into mojibake: bytes that decode as GB18030 only by accident (Big5, Shift-JIS, Latin-1,
binaries) are caught because real Chinese text is almost all GB2312 (Simplified) or Big5
(Traditional) characters.
"""

from __future__ import annotations

import codecs

from paiban.errors import InputError

from .document import Document


def read(data: bytes, name: str = "") -> Document:
    """The ``Document`` of a plain-text file's bytes."""
    from .script import detect

    text, encoding = decode_bytes(data, name)
    script, warning = detect(text)
    return Document(text=text, format="txt", encoding=encoding, script=script,
                    warnings=(warning,) if warning else (),
                    changes=(f"decoded as {encoding}",) if encoding != "utf-8" else ())


BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
"""Checked in this order: the UTF-32 LE BOM starts with the UTF-16 LE one."""

COMMON_SHARE = 0.8
"""Share of Chinese characters that must be in GB2312 for a GB18030 reading to be believed."""

CONTROL_SHARE = 0.01
"""Share of control characters above which decoded text is taken for a binary file."""


def decode_bytes(raw: bytes, source: str = "") -> tuple[str, str]:
    """The text of ``raw`` and the encoding's name; ``InputError`` when it is not a text."""
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            try:
                return _checked(raw.decode(encoding), source), encoding
            except UnicodeDecodeError as exc:
                raise InputError(f"starts with a {encoding} byte-order mark but is not valid "
                                 f"{encoding} (byte {exc.start})", path=source) from None
    if b"\x00" in raw:
        raise InputError("looks like a binary file (it contains NUL bytes), not a text",
                         path=source)
    try:
        return _checked(raw.decode("utf-8"), source), "utf-8"
    except UnicodeDecodeError as exc:
        # Where UTF-8 fails is what helps with a UTF-8 file that has one bad byte; where
        # GB18030 fails is usually just the first Chinese character of a UTF-8 file.
        line = raw.count(b"\n", 0, exc.start) + 1
        not_utf8 = f"offset {exc.start}, line {line}"
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot be decoded as UTF-8 (bad byte at {not_utf8}) nor as GB18030 "
                         f"(bad byte at offset {exc.start}); save it as UTF-8",
                         path=source) from None
    if not _plausible_chinese(text):
        raise InputError("is not UTF-8 and does not read as GB18030 Chinese either (another "
                         "encoding such as Big5, or a binary file?); save it as UTF-8",
                         path=source)
    return _checked(text, source), "gb18030"


def _checked(text: str, source: str) -> str:
    """``text``, unless it is mostly control characters (a binary file that happens to
    decode)."""
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f\v")
    if text and controls / len(text) > CONTROL_SHARE:
        raise InputError("looks like a binary file (control characters), not a text",
                         path=source)
    return text


def _plausible_chinese(text: str) -> bool:
    """True when ``text`` (decoded as GB18030) reads like Chinese, not mojibake: its characters
    are almost all common Simplified ones (GB2312) or common Traditional ones (Big5), as real
    text is and accidental decodings are not."""
    chinese = [c for c in text if ord(c) >= 0x80]
    if not chinese:
        return True
    return any(_share(chinese, table) >= COMMON_SHARE for table in ("gb2312", "big5"))


def _share(chars: list[str], encoding: str) -> float:
    common = 0
    for c in chars:
        try:
            c.encode(encoding)
            common += 1
        except UnicodeEncodeError:
            pass
    return common / len(chars)
