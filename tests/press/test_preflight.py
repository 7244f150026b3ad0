"""The preflight reports each known fault, in a PDF built to have exactly that fault, and
nothing on the clean one."""

from __future__ import annotations

import subprocess
import sys

import pikepdf
import pytest

from paiban.press.preflight import preflight
import press_badpdf as badpdf


def rules(path, severity="error") -> set[str]:
    return {f.rule for f in preflight(path) if f.severity == severity}


def test_the_clean_page_has_no_finding(tmp_path):
    findings = preflight(badpdf.make(tmp_path / "ok.pdf"))
    assert findings == []


def test_rgb_rectangle(tmp_path):
    path = badpdf.make(tmp_path / "rgb.pdf", b"1 0 0 rg 20 20 50 50 re f")
    found = [f for f in preflight(path) if f.rule == "rgb"]
    assert found and found[0].severity == "error" and found[0].page == 1
    assert "DeviceRGB" in found[0].message


def test_rgb_image_and_colour_space_resource(tmp_path):
    def setup(pdf, page):
        page.Resources.XObject = pikepdf.Dictionary(Im0=badpdf.image(pdf, (800, 800), "RGB"))
    path = badpdf.make(tmp_path / "rgbimage.pdf", b"q 100 0 0 100 20 20 cm /Im0 Do Q",
                       setup=setup)
    assert any(f.rule == "rgb" and f.object == "image /Im0" for f in preflight(path))


def test_72_ppi_photo_is_an_error_and_200_ppi_a_warning(tmp_path):
    def setup(pdf, page):
        page.Resources.XObject = pikepdf.Dictionary(Lo=badpdf.image(pdf, (100, 100)),
                                                     Mid=badpdf.image(pdf, (278, 278)))
    # Both placed 100 pt (1.39 in) wide: 72 ppi and 200 ppi.
    path = badpdf.make(tmp_path / "ppi.pdf",
                       b"q 100 0 0 100 20 20 cm /Lo Do Q q 100 0 0 100 90 90 cm /Mid Do Q",
                       setup=setup)
    found = {f.object: f for f in preflight(path) if f.rule == "image-ppi"}
    assert found["image /Lo"].severity == "error" and "72 ppi" in found["image /Lo"].message
    assert found["image /Mid"].severity == "warning" and "200 ppi" in found["image /Mid"].message


def test_320_percent_ink_patch(tmp_path):
    path = badpdf.make(tmp_path / "tac.pdf", b"0.8 0.8 0.8 0.8 k 30 30 40 40 re f")
    found = [f for f in preflight(path) if f.rule == "tac"]
    assert found and found[0].severity == "error" and "320 %" in found[0].message
    # 280 % passes.
    assert "tac" not in rules(badpdf.make(tmp_path / "ok.pdf", b"0.7 0.7 0.7 0.7 k 30 30 40 40 re f"))


def test_missing_output_profile_and_identification(tmp_path):
    found = preflight(badpdf.make(tmp_path / "noprofile.pdf", profile=None))
    assert any(f.rule == "profile" and "DestOutputProfile" in f.message for f in found)
    found = preflight(badpdf.make(tmp_path / "noxmp.pdf", xmp=None))
    assert any(f.rule == "pdfx" and "identification" in f.message for f in found)


def test_rgb_output_profile_is_not_accepted(tmp_path):
    srgb = open("/usr/share/color/icc/sRGB.icc", "rb").read()
    found = preflight(badpdf.make(tmp_path / "rgbprofile.pdf", profile=srgb))
    assert any(f.rule == "profile" and "CMYK" in f.message for f in found)


def test_pdf_version_too_new_for_x4(tmp_path):
    assert "pdfx" in rules(badpdf.make(tmp_path / "v17.pdf", version="1.7"))


def test_missing_boxes(tmp_path):
    found = preflight(badpdf.make(tmp_path / "boxes.pdf", trim=False, bleed=False))
    messages = {f.message for f in found if f.rule == "boxes"}
    assert messages == {"no TrimBox", "no BleedBox"}


def test_artwork_touching_the_trim_must_reach_the_bleed(tmp_path):
    short = badpdf.make(tmp_path / "short.pdf", b"0 0 0 0.5 k 0 20 50 50 re f")
    assert "bleed" in rules(short)
    bleeds = badpdf.make(tmp_path / "bleeds.pdf", b"0 0 0 0.5 k -9 20 59 50 re f")
    assert "bleed" not in rules(bleeds)


def test_transparency_is_an_error_in_x1a_only(tmp_path):
    def setup(pdf, page):
        page.Resources.ExtGState = pikepdf.Dictionary(G0=pikepdf.Dictionary(ca=0.5))
    content = b"/G0 gs 0 0 0 0.5 k 20 20 50 50 re f"
    x4 = badpdf.make(tmp_path / "x4.pdf", content, setup=setup)
    assert "transparency" not in rules(x4)

    def x1a(pdf, page):
        setup(pdf, page)
        pdf.trailer.Info = pdf.make_indirect(pikepdf.Dictionary(
            GTS_PDFXVersion=pikepdf.String("PDF/X-1a:2003")))
    path = badpdf.make(tmp_path / "x1a.pdf", content, setup=x1a, xmp=None, version="1.4")
    assert "transparency" in rules(path)


def test_fonts_embedded_and_no_type3(tmp_path):
    def setup(pdf, page):
        page.Resources.Font = pikepdf.Dictionary(F0=badpdf.font(pdf, embedded=False))
    path = badpdf.make(tmp_path / "font.pdf", b"BT /F0 10 Tf 20 20 Td (abc) Tj ET", setup=setup)
    assert any(f.rule == "font" and "not embedded" in f.message for f in preflight(path))

    def type3(pdf, page):
        page.Resources.Font = pikepdf.Dictionary(F0=pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type3))
    path = badpdf.make(tmp_path / "t3.pdf", b"BT /F0 10 Tf 20 20 Td (abc) Tj ET", setup=type3)
    assert any(f.rule == "font" and "Type 3" in f.message for f in preflight(path))


def test_hairline_and_small_text(tmp_path):
    def setup(pdf, page):
        page.Resources.Font = pikepdf.Dictionary(F0=badpdf.font(pdf))
    content = (b"0 0 0 1 K 0.1 w 20 20 m 100 20 l S "
               b"0 0 0 1 k BT /F0 5 Tf 20 40 Td (tiny) Tj ET "
               b"BT /F0 9 Tf 20 60 Td (body) Tj ET")
    found = preflight(badpdf.make(tmp_path / "thin.pdf", content, setup=setup))
    assert [f.message for f in found if f.rule == "hairline"] == ["line 0.10 pt wide (under 0.25 pt)"]
    assert [f.message for f in found if f.rule == "small-text"] == [
        "text set at 5.0 pt (under 6 pt)"]


def test_placeholder_is_an_error_unless_proof(tmp_path):
    def setup(pdf, page, proof=False):
        dest = pikepdf.Array([page.obj, pikepdf.Name.XYZ, 0, 0, 0])
        pdf.Root.Names = pikepdf.Dictionary(Dests=pikepdf.Dictionary(
            Names=pikepdf.Array([pikepdf.String("placeholder-2"), dest])))
        if proof:
            pdf.trailer.Info = pdf.make_indirect(pikepdf.Dictionary(
                PaibanProof=pikepdf.String("true")))
    found = preflight(badpdf.make(tmp_path / "ph.pdf", setup=setup))
    assert [(f.page, f.object, f.severity) for f in found] == [(1, "figure 2", "error")]
    found = preflight(badpdf.make(tmp_path / "proof.pdf",
                                  setup=lambda pdf, page: setup(pdf, page, proof=True)))
    assert [(f.rule, f.severity) for f in found] == [("placeholder", "info")]


def test_annotation_inside_the_bleed(tmp_path):
    def setup(pdf, page):
        page.Annots = pdf.make_indirect(pikepdf.Array([pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[20, 20, 60, 40])]))
    assert "annotation" in rules(badpdf.make(tmp_path / "annot.pdf", setup=setup))


def test_cli_prints_one_line_per_finding_and_exits_1_on_error(tmp_path):
    bad = badpdf.make(tmp_path / "rgb.pdf", b"1 0 0 rg 20 20 50 50 re f")
    ok = badpdf.make(tmp_path / "ok.pdf")
    done = subprocess.run([sys.executable, "-m", "paiban", "check", "--preflight", str(bad)],
                          capture_output=True, text=True)
    assert done.returncode == 1
    assert f"{bad}: page 1: error: rgb: content: DeviceRGB colour (rg)" in done.stdout.splitlines()
    done = subprocess.run([sys.executable, "-m", "paiban", "check", "--preflight", str(ok)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
