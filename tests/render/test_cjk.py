"""paiban.render.cjk: the spans of cjk_markup, their text fidelity and their effect in the PDF."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pdfplumber
import pytest
import weasyprint
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from paiban import check
from paiban.render import justify
from paiban.render.cjk import CJK_CSS, cjk_markup

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "002_cac0cc1532234b7e.txt"
A4_CONTENT = (210 - 2 * 20) / 25.4 * 72
TWO_COLUMNS = (A4_CONTENT - 20) / 2


def text_of(markup: str) -> str:
    """The text content of the markup: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]*>", "", markup))


def render(tmp_path: Path, paragraphs: list[str], body: str = "",
           paragraph: str = "text-align: justify; text-indent: 2em", name: str = "out.pdf",
           markup=cjk_markup) -> Path:
    justify.install()
    css = CJK_CSS + f"""@page {{ size: A4; margin: 20mm }}
html {{ font-family: "Noto Serif CJK SC"; font-size: 10pt; line-height: 17pt }}
body {{ margin: 0; {body} }}
p {{ margin: 0; {paragraph} }}"""
    inner = "".join(f"<p>{markup(p)}</p>" for p in paragraphs)
    document = f'<html lang="zh-Hans"><head><style>{css}</style></head><body>{inner}</body></html>'
    path = tmp_path / name
    path.write_bytes(weasyprint.HTML(string=document).write_pdf())
    return path


def chars(path: Path) -> list[dict]:
    with pdfplumber.open(str(path)) as pdf:
        return [c for page in pdf.pages for c in page.chars]


def first_of_each(path: Path) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for char in chars(path):
        found.setdefault(char["text"], char)
    return found


# --- Markup ---------------------------------------------------------------------------------

def test_escapes_and_returns_markup():
    result = cjk_markup("他说<script>alert('x')</script> & 了")
    assert isinstance(result, Markup)
    assert "<script>" not in result
    assert "&lt;script&gt;" in result and "&amp;" in result
    assert text_of(result) == "他说<script>alert('x')</script> & 了"


def test_text_without_cjk_is_only_escaped():
    assert cjk_markup("GDP grew 8.5% in 2016 <b>") == "GDP grew 8.5% in 2016 &lt;b&gt;"
    assert "<span" not in cjk_markup("Hello, world — “quoted”…")


def test_numbers_with_units_are_unbreakable():
    result = cjk_markup("走访慰问3.25万人次，筹集8070万元，占98%。")
    assert '<span class="cjk-nw"><span class="cjk-as-l cjk-as-r">3.25</span>万人次</span>' in result
    assert '<span class="cjk-nw"><span class="cjk-as-l cjk-as-r">8070</span>万元</span>' in result
    assert '<span class="cjk-as-l">98%</span>' in result  # the % is part of the run


def test_latin_runs_get_quarter_em_only_next_to_han():
    result = cjk_markup("增长GDP，（GDP）的GDP和")
    assert '长<span class="cjk-as-l">GDP</span><span class="cjk-halt">，</span>（' in result
    assert "（GDP）" in result  # next to punctuation: no extra space
    assert '的<span class="cjk-as-l cjk-as-r">GDP</span>和' in result


def test_adjacent_punctuation_is_compressed():
    result = cjk_markup("好。”他说：“行”他说：（“是”）、行", tie_end=False)
    assert '好<span class="cjk-halt">。</span>”' in result  # closing + closing: first
    assert '说<span class="cjk-halt">：</span>“' in result  # closing + opening: first
    assert '（<span class="cjk-halt">“</span>是' in result  # opening + opening: second
    assert '是<span class="cjk-halt">”</span><span class="cjk-halt">）</span>、' in result
    assert "“行”他" in result  # a single mark is left alone


def test_dashes_and_ellipses_are_unbreakable():
    result = cjk_markup("源头——参与……畅通")
    assert '<span class="cjk-nw">——</span>' in result
    assert '<span class="cjk-nw">……</span>' in result


def test_the_last_two_han_characters_and_their_punctuation_are_kept_together():
    assert cjk_markup("他们走在路上。") == '他们走在<span class="cjk-nw">路上。</span>'
    assert cjk_markup("他说：“行了。”").endswith(
        '“<span class="cjk-nw">行了<span class="cjk-halt">。</span>”</span>')
    assert cjk_markup("工会") == '<span class="cjk-nw">工会</span>'
    assert cjk_markup("上") == "上" and cjk_markup("好。”").endswith("”")  # one Han: nothing to tie
    # A Latin run just before keeps its ¼ em on the tied side; a number's unit is not split off.
    assert cjk_markup("覆盖企业98%以上。") == (
        '覆盖企业<span class="cjk-as-l cjk-as-r">98%</span><span class="cjk-nw">以上。</span>')
    assert cjk_markup("增长了98万元。") == (
        '增长了<span class="cjk-nw"><span class="cjk-as-l cjk-as-r">98</span>万元</span>。')
    # Not for a text that does not end its line box (a run-in subhead).
    assert cjk_markup("他们走在路上。", tie_end=False) == "他们走在路上。"
    # Punctuation between the two characters is tied with them (no 「对。”」 or 「“好。”」 alone).
    assert cjk_markup("说：“对，对。”").endswith('<span class="cjk-nw">对，对<span class="cjk-halt">'
                                             '。</span>”</span>')
    assert '<span class="cjk-nw">了<span class="cjk-halt">：</span>“好' in cjk_markup("他笑了：“好。”")
    # The part before the tie is marked up as without it (人 before a Han character is not a
    # unit: that needs the character after the cut).
    for text in ("共3万人上路。", "共3人上路。", "共3亿人上路"):
        tied, untied = cjk_markup(text), cjk_markup(text, tie_end=False)
        cut = tied.index('<span class="cjk-nw">' + text[-3 if text.endswith("。") else -2])
        assert untied.startswith(tied[:cut])
    # A suffix (the end mark) goes inside the tied end, or after an untied text.
    assert cjk_markup("路上。", suffix="<i></i>") == '<span class="cjk-nw">路上。<i></i></span>'
    assert cjk_markup("GDP", suffix="<i></i>") == "GDP<i></i>"


@given(st.text(alphabet="中文字，。、“”（）《》：；！？——……·～ABCxyz0123.%万元人次年<>&'\" ",
               max_size=60))
def test_text_content_is_unchanged(text):
    assert text_of(cjk_markup(text)) == text


# --- In the PDF -----------------------------------------------------------------------------

def seed_paragraphs() -> list[str]:
    return [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("layout, width", [
    ("column-count: 2; column-gap: 2em", TWO_COLUMNS),
    ("", A4_CONTENT),
])
def test_seed_with_markup_is_flush_exact_and_unsplit(tmp_path, layout, width):
    paragraphs = seed_paragraphs()
    result = check.measure(render(tmp_path, paragraphs, layout), column_width=width)
    assert result.text == "".join(paragraphs)  # no inserted spaces, ZWSP or radicals
    assert result.flush_share >= 0.99, result.not_flush
    assert result.split_units == []
    assert result.line_start_violations == [] and result.line_end_violations == []
    assert result.looseness_p95_em <= 0.15


def test_numbers_units_and_dashes_never_split_at_any_measure(tmp_path):
    text = "各地走访慰问3.25万人次职工——筹集8070万元……占比98%，" * 4
    for tenths in range(100, 140, 3):
        width = f"{tenths / 10}em"
        pdf = render(tmp_path, [text], f"width: {width}", name=f"{tenths}.pdf")
        lines = [line.text for line in check.lines_of(pdf)]
        for unit in ("3.25万人次", "8070万元", "98%", "——", "……"):
            assert text.count(unit) == sum(line.count(unit) for line in lines), (width, lines)


def test_pair_of_punctuation_takes_one_and_a_half_em(tmp_path):
    pdf = render(tmp_path, ["他说：“好。”然后走了。"], paragraph="text-align: left")
    found = first_of_each(pdf)
    # 。 is compressed, so ” starts ½ em after it: the pair spans 1.5 em.
    assert found["”"]["x1"] - found["。"]["x0"] == pytest.approx(15.0, abs=0.05)
    assert found["“"]["x1"] - found["："]["x0"] == pytest.approx(15.0, abs=0.05)


def test_quarter_em_between_han_and_latin(tmp_path):
    pdf = render(tmp_path, ["增长GDP数据"], paragraph="text-align: left")
    found = first_of_each(pdf)
    assert found["G"]["x0"] - found["长"]["x1"] == pytest.approx(2.5, abs=0.02)
    assert found["数"]["x0"] - found["P"]["x1"] == pytest.approx(2.5, abs=0.02)


def test_no_autospace_at_line_start(tmp_path):
    # Force "GDP" to begin the second line: its ¼ em margin must not indent that line.
    text = "一二三四五六七八九十GDP增长很快，一二三四五六七八九十"
    pdf = render(tmp_path, [text], "width: 10em", paragraph="text-align: justify")
    lines = check.lines_of(pdf)
    assert lines[1].text.startswith("GDP")
    assert lines[1].x0 == pytest.approx(lines[0].x0, abs=0.01)


def test_no_paragraph_ends_on_a_line_of_one_character(tmp_path):
    """21 characters and a full stop at 10 em: without the tie the last line is 「上。」."""
    text = "一二三四五六七八九十" * 2 + "地上。"[1:]
    untied = render(tmp_path, [text], "width: 10em", paragraph="text-align: justify",
                    name="untied.pdf", markup=lambda p: cjk_markup(p, tie_end=False))
    assert [line.text for line in check.lines_of(untied)][-1] == "上。"
    tied = render(tmp_path, [text], "width: 10em", paragraph="text-align: justify")
    lines = check.lines_of(tied)
    assert [line.text for line in lines] == ["一二三四五六七八九十", "一二三四五六七八九", "十上。"]
    assert lines[1].right == pytest.approx(lines[0].right, abs=0.1)  # still justified


def test_stylesheet_file_matches_the_constant():
    assert (ROOT / "styles" / "cjk.css").read_text(encoding="utf-8") == CJK_CSS
