"""``paiban check`` on an issue PDF: the make-up, measured from the file itself.

In: a PDF. Out: ``None`` when it is not an issue (no ``/PaibanIssue`` in its document
information), else an ``IssueCheck``: the page count against the binding, each page's printed
folio against its page label and position, each article's contents entry and bookmark against
its real first page.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(slots=True)
class IssueCheck:
    pages: int
    multiple: int
    starts: list[int]
    contents_folios: list[int]
    bookmark_folios: list[int]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        lines = [f"issue: {self.pages} pages (a multiple of {self.multiple}); articles open on "
                 f"{', '.join(map(str, self.starts))}; contents lists "
                 f"{', '.join(map(str, self.contents_folios)) or 'none'}"]
        lines += [f"  ✗ {p}" for p in self.problems] or ["  ✓ folios continuous, contents and "
                                                        "bookmarks match the pages"]
        return "\n".join(lines)


def check_issue(path: Path) -> IssueCheck | None:
    import pdfplumber
    import pikepdf

    with pikepdf.open(path) as pdf:
        raw = pdf.docinfo.get("/PaibanIssue")
        if raw is None:
            return None
        info = json.loads(str(raw))
        labels = _labels(pdf)
        index = {p.objgen: i for i, p in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:
            bookmarks = _title_pages(outline.root, set(info["titles"]), index)
        pages = len(pdf.pages)
    result = IssueCheck(pages=pages, multiple=info["multiple"], starts=info["starts"],
                        contents_folios=[], bookmark_folios=[])
    if pages % info["multiple"]:
        result.problems.append(f"{pages} pages is not a multiple of {info['multiple']} "
                               f"({info['binding']} binding)")
    front = info["front"]
    with pdfplumber.open(path) as doc:
        for i, page in enumerate(doc.pages):
            label = labels[i] if i < len(labels) else ""
            if i >= front and label != str(i + 1):
                result.problems.append(f"page {i + 1} is labelled {label!r}, not {i + 1}")
            folio = _printed_folio(page)
            if folio is not None and folio != i + 1:
                result.problems.append(f"page {i + 1} prints the folio {folio}")
        if front >= 2:
            result.contents_folios = _contents_folios(doc.pages[1])
    if front >= 2 and result.contents_folios != info["starts"]:
        result.problems.append(f"the contents page lists {result.contents_folios}, the articles "
                               f"open on {info['starts']}")
    result.bookmark_folios = [bookmarks.get(t, 0) for t in info["titles"]]
    if result.bookmark_folios != info["starts"]:
        result.problems.append(f"the bookmarks go to {result.bookmark_folios}, the articles open "
                               f"on {info['starts']}")
    return result


def _labels(pdf) -> list[str]:
    """Each page's label from /PageLabels (decimal and lower roman only, as paiban writes)."""
    nums = list(pdf.Root.get("/PageLabels", {}).get("/Nums", []))
    ranges = [(int(nums[k]), nums[k + 1]) for k in range(0, len(nums), 2)]
    out = []
    for i in range(len(pdf.pages)):
        start, spec = max((r for r in ranges if r[0] <= i), default=(0, None), key=lambda r: r[0])
        if spec is None:
            out.append(str(i + 1))
            continue
        n = int(spec.get("/St", 1)) + i - start
        out.append(_roman(n) if str(spec.get("/S")) == "/r" else str(n))
    return out


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                           (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                           (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _title_pages(items, titles: set[str], index: dict) -> dict[str, int]:
    """Folio of the first bookmark of each article title, anywhere in the outline."""
    found: dict[str, int] = {}
    for item in items:
        if item.title in titles and item.title not in found and item.destination is not None:
            found[item.title] = index.get(item.destination[0].objgen, -1) + 1
        for title, folio in _title_pages(item.children, titles, index).items():
            found.setdefault(title, folio)
    return found


def _printed_folio(page) -> int | None:
    """The number printed in the bottom margin (below the text block), if any."""
    foot = page.height * 0.93
    words = page.extract_words()
    numbers = [w["text"] for w in words if w["top"] > foot and re.fullmatch(r"\d{1,4}", w["text"])]
    return int(numbers[0]) if len(numbers) == 1 else None


def _contents_folios(page) -> list[int]:
    """The contents page's folios: its numbers set large (the entries' page numbers)."""
    words = page.extract_words(extra_attrs=["size"])
    return [int(w["text"]) for w in words
            if re.fullmatch(r"\d{1,4}", w["text"]) and w["size"] >= 14]
