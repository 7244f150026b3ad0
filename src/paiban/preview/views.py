"""The preview's pages: the start page and the article view, rendered from ui/ templates.

In: the board's entries, page geometry (from ``PageImages``), the view asked for.
Out: HTML strings. Each page carries ``data-revision`` (what it was rendered from) and the id of
the target it shows, so ``ui/preview.js`` knows when to reload.

Article view geometry: each page is an image of the whole sheet (bleed included) with an SVG
over it drawing the bleed (dashed) and trim (solid) lines and shading what will be cut off. As
spreads, pages pair up as they bind (page 1 alone on the right, then 2–3, 4–5…) and the bleed
on the spine side is cropped away, so the two trims meet as they will in the magazine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from paiban.config import Config
from paiban.preview.board import Board, Entry
from paiban.preview.model import Problem, target_id
from paiban.preview.pages import Geometry, PageImages, file_key

UI = Path(__file__).resolve().parent / "ui"
THUMBS = 4
"""Thumbnails per target on the start page."""
SIZES = {"pages": (700, 1400), "spreads": (520, 1040)}
"""Page image widths per view, for 1x and 2x screens (CSS: .view-pages/.view-spreads .sheet)."""


@dataclass(slots=True, frozen=True)
class Sheet:
    """One page image as placed in the article view (numbers in points and percent)."""

    number: int
    src: str
    srcset: str
    width: float
    """Visible width in points (the page, less the cropped spine bleed in spreads)."""
    height: float
    img_width: float
    """The image's width as a percentage of the visible width (> 100 when cropped)."""
    img_left: float
    """The image's left offset as a percentage of the visible width (≤ 0)."""
    viewbox: str
    shade: str
    """SVG path (even-odd) covering what lies outside the trim."""
    geometry: Geometry


def environment() -> Environment:
    return Environment(loader=FileSystemLoader(str(UI)), autoescape=select_autoescape(default=True),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def article_url(tid: str, view: str = "pages") -> str:
    url = "/a/" + "/".join(quote(part, safe="") for part in tid.split("/"))
    return url + ("?view=spreads" if view == "spreads" else "")


def page_url(tid: str, number: int, width: int, version: int) -> str:
    parts = "/".join(quote(part, safe="") for part in tid.split("/"))
    return f"/page/{parts}/{number}.png?w={width}&v={version}"


def dist_url(path: Path, cfg: Config) -> str | None:
    """The URL serving ``path`` from the build folder, or None when it is not built yet."""
    if not path.is_file():
        return None
    return "/dist/" + quote(path.relative_to(cfg.out).as_posix())


def start_page(env: Environment, board: Board, images: PageImages, cfg: Config,
               instance: str, issue: Any = None) -> str:
    """Articles × editions × layouts, each with its first pages as thumbnails."""
    articles: dict[str, dict[str, Any]] = {}
    for entry in board.entries():
        tid = target_id(entry.target)
        pdf = entry.target.pdf(cfg)
        geometry = images.geometry(pdf)
        version = _version(pdf)
        article = articles.setdefault(entry.target.text.stem, {
            "stem": entry.target.text.stem, "title": entry.title, "cards": []})
        article["title"] = article["title"] or entry.title
        article["cards"].append({
            "id": tid, "entry": entry, "href": article_url(tid), "pages": len(geometry),
            "thumbs": [page_url(tid, n, 240, version) for n in range(1, min(len(geometry), THUMBS) + 1)],
            "ratio": (geometry[0].width / geometry[0].height) if geometry else 210 / 297,
        })
    return env.get_template("start.html.j2").render(
        publication=cfg.publication, articles=list(articles.values()),
        revision=f"{instance}-{board.revision}", issue=_issue_cards(issue, images))


def issue_url(edition: str) -> str:
    return "/issue/" + quote(edition, safe="")


def issue_page_url(edition: str, number: int, width: int, version: int) -> str:
    return f"/issue/{quote(edition, safe='')}/{number}.png?w={width}&v={version}"


def _issue_cards(issue: Any, images: PageImages) -> dict[str, Any] | None:
    """The start page's issue section: a card per edition (cover and contents as thumbnails)."""
    if issue is None:
        return None
    cards = []
    for edition in issue.editions:
        entry = issue.get(edition)
        geometry = images.geometry(entry.pdf)
        version = _version(entry.pdf)
        cards.append({"id": f"issue/{edition}", "entry": entry, "href": issue_url(edition),
                      "pages": len(geometry),
                      "thumbs": [issue_page_url(edition, n, 240, version)
                                 for n in range(1, min(len(geometry), THUMBS) + 1)],
                      "ratio": (geometry[0].width / geometry[0].height) if geometry else 210 / 297})
    return {"name": issue.name, "cards": cards}


def spread_of(number: int) -> int:
    """The spread (0-based row of the spreads view) holding page ``number``: 1 | 2-3 | 4-5…"""
    return number // 2


def issue_page(env: Environment, images: PageImages, cfg: Config, issue: Any, entry: Any,
               instance: str) -> str:
    """The issue of one edition as spreads; the contents page's links jump to the spreads."""
    edition = entry.edition
    geometry = images.geometry(entry.pdf)
    version = _version(entry.pdf)
    low, high = SIZES["spreads"]
    sheets = [_sheet(n, g, issue_page_url(edition, n, low, version), "spreads",
                     f"{issue_page_url(edition, n, high, version)} 2x")
              for n, g in enumerate(geometry, start=1)]
    layout = issue.layout(entry.pdf)
    links: dict[int, list[dict[str, Any]]] = {}
    for link in layout.links:
        if not 0 < link.page <= len(sheets) or not 0 < link.target <= len(sheets):
            continue
        sheet = sheets[link.page - 1]
        x0 = sheet.geometry.width - sheet.width if link.page % 2 else 0.0  # cropped spine bleed
        links.setdefault(link.page, []).append({
            "href": f"#spread-{spread_of(link.target)}", "target": link.target,
            "left": 100 * (link.x - x0) / sheet.width, "top": 100 * link.y / sheet.height,
            "width": 100 * link.width / sheet.width, "height": 100 * link.height / sheet.height,
        })
    articles = [{"title": title, "folio": folio, "href": f"#spread-{spread_of(folio)}"}
                for title, folio in layout.articles]
    return env.get_template("issue.html.j2").render(
        publication=cfg.publication, entry=entry, name=issue.name, tid=f"issue/{edition}",
        rows=_spreads(sheets), links=links, articles=articles, pages=len(geometry),
        editions=list(issue.editions), edition_url=issue_url,
        pdf_url=dist_url(entry.pdf, cfg), revision=f"{instance}-{entry.revision}",
        widths=SIZES["spreads"], where=where(entry.problem, cfg) if entry.problem else "")


def article_page(env: Environment, board: Board, images: PageImages, cfg: Config, entry: Entry,
                 view: str, instance: str, editions: list[str], layouts: list[str]) -> str:
    """One target's pages as they will print, with switches to its other ``editions`` and
    ``layouts`` (those not on the board yet are built when first opened)."""
    tid = target_id(entry.target)
    pdf = entry.target.pdf(cfg)
    geometry = images.geometry(pdf)
    version = _version(pdf)
    low, high = SIZES[view]
    sheets = [_sheet(n, g, page_url(tid, n, low, version), view,
                     f"{page_url(tid, n, high, version)} 2x")
              for n, g in enumerate(geometry, start=1)]
    rows = _spreads(sheets) if view == "spreads" else [[s] for s in sheets]
    built = {target_id(e.target) for e in board.entries()}

    def switch(edition: str, layout: str) -> dict[str, Any]:
        other = f"{entry.target.text.stem}/{edition}/{layout}"
        return {"href": article_url(other, view), "built": other in built}

    return env.get_template("article.html.j2").render(
        publication=cfg.publication, entry=entry, tid=tid, view=view, rows=rows,
        pages=len(geometry), editions=editions, layouts=layouts, switch=switch,
        pdf_url=dist_url(pdf, cfg), html_url=dist_url(entry.target.html(cfg), cfg),
        pages_url=article_url(tid, "pages"), spreads_url=article_url(tid, "spreads"),
        revision=f"{instance}-{entry.revision}", widths=SIZES[view],
        where=where(entry.problem, cfg) if entry.problem else "")


def where(problem: Problem, cfg: Config) -> str:
    """``file:line`` of a problem, the file relative to the project when it lies inside it."""
    if not problem.file:
        return ""
    path = Path(problem.file)
    if path.is_absolute() and path.is_relative_to(cfg.root):
        path = path.relative_to(cfg.root)
    return f"{path}:{problem.line}" if problem.line else str(path)


def _version(pdf: Path) -> int:
    key = file_key(pdf)
    return key[3] if key else 0


def _sheet(number: int, g: Geometry, src: str, view: str, srcset: str = "") -> Sheet:
    """Place page ``number``; in spreads, crop its spine-side bleed (left pages are even)."""
    x0, x1 = 0.0, g.width
    if view == "spreads":
        if number % 2 == 0:
            x1 = g.trim.right
        else:
            x0 = g.trim.x
    visible = x1 - x0
    outer = f"M0 0H{g.width:.2f}V{g.height:.2f}H0Z"
    t = g.trim
    inner = f"M{t.x:.2f} {t.y:.2f}H{t.right:.2f}V{t.y + t.height:.2f}H{t.x:.2f}Z"
    return Sheet(number=number, src=src, srcset=srcset or src, width=visible, height=g.height,
                 img_width=100 * g.width / visible, img_left=-100 * x0 / visible,
                 viewbox=f"{x0:.2f} 0 {visible:.2f} {g.height:.2f}", shade=outer + inner, geometry=g)


def _spreads(sheets: list[Sheet]) -> list[list[Sheet | None]]:
    """Pages as bound: [None, 1], [2, 3], [4, 5]… (None is the empty side)."""
    rows: list[list[Sheet | None]] = []
    if sheets:
        rows.append([None, sheets[0]])
    rest = sheets[1:]
    for i in range(0, len(rest), 2):
        pair: list[Sheet | None] = list(rest[i:i + 2])
        rows.append(pair + [None] * (2 - len(pair)))
    return rows
