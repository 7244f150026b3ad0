"""Issue make-up: page arithmetic, no files.

In: the pages the cover and contents take, each article's page count, the ``start`` rule and the
binding. Out: a ``Plan``: every page of the issue in order (cover, contents, an article's n-th
page, a fill page), each article's first folio, and the folio of every page.

Folios count every physical page from the cover (page 1, a right-hand page): odd folios are
right-hand pages (recto), even ones left-hand (verso). The cover and contents pages are labelled
in lower-case roman numerals in the PDF (i, ii…), the rest by their folio (3, 4…), so a reader's
"go to page 7" finds the page printed 7.
"""

from __future__ import annotations

from dataclasses import dataclass

BINDINGS = {"saddle": 4, "perfect": 2, "none": 1}
"""Binding → the multiple the page count must be (saddle stitching folds sheets of four pages)."""
STARTS = ("recto", "any")


@dataclass(slots=True, frozen=True)
class Slot:
    """One page of the issue."""

    kind: str
    """``cover``, ``contents``, ``article`` or ``fill``."""
    folio: int
    """Its page number, 1 = the cover."""
    article: int = -1
    """Index of the article (``article`` pages), else -1."""
    page: int = 0
    """Page of that article (0-based) or of the cover/contents."""


@dataclass(slots=True, frozen=True)
class Plan:
    slots: tuple[Slot, ...]
    starts: tuple[int, ...]
    """First folio of each article, in manifest order."""

    @property
    def pages(self) -> int:
        return len(self.slots)

    def fills(self) -> int:
        return sum(s.kind == "fill" for s in self.slots)


def plan(article_pages: list[int], *, cover: int = 1, contents: int = 1,
         start: str = "recto", binding: str = "saddle") -> Plan:
    """Lay the issue out; see the module docstring."""
    if start not in STARTS:
        raise ValueError(f"start must be one of {', '.join(STARTS)}")
    if binding not in BINDINGS:
        raise ValueError(f"binding must be one of {', '.join(BINDINGS)}")
    slots: list[Slot] = []

    def add(kind: str, article: int = -1, page: int = 0) -> None:
        slots.append(Slot(kind, len(slots) + 1, article, page))

    for page in range(cover):
        add("cover", page=page)
    for page in range(contents):
        add("contents", page=page)
    starts: list[int] = []
    for i, count in enumerate(article_pages):
        if start == "recto" and (len(slots) + 1) % 2 == 0:
            add("fill")  # the next folio is even, a left-hand page: fill it
        starts.append(len(slots) + 1)
        for page in range(count):
            add("article", i, page)
    multiple = BINDINGS[binding]
    while len(slots) % multiple:
        add("fill")
    return Plan(tuple(slots), tuple(starts))
