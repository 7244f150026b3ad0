"""paiban.render.makeup: finding holes at column feet and the moves that close them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from paiban.model import Figure, Heading, Paragraph, Quote
from paiban.render import makeup
from paiban.render.makeup import Foot

ROOT = Path(__file__).resolve().parents[2]


def para(text: str = "正文。") -> Paragraph:
    return Paragraph(text=text)


BLOCKS = (para("甲"), Figure(number=2, caption="图二"), Figure(number=3, caption="图三"),
          para("乙"), Heading(text="标题", level=1), para("丙"), Quote(text="引语"), para("丁"))


def order(blocks) -> list[int]:
    return [next(i for i, b in enumerate(BLOCKS) if b is block) for block in blocks]


def test_a_row_of_figures_moves_whole_and_a_move_in_place_is_none():
    assert order(makeup._moved(BLOCKS, 1, 4)) == [0, 3, 1, 2, 4, 5, 6, 7]
    assert order(makeup._moved(BLOCKS, 6, 3)) == [0, 1, 2, 6, 3, 4, 5, 7]
    assert makeup._moved(BLOCKS, 2, 3) is None


def test_nothing_comes_between_a_heading_and_its_text():
    assert makeup._before_headings(BLOCKS, 5) == 4
    assert makeup._after_paragraph(BLOCKS, 4) == 6


def test_holes_spare_the_last_page_and_allow_two_lines():
    feet = [Foot(0, 0, 0, 0, ()), Foot(0, 1, 3, 3, ()), Foot(1, 0, 2, 5, ()),
            Foot(1, 1, 30, 7, ())]
    assert makeup.holes(feet) == [feet[1]]
    assert makeup.score(feet) == (1, 1, 3)


def test_candidates_for_a_heading_pushed_over_a_hole():
    # Page 1: the row of figures 2-3 in column 1, then 乙 in column 2 ends 4 lines short;
    # the heading goes to page 2 with 丙, the quote after it.
    feet = [Foot(0, 0, 0, 0, (1,)), Foot(0, 1, 4, 3, ()), Foot(1, 0, 0, 4, (6,)),
            Foot(1, 1, 20, 7, ())]
    article = type("A", (), {"blocks": BLOCKS})()
    orders = [order(o) for o in makeup.candidates(article, feet)]
    # Later: the figures go after the heading's first paragraph; earlier: the quote into the
    # hole, before the heading.
    assert orders == [[0, 3, 4, 5, 1, 2, 6, 7], [0, 1, 2, 3, 6, 4, 5, 7]]


@pytest.fixture(scope="module")
def seed_002():
    from paiban.config import load
    from paiban.pipeline import prepare
    from paiban.render.html import render_html
    from paiban.render.pdf import _weasyprint, shared_font_config

    cfg = load(ROOT / "pyproject.toml")
    article = prepare(ROOT / "seeds" / "002_cac0cc1532234b7e.txt", cfg, "zh-Hans")
    weasyprint = _weasyprint()
    base = (ROOT / "styles").as_uri() + "/../x/a.html"

    def lay_out(trial):
        html = render_html(trial, "feature", cfg, assets="../")
        return weasyprint.HTML(string=html, base_url=base).render(
            font_config=shared_font_config(cfg.fonts_dir))

    return article, lay_out


def test_seed_002_page_2_hole_is_closed_without_a_page_more(seed_002):
    article, lay_out = seed_002
    document = lay_out(article)
    found = makeup.feet(document)
    assert [(f.page, f.column, f.short) for f in makeup.holes(found)] == [(1, 1, 4)]
    best, best_document = makeup.improve(article, document, lay_out)
    assert best is not article
    assert makeup.holes(makeup.feet(best_document)) == []
    assert len(best_document.pages) == len(document.pages)
    # Only a box, figure or quote moved: the text blocks keep their order.
    text = [b for b in article.blocks if b.kind in ("paragraph", "heading")]
    assert [b for b in best.blocks if b.kind in ("paragraph", "heading")] == text


def test_an_article_without_holes_is_laid_out_once(seed_002):
    article, lay_out = seed_002
    short = replace(article, blocks=article.blocks[:6])
    calls = []
    document = lay_out(short)
    best, best_document = makeup.improve(short, document, lambda a: calls.append(a))
    assert best is short and best_document is document and calls == []
