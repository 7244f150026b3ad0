"""HTML-level Chinese typography: spans that WeasyPrint's CSS can act on, text untouched.

In: a plain-text run of an article (a paragraph, a heading; no markup) and its language tag.
Out: ``cjk_markup(text, lang)`` returns ``markupsafe.Markup``: the text HTML-escaped (so
``<script>`` stays literal under Jinja autoescape) with some parts wrapped in ``<span>``s
whose classes are styled by ``CJK_CSS`` (also in styles/cjk.css):

- ``cjk-as-l`` / ``cjk-as-r``: a Latin or digit run next to a Han/kana character gets ¼ em of
  margin on that side (heti's approach: no space character is inserted, so extracted text
  stays exact). Next to punctuation it gets none, as the punctuation carries its own blank.
- ``cjk-halt``: the first of two adjacent full-width punctuation marks (。” ）、 ：“ …), or the
  second of two opening marks (（“), is set half-width with the font's ``halt`` feature, so the
  pair takes 1.5 em (clreq 3.1.6, Han.css and Vivliostyle do the same with spans).
- ``cjk-nw``: ``white-space: nowrap`` around a number and its unit (3.25万人次, 98%, 8070万元,
  2016年) and around —— and ……, so that they never split across lines; and around the last
  two Han characters of the text with the punctuation after them (``tie_end``), so that a
  paragraph, heading or caption never ends on a line of one character (a runt): the line
  before gives up one character instead and is justified a little looser.

The text content is unchanged: joining the text nodes of the result gives back ``text``.
Text without CJK characters is only escaped. ``lang`` is accepted so that templates can pass the
edition's tag; the rules are the same for Simplified and Traditional Chinese (``halt`` picks
the right half of each face's punctuation by itself).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# Han and kana: what "Chinese" means for the ¼-em spacing (not punctuation).
HAN = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_CHAR = re.compile(f"[{HAN}\U00020000-\U0003ffff]")
_ANY_CJK = re.compile(f"[{HAN}\u3000-\u303f\uff00-\uffef\U00020000-\U0003ffff]")

# A Latin or digit run: letters and digits, joined by . , : + - / & _ or single spaces when a
# letter or digit follows; a trailing % belongs to it.
_ALNUM = "A-Za-z0-9\u00c0-\u024f"
_LATIN = re.compile(
    f"[{_ALNUM}](?:[{_ALNUM}]|[.,:+\\-/&_](?=[{_ALNUM}])| (?=[{_ALNUM}]))*%?")
# Characters that may follow a number as its unit (magnitudes first): kept on its line.
MAGNITUDES = "万亿千百十"
UNITS = "元角分次个名位倍年月日号时岁户家项所座台辆件条只吨米里斤亩克%％‰℃"
# 万, 万元, 万人次, 年, 人次, %: magnitudes, then one unit (人 only as 人次 or alone: 3人 is a
# number and its unit, 3人民币 is not).
_UNIT = re.compile(f"[{MAGNITUDES}]*(?:人次|人(?![{HAN}])|[{UNITS}])|[{MAGNITUDES}]+")


def unit_at(text: str, index: int = 0) -> str:
    """The unit that starts at ``text[index]`` if it follows a number there ('' if none)."""
    match = _UNIT.match(text, index)
    return match.group() if match else ""

CLOSING = frozenset("，。、；：！？）》」』】〕〉］｝”’")
KEEP_END = 2
"""Han characters kept together, with the punctuation after them, at the end of a text."""
OPENING = frozenset("（《「『【〔〈［｛“‘")
_HAN_ONE = f"(?:[{HAN}]|[\U00020000-\U0003ffff])"
_MARKS = re.escape("".join(sorted(CLOSING | OPENING)))
# The last KEEP_END Han characters, the punctuation between them (对，对。” / 了：“好。”) and the
# closing punctuation after them.
_TAIL = re.compile(f"{_HAN_ONE}(?:[{_MARKS}]*{_HAN_ONE}){{{KEEP_END - 1}}}"
                   f"[{re.escape(''.join(sorted(CLOSING)))}]*\\Z")
_DOUBLED = re.compile("—{2,}|…{2,}")

CJK_CSS = """\
/* paiban: Chinese typography spans made by paiban.render.cjk.cjk_markup */
.cjk-as-l { margin-left: 0.25em }   /* ¼ em between Han and a Latin/digit run */
.cjk-as-r { margin-right: 0.25em }
.cjk-halt { font-feature-settings: "halt" 1 }   /* half-width punctuation in a pair */
.cjk-nw { white-space: nowrap }   /* number + unit, ——, …… never split */
"""


def _tail_start(text: str) -> int | None:
    """Where the tied end of ``text`` starts, or None when it has none: it must be Han
    characters and closing punctuation only, and no number's unit may reach into it (a number
    and its unit are one unbreakable span of their own)."""
    match = _TAIL.search(text)
    if match is None:
        return None
    reach = 0
    for run in _LATIN.finditer(text, 0, match.start()):
        number = run.group()[-1].isdigit() or run.group()[-1] == "%"
        reach = run.end() + len(unit_at(text, run.end()) if number else "")
    return None if reach > match.start() else match.start()


def _span(classes: str, inner: str) -> str:
    return f'<span class="{classes}">{inner}</span>'


def _punctuation(text: str) -> str:
    """Escaped ``text`` (no Latin runs in it) with compressed pairs and unbreakable dashes."""
    out: list[str] = []
    position = 0
    for match in _DOUBLED.finditer(text):
        out.append(_compress(text[position:match.start()], text, position))
        out.append(_span("cjk-nw", str(escape(match.group()))))
        position = match.end()
    out.append(_compress(text[position:], text, position))
    return "".join(out)


def _compress(part: str, whole: str, offset: int) -> str:
    """Escape ``part`` (found at ``offset`` in ``whole``), wrapping punctuation to compress."""
    out: list[str] = []
    for i, char in enumerate(part):
        index = offset + i
        after = whole[index + 1] if index + 1 < len(whole) else ""
        before = whole[index - 1] if index > 0 else ""
        squeeze = (char in CLOSING and (after in CLOSING or after in OPENING)) or (
            char in OPENING and before in OPENING)
        out.append(_span("cjk-halt", char) if squeeze else str(escape(char)))
    return "".join(out)


def cjk_markup(text: str, lang: str = "zh-Hans", tie_end: bool = True,
               suffix: str = "") -> Markup:
    """``text`` escaped, with the typographic spans described in the module docstring.

    ``tie_end``: keep the last ``KEEP_END`` Han characters (and the punctuation between and
    after them) on one line; False for a text that does not end its line box (a run-in
    subhead). ``suffix``: markup that ends the paragraph with the text (the end mark), kept on
    that line too."""
    if not _ANY_CJK.search(text):
        return Markup(str(escape(text)) + suffix)
    start = _tail_start(text) if tie_end else None
    if start is None:
        return Markup(_markup(text, len(text)) + suffix)
    return Markup(_markup(text, start) + _span("cjk-nw", _punctuation(text[start:]) + suffix))


def _markup(text: str, stop: int) -> str:
    """``text[:stop]`` marked up, looking at the whole ``text`` for what follows a Latin run
    (its unit, the Han character that earns it ¼ em), so the part before a tied end comes out
    exactly as it would without the tie."""
    out: list[str] = []
    position = 0
    while (match := _LATIN.search(text, position, stop)) is not None:
        start, end = match.span()
        out.append(_punctuation(text[position:start]))
        run = match.group()
        unit = ""
        if run[-1].isdigit() or run[-1] == "%":
            unit = unit_at(text, end)
        after_index = end + len(unit)
        after = unit[:1] or text[after_index:after_index + 1]
        classes = []
        if start > 0 and _HAN_CHAR.match(text[start - 1]):
            classes.append("cjk-as-l")
        if after and _HAN_CHAR.match(after):
            classes.append("cjk-as-r")
        inner = _span(" ".join(classes), str(escape(run))) if classes else str(escape(run))
        if unit:
            inner = _span("cjk-nw", inner + str(escape(unit)))
        out.append(inner)
        position = after_index
    out.append(_punctuation(text[position:stop]))
    return "".join(out)
