"""The model to HTML: escaping, language, faces, every block kind, figures, layouts."""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import replace

import pytest

from paiban import config
from paiban.errors import ConfigError
from paiban.model import Figure, Heading, Paragraph
from paiban.render.html import FigureRow, figure_rows, layouts, render_html, stat_parts

from sample import every_kind

CFG = config.load()


def text_of(html: str) -> str:
    """The document's visible text: tags dropped, entities decoded."""
    body = html.split("<body>", 1)[1]
    return htmllib.unescape(re.sub(r"<[^>]+>", "", body))


def strip(fragment: str) -> str:
    """Text of an HTML fragment (the cjk filter may wrap characters in spans)."""
    return htmllib.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


@pytest.fixture(scope="module", params=["feature", "report"])
def layout(request) -> str:
    return request.param


def test_text_is_escaped_not_interpreted(layout):
    html = render_html(every_kind(), layout, CFG)
    assert "<script>" not in html
    assert "<b>粗</b>" not in html
    text = text_of(html)
    assert "<script>alert(1)</script>" in text
    assert "{{ 7*7 }}" in text
    assert "49" not in text
    assert "标题<b>粗</b>" in text


@pytest.mark.parametrize("lang, face", [
    ("zh-Hans", "Noto Serif CJK SC"), ("zh-Hant", "Noto Serif CJK TC"),
    ("zh-Hant-TW", "Noto Serif CJK TC"), ("zh-Hant-HK", "Noto Serif CJK HK"),
])
def test_lang_and_faces_follow_the_edition(lang, face):
    html = render_html(replace(every_kind(), lang=lang), "feature", CFG)
    assert re.search(rf'<html lang="{lang}"', html)
    root = re.search(r"<html[^>]*>", html)[0]
    assert face in htmllib.unescape(root)
    assert face.replace("Serif", "Sans") in htmllib.unescape(root)


def test_every_block_kind_is_drawn(layout):
    html = render_html(every_kind(), layout, CFG)
    assert re.search(r'<h1 class="title">', html)
    assert strip(re.search(r'class="deck">(.*?)</p>', html, re.S)[1]) == "——副题"
    assert "黄秀珍 郑飞飞" in html
    assert strip(re.search(r'<h2 class="section"[^>]*>(.*?)</h2>', html)[1]) == "一节"
    assert strip(re.search(r'<h3 class="subhead"[^>]*>(.*?)</h3>', html)[1]) == "独立小标题"
    # The run-in subhead opens the paragraph after it instead of standing alone.
    runin = re.search(r'<p class="para"[^>]*><strong class="runin">(.*?)</strong>(.*?)</p>', html, re.S)
    assert strip(runin[1]) == "引题小标题。"
    assert strip(runin[2]).startswith("正文二")
    assert "引题小标题" not in strip("".join(re.findall(r"<h3.*?</h3>", html)))
    assert re.search(r'<blockquote class="pullquote" data-block="\d+">', html)
    assert html.count('class="dropcap dropcap-1"') == 1
    assert html.count('<aside class="callout callout-opener">') == 1
    assert len(re.findall(r'<aside class="callout callout-section" data-block="\d+">', html)) == 1
    assert "送温暖慰问金" in html and ">8070<" in html
    # The end mark sits in the last paragraph and is a box, not a character.
    last = html.rsplit("<p", 1)[1]
    assert "末段。" in last and 'class="endmark"' in last
    assert html.count('class="endmark"') == 1


def test_opener_box_is_on_the_opener_and_not_in_the_body():
    html = render_html(every_kind(), "feature", CFG)
    opener, body = html.split('<div class="body">', 1)
    assert "callout-opener" in opener and "callout-opener" not in body
    assert "callout-section" in body


def test_figures_are_numbered_placeholders_with_captions(layout):
    html = render_html(every_kind(), layout, CFG)
    assert re.findall(r'<span class="fig-no">(图\d+)</span>', html) == ["图1", "图2"]
    assert html.count("图片占位") == 2
    assert 'viewBox="0 0 1500 1000"' in html  # ratio 1.5
    assert 'viewBox="0 0 1000 1000"' in html  # ratio 1.0
    upright = replace(every_kind(), blocks=(Figure(caption="横图", number=1),
                                            Figure(caption="竖图", number=2, ratio=0.75)))
    assert 'style="width: 75.0%"' in render_html(upright, layout, CFG)


def test_hero_is_on_the_opener_once():
    article = every_kind()
    html = render_html(article, "feature", CFG, hero=2)
    opener, body = html.split('<div class="body">', 1)
    assert 'id="fig-2"' in opener and 'id="fig-2"' not in body
    assert 'id="fig-1"' in body
    # The article's own choice (from its sidecar) is used when none is passed.
    opener = render_html(replace(article, hero=2), "feature", CFG).split('<div class="body">')[0]
    assert 'id="fig-2"' in opener and 'id="fig-1"' not in opener
    # Without a choice (or with a figure that does not exist) the first figure is the hero.
    for hero in (None, 9):
        opener = render_html(article, "feature", CFG, hero=hero).split('<div class="body">')[0]
        assert 'id="fig-1"' in opener


def test_real_images_are_linked_not_drawn():
    article = every_kind()
    blocks = tuple(replace(b, image="images/x.jpg") if isinstance(b, Figure) and b.number == 2
                   else b for b in article.blocks)
    html = render_html(replace(article, blocks=blocks), "report", CFG, assets="../_assets/")
    # Linked relatively, under the assets the build copies it to (writer.publish_photos): a
    # browser shows it over HTTP, where it refuses a file:// link.
    assert 'src="../_assets/images/x.jpg"' in html and "file:" not in html
    assert html.count("图片占位") == 1


def test_stylesheets_are_linked_under_the_assets_prefix():
    html = render_html(every_kind(), "feature", CFG, assets="../_assets/")
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)">', html)
    assert links[0] == "../_assets/styles/base.css"
    assert "../_assets/styles/feature.css" in links
    for href in links:
        assert (CFG.styles_dir / href.removeprefix("../_assets/styles/")).is_file()


def test_marks_are_not_css_and_the_palette_is_derived_from_base_css():
    # Crop marks are drawn by paiban.press.finish (registration colour, outside the bleed),
    # not by WeasyPrint's `marks`, which draws them in RGB and widens the bleed.
    assert "marks:" not in render_html(every_kind(), "feature", replace(CFG, marks=True))
    html = render_html(every_kind(), "feature", CFG)
    # Browsers get base.css's CMYK palette in sRGB, for the screen only.
    palette = re.search(r'<style media="screen">:root \{ (.*?)\}</style>', html)[1]
    assert re.search(r"--accent: #[0-9a-f]{6};", palette)
    screen = render_html(every_kind(), "feature",
                         replace(CFG, press=replace(CFG.press, pdf="screen")))
    assert '<style>:root { --accent: #' in screen
    assert "device-cmyk" not in screen


def test_placeholder_svg_paints_in_palette_colours_cmyk_after_srgb():
    html = render_html(every_kind(), "feature", CFG)
    style = re.search(r'<svg class="cross".*?<style>(.*?)</style>', html, re.S)[1]
    assert re.search(r"fill: #[0-9a-f]{6}; fill: device-cmyk\(0 0.02 0.05 0.05\);", style)
    assert 'id="placeholder-' in html


def test_unknown_layout_names_the_available_ones():
    with pytest.raises(ConfigError) as err:
        render_html(every_kind(), "poster", CFG)
    message = str(err.value)
    assert "'poster'" in message and "feature" in message and "report" in message
    assert set(layouts(CFG)) >= {"feature", "report"}
    assert "base" not in layouts(CFG)


def test_figure_rows_group_figures_that_stand_together():
    f1, f2, f3 = (Figure(caption=str(n), number=n) for n in (1, 2, 3))
    p = Paragraph("正文。")
    assert figure_rows((p, f1, p, f2, f3)) == [p, f1, p, FigureRow((f2, f3))]
    # A row never follows a heading directly (it would end the heading's column).
    h = Heading("节", 1)
    s = Heading("小节", 2, run_in=True)
    assert figure_rows((p, h, s, f2, f3, p)) == [p, FigureRow((f2, f3)), h, s, p]
    assert figure_rows((p, h, f2, p)) == [p, h, f2, p]
    # The hero is drawn on the opener, so it neither shows nor joins a row.
    assert figure_rows((f1, f2, p, f3), hero=1) == [f2, p, f3]


@pytest.mark.parametrize("value, parts", [
    ("8070万元", ("", "8070", "万元")), ("1.2亿多元", ("", "1.2", "亿多元")),
    ("98%", ("", "98", "%")), ("近5年", ("近", "5", "年")), ("百余", ("", "", "百余")),
])
def test_stat_parts(value, parts):
    p = stat_parts(value)
    assert (p.before, p.number, p.after) == parts


def test_numbering_markers_are_kept_dashes_are_not():
    article = replace(every_kind(), blocks=(
        Paragraph("导语。", lede=True),
        Heading("责任工会", 1, marker="一、"),
        Heading("源头参与", 2, marker="——", run_in=True),
        Paragraph("正文。"),
        Heading("小标题", 2, marker="（一）"),
        Paragraph("正文。"),
    ))
    html = render_html(article, "feature", CFG)
    assert strip(re.search(r'<h2 class="section"[^>]*>(.*?)</h2>', html)[1]) == "一、责任工会"
    assert strip(re.search(r'<h3 class="subhead"[^>]*>(.*?)</h3>', html)[1]) == "（一）小标题"
    assert strip(re.search(r'<strong class="runin">(.*?)</strong>', html)[1]) == "源头参与"


def test_publication_and_issue_read_in_the_editions_script():
    cfg = replace(CFG, publication="职工之家", issue="特别报道")
    hans = render_html(every_kind(), "feature", cfg)
    hant = render_html(replace(every_kind(), lang="zh-Hant"), "feature", cfg)
    assert '<span class="pub">职工之家</span>' in hans
    assert '<span class="pub">職工之家</span>' in hant
    assert '<span class="issue">特別報道</span>' in hant


def test_body_text_goes_through_the_cjk_filter():
    pytest.importorskip("paiban.render.cjk")
    html = render_html(every_kind(), "feature", CFG)
    body = html.split('<div class="body">', 1)[1]
    assert 'class="cjk-' in body  # e.g. 8070万元 kept on one line
    assert text_of(html).count("筹集送温暖慰问金8070万元。") == 1  # the text itself unchanged
    # Paragraphs and headings keep their last two characters together; a run-in subhead,
    # which the paragraph continues on the same line, does not.
    # The end mark is kept on the last paragraph's last line, inside the tied end.
    assert ('<span class="cjk-nw">末段。<span class="endmark" aria-hidden="true"></span></span>'
            in body)
    runin = re.search(r'<strong class="runin">(.*?)</strong>', body, re.S)[1]
    assert "cjk-nw" not in runin


def test_lists_and_interview_turns_are_drawn(layout):
    from paiban.model import Article, Item, ListBlock, Turn

    article = Article(title="专访", blocks=(
        Paragraph("导语。", lede=True),
        Turn("为什么当车工？", speaker="记者：", question=True),
        Turn("为了养家。", speaker="张建华："),
        ListBlock(items=(Item("身份证复印件", "1."), Item("法律援助", "（1）", level=2),
                         Item("劳动合同", "2."))),
        Heading("一线直击", 2, marker="【", marker_end="】"),
        Turn("就是不糊弄。", speaker="张建华："),
    ))
    html = render_html(article, layout, CFG)
    items = re.findall(r'<li class="item item-(\d)"><span class="item-marker">(.*?)</span>(.*?)</li>',
                       html, re.S)
    assert [(lvl, m, strip(t)) for lvl, m, t in items] == [
        ("1", "1.", "身份证复印件"), ("2", "（1）", "法律援助"), ("1", "2.", "劳动合同")]
    assert html.count('<ol class="list">') == 1
    question = re.search(r'<p class="turn question"><span class="speaker">(.*?)</span>(.*?)</p>',
                         html, re.S)
    assert question[1] == "记者：" and strip(question[2]) == "为什么当车工？"
    assert html.count('<p class="turn answer">') == 2
    # A 【】 subhead is styled like the others: its brackets are not printed.
    assert strip(re.search(r'<h3 class="subhead"[^>]*>(.*?)</h3>', html)[1]) == "一线直击"
    # The end mark closes the last turn when the interview ends the article.
    assert 'class="endmark"' in html.rsplit('<p class="turn', 1)[1]
