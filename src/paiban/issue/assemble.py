"""Assembly: the issue's pieces joined into one PDF with pikepdf.

In: the plan, the PDFs of the cover, the contents page, each article and the fill page.
Out: the issue PDF's bytes —
- the pages in the plan's order (a blank fill page has the size and boxes of its neighbour);
- bookmarks: cover, contents, then per section (when the manifest names sections) each article
  by its title, with the article's own bookmarks (sections, subheads) beneath it;
- ``/PageLabels``: i, ii… for the cover and contents, then the printed folios;
- metadata: the issue's title, the publication, fixed dates, ``/Lang``; the PDF/X output intent
  and XMP of the articles when they carry one, so the issue is the same variant as its parts;
- the contents page's entries as links to the articles' first pages — only when the file is not
  PDF/X, which allows no link annotations inside the trim;
- the structure tree, when the pieces are tagged (PDF/X-4, screen): each piece's top-level
  elements in page order under one /Document, each page's ParentTree entry (and its link
  annotations') renumbered, so the issue reads as its articles do;
- ``/PaibanIssue`` in the document information: the binding and each article's first folio and
  title, which ``paiban check`` compares with the pages.
Deterministic: same inputs, same bytes (pikepdf's deterministic /ID).
"""

from __future__ import annotations

import io
import json
from datetime import datetime, timezone
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, String

from paiban.config import Config
from paiban.issue.makeup import BINDINGS, Plan
from paiban.issue.manifest import Manifest

LINK_PREFIX = "https://paiban.invalid/page/"
"""The contents template links ``LINK_PREFIX + folio``; assembly turns them into jumps."""


def assemble(plan: Plan, manifest: Manifest, icfg: Config, edition: str, *, cover: Path,
             contents: Path | None, articles: list[Path], fill: Path | None, epoch: int,
             titles: list[str]) -> bytes:
    sources: dict[Path, pikepdf.Pdf] = {}

    def source(path: Path) -> pikepdf.Pdf:
        if path not in sources:
            sources[path] = pikepdf.open(path)
        return sources[path]

    out = pikepdf.new()
    placed: list[tuple[pikepdf.Pdf, pikepdf.Page, pikepdf.Page]] = []  # source, its page, ours

    def place(pdf: pikepdf.Pdf, index: int) -> None:
        out.pages.append(pdf.pages[index])
        placed.append((pdf, pdf.pages[index], out.pages[-1]))

    try:
        for slot in plan.slots:
            if slot.kind == "cover":
                place(source(cover), slot.page)
            elif slot.kind == "contents":
                place(source(contents), slot.page)
            elif slot.kind == "article":
                place(source(articles[slot.article]), slot.page)
            elif fill is not None:
                _add_fill(out, source(fill), source(cover).pages[0])
            else:
                _add_blank(out, source(cover).pages[0])
        first = source(articles[0]) if articles else source(cover)
        pdfx = "/OutputIntents" in first.Root
        _outline(out, plan, manifest, titles, [source(a) for a in articles], edition)
        _labels(out, plan)
        links = _links(out, plan, keep=not pdfx)
        _structure(out, placed)
        _metadata(out, first, manifest, icfg, edition, epoch, plan, titles, links)
        buffer = io.BytesIO()
        version = max([first.pdf_version, source(cover).pdf_version])
        out.save(buffer, deterministic_id=True, min_version=version,
                 object_stream_mode=(pikepdf.ObjectStreamMode.disable if version < "1.5"
                                     else pikepdf.ObjectStreamMode.generate),
                 compress_streams=True)
        return buffer.getvalue()
    finally:
        for pdf in sources.values():
            pdf.close()
        out.close()


def _structure(out: pikepdf.Pdf,
               placed: list[tuple[pikepdf.Pdf, pikepdf.Page, pikepdf.Page]]) -> None:
    """One structure tree for the issue from its tagged pieces' (see the module docstring).
    pikepdf copies a piece's objects once, so the elements copied here point at the pages
    already placed and the ParentTree entries at the elements copied. A page from an untagged
    piece (a fill page) has no entry; a fill page scaled into a form keeps none."""
    tagged = [(pdf, page, ours) for pdf, page, ours in placed if "/StructTreeRoot" in pdf.Root]
    if not tagged:
        return
    # Link annotations assembly left out (PDF/X) leave their elements, not their references.
    kept = {a.objgen for page in out.pages for a in page.obj.get("/Annots", [])}
    document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, K=Array()))
    root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array([document])))
    document.P = root
    nums = Array()
    seen: set[int] = set()
    for pdf, page, ours in tagged:
        if id(pdf) not in seen:  # a piece's elements, once, where its first page goes
            seen.add(id(pdf))
            for top in _kids(pdf.Root.StructTreeRoot):
                for element in (_kids(top) if top.get("/S") == Name.Document else [top]):
                    element = out.copy_foreign(element)
                    element.P = document
                    document.K.append(element)
                    _drop_references(element, kept)
        entries = _numbers(pdf.Root.StructTreeRoot.ParentTree)
        if "/StructParents" in page.obj and int(page.obj.StructParents) in entries:
            ours.obj.StructParents = len(nums) // 2
            nums.extend([len(nums) // 2, _copied_entry(out, entries[int(page.obj.StructParents)])])
        for annotation in ours.obj.get("/Annots", []):
            if "/StructParent" in annotation and int(annotation.StructParent) in entries:
                entry = _copied_entry(out, entries[int(annotation.StructParent)])
                annotation.StructParent = len(nums) // 2
                nums.extend([len(nums) // 2, entry])
    root.ParentTree = out.make_indirect(Dictionary(Nums=nums))
    root.ParentTreeNextKey = len(nums) // 2
    out.Root.StructTreeRoot = root
    out.Root.MarkInfo = Dictionary(Marked=True)


def _drop_references(element, kept: set) -> None:
    """Take out of ``element``'s subtree the object references (/OBJR) to annotations not in
    ``kept``."""
    kids = element.get("/K")
    if not isinstance(kids, Array):
        return
    for i in reversed(range(len(kids))):
        kid = kids[i]
        if isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR:
            if kid.Obj.objgen not in kept:
                del kids[i]
        elif isinstance(kid, Dictionary) and "/S" in kid:
            _drop_references(kid, kept)


def _copied_entry(out: pikepdf.Pdf, entry):
    """A ParentTree entry (an element, or a page's array of them, often direct) in ``out``."""
    if isinstance(entry, Array) and not entry.is_indirect:
        return Array([out.copy_foreign(e) for e in entry])
    return out.copy_foreign(entry)


def _kids(element) -> list:
    kids = element.get("/K", Array())
    return [k for k in (kids if isinstance(kids, Array) else [kids])
            if isinstance(k, Dictionary) and k.get("/Type", Name.StructElem) == Name.StructElem
            and "/S" in k]


def _numbers(tree) -> dict[int, object]:
    """A number tree's entries (its /Nums and its /Kids')."""
    out: dict[int, object] = {}
    nums = tree.get("/Nums", Array())
    for key, value in zip(list(nums)[::2], list(nums)[1::2]):
        out[int(key)] = value
    for kid in tree.get("/Kids", Array()):
        out.update(_numbers(kid))
    return out


def _add_blank(out: pikepdf.Pdf, like: pikepdf.Page) -> None:
    page = out.add_blank_page(page_size=(float(like.mediabox[2]), float(like.mediabox[3])))
    for box in ("/TrimBox", "/BleedBox"):
        if box in like.obj:
            page.obj[box] = Array([float(v) for v in like.obj[box]])


def _add_fill(out: pikepdf.Pdf, fill: pikepdf.Pdf, like: pikepdf.Page) -> None:
    """The fill page as it is when it has the issue's size, else scaled to cover the trim."""
    src = fill.pages[0]
    if [round(float(v)) for v in src.mediabox] == [round(float(v)) for v in like.mediabox]:
        out.pages.append(src)
        return
    _add_blank(out, like)
    page = out.pages[-1]
    form = out.copy_foreign(src.as_form_xobject())
    trim = [float(v) for v in like.obj.get("/TrimBox", like.mediabox)]
    box = [float(v) for v in src.mediabox]
    scale = max((trim[2] - trim[0]) / (box[2] - box[0]), (trim[3] - trim[1]) / (box[3] - box[1]))
    dx = trim[0] + ((trim[2] - trim[0]) - (box[2] - box[0]) * scale) / 2 - box[0] * scale
    dy = trim[1] + ((trim[3] - trim[1]) - (box[3] - box[1]) * scale) / 2 - box[1] * scale
    page.obj.Resources = Dictionary(XObject=Dictionary(Fill=form))
    page.obj.Contents = out.make_stream(
        f"q {scale:.5f} 0 0 {scale:.5f} {dx:.3f} {dy:.3f} cm /Fill Do Q".encode())


def _outline(out: pikepdf.Pdf, plan: Plan, manifest: Manifest, titles: list[str],
             sources: list[pikepdf.Pdf], edition: str) -> None:
    from paiban.render.html import _in_edition

    starts = list(plan.starts)
    with out.open_outline() as outline:
        outline.root.clear()
        kinds = [s.kind for s in plan.slots]
        outline.root.append(OutlineItem(_in_edition("封面", edition), 0))
        if "contents" in kinds:
            outline.root.append(OutlineItem(_in_edition("目录", edition), kinds.index("contents")))
        sections = manifest.sections
        named = any(name for name, _ in sections)
        for name, indices in sections:
            parent = outline.root
            if named:
                item = OutlineItem(_in_edition(name, edition) or "—", starts[indices[0]] - 1)
                outline.root.append(item)
                parent = item.children
            for i in indices:
                item = OutlineItem(titles[i], starts[i] - 1)
                item.children.extend(_copied(sources[i], starts[i] - 1))
                parent.append(item)


def _copied(src: pikepdf.Pdf, offset: int) -> list[OutlineItem]:
    """The article's own bookmarks (below its title), moved to its pages in the issue."""
    pages = {p.objgen: i for i, p in enumerate(src.pages)}

    def convert(items) -> list[OutlineItem]:
        result = []
        for item in items:
            page = _page_of(item, pages)
            new = OutlineItem(item.title, offset + (page or 0))
            new.children.extend(convert(item.children))
            result.append(new)
        return result

    with src.open_outline() as outline:
        items = list(outline.root)
        # WeasyPrint's first bookmark is the article's title, the rest hang below it.
        if len(items) == 1:
            return convert(items[0].children)
        return convert(items[1:] if items else [])


def _page_of(item: OutlineItem, pages: dict) -> int | None:
    dest = item.destination
    if dest is None and item.action is not None and "/D" in item.action:
        dest = item.action.D
    if isinstance(dest, Array) and len(dest) and isinstance(dest[0], pikepdf.Dictionary):
        return pages.get(dest[0].objgen)
    return None


def _labels(out: pikepdf.Pdf, plan: Plan) -> None:
    front = sum(s.kind in ("cover", "contents") for s in plan.slots[:2])
    nums = [0, Dictionary(S=Name.r)]
    if front < len(plan.slots):
        nums += [front, Dictionary(S=Name.D, St=front + 1)]
    out.Root.PageLabels = Dictionary(Nums=Array(nums))


def _links(out: pikepdf.Pdf, plan: Plan, keep: bool) -> list[list[float]]:
    """Contents entries: jumps to the article's first page, or no annotation at all (PDF/X,
    which allows none inside the trim). Returns every entry as [page, x0, y0, x1, y1, folio]
    (PDF units), kept in ``/PaibanIssue`` so a preview can still link a PDF/X issue."""
    found: list[list[float]] = []
    for number, page in enumerate(out.pages, start=1):
        annots = page.obj.get("/Annots")
        if annots is None:
            continue
        kept = Array()
        for annot in annots:
            uri = str(annot.get("/A", {}).get("/URI", "")) if "/A" in annot else ""
            if uri.startswith(LINK_PREFIX):
                folio = int(uri[len(LINK_PREFIX):])
                found.append([number, *(round(float(v), 2) for v in annot.Rect), folio])
                if not keep:
                    continue
                annot.A = Dictionary(S=Name.GoTo,
                                     D=Array([out.pages[folio - 1].obj, Name.Fit]))
            kept.append(annot)
        if len(kept):
            page.obj.Annots = kept
        else:
            del page.obj["/Annots"]
    return found


def _metadata(out: pikepdf.Pdf, first: pikepdf.Pdf, manifest: Manifest, icfg: Config,
              edition: str, epoch: int, plan: Plan, titles: list[str],
              links: list[list[float]]) -> None:
    from paiban.render.html import _in_edition

    stamp = datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("D:%Y%m%d%H%M%SZ")
    title = _in_edition(f"{icfg.publication} {manifest.name}", edition)
    out.docinfo = out.make_indirect(Dictionary(
        Title=String(title), Author=String(_in_edition(icfg.publication, edition)),
        Subject=String(" · ".join(titles)), Creator=String("paiban"),
        Producer=String("paiban (WeasyPrint, pikepdf)"), CreationDate=String(stamp),
        ModDate=String(stamp),
        PaibanIssue=String(json.dumps({
            "binding": manifest.binding, "multiple": BINDINGS[manifest.binding],
            "starts": list(plan.starts), "titles": titles,
            "front": sum(s.kind in ("cover", "contents") for s in plan.slots),
            "links": links,
        }, ensure_ascii=False)),
    ))
    for key in ("/GTS_PDFXVersion", "/GTS_PDFXConformance", "/Trapped"):
        if key in first.docinfo:
            out.docinfo[key] = first.docinfo[key]
    out.Root.Lang = String(edition)
    if "/OutputIntents" in first.Root:
        out.Root.OutputIntents = out.copy_foreign(first.Root.OutputIntents)
    if "/Metadata" in first.Root:
        # The XMP carries the PDF/X identification; its title is the issue's.
        out.Root.Metadata = out.copy_foreign(first.Root.Metadata)
        with out.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            meta["dc:title"] = title
