"""paiban.render.tags: no structure element per line of text, the same reading order."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections import Counter

import pikepdf
import pytest
import weasyprint

import structure
from paiban.render import tags
from paiban.render.pdf import _weasyprint

DOC = """<html lang="zh-Hans"><head><style>
@page { size: A6; margin: 12mm } body { font-family: "Noto Serif CJK SC"; font-size: 10pt }
.cjk-halt { font-feature-settings: "halt" 1 } .cjk-nw { white-space: nowrap }
</style><meta name="dcterms.created" content="2026-01-01T00:00:00Z">
<meta name="dcterms.modified" content="2026-01-01T00:00:00Z"></head><body>
<h1>龙岩市总工会<span class="cjk-halt">：</span>让职工有更多获得感</h1>
<p>全市各级工会组织深入开展<span class="cjk-halt">“</span>我为职工办实事<span
class="cjk-halt">”</span>活动，发放慰问金<span class="cjk-nw">8070万元</span>，惠及职工四十六万多名，
各级工会组织把服务职工作为工作的出发点和落脚点，一年接着一年干。</p>
<p>第二段<span class="byline">记者 王芳</span>报道。</p>
</body></html>"""


def render() -> bytes:
    return weasyprint.HTML(string=DOC).write_pdf(pdf_identifier=b"t", pdf_tags=True)


@pytest.fixture
def both():
    _weasyprint()
    assert tags.installed()
    ours = render()
    tags.uninstall()
    try:
        theirs = render()
    finally:
        tags.install()
    return ours, theirs


def test_lines_belong_to_their_element(both):
    with pikepdf.open(io.BytesIO(both[0])) as ours, pikepdf.open(io.BytesIO(both[1])) as theirs:
        our_tags = Counter(str(e.S) for e in structure.elements(ours))
        their_tags = Counter(str(e.S) for e in structure.elements(theirs))
        paragraph = next(e for e in structure.elements(ours) if e.S == "/P")
        paragraph_ids = structure.mcids(paragraph)
    # Each line and each piece of a span was a /Span element of its own; the spans paiban adds
    # for spacing are not structure; a span of the text's own (the byline) still is.
    assert their_tags["/Span"] > 10 and our_tags["/Span"] == 1
    assert {k: v for k, v in our_tags.items() if k != "/Span"} == \
        {k: v for k, v in their_tags.items() if k != "/Span"}
    assert len(paragraph_ids) > 3


def test_parent_tree_maps_every_id_to_the_element_holding_it(both):
    with pikepdf.open(io.BytesIO(both[0])) as doc:
        nums = doc.Root.StructTreeRoot.ParentTree.Nums
        held = {(e.Pg.objgen, m): e.objgen
                for e in structure.elements(doc) for m in structure.mcids(e)}
        for page_index, refs in zip(nums[::2], nums[1::2]):
            page = doc.pages[int(page_index)].obj
            assert len(refs) == sum(1 for (pg, _) in held if pg == page.objgen)
            for mcid, element in enumerate(refs):
                assert held[(page.objgen, mcid)] == element.objgen


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_same_text_in_the_same_order(both, tmp_path):
    texts = []
    for name, pdf in zip(("ours", "theirs"), both):
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        texts.append(subprocess.run(["pdftotext", tmp_path / f"{name}.pdf", "-"],
                                    capture_output=True, text=True, check=True).stdout)
    assert texts[0] == texts[1] and "惠及职工" in texts[0]
    assert len(both[0]) < len(both[1])


LONG = "各级工会组织把服务职工作为工作的出发点和落脚点，一年接着一年干。" * 12
BOXES = f"""<html lang="zh-Hans"><head><style>
@page {{ size: A6; margin: 12mm; @bottom-center {{ content: "第" counter(page) "页" }} }}
body {{ font-family: "Noto Serif CJK SC"; font-size: 10pt }} .stamp {{ position: fixed; bottom: -8mm }}
</style><meta name="dcterms.created" content="2026-01-01T00:00:00Z">
<meta name="dcterms.modified" content="2026-01-01T00:00:00Z"></head><body>
<header><h1>标题</h1><aside class="callout" data-after="1"><div>8070万元</div><div>慰问金</div></aside>
<aside class="callout" data-after="9"><div>无处可归</div></aside></header>
<p data-block="0">导语一句。</p>
<p data-block="1">{LONG}结尾。</p>
<aside class="callout" data-block="2" data-after="0"><div>4261万元</div></aside>
<p data-block="3">最后一段。</p>
<div class="stamp" data-artifact="">校样 · PROOF</div>
</body></html>"""


def render_boxes() -> bytes:
    _weasyprint()
    return weasyprint.HTML(string=BOXES).write_pdf(pdf_identifier=b"t", pdf_tags=True)


def test_callouts_read_after_their_paragraph_and_the_stamp_is_no_content():
    pdf = render_boxes()
    text = structure.text(pdf)
    # The opener's box reads after the paragraph it belongs to, which runs over two pages (its
    # last element, on the second page); the box in the text after the lede; a box whose
    # paragraph is not in the document stays where the layout put it.
    assert "一年接着一年干。结尾。8070万元慰问金最后一段。" in text
    assert "导语一句。4261万元" + LONG[:10] in text
    assert text.index("标题") < text.index("无处可归") < text.index("导语一句")
    assert "PROOF" not in text and "校样" not in text and "页" not in text
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) >= 2
        paragraphs = [e for e in structure.elements(doc) if e.S == "/P"]
        assert len({p.Pg.objgen for p in paragraphs}) >= 2
        # The stamp and the folio are drawn, as artifacts, on every page (nothing else is one
        # here); the folio was marked content of an element out of the tree.
        for page in doc.pages:
            assert len(re.findall(rb"/Artifact\s+BMC", page.Contents.read_bytes())) == 2
    structure.check_tree(pdf)
    assert render_boxes() == pdf


def test_untagged_pdfs_are_unchanged_by_the_stamp():
    _weasyprint()
    pdf = weasyprint.HTML(string=BOXES).write_pdf(pdf_identifier=b"t")
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert "/StructTreeRoot" not in doc.Root
        assert b"/Artifact" not in b"".join(p.Contents.read_bytes() for p in doc.pages)
