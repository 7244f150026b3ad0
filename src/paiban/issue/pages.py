"""The issue's own pages: the cover, the contents page and a fill page, as PDFs.

In: the issue config (``out`` = the issue's folder), the manifest, an edition, the plan (for the
contents page's folios). Out: a ``Piece`` per page set, rendered through ``layout/cover.html.j2``,
``layout/contents.html.j2`` and ``layout/fill.html.j2`` with ``styles/issue.css``, written under
``<issue>/_issue/`` with its HTML, and reused while its key (template inputs + what it shows)
and file are unchanged.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from paiban.build import _epoch, allowed_roots, write_atomic
from paiban.config import Config
from paiban.errors import PaibanError
from paiban.issue.makeup import Plan
from paiban.issue.manifest import Manifest


@dataclass(slots=True, frozen=True)
class Item:
    """A contents entry."""

    title: str
    subtitle: str
    byline: str
    folio: int


def contents_items(icfg: Config, manifest: Manifest, edition: str, plan: Plan) -> list[Item]:
    from paiban.pipeline import prepare

    items = []
    for entry, folio in zip(manifest.entries, plan.starts):
        article = prepare(entry.text, icfg, edition)
        items.append(Item(article.title, article.subtitle, article.byline, folio))
    return items


def contents(icfg: Config, manifest: Manifest, edition: str, items: list[Item], record: dict,
             shared: str):
    sections = []
    for name, indices in manifest.sections:
        sections.append((_convert(name, edition), [items[i] for i in indices]))
    return _page(icfg, "contents", edition, record, shared,
                 {"entries": sections, "date": manifest.date},
                 [manifest.name, manifest.date, sections])


def cover(icfg: Config, manifest: Manifest, edition: str, record: dict, shared: str):
    image = manifest.cover_image.relative_to(icfg.root.resolve()).as_posix() \
        if manifest.cover_image else None
    lines = [_convert(line, edition) for line in manifest.cover_lines]
    stamp = _file_stamp(manifest.cover_image)
    return _page(icfg, "cover", edition, record, shared,
                 {"cover_image": image, "lines": lines, "date": manifest.date},
                 [manifest.name, manifest.date, image, stamp, lines])


def fill(icfg: Config, manifest: Manifest, edition: str, record: dict, shared: str):
    """The page that fills left-over pages: an image set full-bleed, or the manifest's PDF."""
    assert manifest.fill is not None
    if manifest.fill.suffix.lower() == ".pdf":
        from paiban.issue.run import Piece  # a PDF fill is placed as it is

        return Piece(manifest.fill, 1, _file_stamp(manifest.fill))
    image = manifest.fill.relative_to(icfg.root.resolve()).as_posix()
    return _page(icfg, "fill", edition, record, shared, {"image": image},
                 [image, _file_stamp(manifest.fill)])


def _page(icfg: Config, name: str, edition: str, record: dict, shared: str,
          context: dict, shown: list):
    from paiban.issue.run import Piece, _sha

    key = hashlib.sha256(json.dumps([shared, name, edition, icfg.publication, shown],
                                    ensure_ascii=False, default=repr).encode()).hexdigest()
    slot = f"{name}/{edition}"
    pdf_path = icfg.out / "_issue" / f"{name}.{edition}.pdf"
    entry = record.get(slot)
    if entry and entry.get("key") == key and pdf_path.is_file() \
            and _sha(pdf_path) == entry.get("sha256"):
        return Piece(pdf_path, int(entry["pages"]), key)
    html = render_issue_html(icfg, name, edition, context)
    html_path = pdf_path.with_suffix(".html")
    from paiban.render.pdf import render_pdf, shared_font_config

    rendered = render_pdf(html, html_path, allowed_roots(icfg), _epoch(icfg),
                          shared_font_config(icfg.fonts_dir))
    if rendered.refused:
        raise PaibanError(f"the {name} page asked for files outside the project: "
                          f"{', '.join(rendered.refused[:3])}", path=str(html_path))
    write_atomic(pdf_path, rendered.pdf)
    write_atomic(html_path, html.encode("utf-8"))
    record[slot] = {"key": key, "pages": rendered.pages, "sha256": _sha(pdf_path)}
    return Piece(pdf_path, rendered.pages, key)


def render_issue_html(icfg: Config, name: str, edition: str, context: dict) -> str:
    from paiban.render.fonts import faces
    from paiban.render.html import _SHEETS, _in_edition, environment

    env = environment(icfg.layout_dir)
    sheets = [s for s in _SHEETS if "{layout}" not in s and (icfg.styles_dir / s).is_file()]
    sheets.append("issue.css")
    context = dict(context)
    issue = {"name": _in_edition(icfg.issue, edition), "date": context.pop("date", "")}
    return env.get_template(f"{name}.html.j2").render(
        lang=edition, root=str(icfg.root), faces=faces(icfg.fonts_dir, edition),
        stylesheets=[f"../_assets/styles/{s}" for s in sheets], marks=icfg.marks,
        publication=_in_edition(icfg.publication, edition), issue=issue, **context)


def _convert(text: str, edition: str) -> str:
    from paiban.render.html import _in_edition

    return _in_edition(text, edition)


def _file_stamp(path: Path | None) -> str:
    if path is None:
        return ""
    st = path.stat()
    return f"{path.name}:{st.st_size}:{st.st_mtime_ns}"
