"""paiban.render.subset: CID-keyed CFF faces embedded small, with every glyph still right.

Renders the same documents with and without the patch and compares what a reader of the PDF
sees: the content streams, widths and ToUnicode maps must be the very same objects, each CID
must draw the same outline, the pages must rasterise to the same pixels, and the fonts shrink.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pypdf
import pytest
import weasyprint
from fontTools.cffLib import CFFFontSet
from fontTools.ttLib import TTFont

from paiban.render import memory, subset
from paiban.render.pdf import _weasyprint

DOC = """<html lang="{lang}"><head><style>
@page {{ size: A5; margin: 15mm }}
body {{ font-family: "Noto Serif CJK {face}"; font-size: 10pt }}
h1 {{ font-family: "Noto Sans CJK {face}"; font-weight: bold; font-size: 16pt }}
b {{ font-weight: bold }}
</style><meta name="dcterms.created" content="2026-01-01T00:00:00Z">
<meta name="dcterms.modified" content="2026-01-01T00:00:00Z"></head><body>
<h1>{title}</h1><p>{text}</p><p><b>{bold}</b>，{text}</p><p style="font-size: 7pt">{text}</p>
</body></html>"""

HANS = dict(lang="zh-Hans", face="SC", title="龙岩市总工会：让职工有更多获得感",
            bold="坚持政治引领",
            text="全市各级工会组织深入开展“我为职工办实事”活动，发放慰问金8070万元，"
                 "惠及职工46万多名（2024年）。ABC abc 123。")
HK = dict(lang="zh-Hant-HK", face="HK", title="龍巖市總工會：讓職工有更多獲得感", bold="堅持政治引領",
          text="全市各級工會組織深入開展「我為職工辦實事」活動，發放慰問金8070萬元，惠及職工46萬多名。")


def render(values: dict, **options) -> bytes:
    return weasyprint.HTML(string=DOC.format(**values)).write_pdf(pdf_identifier=b"t", **options)


@pytest.fixture(autouse=True)
def patched():
    _weasyprint()  # installs every paiban patch, this one included
    assert subset.installed()
    yield
    subset.install()


def both(values: dict, **options) -> tuple[bytes, bytes]:
    ours = render(values, **options)
    subset.uninstall()
    try:
        theirs = render(values, **options)
    finally:
        subset.install()
    return ours, theirs


def fonts_of(pdf: bytes) -> dict[str, dict]:
    """BaseFont → what a reader sees of it: widths, ToUnicode, the font program and its kind."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    out = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            program = descriptor["/FontFile3"].get_object()
            out[str(font["/BaseFont"]).split("+", 1)[1]] = {
                "W": [float(x) if not isinstance(x, list) else [float(y) for y in x]
                      for x in descendant["/W"]],
                "ToUnicode": font["/ToUnicode"].get_object().get_data(),
                "Encoding": str(font["/Encoding"]),
                "Subtype": str(program["/Subtype"]),
                "program": program.get_data(),
            }
    return out


def contents(pdf: bytes) -> list[bytes]:
    return [page.get_contents().get_data() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def drawn(to_unicode: bytes) -> set[int]:
    """The CIDs a ToUnicode map covers: every glyph the pages draw with that font."""
    return {int(cid, 16) for cid in re.findall(rb"^<([0-9a-f]{4})> <", to_unicode, re.M)}


def used_by(font: dict) -> set[int]:
    return drawn(font["ToUnicode"])


def flat(w: list) -> list[float]:
    return [y for x in w for y in (x if isinstance(x, list) else [x])]


def widths(w: list, cids: set[int]) -> dict[int, float]:
    """The width a reader finds for each CID in ``cids``: from /W, else the default /DW 1000."""
    found: dict[int, float] = {}
    for first, run in zip(w[::2], w[1::2]):
        found.update({int(first) + i: width for i, width in enumerate(run)})
    return {cid: found.get(cid, 1000.0) for cid in cids}


def bfchars(to_unicode: bytes) -> list[tuple[bytes, bytes]]:
    return re.findall(rb"^<([0-9a-f]{4})> <([0-9a-f]+)>", to_unicode, re.M)


def cid_charstrings(program: bytes, subtype: str) -> dict[int, bytes]:
    """CID → compiled outline of every glyph in an embedded CFF (bare or inside OpenType)."""
    if subtype == "/OpenType":
        program = TTFont(io.BytesIO(program)).reader["CFF "]
    font_set = CFFFontSet()
    font_set.decompile(io.BytesIO(program), None)
    top = font_set.topDictIndex[0]
    strings = top.CharStrings
    out = {}
    for name in top.charset:
        charstring = strings[name]
        charstring.compile()
        out[0 if name == ".notdef" else int(name[3:])] = charstring.bytecode
    return out


@pytest.mark.parametrize("values", [HANS, HK], ids=["SC", "HK"])
def test_same_text_widths_and_outlines_far_fewer_bytes(values):
    ours, theirs = both(values)
    assert subset.subset_faces > 0
    assert contents(ours) == contents(theirs)  # glyph codes in the pages untouched
    our_fonts, their_fonts = fonts_of(ours), fonts_of(theirs)
    assert our_fonts.keys() == their_fonts.keys() and len(our_fonts) == 3
    for name, our in our_fonts.items():
        their = their_fonts[name]
        assert widths(our["W"], used_by(their)) == widths(their["W"], used_by(their))
        assert 1000 not in flat(our["W"])  # the default width /DW is never listed
        assert bfchars(our["ToUnicode"]) == sorted(bfchars(their["ToUnicode"]))
        assert our["Encoding"] == their["Encoding"] == "/Identity-H"
        assert (our["Subtype"], their["Subtype"]) == ("/CIDFontType0C", "/OpenType")
        # WeasyPrint's subset keeps every glyph at its old ID: CID = glyph ID there.
        wanted = cid_charstrings(their["program"], their["Subtype"])
        got = cid_charstrings(our["program"], our["Subtype"])
        used = drawn(our["ToUnicode"])
        assert used and used <= got.keys()
        for cid in used | {0}:
            assert got[cid] == wanted[cid], (name, cid)
        assert len(our["program"]) * 5 < len(their["program"])
    assert len(ours) * 3 < len(theirs)
    assert pypdf.PdfReader(io.BytesIO(ours)).pages[0].extract_text() == \
        pypdf.PdfReader(io.BytesIO(theirs)).pages[0].extract_text()


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
def test_pages_rasterise_to_the_same_pixels(tmp_path):
    for name, pdf in zip(("ours", "theirs"), both(HANS)):
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "100", "-gray", tmp_path / f"{name}.pdf",
                        tmp_path / name], check=True)
    ours = sorted(tmp_path.glob("ours*.pgm"))
    assert ours
    for page in ours:
        assert page.read_bytes() == (tmp_path / page.name.replace("ours", "theirs")).read_bytes()


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils not installed")
def test_pdffonts_sees_embedded_subset_cid_cff(tmp_path):
    path = tmp_path / "a.pdf"
    path.write_bytes(render(HANS))
    listing = subprocess.run(["pdffonts", path], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    assert len(listing) == 3
    for line in listing:
        assert re.search(r"CID Type 0C\s+Identity-H\s+yes yes yes", line), line


def test_subset_tag_names_the_glyph_set():
    """Two documents' different subsets of one face get different tags (an issue joins them in
    one file); the same glyphs, the same tag."""
    def tags(pdf):
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        return {str(f.get_object()["/BaseFont"]).split("+")[1]: str(f.get_object()["/BaseFont"])
                for f in reader.pages[0]["/Resources"]["/Font"].values()}

    first, again = tags(render(HANS)), tags(render(HANS))
    other = tags(render(dict(HANS, text="工会", bold="职工", title="龙岩")))
    assert first == again and first.keys() == other.keys()
    assert all(first[face] != other[face] for face in first)
    for name in first.values():
        assert re.fullmatch(r"/[A-Z]{6}\+Noto-\w+-CJK-SC(-Bold)?", name), name


def test_deterministic():
    assert render(HANS) == render(HANS)


def test_no_whole_face_read():
    """paiban.render.memory defers reading each 19-27 MB collection until someone needs it;
    the subset is made from the HarfBuzz face, so no one does."""
    assert memory.installed()
    before = memory.reads, subset.subset_faces
    render(HK)
    assert memory.reads == before[0]
    assert subset.subset_faces == before[1] + 3


def test_pdf_1_4_cidset_lists_the_cids():
    """PDF 1.4 (PDF/X-1a) gets a CIDSet; it is indexed by CID, which the patch leaves alone."""
    ours, theirs = both(HANS, pdf_version="1.4")

    def cidsets(pdf):
        fonts = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values()
        descriptors = (f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                       for f in fonts)
        return sorted(d["/CIDSet"].get_data() for d in descriptors)
    assert cidsets(ours) == cidsets(theirs)


def test_other_fonts_keep_weasyprint_subsetting():
    """A TrueType face (no CFF charset to carry the CIDs) is subset and embedded as WeasyPrint
    does it (only its /W and ToUnicode are written the shorter way, as for every face)."""
    if not any("DejaVu Serif" in line for line in subprocess.run(
            ["fc-list", ":", "family"], capture_output=True, text=True).stdout.splitlines()):
        pytest.skip("no DejaVu Serif (fonts-dejavu-core) to test a TrueType face with")
    html = DOC.format(**HANS).replace('"Noto Serif CJK SC"', '"DejaVu Serif"').replace(
        "<p>", "<p>Workers’ union, 8070 yuan. ").replace('"Noto Sans CJK SC"', '"DejaVu Serif"')
    html = re.sub(r"[\u3000-\u9fff\uff00-\uffef“”]", "", html)
    before = subset.subset_faces
    ours = weasyprint.HTML(string=html).write_pdf(pdf_identifier=b"t")
    assert subset.subset_faces == before
    subset.uninstall()
    try:
        theirs = weasyprint.HTML(string=html).write_pdf(pdf_identifier=b"t")
    finally:
        subset.install()

    def programs(pdf: bytes) -> list[bytes]:
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        return [font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                .get_object()["/FontFile2"].get_object().get_data()
                for font in reader.pages[0]["/Resources"]["/Font"].values()]
    assert programs(ours) == programs(theirs) and programs(ours)
    assert contents(ours) == contents(theirs)


def test_font_stream_is_a_cid_keyed_cff_of_only_the_drawn_glyphs():
    pdf = render(HANS)
    for name, font in fonts_of(pdf).items():
        font_set = CFFFontSet()
        font_set.decompile(io.BytesIO(font["program"]), None)
        top = font_set.topDictIndex[0]
        assert top.ROS == ("Adobe", "Identity", 0)
        used = drawn(font["ToUnicode"]) | {0}
        cids = {0 if glyph == ".notdef" else int(glyph[3:]) for glyph in top.charset}
        # The drawn glyphs, .notdef, and at most a few variation-sequence alternates that
        # HarfBuzz keeps with them.
        assert used <= cids and len(cids) <= len(used) + 8, name


def test_glyph_missing_from_every_font_still_maps_to_the_notdef_outline():
    """A character no font has: WeasyPrint draws .notdef through its own encoding CMap (codes
    past the font's glyphs → CID 0). The subset keeps .notdef's outline for it, at CID 0."""
    values = dict(HANS, text=HANS["text"] + "\U000F0041")  # a private-use plane: no font has it
    ours, theirs = both(values)
    assert contents(ours) == contents(theirs)

    def encodings(pdf):
        reader = pypdf.PdfReader(io.BytesIO(pdf))
        return {str(f.get_object()["/BaseFont"]).split("+")[1]:
                f.get_object()["/Encoding"].get_object()
                for f in reader.pages[0]["/Resources"]["/Font"].values()}

    our_cmaps, their_cmaps = encodings(ours), encodings(theirs)
    with_missing = [name for name, e in their_cmaps.items() if not isinstance(e, str)]
    assert with_missing, "WeasyPrint drew no .notdef: pick another missing character"
    for name in with_missing:
        assert our_cmaps[name].get_data() == their_cmaps[name].get_data()
        assert b"> 0" in our_cmaps[name].get_data()  # the missing code goes to CID 0
        ours_font, theirs_font = fonts_of(ours)[name], fonts_of(theirs)[name]
        assert ours_font["Subtype"] == "/CIDFontType0C"
        got = cid_charstrings(ours_font["program"], ours_font["Subtype"])
        wanted = cid_charstrings(theirs_font["program"], theirs_font["Subtype"])
        assert got[0] == wanted[0] and len(got[0]) > 10  # an outline, not an empty glyph
