"""Done-when of the readers: a .docx, a .md and a Traditional .txt each build to PDFs whose
text is the source's text (no markup, nothing lost, nothing added but the layout's own
furniture), in every edition, with the real photos of the .docx and the .md in the PDF."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import fixtures
import pytest
from projects import copy_project
from pypdf import PdfReader

from paiban import editions
from paiban.build import Target, build
from paiban.config import EDITIONS, load


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> tuple[Path, object, list[Path]]:
    proj = copy_project(tmp_path_factory.mktemp("proj"))
    seeds = proj / "seeds"
    # Suffixes in any case: .Docx and .TXT are texts like .docx and .txt.
    texts = [fixtures.make_docx(seeds / "word.Docx"), fixtures.make_md(seeds, "mark.md"),
             seeds / "trad.TXT"]
    texts[2].write_text(fixtures.TRADITIONAL, "utf-8")
    cfg = replace(load(proj / "pyproject.toml"), out=proj / "dist", editions=EDITIONS, jobs=2)
    assert build(cfg, (seeds,), quiet=True) == 0
    return proj, cfg, texts


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _page_text(pdf: Path) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(pdf).pages)


def _without_furniture(pdf: Path, edition: str, cfg) -> str:
    """The PDF's text without what the layout prints around the article: on each page the
    running head (publication and issue) and the page number; figure labels (图1), the
    byline's label (文), a photo placeholder's label."""
    zh = lambda s: _compact(editions.convert(s, edition))  # noqa: E731 - written Simplified
    pages = []
    for page in PdfReader(pdf).pages:
        text = _compact(page.extract_text() or "").replace(zh(cfg.publication + cfg.issue), "", 1)
        pages.append(re.sub(r"\d+$", "", text))
    text = "".join(pages).replace(zh("图片占位") + "·imageplaceholder", "")
    text = re.sub(rf"{zh('图')}\d+", "", text)
    return text.replace(zh("文"), "", 1)


def _printed(lines: tuple[str, ...], source: str, edition: str) -> list[str]:
    """The source's paragraphs as the page prints them in ``edition``: without what the layout
    sets by its own convention for every format alike (the dash before a run-in subhead, the
    byline's brackets), converted for the edition."""
    config = (editions.OPENCC_CONFIG if source == "zh-Hans" else editions.FROM_TRADITIONAL)[edition]
    out = []
    for i, line in enumerate(lines):
        line = _compact(line)
        if i > 1 and line.startswith("——"):  # lines[1] is the deck, printed with its dash
            line = line[2:]
        # The byline closing the last paragraph is printed under the title, without brackets.
        byline = re.search(r"[（(]([^（）()]*)[）)]$", line) if i == len(lines) - 1 else None
        for piece in ((line[:byline.start()], byline[1]) if byline else (line,)):
            if config:
                piece = editions.opencc_convert(piece, config)
                piece = piece.translate(editions._CORNER_QUOTES) if edition in editions.CORNER_QUOTES else piece
            out.append(piece)
    return out


CASES = {
    "word": (fixtures.DOCX_EXPECTED, "zh-Hans"),
    "mark": (fixtures.MD_EXPECTED, "zh-Hans"),
    "trad": (fixtures.TRADITIONAL_EXPECTED, "zh-Hant"),
}


@pytest.mark.parametrize("stem", CASES)
@pytest.mark.parametrize("edition", EDITIONS)
def test_pdf_text_is_the_source_text(project, stem, edition):
    proj, cfg, texts = project
    text = next(t for t in texts if t.stem == stem)
    pdf = Target(text.resolve(), edition, cfg.layout).pdf(cfg)
    printed = _without_furniture(pdf, edition, cfg)
    lines, source = CASES[stem]
    paragraphs = _printed(lines, source, edition)
    wanted = "".join(paragraphs)
    for mark in ("**", "#", "![", "](", "> "):
        assert mark not in printed
    # Nothing lost, nothing added: the same characters, each as often (the page's order puts
    # floated photos and the drop cap elsewhere) ...
    assert Counter(printed) == Counter(wanted), (
        f"missing {Counter(wanted) - Counter(printed)}, extra {Counter(printed) - Counter(wanted)}")
    # ... and every paragraph whole, in its own order (the lede's first character is the drop cap).
    for i, paragraph in enumerate(paragraphs):
        piece = paragraph[1:] if i == 2 else paragraph
        assert piece in printed, piece


@pytest.mark.parametrize("stem", ["word", "mark"])
def test_the_real_photos_are_in_the_pdf(project, stem):
    proj, cfg, texts = project
    text = next(t for t in texts if t.stem == stem)
    originals = {fixtures.jpeg(fixtures.RED), fixtures.jpeg(fixtures.BLUE)}
    for edition in EDITIONS:
        pdf = Target(text.resolve(), edition, cfg.layout).pdf(cfg)
        # WeasyPrint passes JPEG through: the PDF's image streams are the photos' own bytes.
        images = [x.get_object().get_data() for page in PdfReader(pdf).pages
                  for x in page["/Resources"]["/XObject"].values()
                  if x.get_object().get("/Subtype") == "/Image"]
        assert sorted(images) == sorted(originals), edition
    extracted = sorted((cfg.out / "_assets" / "photos" / stem).iterdir())
    assert [p.name[:2] for p in extracted] == ["1-", "2-"]
    assert {p.read_bytes() for p in extracted} == originals


def test_a_traditional_source_has_the_traditional_furniture_and_a_simplified_edition(project):
    proj, cfg, texts = project
    trad = texts[2].resolve()
    hans = _page_text(Target(trad, "zh-Hans", cfg.layout).pdf(cfg))
    hant = _page_text(Target(trad, "zh-Hant", cfg.layout).pdf(cfg))
    assert "图为职工代表" in hans and "圖" not in hans and "記" not in hans
    assert "圖爲職工代表" in hant and "图" not in hant
    assert "特別報道" in hant and "特别报道" in hans  # the running head follows the edition
