"""paiban.render.compress: pydyf compresses at zlib level 6, and nothing else changes."""

from __future__ import annotations

import io
import logging
import zlib

import pypdf
import pydyf
import weasyprint

from paiban.render import compress
from paiban.render.pdf import _weasyprint

DOC = """<html lang="zh-Hans"><head><style>
@page { size: A5 } body { font-family: "Noto Serif CJK SC"; font-size: 10pt }
</style><meta name="dcterms.created" content="2026-01-01T00:00:00Z">
<meta name="dcterms.modified" content="2026-01-01T00:00:00Z"></head><body>
<p>全市各级工会组织深入开展“我为职工办实事”活动，发放慰问金8070万元。</p></body></html>"""


def streams(pdf: bytes) -> list[bytes]:
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # "object N not defined" past the end
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    out = []
    for number in range(1, len(reader.xref_objStm) + 64):
        try:
            obj = reader.get_object(number)
        except Exception:  # noqa: BLE001 - numbers past the last object
            continue
        # The cross-reference stream holds byte offsets, which move with the compressed sizes.
        if obj is not None and hasattr(obj, "get_data") and obj.get("/Type") != "/XRef":
            out.append(obj.get_data())
    return out


def test_same_content_only_the_compression_level_differs():
    _weasyprint()
    assert compress.installed()
    ours = weasyprint.HTML(string=DOC).write_pdf(pdf_identifier=b"t")
    compress.uninstall()
    try:
        theirs = weasyprint.HTML(string=DOC).write_pdf(pdf_identifier=b"t")
    finally:
        compress.install()
    assert ours != theirs
    assert streams(ours) == streams(theirs) and streams(ours)
    assert len(ours) < len(theirs) * 1.01


def test_pydyf_streams_compress_at_level_6():
    _weasyprint()
    data = "全市各级工会组织".encode() * 500
    stream = pydyf.Stream([data], compress=True)
    body = stream.data.split(b"stream\n", 1)[1].rsplit(b"\nendstream", 1)[0]
    level6 = zlib.compressobj(6)
    assert body == level6.compress(data) + level6.flush()
    assert zlib.decompress(body) == data


def test_uninstall_restores_zlib():
    _weasyprint()
    compress.uninstall()
    try:
        assert pydyf.zlib is zlib
    finally:
        compress.install()
    assert pydyf.zlib is not zlib
