"""paiban.render.squeeze: punctuation compressed before a line is spread (issue 16).

The decision and the spacing arithmetic are tested as functions; then small documents marked
up as paiban marks up an article (``cjk_markup``) are rendered and measured with
``paiban.check``, with and without the compression (``SHRINK_FROM`` raised out of reach).
"""

from __future__ import annotations

import math
from pathlib import Path

import pdfplumber
import pytest
import weasyprint
from hypothesis import given
from hypothesis import strategies as st

from paiban import check
from paiban.render import cjk, justify, squeeze

EM = 9.75  # pt, the feature layout's body size


@pytest.fixture(autouse=True)
def patched():
    justify.install()
    yield


def render(tmp_path: Path, text: str, face: str = "Noto Serif CJK SC", width: str = "24em",
           name: str = "out.pdf", lang: str = "zh-Hans", indent: str = "2em") -> Path:
    css = (f'@page {{ size: A4; margin: 20mm }} html {{ font-family: "{face}"; '
           f"font-size: {EM}pt; line-height: 17pt }} p {{ margin: 0; text-align: justify; "
           f"text-indent: {indent}; width: {width} }} {cjk.CJK_CSS}")
    path = tmp_path / name
    document = (f'<html lang="{lang}"><head><style>{css}</style></head>'
                f"<body><p>{cjk.cjk_markup(text)}</p></body></html>")
    path.write_bytes(weasyprint.HTML(string=document).write_pdf())
    return path


def pdf_text(path: Path) -> str:
    with pdfplumber.open(str(path)) as pdf:
        return "".join(c["text"] for page in pdf.pages for c in page.chars)


def first_line(path: Path) -> check.Line:
    line = check.lines_of(path, column_width=24 * EM)[0]
    line.looseness = check._looseness(line)
    return line


# --- The decision ----------------------------------------------------------------------------

def test_decide_hangs_the_end_mark_first_then_shares_the_rest():
    assert squeeze.decide(-1.0, 5.0, [5.0]) == (0.0, [0.0])  # fits: nothing to do
    assert squeeze.decide(3.0, 5.0, [5.0, 2.5]) == (5.0, [0.0, 0.0])  # the whole blank hangs
    hang, taken = squeeze.decide(8.75, 5.0, [5.0, 2.5])
    assert hang == 5.0 and taken == pytest.approx([2.5, 1.25])  # in proportion to each blank
    assert squeeze.decide(12.6, 5.0, [5.0, 2.5]) is None  # more than every blank


@given(st.floats(0, 30), st.floats(0, 10), st.lists(st.floats(0.1, 10), max_size=6))
def test_decide_never_takes_more_than_a_blank(need, end, inner):
    decision = squeeze.decide(need, end, inner)
    if decision is None:
        assert need > end + sum(inner)
        return
    hang, taken = decision
    assert hang in (0.0, end)
    assert all(0 <= t <= w * (1 + 1e-9) for t, w in zip(taken, inner))
    if need > 0:
        assert hang + sum(taken) == pytest.approx(max(need, hang), rel=1e-9, abs=1e-9)


def style(face: str = "Noto Serif CJK SC", halt: bool = False) -> dict:
    return {"font_family": (face,), "font_size": 10.0,
            "font_feature_settings": (("halt", 1),) if halt else "normal"}


def test_blank_of_each_mark_and_face():
    assert squeeze.blank("，", style()) == 5.0  # SC: corner mark, ½ em
    assert squeeze.blank("”", style()) == 5.0
    assert squeeze.blank("（", style()) == 5.0  # opening: the blank before it
    assert squeeze.blank("，", style("Noto Serif CJK TC")) == 2.5  # centred: ¼ em
    assert squeeze.blank("。", style("Noto Sans CJK HK")) == 2.5
    assert squeeze.blank("」", style("Noto Sans CJK HK")) == 5.0  # brackets keep ½ em
    assert squeeze.blank("，", style(halt=True)) == 0.0  # already halved by cjk-halt
    assert squeeze.blank("中", style()) == 0.0
    assert squeeze.blank("…", style()) == 0.0  # never inside ……


@given(st.lists(st.sampled_from([0, 0, 0, 512, 2560, 5120]), min_size=1, max_size=30))
def test_squeeze_values_take_each_gap_its_squeeze(squeezes):
    squeezes[-1] = 0  # the gap after a box's last cluster is between boxes
    values = justify.squeeze_values(squeezes)
    for i in range(len(values) - 1):
        assert (values[i] + values[i + 1]) / 2 == -squeezes[i]


def test_squeeze_values_leave_a_lone_mark_near_the_start_as_one_value():
    # “，打造…”: the comma's blank goes by one negative value on the comma, nothing after.
    assert justify.squeeze_values([5120, 0, 0, 0, 0]) == [-10240, 0, 0, 0, 0]


# --- Rendered lines --------------------------------------------------------------------------

LOOSE_SC = "5年来，全市共筹集发放困难帮扶资金4261万元，帮助11231名困难职工解决实际困难，共筹集。"
LOOSE_TC = "建設工作納入黨建工作目標考核內容。特別是2016年，召開黨的羣團工作會議，制定實施方案。"


def test_a_line_loose_without_compression_is_tight_with_it(tmp_path, monkeypatch):
    monkeypatch.setattr(squeeze, "SHRINK_FROM", math.inf)
    monkeypatch.setattr(squeeze, "LOOSE_AFTER", math.inf)
    before = first_line(render(tmp_path, LOOSE_SC, name="before.pdf"))
    assert before.looseness > 0.3 and before.text.endswith("资金")
    monkeypatch.undo()
    pdf = render(tmp_path, LOOSE_SC)
    after = first_line(pdf)
    assert after.text.endswith("4261万元，")
    assert after.looseness <= 0.05
    assert after.shortfall == pytest.approx(-0.5 * EM, abs=0.1)  # the comma hangs its ½ em
    assert check.is_flush(after)
    assert pdf_text(pdf) == LOOSE_SC


def test_compressed_marks_keep_their_glyph_and_lose_only_their_blank(tmp_path):
    # Beside a drop cap (19 em) the line takes 家…… by setting the comma after ” half-width.
    text = "“娘家人”，打造职工最信赖的职工之家……5年来，福建省三明工会在市委和省总工会的领导下。"
    pdf = render(tmp_path, text, width="19em", indent="0")
    with pdfplumber.open(str(pdf)) as document:
        chars = document.pages[0].chars
    line = [c for c in chars if abs(c["top"] - chars[0]["top"]) < 1]
    assert "".join(c["text"] for c in line) == "“娘家人”，打造职工最信赖的职工之家……"
    x = {c["text"]: c["x0"] for c in line}  # first occurrence is enough here
    assert x["，"] - x["”"] == pytest.approx(0.5 * EM, abs=0.05)  # ” halved by cjk-halt
    assert x["打"] - x["，"] == pytest.approx(0.5 * EM, abs=0.05)  # the comma's blank is gone
    for a, b in zip(line, line[1:]):  # nothing else moved into another glyph
        assert b["x0"] - a["x0"] >= (0.5 * EM if a["text"] in "”，" else EM) - 0.05
    assert line[-1]["x1"] == pytest.approx(line[0]["x0"] + 19 * EM, abs=0.1)
    assert pdf_text(pdf) == text


def test_centred_marks_of_traditional_faces_give_a_quarter_em(tmp_path, monkeypatch):
    pdf = render(tmp_path, LOOSE_TC, face="Noto Serif CJK TC", lang="zh-Hant", indent="0")
    line = first_line(pdf)
    assert line.text.endswith("2016年，")
    assert line.shortfall == pytest.approx(-0.25 * EM, abs=0.1)  # ¼ em, not ½
    assert check.is_flush(line) and line.looseness <= 0.2
    assert pdf_text(pdf) == LOOSE_TC
    # The mid-line 。 gave at most its ¼ em too: 容 to 特 spans at least 1.75 em.
    with pdfplumber.open(str(pdf)) as document:
        chars = document.pages[0].chars[:len(line.text)]
    stop = line.text.index("。")
    assert chars[stop + 1]["x0"] - chars[stop - 1]["x0"] >= 1.75 * EM - 0.05


def test_lines_that_need_no_compression_are_laid_out_as_before(tmp_path, monkeypatch):
    text = "有一种力量来自工人，有一种声音来自咱工会娘家人。福建省龙岩市总工会在市委领导下。" * 3
    after = render(tmp_path, text, name="after.pdf").read_bytes()
    monkeypatch.setattr(squeeze, "SHRINK_FROM", math.inf)
    monkeypatch.setattr(squeeze, "LOOSE_AFTER", math.inf)
    assert render(tmp_path, text, name="before.pdf").read_bytes() == after


def test_the_line_before_gives_up_a_character_for_a_loose_next_line(tmp_path, monkeypatch):
    # Seed 002: 1.9万人次； is one unbreakable unit 5 em wide that compression cannot make room
    # for at the end of 「助学资金3237万元，资助困难职工在学子女」.
    text = ("5年来，各级工会共筹集送温暖慰问金8070万元，走访慰问5.6万人次职工、农民工；筹集"
            "6982万元帮扶资金，帮扶5.5万人次困难职工、农民工；发放金秋助学资金3237万元，资助困难"
            "职工在学子女1.9万人次；举办73场就业招聘会，帮助7.5万多名求职者实现就业。")
    monkeypatch.setattr(squeeze, "LOOSE_AFTER", math.inf)
    lines = check.lines_of(render(tmp_path, text, name="before.pdf"), column_width=24 * EM)
    assert max(check._looseness(ln) for ln in lines[:-1]) > 0.2
    monkeypatch.undo()
    pdf = render(tmp_path, text)
    lines = check.lines_of(pdf, column_width=24 * EM)
    assert max(check._looseness(ln) for ln in lines[:-1]) <= 0.2
    assert all(check.is_flush(ln) for ln in lines[:-1])
    assert pdf_text(pdf) == text
