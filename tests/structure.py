"""Reading a tagged PDF's structure tree in order, for the tests: the text of the marked content
it reaches, the ParentTree checked against it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
import pikepdf


def _bytes(pdf: bytes | Path) -> bytes:
    return pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes()


def text(pdf: bytes | Path) -> str:
    """The text of the marked content the structure tree reaches, in the order of the /K
    arrays (an element's own IDs and its children interleaved as they are), white space left
    out. Poppler's pdftotext does not follow tags, and pdfplumber's structure_tree puts an
    element's own IDs before its children."""
    data = _bytes(pdf)
    chars: dict[tuple[int, int | None], list[str]] = {}
    with pdfplumber.open(io.BytesIO(data)) as plumbed:
        for page in plumbed.pages:
            for c in page.chars:
                chars.setdefault((page.page_number - 1, c.get("mcid")), []).append(c["text"])
    out: list[str] = []

    def walk(node, page):
        page = pages.get(node.Pg.objgen, page) if "/Pg" in node else page
        for kid in node.K if isinstance(node.K, pikepdf.Array) else [node.K]:
            if isinstance(kid, int):
                out.append("".join(chars.get((page, int(kid)), [])))
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                out.append("".join(chars.get((pages[kid.Pg.objgen], int(kid.MCID)), [])))
            elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                walk(kid, page)
    with pikepdf.open(io.BytesIO(data)) as doc:
        pages = {p.obj.objgen: i for i, p in enumerate(doc.pages)}
        walk(doc.Root.StructTreeRoot, None)
    return re.sub(r"\s+", "", "".join(out))


def elements(doc: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """The structure elements, in tree order."""
    out = []

    def walk(node):
        for kid in (node.K if isinstance(node.K, pikepdf.Array) else [node.K]):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                out.append(kid)
                walk(kid)
    walk(doc.Root.StructTreeRoot)
    return out


def mcids(element) -> list[int]:
    kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
    return [int(k) for k in kids if isinstance(k, int)]


def check_tree(pdf: bytes | Path) -> None:
    """Every element's /P is the element whose /K holds it; every page's ParentTree entry maps
    each of its IDs to the element whose /K holds it, and to nothing else."""
    with pikepdf.open(io.BytesIO(_bytes(pdf))) as doc:
        root = doc.Root.StructTreeRoot
        for parent in [root, *elements(doc)]:
            for kid in (parent.K if isinstance(parent.K, pikepdf.Array) else [parent.K]):
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                    assert kid.P.objgen == parent.objgen, (str(kid.S), str(parent.get("/S")))
        held = {(e.Pg.objgen, m): e.objgen for e in elements(doc) for m in mcids(e)}
        reachable = {e.objgen for e in elements(doc)}
        nums = root.ParentTree.Nums
        entries = {int(k): v for k, v in zip(nums[::2], nums[1::2])}
        for page in doc.pages:
            refs = entries.pop(int(page.obj.StructParents)) if "/StructParents" in page.obj else []
            assert len(refs) == sum(1 for (pg, _) in held if pg == page.obj.objgen)
            for mcid, element in enumerate(refs):
                assert held[(page.obj.objgen, mcid)] == element.objgen
        for entry in entries.values():  # link annotations': an element of the tree
            assert entry.objgen in reachable
