"""Output file names, and what an output folder holds.

In: an output folder, a text's stem, an edition, a layout.
Out: the one place output names are made (``output_path``)::

    dist/<stem>/<stem>.<edition>.pdf            the default layout (e.g. 002_x.zh-Hant.pdf)
    dist/<stem>/<stem>.<edition>.<layout>.pdf   another layout (002_x.zh-Hant.report.pdf)
    …and the same names with .html

so a PDF mailed or copied out of its folder still says which article and which edition it is;
and ``scan``: every PDF in the folder with its title, edition, layout, pages and build time,
marked stale when its edition is no longer configured or its name is not one paiban makes
(an older paiban's ``dist/<stem>/zh-Hans.pdf``). ``remove_stale`` deletes those.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from paiban.config import EDITIONS, Config


def output_path(out: Path, stem: str, edition: str, layout: str | None = None,
                default_layout: str | None = None, suffix: str = "pdf") -> Path:
    """``out/<stem>/<stem>.<edition>[.<layout>].<suffix>``; the layout is named only when it is
    given and not the default one."""
    plain = layout is None or layout == default_layout
    name = f"{stem}.{edition}" if plain else f"{stem}.{edition}.{layout}"
    return out / stem / f"{name}.{suffix}"


@dataclass(slots=True, frozen=True)
class Output:
    """One PDF found in the output folder."""

    pdf: Path
    html: Path | None
    """The HTML it was made from, when it is there."""
    stem: str
    """The text it was made from (its folder)."""
    edition: str | None
    layout: str | None
    title: str
    """The article's title, read from the HTML (the stem when there is none)."""
    pages: int
    built: float
    """Modification time of the PDF (seconds since 1970)."""
    stale: str = ""
    """Why it is stale (``edition zh-Hant-HK is not configured``), or empty."""


_TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def _title(html: Path | None) -> str:
    if html is None:
        return ""
    try:
        with html.open("r", encoding="utf-8", errors="replace") as fh:
            head = fh.read(8192)
    except OSError:
        return ""
    m = _TITLE.search(head)
    return html_lib.unescape(m[1]).strip() if m else ""


def _pages(pdf: Path, out: Path, manifest: dict) -> int:
    entry = manifest.get(pdf.relative_to(out).as_posix())
    if isinstance(entry, dict) and isinstance(entry.get("pages"), int) and entry["pages"]:
        return entry["pages"]
    try:
        return len(_PAGE.findall(pdf.read_bytes()))
    except OSError:
        return 0


def _parse(stem: str, name: str, cfg: Config) -> tuple[str | None, str | None]:
    """(edition, layout) of a PDF's file name, or (None, None) when paiban does not make it."""
    if not name.startswith(stem + "."):
        return None, None
    parts = name[len(stem) + 1:].removesuffix(".pdf").split(".")
    if parts[0] not in EDITIONS or len(parts) > 2:
        return None, None
    return parts[0], parts[1] if len(parts) == 2 else cfg.layout


def scan(cfg: Config) -> list[Output]:
    """Every PDF in ``cfg.out``'s article folders, sorted by folder and name."""
    out = cfg.out
    try:
        manifest = json.loads((out / ".paiban-cache.json").read_text("utf-8"))
    except (OSError, ValueError):
        manifest = {}
    if not isinstance(manifest, dict):
        manifest = {}
    found: list[Output] = []
    for pdf in sorted(out.glob("*/*.pdf")):
        stem = pdf.parent.name
        if stem.startswith(("_", ".")) or not pdf.is_file():
            continue
        html = pdf.with_suffix(".html")
        html = html if html.is_file() else None
        edition, layout = _parse(stem, pdf.name, cfg)
        if edition is None:
            stale = "not a name this paiban makes (an older build?)"
        elif edition not in cfg.editions:
            stale = f"edition {edition} is not configured"
        else:
            stale = ""
        try:
            built = pdf.stat().st_mtime
        except OSError:
            continue
        found.append(Output(pdf=pdf, html=html, stem=stem, edition=edition, layout=layout,
                            title=_title(html) or stem,
                            pages=_pages(pdf, out, manifest), built=built,
                            stale=stale))
    return found


def remove_stale(cfg: Config) -> list[Path]:
    """Delete the stale PDFs (and their HTML) from ``cfg.out``; return the files removed."""
    removed: list[Path] = []
    for output in scan(cfg):
        if not output.stale:
            continue
        for path in (output.pdf, output.html):
            if path is not None:
                path.unlink(missing_ok=True)
                removed.append(path)
        try:
            output.pdf.parent.rmdir()  # only when it is now empty
        except OSError:
            pass
    return removed
