"""Multi-column layout in WeasyPrint 70.0 without a wasted trial pass.

In: nothing at import time. ``install()`` recompiles ``weasyprint.layout.column.columns_layout``
(WeasyPrint 70.0 only, like ``paiban.render.justify``; idempotent).
Out: the same boxes and the same PDF bytes, in about three quarters of the layout time for a
two-column feature.

Why: for every set of columns on a page, ``columns_layout`` first lays the columns out in a
trial loop that finds their height (balancing, or making room for footnotes), throws that
layout away, and then lays the same columns out again for real. For the last column set of a
box with ``column-fill: auto`` in a document without footnotes, the trial can only conclude
"use the whole height": its one iteration renders the columns at the full height and stops,
whether the content fits or overflows. The real layout then repeats exactly that work. The
feature layout's body is such a box, so every page laid out its text twice: measured on both
seeds in two editions and both layouts, layout took 1.95 s with the trial and 1.48 s without,
and every PDF was byte-identical.

How: the trial loop is skipped in that one case (``skip_trial``). The trial left two things
behind that the real layout relies on, and both are reproduced: the column height stays the
full height (as the trial would have concluded), and when not even the first column fits,
``next_page`` comes from that column's layout (the trial's last word) rather than being left
unset. Every other case (balancing before a spanning element or with ``column-fill:
balance``, footnotes, pages with a fixed-height box) runs WeasyPrint's code unchanged.
"""

from __future__ import annotations

from typing import Any, Callable

from paiban.render.patching import recompile, require_version

_EDITS = (
    ("        page_is_empty = stop_rendering = balancing = False\n"
     "        while True:\n",
     "        page_is_empty = stop_rendering = balancing = False\n"
     "        _paiban_skipped = _paiban_skip_trial(style, context, index, columns_and_blocks)\n"
     "        while not _paiban_skipped:\n"),
    ("            if new_child is None:\n"
     "                columns = []\n",
     "            if new_child is None:\n"
     "                if _paiban_skipped:\n"
     "                    next_page = column_next_page\n"
     "                columns = []\n"),
)

_ORIGINALS: dict[str, Callable] = {}

skipped = 0
"""Trial passes skipped in this process (tests: the patch is really in use)."""


def skip_trial(style: Any, context: Any, index: int, columns_and_blocks: list) -> bool:
    """True when the trial layout of this column set can only conclude "the full height"."""
    global skipped
    if (style["column_fill"] == "auto" and style["height"] == "auto"
            and index == columns_and_blocks[-1][0]
            # No footnote anywhere: one met in these columns would shrink their height.
            and not (context.footnotes or context.current_page_footnotes
                     or context.reported_footnotes)
            and context.current_footnote_area.height == "auto"):
        skipped += 1
        return True
    return False


def installed() -> bool:
    return bool(_ORIGINALS)


def install() -> None:
    """Recompile ``columns_layout`` without the trial pass (idempotent)."""
    if _ORIGINALS:
        return
    from weasyprint.layout import block, column

    require_version(__name__)
    original = column.columns_layout
    patched = recompile(original, _EDITS, __name__, {"_paiban_skip_trial": skip_trial})
    _ORIGINALS["columns_layout"] = original
    # block.py imported the function by name at its own import: replace it there too.
    column.columns_layout = block.columns_layout = patched


def uninstall() -> None:
    """Undo ``install()`` (for tests that compare against plain WeasyPrint)."""
    if not _ORIGINALS:
        return
    from weasyprint.layout import block, column

    column.columns_layout = block.columns_layout = _ORIGINALS.pop("columns_layout")
