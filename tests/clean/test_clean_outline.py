"""The human outline ``paiban inspect`` prints: the article's shape and its cleaning report."""

from __future__ import annotations

from paiban.clean import clean, read
from paiban.outline import outline
from paiban.snapshots import SEEDS


def test_outline_of_seed_000_shows_structure_and_report():
    text = outline(read(SEEDS / "000_0015acbaf8d5143e.txt"))
    lines = text.splitlines()
    assert lines[0].startswith("《与时代同步 与社会共进》")
    assert "  deck    ——福建省三明市总工会5年工作巡礼" in lines
    assert any(l.startswith("§ “责任工会”： 带领职工听党的话、跟党走") for l in lines)
    assert any("——注重工会源头参与  (subhead)" in l for l in lines)
    assert any("❝ 责任立基，成就天地人和；厚德载物，创造价值无限。" in l for l in lines)
    assert any("图1  三明市总工会举办的" in l for l in lines)
    assert "    l.57 + l.59: …全市工会始终把困｜难职工的冷暖放在…" in lines
    assert "  removed (5):" in lines
    assert any(l.startswith("    l.77 truncated-repeat of l.75: 三明市总工会主动参与") for l in lines)
    assert any(l.startswith("    l.31 starts-mid-sentence: 万条，有890项") for l in lines)
    assert "  warnings: none" in lines


def test_outline_of_seed_002_marks_run_in_subheads_lede_and_fragments():
    text = outline(read(SEEDS / "002_cac0cc1532234b7e.txt"))
    assert "  byline  黄秀珍 郑飞飞  ·l.103" in text
    assert "——源头参与全面畅通。  (run-in subhead)  ·l.25" in text
    assert "¶ [lede] 有一种力量来自工人" in text
    assert "l.55 truncated: 在当地新闻媒体开辟《劳动者风采》专栏，在中心城区重点公交站点" in text
    assert "32 paragraphs, 22 headings, 5 figures" in text


def test_outline_of_a_bare_title():
    text = outline(clean("只有标题\n"))
    assert text.startswith("《只有标题》")
    assert "the text is only a title: no body" in text


def test_outline_shows_lists_turns_and_every_line_with_its_role():
    text = outline(clean("专访\n\n导语写完了。\n\n记者:为什么当车工?\n\n张建华:为了养家,也为了手艺。\n\n"
                         "需要三样东西：\n1.耐心\n2.细心\n\n记者:还有呢?\n\n张建华:没了。\n"))
    lines = text.splitlines()
    assert "  问 记者：为什么当车工？  ·l.5" in lines
    assert "  答 张建华：为了养家，也为了手艺。  ·l.7" in lines
    assert "  • 1.耐心  ·l.10" in lines and "  • 2.细心  ·l.11" in lines
    assert "     5  question  记者：为什么当车工？" in lines
    assert "    10  item      1.耐心" in lines
    assert "     1  title     专访" in lines
    assert "  half-width marks set full-width: 7" in lines
