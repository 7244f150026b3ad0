"""Rule ``byline``: the authors' names and roles, and the news dateline, wherever written.

In: ``State.units`` after ``endmatter``. Out: ``State.byline`` (names and roles, without
brackets or ornaments), ``State.byline_line``, ``State.dateline`` and ``State.dateline_line``.
A byline line of its own becomes a ``byline`` unit (never a heading, caption or title); a
byline or dateline written into a paragraph is cut off it, and the cut is reported.

Where bylines are written, in the order they are looked for:
- a line of its own under the title or deck, or after the last paragraph: ``本报记者 王芳``,
  ``□本报记者 王芳 实习生 李强``, ``记者 王芳 通讯员 李强``, ``文/图 王芳``, ``文｜王芳``,
  ``作者：王芳``, ``【文/王芳】``; always with a role, so two plain names are never taken;
- at the head of the first paragraph, after a dateline: ``本报讯（记者 王芳 通讯员 李强）…``,
  ``福州新闻网讯（记者 王芳）…``, ``新华社北京6月12日电（记者 王芳）…``,
  ``本报福州6月12日电 记者王芳报道：…`` (the 报道： is reported removed);
- at the end in brackets, on the last paragraph or a line of its own: ``（黄秀珍 郑飞飞）``,
  ``（记者 王大明 通讯员 李小红）``, a single name with a common surname ``（王芳）``, or
  broken over two lines (``（记者 王芳`` / ``通讯员 李强）``). Only captions and end matter may
  follow it: the search walks back from the end over short unfinished lines.
A byline repeated (the same names under the title and after the dateline) is reported removed.
"""

from __future__ import annotations

import re

from paiban.model import Removal

from .endmatter import cut_tail
from .notes import NOTE
from .state import State, Unit
from .variants import hant
from .text import has_caption_signal, has_inner_stop, is_closed, visible_len

ROLE = hant(r"(?:本报|本刊|特约)?(?:记者|通讯员|撰稿|编辑|摄影|文|图|作者)")
NAME = r"[\u4e00-\u9fff·]{2,5}"
SEP = r"[\s、，,／/:：]*"
BYLINE = re.compile(
    rf"[（(]\s*((?:{ROLE}{SEP})?{NAME}(?:[\s、，,／/]+(?:{ROLE}{SEP})?{NAME})*)\s*[）)]$"
)
ROLE_WORD = re.compile(hant(r"记者|通讯员|实习生|撰稿|摄影|作者|编辑|^[文图]\s*[/／:：｜|]"))
"""A role that makes a single name a byline (``文`` and ``图`` only with their slash)."""

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰"
    "焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁"
    "蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂"
    "全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝")
SURNAMES = set(hant("[" + _SURNAMES + "]")) - set("[]")
"""Common surnames (Simplified and Traditional): a single bracketed word at the end is a byline only when it reads as a
person's name (``（王芳）``), never an aside like ``（试行）``."""

TRAILING_MAX = 100
"""Longest line that may follow the byline (a caption)."""

ORNAMENTS = "□■◆◇●○★☆▲△▶►◎▌|｜"
"""Marks some papers print before a byline line."""

LONG_ROLE = hant(r"(?:(?:本报|本刊|新华社|中新社|人民日报|特约|见习|实习|驻[\u4e00-\u9fff]{1,4})?"
             r"(?:记者|通讯员|实习生|撰稿人|撰稿|撰文|摄影|摄像|采写|整理|作者))")
SHORT_ROLE = hant(r"(?:文\s*[/／]\s*图|图\s*[/／]\s*文|[文图])")
OWN_ROLE = (rf"(?:{LONG_ROLE}\s*[/／｜|:：]?\s*|{SHORT_ROLE}\s*[/／｜|:：]\s*"
            rf"|{SHORT_ROLE}\s+)")
"""A role and its separator; 文 and 图 alone need a separator (文明之光 is no byline)."""
OWN_NAME = r"[\u4e00-\u9fff][\u4e00-\u9fff·]{1,4}"
LAZY_NAME = r"[\u4e00-\u9fff][\u4e00-\u9fff·]{1,4}?"
OWN_SEGMENT = rf"{OWN_ROLE}{OWN_NAME}(?:[\s、，,]+{OWN_NAME})*"
OWN_LINE = re.compile(
    rf"^[{ORNAMENTS}\s]*(?P<open>[【\[（(])?\s*"
    rf"(?P<by>{OWN_SEGMENT}(?:[\s、，,；;]*{OWN_SEGMENT})*)\s*(?(open)[】\]）)])$"
)
"""A byline on a line of its own (see module docstring)."""

DATELINE = re.compile(hant(
    r"^(?P<dl>(?:本报|本刊|[\u4e00-\u9fff]{1,10}?(?:社|网|报|台|客户端))"
    r"(?:讯|消息|[\u4e00-\u9fff]{0,8}?(?:\d{1,2}月)?\d{1,2}日(?:电|讯)))"
))
"""A news dateline at the head of the first paragraph: 本报讯, 新华社北京6月12日电."""

HEAD_BRACKETED = re.compile(r"\s*[（(](?P<by>[^（）()]{2,40})[）)]")
HEAD_PLAIN = re.compile(
    rf"\s*(?P<by>{OWN_ROLE}{LAZY_NAME}(?:[\s、，,]+(?:{OWN_ROLE})?{LAZY_NAME})*?)"
    + hant(r"(?P<tail>\s*报道\s*[：:]|\s*[：:])")
)
"""An unbracketed byline after a dateline, closed by 报道： or a colon."""

HEAD_SPACED = re.compile(rf"\s+(?P<by>(?:{OWN_ROLE}{OWN_NAME}\s+)+)")
"""An unbracketed byline after a dateline, each name followed by a space."""

TOP_UNITS = 8
"""How far from the top a byline line and the dateline's paragraph are looked for."""


def byline(state: State) -> None:
    """Find the byline and the dateline, taking them out of the text."""
    # The end before the dateline, whatever joins have happened, so that a text with both
    # (and different names) reads the same however it was cut: the first found is the byline.
    if not state.byline:
        _own_line(state)
    if not state.byline:
        _at_end(state)
    else:
        _end_repeat(state)
    if not state.dateline:
        _dateline(state)


def own_line_byline(text: str) -> str | None:
    """The byline (names and roles) when ``text`` is a byline line of its own, else None."""
    m = OWN_LINE.match(text.strip())
    if m is None or re.search(hant(r"(?:供图|提供)$"), m.group("by")):
        return None  # a photo credit (通讯员供图), not a byline
    return " ".join(m.group("by").split())


def _prose(unit: Unit) -> bool:
    return has_inner_stop(unit.text) or (is_closed(unit.text) and visible_len(unit.text) > 20)


def _own_line(state: State) -> None:
    """A byline line of its own near the top (before the second prose line) or at the end."""
    units = state.units
    prose = [i for i, u in enumerate(units) if u.kind == "text" and _prose(u)]
    top_end = prose[1] if len(prose) > 1 else len(units)
    last_prose = prose[-1] if prose else -1
    for i, unit in enumerate(units):
        if unit.kind != "text" or unit.forced or not (i < min(top_end, TOP_UNITS)
                                                      or i > last_prose):
            continue
        if i == 0 and (len(units) < 2 or units[1].kind != "text"):
            continue  # a byline line opens the text only with more text after it
        found = own_line_byline(unit.text)
        if found:
            unit.kind = "byline"
            state.byline, state.byline_line = found, unit.line
            return


def _end_repeat(state: State) -> None:
    """A bracketed byline closing the article that only repeats the names of the byline
    found above (``文/图 本报记者 X`` … ``（X）``): removed as a repeat, reported."""
    units = state.units
    for i in range(len(units) - 1, 0, -1):
        unit = units[i]
        if unit.kind in ("end", "caption", "credit"):
            continue
        if unit.kind != "text" or unit.forced or len(unit.sources) > 1 \
                or unit.line == state.byline_line:
            return
        found = match_byline(unit.text)
        if found is None or found[1] != 0:
            return
        names = set(_name_words(found[0]))
        if names and names <= set(_name_words(state.byline)):
            state.removed.append(Removal(line=unit.line, text=unit.text, reason="duplicate",
                                         original_line=state.byline_line))
            del units[i]
        return


def _dateline(state: State) -> str:
    """A dateline (and a byline after it) at the head of the first prose paragraph;
    ``"wait"`` when its paragraph is still cut by a page break (``settle`` looks again)."""
    previous: Unit | None = None
    for unit in state.units[:TOP_UNITS]:
        if unit.kind != "text":
            previous = unit
            continue
        m = DATELINE.match(unit.text)
        label = previous is not None and NOTE.match(previous.text)
        if m is None and label and not label.group("text").strip():
            previous = unit
            continue  # the text of an editor's note whose label stood alone above it
        if m is not None and previous is not None and _split_dateline(previous, unit, m):
            return "wait"  # a page break's second half (新 / 华社…): look again once joined
        previous = unit
        if m is not None and not is_closed(unit.text):
            return "wait"  # cut by a page break: read it once ``rejoin`` has made it whole
        if m is not None:
            _split_head(state, unit, m.group("dl"))
            return ""
        if _prose(unit) and not NOTE.match(unit.text):  # an editor's note comes before
            return ""
    return ""


AGENCIES = ("新华社", "中新社", "新华网", "中新网", "人民网", "央视网", "光明网", "央广网", "中工网",
            "工人日报", "人民日报", "光明日报", "经济日报")
"""Names a page break may cut (新 / 华社…); a dateline whose name is the end of one of
these, after a short unfinished line that holds the rest, is only half a dateline."""


def _split_dateline(previous: Unit, unit: Unit, m: re.Match[str]) -> bool:
    """True when ``unit``'s dateline is the end of one a page break cut (``新`` + ``华社北京
    6月12日电``)."""
    if previous.kind != "text" or is_closed(previous.text) or visible_len(previous.text) > 4:
        return False
    joined = previous.text.strip() + m.group("dl")
    return any(joined.startswith(a) and not m.group("dl").startswith(a) for a in AGENCIES)


def _split_head(state: State, unit: Unit, dateline: str) -> None:
    text = unit.text
    pos = len(dateline)
    names = mark = ""
    written = ""
    b = HEAD_BRACKETED.match(text, pos)
    if b is not None and _names_and_roles(b.group("by")):
        names, written, pos = " ".join(b.group("by").split()), b.group(), b.end()
    else:
        b = HEAD_PLAIN.match(text, pos) or HEAD_SPACED.match(text, pos)
        if b is not None:
            names, pos = " ".join(b.group("by").split()), b.end()
            written = b.group()
            mark = (b.groupdict().get("tail") or "").strip()
    rest = text[pos:].lstrip(" \u3000：:，,")
    if rest and not re.match(r"[\u4e00-\u9fff\d“‘「（(A-Za-z]", rest):
        return  # not a paragraph after all (一本报讯… is prose that happens to start so)
    state.dateline, state.dateline_line = dateline, unit.line
    if names:
        if state.byline:
            if set(_name_words(names)) <= set(_name_words(state.byline)):
                state.removed.append(Removal(line=_source_line(unit, pos), text=written.strip(),
                                             reason="duplicate", original_line=state.byline_line))
            else:
                return _undo(state)
        else:
            state.byline, state.byline_line = names, unit.line
        if mark:
            state.removed.append(Removal(line=_source_line(unit, pos), text=mark,
                                         reason="byline-mark"))
    dropped = text[len(text) - len(rest):] if rest else ""
    head = text[:len(text) - len(dropped)] if rest else text
    state.change("byline", f"dateline 「{head.strip()}」 split off the head of the paragraph",
                 unit.line)
    unit.text = rest
    unit.sources = [(unit.sources[0][0], rest)] + unit.sources[1:] if unit.sources else []
    if not rest:
        unit.kind = "byline"  # the dateline was the whole line


def _source_line(unit: Unit, offset: int) -> int:
    """The source line holding the character before ``offset`` in ``unit``'s text (a joined
    unit is made of several lines)."""
    seen = 0
    for line, text in unit.sources:
        seen += len(text)
        if offset <= seen:
            return line
    return unit.line


def _undo(state: State) -> None:
    state.dateline, state.dateline_line = "", 0


def _name_words(text: str) -> list[str]:
    words = re.split(r"[\s、，,／/:：｜|]+", text)
    out = [re.sub(LONG_ROLE, "", w) for w in words]
    return [w for w in out if w and w not in ("文", "图")]


def _names_and_roles(inner: str) -> bool:
    """True for the inside of a head bracket that is a byline: names, with a role."""
    return bool(re.fullmatch(rf"\s*{OWN_SEGMENT}(?:[\s、，,；;]*{OWN_SEGMENT})*\s*", inner))


def _at_end(state: State) -> None:
    """A bracketed byline at the end of the article (walking back over captions)."""
    units = state.units
    for i in range(len(units) - 1, 0, -1):  # the first line is never the byline
        unit = units[i]
        if unit.kind in ("end", "caption"):
            continue
        if unit.kind != "text" or unit.forced:
            return  # a sidecar's [lines] role is final
        prev = units[i - 1] if i > 1 else None
        if prev is not None and prev.kind == "text" and not prev.forced \
                and _two_line(state, prev, unit):
            return
        found = match_byline(unit.text)
        if found is not None:
            names, start = found
            _take(state, unit, names, start)
            if start:
                state.change("byline", f"byline 「{names}」 split off the end of "
                             "the paragraph", unit.line)
            return
        if not _may_follow_byline(unit):
            return


def _take(state: State, unit: Unit, names: str, start: int) -> None:
    """Record the byline ``names`` found at ``start`` in ``unit``: the whole line becomes the
    byline, or the byline is cut off the end of the paragraph."""
    state.byline, state.byline_line = names, unit.line
    if start == 0:
        unit.kind = "byline"
    else:
        cut_tail(unit, len(unit.text) - start)
        unit.text = unit.text[:start].rstrip()


def _two_line(state: State, first: Unit, second: Unit) -> bool:
    """A bracketed byline broken over two lines: ``…。（记者 王芳`` + ``通讯员 李强）``."""
    if not re.search(r"[）)]$", second.text) or re.search(r"[（(]", second.text) \
            or visible_len(second.text) > 30:
        return False
    opened = max(first.text.rfind("（"), first.text.rfind("("))
    if opened < 0 or re.search(r"[）)]", first.text[opened:]):
        return False
    found = match_byline(first.text + " " + second.text)
    if found is None or found[1] != opened:
        return False
    names, start = found
    second.kind = "byline"
    _take(state, first, names, start)
    state.change("byline", f"byline 「{names}」 written over two lines (l.{first.line}, "
                 f"l.{second.line}) read as one" + (
                     ", split off the end of the paragraph" if start else ""), first.line)
    return True


def match_byline(text: str) -> tuple[str, int] | None:
    """The names of a bracketed byline ending ``text`` and where it starts, or None."""
    m = BYLINE.search(text)
    if m is None:
        return None
    inner = m.group(1)
    names = [t for t in re.split(r"[\s、，,／/:：]+", inner) if t]
    if len(names) < 2 and not ROLE_WORD.search(inner):
        if not (m.start() == 0 or is_closed(text[:m.start()])) or not _person(names[0]):
            return None
    if m.start() > 0 and not is_closed(text[:m.start()]):
        # In mid-sentence, a bracket pair is an aside, not a byline.
        return None
    return " ".join(inner.split()), m.start()


def _person(word: str) -> bool:
    """True when a single bracketed word reads as a person's name: 2 or 3 characters (4 with
    a double surname is too rare to risk), a common surname first."""
    return 2 <= len(word) <= 3 and word[0] in SURNAMES


def _may_follow_byline(unit: Unit) -> bool:
    """True for a line that can come after the byline: a short caption-like line."""
    if visible_len(unit.text) > TRAILING_MAX:
        return False
    return has_caption_signal(unit.text) or not (is_closed(unit.text)
                                                 or has_inner_stop(unit.text))
