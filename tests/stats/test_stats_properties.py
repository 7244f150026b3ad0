"""Invariants of extraction on arbitrary text (hypothesis)."""

from __future__ import annotations

from fuzzing import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from paiban.model import Article, Heading, Paragraph
from paiban.stats import apply, extract
from paiban.stats.label import MAX_LABEL

# Text made of the pieces figures are made of, so that near-misses are common: digits, decimal
# points, multipliers, markers, units, quotes, brackets, punctuation, Latin letters.
PIECES = st.sampled_from(list(
    "0123456789.,-~至第前近约超逾多余万亿千百元名人次个项%％年月日起期届家“”「」《》（）()，。；：、！？"
    "职工会员帮扶资金共累计达到以上左右要约春秋AXG·+ \n"
) + ["人次", "万元", "亿多元", "5年来", "以上", "个百分点", "——", "**"])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=60).map("".join)


@settings(max_examples=examples(6), deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=4), TEXT)
def test_extract_never_raises_and_keeps_values_verbatim(paragraphs: list[str], heading: str) -> None:
    blocks = [Heading(text=heading, level=1), *(Paragraph(text=p) for p in paragraphs)]
    article = Article(title="t", blocks=tuple(blocks))
    stats = extract(article)
    for s in stats:
        assert s.value and s.value in s.sentence
        assert any(s.sentence in p for p in paragraphs)
        assert len(s.label) <= MAX_LABEL
        assert s.number >= 0
        assert s.section == heading
    # Selection never raises either, and shows only extracted values.
    chosen = apply(article)
    assert chosen.stats == stats


@settings(max_examples=examples(4), deadline=None)
@given(st.integers(min_value=1, max_value=10**7), st.sampled_from(["元", "名", "人次", "个", "%"]))
def test_a_plain_figure_is_found_with_its_number(n: int, unit: str) -> None:
    article = Article(title="t", blocks=(Paragraph(text=f"全市共帮助职工{n}{unit}。"),))
    (stat,) = extract(article)
    assert stat.value == f"{n}{unit}"
    assert stat.number == n
