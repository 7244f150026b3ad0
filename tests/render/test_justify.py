"""paiban.render.justify: inter-character justification and Chinese breaks in WeasyPrint 70.

Small documents are rendered with the patch installed and measured on the PDF (pdfplumber,
through paiban.check). The seed tests use seeds/002, read at test time.
"""

from __future__ import annotations

import html
from pathlib import Path

import pdfplumber
import pytest
import weasyprint
from hypothesis import given
from hypothesis import strategies as st

from paiban import check
from paiban.render import justify

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "002_cac0cc1532234b7e.txt"
FONT = '"Noto Serif CJK SC"'
A4_CONTENT = (210 - 2 * 20) / 25.4 * 72  # pt: A4 with 20 mm margins
TWO_COLUMNS = (A4_CONTENT - 20) / 2  # 2 em gap at 10 pt


def seed_paragraphs() -> list[str]:
    return [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]


def page_css(body: str = "", paragraph: str = "text-align: justify; text-indent: 2em") -> str:
    return f"""@page {{ size: A4; margin: 20mm }}
html {{ font-family: {FONT}; font-size: 10pt; line-height: 17pt }}
body {{ margin: 0; {body} }}
p {{ margin: 0; {paragraph} }}"""


def render(tmp_path: Path, body_html: str, css: str, name: str = "out.pdf") -> Path:
    document = (f'<html lang="zh-Hans"><head><style>{css}</style></head>'
                f"<body>{body_html}</body></html>")
    path = tmp_path / name
    path.write_bytes(weasyprint.HTML(string=document).write_pdf())
    return path


def paragraphs_html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def pdf_text(path: Path) -> str:
    with pdfplumber.open(str(path)) as pdf:
        return "".join(c["text"] for page in pdf.pages for c in page.chars)


def line_texts(path: Path) -> list[str]:
    return [line.text for line in check.lines_of(path)]


@pytest.fixture(autouse=True)
def patched():
    justify.install()
    yield
    justify.install()  # a test may uninstall; leave the process patched as pdf.py expects


# --- Installation ---------------------------------------------------------------------------

def test_install_is_idempotent_and_patches_weasyprint():
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    justify.install()
    patched_justify = inline.justify_line
    justify.install()
    assert inline.justify_line is patched_justify
    assert justify.installed()
    assert line_break.Layout.set_text.__module__ == justify.__name__


def test_uninstall_restores_weasyprint():
    from weasyprint.layout import inline

    justify.uninstall()
    assert inline.justify_line.__module__ == "weasyprint.layout.inline"
    assert not justify.installed()


# --- Seed text: flushness, fidelity, rules ------------------------------------------------

@pytest.mark.parametrize("layout, width", [
    ("column-count: 2; column-gap: 2em", TWO_COLUMNS),  # two 10 pt columns on A4
    ("", A4_CONTENT),  # one wide column
])
def test_seed_lines_are_flush_and_text_is_exact(tmp_path, layout, width):
    paragraphs = seed_paragraphs()
    pdf = render(tmp_path, paragraphs_html(paragraphs), page_css(layout))
    result = check.measure(pdf, column_width=width)
    assert result.justified_lines > 60
    assert result.flush_share >= 0.99, result.not_flush
    assert result.text == "".join(paragraphs)
    assert result.line_start_violations == []
    assert result.line_end_violations == []
    assert result.looseness_p95_em <= 0.15
    assert result.indent_consistent and result.indents_em == [2.0]


def test_without_the_patch_chinese_lines_are_ragged(tmp_path):
    # The same measurement fails on plain WeasyPrint: the tests above can fail.
    justify.uninstall()
    pdf = render(tmp_path, paragraphs_html(seed_paragraphs()),
                 page_css("column-count: 2; column-gap: 2em"))
    assert check.measure(pdf, column_width=TWO_COLUMNS).flush_share < 0.5


def test_seed_widths_computed_for_pango_match_pango(tmp_path, monkeypatch):
    # DEBUG_WIDTHS makes every spaced box compare its computed width with Pango's.
    monkeypatch.setattr(justify, "DEBUG_WIDTHS", True)
    body = ("<p>他说：“我们的<i>工作</i>还很多”，GDP增长8.5%，走访慰问5.6万人次，"
            "The quick brown fox，开展“1+X”专项督查……确保——风清气正。</p>") * 4
    for width in ("10.3em", "17.7em", "25.1em"):
        pdf = render(tmp_path, body, page_css(f"width: {width}"), f"{width}.pdf")
        assert check.measure(pdf).flush_share == 1.0


def test_last_line_of_paragraph_is_not_spaced(tmp_path):
    text = "有一种力量来自工人，有一种声音来自咱工会娘家人。福建省龙岩市总工会在市委领导下。"
    pdf = render(tmp_path, paragraphs_html([text]), page_css("width: 15.5em"))
    last = check.lines_of(pdf)[-1]
    assert last.final
    assert all(abs(b - a) < 0.01 for _, a, b in last.gaps)


def test_no_spacing_inside_dashes_ellipses_latin_words_and_numbers(tmp_path):
    text = ("各级工会——源头参与……全面畅通，GDP增长2016年数据显示，"
            "各级工会——源头参与……全面畅通，GDP增长2016年数据显示。") * 3
    pdf = render(tmp_path, paragraphs_html([text]), page_css("width: 13.3em"))
    seen = set()
    for line in check.lines_of(pdf):
        if line.final:
            continue
        for pair, a, b in line.gaps:
            if pair in ("——", "……", "GD", "DP", "20", "01", "16"):
                seen.add(pair)
                assert abs(b - a) < 0.01, (pair, b - a, line.text)
    assert {"——", "……", "GD", "20"} <= seen


# --- Breaks -------------------------------------------------------------------------------

def test_break_before_opening_quote_is_allowed(tmp_path):
    # UAX #14 LB19 (Pango) forbids a break before “; Chinese allows it (docs/typography.md).
    text = "一二三四五六七八九“十一二三”"
    pdf = render(tmp_path, paragraphs_html([text]), page_css("width: 10em", "text-align: justify"))
    assert line_texts(pdf)[:2] == ["一二三四五六七八九", "“十一二三”"]
    assert pdf_text(pdf) == text  # the break opportunity adds no character


def test_break_opportunities_across_inline_boxes_keep_lines_flush(tmp_path):
    # The ZWSP lands at the start of the <b> box; the zero-width clusters must not shift the
    # visible glyphs (every line flush, text exact) at any measure.
    text = "一二三四五六七八九<b>“十一二三”</b>四五<i>“六七”</i>八九十一二三四五六七八九十"
    for tenths in range(95, 131, 5):
        width = tenths / 10
        pdf = render(tmp_path, f"<p>{text * 2}</p>",
                     page_css(f"width: {width}em", "text-align: justify"), f"{tenths}.pdf")
        result = check.measure(pdf, column_width=width * 10)
        assert result.flush_share == 1.0, (width, result.not_flush)
        assert result.text == "一二三四五六七八九“十一二三”四五“六七”八九十一二三四五六七八九十" * 2


def test_break_after_closing_quote_is_allowed(tmp_path):
    text = "一二三四五六“七八”九十一二三四"
    pdf = render(tmp_path, paragraphs_html([text]), page_css("width: 10em", "text-align: justify"))
    assert line_texts(pdf)[0] == "一二三四五六“七八”"
    assert pdf_text(pdf) == text


@pytest.mark.parametrize("mark", ["·", "～", "——"])
def test_marks_that_may_not_start_a_line(tmp_path, mark):
    text = f"一二三四五六七八九十{mark}一二三四五"
    pdf = render(tmp_path, paragraphs_html([text]), page_css("width: 10em", "text-align: justify"))
    lines = line_texts(pdf)
    assert not any(line.startswith(mark) for line in lines), lines
    assert pdf_text(pdf) == text


def test_loose_lines_from_quotes_are_gone(tmp_path):
    # Lines ending before a quotation mark used to be stretched by up to 2 em.
    paragraphs = seed_paragraphs()
    pdf = render(tmp_path, paragraphs_html(paragraphs), page_css("column-count: 2"))
    assert check.measure(pdf).looseness_max_em <= 0.2


# --- The spacing arithmetic ---------------------------------------------------------------

def test_gap_weights():
    assert justify.gap_weight("中", "文") == 1
    assert justify.gap_weight("中", "A") == 1
    assert justify.gap_weight("A", "B") == 0
    assert justify.gap_weight("2", "0") == 0
    assert justify.gap_weight("—", "—") == 0
    assert justify.gap_weight("…", "…") == 0
    assert justify.gap_weight("a", " ") == 0.5


@given(st.lists(st.sampled_from([0.0, 0.5, 1.0]), min_size=1, max_size=40),
       st.floats(min_value=0.01, max_value=5))
def test_letter_spacings_give_each_gap_its_share(weights, spacing):
    inner = weights[:-1] + [0.0]
    values = justify.letter_spacings(inner, spacing)
    assert len(values) == len(inner)
    for i in range(len(values) - 1):
        assert (values[i] + values[i + 1]) / 2 == pytest.approx(inner[i] * spacing, abs=1e-9)


def test_letter_spacings_uniform_for_pure_chinese():
    assert justify.letter_spacings([1.0, 1.0, 1.0, 0.0], 0.7) == [0.7] * 4


def test_break_after_closing_quote_before_a_number(tmp_path):
    text = "一二三四五六“七八”2016年九十一二三四"
    pdf = render(tmp_path, paragraphs_html([text]), page_css("width: 10em", "text-align: justify"))
    assert line_texts(pdf)[0] == "一二三四五六“七八”"
    assert pdf_text(pdf) == text
