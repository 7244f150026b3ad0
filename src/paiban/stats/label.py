"""A short label for a figure, taken from the words around it in its clause.

In: a paragraph's text and the span of one figure (plus the spans of its neighbours, so that a
label never reaches into the next figure). Out: a label of at most ``MAX_LABEL`` characters, e.g.
``共筹集送温暖慰问金8070万元`` -> ``筹集送温暖慰问金``, ``走访慰问5.6万人次职工`` -> ``走访慰问职工``,
``参赛率达到80%`` -> ``参赛率``.

The label is the verb phrase before the figure plus the noun after it, with the clause's
time phrase, subject and adverbs (5年来, 全市工会, 共, 累计…) stripped: what is left is what the
figure counts. It sits under a big number in a box, so it is kept short; an editor can relabel
any figure in the sidecar.
"""

from __future__ import annotations

import re

from paiban.stats.words import boundaries, whole_words

MAX_LABEL = 10
"""Longest label, in characters: about what fits under a big number in a narrow box."""

# Parentheses are not boundaries: 51个乡镇（街道）职工服务站 is one noun.
_BOUNDARY_CHARS = "，。；！？：、,;!?:\n"
_BOUNDARY = re.compile(rf"[{_BOUNDARY_CHARS}]|——")
# A time phrase or subject that opens a clause: not what the figure counts.
_LEAD = re.compile(
    r"^(?:\d+年来|近\d+年|近年来|至今|把|将|我们的|他们的|我们|他们|我的|他的|她的|目前为止|目前|截至目前|今年|去年|其中|同时|此外|另外|并且?|还|"
    r"全市|全省|全县|全区|各级工会|各级|市总工会|市总|省总|工会|全国|"
    r"已经|已|共计|共|累计|总计|合计|先后|一共|有|为|达到|达|约|这|包括)"
)
# Adverbs after which the verb starts: everything before them is subject.
_ADVERB = re.compile(r"^.*?(?:共计|累计|总计|合计|先后|一共|共(?![同享建进商])|已经|已)(?=.)")
# A copula or marker that ends the words before a figure: 参赛率达到80% -> 参赛率.
# (约, 近, 超 are not here: as markers they belong to the value, as in 要约 to the word.)
_TRAIL = re.compile(r"(?:达到|达|为|是|有|共|累计|共计|总计|的|不少于|不低于|不超过|高于|低于|"
                   r"多于|少于|超过|控制在|保持在|稳定在|提高到|提升到|降低到|降到|降至|增至|在|不能|不得|不可|"
                   r"不会|必须|须|要)$")
# Verbs that say what was done to what the figure counts; words before the first of them are
# the subject or a place (园区设立3个 -> 设立, 用实际行动激活 -> 激活).
_VERB = re.compile(
    r"设立|建成|建立|组建|组织|举办|开展|筹集|发放|帮助|征集|推荐|培训|接待|受理|处理|走访|慰问|"
    r"资助|评选|选树|聘用|发展|吸引|争取|投资|带领|激活|追回|挽回|化解|推动|答复|发出|产生|"
    r"获得|实现|参加|帮扶|招聘|引导|服务|救助|安置"
)
# Where the noun after a figure ends and a new predicate starts, for over-long labels.
_VERB_AFTER = re.compile(r"(?:获得|获评|获|参加|参与|参赛|在|将|实现|得到|被|经|对|签订|的)")
# An adverb after a figure starts the next predicate: 建成53家“妈妈小屋”累计接待服务12万人次.
_ADVERB_AFTER = re.compile(r"累计|共计|总计|合计|先后|其中")
# Words that start a predicate right after a figure: the figure's noun is before it.
_PREDICATE_START = re.compile(r"(?:首次|首批|均|都|全部|全都|已经|已|将|正在|陆续|分别|同时|共同|"
                              r"逐步|顺利|成功|先后|相继|次第)")
# A predicate that ends a clause and says what happened to what was counted.
_PREDICATE_END = re.compile(r"(?:获奖|参赛|参加|受益|就业|表彰|达标|脱困)$")
_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,3}[省市县区](?=[\u4e00-\u9fff]{3})")
_QUOTE_MARKS = "“”‘’「」『』《》\"'"


def label(text: str, start: int, end: int, prev_end: int = 0, next_start: int | None = None) -> str:
    """Label the figure at ``text[start:end]``; neighbours' spans bound the words it may use.

    "" when the clause says nothing about what the figure counts (全市共有12个。)."""
    clause_start = _clause_start(text, start)
    before = text[max(clause_start, prev_end):start]
    if prev_end > clause_start and not _ADVERB.match(before):
        # 15个行业150个工种: the words between two figures are the first one's noun.
        before = ""
    after = _ADVERB_AFTER.split(text[end:_noun_end(text, end, next_start)], maxsplit=1)[0]
    if _PREDICATE_START.match(after) and before.strip():
        after = ""  # 户外劳动者3.1万名首次纳入: what follows says what happened, not what counts
    head = _clean_before(before, has_object=bool(after.strip()))
    if clause_start > 0 and text[clause_start - 1] == "、" and "等" in head[:-1]:
        # The last items of a list and what its 等 sums up (环卫工人、货车司机等户外劳动者):
        # the items are cut off, the sum is the label (户外劳动者).
        head = head.rsplit("等", 1)[1]
    tail = _clean_after(after)
    candidates = _candidates(head, tail) + [_word_end(text, head), _word_end(text, tail),
                                            _word_start(text, head + tail)]
    for candidate in candidates:
        candidate = _balance_quotes(candidate).lstrip("、，的")
        # A copy editor's label starts and ends at words: never 机等户外劳动者.
        if 2 <= len(candidate) <= MAX_LABEL and whole_words(text, candidate):
            return candidate
    return ""


def _word_end(text: str, words: str) -> str:
    """The end of ``words`` (a piece of ``text``) in at most ``MAX_LABEL`` characters, cut at
    a word boundary; from a list cut short, what follows its 等 (环卫工人、货车司机等户外劳动者
    -> 户外劳动者)."""
    at = text.find(words)
    if at < 0 or not words:
        return ""
    if len(words) <= MAX_LABEL:
        return words
    cuts = boundaries(text)
    end = at + len(words)
    start = next((c for c in sorted(cuts) if end - MAX_LABEL <= c < end), end)
    kept = text[start:end]
    if "等" in kept and "、" in text[at:start + 1] + kept:
        after = kept.rsplit("等", 1)[1]
        if len(after) >= 2 and start + len(kept) - len(after) in cuts:
            return after
    return kept


def _word_start(text: str, words: str) -> str:
    """The start of ``words`` in at most ``MAX_LABEL`` characters, cut at a word boundary."""
    at = text.find(words)
    if at < 0 or not words:
        return ""
    cuts = boundaries(text)
    end = max((c for c in cuts if at < c <= at + min(len(words), MAX_LABEL)), default=at)
    return text[at:end]


def _candidates(head: str, tail: str) -> list[str]:
    """Labels from the words before (``head``) and after (``tail``) a figure, best first."""
    short = _VERB_AFTER.split(tail, maxsplit=1)[0]
    bare = _VERB.sub("", head, count=1) if _VERB.match(head) else head
    candidates: list[str] = []
    if tail.startswith("的"):
        # 投资3亿元的工人文化宫项目: the figure qualifies the noun after 的 -> 工人文化宫项目投资.
        candidates.append(_strip_place(_VERB_AFTER.split(tail[1:], maxsplit=1)[0]) + head)
    # Quotation marks cost a label two characters it may not have: 职工参加“安康杯”竞赛.
    candidates += [head + tail, _unquote(head + tail)]
    if short:
        predicate = _PREDICATE_END.search(tail)
        if predicate and short != tail:
            # 299个项目在…成果展上获奖 -> 项目获奖.
            candidates += [head + short + predicate[0], short + predicate[0]]
        candidates += [head + short, bare + short, short]
    if not tail:
        candidates.append(bare)  # 发出工资集体协商要约书3.3万份 -> 工资集体协商要约书
    candidates.append(tail)
    # Shortened, the noun is before the figure when the words before it hold one
    # (征集职工“五小”创新项目907项参加…), else after it (聘用147名乡镇、工业园区工会专干).
    ends = [_keep_end(head), _keep_end(tail)]
    return candidates + (ends if len(bare) >= 2 else ends[::-1])


def _noun_end(text: str, end: int, next_start: int | None) -> int:
    """Where the words after a figure end: at the clause's end, or, when the clause goes on
    as a list of nouns without figures, at the list's end (147名乡镇、工业园区工会专干: the
    head noun 工会专干 comes after the last 、)."""
    limit = len(text) if next_start is None else next_start
    stop = _clause_end(text, end)
    while stop < limit and text[stop] == "、":
        following = _clause_end(text, stop + 1)
        if following > limit:
            break  # the next item has a figure of its own
        stop = following
    return min(stop, limit)


def _strip_place(noun: str) -> str:
    """龙岩市工人文化宫项目 -> 工人文化宫项目: the place is the article's, not the label's."""
    return _PLACE.sub("", noun, count=1)


def _unquote(words: str) -> str:
    return "".join(c for c in words if c not in _QUOTE_MARKS)


def _keep_end(words: str) -> str:
    """The last ``MAX_LABEL`` characters: a Chinese noun phrase ends in its head noun. A quoted
    name cut in half is dropped whole (“安康杯”竞赛活动先进集体 -> 竞赛活动先进集体)."""
    if len(words) <= MAX_LABEL:
        return words
    end = words[-MAX_LABEL:]
    if "、" in words and "等" in end and len(end.rsplit("等", 1)[1]) >= 2:
        return end.rsplit("等", 1)[1]  # a list cut short: what its 等 sums up (户外劳动者)
    if "、" in end:
        end = end.rsplit("、", 1)[1]  # the last item of a cut list, whole
    for close in "”’」』》":
        opening = {"”": "“", "’": "‘", "」": "「", "』": "『", "》": "《"}[close]
        if close in end and opening not in end.split(close)[0]:
            end = end.split(close, 1)[1]
    if len(end) < 2:
        # The whole phrase is one quoted name: keep its end without the marks.
        end = _unquote(words)[-MAX_LABEL:]
    return end


def _clause_start(text: str, pos: int) -> int:
    # Walk back rather than search forward from 0: linear in the clause, not the paragraph.
    for i in range(pos - 1, -1, -1):
        if text[i] in _BOUNDARY_CHARS or text[i - 1: i + 1] == "——":
            return i + 1
    return 0


def _clause_end(text: str, pos: int) -> int:
    m = _BOUNDARY.search(text, pos)
    return m.start() if m else len(text)


def _clean_before(words: str, has_object: bool) -> str:
    words = re.sub(r"[（(][^）)]*[）)]", "", words).strip()
    m = _ADVERB.match(words)
    if m:
        words = words[m.end():]
    if words.endswith("等"):
        # 实体企业减负帮扶等24个问题: the words before 等 are examples, not what is counted.
        return ""
    verb = _VERB.search(words)
    if verb and (has_object or verb.end() < len(words)):
        # A verb ending the words with nothing after the figure is a noun (基层工会组织7086家).
        words = words[verb.start():]
    previous = None
    while words and words != previous:
        previous = words
        words = _LEAD.sub("", words, count=1)
        words = _TRAIL.sub("", words)
    return words.strip()


def _clean_after(words: str) -> str:
    # A parenthesis after a unit qualifies it (4300多家（次）); it is not part of the label.
    words = re.sub(r"[（(][^）)]*[）)]", "", words)
    # So does a bound (0.003毫米以内).
    words = re.sub(r"^(?:以内|以下|之内|之间|以外)", "", words.strip())
    return words.strip()


def _balance_quotes(words: str) -> str:
    """Drop quotation marks that lost their partner when the label was cut."""
    pairs = (("“", "”"), ("‘", "’"), ("「", "」"), ("『", "』"), ("《", "》"))
    for open_, close in pairs:
        if words.count(open_) != words.count(close):
            words = words.replace(open_, "").replace(close, "")
    return words
