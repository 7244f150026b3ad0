"""paiban.render.memory: WeasyPrint no longer copies whole font collections per document.

The patch must not change a byte of the PDF, must never read a face it does not need, and must
still read it when WeasyPrint does need the whole font (embedding without subsetting).
"""

from __future__ import annotations

import tracemalloc

import pytest
import weasyprint

from paiban.render import memory
from paiban.render.pdf import _weasyprint, shared_font_config

DOC = """<html lang="zh-Hans"><head><style>
@page { size: A5; margin: 15mm }
body { font-family: "Noto Serif CJK SC"; font-size: 10pt }
h1 { font-family: "Noto Sans CJK SC"; font-weight: bold }
</style></head><body><h1>龙岩市总工会</h1>
<p>全市各级工会组织深入开展“我为职工办实事”活动，发放慰问金8070万元。</p>
<p><b>坚持政治引领</b>，把党的声音传递到职工群众中。</p></body></html>"""

EPOCH_META = ('<meta name="dcterms.created" content="2026-01-01T00:00:00Z">'
              '<meta name="dcterms.modified" content="2026-01-01T00:00:00Z">')


def render(**options) -> bytes:
    html = DOC.replace("</head>", EPOCH_META + "</head>")
    return weasyprint.HTML(string=html).write_pdf(pdf_identifier=b"test", **options)


@pytest.fixture(autouse=True)
def patched():
    _weasyprint()  # installs every paiban patch, this one included
    yield
    memory.install()


def test_same_pdf_bytes_with_and_without_the_patch():
    patched_pdf = render()
    memory.uninstall()
    assert not memory.installed()
    plain_pdf = render()
    memory.install()
    assert patched_pdf == plain_pdf


def test_subset_fonts_never_copy_the_whole_collection():
    before = memory.reads
    render()  # warm: WeasyPrint's own caches
    tracemalloc.start()
    try:
        render()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert memory.reads == before
    # Two faces from 19-27 MB collections: a single copy of one would exceed this.
    assert peak < 15 << 20


def test_whole_font_is_still_read_when_embedded_unsubset():
    from weasyprint.pdf import fonts

    before = memory.reads
    full = render(full_fonts=True)
    assert memory.reads > before
    assert len(full) > 19 << 20  # the whole collection is in the PDF, as WeasyPrint would do
    assert isinstance(fonts.Font.__dict__["file_content"], memory._FaceData)


def _heap_in_use() -> int:
    """Bytes glibc's malloc has handed out and not had back (C allocations included)."""
    import ctypes

    class Mallinfo2(ctypes.Structure):
        _fields_ = [(name, ctypes.c_size_t) for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
            "fordblks", "keepcost")]

    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = Mallinfo2
    return libc.mallinfo2().uordblks


def test_memory_stays_flat_over_many_documents(tmp_path):
    """Seed 000 rendered again and again, as a build worker does. Without the fix each render
    left ~110 KB behind in Pango attribute lists (~250 KB for the 4-page seed 002)."""
    import gc

    from paiban.build import allowed_roots, publish_assets
    from paiban.config import load
    from paiban.pipeline import load_source
    from paiban.render.html import render_html
    from paiban.render.pdf import render_pdf

    cfg = load(out=tmp_path)
    publish_assets(cfg)  # the stylesheets, as a build has them
    article = load_source(sorted(cfg.seeds.glob("*.txt"))[0], cfg).article
    html = render_html(article, "feature", cfg, assets="../_assets/")
    fonts = shared_font_config(cfg.fonts_dir)  # as paiban renders: one font configuration

    def one():
        rendered = render_pdf(html, tmp_path / "x" / "a.html", allowed_roots(cfg), 0, fonts)
        assert rendered.pages == 2 and not rendered.warnings  # styled, as the feature is
        gc.collect()

    for _ in range(3):  # caches fill up first
        one()
    before = _heap_in_use()
    for _ in range(5):
        one()
    assert (_heap_in_use() - before) / 5 < 20 << 10


def test_one_font_configuration_per_process_renewed_when_fonts_change(tmp_path):
    first = shared_font_config(tmp_path)
    assert shared_font_config(tmp_path) is first
    (tmp_path / "fonts.toml").write_text('package = "fonts-noto-cjk"\n', "utf-8")
    renewed = shared_font_config(tmp_path)
    assert renewed is not first
    assert shared_font_config(tmp_path) is renewed
