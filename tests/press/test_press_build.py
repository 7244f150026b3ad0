"""``paiban build --pdf …`` end to end: the seeds' proofs pass the preflight in X-4 and X-1a,
independent readers (pypdf, Ghostscript, poppler) agree, builds are byte-identical, and real
photos are tagged (X-4) or converted (X-1a), CMYK JPEGs untouched."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from paiban.press.preflight import preflight

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
SEED = "002_cac0cc1532234b7e"
MM = 72 / 25.4


def _copy_project(dest: Path) -> Path:
    for name in ("layout", "styles", "fonts"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "pyproject.toml", dest / "pyproject.toml")
    shutil.copytree(ROOT / "seeds", dest / "seeds")
    return dest


def paiban(proj: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "paiban", *args], cwd=proj,
                          capture_output=True, text=True, timeout=900)


def _pdfs(out: Path, pattern: str) -> list[Path]:
    return sorted(out.glob(f"*/{pattern}"))


@pytest.fixture(scope="module")
def proofs(tmp_path_factory) -> Path:
    proj = _copy_project(tmp_path_factory.mktemp("proj"))
    for variant in ("x-4", "x-1a"):
        done = paiban(proj, "build", "--quiet", "--jobs", "1", "--proof", "--pdf", variant)
        assert done.returncode == 0, done.stderr + done.stdout
    return proj / "dist"


def _all_proofs(out: Path) -> list[Path]:
    pdfs = _pdfs(out, "*.proof.pdf")
    assert len(pdfs) == len(SEEDS) * 2 * 2  # seeds × editions × variants
    return pdfs


def test_the_seeds_proofs_have_no_preflight_error(proofs):
    for pdf in _all_proofs(proofs):
        findings = preflight(pdf)
        errors = [f.line() for f in findings if f.severity == "error"]
        assert errors == [], pdf
        # The placeholders are reported, as a proof's.
        assert any(f.rule == "placeholder" and f.severity == "info" for f in findings)


def test_press_build_with_placeholders_is_an_error_in_the_preflight(proofs, tmp_path):
    proj = proofs.parent
    done = paiban(proj, "build", "--quiet", "--jobs", "1", "--edition", "zh-Hans",
                  "--out", str(tmp_path), str(proj / "seeds" / f"{SEED}.txt"))
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / SEED / f"{SEED}.zh-Hans.pdf"
    assert {f.rule for f in preflight(pdf) if f.severity == "error"} == {"placeholder"}
    check = paiban(proj, "check", "--preflight", str(pdf))
    assert check.returncode == 1 and "error: placeholder: figure 1" in check.stdout


def _resources_colour_spaces(resources, seen) -> list[str]:
    """Every colour space a page's resources use, read with pypdf (forms followed)."""
    out = []
    if resources is None:
        return out
    resources = resources.get_object()
    for space in (resources.get("/ColorSpace") or {}).values():
        out.append(_family(space))
    for xobject in (resources.get("/XObject") or {}).values():
        ref = xobject.indirect_reference
        xobject = xobject.get_object()
        if ref is not None and ref.idnum in seen:
            continue
        if ref is not None:
            seen.add(ref.idnum)
        if xobject.get("/ColorSpace") is not None:
            out.append(_family(xobject["/ColorSpace"]))
        group = xobject.get("/Group")
        if group is not None and "/CS" in group:
            out.append(_family(group["/CS"]))
        out += _resources_colour_spaces(xobject.get("/Resources"), seen)
    for shading in (resources.get("/Shading") or {}).values():
        out.append(_family(shading.get_object()["/ColorSpace"]))
    return out


def _family(space) -> str:
    space = space.get_object()
    if isinstance(space, pypdf.generic.ArrayObject):
        family = str(space[0])
        if family == "/ICCBased":
            return f"/ICCBased{space[1].get_object()['/N']}"
        return family
    return str(space)


def test_an_independent_reader_finds_no_rgb_in_x1a(proofs):
    for pdf in _pdfs(proofs, "*.x-1a.proof.pdf"):
        reader = pypdf.PdfReader(pdf)
        assert reader.pdf_header == "%PDF-1.4"
        seen: set = set()
        for page in reader.pages:
            spaces = _resources_colour_spaces(page.get("/Resources"), seen)
            assert not {s for s in spaces if "RGB" in s or s == "/ICCBased3" or s == "/Lab"}, pdf
            content = page.get_contents().get_data()
            assert not re.search(rb"(^|\s)(rg|RG)(\s|$)", content), pdf


def test_ghostscript_inkcov_reads_every_page(proofs):
    for pdf in _all_proofs(proofs)[:2]:
        done = subprocess.run(["gs", "-q", "-o", "-", "-sDEVICE=inkcov", str(pdf)],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert "Error" not in done.stdout + done.stderr
        lines = [l for l in done.stdout.splitlines() if l.strip().endswith("OK")]
        assert len(lines) == len(pypdf.PdfReader(pdf).pages)


def _boxes(pdf: Path) -> dict[str, tuple[float, ...]]:
    out = subprocess.run(["pdfinfo", "-box", str(pdf)], capture_output=True, text=True).stdout
    return {m[1]: tuple(float(v) for v in m[2].split())
            for m in re.finditer(r"^(MediaBox|BleedBox|TrimBox):\s+(.*)$", out, re.M)}


def test_pdfinfo_shows_trim_and_bleed_boxes(proofs):
    for pdf in _all_proofs(proofs):
        boxes = _boxes(pdf)
        assert boxes["TrimBox"] == pytest.approx((0, 0, 210 * MM, 285 * MM), abs=0.01)
        assert boxes["BleedBox"] == pytest.approx((-3 * MM, -3 * MM, 213 * MM, 288 * MM),
                                                  abs=0.01)


def test_marks_widen_the_media_not_the_bleed(proofs, tmp_path):
    proj = proofs.parent
    done = paiban(proj, "build", "--quiet", "--jobs", "1", "--edition", "zh-Hans", "--proof",
                  "--marks", "--out", str(tmp_path), str(proj / "seeds" / f"{SEED}.txt"))
    assert done.returncode == 0, done.stderr
    marked = _boxes(tmp_path / SEED / f"{SEED}.zh-Hans.proof.pdf")
    plain = _boxes(proofs / SEED / f"{SEED}.zh-Hans.proof.pdf")
    assert marked["BleedBox"] == plain["BleedBox"] and marked["TrimBox"] == plain["TrimBox"]
    assert marked["MediaBox"][0] < plain["BleedBox"][0] - 9 * MM
    # The marks are in registration colour: a Separation named All, on every plate.
    reader = pypdf.PdfReader(tmp_path / SEED / f"{SEED}.zh-Hans.proof.pdf")
    page = reader.pages[0]
    space = page["/Resources"]["/ColorSpace"]["/PaibanAll"]
    assert [str(x) for x in space[:3]] == ["/Separation", "/All", "/DeviceCMYK"]
    assert list(space[3].get_object()["/C1"]) == [1, 1, 1, 1]
    assert b"/PaibanAll CS 1 SCN" in page.get_contents().get_data()
    assert [f.line() for f in preflight(tmp_path / SEED / f"{SEED}.zh-Hans.proof.pdf")
            if f.severity == "error"] == []


def test_output_intent_xmp_and_language(proofs):
    for pdf in _all_proofs(proofs):
        reader = pypdf.PdfReader(pdf)
        intent = reader.trailer["/Root"]["/OutputIntents"][0].get_object()
        assert intent["/S"] == "/GTS_PDFX"
        assert intent["/OutputConditionIdentifier"] == "FOGRA39"
        assert intent["/RegistryName"] == "http://www.color.org"
        profile = intent["/DestOutputProfile"].get_object()
        assert profile["/N"] == 4 and profile.get_data()[16:20] == b"CMYK"
        lang = "zh-Hant" if "zh-Hant" in pdf.name else "zh-Hans"
        assert reader.trailer["/Root"]["/Lang"] == lang
        xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
        version = b"PDF/X-4" if ".x-1a." not in pdf.name else b"PDF/X-1a:2003"
        assert b"<pdfxid:GTS_PDFXVersion>" + version in xmp


def test_rebuilds_are_byte_identical_with_content_derived_ids(proofs, tmp_path):
    proj = proofs.parent
    done = paiban(proj, "build", "--quiet", "--jobs", "1", "--proof", "--force",
                  "--out", str(tmp_path), str(proj / "seeds" / f"{SEED}.txt"))
    assert done.returncode == 0, done.stderr
    ids = set()
    for edition in ("zh-Hans", "zh-Hant"):
        again = (tmp_path / SEED / f"{SEED}.{edition}.proof.pdf").read_bytes()
        assert again == (proofs / SEED / f"{SEED}.{edition}.proof.pdf").read_bytes()
        ids.add(re.search(rb"xmp\.did:([0-9a-f-]+)", again)[1])
    assert len(ids) == 2  # derived from the content: each edition its own


@pytest.fixture(scope="module")
def photos(tmp_path_factory) -> Path:
    """Seed 002 with a photo in every frame: RGB JPEGs, an RGB PNG with alpha, a CMYK JPEG."""
    proj = _copy_project(tmp_path_factory.mktemp("photos"))
    images = proj / "images"
    images.mkdir()
    Image.new("RGB", (2700, 1500), (40, 110, 200)).save(images / "rgb.jpg", quality=80)
    Image.new("CMYK", (1400, 1000), (10, 200, 180, 20)).save(images / "cmyk.jpg", quality=80)
    Image.new("RGBA", (1400, 1000), (200, 120, 30, 160)).save(images / "alpha.png")
    sidecar = [f'[figures.{n}]\nimage = "images/{name}"\n'
               for n, name in ((1, "rgb.jpg"), (2, "cmyk.jpg"), (3, "alpha.png"), (4, "rgb.jpg"),
                               (5, "rgb.jpg"))]
    (proj / "seeds" / f"{SEED}.toml").write_text("\n".join(sidecar), "utf-8")
    for variant in ("x-4", "x-1a"):
        done = paiban(proj, "build", "--quiet", "--jobs", "1", "--edition", "zh-Hans",
                      "--pdf", variant, str(proj / "seeds" / f"{SEED}.txt"))
        assert done.returncode == 0, done.stderr + done.stdout
    return proj


def _images(pdf: Path) -> list:
    reader = pypdf.PdfReader(pdf)
    found = {}
    for page in reader.pages:
        stack = [page.get("/Resources")]
        while stack:
            resources = stack.pop()
            if resources is None:
                continue
            for xobject in (resources.get_object().get("/XObject") or {}).values():
                obj = xobject.get_object()
                if obj["/Subtype"] == "/Image":
                    found[xobject.indirect_reference.idnum] = obj
                else:
                    stack.append(obj.get("/Resources"))
    return list(found.values())


def test_press_pdfs_with_photos_pass_the_preflight(photos):
    for name in ("zh-Hans.pdf", "zh-Hans.x-1a.pdf"):
        pdf = photos / "dist" / SEED / f"{SEED}.{name}"
        assert [f.line() for f in preflight(pdf) if f.severity == "error"] == [], name


def test_x4_tags_rgb_photos_and_passes_cmyk_jpegs_untouched(photos):
    images = _images(photos / "dist" / SEED / f"{SEED}.zh-Hans.pdf")
    spaces = {_family(i["/ColorSpace"]) for i in images}
    assert spaces == {"/ICCBased3", "/DeviceCMYK"}
    cmyk = [i for i in images if _family(i["/ColorSpace"]) == "/DeviceCMYK"]
    assert cmyk[0]._data == (photos / "images" / "cmyk.jpg").read_bytes()


def test_x1a_converts_rgb_photos_to_cmyk_through_the_profile(photos):
    images = _images(photos / "dist" / SEED / f"{SEED}.zh-Hans.x-1a.pdf")
    assert {_family(i["/ColorSpace"]) for i in images} == {"/DeviceCMYK"}
    assert not any("/SMask" in i for i in images)
    # The bytes are CMYK JPEGs too (not the RGB file under a CMYK label).
    import io
    for i in images:
        assert i["/Filter"] == "/DCTDecode"
        assert Image.open(io.BytesIO(i._data)).mode == "CMYK"
    untouched = [i for i in images if i._data == (photos / "images" / "cmyk.jpg").read_bytes()]
    assert len(untouched) == 1


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("variant", ["", ".x-1a"])
def test_text_copied_out_reads_the_drop_cap_with_its_paragraph(proofs, variant):
    """Content order (what copy and paste and most extractors follow): the drop cap right
    before the rest of its paragraph, not before the 数说 figures (围 … 4261万元 … 绕打造)."""
    pdf = proofs / "000_0015acbaf8d5143e" / f"000_0015acbaf8d5143e.zh-Hans{variant}.proof.pdf"
    text = _compact(pypdf.PdfReader(pdf).pages[0].extract_text())
    assert "围绕打造“四个工会”目标" in text
    assert text.index("4261万元") < text.index("围绕打造")
    done = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-raw", str(pdf), "-"],
                          capture_output=True, text=True)
    assert "围绕打造" in _compact(done.stdout)


def _structure_text(pdf_path: Path) -> str:
    """The text of the marked content the structure tree reaches, in tree order."""
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        chars = {}
        for page in pdf.pages:
            for c in page.chars:
                chars.setdefault((page.page_number, c.get("mcid")), []).append(c["text"])
        order: list[str] = []

        def walk(node):
            for mcid in node.get("mcids") or []:
                order.append("".join(chars.get((node.get("page_number"), mcid), [])))
            for child in node.get("children", []):
                walk(child)
        for node in pdf.structure_tree:
            walk(node)
    return "".join(order)


def test_x4_structure_tree_keeps_the_drop_cap_before_its_paragraph(proofs):
    pdf_path = proofs / "000_0015acbaf8d5143e" / "000_0015acbaf8d5143e.zh-Hant.proof.pdf"
    assert "圍繞打造" in _structure_text(pdf_path)
    assert pypdf.PdfReader(pdf_path).trailer["/Root"]["/MarkInfo"]["/Marked"]


def test_running_heads_and_folios_are_artifacts_not_text(proofs):
    # Seed 002 has four pages: the kicker on the opener names the issue (特别报道, the
    # project's issue line) once; the running heads of pages 2-4 name it again, as artifacts
    # outside the structure tree. (The text itself never says 特别报道.)
    text = _structure_text(proofs / SEED / f"{SEED}.zh-Hans.proof.pdf")
    assert text.count("特别报道") == 1
    content = pypdf.PdfReader(proofs / SEED / f"{SEED}.zh-Hans.proof.pdf").pages[1].get_contents()
    assert b"/Artifact" in content.get_data()
