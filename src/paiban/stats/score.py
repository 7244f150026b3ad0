"""How much a figure deserves a place in a box.

In: a ``Stat``. Out: a number, higher for better headline figures: totals from 「5年来…」 or
累计 summaries, money and people reached score high, and so do large numbers; counts under 10
(1个 service centre, but not a measure: 精度0.003毫米) and labels too general to stand under a number (职工) score low. Only the
order matters; ``select`` keeps figures scoring above 0.
"""

from __future__ import annotations

import math
import re

from paiban.clean.variants import hant, words

from paiban.model import Stat

# Before the figure in its sentence, these mark the article's totals: 「5年来，…8070万元」.
_SUMMARY = re.compile(hant(r"^(?:\d+|近\d+)年来|累计|共计|总计|合计"))
# These mark a total of something smaller (第七期共吸引…) or a standing count (至今…共有).
_TOTAL = re.compile(hant(r"至今|目前为止|共(?![同享建进商])"))
_MONEY = words("元", "美元", "欧元", "港元")
_PEOPLE = words("名", "人", "人次")
_PEOPLE_WORDS = re.compile(hant(r"职工|农民工|会员|学子|求职者|群众|劳模|人员"))
# Physical measures: 0.003毫米 or 5公斤 is no small count, however small the number.
_MEASURES = frozenset(words(
    "毫米", "厘米", "微米", "纳米", "米", "千米", "公里", "海里", "平方米", "㎡", "平方公里",
    "平方千米", "公顷", "亩", "立方米", "立方", "公斤", "千克", "克", "毫克", "斤", "吨", "升",
    "毫升", "千瓦时", "度电", "千瓦", "兆瓦", "万千瓦", "瓦", "伏", "千伏", "赫兹", "千帕", "兆帕",
    "摄氏度", "℃",
))
_PRECISION = re.compile(hant(r"精度|误差|公差|精确|精准"))
# What reached people: help, visits, training, jobs.
_REACH = re.compile(hant(r"帮助|帮扶|慰问|资助|救助|受益|培训|服务|走访|就业|援助"))


def score(stat: Stat) -> float:
    """How much ``stat`` deserves to be a headline figure."""
    points = 0.0
    if _SUMMARY.search(_clause(stat)):
        points += 3
    elif _TOTAL.search(_clause(stat)):
        points += 1
    if stat.unit in _MONEY:
        points += 3
    if stat.unit in _PEOPLE or _PEOPLE_WORDS.search(stat.label):
        points += 2
    if _REACH.search(stat.label):
        points += 1
    if stat.unit in ("%", "％"):
        points += 1
    if stat.unit in _MEASURES:
        # A measure is not a count: no penalty for a small number, and a precision
        # (精度0.003毫米, 误差不超过2毫米) is a record worth a box.
        points += 2 if _PRECISION.search(stat.label + _clause(stat)[-8:]) else 0
    elif stat.number < 10:
        points -= 4
    elif stat.number < 100:
        points -= 1
    points += min(math.log10(max(stat.number, 1.0)), 9.0) / 2.5
    if len(stat.label) < 2:
        points -= 5
    elif len(stat.label) == 2:
        points -= 1.5  # 职工, 企业: too general to stand under a headline number
    return points


def _clause(stat: Stat) -> str:
    """The sentence up to the figure: where a 「5年来」 or 累计 that governs it would be."""
    cut = stat.sentence.find(stat.value)
    return stat.sentence[: cut if cut >= 0 else len(stat.sentence)]


def kind(stat: Stat) -> str:
    """What a figure measures, coarsely: ``money``, ``people``, or its unit."""
    if stat.unit in _MONEY:
        return "money"
    if stat.unit in _PEOPLE or (stat.unit == "次" and _PEOPLE_WORDS.search(stat.label)):
        return "people"
    return stat.unit
