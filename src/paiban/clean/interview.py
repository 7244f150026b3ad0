"""Rule ``interview``: question-and-answer turns.

In: ``State.units`` after ``marked``. Out: turn units marked ``turn``: ``marker`` is the
speaker label as written (``记者：``), ``level`` 1 for a question, 0 for an answer.

A turn is a paragraph that opens with a speaker and a colon: ``记者：``, ``问：``, ``答：``,
``Q：``/``A：``, ``主持人：``, or a name (``王芳：``). Colons open many other paragraphs
(``他表示：“…”``, ``关键词：创新``), so turns are read only in an interview: at least two
questions (``记者``/``问``/``Q``/``主持人``), one question and one answer, or two answers (an
explainer whose questions are numbered headings: ``1.哪些人可以享受？`` / ``答：…``). A name is a
speaker only when it speaks at least twice (or right after another turn) and is not a verb
of saying (表示, 说…); a turn
with a name says something (a long or finished sentence), so a short ``X：Y`` heading stays a
heading. The interviewer's turns are questions; the rest are answers.
"""

from __future__ import annotations

import re
from collections import Counter

from .state import State, Unit
from .variants import hant
from .text import has_inner_stop, is_closed, visible_len

QUESTION = r"(?:本报记者|本刊记者|记者|主持人|问|Q)"
ANSWER = r"(?:答|A)"
LABEL = re.compile(hant(rf"^[■□●○◆◇▲△▶]?\s*(?P<who>{QUESTION}|{ANSWER}|[\u4e00-\u9fff·]{{2,4}})"
                   r"(?:[（(][^（）()]{1,16}[）)])?\s*[：:]\s*(?=\S)"))
"""A speaker label: ``记者：``, ``■问：``, ``张建华（全国劳动模范）：``."""
QUESTION_LABEL = re.compile(hant(rf"^{QUESTION}$"))
ANSWER_LABEL = re.compile(hant(rf"^{ANSWER}$"))
SAYING = re.compile(hant(r"(?:说|表示|指出|介绍|认为|称|道|强调|提出|透露|坦言|回忆|告诉|问|答|"
                    r"如下|包括|关键词|主题|时间|地点|目标|原则|要求|特点|重点|举措|做法|经验|"
                    r"提示|注意|备注|附|电话|地址|邮箱|网址)$"))
"""Label endings that are speech verbs or the headwords of notes and headings, not names."""

PROSE_MIN = 16
"""A named turn shorter than this and unfinished reads as an ``X：Y`` heading."""


def interview(state: State) -> None:
    """Mark the turns, when the text is an interview."""
    units = [u for u in state.body_units() if u.kind == "text" and not u.forced]
    labelled = [(u, who) for u in units if (who := _label(u.text))]
    questions = sum(1 for _, who in labelled if QUESTION_LABEL.match(who))
    answers = sum(1 for _, who in labelled if ANSWER_LABEL.match(who))
    if not (questions >= 2 or (questions and answers) or answers >= 2):
        return  # (答： twice: an explainer whose questions are its numbered headings)
    names = Counter(who for _, who in labelled
                    if not (QUESTION_LABEL.match(who) or ANSWER_LABEL.match(who)))
    body = state.body_units()
    position = {id(u): k for k, u in enumerate(body)}  # not body.index: linear in the text
    for unit, who in labelled:
        question = bool(QUESTION_LABEL.match(who))
        if not (question or ANSWER_LABEL.match(who)):
            rest = unit.text[LABEL.match(unit.text).end():]  # type: ignore[union-attr]
            at = position[id(unit)]
            # A guest of a round table may speak once: then a turn must come just before.
            follows_turn = at > 0 and body[at - 1].kind == "turn"
            if (names[who] < 2 and not follows_turn) or SAYING.search(who) \
                    or not _says_something(rest):
                continue
        m = LABEL.match(unit.text)
        assert m is not None
        unit.kind, unit.marker, unit.level = "turn", unit.text[:m.end()], int(question)
        unit.body = unit.text[m.end():]


def _label(text: str) -> str:
    m = LABEL.match(text)
    return m.group("who") if m else ""


def _says_something(rest: str) -> bool:
    return is_closed(rest) or has_inner_stop(rest) or visible_len(rest) >= PROSE_MIN


def speaker_of(unit: Unit) -> str:
    """The label of a turn unit without its colon."""
    return unit.marker.rstrip(" ：:")
