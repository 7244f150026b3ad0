"""PDF pages as images, and where their trim and bleed lie, for the browser.

In: a PDF path (built by paiban), a 0-based page index, an image width in pixels.
Out: PNG bytes of the page as PDFium renders it (what will print, not the browser's idea of the
HTML), and each page's geometry: the rendered area (the CropBox, which WeasyPrint makes equal to
the MediaBox, bleed included) with the BleedBox and TrimBox inside it, in points from the top left,
so the page can draw the trim line over the image.

Rendering is in-process (pypdfium2) and cached by the PDF's identity on disk (inode, size,
modification time): a rebuilt PDF is a new file (written atomically), so stale images are never
served. PDFium is not thread-safe, so one lock guards every call into it.
"""

from __future__ import annotations

import io
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

WIDTHS = (240, 520, 700, 1040, 1400)
"""Image widths the server renders (thumbnail; spread page 1x/2x; single page 1x/2x); anything
else is refused, which bounds the cache and the work a request can cause."""

_PDFIUM = threading.Lock()


@dataclass(slots=True, frozen=True)
class Box:
    """A rectangle in points, from the top left of the rendered page."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width


@dataclass(slots=True, frozen=True)
class Geometry:
    """One page: its rendered size and the boxes that matter for print, in points."""

    width: float
    height: float
    trim: Box
    bleed: Box


Key = tuple[str, int, int, int]


def file_key(pdf: Path) -> Key | None:
    """The PDF's identity on disk (path, inode, size, mtime), or None when it does not exist."""
    try:
        st = os.stat(pdf)
    except OSError:
        return None
    return (str(pdf), st.st_ino, st.st_size, st.st_mtime_ns)


class PageImages:
    """Page geometry and PNG renderings of PDFs, cached (least recently used first out)."""

    def __init__(self, max_bytes: int = 64 << 20, max_docs: int = 8) -> None:
        self._images: OrderedDict[tuple[Key, int, int], bytes] = OrderedDict()
        self._docs: OrderedDict[Key, tuple[Any, tuple[Geometry, ...]]] = OrderedDict()
        # Geometry outlives the open documents: the start page needs every target's page
        # count and shape, and opening a hundred PDFs per visit would be slow.
        self._geometry: OrderedDict[Key, tuple[Geometry, ...]] = OrderedDict()
        self.max_geometry = 2048
        self._bytes = 0
        self.max_bytes = max_bytes
        """Cached PNGs are dropped, oldest first, beyond this many bytes (a 1400 px page is
        about 0.4 MB)."""
        self.max_docs = max_docs

    def geometry(self, pdf: Path) -> tuple[Geometry, ...]:
        """Every page's geometry; () when the PDF does not exist or cannot be read."""
        with _PDFIUM:
            key = file_key(pdf)
            if key is None:
                return ()
            if key in self._geometry:
                return self._geometry[key]
            opened = self._open(pdf)
            return opened[1] if opened else ()

    def png(self, pdf: Path, index: int, width: int) -> bytes | None:
        """Page ``index`` of ``pdf`` as a PNG ``width`` px wide; None if there is no such page."""
        if width not in WIDTHS:
            return None
        with _PDFIUM:
            opened = self._open(pdf)
            if opened is None or not 0 <= index < len(opened[1]):
                return None
            key = (opened[2], index, width)
            cached = self._images.get(key)
            if cached is not None:
                self._images.move_to_end(key)
                return cached
            data = _render(opened[0][index], width)
            self._images[key] = data
            self._bytes += len(data)
            while self._bytes > self.max_bytes and len(self._images) > 1:
                self._bytes -= len(self._images.popitem(last=False)[1])
            return data

    def close(self) -> None:
        """Close the open documents now, not whenever the collector reaches them (a stopped
        preview sits in reference cycles). Geometry and PNGs stay; a later call reopens."""
        with _PDFIUM:
            while self._docs:
                doc, _geometry = self._docs.popitem()[1]
                doc.close()

    def _open(self, pdf: Path) -> tuple[Any, tuple[Geometry, ...], Key] | None:
        # Caller holds _PDFIUM. Read the bytes once so a rebuild replacing the file mid-way
        # cannot mix two PDFs; the key comes from the file that was actually read.
        import pypdfium2

        try:
            with open(pdf, "rb") as fh:
                st = os.fstat(fh.fileno())
                key: Key = (str(pdf), st.st_ino, st.st_size, st.st_mtime_ns)
                if key in self._docs:
                    self._docs.move_to_end(key)
                    doc, geo = self._docs[key]
                    return doc, geo, key
                data = fh.read()
        except OSError:
            return None
        try:
            doc = pypdfium2.PdfDocument(data)
            geo = tuple(_geometry(doc[i]) for i in range(len(doc)))
        except pypdfium2.PdfiumError:
            return None
        self._docs[key] = (doc, geo)
        self._geometry[key] = geo
        while len(self._geometry) > self.max_geometry:
            self._geometry.popitem(last=False)
        while len(self._docs) > self.max_docs:
            old, _ = self._docs.popitem(last=False)[1]
            old.close()
        return doc, geo, key


def _geometry(page: Any) -> Geometry:
    """Boxes of a pypdfium2 page, moved into the CropBox's top-left coordinate system."""
    left, bottom, right, top = page.get_cropbox()

    def box(rect: tuple[float, float, float, float]) -> Box:
        l, b, r, t = rect
        # Clamp to the crop box: a TrimBox is never larger than what is rendered.
        l, r = max(l, left), min(r, right)
        b, t = max(b, bottom), min(t, top)
        return Box(x=l - left, y=top - t, width=r - l, height=t - b)

    return Geometry(width=right - left, height=top - bottom,
                    trim=box(page.get_trimbox()), bleed=box(page.get_bleedbox()))


def _render(page: Any, width: int) -> bytes:
    scale = width / page.get_width()
    image = page.render(scale=scale, may_draw_forms=False).to_pil()
    out = io.BytesIO()
    # Level 1: these images live seconds and travel over loopback; speed beats size.
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()
