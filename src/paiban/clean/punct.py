"""Rule ``punct``: half-width punctuation inside Chinese set full-width.

In: ``State.text`` after ``normalise``. Out: the same text with ``, : ; ? !``, ``( )``, a
``.`` after a Chinese character and
straight quotes that stand among Chinese characters replaced by ``，：；？！``, ``（）``, ``。`` and
paired ``“”`` / ``‘’``; every replacement is in ``State.replaced`` (line, column, old, new)
and each line's count is a reported change. Spaces right after a replaced mark (``他说, 今天``)
are white space the full-width mark already carries, and go with it.

Scraped copy types these on a Latin keyboard. A mark is Chinese when a Chinese character (or
full-width punctuation) is next to it, and never when it sits between Latin letters or digits:
``3,000``, ``10:30``, ``iPhone,`` before Latin, URLs and e-mail addresses are left as written.
Brackets are Chinese when their content has Chinese in it (``GDP(国内生产总值)``) or they open a
line or follow Chinese and hold no Latin letters (``(1)``); ``f(x)`` stays. A straight double
quote closes a quotation open in its line (opened by either form) and opens one otherwise, so a
quotation that runs on into the next paragraph keeps its opening quote; a pair with no Chinese
in or next to it is Latin (``rel="x"``) and stays.
"""

from __future__ import annotations

import re

from paiban.model import Replacement

from .state import State

SIMPLE = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}

CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff01-\uff0f\uff1a-\uff20"
                     r"\u2014\u2018\u2019\u201c\u201d\u2026\u00b7]")
"""Han characters and full-width punctuation (also ——, “”, ‘’, …, ·)."""

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z0-9]")

PROTECTED = re.compile(
    r"(?:https?|ftp)://[^\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]+"
    r"|www\.[A-Za-z0-9.-]+[^\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]*"
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
    r"|\d{1,2}:\d{2}(?::\d{2})?"
)
"""URLs, e-mail addresses and times: never touched."""



def punct(state: State) -> None:
    """Set the half-width marks inside Chinese full-width, reporting each."""
    lines = state.text.split("\n")
    replaced: list[Replacement] = []
    before = ""  # the last character of the line before: a page break may split at a mark
    quoting = False  # the line before ended inside a quotation
    for number, line in enumerate(lines, 1):
        previous, before = before, (line.strip()[-1:] or before)
        carried, quoting = quoting, False
        if not line or (line.isascii() and not (previous and CHINESE.match(previous))):
            continue
        new, found = fix_line(line, number, previous, carried)
        quoting = _ends_quoting(new)
        if found:
            lines[number - 1] = new
            replaced += found
            counts: dict[str, int] = {}
            for r in found:
                counts[f"{r.old}→{r.new}"] = counts.get(f"{r.old}→{r.new}", 0) + 1
            state.change("punct", f"{len(found)} half-width mark{'s' if len(found) > 1 else ''}"
                         " set full-width: " + ", ".join(f"{k} ×{n}" for k, n in counts.items()),
                         number)
    state.text = "\n".join(lines)
    state.replaced = replaced


def _ends_quoting(line: str) -> bool:
    """True when ``line`` ends inside a full-width quotation (“ opened, not closed)."""
    open_ = False
    for c in line:
        if c == "“":
            open_ = True
        elif c == "”":
            open_ = False
    return open_


def fix_line(line: str, number: int = 0, before: str = "",
             quoting: bool = False) -> tuple[str, list[Replacement]]:
    """``line`` with its Chinese half-width marks set full-width, and the replacements;
    ``before``: the last character of the line before (a mark that opens a line, after a
    page break, has its Chinese neighbour there)."""
    chars = list(line)
    protected = [False] * len(chars)
    for m in PROTECTED.finditer(line):
        for i in range(m.start(), m.end()):
            protected[i] = True
    new: dict[int, str] = {}
    # Colons first (an odd quote opens after one), then brackets and quotes, then the rest
    # (a comma after a closing quote is Chinese): each step sees the marks set before it.
    for i, c in enumerate(chars):
        if c == ":" and not protected[i] and _simple(line, i, before):
            new[i] = "："
    view = _apply(chars, new)
    for i, j in _pairs(line, "(", ")", protected):
        inner = line[i + 1:j]
        before = view[:i].rstrip()
        if HAN.search(inner) or ((not before or CHINESE.match(before[-1]))
                                 and not re.search(r"[A-Za-z]", inner)):
            new[i], new[j] = "（", "）"
    _quotes(view, protected, new, quoting)
    view = _apply(chars, new)
    for i, c in enumerate(chars):
        if c in SIMPLE and i not in new and not protected[i] and _simple(view, i, before):
            new[i] = SIMPLE[c]
        elif c == "." and not protected[i] and re.match(r"[\u3400-\u9fff）”」』》]", view[i - 1:i]) \
                and not re.match(r"[A-Za-z0-9.]", line[i + 1:i + 2]):
            new[i] = "。"  # a full stop after Chinese (not 1. nor 3.5 nor a.m.)
    if not new:
        return line, []
    out: list[str] = []
    skip_space = False
    for i, c in enumerate(chars):
        if skip_space and c == " ":
            continue  # the full-width mark carries its own space
        skip_space = i in new and new[i] in "，：；？！。"
        out.append(new.get(i, c))
    found = [Replacement(number, i + 1, chars[i], new[i]) for i in sorted(new)]
    return "".join(out), found


def _apply(chars: list[str], new: dict[int, str]) -> str:
    return "".join(new.get(i, c) for i, c in enumerate(chars))


def _simple(line: str, i: int, before: str = "") -> bool:
    """True when the mark at ``i`` stands in Chinese: a Chinese neighbour (past spaces),
    and not between two Latin letters or digits."""
    prev = line[:i].rstrip(" ")[-1:] or before
    nxt = line[i + 1:].lstrip(" ")[:1]
    if LATIN.match(line[i - 1:i] or " ") and LATIN.match(line[i + 1:i + 2] or " "):
        return False
    if LATIN.match(prev or " ") or prev in "&;<>=/\\":
        # After a Latin word only a Chinese character makes it Chinese (iPhone,然后), not
        # Chinese punctuation (&lt;。 is an entity).
        return bool(HAN.match(nxt or " "))
    return bool(CHINESE.match(prev or " ") or (nxt and CHINESE.match(nxt)))


def _pairs(line: str, open_: str, close: str, protected: list[bool]) -> list[tuple[int, int]]:
    """Matched bracket pairs outside protected spans."""
    stack: list[int] = []
    out: list[tuple[int, int]] = []
    for i, c in enumerate(line):
        if protected[i]:
            continue
        if c == open_:
            stack.append(i)
        elif c == close and stack:
            out.append((stack.pop(), i))
    return out


def _quotes(line: str, protected: list[bool], new: dict[int, str],
            quoting: bool = False) -> None:
    """Straight quotes among Chinese. Double quotes follow the line's quotation state, which
    full-width quotes set too (``“…,"…"…”`` mixes both): a straight quote closes an open
    quotation and opens one otherwise. A pair with no Chinese inside or next to it is Latin
    (``rel="stylesheet"``) and stays; so does a lone quote with no Chinese on its inner side.
    Single quotes (apostrophes in Latin words) only as a pair around Chinese.
    ``quoting``: the line before ended inside a quotation (a page break split it), so a first
    straight quote right after a Chinese character closes it."""
    open_ = False
    opened = -1  # a straight quote that opened the quotation, waiting for its partner
    for i, c in enumerate(line):
        if protected[i]:
            continue
        if quoting and c == '"':
            quoting = False
            if CHINESE.match(line[i - 1:i] or " "):
                new[i] = "”"  # closes the quotation the line before opened
                continue
        if c in "“「":
            open_, opened = True, -1
        elif c in "”」":
            if opened >= 0 and (HAN.search(line[opened + 1:i]) or HAN.search(line[opened - 1:opened])):
                new[opened] = "“"  # a straight opening quote closed by a full-width one
            open_, opened = False, -1
        elif c == '"':
            if not open_:
                open_, opened = True, i
                continue
            if opened >= 0:
                inner = line[opened + 1:i]
                outside = line[opened - 1:opened] + line[i + 1:i + 2]
                if HAN.search(inner) or HAN.search(outside):
                    new[opened], new[i] = "“", "”"
            elif CHINESE.match(line[i - 1:i] or " ") or line[i - 1:i] in ",.;!?":
                new[i] = "”"  # closes a full-width opening quote
            open_, opened = False, -1
    if opened >= 0 and HAN.match(line[opened + 1:opened + 2] or " "):
        new[opened] = "“"  # a quotation that runs on into the next paragraph
    at = [i for i, c in enumerate(line) if c == "'" and not protected[i]
          and not (LATIN.match(line[i - 1:i] or " ") and LATIN.match(line[i + 1:i + 2] or " "))]
    while len(at) >= 2:
        i, j = at[0], at[1]
        if HAN.search(line[i + 1:j]):
            new[i], new[j] = "‘", "’"
        at = at[2:]
