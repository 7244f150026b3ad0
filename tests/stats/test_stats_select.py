"""Selection: the opener box, section boxes, and the sidecar's pins, drops and relabels."""

from __future__ import annotations

from pathlib import Path

import pytest

from paiban.model import Article, Callout, Heading, Paragraph
from paiban.sidecar import Pin, Sidecar
from paiban.stats import apply, extract, select
from paiban.stats.label import MAX_LABEL
from stats_seedtext import SEEDS, article_of, read


def _callouts(article: Article) -> list[Callout]:
    return [b for b in article.blocks if isinstance(b, Callout)]


def _opener(article: Article) -> Callout:
    (box,) = [c for c in _callouts(article) if c.placement == "opener"]
    return box


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_opener_box_holds_three_or_four_headline_figures(seed: Path) -> None:
    article = apply(read(seed))
    box = _opener(article)
    assert box.title == "数说"
    assert 3 <= len(box.stats) <= 4
    # Headline figures are totals: money or people, from the 「5年来」 summaries.
    assert any(s.unit == "元" for s in box.stats)
    assert all(s.number >= 100 for s in box.stats)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_no_figure_twice_and_labels_short(seed: Path) -> None:
    article = apply(read(seed))
    shown = [s.value for c in _callouts(article) for s in c.stats]
    assert len(shown) == len(set(shown))
    for box in _callouts(article):
        assert all(2 <= len(s.label) <= MAX_LABEL for s in box.stats)
        if box.placement == "section":
            assert 2 <= len(box.stats) <= 4


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_every_callout_value_is_verbatim_in_the_text(seed: Path) -> None:
    text = seed.read_text("utf-8")
    article = apply(read(seed))
    assert article.stats == extract(read(seed))
    for box in _callouts(article):
        for s in box.stats:
            assert s.value in s.sentence and s.sentence in text


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_section_box_follows_a_paragraph_holding_its_figures(seed: Path) -> None:
    article = apply(read(seed))
    blocks = article.blocks
    for i, block in enumerate(blocks):
        if isinstance(block, Callout) and block.placement == "section":
            before = blocks[i - 1]
            assert isinstance(before, Paragraph)
            assert any(s.value in before.text for s in block.stats)
            section = [b for b in blocks[:i] if isinstance(b, Heading) and b.level == 1][-1]
            assert all(s.section == section.text for s in block.stats)


def test_opener_box_follows_the_lede() -> None:
    article = apply(_rich_article())
    assert isinstance(article.blocks[0], Paragraph) and article.blocks[0].lede
    assert isinstance(article.blocks[1], Callout) and article.blocks[1].placement == "opener"


def test_too_few_figures_make_no_box() -> None:
    article = apply(article_of("本文开篇说明情况。", "全市共有会员51.4万人，服务站12个。"))
    assert _callouts(article) == []
    assert [s.value for s in article.stats] == ["51.4万人", "12个"]


def test_pin_puts_a_figure_first_in_the_opener_with_its_label() -> None:
    sidecar = Sidecar(pin=(Pin("36所", "职工书屋"),))
    box = _opener(apply(_rich_article(), sidecar))
    assert box.stats[0].value == "36所"
    assert box.stats[0].label == "职工书屋"
    assert len(box.stats) <= 4


def test_pin_can_take_a_figure_the_extractor_left_out() -> None:
    """Chinese numerals are not read; an editor who wants 七期 in the box gets it."""
    sidecar = Sidecar(pin=(Pin("七期", "医疗互助活动"),))
    article = apply(_rich_article(), sidecar)
    first = _opener(article).stats[0]
    assert (first.value, first.label) == ("七期", "医疗互助活动")
    assert first.value in first.sentence
    assert "七期" in [s.value for s in article.stats]


def test_drop_keeps_a_figure_out_of_boxes_and_stats() -> None:
    plain = apply(_rich_article())
    top = _opener(plain).stats[0].value
    dropped = apply(_rich_article(), Sidecar(drop=(top,)))
    assert top not in [s.value for c in _callouts(dropped) for s in c.stats]
    assert top not in [s.value for s in dropped.stats]


def test_relabel_changes_the_label_everywhere() -> None:
    plain = apply(_rich_article())
    top = _opener(plain).stats[0].value
    article = apply(_rich_article(), Sidecar(relabel=((top, "新标签"),)))
    assert _opener(article).stats[0].label == "新标签"
    assert [s.label for s in article.stats if s.value == top] == ["新标签"]


def test_custom_title_and_no_section_boxes() -> None:
    article = apply(_rich_article(), Sidecar(title="数字", section_boxes=False))
    assert [c.title for c in _callouts(article)] == ["数字"]


def test_select_is_given_the_stats_it_shows() -> None:
    article = _rich_article()
    stats = extract(article)[:5]
    chosen = select(article, stats, None)
    assert chosen.stats == stats
    assert {s.value for c in _callouts(chosen) for s in c.stats} <= {s.value for s in stats}


def _rich_article() -> Article:
    lede = Paragraph(text="5年来，全市工会服务职工，成效显著。", lede=True)
    rest = article_of(
        "服务职工的暖心之家在这里",
        "5年来，各级工会共筹集送温暖慰问金8070万元，走访慰问5.6万人次职工。",
        "5年来，共化解劳动争议纠纷1161起，帮助职工挽回经济损失2366万元。",
        "职工医疗互助活动举办七期，受益职工1.35万人次。",
        "保障权益的和谐之家在这里",
        "新建职工书屋36所，配备图书1.5万册，培训职工代表3.25万人次。",
        "发放金秋助学资金3237万元，资助困难职工在学子女1.9万人次。",
    )
    return Article(title="t", blocks=(lede, *rest.blocks))


def test_selecting_again_replaces_the_boxes() -> None:
    once = apply(_rich_article())
    assert apply(once) == once


def test_opener_box_follows_the_paragraph_marked_lede() -> None:
    article = _rich_article()
    first = Paragraph(text="题记：一段引言，没有数字。")
    article = Article(title="t", blocks=(first, *article.blocks))
    blocks = apply(article).blocks
    assert blocks[1] == article.blocks[1] and blocks[1].lede
    assert isinstance(blocks[2], Callout) and blocks[2].placement == "opener"


def test_a_pinned_figure_the_extractor_left_out_takes_its_place_in_the_stats() -> None:
    article = apply(_rich_article(), Sidecar(pin=(Pin("七期"),)))
    values = [s.value for s in article.stats]
    assert values.index("2366万元") < values.index("七期") < values.index("1.35万人次")
    assert 2 <= len(_opener(article).stats[0].label) <= MAX_LABEL


def test_a_pin_makes_an_opener_box_even_with_few_figures() -> None:
    article = article_of("开头共有职工300名。", "全市共有会员51.4万人。")
    assert _callouts(apply(article)) == []
    box = _opener(apply(article, Sidecar(pin=(Pin("51.4万人", "会员"),))))
    assert [(s.value, s.label) for s in box.stats] == [("51.4万人", "会员"), ("300名", "职工")]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_each_box_knows_its_paragraph_after_the_blocks_move(seed: Path) -> None:
    """``source_index`` (the layout's data-after) is the block each box is inserted after, and
    still names that paragraph when the make-up moves the box away from it."""
    from paiban.stats.select import source_index

    article = apply(read(seed))
    boxes = _callouts(article)
    assert boxes
    for box in boxes:
        at = next(i for i, b in enumerate(article.blocks) if b is box)
        assert source_index(article, box) == at - 1
        paragraph = article.blocks[at - 1]
        rest = [b for b in article.blocks if b is not box]
        moved = Article(**{**{f: getattr(article, f) for f in article.__dataclass_fields__},
                           "blocks": (box, *rest)})
        assert moved.blocks[source_index(moved, box)] is paragraph
