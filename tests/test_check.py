"""paiban.check: line reconstruction and the typography measurements, on small rendered PDFs."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import weasyprint

from paiban import check
from paiban.render import justify

PARAGRAPH = ("有一种力量来自工人，有一种声音来自咱工会娘家人。福建省龙岩市总工会在市委和省总工会的"
             "正确领导下，带领全市职工聆听历史的足音，踏着时代的步履，在闽西这块红色的热土上，"
             "围绕中心，锐意改革，凝心聚力、砥砺前行，建功立业。")


def render(tmp_path: Path, body: str, css: str = "", name: str = "out.pdf",
           patched: bool = True) -> Path:
    if patched:
        justify.install()
    else:
        justify.uninstall()
    style = f"""@page {{ size: A4; margin: 20mm }}
html {{ font-family: "Noto Serif CJK SC"; font-size: 10pt; line-height: 17pt }}
body {{ margin: 0 }}
p {{ margin: 0; text-align: justify; text-indent: 2em }}
{css}"""
    document = f'<html lang="zh-Hans"><head><style>{style}</style></head><body>{body}</body></html>'
    path = tmp_path / name
    path.write_bytes(weasyprint.HTML(string=document).write_pdf())
    return path


def test_paragraph_lines_indent_pitch_and_final_lines(tmp_path):
    pdf = render(tmp_path, f"<p>{PARAGRAPH}</p><p>{PARAGRAPH}</p>", "body { width: 20em }")
    lines = check.lines_of(pdf)
    firsts = [line for line in lines if line.first]
    finals = [line for line in lines if line.final]
    assert len(firsts) == 2 and len(finals) == 2
    assert lines[-1].final and lines[0].first
    result = check.measure(pdf)
    assert result.body_size == 10.0
    assert result.indents_em == [2.0] and result.indent_consistent
    assert result.pitch == 17.0 and result.pitch_constant
    assert result.justified_lines == len(lines) - 2
    assert result.flush_share == 1.0
    assert result.text == PARAGRAPH * 2


def test_ragged_lines_are_not_flush(tmp_path):
    try:
        pdf = render(tmp_path, f"<p>{PARAGRAPH * 3}</p>", "body { width: 20.5em }",
                     patched=False)
        result = check.measure(pdf, column_width=205)
        assert result.flush_share == 0.0
        assert result.not_flush and "(5.00 pt)" in result.not_flush[0]
    finally:
        justify.install()


def test_two_columns_under_a_big_title(tmp_path):
    body = ('<h1 style="font-size: 24pt; margin: 0 0 1em">数说五年</h1>'
            f'<div style="column-count: 2; column-gap: 1em">{f"<p>{PARAGRAPH}</p>" * 6}</div>')
    pdf = render(tmp_path, body)
    lines = check.lines_of(pdf)
    assert {line.column for line in lines} == {0, 1}
    assert not any("数说" in line.text for line in lines)  # the title is not body text
    result = check.measure(pdf)
    assert result.flush_share == 1.0
    assert result.looseness_max_em < 0.2  # the 1 em gutter is not taken for spacing


def test_violations_are_reported(tmp_path):
    body = ("<p>一二三四五<br>，六七八<br>九十“<br>一二三<br>走访3.25<br>万人次<br>源头—<br>—参与</p>")
    result = check.measure(render(tmp_path, body, "p { text-align: left }"))
    assert len(result.line_start_violations) == 1 and "，六七八" in result.line_start_violations[0]
    assert len(result.line_end_violations) == 1 and "九十“" in result.line_end_violations[0]
    assert len(result.split_units) == 2
    assert not result.ok


def test_a_paragraph_may_open_with_a_dash(tmp_path):
    result = check.measure(render(tmp_path, f"<p>——{PARAGRAPH}</p>", "body { width: 20em }"))
    assert result.line_start_violations == []


def test_fonts_are_listed_with_embedding(tmp_path):
    result = check.measure(render(tmp_path, f"<p>{PARAGRAPH}</p>"))
    assert [font.name.split("+")[-1] for font in result.fonts] == ["Noto-Serif-CJK-SC"]
    assert result.all_embedded and result.fonts[0].embedded


def test_looseness_is_the_added_inter_character_space(tmp_path):
    # 19 characters on a 20 em line after a 2 em indent... one em spread over 18 gaps.
    pdf = render(tmp_path, f"<p>{PARAGRAPH}</p>", "body { width: 21.5em }")
    result = check.measure(pdf)
    assert 0 < result.looseness_max_em < 0.1


def test_a_word_space_between_two_names_is_not_looseness(tmp_path):
    # 「（黄秀珍 郑飞飞）」: the space is text; only what justification adds to it counts.
    text = "市政府评为先进单位（黄秀珍 郑飞飞）" * 6
    pdf = render(tmp_path, f"<p>{text}</p>", "body { width: 15em }")
    lines = [ln for ln in check.lines_of(pdf) if not ln.final and " " in ln.text]
    assert lines
    assert all(check._looseness(ln) < 0.2 for ln in lines)


def test_main_prints_summary_and_json(tmp_path, capsys):
    pdf = render(tmp_path, f"<p>{PARAGRAPH}</p>", "body { width: 20em }")
    assert check.main([pdf], as_json=False) == 0
    out = capsys.readouterr().out
    assert "flush: " in out and "ok" in out and "Noto-Serif-CJK-SC" in out
    assert check.main([pdf], as_json=True) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[0]["flush_share"] == 1.0 and data[0]["ok"] is True


def test_main_fails_on_a_bad_pdf(tmp_path, capsys):
    bad = tmp_path / "bad.pdf"
    bad.write_text("not a pdf")
    assert check.main([bad], as_json=False) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"paiban: {bad}: cannot measure: not a readable PDF")
    assert err.count("\n") == 1


def test_main_names_a_missing_pdf_in_one_line(tmp_path, capsys):
    missing = tmp_path / "missing.pdf"
    assert check.main([missing], as_json=False) == 1
    assert capsys.readouterr().err == f"paiban: {missing}: cannot measure: No such file or directory\n"


@pytest.mark.parametrize("line, flush", [
    (check.Line(0, 0, 10, 0, 100.0, "一二三", 10, right=100.05), True),
    (check.Line(0, 0, 10, 0, 99.8, "一二三", 10, right=100.0), False),
    (check.Line(0, 0, 10, 0, 105.0, "一二。", 10, right=100.0), True),  # half-width 。
    # A centred 、 of a TC or HK face, halved: its box ends ¼ em past the edge. In an SC face
    # (、 in the corner) the same box means the line is ¼ em short.
    (check.Line(0, 0, 10, 0, 102.5, "一二、", 10, right=100.0,
                last_font="WPRGRP+Noto-Serif-CJK-TC"), True),
    (check.Line(0, 0, 10, 0, 102.5, "一二、", 10, right=100.0,
                last_font="ABCDEF+Noto-Serif-CJK-SC"), False),
    (check.Line(0, 0, 10, 0, 105.0, "一二、", 10, right=100.0,
                last_font="WPRGRP+Noto-Serif-CJK-TC"), False),
    (check.Line(0, 0, 10, 0, 102.5, "一二三", 10, right=100.0), False),
    (check.Line(0, 0, 10, 0, 105.0, "一二三", 10, right=100.0), False),
])
def test_is_flush(line, flush):
    assert check.is_flush(line) is flush


def test_a_quoted_single_character_is_a_short_last_line():
    line = check.Line(0, 0, 10, 0, 30.0, "“好。”", 10, kind="body", final=True)
    assert check._short_last_lines([line]) == ["page 1: “好。”"]


def test_short_last_lines_are_reported(tmp_path):
    text = "一" * 18 + "二。"  # 8 + 10 characters, then 二。 alone
    result = check.measure(render(tmp_path, f"<p>{text}</p>", "body { width: 10em }"))
    assert result.short_last_lines == ["page 1: 二。"]
    assert result.ok  # reported, not a failure of the engine's rules


def test_lines_beside_a_drop_cap_are_measured(tmp_path):
    body = (f'<p><span style="float: left; font-size: 48pt; line-height: 1">有</span>'
            f"{PARAGRAPH}</p>")
    lines = check.lines_of(render(tmp_path, body, "body { width: 20em } p { text-indent: 0 }"))
    beside = [line for line in lines if line.x0 - line.left > 4 * line.size]
    assert beside and all(line.kind == "body" and not line.first for line in beside)
    assert all(check.is_flush(line) for line in lines if not line.final)


def test_a_caption_ending_on_one_character_is_reported(tmp_path):
    caption = "龙岩市总工会持续打造关爱环卫工人系列活动为爱心家宴活动摄"  # 28: 3 × 9 + 1
    # 8 pt captions in a 9 em measure (72 pt): the last line holds 摄 alone.
    css = ".cap { font-size: 8pt; line-height: 12pt; width: 72pt; text-indent: 0; text-align: left }"
    body = f"<p>{PARAGRAPH}</p><p class=cap>{caption}</p><p>{PARAGRAPH}</p>"
    result = check.measure(render(tmp_path, body, css))
    assert len(result.display_short_last_lines) == 1
    assert result.display_short_last_lines[0].endswith("| 摄")
    # The same caption a character shorter ends on a full line: nothing reported.
    body = f"<p>{PARAGRAPH}</p><p class=cap>{caption[:-2]}摄</p><p>{PARAGRAPH}</p>"
    assert check.measure(render(tmp_path, body, css, name="b.pdf")).display_short_last_lines == []


def test_a_block_pushed_to_the_next_page_leaves_a_hole(tmp_path):
    # A5 text block of 170 mm; 8 lines of text, then a 120 mm block that cannot be split.
    css = ("@page { size: A5; margin: 20mm } .big { height: 120mm; background: #ddd; "
           "break-inside: avoid } body { width: 20em }")
    body = f"<p>{PARAGRAPH}</p><p>{PARAGRAPH}</p><div class=big></div><p>{PARAGRAPH}</p>"
    result = check.measure(render(tmp_path, body, css))
    assert result.pages == 2
    first = [f for f in result.column_feet if f.page == 0]
    # The foot is the lowest body line of the document (page 2's last, 150 mm down).
    assert len(first) == 1 and first[0].short >= 10
    assert result.holes == first
    # A hole fails the check (exit 1): an editor sees FAIL and the column named.
    assert not result.ok and "FAIL" in check.summary(result)
    assert dataclasses.replace(result, column_feet=[]).ok  # the hole is what fails it
    assert "page 1, column 1:" in check.summary(result)
    assert check.main([tmp_path / "out.pdf"]) == 1
    # Without the block the text ends on page 1: its last page, never a hole.
    result = check.measure(render(tmp_path, f"<p>{PARAGRAPH}</p>", css, name="b.pdf"))
    assert result.holes == [] and result.column_feet[0].short == 0


def test_last_page_columns_spread(tmp_path):
    cols = ('<div style="column-count: 2; column-gap: 1em; column-fill: {fill}; height: 200mm">'
            + f"<p>{PARAGRAPH}</p>" * 4 + "</div>")
    auto = check.measure(render(tmp_path, cols.format(fill="auto"), "body { width: 40em }"))
    assert auto.last_page_spread == 0.0  # one column only: nothing to balance
    balanced = check.measure(render(tmp_path, cols.format(fill="balance").replace(
        "; height: 200mm", ""), "body { width: 40em }", name="b.pdf"))
    assert len(balanced.column_feet) == 2 and balanced.last_page_spread <= 1


def test_last_page_columns_apart_is_a_warning_not_a_failure(tmp_path, capsys):
    # Two columns of one page: a 60 mm block that cannot be split ends the left column far
    # below the right one's text.
    cols = ('<div style="column-count: 2; column-gap: 1em; column-fill: auto; height: 120mm">'
            + f"<p>{PARAGRAPH}</p>" * 2 + '<div style="height: 100mm; background: #ddd; '
            'break-inside: avoid"></div>' + f"<p>{PARAGRAPH}</p>" + "</div>")
    result = check.measure(render(tmp_path, cols, "body { width: 40em }"))
    assert result.holes == [] and result.last_page_apart > 1
    assert result.ok and result.warnings and "lines apart" in result.warnings[0]
    assert "ok (1 warning)" in check.summary(result)
    assert check.main([tmp_path / "out.pdf"]) == 0
    level = check.measure(render(tmp_path, f"<p>{PARAGRAPH}</p>", "body { width: 40em }",
                                 name="b.pdf"))
    assert level.warnings == [] and "ok —" in check.summary(level)


def test_a_column_set_above_a_row_ends_its_paragraph():
    # A row of figures across the columns in mid-page: lines are read column by column, so
    # the lower set's left column (ending its paragraph 「……实效性。」 short) is followed by the
    # upper set's right column, whose first line goes on a paragraph. That line's paragraph
    # is not the one ending: the sentence ends short of the edge, so it is its last line.
    def line(column, baseline, text, x1, first=False):
        return check.Line(page=0, column=column, baseline=baseline, x0=0.0, x1=x1, text=text,
                          size=10.0, first=first, right=240.0)

    lines = [line(0, 100, "权益更具实效性。", 80.0),
             line(1, 10, "局，实现省级达标，进一步叫响做实职工有困难", 240.0),
             line(1, 26, "找工会。", 40.0)]
    going_on = [line(0, 100, "维护职工的合法权益更具实效性，", 238.0),
                line(1, 10, "并在全省推广。", 70.0)]
    check._mark_final(lines, 16.0)
    check._mark_final(going_on, 16.0)
    assert [ln.final for ln in lines] == [True, False, True]
    # A line that goes on into the next column is justified to the edge: not final.
    assert [ln.final for ln in going_on] == [False, True]


def test_last_page_apart_counts_the_distance_between_the_feet(tmp_path):
    # The columns are level within one line, and a fifth of a line more: a line's glyphs end
    # above its line box by the half-leading, where a box on the same grid line ends at it.
    # Further apart they are not, however each foot rounds on its own (1.85 lines apart
    # read 16 and 17 lines short: "level" by whole lines, not to a reader).
    result = check.measure(render(tmp_path, f"<p>{PARAGRAPH}</p>", "body { width: 40em }"))
    pitch = 16.5
    for distance, apart in [(0.0, 0), (0.92, 1), (1.2, 1), (1.25, 2), (1.85, 2), (2.2, 2),
                            (2.3, 3)]:
        feet = [check.ColumnFoot(0, 0, 500.0, 0),
                check.ColumnFoot(0, 1, 500 - distance * pitch, 0)]
        measured = dataclasses.replace(result, column_feet=feet, pitch=pitch, pages=1)
        assert measured.last_page_apart == apart, distance
        assert bool(measured.warnings) == (apart > 1)


def test_a_column_holding_only_a_box_is_a_column(tmp_path):
    # The last page's right column holds a box and no body text: it has no lines to be found
    # by, yet it ends short of the left column, as a reader sees.
    page = ('<div style="column-count: 2; column-gap: 1em; column-fill: auto; height: 120mm">'
            + f"<p>{PARAGRAPH}</p>" * 5 + "</div>")
    last = ('<div style="column-count: 2; column-gap: 1em; column-fill: balance; '
            'break-before: page">' + f"<p>{PARAGRAPH}</p>"
            + '<div style="height: 8mm; background: #ddd; break-before: column"></div></div>')
    result = check.measure(render(tmp_path, page + last, "body { width: 40em }"))
    feet = [f for f in result.column_feet if f.page == result.pages - 1]
    assert len(feet) == 2 and feet[1].last_text == ""
    assert result.last_page_apart > 1 and result.warnings
