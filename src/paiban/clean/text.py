"""Features of a line of Chinese feature text, shared by the rules.

In: one unit's text (a string). Out: booleans and small facts (does it end a sentence, does it
start mid-sentence, which marker does it open with…). Pure functions, no state: the rules
combine these features with position (what comes before and after) to decide.
"""

from __future__ import annotations

import re

from .variants import chars, hant

TERMINAL = "。！？!?…；;：:."
"""Characters that end a sentence (or a clause a paragraph may end on: ；and ： introduce or
close a list, and a page break after them is not worth guessing at)."""

CLOSERS = "”’」』》〉\"')）】]"
"""Closing quotes and brackets that may follow a sentence's final punctuation."""

OPENING_BRACKETS = {"）": "（", ")": "(", "】": "【", "]": "["}

NO_START = "，,、。．.；;：:！!？?）)》〉」』”’】]…%"
"""Characters a paragraph cannot start with: when one does, it is the rest of a sentence."""

INNER_STOPS = re.compile(r"[。！？!?；;]")
"""Sentence ends that, inside a line, show it is prose (not a title, heading or caption)."""

DASH = re.compile(r"^(——|──|－－|--|—)\s*")
"""The subhead and deck marker; ``——`` (two em dashes) in this genre, variants tolerated."""

NUMBERED = re.compile(hant(
    r"^([一二三四五六七八九十百]+[、．.]|[（(][一二三四五六七八九十]+[）)]|\d{1,2}[、．.](?![\d.．])"
    r"|第[一二三四五六七八九十]+[部分章节篇]?[：:、\s]|0[1-9](?=\s|[|｜/／]))"
    r"[\s|｜/／]*"))
"""Numbered heading markers: 一、 and 01 (sections), （一） and 1、 1. (subheads, or list items
when several follow each other: see ``lists``), 第一部分…"""

LIST_ITEM = re.compile(
    r"^(?:(?P<dot>\d{1,2})[、．.](?![\d.．%])|[（(](?P<paren>\d{1,2})[）)]|(?P<half>\d{1,2})[）)]"
    r"|(?P<circled>[\u2460-\u2473\u2776-\u277f]))\s*"
)
"""List item markers: 1. 1、 （1） 1） ①. ``dot`` items may also be headings (see ``lists``)."""

BRACKET_HEAD = re.compile(r"^(【)([^【】]{1,24})(】)(.*)$", re.S)
"""A bracketed heading, on its own line or run in: ``【一线直击】``, ``【现场】昨天上午…``."""

RUN_IN = re.compile(r"^(——|──|－－|--|—)?\s*\*\*(.+?)\*\*(.*)$", re.S)
"""A bold run-in subhead: ``——**源头参与全面畅通。**龙岩市委…`` (marker optional)."""

PLAIN_RUN_IN = re.compile(r"^(——|──|－－)\s*([^。！？!?，,]{2,18}[。！？!?])(.+)$", re.S)
"""The same without bold: ``——源头参与全面畅通。龙岩市委…`` (a short first sentence)."""

CAPTION_SIGNAL = re.compile(hant(r"图为|图片为|供图|摄影?[)）]?$|[（(][^（）()]{0,12}摄[)）]$|^图\d*[：:]"
                                 r"|资料图|资料照片|图片来源"))
"""Words that only captions use: 图为…, （张三 摄）, 图1：…, 资料图 (and in Traditional: 圖爲/圖為…;
``hant`` adds the Traditional forms to each pattern here)."""

MID_SENTENCE_START = re.compile(hant(
    r"^(?:[万亿千百]+[多余]?(?:人次|[条项个名家元件期场户份篇位批台座所吨次人])?"
    r"(?=[，,、；;。])|(?:人次|万元|亿元)(?![\u4e00-\u9fff]{2}))"))
"""Starts that only occur mid-sentence: the rest of a number cut from its digits by a page
break (``万条，有890项…`` was ``…3.2万条，…``). Particles like 的 are left out on purpose:
too many words start with them (的确, 地方, 了解)."""

CJK = re.compile(r"[\u3400-\u9fff]")

OPEN_END = chars("的了着把被将对从向在于与及或并而且是让使给以其这那各每该")
"""Words a heading does not end on but a page break often cuts after (``…重点公交站点在``,
``…的``): a line ending on one of these is unfinished, not a heading."""


def is_closed(text: str) -> bool:
    """True when ``text`` ends a sentence: final punctuation, maybe followed by closing
    quotes or a trailing parenthetical (``…。”``, ``…。（完）``)."""
    t = text.rstrip()
    while t:
        last = t[-1]
        if last in TERMINAL:
            return True
        if last in OPENING_BRACKETS:
            start = t.rfind(OPENING_BRACKETS[last])
            if start <= 0:
                return False
            # A trailing parenthetical closes the paragraph only if a sentence ended before it.
            t = t[:start].rstrip()
            continue
        if last in CLOSERS:
            t = t[:-1]
            continue
        return False
    return False


def has_inner_stop(text: str) -> bool:
    """True when a sentence ends inside ``text`` (before its last character)."""
    return bool(INNER_STOPS.search(text.rstrip()[:-1]))


def starts_mid_sentence(text: str) -> bool:
    """True when ``text`` can only be the continuation of a sentence."""
    t = text.lstrip()
    return bool(t) and (t[0] in NO_START or bool(MID_SENTENCE_START.match(t)))


def starts_block(text: str) -> bool:
    """True when ``text`` opens with a subhead or heading marker, so it starts a new block."""
    return bool(DASH.match(text) or NUMBERED.match(text) or LIST_ITEM.match(text)
                or text.startswith("**"))


def ends_open(text: str) -> bool:
    """True when ``text`` ends on a function word, so it cannot be a finished heading."""
    t = text.rstrip()
    return bool(t) and t[-1] in OPEN_END


def cjk_count(text: str) -> int:
    return len(CJK.findall(text))


def has_caption_signal(text: str) -> bool:
    """True when ``text`` uses words only a photo caption uses."""
    return bool(CAPTION_SIGNAL.search(text))


def has_comma(text: str) -> bool:
    return "，" in text or "," in text


def balanced_clauses(text: str) -> bool:
    """True for a parallel phrase like ``坚持改革创新，激发工会活力``: two or three clauses of
    equal length (give or take one), each 3 to 10 characters. Headings are written this way;
    the first half of a page-split sentence hardly ever is."""
    clauses = re.split(r"[，,]", text.strip())
    lengths = [visible_len(c) for c in clauses]
    return (2 <= len(clauses) <= 3 and min(lengths) >= 3 and max(lengths) <= 10
            and max(lengths) - min(lengths) <= 1)


def visible_len(text: str) -> int:
    """Length without whitespace and ``**`` markup."""
    return len("".join(text.replace("**", "").split()))


def key(text: str) -> str:
    """Comparison key for repeats: the text without whitespace."""
    return "".join(text.split())
