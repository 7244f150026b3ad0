"""``paiban check --preflight``: what a print shop's preflight checks, on a written PDF.

In: a PDF path (and the TAC limit). Out: a list of ``Finding`` (page, object, rule, severity,
message), printed by the CLI one line each; any ``error`` makes the exit code 1.

Read with pikepdf (content streams parsed, Form XObjects followed with their own resources and
transformation) and Ghostscript (total area coverage on a CMYK raster through the PDF's own
output profile). Rules:

``pdfx``         PDF/X identification: GTS_PDFX OutputIntent, XMP pdfxid:GTS_PDFXVersion (X-4)
                 or Info GTS_PDFXVersion (X-1a); PDF version fits the variant
``profile``      DestOutputProfile embedded, 4 components (CMYK), OutputConditionIdentifier
``rgb``          DeviceRGB or (in X-1a) any RGB/Lab/ICC colour in content, images, shadings,
                 transparency groups, annotations
``transparency`` soft masks, constant alpha < 1, blend modes, transparency groups (X-1a)
``font``         every font embedded, no Type 3
``boxes``        TrimBox and BleedBox on every page, BleedBox ⊇ TrimBox, MediaBox ⊇ BleedBox
``bleed``        anything painted that reaches the trim edge extends to the bleed edge
``annotation``   annotations inside the bleed box (not allowed in PDF/X)
``image-ppi``    effective resolution at the placed size: error < 150, warning < 300
``tac``          total area coverage above the limit (default 300 %), per 0.5 mm area
``hairline``     stroked lines thinner than 0.25 pt
``small-text``   text smaller than 6 pt
``placeholder``  an empty photo frame: an error unless the PDF is a proof (``--proof``)
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SEVERITIES = ("error", "warning", "info")

MIN_PPI_ERROR = 150
MIN_PPI_WARNING = 300
HAIRLINE = 0.25
MIN_TEXT = 6.0
TAC_LIMIT = 300
TAC_DPI = 50
"""Raster for the coverage: one pixel is 0.5 mm square."""
EPS = 0.5
"""Points of tolerance for box and trim-edge comparisons."""


@dataclass(slots=True, frozen=True)
class Finding:
    page: int | None
    """1-based page number; None for the document."""
    object: str
    """What the finding is about: ``image /Im3``, ``content``, ``OutputIntent``, ``font F1``…"""
    rule: str
    severity: str
    """``error`` (the shop would reject it), ``warning``, ``info``."""
    message: str

    def line(self, path: str = "") -> str:
        where = f"page {self.page}" if self.page else "document"
        prefix = f"{path}: " if path else ""
        return f"{prefix}{where}: {self.severity}: {self.rule}: {self.object}: {self.message}"


@dataclass(slots=True)
class _Doc:
    variant: str
    """``x-4``, ``x-1a``, ``x-3`` or ``""`` (not PDF/X)."""
    proof: bool


class _Findings(list):
    def add(self, page, obj, rule, severity, message) -> None:
        finding = Finding(page, str(obj), rule, severity, message)
        if finding not in self:
            self.append(finding)


def preflight(path: Path, *, tac_limit: int = TAC_LIMIT, ink: bool = True) -> list[Finding]:
    """Every finding for the PDF at ``path`` (``ink=False`` skips the Ghostscript coverage)."""
    import pikepdf

    found = _Findings()
    try:
        pdf = pikepdf.open(path)
    except (pikepdf.PdfError, OSError) as exc:
        found.add(None, "file", "pdf", "error", f"not a readable PDF: {exc}")
        return list(found)
    with pdf:
        doc = _identify(pdf, found)
        profile = _output_intent(pdf, doc, found)
        for number, page in enumerate(pdf.pages, start=1):
            _page(pdf, page, number, doc, found)
        _placeholders(pdf, doc, found)
    if ink and profile is not None:
        _coverage(path, profile, tac_limit, found)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(found, key=lambda f: (f.page or 0, order[f.severity], f.rule))


# -- document ---------------------------------------------------------------------------------

def _identify(pdf, found: _Findings) -> _Doc:
    info = pdf.docinfo if "/Info" in pdf.trailer else {}
    proof = str(info.get("/PaibanProof", "")) == "true"
    xmp = b""
    if "/Metadata" in pdf.Root:
        xmp = pdf.Root.Metadata.read_bytes()
    m = re.search(rb"<pdfxid:GTS_PDFXVersion>([^<]+)<", xmp)
    xmp_version = m[1].decode() if m else ""
    info_version = str(info.get("/GTS_PDFXVersion", "")) if info else ""
    version = xmp_version or info_version
    variant = ""
    if version.startswith("PDF/X-4"):
        variant = "x-4"
    elif version.startswith("PDF/X-1a"):
        variant = "x-1a"
    elif version.startswith("PDF/X-3"):
        variant = "x-3"
    if not variant:
        found.add(None, "Metadata", "pdfx", "error",
                  "no PDF/X identification (XMP pdfxid:GTS_PDFXVersion / Info GTS_PDFXVersion)")
        return _Doc("", proof)
    if variant == "x-4" and not xmp_version:
        found.add(None, "Metadata", "pdfx", "error", "PDF/X-4 needs pdfxid:GTS_PDFXVersion in XMP")
    if variant in ("x-1a", "x-3") and not info_version:
        found.add(None, "Info", "pdfx", "error", f"{version} needs GTS_PDFXVersion in Info")
    limit = "1.6" if variant == "x-4" else "1.4"
    if pdf.pdf_version > limit:
        found.add(None, "header", "pdfx", "error",
                  f"PDF {pdf.pdf_version} is newer than {version} allows ({limit})")
    return _Doc(variant, proof)


def _output_intent(pdf, doc: _Doc, found: _Findings) -> bytes | None:
    intents = pdf.Root.get("/OutputIntents")
    pdfx = [i for i in (intents or []) if i.get("/S") == "/GTS_PDFX"]
    if not pdfx:
        found.add(None, "OutputIntents", "pdfx", "error", "no GTS_PDFX OutputIntent")
        return None
    intent = pdfx[0]
    if not str(intent.get("/OutputConditionIdentifier", "")).strip():
        found.add(None, "OutputIntent", "profile", "error", "no OutputConditionIdentifier")
    dest = intent.get("/DestOutputProfile")
    if dest is None:
        found.add(None, "OutputIntent", "profile", "error",
                  "no embedded output profile (DestOutputProfile)")
        return None
    data = dest.read_bytes()
    if int(dest.get("/N", 0)) != 4 or data[16:20] != b"CMYK":
        found.add(None, "OutputIntent", "profile", "error",
                  "the output profile is not a 4-component CMYK profile")
        return None
    if str(intent.get("/RegistryName", "")) == "":
        found.add(None, "OutputIntent", "profile", "info",
                  f"condition {intent.get('/OutputConditionIdentifier')} names no registry")
    return data


def _placeholders(pdf, doc: _Doc, found: _Findings) -> None:
    names = pdf.Root.get("/Names")
    dests = names.get("/Dests") if names is not None else None
    if dests is None:
        return
    pages = {p.objgen: i for i, p in enumerate(pdf.pages, start=1)}
    items = list(dests.get("/Names", []))
    for name, dest in zip(items[::2], items[1::2]):
        name = str(name)
        if not name.startswith("placeholder-"):
            continue
        target = dest[0] if len(dest) else None
        page = pages.get(target.objgen) if target is not None else None
        severity = "info" if doc.proof else "error"
        found.add(page, f"figure {name.removeprefix('placeholder-')}", "placeholder", severity,
                  "empty photo frame" + (" (proof)" if doc.proof else
                                         ": place the photo, or build a proof with --proof"))


# -- pages ------------------------------------------------------------------------------------

def _box(page, name):
    box = page.get(name)
    return tuple(float(v) for v in box) if box is not None else None


def _contains(outer, inner) -> bool:
    return (outer[0] <= inner[0] + EPS and outer[1] <= inner[1] + EPS
            and outer[2] >= inner[2] - EPS and outer[3] >= inner[3] - EPS)


def _page(pdf, page, number: int, doc: _Doc, found: _Findings) -> None:
    media = _box(page, "/MediaBox")
    trim = _box(page, "/TrimBox")
    bleed = _box(page, "/BleedBox")
    if trim is None:
        found.add(number, "page", "boxes", "error", "no TrimBox")
    if bleed is None:
        found.add(number, "page", "boxes", "error", "no BleedBox")
    if trim and bleed and not _contains(bleed, trim):
        found.add(number, "page", "boxes", "error", "BleedBox does not contain the TrimBox")
    if media and bleed and not _contains(media, bleed):
        found.add(number, "page", "boxes", "error", "MediaBox does not contain the BleedBox")
    for annot in page.get("/Annots", []) or []:
        subtype = str(annot.get("/Subtype", ""))
        rect = tuple(float(v) for v in annot.get("/Rect", (0, 0, 0, 0)))
        if subtype in ("/PrinterMark", "/TrapNet"):
            continue
        area = bleed or media
        if area and rect[0] < area[2] and rect[2] > area[0] and rect[1] < area[3] and rect[3] > area[1]:
            found.add(number, f"annotation {subtype}", "annotation", "error",
                      "annotation inside the bleed box (PDF/X allows none)")
        if len(annot.get("/C", [])) == 3 and doc.variant == "x-1a":
            found.add(number, f"annotation {subtype}", "rgb", "error", "RGB annotation colour")
    walker = _Walker(pdf, number, doc, found, trim, bleed)
    walker.run(page.obj.get("/Resources"), page)


class _Walker:
    """Follows one page's content, and the Form XObjects it paints, with the graphics state
    that matters here: transformation, line width, text size, clip and colour spaces."""

    def __init__(self, pdf, page: int, doc: _Doc, found: _Findings, trim, bleed) -> None:
        self.pdf = pdf
        self.page = page
        self.doc = doc
        self.found = found
        self.trim = trim
        self.bleed = bleed
        self.seen_forms: set = set()

    def add(self, obj, rule, severity, message) -> None:
        self.found.add(self.page, obj, rule, severity, message)

    # colour spaces
    def check_space(self, space, where: str, resources=None) -> None:
        import pikepdf

        if isinstance(space, pikepdf.Name) and resources is not None:
            named = (resources.get("/ColorSpace") or {}).get(space)
            if named is not None:
                space = named
        family, n = _space_family(space)
        if family == "DeviceRGB" or family == "CalRGB":
            self.add(where, "rgb", "error", f"{family} colour")
        elif family == "ICCBased" and n == 3 and self.doc.variant == "x-1a":
            self.add(where, "rgb", "error", "ICC-based RGB colour (X-1a allows only CMYK)")
        elif family == "Lab" and self.doc.variant == "x-1a":
            self.add(where, "rgb", "error", "Lab colour (X-1a allows only CMYK)")
        elif family == "Indexed" or family in ("Separation", "DeviceN"):
            base = space[1] if family == "Indexed" else space[2]
            self.check_space(base, where, resources)

    def transparency(self, where: str, what: str) -> None:
        if self.doc.variant == "x-1a":
            self.add(where, "transparency", "error", f"{what} (X-1a allows no transparency)")

    def run(self, resources, page) -> None:
        import pikepdf

        try:
            ops = pikepdf.parse_content_stream(page)
        except pikepdf.PdfError as exc:
            self.add("content", "pdf", "error", f"unreadable content stream: {exc}")
            return
        self.walk(ops, resources or pikepdf.Dictionary(), (1, 0, 0, 1, 0, 0), "content")

    def walk(self, ops, resources, ctm, where: str) -> None:  # noqa: C901 - one operator switch
        stack = []
        width = 1.0
        clip = None
        path: list[tuple[float, float]] = []
        pending_clip = False
        font_size = 0.0
        tm = (1, 0, 0, 1, 0, 0)
        for operands, op in ops:
            op = str(op)
            if op == "q":
                stack.append((ctm, width, clip))
            elif op == "Q" and stack:
                ctm, width, clip = stack.pop()
            elif op == "cm":
                ctm = _mul(tuple(float(v) for v in operands), ctm)
            elif op == "w":
                width = float(operands[0])
            elif op in ("rg", "RG"):
                self.add(where, "rgb", "error", f"DeviceRGB colour ({op})")
            elif op in ("cs", "CS"):
                self.check_space(operands[0], f"{where} colour space {operands[0]}", resources)
            elif op == "gs":
                self.ext_gstate(resources, operands[0], where)
            elif op == "re":
                x, y, w, h = (float(v) for v in operands)
                path += [_apply(ctm, x, y), _apply(ctm, x + w, y + h),
                         _apply(ctm, x, y + h), _apply(ctm, x + w, y)]
            elif op in ("m", "l"):
                path.append(_apply(ctm, float(operands[0]), float(operands[1])))
            elif op in ("c", "v", "y"):
                values = [float(v) for v in operands]
                path += [_apply(ctm, values[i], values[i + 1]) for i in range(0, len(values), 2)]
            elif op in ("W", "W*"):
                pending_clip = True
            elif op in ("n", "f", "F", "f*", "B", "B*", "b", "b*", "S", "s"):
                box = _bbox(path)
                if op in ("S", "s", "B", "B*", "b", "b*"):
                    self.stroke(width, ctm, where)
                if op != "n" and box is not None:
                    self.painted(_intersect(box, clip), where)
                if pending_clip and box is not None:
                    clip = _intersect(box, clip)
                pending_clip = False
                path = []
            elif op == "BT":
                tm = (1, 0, 0, 1, 0, 0)
            elif op == "Tf":
                font_size = float(operands[1])
                self.font(resources, operands[0], where)
            elif op == "Tm":
                tm = tuple(float(v) for v in operands)
            elif op in ("Tj", "TJ", "'", '"'):
                m = _mul(tm, ctm)
                size = abs(font_size) * math.hypot(m[2], m[3])
                if 0 < size < MIN_TEXT - 0.01:
                    self.add(f"{where} text", "small-text", "warning",
                             f"text set at {size:.1f} pt (under {MIN_TEXT:g} pt)")
            elif op == "sh":
                shading = (resources.get("/Shading") or {}).get(operands[0])
                if shading is not None:
                    self.check_space(shading.get("/ColorSpace"), f"shading {operands[0]}",
                                     resources)
                if clip is not None:
                    self.painted(clip, where)
            elif op == "Do":
                xobject = (resources.get("/XObject") or {}).get(operands[0])
                if xobject is not None:
                    self.xobject(xobject, str(operands[0]), resources, ctm, clip)
            elif op == "INLINE IMAGE":
                self.add(f"{where} inline image", "image-ppi", "info", "inline image not checked")

    def stroke(self, width: float, ctm, where: str) -> None:
        effective = width * math.sqrt(abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]))
        if effective == 0:
            self.add(f"{where} line", "hairline", "error",
                     "zero-width line (thinnest the device can draw)")
        elif effective < HAIRLINE - 0.001:
            self.add(f"{where} line", "hairline", "warning",
                     f"line {effective:.2f} pt wide (under {HAIRLINE} pt)")

    def painted(self, box, where: str) -> None:
        """``box`` was painted: if it reaches a trim edge, it must reach the bleed edge."""
        if box is None or self.trim is None or self.bleed is None:
            return
        x0, y0, x1, y1 = box
        t0, u0, t1, u1 = self.trim
        b0, v0, b1, v1 = self.bleed
        if x1 <= t0 or x0 >= t1 or y1 <= u0 or y0 >= u1:
            return  # outside the trim entirely (marks, slug)
        short = []
        if x0 <= t0 + EPS and x0 > b0 + EPS and b0 < t0 - EPS:
            short.append("left")
        if x1 >= t1 - EPS and x1 < b1 - EPS and b1 > t1 + EPS:
            short.append("right")
        if y0 <= u0 + EPS and y0 > v0 + EPS and v0 < u0 - EPS:
            short.append("bottom")
        if y1 >= u1 - EPS and y1 < v1 - EPS and v1 > u1 + EPS:
            short.append("top")
        if short:
            self.add(where, "bleed", "error",
                     f"reaches the trim edge ({', '.join(short)}) but stops short of the bleed")

    def font(self, resources, name, where: str) -> None:
        font = (resources.get("/Font") or {}).get(name)
        if font is None:
            return
        label = f"font {str(font.get('/BaseFont', name)).lstrip('/')}"
        subtype = str(font.get("/Subtype", ""))
        if subtype == "/Type3":
            self.add(label, "font", "error", "Type 3 font")
            return
        descriptor = font.get("/FontDescriptor")
        if subtype == "/Type0":
            descendants = font.get("/DescendantFonts") or []
            descriptor = descendants[0].get("/FontDescriptor") if len(descendants) else None
        if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2",
                                                                    "/FontFile3")):
            self.add(label, "font", "error", "font not embedded")

    def ext_gstate(self, resources, name, where: str) -> None:
        state = (resources.get("/ExtGState") or {}).get(name)
        if state is None:
            return
        smask = state.get("/SMask")
        if smask is not None and str(smask) != "/None":
            self.transparency(f"graphics state {name}", "soft mask")
        for key in ("/CA", "/ca"):
            if key in state and float(state[key]) < 1:
                self.transparency(f"graphics state {name}", f"constant alpha {float(state[key]):g}")
        mode = state.get("/BM")
        if mode is not None and str(mode) not in ("/Normal", "/Compatible"):
            self.transparency(f"graphics state {name}", f"blend mode {mode}")

    def xobject(self, xobject, name: str, resources, ctm, clip) -> None:
        import pikepdf

        subtype = str(xobject.get("/Subtype", ""))
        if subtype == "/Image":
            self.image(xobject, name, ctm, clip)
            return
        if subtype != "/Form":
            return
        group = xobject.get("/Group")
        if group is not None and group.get("/S") == "/Transparency":
            self.transparency(f"form {name}", "transparency group")
            if "/CS" in group:
                self.check_space(group["/CS"], f"transparency group {name}", resources)
        matrix = tuple(float(v) for v in xobject.get("/Matrix", (1, 0, 0, 1, 0, 0)))
        key = (xobject.objgen, _round(_mul(matrix, ctm)))
        if key in self.seen_forms:
            return
        self.seen_forms.add(key)
        inner = xobject.get("/Resources") or resources
        try:
            ops = pikepdf.parse_content_stream(xobject)
        except pikepdf.PdfError:
            return
        self.walk(ops, inner, _mul(matrix, ctm), f"form {name}")

    def image(self, image, name: str, ctm, clip) -> None:
        where = f"image {name}"
        self.check_space(image.get("/ColorSpace"), where)
        if image.get("/ImageMask"):
            return
        if "/SMask" in image or "/Mask" in image and not isinstance(image.get("/Mask"), list):
            self.transparency(where, "image with a soft mask (alpha)")
        width_px, height_px = int(image.get("/Width", 0)), int(image.get("/Height", 0))
        placed_w = math.hypot(ctm[0], ctm[1]) / 72
        placed_h = math.hypot(ctm[2], ctm[3]) / 72
        if placed_w > 0 and placed_h > 0 and width_px > 1 and height_px > 1:
            ppi = min(width_px / placed_w, height_px / placed_h)
            if ppi < MIN_PPI_ERROR:
                self.add(where, "image-ppi", "error",
                         f"{ppi:.0f} ppi at the placed size (under {MIN_PPI_ERROR})")
            elif ppi < MIN_PPI_WARNING:
                self.add(where, "image-ppi", "warning",
                         f"{ppi:.0f} ppi at the placed size (under {MIN_PPI_WARNING})")
        corners = [_apply(ctm, x, y) for x, y in ((0, 0), (1, 0), (0, 1), (1, 1))]
        self.painted(_intersect(_bbox(corners), clip), where)


def _space_family(space) -> tuple[str, int]:
    import pikepdf

    if space is None:
        return "", 0
    if isinstance(space, pikepdf.Name):
        return str(space).lstrip("/"), 0
    if isinstance(space, pikepdf.Array) and len(space):
        family = str(space[0]).lstrip("/")
        n = int(space[1].get("/N", 0)) if family == "ICCBased" else 0
        return family, n
    return "", 0


def _mul(a, b):
    """a × b for PDF matrices (a applied first)."""
    return (a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5])


def _apply(m, x, y):
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _round(m):
    return tuple(round(v, 3) for v in m)


def _bbox(points):
    if not points:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def _intersect(a, b):
    if a is None or b is None:
        return a if b is None else (b if a is None else None)
    box = (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))
    return box if box[0] < box[2] and box[1] < box[3] else None


# -- ink --------------------------------------------------------------------------------------

def _coverage(path: Path, profile: bytes, limit: int, found: _Findings) -> None:
    """Total area coverage per 0.5 mm pixel of each page's bleed box, with Ghostscript
    rendering to CMYK through the PDF's own output profile (RGB and ICC colours converted as
    the RIP would; DeviceCMYK values kept)."""
    from PIL import Image, ImageMath

    gs = shutil.which("gs")
    if gs is None:
        found.add(None, "ink", "tac", "warning",
                  "Ghostscript (gs) not found: coverage not checked (apt-get install ghostscript)")
        return
    with tempfile.TemporaryDirectory(prefix="paiban-tac-") as tmp:
        icc = Path(tmp) / "out.icc"
        icc.write_bytes(profile)
        args = [gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiff32nc",
                f"-r{TAC_DPI}", "-dUseBleedBox", f"-sOutputICCProfile={icc}",
                # DeviceCMYK stays as written (same profile in and out: an identity link);
                # RGB and ICC colours are converted for the condition, as the RIP would.
                f"-sDefaultCMYKProfile={icc}",
                f"--permit-file-read={tmp}/", f"-sOutputFile={tmp}/p%04d.tif", str(path)]
        done = subprocess.run(args, capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            found.add(None, "ink", "tac", "error",
                      f"Ghostscript could not render the PDF: {done.stderr.strip()[:200]}")
            return
        for number, tif in enumerate(sorted(Path(tmp).glob("p*.tif")), start=1):
            with Image.open(tif) as image:
                c, m, y, k = image.split()
                total = ImageMath.lambda_eval(
                    lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
                peak = total.getextrema()[1] * 100 / 255
                if peak > limit + 0.5:
                    threshold = (limit + 0.5) * 255 / 100
                    over = ImageMath.lambda_eval(lambda a: (a["t"] > threshold) * 255, t=total)
                    x0, y0, x1, y1 = over.convert("L").getbbox() or (0, 0, 0, 0)
                    mm = 25.4 / TAC_DPI
                    found.add(number, "ink", "tac", "error",
                              f"total area coverage {peak:.0f} % (limit {limit} %) in the area "
                              f"{x0 * mm:.0f}-{x1 * mm:.0f} mm from the left, "
                              f"{y0 * mm:.0f}-{y1 * mm:.0f} mm from the top of the bleed box")


def main(paths: list[Path], *, as_json: bool = False, tac_limit: int = TAC_LIMIT) -> int:
    """Print each PDF's findings; 1 when any is an error, else 0."""
    import json

    from paiban.errors import visible

    failed = False
    report = {}
    for path in paths:
        findings = preflight(path, tac_limit=tac_limit)
        failed |= any(f.severity == "error" for f in findings)
        if as_json:
            report[str(path)] = [
                {"page": f.page, "object": f.object, "rule": f.rule, "severity": f.severity,
                 "message": f.message} for f in findings]
            continue
        for f in findings:
            print(visible(f.line(str(path))))
        errors = sum(f.severity == "error" for f in findings)
        warnings = sum(f.severity == "warning" for f in findings)
        print(visible(f"{path}: preflight: {errors} error(s), {warnings} warning(s)"))
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    return 1 if failed else 0
