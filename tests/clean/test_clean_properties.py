"""Property tests (hypothesis) for cleaning's invariants.

- No exception on any text: the only error ``clean`` raises is ``InputError`` for text with
  no visible characters.
- Nothing is lost: every non-white-space character of the input appears in the model, in
  source order, except what the report lists as removed (repeats, clutter, file names: each
  with exactly its text, a whole line or part of one; a last paragraph that repeats another
  once its byline is cut off is removed without the byline, which stays). Defined
  precisely: strip white space, ``**``, brackets and byline ornaments (□) from both sides;
  then the input with the removed text taken out equals ``stream(article)``: captions
  before the title, kicker, title, deck with its marker, dateline, every block (headings and
  editor's notes with their markers, figures with their credits), the byline and the end
  matter, in source-line order.
- Idempotence: rendering the clean model back to text (``paiban.clean.to_text``) and cleaning
  that again gives the same model, and the second cleaning joins and removes nothing.

Arbitrary texts test the first two; texts generated in the genre (kicker, labelled kicker,
title, deck, byline line above or under the headline, editor's note, dateline, lede, section headings, subheads, run-in subheads, captions with credits,
mottos, clutter, image file names, a byline, end matter) and then dirtied (page-break
splits, repeats, CRLF, trailing and ideographic spaces, indentation, extra blank lines) test
all three; they include lists, interview turns, headings ending in ？！ and half-width
punctuation typed among the Chinese. Half-width marks set full-width are reported one by one
(``Report.replaced``: line, column, old, new); the no-loss check makes exactly those
replacements in the input (checking each names the character the source has there) before
comparing, so a replacement that was not reported is a loss.
"""

from __future__ import annotations

from cleandump import dump, stream
from fuzzing import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paiban.clean import clean, to_text
from paiban.errors import InputError
from paiban.model import Article

HAN = "工会职工服务全市建设发展帮扶活动技能创新劳动企业单位组织开展推进岩明龙三省总家之"
PUNCT = "，。、；：！？“”《》（）——…"


BRACKETS = str.maketrans("", "", "（）()【】[]〔〕□■◆◇●○★☆▲△▶►◎▌")
"""Brackets and ornaments around bylines, credits and labels: the model keeps what they
enclose (``（记者 王芳）`` -> byline ``记者 王芳``) and layouts draw their own."""


def squash(text: str) -> str:
    """What the no-loss comparison looks at (see module docstring)."""
    text = "".join(text.split())  # white space first: ``* *`` and ``**`` squash alike
    return text.replace("**", "").translate(BRACKETS)


def kept_input(text: str, article: Article) -> str:
    """The input with the reported replacements made (checking that each replaces what the
    source has there) and without the lines the report says were removed (checking each)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for r in article.report.replaced:
        line = lines[r.line - 1]
        assert line[r.column - 1] == r.old and r.old != r.new
        lines[r.line - 1] = line[:r.column - 1] + r.new + line[r.column:]
    for removal in article.report.removed:
        line = "".join(lines[removal.line - 1].split())  # a replaced mark took the spaces after it
        gone = "".join(removal.text.split())
        if line == gone:
            lines[removal.line - 1] = ""
        elif removal.line == article.byline_line and line.startswith(gone):
            # The byline was split off this line before it was found to repeat another.
            lines[removal.line - 1] = line[len(gone):]
        else:
            # Part of a line: a file name, a repeated caption whose credit stays, 报道：.
            assert gone in line, (removal, line)
            lines[removal.line - 1] = line.replace(gone, "", 1)
    return "".join(lines)


def assert_nothing_lost(text: str, article: Article) -> None:
    assert squash(stream(article)) == squash(kept_input(text, article))


def clean_or_none(text: str) -> Article | None:
    try:
        return clean(text)
    except InputError:
        assert not text.strip()
        return None


# -- arbitrary texts --------------------------------------------------------------------------

PIECES = list(HAN + PUNCT + "0123456789abc *#-—图为摄记者 \u3000\t\r\n") + [
    "\n\n", "\n\n\n\n", "——", "**", "（张三 李四）", "\u2028", "\x0b"]
chaos = st.lists(st.sampled_from(PIECES), max_size=200).map("".join)
"""Texts made of the genre's characters and markup in any order."""


@settings(max_examples=examples(8), deadline=None)
@given(chaos)
def test_any_text_is_cleaned_without_loss(text):
    article = clean_or_none(text)
    if article is not None:
        assert_nothing_lost(text, article)


@settings(max_examples=examples(4), deadline=None)
@given(st.text(max_size=200))
def test_any_unicode_is_cleaned_without_loss(text):
    article = clean_or_none(text)
    if article is not None:
        assert_nothing_lost(text, article)


# -- texts of the genre -----------------------------------------------------------------------

def words(lo: int, hi: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=HAN, min_size=lo, max_size=hi)


@st.composite
def sentence(draw) -> str:
    clauses = draw(st.lists(words(3, 12), min_size=1, max_size=3))
    if draw(st.booleans()):
        clauses.append(f"{draw(st.integers(1, 9999))}{draw(st.sampled_from(['万元', '名', '个']))}")
    return "，".join(clauses) + draw(st.sampled_from("。。。！？"))


@st.composite
def paragraph(draw) -> str:
    return "".join(draw(st.lists(sentence(), min_size=1, max_size=4)))


@st.composite
def block(draw) -> list[str]:
    """One block as source lines (captions carry their own blank lines)."""
    kind = draw(st.sampled_from(["p", "p", "p", "p", "h1", "h2", "runin", "num", "caption",
                                 "photo", "motto", "list", "qa", "ask"]))
    if kind == "list":
        style = draw(st.sampled_from(["{}.", "（{}）", "{}、", "circled"]))
        n = draw(st.integers(2, 4))
        return [("①②③④"[k] if style == "circled" else style.format(k + 1)) + draw(words(2, 12))
                for k in range(n)]
    if kind == "qa":
        return ["记者：" + draw(words(4, 12)) + "？", "答：" + draw(paragraph())]
    if kind == "ask":
        return [draw(words(4, 10)) + draw(st.sampled_from("？！")), draw(paragraph())]
    if kind == "p":
        return [draw(paragraph())]
    if kind == "h1":
        return [draw(words(6, 20)) + "“" + draw(words(2, 4)) + "”"]
    if kind == "h2":
        return ["——" + draw(words(4, 10))]
    if kind == "runin":
        return [f"——**{draw(words(4, 8))}。**{draw(paragraph())}"]
    if kind == "num":
        return [draw(st.sampled_from(["一、", "二、", "（三）"])) + draw(words(4, 12))]
    if kind == "caption":
        return ["", "", draw(words(6, 14)) + "，" + draw(words(6, 14)), ""]
    if kind == "photo":
        return ["", "", "图为" + draw(words(6, 20)), ""]
    half = draw(words(4, 4)) + "，" + draw(words(4, 4))
    return [half + "；" + draw(words(4, 4)) + "，" + draw(words(4, 4)) + "。"]


@st.composite
def frame_block(draw) -> list[str]:
    """A block of real copy's frame inside the body: a credited caption, clutter."""
    kind = draw(st.sampled_from(["credited", "credit-line", "clutter", "file", "photo-end"]))
    if kind == "credited":
        return ["", "", draw(words(6, 14)) + " " + draw(words(2, 3)) + " 摄", ""]
    if kind == "credit-line":
        return ["", "", draw(words(6, 14)), draw(st.sampled_from(["通讯员供图", "（资料图）",
                                                                  "新华社记者 王芳 摄"])), ""]
    if kind == "clutter":
        return [draw(st.sampled_from(["分享到：微信 微博", "字号：大 中 小", "×", "【打印本页】",
                                      "闽ICP备12345678号"]))]
    if kind == "file":
        return ["IMG_" + str(draw(st.integers(1000, 9999))) + ".JPG"]
    return [draw(paragraph()) + "图为" + draw(words(6, 14))]


@st.composite
def genre_text(draw) -> str:
    lines = []
    top = draw(st.integers(0, 5)) == 0  # a byline line above the headline (then no other)
    if top:
        lines.append(draw(st.sampled_from(["本报记者 ", "文/图 "])) + draw(words(2, 3)))
    kicker = draw(st.integers(0, 5))
    if kicker == 0:
        lines.append(draw(words(14, 20)) + "——")  # a kicker
    elif kicker == 1:  # a labelled kicker
        lines.append(draw(st.sampled_from(["引题：", "【肩题】", "肩题："])) + draw(words(4, 12)))
    lines.append(draw(words(4, 8)) + " " + draw(words(4, 8)))
    if draw(st.booleans()):
        lines.append("——" + draw(words(6, 14)))
    own_line = not top and draw(st.integers(0, 3)) == 0
    if own_line:
        lines.append(draw(st.sampled_from(["本报记者 ", "□本报记者 ", "文/图 ", "作者："]))
                     + draw(words(2, 3)))
    if draw(st.integers(0, 3)) == 0:
        lines.append("编者按：" + draw(paragraph()))
    lede = draw(paragraph())
    if draw(st.integers(0, 3)) == 0:
        # One article, one byline: after a byline line, the dateline carries none of its own.
        lede = draw(st.sampled_from(["本报讯 "] if top or own_line else [
            "本报讯（记者 王芳）", "新华社北京6月12日电（记者 王芳）", "本报讯 "])) + lede
    lines.append(lede)
    for b in draw(st.lists(st.one_of(block(), block(), block(), frame_block()), max_size=12)):
        lines += b
    if draw(st.booleans()):
        # One article, one byline: a brief with a dateline's byline signs off with the same
        # names, if at all (two different bylines are read first-found, see byline.py).
        names = ("王芳", "记者 王芳") if "王芳" in lede else (draw(words(2, 3)), draw(words(2, 3)))
        lines[-1] += "（" + " ".join(names[-1:] if "王芳" in lede else names) + "）"
    if draw(st.integers(0, 3)) == 0:
        lines += ["", draw(st.sampled_from(["责任编辑：王芳", "（完）", "来源：工人日报 编辑：李强"]))]
    lines = draw(dirty(lines))
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    return eol.join(lines) + eol


@st.composite
def dirty(draw, lines: list[str]) -> list[str]:
    """Page-break splits, repeats, stray white space."""
    out: list[str] = []
    for line in lines:
        if len(line) > 12 and not line.startswith("——") and draw(st.integers(0, 4)) == 0:
            cut = draw(st.integers(1, len(line) - 1))
            out += [line[:cut], line[cut:]]
        else:
            out.append(line)
        if len(line) > 20 and draw(st.integers(0, 6)) == 0:
            out.append(line)  # a repeat
    if draw(st.booleans()):
        # Typed on a Latin keyboard: half-width marks among the Chinese.
        half = str.maketrans({"，": ",", "：": ":", "？": "?", "；": ";", "“": '"', "”": '"'})
        out = [line.translate(half) if draw(st.integers(0, 2)) == 0 else line for line in out]
    pad = draw(st.sampled_from(["", " ", "\u3000\u3000", "\t"]))
    return [pad + line + draw(st.sampled_from(["", "", " ", "\u3000"])) if line else line
            for line in out]


@settings(max_examples=examples(6), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(genre_text())
def test_genre_text_is_cleaned_without_loss(text):
    assert_nothing_lost(text, clean(text))


@settings(max_examples=examples(6), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(genre_text())
def test_cleaning_is_idempotent(text):
    first = clean(text)
    again = clean(to_text(first))
    assert dump(again, report=False) == dump(first, report=False)
    assert again.report.joins == () and again.report.removed == ()


@settings(max_examples=examples(4), deadline=None)
@given(chaos)
def test_cleaning_arbitrary_text_is_idempotent(text):
    first = clean_or_none(text)
    if first is not None:
        again = clean(to_text(first))
        assert dump(again, report=False) == dump(first, report=False)
