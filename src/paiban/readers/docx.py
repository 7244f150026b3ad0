"""Reader for Word files (``.docx``): paragraphs, run-in subheads, headings, lists, photos.

In: the .docx file's bytes and name. Out: a ``Document``:
- one line per paragraph, in order (table cells too, cell by cell); Word's empty paragraphs
  are blank lines, a line break inside a paragraph starts a new line;
- a paragraph that opens with bold (``——`` may come before it) followed by plain text becomes
  the wire copy's run-in subhead ``——**…**rest``; a short paragraph all in bold, ``**…**``;
  bold elsewhere is emphasis and is not carried over;
- headings by paragraph style (Title, Heading 1…, 标题 1…; or an outline level): the first
  paragraph, when it has one, is the title; the highest level below it sections, deeper
  levels subheads. Caption style (题注) marks a caption, Quote style (引用) a quote;
- Word's list numbering written out as the reader sees it (``一、``, ``1.``, ``（1）``, ``•``);
- photos (``a:blip`` and old VML images) with the caption that follows them: the next
  paragraph when it is in Caption style or reads as a caption (图为…, short, one sentence at
  most); a photo with no caption is placed where it stands.

python-docx, not mammoth: mammoth turns the file into HTML, which would have to be parsed
again and which keeps lists as ``<ol>`` without Word's own numbers (一、, （1）); python-docx
gives the paragraphs, runs, styles, numbering definitions and image parts themselves.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from paiban.errors import InputError

from .common import rank_headings, reads_as_caption, run_in
from .document import Document, Hint, Photo

PHOTO_TYPES = {"jpeg": ".jpg", "jpg": ".jpg", "png": ".png", "gif": ".gif", "webp": ".webp"}
"""Image types WeasyPrint sets, by the part's extension; others (EMF, WMF) are reported."""

_RUNS = "./w:r | ./w:hyperlink/w:r | ./w:ins/w:r | ./w:smartTag/w:r | ./w:fldSimple/w:r"
"""A paragraph's runs in order, inserted (tracked) text included, deleted text not."""

_HEADING_STYLE = re.compile(r"^(?:heading|标题|標題)\s*(\d)$", re.I)
_TITLE_STYLES = {"title", "标题", "標題"}
_CAPTION_STYLES = {"caption", "题注", "題注"}
_QUOTE_STYLES = {"quote", "intense quote", "引用", "明显引用", "明顯引用"}


@dataclass(slots=True)
class _Out:
    lines: list[str] = field(default_factory=list)
    hints: list[Hint] = field(default_factory=list)
    headings: list[tuple[int, int]] = field(default_factory=list)
    """(line, Word level) of heading-styled paragraphs; ranked into levels at the end."""
    photos: list[Photo] = field(default_factory=list)
    pending: list[tuple[bytes, str, str]] = field(default_factory=list)
    """Photos seen and not yet placed: (data, suffix, origin)."""
    warnings: list[str] = field(default_factory=list)
    counters: dict[tuple[str, int], int] = field(default_factory=dict)


def read(data: bytes, name: str = "") -> Document:
    """The ``Document`` of a .docx file's bytes; ``InputError`` when it is not one."""
    from .script import detect

    document = _open(data, name)
    out = _Out()
    numbering = _Numbering(document)
    body = document.element.body
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for tag, child in _blocks(body):
        if tag == "p":
            _paragraph(Paragraph(child, document._body), out, numbering)
        else:
            out.warnings.append("a table is read as paragraphs, cell by cell")
            seen: set = set()  # cell elements (kept alive here, so compared by identity)
            for row in Table(child, document._body).rows:
                for cell in row.cells:
                    if cell._tc in seen:  # a merged cell is listed once per column it spans
                        continue
                    seen.add(cell._tc)
                    for paragraph in cell.paragraphs:
                        _paragraph(paragraph, out, numbering)
    for photo_data, suffix, origin in out.pending:  # photos after the last text
        out.photos.append(Photo(photo_data, suffix, 0, captioned=False, origin=origin))
    out.hints += rank_headings(out.lines, out.headings)
    text = "\n".join(out.lines)
    if not text.strip():
        raise InputError("has no text (a Word file with no paragraphs)", path=name or None)
    script, warning = detect(text)
    return Document(text=text, format="docx", encoding="docx", script=script,
                    hints=tuple(sorted(out.hints, key=lambda h: h.line)),
                    photos=tuple(out.photos),
                    warnings=tuple(dict.fromkeys(out.warnings)) + ((warning,) if warning else ()))


def _blocks(element):
    """``(tag, element)`` of the paragraphs and tables in ``element``, in order, including
    those inside content controls (``w:sdt``, which templates wrap text in)."""
    for child in element.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
        if tag in ("p", "tbl"):
            yield tag, child
        elif tag in ("sdt", "sdtContent", "customXml"):
            yield from _blocks(child)


def _open(data: bytes, name: str):
    import docx

    try:
        return docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(f"is not a Word .docx file that can be read ({type(exc).__name__}: "
                         f"{exc}); an old .doc must be saved as .docx first",
                         path=name or None) from None
    except Exception as exc:  # python-docx raises its own and lxml's errors for broken parts
        raise InputError(f"is a damaged .docx file ({type(exc).__name__}: {exc})",
                         path=name or None) from None


def _paragraph(paragraph, out: _Out, numbering: "_Numbering") -> None:
    style = _style_name(paragraph)
    segments = _segments(paragraph, out)  # also collects the photos before the text
    label = numbering.label(paragraph, out)
    level = _heading_level(paragraph, style)
    role = ("heading" if level is not None else "caption" if style in _CAPTION_STYLES
            else "quote" if style in _QUOTE_STYLES else None)
    if role:  # one line: the style is the paragraph's, whatever breaks are in it
        lines = [label + "".join(t for t, _ in segments).replace("\n", "")]
    else:
        lines = (label + run_in(segments)).split("\n")
    for i, piece in enumerate(lines):
        piece = piece.strip()
        out.lines.append(piece)
        number = len(out.lines)
        if not piece:
            continue
        if role == "heading":
            out.headings.append((number, level or 0))
        elif role in ("quote", "caption"):
            out.hints.append(Hint(number, role))
        if out.pending:
            captioned = role == "caption" or (role is None and reads_as_caption(piece))
            _place(out, number, captioned)
            if captioned and role is None:
                out.hints.append(Hint(number, "caption"))
    _photos_after_text(paragraph, out)


def _place(out: _Out, line: int, captioned: bool) -> None:
    """The pending photos go before ``line``; the last one takes it as caption if captioned."""
    for i, (data, suffix, origin) in enumerate(out.pending):
        last = i == len(out.pending) - 1
        out.photos.append(Photo(data, suffix, line, captioned=captioned and last, origin=origin))
    out.pending.clear()


def _segments(paragraph, out: _Out) -> list[tuple[str, bool]]:
    """(text, bold) of the paragraph's runs in order; photos before any text are collected."""
    from docx.text.run import Run

    segments: list[tuple[str, bool]] = []
    para_bold = _style_bold(paragraph.style)
    for r in _x(paragraph._p, _RUNS):
        run = Run(r, paragraph)
        if not "".join(t for t, _ in segments).strip():
            _images(r, paragraph, out)
        text = run.text
        if not text:
            continue
        bold = run.bold
        if bold is None and run.style is not None:
            bold = _style_bold(run.style)
        segments.append((text.replace("\t", " "), bool(bold if bold is not None else para_bold)))
    return segments


def _photos_after_text(paragraph, out: _Out) -> None:
    """Photos that come after the paragraph's text: they wait for the next paragraph."""
    seen_text = False
    for r in _x(paragraph._p, _RUNS):
        if seen_text:
            _images(r, paragraph, out)
        elif "".join(_x(r, ".//w:t/text()")).strip():
            seen_text = True


def _images(r, paragraph, out: _Out) -> None:
    """Collect the images of run element ``r`` into ``out.pending``."""
    ids = _x(r, ".//a:blip/@r:embed") + _x(r, 
        ".//*[local-name()='imagedata']/@*[local-name()='id']")
    for rid in ids:
        part = paragraph.part.related_parts.get(rid)
        if part is None:
            out.warnings.append(f"a photo links to {rid}, which is not in the file; left out")
            continue
        origin = str(part.partname).lstrip("/")
        ext = origin.rsplit(".", 1)[-1].lower()
        suffix = PHOTO_TYPES.get(ext)
        if suffix is None:
            out.warnings.append(f"photo {origin} is a .{ext} image, which paiban cannot set "
                                f"(JPEG, PNG, GIF, WebP); left out")
            continue
        out.pending.append((part.blob, suffix, origin))


def _style_name(paragraph) -> str:
    try:
        return (paragraph.style.name or "").strip().lower() if paragraph.style is not None else ""
    except (KeyError, AttributeError):
        return ""


def _style_bold(style) -> bool:
    """Bold as the style (or the style it is based on) sets it."""
    seen = 0
    while style is not None and seen < 10:
        try:
            bold = style.font.bold
        except AttributeError:
            return False
        if bold is not None:
            return bool(bold)
        style = getattr(style, "base_style", None)
        seen += 1
    return False


def _heading_level(paragraph, style: str) -> int | None:
    """0 for Title style, N for Heading N (or outline level N-1), None for body text."""
    if style in _TITLE_STYLES:
        return 0
    m = _HEADING_STYLE.match(style)
    if m:
        return int(m.group(1))
    levels = _x(paragraph._p, "./w:pPr/w:outlineLvl/@w:val")
    if not levels and paragraph.style is not None:
        levels = _x(paragraph.style.element, "./w:pPr/w:outlineLvl/@w:val")
    if levels and levels[0].isdigit() and int(levels[0]) < 9:
        return int(levels[0]) + 1
    return None


def _x(node, path: str) -> list:
    """``node.xpath(path)`` with Word's namespace prefixes, on python-docx's elements and on
    plain lxml ones alike."""
    from docx.oxml.ns import nsmap
    from lxml import etree

    return etree._Element.xpath(node, path, namespaces=nsmap)


class _Numbering:
    """Word's list numbers, computed the way Word shows them (``一、``, ``1.``, ``（1）``)."""

    def __init__(self, document) -> None:
        self.nums: dict[str, dict[int, tuple[str, str, int]]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in _x(root, "./w:abstractNum"):
            levels = {}
            for lvl in _x(node, "./w:lvl"):
                ilvl = int(_x(lvl, "./@w:ilvl")[0])
                fmt = (_x(lvl, "./w:numFmt/@w:val") or ["decimal"])[0]
                text = (_x(lvl, "./w:lvlText/@w:val") or [""])[0]
                start = int((_x(lvl, "./w:start/@w:val") or ["1"])[0])
                levels[ilvl] = (fmt, text, start)
            abstract[_x(node, "./@w:abstractNumId")[0]] = levels
        for num in _x(root, "./w:num"):
            ref = (_x(num, "./w:abstractNumId/@w:val") or [""])[0]
            self.nums[_x(num, "./@w:numId")[0]] = abstract.get(ref, {})

    def label(self, paragraph, out: _Out) -> str:
        """The number Word shows before ``paragraph``; "" when it is not in a list."""
        num_id = _x(paragraph._p, "./w:pPr/w:numPr/w:numId/@w:val")
        ilvl = _x(paragraph._p, "./w:pPr/w:numPr/w:ilvl/@w:val")
        if not num_id and paragraph.style is not None:
            num_id = _x(paragraph.style.element, "./w:pPr/w:numPr/w:numId/@w:val")
            ilvl = ilvl or _x(paragraph.style.element, "./w:pPr/w:numPr/w:ilvl/@w:val")
        if not num_id or num_id[0] == "0" or num_id[0] not in self.nums:
            return ""
        levels = self.nums[num_id[0]]
        level = int(ilvl[0]) if ilvl else 0
        if level not in levels:
            return ""
        key = (num_id[0], level)
        out.counters[key] = out.counters.get(key, levels[level][2] - 1) + 1
        for (nid, deeper) in list(out.counters):  # a new item restarts the levels below it
            if nid == num_id[0] and deeper > level:
                del out.counters[(nid, deeper)]
        fmt, template, _ = levels[level]
        if fmt == "bullet":
            return "• "
        label = re.sub(r"%(\d)", lambda m: _format(
            levels.get(int(m.group(1)) - 1, ("decimal", "", 1))[0],
            out.counters.get((num_id[0], int(m.group(1)) - 1),
                             levels.get(int(m.group(1)) - 1, ("", "", 1))[2])), template)
        return label if label.endswith(("、", "．", "）", ")", " ")) or not label else label + " "


_CN_DIGITS = "〇一二三四五六七八九"


def _format(fmt: str, n: int) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified",
               "ideographTraditional", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return _chinese(n)
    if fmt in ("ideographDigital", "taiwaneseDigital"):
        return "".join(_CN_DIGITS[int(d)] for d in str(n))
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "decimalFullWidth":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman.lower() if fmt == "lowerRoman" else roman
    return str(n)


def _chinese(n: int) -> str:
    """一 … 九十九 (Word's chineseCounting; beyond that, digits)."""
    if n < 1 or n > 99:
        return str(n)
    tens, ones = divmod(n, 10)
    out = ("" if tens == 1 else _CN_DIGITS[tens]) + "十" if tens else ""
    return out + (_CN_DIGITS[ones] if ones else "")


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out
