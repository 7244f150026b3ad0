"""HTML to PDF through WeasyPrint, with resource loading locked to the project.

In: the HTML string of one article edition, the path the HTML will be written to (relative
links resolve against it), the folders resources may come from, and a fixed timestamp.
Out: PDF bytes (deterministic: the same input gives the same bytes) and the page count.

Every URL the document asks for goes through ``LockedFetcher``: ``file:`` URLs inside the allowed
folders (the project's layout/, styles/, fonts/, image folders and the build's _assets/) load;
anything else (other files, ``http:``, ``data:`` excepted) is refused and listed in
``Rendered.refused``.
"""

from __future__ import annotations

import ctypes.util
import functools
import logging
import mimetypes
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

from paiban.press import CONFIGURED
from paiban.errors import PaibanError
from paiban.timing import stage


@dataclass(slots=True, frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    warnings: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()
    """URLs the document asked for that the locked fetcher refused, in order."""
    html: str | None = None
    """The HTML laid out when ``arrange`` chose another than the one given (else None)."""


SYSTEM_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
"""The Debian packages of the libraries WeasyPrint loads (see the Makefile's APT_PACKAGES)."""


@functools.cache
def _weasyprint():
    try:
        import weasyprint
    except OSError as exc:  # cffi could not open Pango, HarfBuzz, fontconfig…
        found = re.search(r"cannot load library '([^']+)'", str(exc))
        library = found[1] if found else str(exc).split(":")[0]
        raise PaibanError(f"WeasyPrint cannot load the system library {library}: "
                          f"apt-get install {SYSTEM_PACKAGES} (or run make setup)") from None

    from paiban.render import columns, justify, memory, subset, tags, textops

    justify.install()
    columns.install()
    memory.install()
    subset.install()
    tags.install()
    textops.install()
    return weasyprint


def harfbuzz_subset_available() -> bool:
    """True when WeasyPrint can subset fonts with libharfbuzz-subset (fast path, ~50× faster)."""
    return ctypes.util.find_library("harfbuzz-subset") is not None


def allowed_url(url: str, roots: tuple[Path, ...]) -> bool:
    """True for ``data:`` URLs and ``file:`` URLs of existing files inside one of ``roots``
    (after resolving ``..`` and symlinks); False for everything else, network included."""
    parts = urlsplit(url)
    if parts.scheme == "data":
        return True
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(unquote(parts.path)).resolve()
    return path.is_file() and any(path.is_relative_to(root.resolve()) for root in roots)


def url_path(url: str) -> str | None:
    """The normalised local path of a ``file:`` URL (no file system access), else None."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    return os.path.normpath(unquote(parts.path))


def serve(url: str, data: bytes):
    """A WeasyPrint response for ``data`` read from ``url``, with the headers urllib's file
    handler gives a file (WeasyPrint reads the type from them)."""
    from weasyprint.urls import URLFetcherResponse

    class Served(URLFetcherResponse):
        # WeasyPrint reads a file: URL's image from disk again when it has a path: the bytes
        # served (those the build read) are the image, wherever the task runs.
        path = None

    kind = mimetypes.guess_type(url_path(url) or url)[0] or "text/plain"
    return Served(url, data, {"Content-type": kind, "Content-length": str(len(data))})


def locked_fetcher(allowed: tuple[Path, ...], files: Mapping[str, bytes] | None = None):
    """A WeasyPrint URL fetcher that serves only what ``allowed_url`` allows; with ``files``
    (path -> bytes, as the build read them), only those, and nothing from the disk."""
    weasyprint = _weasyprint()
    roots = tuple(p.resolve() for p in allowed)

    class LockedFetcher(weasyprint.URLFetcher):
        refused: list[str] = []

        convert_to: bytes | None = None
        """X-1a: photos converted to CMYK through this output profile as they load."""

        def fetch(self, url, headers=None):
            if files is not None and urlsplit(url).scheme != "data":
                path = url_path(url)
                if path is not None and path in files:
                    return self._convert(serve(url, files[path]), url)
            elif allowed_url(url, roots):
                return self._convert(super().fetch(url, headers), url)
            self.refused.append(url)
            raise ValueError(f"paiban refuses to load {url}")

        def _convert(self, response, url):
            if self.convert_to is not None and url.startswith("file:"):
                return _converted(response, url, self.convert_to)
            return response

    fetcher = LockedFetcher(timeout=1, allowed_protocols=("file", "data"))
    fetcher.refused = []
    return fetcher


_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".gif", ".bmp")


def _converted(response, url: str, profile: bytes):
    """An image response as a CMYK JPEG (X-1a); anything else, and CMYK photos, untouched."""
    if not unquote(urlsplit(url).path).lower().endswith(_IMAGE_SUFFIXES):
        return response
    from weasyprint.urls import URLFetcherResponse

    from paiban.press.colour import image_to_cmyk

    try:
        data = response.read()
    finally:
        response.close()
    cmyk = image_to_cmyk(data, profile)
    if cmyk is None:
        return URLFetcherResponse(url, data, headers=response.headers)

    class Converted(URLFetcherResponse):
        # WeasyPrint reads a file: URL's image from disk again when it has a path: the
        # converted bytes are the image.
        path = None

    return Converted(url, cmyk, headers={"Content-Type": "image/jpeg"})


def _folder_stamp(folder: Path) -> tuple:
    """What a folder holds, by name, size and modification time (cheap: a few files)."""
    try:
        stats = ((str(p.relative_to(folder)), p.stat()) for p in folder.rglob("*") if p.is_file())
        return tuple(sorted((name, st.st_size, st.st_mtime_ns) for name, st in stats))
    except OSError:
        return ()


@functools.lru_cache(maxsize=1)
def _font_config(_stamp: tuple):
    _weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def shared_font_config(*fonts_dirs: Path):
    """One WeasyPrint ``FontConfiguration`` for every document this process renders, renewed
    when a fonts/ folder of the theme changes (a long-running preview sees a new font).

    WeasyPrint makes a new one per document unless given one: fontconfig loads its
    configuration again, Pango opens each face again and every shaping cache starts cold, and
    each one leaves memory behind. Measured on seed 002 (four Noto CJK faces): 50 ms less PDF
    writing per document, identical bytes, and ~0.2 MB less memory kept per document.
    """
    return _font_config(tuple(_folder_stamp(d) for d in fonts_dirs))


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def render_pdf(html: str, html_path: Path, allowed: tuple[Path, ...], epoch: int,
               font_config=None, files: Mapping[str, bytes] | None = None, press=None,
               root: Path | None = None, marks: bool = False, arrange=None,
               profile=CONFIGURED) -> Rendered:
    """Lay out ``html`` (as if it lived at ``html_path``) and return the PDF bytes.

    ``font_config``: a ``FontConfiguration`` to share between documents (see
    ``shared_font_config``); None makes a new one, as WeasyPrint does. ``files``: the only
    files the document may load (see ``locked_fetcher``).
    ``press``: the config's ``Press`` (variant, output condition, proof); None writes a plain
    PDF as WeasyPrint does (no variant, no output intent). ``marks``: crop and registration
    marks in a slug around the bleed. ``profile``: the output profile as read (a
    ``paiban.press.profile.Profile``, or None for none); by default the one ``press`` names.
    ``arrange(document, lay_out)``: given the laid-out document and a function laying out
    other HTML the same way, returns ``(html, document)`` to write instead (the make-up pass),
    or None to keep the first."""
    weasyprint = _weasyprint()
    job = (_press_job(press, root or Path.cwd(), html, marks, profile) if press is not None
           else None)
    fetcher = locked_fetcher(allowed, files)
    if job is not None and job.variant.convert_images and job.profile is not None:
        fetcher.convert_to = job.profile.icc
    stamp = datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    # Dates come from <meta name="dcterms.*">: pin them so two builds are byte-identical.
    meta = (f'<meta name="dcterms.created" content="{stamp}">'
            f'<meta name="dcterms.modified" content="{stamp}">')
    options = {"pdf_identifier": b"paiban" + stamp.encode()}
    finisher = None
    if job is not None:
        from paiban.press.finish import finisher as press_finisher, prepare

        # The file identifier and the XMP DocumentID come from what the PDF is made of.
        options = {"pdf_identifier": job.document_id[:32].encode(),
                   "pdf_version": job.variant.pdf_version,
                   "pdf_tags": job.variant.tagged}
        if job.variant.weasyprint:
            options["pdf_variant"] = job.variant.weasyprint
        finisher = press_finisher(job)

    def lay_out(html: str):
        html = html.replace("</head>", meta + "</head>", 1) if "</head>" in html else meta + html
        return weasyprint.HTML(
            string=html, base_url=str(html_path), url_fetcher=fetcher
        ).render(font_config=font_config)

    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    chosen = None
    try:
        with stage("layout"):
            doc = lay_out(html)
            if arrange is not None:
                warnings = len(handler.messages)
                arranged = arrange(doc, lay_out)
                # A trial's warnings repeat the first layout's: keep those of one layout.
                del handler.messages[warnings:]
                if arranged is not None:
                    chosen, doc = arranged
        with stage("write"):
            if job is not None:
                prepare(doc, job)
            pdf = doc.write_pdf(finisher=finisher, **options)
    finally:
        logger.removeHandler(handler)
    if pdf is None:  # pragma: no cover - write_pdf without target returns bytes
        raise PaibanError("WeasyPrint produced no PDF", path=str(html_path))
    return Rendered(pdf=pdf, pages=len(doc.pages), warnings=tuple(handler.messages),
                    refused=tuple(dict.fromkeys(fetcher.refused)), html=chosen)


def _press_job(press, root: Path, html: str, marks: bool, profile=CONFIGURED):
    """The finishing job for ``press`` with ``profile`` (by default the one ``press`` names,
    resolved and built on first use)."""
    import hashlib

    from paiban.press import profile_for, variant
    from paiban.press.finish import Job

    v = variant(press.pdf)
    if profile is CONFIGURED:
        profile = profile_for(press, root)
    elif not v.cmyk:
        profile = None
    digest = hashlib.sha256(html.encode("utf-8"))
    digest.update(f"\0{v.name}\0{press.proof}\0{marks}\0".encode())
    if profile is not None:
        digest.update(hashlib.sha256(profile.data()).digest())
    return Job(v, profile, marks=marks, proof=press.proof,
               document_id=digest.hexdigest())
