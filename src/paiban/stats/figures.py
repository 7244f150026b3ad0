"""The grammar of a written figure: find the figures in one paragraph and read their numbers.

In: a paragraph's text. Out: ``Match`` records (span, verbatim value, number in base units, unit,
approximate), in text order, with the non-statistics already left out.

A figure is an Arabic number (half- or full-width) followed by a unit or classifier, with its
multiplier and markers, or a number with 万/亿 and no unit (全市5万职工, 产值3亿):

    [近|约|超过|超|逾…] [5至] 8070 [多|余] [万|亿…] [多|余] 元 [以上|左右|有余]

Requiring a unit or classifier is what keeps years, dates and periods out (2016年, 8月31日,
5年来, 近5年: 年/月/日 are not units here), and phone and hotline numbers (12351) and numbered
names (“353”工作机制, “110”联动机制, “6·18”, “1+X”), which have none. What the unit rule does not
catch is excluded explicitly, each for a reason given next to the rule: ordinals (第七期), rankings
(前10名), durations (17个春秋, 1个多月), ages that are criteria (年满18岁), units that start a word
(13亿人口, 3处理), numbers inside book titles (《…》) or inside short quoted names.

Chinese numerals (七期, 三级, 百名劳模, 千家企业) are not read. Chinese publishing practice
(GB/T 15835-2011) writes counts and measures in Arabic digits; in these features Chinese numerals
mark fixed expressions, slogans and names (“四季四送”, 一站式, 三级帮扶网络, 一法三卡), so reading
them would add many false figures for the rare real one (职工医疗互助活动举办七期). An editor can
still pin such a figure through the sidecar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from paiban.clean.variants import chars, hant, words

# No bare 千: 3千米 is 3 km, and formal Chinese writes 3000, not 3千. A Traditional source
# writes 萬, 億: ``words`` adds each word's Traditional forms (so the patterns below match both).
MULTIPLIERS: dict[str, int] = {w: v for k, v in {"万亿": 10**12, "千万": 10**7, "百万": 10**6,
                                                  "亿": 10**8, "万": 10**4}.items()
                               for w in words(k)}
# Multipliers that make a figure on their own, without a unit: 产值3亿，…
_STANDALONE = words("万亿", "亿", "万")

# Longest first, so 人次 wins over 人 and 个百分点 over 个.
UNITS: tuple[str, ...] = tuple(sorted(words(
    "%", "％", "‰", "个百分点", "元", "美元", "欧元", "港元", "人次", "家次", "人", "名", "位",
    "家", "个", "项", "件", "起", "场", "期", "户", "份", "条", "次", "届", "所", "座", "支",
    "批", "处", "台", "套", "篇", "本", "册", "张", "辆", "间", "种", "类", "款", "部", "块",
    "床", "岁", "倍", "吨", "亩", "公顷", "平方米", "㎡", "平方公里", "公里", "千米", "米", "千瓦",
    # Measures (GB 3100 names as news copy writes them): lengths, masses, volumes, energy.
    "毫米", "厘米", "微米", "纳米", "海里", "平方千米", "立方米", "立方", "公斤", "千克", "克",
    "毫克", "斤", "升", "毫升", "千瓦时", "度电", "兆瓦", "万千瓦", "瓦", "伏", "千伏", "赫兹",
    "千帕", "兆帕", "摄氏度", "℃", "标准箱", "标箱", "车次", "架次", "班次", "航次", "艘",
    "架", "辆次", "列", "头", "只", "棵", "株", "把", "双", "枚", "盏", "根", "箱", "袋",
), key=len, reverse=True))
# A unit that is really the start of a word is no unit: 13亿人口, 3处理, 5部门 (a count of
# departments, but 部门 is the word), 3期间.
_NOT_UNIT_BEFORE: dict[str, str] = {w: chars(v) for k, v in {
    "人": "民口", "处": "理", "部": "门署", "期": "间", "台": "湾", "本": "地届次", "所": "以有",
    "克": "服", "升": "级学职高", "列": "入车为", "头": "部条号", "只": "是要有能", "把": "握关",
    "根": "据本", "双": "方向", "架": "构", "套": "餐",
}.items() for w in words(k)}


def _unit_pattern(unit: str) -> str:
    after = _NOT_UNIT_BEFORE.get(unit)
    return re.escape(unit) + (f"(?![{after}])" if after else "")


_NUM = r"[0-9０-９]+(?:,[0-9]{3})*(?:[.．][0-9０-９]+)?"
_PREFIX = hant(r"大约|将近|接近|超过|近|约|超|逾")
_FIGURE = re.compile(
    rf"(?P<prefix>{_PREFIX})?"
    rf"(?:(?P<low>{_NUM})(?:多|余|餘)?(?:{'|'.join(MULTIPLIERS)})?(?P<dash>[-~～—至到]))?"
    rf"(?P<num>{_NUM})"
    r"(?P<more1>多|余|餘)?"
    rf"(?P<mult>{'|'.join(MULTIPLIERS)})?"
    r"(?P<more2>多|余|餘)?"
    rf"(?P<unit>{'|'.join(_unit_pattern(u) for u in UNITS)})?"
    r"(?P<suffix>以上|左右|有余|有餘)?"
)

# A digit, decimal point or Latin letter glued to the left means the number is part of a
# longer token (2016.1.25, G20, No.5): not a figure of its own.
_GLUED_LEFT = re.compile(r"[0-9０-９.．A-Za-zＡ-Ｚａ-ｚ]$")
# Ordinals and rankings: 第七期, 前10名, 排名第3.
_ORDINAL_LEFT = re.compile(r"(第|排名|名列|位列|位居)$")
_RANK_LEFT = re.compile(r"前$")
# Durations are periods, not counts: 17个春秋, 3个月, 10个年头.
_DURATION_RIGHT = re.compile(hant(r"^[多半]?(春秋|月|年头|季度|星期|小时|工作日|钟头|世纪)"))
# An age is a figure only as an average or a measured age (平均年龄35岁); otherwise it is a
# criterion (年满18岁, 60岁以上老人).
_AGE_LEFT = re.compile(hant(r"(年龄|平均)[^，。；]{0,3}$"))
# 2016起 (from 2016 on) is a year, not 2016 cases.
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
# A prefix that is really the end of a word is not a marker: 答复要约27万份 (offer), 最近3家.
_PREFIX_WORDS = re.compile(hant(r"(要|节|制|签|合|公|预|契|邀|相|特|履|违|条|集)约$|(最|附|邻|贴|亲|靠)近$|赶超$"))
# Quoted names are short and hold no sentence punctuation (“5个1”工程); quoted speech is longer.
_QUOTES = (("“", "”"), ("「", "」"), ("『", "』"), ('"', '"'))
_NAME_MAX = 15
_WINDOW = 12
"""Characters either side of a figure that the rules above look at."""
_SPEECH_MARKS = re.compile(r"[，。！？；,]")


@dataclass(slots=True, frozen=True)
class Match:
    """One figure found in a paragraph."""

    start: int
    end: int
    value: str
    """The figure as written, markers included (``46万多名``, ``98%以上``)."""
    number: float
    """In base units: multipliers applied, the unit's own scale (元, 人) kept."""
    unit: str
    """Unit or classifier as written, without the multiplier (万元 -> 元)."""
    approximate: bool


def find(text: str) -> list[Match]:
    """Every figure in ``text``, in order, non-statistics left out."""
    names = _protected_spans(text)
    out: list[Match] = []
    for m in _FIGURE.finditer(text):
        if not _is_statistic(text, m) or any(a <= m.start("num") < b for a, b in names):
            continue
        word_prefix = bool(m["prefix"]) and _PREFIX_WORDS.search(_left(text, m.end("prefix")))
        out.append(_to_match(m, text, drop_prefix=bool(word_prefix)))
    return out


def parse(value: str) -> Match | None:
    """Read a single verbatim figure (e.g. a value pinned in a sidecar); None if it is not one."""
    m = _FIGURE.fullmatch(value)
    return _to_match(m, value) if m else None


def _to_match(m: re.Match[str], text: str, drop_prefix: bool = False) -> Match:
    number = _decimal(m["low"] or m["num"])  # a range (3至5个) counts by its lower bound
    number *= MULTIPLIERS.get(m["mult"] or "", 1)
    prefix = m["prefix"] and not drop_prefix
    start = m.start() if prefix else m.start("low" if m["low"] else "num")
    approximate = bool(prefix or m["more1"] or m["more2"] or m["suffix"] or m["low"])
    return Match(start, m.end(), text[start:m.end()], float(number), m["unit"] or "", approximate)


def _decimal(digits: str) -> Decimal:
    # Decimal reads full-width digits itself; only the separators need changing.
    return Decimal(digits.replace(",", "").replace("．", "."))


def _left(text: str, pos: int) -> str:
    # Every rule looks at most a few characters back; a window keeps long texts linear.
    return text[max(0, pos - _WINDOW): pos]


def _is_statistic(text: str, m: re.Match[str]) -> bool:
    left = _left(text, m.start())
    right = text[m.end(): m.end() + _WINDOW]
    unit = m["unit"]
    if _GLUED_LEFT.search(left) or _ORDINAL_LEFT.search(left):
        return False
    if _RANK_LEFT.search(left) and unit in ("名", "位"):
        return False
    if unit in ("个", "個") and _DURATION_RIGHT.match(right):
        return False
    if not unit and m["mult"] not in _STANDALONE:
        return False  # a bare number: a year, a name, a phone number…
    if unit in ("岁", "歲") and not _AGE_LEFT.search(left):
        return False
    if unit == "起" and _YEAR.match(m["num"]) and not m["mult"]:
        return False
    return True


def _protected_spans(text: str) -> list[tuple[int, int]]:
    """Spans whose numbers are names: book titles, and short quoted names."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"《[^》]*》", text)]
    for open_, close in _QUOTES:
        pattern = re.compile(re.escape(open_) + r"([^" + re.escape(open_ + close) + r"]*)"
                             + re.escape(close))
        for q in pattern.finditer(text):
            inner = q[1]
            if len(inner) <= _NAME_MAX and not _SPEECH_MARKS.search(inner):
                spans.append((q.start(), q.end()))
    return spans
