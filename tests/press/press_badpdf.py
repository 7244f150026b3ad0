"""Small PDFs built from scratch with pikepdf: one clean PDF/X-4 page, and the same page with
one fault each, for the preflight tests. Page: 200 × 200 pt trim, 9 pt bleed."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pikepdf
from PIL import Image

from paiban.press.profile import CONDITIONS, build

TRIM = (0, 0, 200, 200)
BLEED = (-9, -9, 209, 209)

XMP = b"""<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion></rdf:Description>
</rdf:RDF></x:xmpmeta>
<?xpacket end="r"?>"""


def profile_bytes() -> bytes:
    return build(CONDITIONS["fogra39"]).read_bytes()


def make(path: Path, content: bytes = b"0 0 0 0.5 k 20 20 50 50 re f", *, resources=None,
         profile: bytes | None | str = "default", trim=True, bleed=True, xmp=XMP,
         version="1.6", setup=None) -> Path:
    """A one-page PDF/X-4 with ``content``; the keywords take one piece away."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    page.MediaBox = pikepdf.Array([-20, -20, 220, 220])
    if trim:
        page.TrimBox = pikepdf.Array(list(TRIM))
    if bleed:
        page.BleedBox = pikepdf.Array(list(BLEED))
    page.Contents = pdf.make_stream(content)
    page.Resources = pdf.make_indirect(pikepdf.Dictionary(resources or {}))
    if xmp:
        pdf.Root.Metadata = pdf.make_stream(xmp, Type=pikepdf.Name.Metadata,
                                            Subtype=pikepdf.Name.XML)
    if profile == "default":
        profile = profile_bytes()
    intent = pikepdf.Dictionary(Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
                                OutputConditionIdentifier=pikepdf.String("FOGRA39"),
                                RegistryName=pikepdf.String("http://www.color.org"))
    if profile is not None:
        intent.DestOutputProfile = pdf.make_stream(profile, N=4)
    pdf.Root.OutputIntents = pikepdf.Array([intent])
    if setup:
        setup(pdf, page)
    pdf.save(path, min_version=version, force_version=version, deterministic_id=True)
    return path


def image(pdf: pikepdf.Pdf, size: tuple[int, int], mode: str = "CMYK") -> pikepdf.Stream:
    """A flat-colour image XObject of ``size`` pixels."""
    colour = {"CMYK": (0, 80, 80, 0), "RGB": (200, 40, 40)}[mode]
    data = Image.new(mode, size, colour).tobytes()
    return pdf.make_stream(zlib.compress(data), Type=pikepdf.Name.XObject,
                           Subtype=pikepdf.Name.Image, Width=size[0], Height=size[1],
                           BitsPerComponent=8, Filter=pikepdf.Name.FlateDecode,
                           ColorSpace=pikepdf.Name("/Device" + mode))


def font(pdf: pikepdf.Pdf, embedded: bool = True) -> pikepdf.Dictionary:
    """A simple TrueType font, its file embedded or not."""
    descriptor = pikepdf.Dictionary(Type=pikepdf.Name.FontDescriptor,
                                    FontName=pikepdf.Name("/DejaVuSans"), Flags=32,
                                    FontBBox=[0, -200, 1000, 900], ItalicAngle=0, Ascent=900,
                                    Descent=-200, CapHeight=700, StemV=80)
    if embedded:
        data = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").read_bytes()
        descriptor.FontFile2 = pdf.make_stream(data)
    return pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.TrueType,
        BaseFont=pikepdf.Name("/DejaVuSans"), FirstChar=32, LastChar=126,
        Widths=[600] * 95, FontDescriptor=pdf.make_indirect(descriptor)))
