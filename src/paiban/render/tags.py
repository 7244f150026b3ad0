"""Leaner PDF structure trees: a line of text is marked content of its element, not an element.

In: nothing at import time. ``install()`` recompiles WeasyPrint 70.0's
``weasyprint.pdf.tags._build_box_tree`` (any other version raises ``RuntimeError``); it is
idempotent and ``uninstall()`` restores the original.
Out: in tagged PDFs (PDF/X-4, screen), every text box's marked-content ID goes straight into
the ``/K`` of the structure element that holds it (its ``<p>``, ``<h2>``, ``<span>``…), and the
page's ParentTree maps the ID to that element.

Also, in tagged PDFs:

- a callout box (``<aside data-after="N">``, see layout/_blocks.html.j2) reads right after the
  paragraph its figures come from (the block with ``data-block="N"``; its last structure
  element when the paragraph is split over columns or pages), wherever the layout drew it: the
  opener's 数说 box after the lede, a box of the columns after its paragraph. Its structure
  element moves, /P and all; its marked content and the ParentTree are unchanged. A box whose
  paragraph is not found stays where it is;
- an element with ``data-artifact`` (the proof stamp) and the page's margin boxes (running
  heads, folios) are drawn as /Artifact and have no structure element: they are not the
  article's content. (WeasyPrint marks margin boxes' text as content of elements it leaves out
  of the tree: the ParentTree then names elements no reader can reach.)

Why: WeasyPrint wraps each text box, i.e. each line of a paragraph and each piece of a styled
span, in a ``/Span`` structure element of its own, with no attributes: about 920 of the 1,100
structure elements of seed 002's feature. A ``/Span`` without attributes says nothing to a
screen reader or an extraction tool (ISO 32000-1 14.8.4.4: Span only carries attributes), and
an element's ``/K`` may hold the IDs of content on its page (14.7.2), which is what WeasyPrint
already does for links. Reading order is the order of ``/K``, so it is unchanged; the structure
tree shrinks by about 15 KB per feature.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Callable

from paiban.render.patching import Patch, recompile

_EDITS = (
    ("    if isinstance(box, AbsolutePlaceholder):\n        box = box._box\n",
     "    if isinstance(box, AbsolutePlaceholder):\n        box = box._box\n"
     "    if _paiban_artifact(box):  # paiban: drawn as an artifact, no element\n"
     "        return\n"),
    ("        for child in box.children:\n            tuple(_build_box_tree(\n"
     "                child, parent, pdf, page_number, nums, annotations, tags))\n"
     "        return\n",
     "        return  # paiban: drawn as an artifact, nothing to map\n"),
    ("    pdf.add_object(element)\n\n    # Handle special cases.\n    if tag == 'Figure':\n",
     "    pdf.add_object(element)\n    _paiban_note(box, element)\n\n"
     "    # Handle special cases.\n    if tag == 'Figure':\n"),
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

ARTIFACT = "data-artifact"
"""Attribute of an element drawn as an artifact (its own text and images; put it on nested
elements too): the proof stamp."""

AFTER = "data-after"
"""Attribute of a callout box: the ``data-block`` index of the paragraph it reads after."""


def _artifact(box) -> bool:
    element = getattr(box, "element", None)
    return element is not None and element.get(ARTIFACT) is not None


_notes = threading.local()


def _note(box, element) -> None:
    """Remember the structure elements of boxes whose HTML element has ``data-block`` or
    ``data-after`` (only while ``add_tags`` runs)."""
    notes = getattr(_notes, "elements", None)
    html = box.element
    if notes is None or html is None:
        return
    if html.get("data-block") is not None or html.get(AFTER) is not None:
        notes.append((html, element))


def _number(reference: bytes) -> int:
    return int(reference.split()[0])


def _reorder(pdf, notes: list) -> int:
    """Move each callout's structure elements right after the last element of its paragraph
    (see the module docstring); the number of callouts moved."""
    noted = {(id(html), element.number) for html, element in notes}
    # (html element, structure element), the elements of anonymous boxes inside them left out
    outer = [(html, element) for html, element in notes
             if (id(html), _number(element["P"])) not in noted]
    last: dict[str, object] = {}
    for html, element in outer:
        if html.get(AFTER) is None and html.get("data-block") is not None:
            last[html.get("data-block")] = element
    moved, placed = 0, {}  # placed: paragraph element number -> last element put after it
    for html, element in outer:
        after = html.get(AFTER)
        target = last.get(after) if after is not None else None
        if target is None:
            continue
        anchor = placed.get(target.number, target)
        old_parent = pdf.objects[_number(element["P"])]
        old_parent["K"].remove(element.reference)
        new_parent = pdf.objects[_number(target["P"])]
        kids = new_parent["K"]
        kids.insert(kids.index(anchor.reference) + 1, element.reference)
        element["P"] = target["P"]
        placed[target.number] = element
        moved += 1
        _prune(pdf, old_parent)
    return moved


def _prune(pdf, element) -> None:
    """Take ``element`` out of the tree when moving a box left it empty (its ancestors too)."""
    while len(element["K"]) == 0 and element.get("S") != "/Document":
        parent = pdf.objects[_number(element["P"])]
        if "K" not in parent or not isinstance(parent["K"], list):
            return
        parent["K"].remove(element.reference)
        element = parent


def _add_tags(original: Callable) -> Callable:
    def add_tags(pdf, document, pdf_version, page_streams):
        _notes.elements = []
        try:
            original(pdf, document, pdf_version, page_streams)
            _reorder(pdf, _notes.elements)
        finally:
            _notes.elements = None
    return add_tags


def _margin_artifacts(original: Callable) -> Callable:
    def draw_stacking_context(stream, stacking_context):
        from weasyprint.formatting_structure import boxes

        if not isinstance(stacking_context.box, boxes.MarginBox):
            return original(stream, stacking_context)
        previous = getattr(stream, "_paiban_artifact", False)
        stream._paiban_artifact = True
        try:
            return original(stream, stacking_context)
        finally:
            stream._paiban_artifact = previous
    return draw_stacking_context


def _marked(original: Callable) -> Callable:
    @contextmanager
    def marked(self, box, tag):
        if getattr(self, "_paiban_artifact", False) or _artifact(box):
            with self.artifact():
                yield
        else:
            with original(self, box, tag):
                yield
    return marked


def _install_into(patch: Patch) -> None:
    """Apply the patch."""
    import weasyprint.pdf
    from weasyprint import draw
    from weasyprint.pdf import stream, tags

    patch.set(tags, "_build_box_tree", recompile(tags._build_box_tree, _EDITS, __name__, extra={
        "_paiban_flat": _flat, "_paiban_artifact": _artifact, "_paiban_note": _note}))
    add_tags = _add_tags(tags.add_tags)
    patch.set(tags, "add_tags", add_tags)
    patch.set(weasyprint.pdf, "add_tags", add_tags)  # which calls the one it imported by name
    patch.set(stream.Stream, "marked", _marked(stream.Stream.marked))
    patch.set(draw, "draw_stacking_context",  # called by its global name only
              _margin_artifacts(draw.draw_stacking_context))


_PATCH = Patch(__name__, _install_into)
install, uninstall, installed = _PATCH.install, _PATCH.uninstall, _PATCH.installed
