"""Multi-column layout in WeasyPrint 70.0 without a wasted trial pass, and with the top margin
of a block heading a column dropped where the column starts at a page break.

In: nothing at import time. ``install()`` recompiles ``weasyprint.layout.column.columns_layout``
(WeasyPrint 70.0 only, like ``paiban.render.justify``; idempotent).
Out: the same boxes and the same PDF bytes, in about three quarters of the layout time for a
two-column feature.

Why: for every set of columns on a page, ``columns_layout`` first lays the columns out in a
trial loop that finds their height (balancing, or making room for footnotes), throws that
layout away, and then lays the same columns out again for real. For the last column set of a
box with ``column-fill: auto`` at the top of a page, the trial can only conclude "use the whole
height": its one iteration renders the columns at the full height, exactly as the real layout
will (both with ``page_is_empty`` true), and stops. The feature layout's body continues page
after page in such a box, so those pages laid out their text twice: measured on both seeds in
two editions and both layouts, layout took 1.95 s with the trial and 1.48 s without, and every
PDF was byte-identical.

How: the trial loop is skipped only where nothing it does can show (``skip_trial``):

- the last column set (earlier ones are balanced before a spanning element), ``column-fill:
  auto``, no fixed height;
- the columns start the page (``page_is_empty``): the trial always lays out as if the page
  were empty, so only then is its layout the real one and its ``next_page`` the real one's;
- no footnote anywhere in the document: one met in these columns would shrink their height;
- no nested multi-column box, running element (``position: running()``) or note in the columns:
  WeasyPrint's trial leaves traces of those behind (a nested multicol resets
  ``context.in_column``; running elements and notes stay registered, renumbering later notes),
  and skipping it would change the output by removing them.

Balanced columns (``column-fill: balance``, which the feature uses so that its last page ends
level): the trial is what finds the balanced height, but on every page the content overflows
it only concludes "use the whole height" after laying the columns out once. So balanced columns
are laid out as ``auto`` ones under the same guards, and only when that layout shows that the
content ends on this page (the page to balance) is it thrown away, the state it left behind
(absolute and fixed boxes, float exclusions, boxes broken out of the flow) restored, and
WeasyPrint's own code run: the trial then happens once per article instead of once per page.

The column height stays the full height, as the trial would have concluded. Should the first
column still place nothing, ``next_page`` is taken from it rather than left unset. Every other
case runs WeasyPrint's code unchanged. A reviewer's documents where an unguarded skip changed
the PDF (a named page or ``break-before: right`` right after a spanning element at the page
foot, ``break-before: column`` before a nested multicol, a running header before a note) are in
the tests, compared byte for byte.

Column heads (``margin_at_break``): css-break-3 truncates margins adjoining an unforced break,
column breaks included; WeasyPrint 70 truncates them at page breaks only, so a box, figure or
section heading at the head of a column started a line below the text at the head of the
column beside it. Every column of a set that starts the page (the trial's and the real
layout's, skipped or not) now drops its first block's top margin, unless ``margin-break:
keep``, or the column follows a forced break (``break-before: page`` or ``column``:
css-break-3 keeps those margins) or heads the document's first page (no break at all).

A set that starts mid-page (under the opener or a row spanning the columns) keeps them: its
first column follows the row, and its next ones are left as WeasyPrint lays them, though a
column break is a break too. Tried: the opener's second column (headed by a box, a figure or a
heading in 15 of 64 openers) lined up, but 2 of the 120 corpus texts then kept a hole on page
1 that the make-up pass could not close. Measured on the corpus: the same 224 pages, 0 holes,
every last page level.
"""

from __future__ import annotations

from typing import Any, Callable

from paiban.render.patching import Patch, recompile

_EDITS = (
    ("        page_is_empty = stop_rendering = balancing = False\n"
     "        while True:\n",
     "        page_is_empty = stop_rendering = balancing = False\n"
     "        _paiban_skipped = _paiban_skip_trial(\n"
     "            style, context, index, columns_and_blocks, original_page_is_empty)\n"
     "        while not _paiban_skipped:\n"),
    ("            if new_child is None:\n"
     "                columns = []\n",
     "            if new_child is None:\n"
     "                if _paiban_skipped:\n"
     "                    next_page = column_next_page\n"
     "                columns = []\n"),
)

# A column that starts at a break (its set starts the page) drops the top margin of the block
# heading it (``margin_at_break``): the column box says so, in the trial and the real layout,
# with the trial skipped or not (``_balanced`` runs WeasyPrint's code with these edits only).
_BREAK_EDITS = (
    ("            for i in range(count):\n"
     "                # Render one column\n",
     "            for i in range(count):\n"
     "                column_box.paiban_at_break = original_page_is_empty and (\n"
     "                    _paiban_unforced(context, i, i and next_page))\n"
     "                # Render one column\n"),
    ("            column_box = _create_column_box(\n"
     "                box, containing_block, column_children, width,\n"
     "                current_position_y)\n",
     "            column_box = _create_column_box(\n"
     "                box, containing_block, column_children, width,\n"
     "                current_position_y)\n"
     "            column_box.paiban_at_break = original_page_is_empty and (\n"
     "                _paiban_unforced(context, i, i and next_page))\n"),
)

_MARGIN_EDITS = (
    ("        collapsed_margin = collapse_margin([*adjoining_margins, box.margin_top])\n",
     "        if _paiban_at_break(box, containing_block):\n"
     "            box.margin_top = 0\n"
     "        collapsed_margin = collapse_margin([*adjoining_margins, box.margin_top])\n"),
)


def margin_at_break(box: Any, containing_block: Any) -> bool:
    """True for a block heading a column that starts at a page break (the first column's and
    the next ones' of a set that starts the page), unless its ``margin-break`` is ``keep``:
    its top margin adjoins the break and is truncated, as css-break-3 says and WeasyPrint 70
    does at page breaks only. A box or figure at a column's head then lines up with the text
    at the head of the column beside it, instead of a line below it."""
    return (getattr(containing_block, "paiban_at_break", False)
            and box.style["margin_break"] != "keep"
            and box.position_y == containing_block.content_box_y())


def unforced(context: Any, i: int, next_page: Any) -> bool:
    """True when column ``i`` of a set that starts the page follows an unforced break: for the
    first column, the page break (not the document's first page, not a forced break, as
    WeasyPrint's own page-break code has it); for the next ones, the previous column's end
    (``next_page``: no ``break-before: column``, ``page``…). css-break-3 keeps the margins after
    a forced break under ``margin-break: auto``."""
    if i == 0:
        return context.current_page > 1 and not context.forced_break
    return next_page["break"] == "any" and not next_page["page"]


_FILLS = ("auto",)
"""The column-fill values whose trial may be skipped: ``balance`` only inside ``_balanced``."""

skipped = 0
"""Trial passes skipped in this process (tests: the patch is really in use)."""


def skip_trial(style: Any, context: Any, index: int, columns_and_blocks: list,
               page_is_empty: bool) -> bool:
    """True when the trial layout of this column set can only repeat the real one."""
    global skipped
    if (style["column_fill"] in _FILLS and style["height"] == "auto"
            and page_is_empty
            and index == columns_and_blocks[-1][0]
            and not (context.footnotes or context.current_page_footnotes
                     or context.reported_footnotes)
            and context.current_footnote_area.height == "auto"
            and _plain(columns_and_blocks[-1][1])):
        skipped += 1
        return True
    return False


def _balanced(patched: Callable, original: Callable) -> Callable:
    """``columns_layout`` for balanced columns: laid out as ``auto`` columns without the trial;
    WeasyPrint's own code (trial, balancing) only for the columns the content ends in."""

    def columns_layout(context, box, bottom_space, skip_stack, containing_block,
                       page_is_empty, absolute_boxes, fixed_boxes, *rest):
        global _FILLS
        args = (context, box, bottom_space, skip_stack, containing_block, page_is_empty,
                absolute_boxes, fixed_boxes, *rest)
        if box.style["column_fill"] != "balance" or not page_is_empty:
            return patched(*args)
        saved = (len(absolute_boxes), len(fixed_boxes), list(context.excluded_shapes),
                 dict(context.broken_out_of_flow), skipped)
        _FILLS = ("auto", "balance")
        try:
            result = patched(*args)
        finally:
            _FILLS = ("auto",)
        if skipped == saved[4] or result[1] is not None:
            return result  # not skipped, or the columns go on: the full height was right
        del absolute_boxes[saved[0]:]
        del fixed_boxes[saved[1]:]
        context.excluded_shapes[:] = saved[2]
        context.broken_out_of_flow.clear()
        context.broken_out_of_flow.update(saved[3])
        return original(*args)

    return columns_layout


def _plain(children: list) -> bool:
    """No nested multi-column box, running element or note among ``children``' descendants."""
    todo = list(children)
    while todo:
        box = todo.pop()
        style = box.style
        if (box.is_running() or box.is_note() or getattr(box, "note", None) is not None
                or style["string_set"] != "none"
                or getattr(box, "footnote", None) is not None
                or style["column_count"] != "auto" or style["column_width"] != "auto"):
            return False
        todo.extend(getattr(box, "children", ()))
    return True


def _install_into(patch: Patch) -> None:
    """Recompile ``columns_layout`` without the trial pass."""
    from weasyprint.layout import block, column

    original = recompile(column.columns_layout, _BREAK_EDITS, __name__,
                         {"_paiban_unforced": unforced})
    patched = _balanced(recompile(column.columns_layout, _EDITS + _BREAK_EDITS, __name__,
                                  {"_paiban_skip_trial": skip_trial,
                                   "_paiban_unforced": unforced}), original)
    # block.py imported the function by name at its own import: replace it there too.
    patch.set(column, "columns_layout", patched)
    patch.set(block, "columns_layout", patched)
    # Column children are laid out by block.py's block_container_layout, through its global.
    patch.set(block, "block_level_layout", recompile(
        block.block_level_layout, _MARGIN_EDITS, __name__,
        {"_paiban_at_break": margin_at_break}))


_PATCH = Patch(__name__, _install_into)
install, uninstall, installed = _PATCH.install, _PATCH.uninstall, _PATCH.installed
