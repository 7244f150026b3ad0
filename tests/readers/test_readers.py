"""The readers (src/paiban/readers/): each format to the same Document, and so the same model;
Word's styles, bold runs, numbering and photos; Markdown without its markup; the script."""

from __future__ import annotations

import ast
import io
import re
from dataclasses import replace
from pathlib import Path

import fixtures
import pytest

from paiban import editions, readers
from paiban.build import scan
from paiban.cache import fingerprint, target_key
from paiban.clean import read
from paiban.clean.variants import TRADITIONAL, hant
from paiban.config import load
from paiban.errors import InputError
from paiban.model import Heading, ListBlock, Paragraph, Quote
from paiban.readers import docx as docx_reader
from paiban.readers.script import detect

ROOT = Path(__file__).resolve().parents[2]


def _shape(article) -> list[tuple]:
    """The model without source line numbers (they differ by format) and images."""
    return [(type(b).__name__, b.text, getattr(b, "level", 0), getattr(b, "marker", ""),
             getattr(b, "run_in", False), getattr(b, "lede", False)) for b in article.blocks]


def test_a_docx_and_the_same_feature_in_markdown_clean_to_the_same_model(tmp_path):
    word = read(fixtures.make_docx(tmp_path / "f.docx"))
    mark = read(fixtures.make_md(tmp_path, "f.md"))
    assert _shape(word) == _shape(mark)
    assert (word.title, word.subtitle, word.byline) == (mark.title, mark.subtitle, mark.byline) \
        == (fixtures.TITLE, fixtures.DECK[2:], "黄秀珍 郑飞飞")
    blocks = word.blocks
    assert [b.text for b in blocks if isinstance(b, Heading) and b.level == 1] == [
        fixtures.SECTION_1, fixtures.SECTION_2]
    run_in = next(b for b in blocks if isinstance(b, Heading) and b.run_in)
    assert (run_in.text, run_in.marker, run_in.level) == (fixtures.RUN_IN_HEAD, "——", 2)
    assert [f.caption for f in word.figures] == [fixtures.CAPTION_1, fixtures.CAPTION_2]
    assert [b.text for b in blocks if isinstance(b, Quote)] == [fixtures.QUOTE]
    # Word's numbered paragraphs, written out as 1. 2., are a list (clean-body's lists rule).
    lists = [b for b in blocks if isinstance(b, ListBlock)]
    assert [(i.marker.strip(), i.text) for b in lists for i in b.items] == [
        ("1.", fixtures.ITEMS[0]), ("2.", fixtures.ITEMS[1])]
    assert not word.report.fragments and not word.report.warnings


def test_docx_document_lines_hints_and_photos(tmp_path):
    doc = readers.read_file(fixtures.make_docx(tmp_path / "f.docx"))
    assert doc.format == "docx" and doc.script == "zh-Hans"
    lines = doc.text.split("\n")
    assert [ln for ln in lines if ln] == [
        ln if not ln.startswith("——民") else "——**" + fixtures.RUN_IN_HEAD + "**"
        + fixtures.RUN_IN_REST for ln in fixtures.DOCX_EXPECTED]
    kinds = {(lines[h.line - 1], h.kind, h.level) for h in doc.hints}
    assert (fixtures.TITLE, "title", 0) in kinds
    assert (fixtures.SECTION_1, "heading", 1) in kinds
    assert (fixtures.CAPTION_1, "caption", 0) in kinds  # read as a caption after a photo
    assert (fixtures.CAPTION_2, "caption", 0) in kinds  # Caption style
    assert (fixtures.QUOTE, "quote", 0) in kinds
    assert [(lines[p.line - 1], p.captioned, p.suffix) for p in doc.photos] == [
        (fixtures.CAPTION_1, True, ".jpg"), (fixtures.CAPTION_2, True, ".jpg")]
    assert [p.data for p in doc.photos] == [fixtures.jpeg(fixtures.RED), fixtures.jpeg(fixtures.BLUE)]


def _docx(build) -> bytes:
    import docx

    d = docx.Document()
    build(d)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def test_docx_bold_only_at_the_start_is_a_run_in_and_bold_elsewhere_is_dropped():
    def build(d):
        p = d.add_paragraph()
        p.add_run("源头参与。").bold = True
        p.add_run("龙岩市委高度重视，")
        p.add_run("强调").bold = True
        p.add_run("工会工作。")
        d.add_paragraph().add_run("短小标题").bold = True
        d.add_paragraph().add_run("这是一整段加粗的正文，比一个小标题长得多，所以它不是小标题，只是强调而已。").bold = True

    lines = docx_reader.read(_docx(build)).text.split("\n")
    assert lines == ["**源头参与。**龙岩市委高度重视，强调工会工作。", "**短小标题**",
                     "这是一整段加粗的正文，比一个小标题长得多，所以它不是小标题，只是强调而已。"]


def test_docx_photo_without_caption_is_placed_where_it_stands(tmp_path):
    from docx.shared import Cm

    def build(d):
        d.add_paragraph("标题一行", style="Title")
        d.add_paragraph("第一段正文写在这里。第二句话也在这里。第三句话还在这里。")
        d.add_paragraph().add_run().add_picture(io.BytesIO(fixtures.jpeg(fixtures.RED)),
                                                width=Cm(3))
        d.add_paragraph("第二段正文紧跟照片。它有好几句话。所以不是图片说明。")

    path = tmp_path / "p.docx"
    path.write_bytes(_docx(build))
    doc = readers.read_file(path)
    assert [(p.captioned, doc.text.split("\n")[p.line - 1][:5]) for p in doc.photos] == [
        (False, "第二段正文")]
    from paiban.pipeline import load_source

    cfg = replace(load(ROOT / "pyproject.toml"), out=tmp_path / "dist")
    source = load_source(path, cfg)
    kinds = [type(b).__name__ for b in source.article.blocks]
    assert kinds == ["Paragraph", "Figure", "Paragraph"]
    figure = source.article.figures[0]
    assert (figure.caption, figure.number) == ("", 1)
    (written, data), = source.photos
    assert data == fixtures.jpeg(fixtures.RED) and written.parent == tmp_path / "dist/_assets/photos/p"
    assert figure.image == str(written) or (cfg.root / figure.image).resolve() == written.resolve()


def test_word_numbering_formats():
    assert [docx_reader._format("chineseCounting", n) for n in (1, 10, 11, 20, 23)] == [
        "一", "十", "十一", "二十", "二十三"]
    assert docx_reader._format("decimalEnclosedCircle", 3) == "③"
    assert docx_reader._format("upperRoman", 14) == "XIV"
    assert docx_reader._format("ideographDigital", 10) == "一〇"


def test_not_a_word_file_is_one_clear_error(tmp_path):
    bad = tmp_path / "x.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="Word .docx"):
        readers.read_file(bad)
    renamed = tmp_path / "y.txt"
    renamed.write_bytes(fixtures.make_docx(tmp_path / "z.docx").read_bytes())
    with pytest.raises(InputError, match="name it .docx"):
        readers.read_file(renamed)


def test_markdown_leaves_no_markup(tmp_path):
    md = tmp_path / "m.md"
    md.write_text("# 标题\n\n正文有*强调*、`代码`和[链接](http://example.com)，"
                  "还有**加粗**的词。\n第二行接着写。\n\n- 甲项\n- 乙项\n\n---\n\n最后一段。\n", "utf-8")
    doc = readers.read_file(md)
    assert [ln for ln in doc.text.split("\n") if ln] == [
        "标题", "正文有强调、代码和链接，还有加粗的词。第二行接着写。", "• 甲项", "• 乙项", "最后一段。"]
    assert doc.text.split("\n")[0] == "标题"  # lines stay on their Markdown lines
    assert doc.text.split("\n").index("最后一段。") + 1 == 11  # its line in the .md


@pytest.mark.parametrize("link, message", [
    ("http://example.com/a.jpg", "web address"),
    ("../outside.jpg", "without '..'"),
    ("/etc/a.jpg", "relative"),
    ("missing.jpg", "not there"),
    ("notes.txt", "not a JPEG"),
])
def test_markdown_photo_links_that_cannot_be_read_are_errors(tmp_path, link, message):
    md = tmp_path / "m.md"
    md.write_text(f"# 标题\n\n![图为说明]({link})\n\n正文。\n", "utf-8")
    with pytest.raises(InputError, match=message):
        readers.read_file(md)


def test_a_markdown_photo_is_in_the_cache_key(tmp_path):
    from paiban.build import Target

    md = fixtures.make_md(tmp_path, "m.md")
    cfg = replace(load(ROOT / "pyproject.toml"), out=tmp_path / "dist")
    target = Target(md, "zh-Hans", "feature")
    before = target_key(target, fingerprint(cfg), cfg)
    (tmp_path / "images" / "red.jpg").write_bytes(fixtures.jpeg((0, 200, 0)))
    after = target_key(target, fingerprint(cfg), cfg)
    assert before[0] != after[0] and before[1] != after[1]


def test_texts_are_found_by_suffix_in_any_case_and_the_rest_is_listed(tmp_path):
    for name in ("a.TXT", "b.Docx", "c.md", "d.doc", "e.pdf", "a.toml", ".hidden.txt",
                 "~$b.Docx", "photo.JPG"):
        (tmp_path / name).write_bytes(b"x")
    texts, refused, unreadable = scan((tmp_path,))
    assert [p.name for p in texts] == ["a.TXT", "b.Docx", "c.md"]
    assert [p.name for p in unreadable] == ["d.doc", "e.pdf"] and not refused


def test_build_summary_lists_the_files_it_cannot_read(tmp_path, capsys):
    from paiban.build import Summary, _print_summary

    cfg = replace(load(ROOT / "pyproject.toml"), out=tmp_path / "dist")
    _print_summary(Summary(unreadable=[tmp_path / "old.doc"]), cfg)
    assert "skipped 1 file(s) paiban cannot read" in capsys.readouterr().err


def test_script_detection():
    seed = next((ROOT / "seeds").glob("*.txt")).read_text("utf-8")
    assert detect(seed) == ("zh-Hans", None)
    assert detect(editions.convert(seed, "zh-Hant")) == ("zh-Hant", None)
    assert detect(editions.convert(seed, "zh-Hant-HK"))[0] == "zh-Hant"
    assert detect("Latin only") == ("zh-Hans", None)
    half = seed[: len(seed) // 2] + editions.convert(seed[len(seed) // 2:], "zh-Hant")
    script, warning = detect(half)
    assert warning and warning.startswith("mixed script")


def test_a_traditional_text_is_a_zh_hant_model_whose_rules_work(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text(fixtures.TRADITIONAL, "utf-8")
    article = read(path)
    assert article.lang == "zh-Hant"
    assert article.byline == "記者 黃秀珍"
    assert [f.caption for f in article.figures] == ["圖爲職工代表在會上發言"]
    assert [b.text for b in article.blocks if isinstance(b, Heading) and b.run_in] == ["民主管理走深走實。"]
    hans = editions.convert_article(article, "zh-Hans")
    assert hans.title == "职工之家温暖人心" and hans.lang == "zh-Hans"
    assert editions.convert_article(article, "zh-Hant").title == article.title
    tw = editions.convert_article(article, "zh-Hant-TW")
    assert tw.figures[0].caption == "圖為職工代表在會上發言"


def test_traditional_source_in_gb18030_is_read(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes(fixtures.TRADITIONAL.encode("gb18030"))
    assert read(path).lang == "zh-Hant"


def test_the_opener_box_title_follows_a_traditional_source(tmp_path):
    from paiban.pipeline import load_source
    from paiban.model import Callout

    seed = sorted((ROOT / "seeds").glob("*.txt"))[-1]
    path = tmp_path / "t.txt"
    path.write_text(editions.convert(seed.read_text("utf-8"), "zh-Hant"), "utf-8")
    cfg = replace(load(ROOT / "pyproject.toml"), out=tmp_path / "dist")
    article = load_source(path, cfg).article
    titles = [b.title for b in article.blocks if isinstance(b, Callout) and b.placement == "opener"]
    assert titles == ["數說"]
    assert [b.title for b in editions.convert_article(article, "zh-Hans").blocks
            if isinstance(b, Callout) and b.placement == "opener"] == ["数说"]


def test_traditional_captions_and_bylines_are_recognised():
    from paiban.clean import clean

    for caption in ("圖爲工會幹部走訪職工", "圖為工會幹部走訪職工", "工會幹部走訪職工（張三 攝）"):
        text = f"標題\n\n第一段正文。\n\n\n{caption}\n\n第二段正文。（記者 王大明）\n"
        article = clean(text)
        # A photographer's credit is the figure's credit, not part of its caption.
        assert [(f.caption, f.credit) for f in article.figures] == [
            (caption.removesuffix("（張三 攝）"), "張三 攝" if "攝" in caption else "")]
        assert article.byline == "記者 王大明"


def _rule_literals(path: Path) -> set[str]:
    """Han characters in the string constants (not docstrings) of a module."""
    tree = ast.parse(path.read_text("utf-8"))
    docs = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
    return {c for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docs for c in re.findall(r"[\u4e00-\u9fff]", n.value)}


@pytest.mark.parametrize("module", ["clean/text.py", "clean/byline.py", "stats/figures.py",
                                    "stats/score.py"])
def test_every_simplified_character_of_a_rule_has_its_traditional_forms(module):
    chars = _rule_literals(ROOT / "src/paiban" / module)
    for char in sorted(chars):
        forms = {editions.opencc_convert(char, c) for c in ("s2t", "s2tw", "s2hk")} - {char}
        assert forms <= set(TRADITIONAL.get(char, "")), (char, forms)


def test_hant_adds_the_forms_inside_and_outside_classes():
    assert hant(r"图为|[万亿]元\d") == r"[图圖][为爲為]|[万萬亿億]元\d"


def test_figures_in_a_traditional_text_are_found():
    from paiban.stats.figures import find

    found = find("全市工會籌集慰問金8070萬元，走訪慰問5.6萬人次職工，46萬多名職工參賽，建成53個服務站。")
    assert [(m.value, m.number, m.unit) for m in found] == [
        ("8070萬元", 80700000.0, "元"), ("5.6萬人次", 56000.0, "人次"), ("46萬多名", 460000.0, "名"),
        ("53個", 53.0, "個")]


def test_a_sidecar_next_to_a_word_file_is_checked_against_its_text(tmp_path):
    from paiban import sidecar
    from paiban.errors import ConfigError

    path = fixtures.make_docx(tmp_path / "f.docx")
    (tmp_path / "f.toml").write_text('[stats]\ndrop = ["职工代表大会"]\n', "utf-8")
    assert sidecar.load(path).drop == ("职工代表大会",)
    (tmp_path / "f.toml").write_text('[stats]\ndrop = ["不在文中"]\n', "utf-8")
    with pytest.raises(ConfigError, match="does not occur in the text"):
        sidecar.load(path)


def test_word_list_numbers_are_written_out_as_word_shows_them():
    from docx.oxml.ns import qn

    def build(d):
        d.add_paragraph("聚焦主责主业", style="List Number")
        d.add_paragraph("维护职工权益", style="List Number")
        x = docx_reader._x
        num_id = x(d.styles["List Number"].element, "./w:pPr/w:numPr/w:numId/@w:val")[0]
        numbering = d.part.numbering_part.element
        abstract = x(numbering, f"./w:num[@w:numId='{num_id}']/w:abstractNumId/@w:val")[0]
        lvl = x(numbering, f"./w:abstractNum[@w:abstractNumId='{abstract}']/w:lvl[@w:ilvl='0']")[0]
        x(lvl, "./w:numFmt")[0].set(qn("w:val"), "chineseCounting")
        x(lvl, "./w:lvlText")[0].set(qn("w:val"), "%1、")

    assert docx_reader.read(_docx(build)).text.split("\n") == ["一、聚焦主责主业", "二、维护职工权益"]


def test_word_tables_are_read_cell_by_cell_once_and_reported():
    def build(d):
        d.add_paragraph("表格前的段落。")
        table = d.add_table(rows=2, cols=2)
        table.cell(0, 0).merge(table.cell(0, 1)).text = "合并的表头"
        table.cell(1, 0).text = "甲"
        table.cell(1, 1).text = "乙"

    doc = docx_reader.read(_docx(build))
    assert doc.text.split("\n") == ["表格前的段落。", "合并的表头", "甲", "乙"]
    assert "a table is read as paragraphs, cell by cell" in doc.warnings
