"""The layouts as PDFs: page boxes, fonts, running heads, boxes kept whole, no warnings.

Each seed is rendered once per module through WeasyPrint (with paiban's justification patch
when it is installed), from the HTML ``render_html`` makes, with the project's stylesheets.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, replace
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from paiban import config
from paiban.model import Article
from paiban.render.html import render_html

import sample

CFG = config.load()
MM = 72 / 25.4


@dataclass
class Rendered:
    article: Article
    pdf: bytes
    document: object  # weasyprint.Document
    warnings: list[str]


def render(article: Article, layout: str = "feature", cfg=CFG) -> Rendered:
    import weasyprint

    try:
        from paiban.render import justify

        justify.install()
    except ImportError:
        pass
    html = render_html(article, layout, cfg)
    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            if record.levelno >= logging.WARNING:
                messages.append(record.getMessage())

    handler = Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        # The HTML "lives" in the project root, so styles/… resolves to the project's sheets.
        document = weasyprint.HTML(string=html, base_url=str(cfg.root / "index.html")).render()
        pdf = document.write_pdf()
    finally:
        logger.removeHandler(handler)
    return Rendered(article, pdf, document, messages)


@pytest.fixture(scope="module", params=[p.stem for p in sample.SEEDS])
def feature(request) -> Rendered:
    return render(sample.read(sample.ROOT / "seeds" / f"{request.param}.txt"))


@pytest.fixture(scope="module", params=[p.stem for p in sample.SEEDS])
def report(request) -> Rendered:
    return render(sample.read(sample.ROOT / "seeds" / f"{request.param}.txt"), "report")


def boxes(page, cls: str):
    """Every box on ``page`` made by an element carrying the class ``cls``."""
    todo = [page._page_box]
    while todo:
        box = todo.pop()
        element = getattr(box, "element", None)
        if element is not None and cls in (element.get("class") or "").split() \
                and getattr(box, "element_tag", "") == element.tag:
            yield box
        todo.extend(getattr(box, "children", ()))


def fonts(pdf: bytes) -> dict[str, bool]:
    """BaseFont name (subset prefix dropped) -> embedded, for every font of every page."""
    out: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            name = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
            desc = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            fd = desc.get("/FontDescriptor")
            fd = fd.get_object() if fd is not None else {}
            out[name] = out.get(name, True) and any(
                k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return out


def test_no_warnings(feature):
    assert feature.warnings == []


def test_trim_285_by_210_with_3mm_bleed(feature):
    for page in PdfReader(io.BytesIO(feature.pdf)).pages:
        media = [float(v) for v in page.mediabox]
        trim = [float(v) for v in page.trimbox]
        bleed = [float(v) for v in page.bleedbox]
        assert trim[2] - trim[0] == pytest.approx(210 * MM, abs=0.1)
        assert trim[3] - trim[1] == pytest.approx(285 * MM, abs=0.1)
        assert media[2] - media[0] == pytest.approx(216 * MM, abs=0.1)
        assert media[3] - media[1] == pytest.approx(291 * MM, abs=0.1)
        assert trim[0] - media[0] == pytest.approx(3 * MM, abs=0.1)
        assert bleed == pytest.approx(media, abs=0.1)


def test_marks_widen_the_media_outside_the_bleed(tmp_path):
    from paiban.render.pdf import render_pdf

    article = sample.read(sample.SEEDS[0])
    html = render_html(article, "feature", CFG)
    pdf = render_pdf(html, CFG.root / "index.html", (CFG.root,), 0, press=CFG.press,
                     root=CFG.root, marks=True).pdf
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert float(page.mediabox.width) > 230 * MM
    assert float(page.trimbox.width) == pytest.approx(210 * MM, abs=0.1)
    # The bleed box is the trim plus the layout's 3 mm bleed, marks or not.
    bleed = [float(v) for v in page.bleedbox]
    assert bleed[2] - bleed[0] == pytest.approx(216 * MM, abs=0.1)
    # The hero still covers the bleed box.
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        first = doc.pages[0]
        # pdfplumber keeps PDF x but measures "top" down from its own bbox.
        bleed_top = first.bbox[3] - (bleed[3] - float(page.mediabox.bottom))
        covering = [r for r in first.rects
                    if r["x0"] <= bleed[0] + 0.1 and r["x1"] >= bleed[2] - 0.1
                    and r["top"] <= bleed_top + 0.1]
        assert covering, "the hero stops short of the bleed box"


def test_report_is_a4(report):
    page = PdfReader(io.BytesIO(report.pdf)).pages[0]
    assert float(page.mediabox.width) == pytest.approx(210 * MM, abs=0.1)
    assert float(page.mediabox.height) == pytest.approx(297 * MM, abs=0.1)
    assert report.warnings == []


@pytest.mark.parametrize("lang, face", [("zh-Hans", "SC"), ("zh-Hant-HK", "HK")])
def test_only_the_editions_noto_cjk_faces_all_embedded(lang, face):
    article = replace(sample.read(sample.SEEDS[-1]), lang=lang)
    found = fonts(render(article).pdf)
    assert found, "no fonts found"
    for name, embedded in found.items():
        assert name.startswith(("Noto-Serif-CJK-", "Noto-Sans-CJK-")), name
        assert f"CJK-{face}" in name, name
        assert embedded, name
    # Body serif and heading sans, regular and bold.
    assert {f"Noto-Serif-CJK-{face}", f"Noto-Sans-CJK-{face}-Bold"} <= set(found)


def test_fonts_of_both_layouts(feature, report):
    for rendered in (feature, report):
        assert all(n.startswith(("Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC"))
                   for n in fonts(rendered.pdf))


def test_running_head_on_later_pages_not_on_the_opener(feature):
    with pdfplumber.open(io.BytesIO(feature.pdf)) as pdf:
        assert len(pdf.pages) >= 2
        heads = []
        for page in pdf.pages:
            # The top margin, measured from the trim edge (the page includes 3 mm of bleed).
            x0, y0, x1, _ = page.bbox
            top = page.crop((x0, y0, x1, y0 + (3 + 19) * MM)).extract_text() or ""
            heads.append(top.replace(" ", ""))
    # The opener's top is the hero photo: no running head there.
    assert CFG.publication not in heads[0] and feature.article.title.replace(" ", "") not in heads[0]
    for number, head in enumerate(heads[1:], start=2):
        expected = CFG.publication if number % 2 == 0 else feature.article.title.replace(" ", "")
        assert expected in head, (number, head)


def test_folios(feature):
    with pdfplumber.open(io.BytesIO(feature.pdf)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            x0, _, x1, y1 = page.bbox
            foot = page.crop((x0, y1 - (3 + 19.5) * MM, x1, y1))
            assert str(number) in (foot.extract_text() or "")


def split_boxes(rendered: Rendered, cls: str) -> tuple[int, list[list[int]]]:
    """(how many .cls elements were drawn, the page numbers of each one drawn on several)."""
    pages_of: dict[int, set[int]] = {}
    for number, page in enumerate(rendered.document.pages, start=1):
        for box in boxes(page, cls):
            pages_of.setdefault(id(box.element), set()).add(number)
    return len(pages_of), [sorted(p) for p in pages_of.values() if len(p) > 1]


def headings_at_column_feet(rendered: Rendered) -> tuple[int, list[str]]:
    """(how many columns were laid out, the headings that end one)."""
    columns, feet = 0, []
    for page in rendered.document.pages:
        for column in boxes(page, "body"):
            if not getattr(column, "is_column", False):
                continue
            columns += 1
            flow = [c for c in column.children if c.is_in_normal_flow()]
            if flow and flow[-1].element.tag in ("h2", "h3"):
                feet.append("".join(flow[-1].element.itertext()))
    return columns, feet


@pytest.mark.parametrize("cls", ["callout", "figure", "figure-row", "pullquote"])
def test_boxes_are_never_split(feature, cls):
    drawn, split = split_boxes(feature, cls)
    if cls in ("callout", "figure"):
        assert drawn, f"no .{cls} rendered"
    assert split == [], f".{cls} split over pages"


def test_every_figure_is_drawn_once(feature):
    figures = feature.article.figures
    with pdfplumber.open(io.BytesIO(feature.pdf)) as pdf:
        text = "".join((p.extract_text() or "").replace(" ", "").replace("\n", "") for p in pdf.pages)
    for figure in figures:
        assert text.count(f"图{figure.number}图片占位") == 1


def test_headings_are_never_last_in_a_column(feature):
    columns, feet = headings_at_column_feet(feature)
    assert columns >= 2
    assert feet == []


def test_an_article_without_photos_or_boxes_keeps_its_opener_on_the_page():
    article = sample.read(sample.SEEDS[0])
    plain = replace(article, blocks=tuple(b for b in article.blocks
                                          if b.kind not in ("figure", "callout")))
    rendered = render(plain)
    assert rendered.warnings == []
    with pdfplumber.open(io.BytesIO(rendered.pdf)) as pdf:
        page = pdf.pages[0]
        x0, y0, x1, _ = page.bbox
        title = [c for c in page.chars if c["size"] > 20]
        assert title, "no display title on the opener"
        # Below the top margin of the text pages, not jammed against the trim edge.
        assert min(c["top"] for c in title) - y0 > (3 + 21) * MM


def test_every_kind_renders_in_both_layouts():
    for layout in ("feature", "report"):
        rendered = render(sample.every_kind(), layout)
        assert rendered.warnings == []
        with pdfplumber.open(io.BytesIO(rendered.pdf)) as pdf:
            text = "".join((p.extract_text() or "") for p in pdf.pages).replace(" ", "")
        for needle in ("<script>alert(1)</script>", "{{7*7}}", "引题小标题。", "责任立基", "8070"):
            assert needle in text.replace("\n", ""), (layout, needle)


def off_grid(rendered: Rendered) -> list[tuple[int, list[float]]]:
    """Pages (after the opener, and without a row of photos across the columns, which starts
    the columns below it afresh) whose body baselines do not all sit on one 16.5 pt grid,
    with the stray phases."""
    pitch = 16.5
    spanning = {number for number, page in enumerate(rendered.document.pages, start=1)
                for box in boxes(page, "figure-row")
                if "figure-row-end" not in box.element.get("class")}
    out = []
    with pdfplumber.open(io.BytesIO(rendered.pdf)) as pdf:
        for page in pdf.pages[1:]:
            if page.page_number in spanning:
                continue
            phases = [round(c["bottom"] % pitch, 1) for c in page.chars
                      if "Serif" in c["fontname"] and "Bold" not in c["fontname"]
                      and abs(c["size"] - 9.75) < 0.01]
            if not phases:
                continue
            mode = max(set(phases), key=phases.count)
            off = sorted({p for p in phases if min(abs(p - mode), pitch - abs(p - mode)) > 0.3})
            if off:
                out.append((page.page_number, off))
    return out


def test_body_lines_keep_the_grid(feature):
    """Body baselines of both columns sit on one 16.5 pt grid on every text page: headings,
    subheads, pull quotes, statistics boxes and photos take whole lines."""
    assert off_grid(feature) == []


@pytest.mark.parametrize("seed", range(3))
def test_photos_in_the_columns_keep_the_grid(seed):
    rendered = render(shuffled_article(seed))
    assert off_grid(rendered) == []


def test_the_hero_bleeds_and_nothing_else_crosses_the_trim(feature):
    with pdfplumber.open(io.BytesIO(feature.pdf)) as pdf:
        for page in pdf.pages:
            x0, y0, x1, y1 = page.bbox  # the media box: trim plus 3 mm of bleed all round
            bleed = 3 * MM
            trim = (x0 + bleed, y0 + bleed, x1 - bleed, y1 - bleed)
            for c in page.chars:
                assert trim[0] <= c["x0"] and c["x1"] <= trim[2], c["text"]
                assert trim[1] <= c["top"] and c["bottom"] <= trim[3], c["text"]
            if page.page_number == 1 and feature.article.figures:
                # The hero's frame covers the top of the page out to the media box edges.
                hero = [r for r in page.rects if r["x0"] <= x0 + 0.5 and r["x1"] >= x1 - 0.5
                        and r["top"] <= y0 + 0.5]
                assert hero, "the hero does not reach into the bleed"


def shuffled_article(seed: int) -> Article:
    """A random arrangement of the seeds' blocks: paragraphs, headings, photos of several
    ratios, boxes and quotes in any order (never ending on a heading)."""
    import random

    from paiban.model import Callout, Figure, Heading, Paragraph, Quote

    r = random.Random(seed)
    articles = [sample.read(p) for p in sample.SEEDS]
    pool = [b for a in articles for b in a.blocks]
    paras = [b for b in pool if isinstance(b, Paragraph)]
    heads = [b for b in pool if isinstance(b, Heading)]
    boxes_ = [b for b in pool if isinstance(b, Callout)]
    captions = [b.caption for b in pool if isinstance(b, Figure)]
    blocks: list = [replace(r.choice(paras), lede=True),
                    replace(r.choice(boxes_), placement="opener", title="数说")]
    figures = 0
    for _ in range(r.randint(5, 40)):
        k = r.random()
        if k < 0.55:
            blocks.append(replace(r.choice(paras), lede=False))
        elif k < 0.7:
            blocks.append(r.choice(heads))
        elif k < 0.85:
            figures += 1
            blocks.append(Figure(caption=r.choice(captions), number=figures,
                                 ratio=r.choice([2.0, 1.5, 1.33, 1.0, 0.75])))
        elif k < 0.95:
            blocks.append(replace(r.choice(boxes_), placement="section", title=""))
        else:
            blocks.append(Quote("责任立基，成就天地人和；厚德载物，创造价值无限。"))
    while isinstance(blocks[-1], Heading):
        blocks.pop()
    return replace(articles[0], blocks=tuple(blocks), hero=0)


@pytest.mark.parametrize("seed", range(6))
def test_any_arrangement_keeps_boxes_whole_and_headings_with_their_text(seed):
    rendered = render(shuffled_article(seed))
    assert rendered.warnings == []
    for cls in ("callout", "figure", "figure-row", "pullquote"):
        assert split_boxes(rendered, cls)[1] == [], cls
    assert headings_at_column_feet(rendered)[1] == []
