"""Leaner PDF structure trees: a line of text is marked content of its element, not an element.

In: nothing at import time. ``install()`` recompiles WeasyPrint 70.0's
``weasyprint.pdf.tags._build_box_tree`` (any other version raises ``RuntimeError``); it is
idempotent and ``uninstall()`` restores the original.
Out: in tagged PDFs (PDF/X-4, screen), every text box's marked-content ID goes straight into
the ``/K`` of the structure element that holds it (its ``<p>``, ``<h2>``, ``<span>``…), and the
page's ParentTree maps the ID to that element.

Why: WeasyPrint wraps each text box, i.e. each line of a paragraph and each piece of a styled
span, in a ``/Span`` structure element of its own, with no attributes: about 920 of the 1,100
structure elements of seed 002's feature. A ``/Span`` without attributes says nothing to a
screen reader or an extraction tool (ISO 32000-1 14.8.4.4: Span only carries attributes), and
an element's ``/K`` may hold the IDs of content on its page (14.7.2), which is what WeasyPrint
already does for links. Reading order is the order of ``/K``, so it is unchanged; the structure
tree shrinks by about 15 KB per feature.
"""

from __future__ import annotations

from typing import Callable

from paiban.render.patching import recompile, require_version

_EDITS = (
    ("                if tag == 'Link':\n",
     "                if True:  # paiban: the ID belongs to the element, no /Span per line\n"),
    ("        children = child.children if isinstance(child, boxes.LineBox) else [child]\n",
     "        children = _paiban_flat(\n"
     "            child.children if isinstance(child, boxes.LineBox) else [child])\n"),
)

PRESENTATIONAL = "cjk-"
"""Class prefix of the spans ``paiban.render.cjk`` adds for spacing, half-width punctuation and
no-break runs: typography, not structure, so their text belongs to the element around them."""


def _presentational(box) -> bool:
    element = getattr(box, "element", None)
    if element is None or box.element_tag != "span" or box.link_annotation:
        return False
    classes = (element.get("class") or "").split()
    return bool(classes) and all(name.startswith(PRESENTATIONAL) for name in classes)


def _flat(children):
    """``children`` with each presentational inline span replaced by its own children."""
    from weasyprint.formatting_structure import boxes

    for child in children:
        if isinstance(child, boxes.InlineBox) and _presentational(child):
            yield from _flat(child.children)
        else:
            yield child

_ORIGINALS: dict[str, Callable] = {}


def installed() -> bool:
    return bool(_ORIGINALS)


def install() -> None:
    """Apply the patch (idempotent). RuntimeError for another WeasyPrint version."""
    if _ORIGINALS:
        return
    from weasyprint.pdf import tags

    require_version(__name__)
    original = tags._build_box_tree
    tags._build_box_tree = recompile(original, _EDITS, __name__, extra={"_paiban_flat": _flat})
    _ORIGINALS["build"] = original


def uninstall() -> None:
    if not _ORIGINALS:
        return
    from weasyprint.pdf import tags

    tags._build_box_tree = _ORIGINALS.pop("build")
