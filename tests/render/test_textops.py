"""paiban.render.textops: compact TJ arrays, the same glyphs in the same places."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pikepdf
import pytest
import weasyprint

from paiban.render import textops
from paiban.render.pdf import _weasyprint

DOC = """<html lang="zh-Hans"><head><style>
@page { size: A5; margin: 15mm } body { font-family: "Noto Serif CJK SC"; font-size: 10pt }
p { text-align: justify }
</style><meta name="dcterms.created" content="2026-01-01T00:00:00Z">
<meta name="dcterms.modified" content="2026-01-01T00:00:00Z"></head><body>
<p>全市各级工会组织深入开展“我为职工办实事”活动，发放慰问金8070万元，惠及职工46万多名，
Workers' Day 2024，覆盖率98.5%。各级工会组织把服务职工作为工作的出发点和落脚点。</p>
</body></html>"""


def positions(tj: str) -> list[tuple[str, float]]:
    """Each glyph of a TJ body and where it starts, in thousandths of an em from the start,
    given every glyph is 1000 wide (the CJK case; enough to compare two arrays)."""
    x, out = 0.0, []
    for hexes, number in re.findall(r"<([0-9a-f]*)>|(-?[\d.]+(?:e-?\d+)?)", tj):
        if number:
            x -= float(number)
        for i in range(0, len(hexes), 4):
            out.append((hexes[i:i + 4], round(x, 1)))
            x += 1000
    return out


@pytest.mark.parametrize("tj", [
    "<42f5>-105.32<>-105.24338942307692<9640>-105.32<>-105.24338942307692<4111>",
    "<0013>0.01<0011>-0.02<0012>0<0017>0.01",
    "-500<057c>500",
    "<4111>",
    "<>-3.5e-05<41e5>12<>-12<2705>",
])
def test_compact_keeps_every_glyph_where_it_was(tj):
    short = textops.compact(tj)
    assert positions(short) == positions(tj)
    assert len(short) <= len(tj)


def test_compact_rounds_each_adjustment_and_keeps_them_apart():
    assert textops.compact("<42f5>-105.32<>-105.24338942307692<9640>") == \
        "<42f5>-105.32<>-105.24<9640>"
    assert textops.compact("<0012>0<0017>") == "<0012>0<0017>"
    assert textops.compact("<>-3.5e-05<41e5>") == "<>0<41e5>"
    assert textops.compact("-500<057c>500") == "-500<057c>500"


def test_unknown_arrays_are_left_alone():
    for tj in ("(abc)-10<41e5>", "<41e5> /Name", "<41e5> -10<2705>"):
        assert textops.compact(tj) == tj


def render() -> bytes:
    return weasyprint.HTML(string=DOC).write_pdf(pdf_identifier=b"t")


@pytest.fixture
def both():
    _weasyprint()
    assert textops.installed()
    ours = render()
    textops.uninstall()
    try:
        theirs = render()
    finally:
        textops.install()
    return ours, theirs


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
def test_same_pixels_and_text_fewer_bytes(both, tmp_path):
    for name, pdf in zip(("ours", "theirs"), both):
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "150", "-gray", tmp_path / f"{name}.pdf",
                        tmp_path / name], check=True)
        subprocess.run(["pdftotext", tmp_path / f"{name}.pdf", tmp_path / f"{name}.txt"],
                       check=True)
    assert (tmp_path / "ours.txt").read_text() == (tmp_path / "theirs.txt").read_text()
    pages = sorted(tmp_path.glob("ours*.pgm"))
    assert pages
    for page in pages:
        assert page.read_bytes() == (tmp_path / page.name.replace("ours", "theirs")).read_bytes()

    def content(pdf: bytes) -> bytes:
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            return b"".join(page.Contents.read_bytes() for page in doc.pages)
    ours, theirs = (content(pdf) for pdf in both)
    def long_numbers(stream: bytes) -> list[bytes]:
        return [n for body in re.findall(rb"\[([^\]]*)\] TJ", stream)
                for n in re.findall(rb"-?\d+\.\d{3,}", body)]
    assert long_numbers(theirs) and not long_numbers(ours)
    assert len(ours) < 0.8 * len(theirs)


def test_text_positions_to_a_thousandth_of_a_point(both):
    def matrices(pdf: bytes) -> list[bytes]:
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            return re.findall(rb"([-\d.]+) ([-\d.]+) Tm",
                              b"".join(page.Contents.read_bytes() for page in doc.pages))
    ours, theirs = matrices(both[0]), matrices(both[1])
    assert len(ours) == len(theirs) >= 3
    assert any(len(x.split(b".")[-1]) > 3 for pair in theirs for x in pair)
    for (x, y), (x0, y0) in zip(ours, theirs):
        assert len(x.split(b".")[-1]) <= 3 and len(y.split(b".")[-1]) <= 3
        assert abs(float(x) - float(x0)) <= 0.0005 and abs(float(y) - float(y0)) <= 0.0005


def test_deterministic():
    _weasyprint()
    assert render() == render()
