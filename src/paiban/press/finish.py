"""Completes a print PDF in WeasyPrint's own object tree, just before it is written.

In: the ``Job`` (variant, output profile, marks, proof, a content-derived document ID), and
WeasyPrint's ``Document`` and ``pydyf.PDF`` (through ``write_pdf(finisher=...)``).
Out: the same ``pydyf.PDF``, with

- the OutputIntent (``/GTS_PDFX``) naming the condition as the ICC registry does
  (OutputConditionIdentifier ``FOGRA39``, RegistryName ``http://www.color.org``) and embedding
  the characterised profile as DestOutputProfile (WeasyPrint writes one only for a
  ``@color-profile`` rule, named after the profile's description);
- page boxes: TrimBox the trim, BleedBox the trim plus the layout's CSS bleed (WeasyPrint clamps
  it to 10 pt), MediaBox the bleed plus a slug for marks and the proof stamp when either is on;
- crop and registration marks drawn in registration colour (all four inks), outside the bleed;
- RGB images tagged with the sRGB profile (X-4), so no DeviceRGB is left;
- an XMP DocumentID derived from the content instead of WeasyPrint's random ``uuid4()``.

Working on the object tree costs nothing measurable; rewriting the written file would.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from importlib.resources import files

import pydyf

from paiban.press import Variant
from paiban.press.profile import Profile

MM = 72 / 25.4
SLUG = 10 * MM
"""Slug beyond the bleed when marks or the proof stamp are on: marks from 2 mm outside the
bleed to 8 mm outside it, registration targets centred 6 mm outside it."""
MARK_WIDTH = 0.3
"""Mark line width in points (the preflight calls anything under 0.25 pt a hairline)."""


@dataclass(slots=True, frozen=True)
class Job:
    variant: Variant
    profile: Profile | None
    marks: bool = False
    proof: bool = False
    document_id: str = ""
    """Hex digest of what the PDF is made from; becomes the XMP DocumentID."""


def metadata_class():
    """A ``DocumentMetadata`` whose XMP DocumentID is ``document_id``, not ``uuid4()``."""
    from weasyprint.pdf.metadata import DocumentMetadata

    class Metadata(DocumentMetadata):
        document_id = ""

        def generate_rdf_metadata(self, variant, version, conformance):
            xml = super().generate_rdf_metadata(variant, version, conformance)
            start = xml.find(b"xmp.did:")
            if start < 0 or not self.document_id:
                return xml
            end = xml.index(b"<", start)
            fixed = uuid.UUID(self.document_id[:32])
            return xml[:start] + f"xmp.did:{fixed}".encode() + xml[end:]

    return Metadata


def prepare(document, job: Job) -> None:
    """Before writing: the deterministic metadata class on ``document``."""
    cls = metadata_class()
    document.metadata.__class__ = cls
    document.metadata.document_id = job.document_id
    _CMYK_PROFILE[0] = job.profile.icc if job.profile is not None else None
    install()


def finisher(job: Job):
    def finish(document, pdf: pydyf.PDF) -> None:
        pages = [o for o in pdf.objects
                 if isinstance(o, pydyf.Dictionary) and o.get("Type") == "/Page"]
        for page, pdf_page in zip(document.pages, pages):
            _boxes(pdf, page, pdf_page, job)
        if job.variant.cmyk and job.profile is not None:
            _output_intent(pdf, job.profile)
        if job.variant.name == "x-4":
            _tag_rgb_images(pdf)
        if job.variant.cmyk:
            _drop_unused_lab(pdf)
        if job.proof:
            # The preflight reads this: placeholder frames are allowed in a proof.
            pdf.info["PaibanProof"] = pydyf.String("true")
    return finish


def _output_intent(pdf: pydyf.PDF, profile: Profile) -> None:
    stream = pydyf.Stream([profile.data()], pydyf.Dictionary({"N": 4}), compress=True)
    pdf.add_object(stream)
    intent = pydyf.Dictionary({
        "Type": "/OutputIntent",
        "S": "/GTS_PDFX",
        "OutputConditionIdentifier": pydyf.String(profile.identifier),
        "Info": pydyf.String(profile.info),
        "DestOutputProfile": stream.reference,
    })
    if profile.registry:
        intent["RegistryName"] = pydyf.String(profile.registry)
    # Indirect, so that tools copying it between files (the issue assembler) can.
    pdf.add_object(intent)
    intents = pydyf.Array([intent.reference])
    pdf.add_object(intents)
    pdf.catalog["OutputIntents"] = intents.reference


def _drop_unused_lab(pdf: pydyf.PDF) -> None:
    """WeasyPrint declares two Lab colour spaces in every document's resources; a print PDF
    that never paints in Lab should not carry them (an X-1a checker flags any Lab)."""
    streams = [o for o in pdf.objects if isinstance(o, pydyf.Stream)]
    for obj in pdf.objects:
        if not isinstance(obj, pydyf.Dictionary) or "lab-d50" not in obj:
            continue
        for name in ("lab-d50", "lab-d65"):
            needle = f"/{name}".encode()
            if not any(needle in part for s in streams for part in s.stream
                       if isinstance(part, bytes)):
                del obj[name]


def _tag_rgb_images(pdf: pydyf.PDF) -> None:
    srgb = None
    for obj in list(pdf.objects):
        if not isinstance(obj, pydyf.Stream) or obj.extra.get("Subtype") != "/Image":
            continue
        if obj.extra.get("ColorSpace") != "/DeviceRGB":
            continue
        if srgb is None:
            data = (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()
            profile = pydyf.Stream([data], pydyf.Dictionary({"N": 3}), compress=True)
            pdf.add_object(profile)
            srgb = pydyf.Array(("/ICCBased", profile.reference))
            pdf.add_object(srgb)
        obj.extra["ColorSpace"] = srgb.reference


def _boxes(pdf: pydyf.PDF, page, pdf_page: pydyf.Dictionary, job: Job) -> None:
    x0, y0, x1, y1 = pdf_page["TrimBox"]
    bleed = {side: value * 0.75 for side, value in page.bleed.items()}  # CSS px to pt
    box = (x0 - bleed["left"], y0 - bleed["top"], x1 + bleed["right"], y1 + bleed["bottom"])
    pdf_page["BleedBox"] = pydyf.Array(box)
    media = box
    if job.marks or job.proof:
        media = (box[0] - SLUG, box[1] - SLUG, box[2] + SLUG, box[3] + SLUG)
    pdf_page["MediaBox"] = pydyf.Array(media)
    if job.marks:
        stream = _object(pdf, pdf_page["Contents"])
        # WeasyPrint's stream starts by flipping the y axis without saving the state: put it
        # in q/Q so the marks are drawn in default PDF space.
        stream.stream.insert(0, b"q")
        stream.stream.append(b"Q")
        if job.variant.cmyk:
            _registration_space(pdf, pdf_page)
        stream.stream.extend(_marks((x0, y0, x1, y1), bleed, job))


REGISTRATION = "PaibanAll"
"""Resource name of the registration colour: ``[/Separation /All /DeviceCMYK …]``, which a RIP
puts on every separation, spot plates included (ISO 32000-1 8.6.6.4)."""


def _object(pdf: pydyf.PDF, value):
    """The object ``value`` refers to (``b"12 0 R"``), or ``value`` when it is inline."""
    if isinstance(value, (bytes, str)) and str(value if isinstance(value, str)
                                               else value.decode()).endswith(" R"):
        return pdf.objects[int(value.split()[0])]
    return value


def _registration_space(pdf: pydyf.PDF, pdf_page: pydyf.Dictionary) -> None:
    resources = _object(pdf, pdf_page["Resources"])
    if "ColorSpace" not in resources:
        resources["ColorSpace"] = pydyf.Dictionary()
    spaces = _object(pdf, resources["ColorSpace"])
    if REGISTRATION not in spaces:
        tint = pydyf.Dictionary({"FunctionType": 2, "Domain": pydyf.Array([0, 1]),
                                 "C0": pydyf.Array([0, 0, 0, 0]),
                                 "C1": pydyf.Array([1, 1, 1, 1]), "N": 1})
        spaces[REGISTRATION] = pydyf.Array(["/Separation", "/All", "/DeviceCMYK", tint])


def _marks(trim, bleed, job: Job) -> list[bytes]:
    """Crop marks at the trim lines and registration targets at the middle of each side,
    outside the bleed, in registration colour: the Separation /All of ``REGISTRATION`` in the
    print variants (every plate, 100 %), black in the screen variant."""
    x0, y0, x1, y1 = trim
    gap, length = 2 * MM, 6 * MM
    colour = f"/{REGISTRATION} CS 1 SCN".encode() if job.variant.cmyk else b"0 G"
    out = [b"/Artifact BMC" if job.variant.tagged else b"", b"q", f"{MARK_WIDTH} w".encode(),
           colour, b"0 J"]
    lines = []
    for x, outward in ((x0, -1), (x1, 1)):
        for y in (y0, y1):
            # Horizontal mark on the trim line y, beyond the bleed on the x side.
            b = bleed["left"] if outward < 0 else bleed["right"]
            lines.append((x + outward * (b + gap), y, x + outward * (b + gap + length), y))
    for y, outward in ((y0, -1), (y1, 1)):
        for x in (x0, x1):
            b = bleed["top"] if outward < 0 else bleed["bottom"]
            lines.append((x, y + outward * (b + gap), x, y + outward * (b + gap + length)))
    for ax, ay, bx, by in lines:
        out.append(f"{ax:.3f} {ay:.3f} m {bx:.3f} {by:.3f} l S".encode())
    r = 2 * MM
    mid_x, mid_y = (x0 + x1) / 2, (y0 + y1) / 2
    centres = ((mid_x, y0 - bleed["top"] - gap - r), (mid_x, y1 + bleed["bottom"] + gap + r),
               (x0 - bleed["left"] - gap - r, mid_y), (x1 + bleed["right"] + gap + r, mid_y))
    k = 0.5523 * r
    for cx, cy in centres:
        out.append(
            (f"{cx + r:.3f} {cy:.3f} m "
             f"{cx + r:.3f} {cy + k:.3f} {cx + k:.3f} {cy + r:.3f} {cx:.3f} {cy + r:.3f} c "
             f"{cx - k:.3f} {cy + r:.3f} {cx - r:.3f} {cy + k:.3f} {cx - r:.3f} {cy:.3f} c "
             f"{cx - r:.3f} {cy - k:.3f} {cx - k:.3f} {cy - r:.3f} {cx:.3f} {cy - r:.3f} c "
             f"{cx + k:.3f} {cy - r:.3f} {cx + r:.3f} {cy - k:.3f} {cx + r:.3f} {cy:.3f} c S "
             f"{cx - 1.5 * r:.3f} {cy:.3f} m {cx + 1.5 * r:.3f} {cy:.3f} l S "
             f"{cx:.3f} {cy - 1.5 * r:.3f} m {cx:.3f} {cy + 1.5 * r:.3f} l S").encode())
    out.append(b"Q")
    if job.variant.tagged:
        out.append(b"EMC")
    return [line for line in out if line]


_CMYK_PROFILE: list = [None]
"""The output profile of the document being written (one at a time per process)."""


def install() -> None:
    """A safety net under the stylesheets: in a print variant (WeasyPrint's output intent
    ``device-cmyk``), any sRGB colour still asked for (a browser default, an SVG's black) is
    written as CMYK: greys as black ink only, other colours through the output profile."""
    from weasyprint.pdf.stream import Stream

    if getattr(Stream.set_color, "_paiban", False):
        return
    original = Stream.set_color

    def set_color(self, color, stroke=False):
        if self._output_intent == "device-cmyk" and color.space in ("srgb", "hsl", "hwb"):
            color = _as_cmyk(color)
        return original(self, color, stroke)

    set_color._paiban = True
    Stream.set_color = set_color


def _as_cmyk(color):
    from tinycss2.color5 import parse_color

    r, g, b = (min(1.0, max(0.0, v)) for v in color.to("srgb").coordinates)
    alpha = color.alpha
    if abs(r - g) < 1e-3 and abs(g - b) < 1e-3:
        c = m = y = 0.0
        k = 1 - r
    else:
        c, m, y, k = _profile_cmyk(round(r * 255), round(g * 255), round(b * 255))
    return parse_color(f"device-cmyk({c:.4f} {m:.4f} {y:.4f} {k:.4f} / {alpha})")


def _profile_cmyk(r: int, g: int, b: int) -> tuple[float, float, float, float]:
    from PIL import Image

    from paiban.press.colour import _to_cmyk

    profile = _CMYK_PROFILE[0]
    if profile is None:
        k = 1 - max(r, g, b) / 255
        return tuple((1 - v / 255 - k) / (1 - k) if k < 1 else 0.0 for v in (r, g, b)) + (k,)
    pixel = Image.new("RGB", (1, 1), (r, g, b))
    return tuple(v / 255 for v in _to_cmyk(profile).apply(pixel).getpixel((0, 0)))
