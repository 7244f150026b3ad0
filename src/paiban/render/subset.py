"""Small font subsets for WeasyPrint 70.0: CID-keyed CFF faces embedded without empty slots.

In: nothing at import time. ``install()`` patches ``weasyprint.pdf.fonts.Font._harfbuzz_subset``
and ``weasyprint.pdf.fonts.build_fonts_dictionary`` (WeasyPrint 70.0 only; idempotent;
``uninstall()`` restores both). Without libharfbuzz-subset it does nothing: WeasyPrint's
fontTools fallback is left alone.
Out: the same pages, text layer and glyph widths, with each CID-keyed CFF face (the Noto CJK
faces) embedded as a bare CFF holding only the glyphs drawn (seed 002: 739 → 224 KB), its
subset tag (``ABCDEF+``) made from those glyphs.

Why: WeasyPrint subsets with HarfBuzz's RETAIN_GIDS, so that the glyph IDs it wrote into the
content streams stay valid, and keeps every glyph slot up to the highest ID used. Noto CJK
glyph IDs run to ~65,000, so each face embeds ~65,000 empty CharStrings (~175 KB compressed)
whatever the text.

How, without touching the content streams: the Noto CJK faces are CID-keyed CFF fonts whose
charset maps every glyph ID to the equal CID (ROS Adobe-Identity-0). A PDF viewer finds a
CIDFontType0 glyph by looking its CID up in the CFF charset (ISO 32000-1 9.7.4.2), and
HarfBuzz, subsetting without RETAIN_GIDS, renumbers the glyphs but keeps each glyph's CID in
the charset. So the codes already in the content streams, the ``/W`` widths and the ToUnicode
map (all keyed by CID) stay right as they are. The subset is checked, not assumed: every glyph
drawn must sit at the new glyph ID HarfBuzz's plan gives it, under a CID equal to its old glyph
ID; any other font (TrueType, name-keyed CFF, CFF2, variable, colour, a face whose CIDs are
not its glyph IDs) goes through WeasyPrint's own subsetting, unchanged.

The CFF table is embedded bare (``FontFile3`` ``/Subtype /CIDFontType0C``, PDF 1.3) instead of
wrapped in OpenType (``/OpenType``, PDF 1.6): smaller, as Typst and dvipdfmx write CJK fonts,
and valid in PDF/X-1a's PDF 1.4.

One HarfBuzz pass on the drawn glyphs replaces WeasyPrint's two (the second over all ~65,000
retained slots), so PDF writing gets faster, and nothing is cached between documents.
``Font.file_content`` becomes the subset OpenType font as before, so ``paiban.render.memory``
still never reads a whole face for a subset font.
"""

from __future__ import annotations

import ctypes.util
import hashlib
import io
from typing import Any, Callable

from paiban.render.patching import Patch, recompile

subset_faces = 0
"""Faces this process embedded as bare CID-keyed CFF (tests: the patch took the fonts)."""

_DROP_TABLES = (b'BASE', b'DSIG', b'EBDT', b'EBLC', b'EBSC', b'GPOS', b'GSUB', b'JSTF', b'LTSH',
                b'PCLT', b'SVG ', b'cmap')
"""WeasyPrint's dropped tables, and cmap: the PDF reaches glyphs through CIDs, never a cmap."""

_EMBED_EDIT = (
    "if font.type == 'otf':\n"
    "    font_extra = pydyf.Dictionary({'Subtype': '/OpenType'})\n"
    "else:\n"
    "    font_extra = pydyf.Dictionary({'Length1': len(font.file_content)})\n"
    "font_stream = pydyf.Stream([font.file_content], font_extra, compress=compress)\n",
    "font_program, font_extra = _paiban_font_program(font)\n"
    "font_stream = pydyf.Stream([font_program], font_extra, compress=compress)\n",
)

_TO_UNICODE_EDIT = (
    "to_unicode_items = tuple(to_unicode.items())\n",
    "to_unicode_items = tuple(sorted(to_unicode.items()))\n",
)
"""The ToUnicode map in glyph order (WeasyPrint writes it in the order glyphs were first
drawn): neighbouring entries then share their leading digits and compress better, and the
map is the same for the same glyphs whatever the page order."""

_WIDTHS_EDITS = (
    ("    pdf_widths = pydyf.Array()\n",
     "    pdf_widths = pydyf.Array()\n"
     "    widths = _paiban_not_default(widths)\n"),
    ("        'W': pdf_widths,\n",
     "        'W': pdf_widths,\n"
     "        'DW': 1000,\n"),
)
"""``/W`` lists only the glyphs whose width is not 1000, the CIDFont's default width, written
out as ``/DW 1000`` (ISO 32000-1 9.7.4.3: the default when absent, but pypdf, for one, guesses
its own default without it): WeasyPrint lists every glyph, and nearly every CJK glyph is 1000
wide, so seed 002's body face carried ~9 KB of ``[ 1000 ]`` entries."""

DEFAULT_WIDTH = 1000


def _not_default(widths: dict) -> dict:
    return {glyph: width for glyph, width in widths.items() if width != DEFAULT_WIDTH}


_PLAN_API = """
    typedef ... hb_face_t;
    typedef ... hb_subset_input_t;
    typedef ... hb_subset_plan_t;
    typedef ... hb_map_t;
    typedef uint32_t hb_codepoint_t;
    hb_subset_plan_t * hb_subset_plan_create_or_fail (
        hb_face_t *source, const hb_subset_input_t *input);
    hb_face_t * hb_subset_plan_execute_or_fail (hb_subset_plan_t *plan);
    const hb_map_t * hb_subset_plan_old_to_new_glyph_mapping (const hb_subset_plan_t *plan);
    void hb_subset_plan_destroy (hb_subset_plan_t *plan);
    hb_codepoint_t hb_map_get (const hb_map_t *map, hb_codepoint_t key);
"""
"""HarfBuzz's subset plan, which WeasyPrint's cffi declarations lack: it tells where each kept
glyph lands. Debian 12's libharfbuzz-subset 6.0 exports it; without it the patch stays out."""


def _plan_library():
    """Our own cffi handle on libharfbuzz-subset's plan functions, or None without them."""
    import cffi

    name = ctypes.util.find_library("harfbuzz-subset")
    if name is None:
        return None
    ffi = cffi.FFI()
    ffi.cdef(_PLAN_API)
    try:
        library = ffi.dlopen(name)
        library.hb_subset_plan_create_or_fail  # noqa: B018 - fails here if not exported
    except (OSError, AttributeError):
        return None
    return ffi, library


def _charset_cids(cff: bytes) -> list[int] | None:
    """The CID of each glyph of a CID-keyed CFF table, in glyph order; None for any other."""
    from fontTools.cffLib import CFFFontSet

    font_set = CFFFontSet()
    try:
        font_set.decompile(io.BytesIO(cff), None)
        top = font_set.topDictIndex[0]
        if not hasattr(top, "ROS"):
            return None
        return [0 if name == ".notdef" else int(name[3:]) for name in top.charset]
    except Exception:  # noqa: BLE001 - a CFF fontTools cannot read: not ours to embed
        return None


def _cid_keyed_subset(font, glyphs: list[int], hinting: bool,
                      plan_api) -> tuple[bytes, bytes] | None:
    """(subset OpenType font, its CFF table) holding ``glyphs`` under CIDs equal to their
    glyph IDs, or None when this face cannot be embedded so."""
    from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset
    from weasyprint.text.fonts import get_hb_object_data

    plan_ffi, plan_lib = plan_api
    subset_input = ffi.gc(harfbuzz_subset.hb_subset_input_create_or_fail(),
                          harfbuzz_subset.hb_subset_input_destroy)
    if subset_input == ffi.NULL:
        return None
    glyph_set = harfbuzz_subset.hb_subset_input_glyph_set(subset_input)
    harfbuzz.hb_set_add_sorted_array(
        glyph_set, ffi.new(f"hb_codepoint_t[{len(glyphs)}]", glyphs), len(glyphs))
    # WeasyPrint's flags, less RETAIN_GIDS; its hinting choice applied in the one pass.
    flags = (harfbuzz_subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED |
             harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE)
    if not hinting:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
    if font.missing:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
    harfbuzz_subset.hb_subset_input_set_flags(subset_input, flags)
    drop = harfbuzz_subset.hb_subset_input_set(
        subset_input, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG)
    tags = sorted(harfbuzz.hb_tag_from_string(tag, -1) for tag in _DROP_TABLES)
    harfbuzz.hb_set_add_sorted_array(drop, ffi.new(f"hb_codepoint_t[{len(tags)}]", tags),
                                     len(tags))

    def cast(pointer, to):
        return plan_ffi.cast(to, int(ffi.cast("uintptr_t", pointer)))

    plan = plan_lib.hb_subset_plan_create_or_fail(cast(font.hb_face, "hb_face_t *"),
                                                  cast(subset_input, "hb_subset_input_t *"))
    if plan == plan_ffi.NULL:
        return None
    try:
        old_to_new = plan_lib.hb_subset_plan_old_to_new_glyph_mapping(plan)
        new_ids = [plan_lib.hb_map_get(old_to_new, glyph) for glyph in glyphs]
        new_face = plan_lib.hb_subset_plan_execute_or_fail(plan)
    finally:
        plan_lib.hb_subset_plan_destroy(plan)
    if new_face == plan_ffi.NULL:
        return None
    face = ffi.gc(ffi.cast("hb_face_t *", int(plan_ffi.cast("uintptr_t", new_face))),
                  harfbuzz.hb_face_destroy)
    blob = harfbuzz.hb_face_reference_table(face, harfbuzz.hb_tag_from_string(b"CFF ", -1))
    try:
        length = ffi.new("unsigned int *")
        data = harfbuzz.hb_blob_get_data(blob, length)
        cff = bytes(ffi.buffer(data, length[0])) if length[0] else b""
    finally:
        harfbuzz.hb_blob_destroy(blob)
    cids = _charset_cids(cff) if cff else None
    if cids is None or any(new >= len(cids) or cids[new] != old
                           for old, new in zip(glyphs, new_ids)):
        return None
    otf = get_hb_object_data(face)
    return (otf, cff) if otf else None


def _tagged(name: bytes, cff: bytes) -> bytes:
    """``name`` (``/ABCDEF+Noto-Serif-CJK-SC``) with a subset tag made from the subset itself.
    WeasyPrint makes it from the face's description, so every document's subset of a face gets
    one tag; PDF wants different subsets in one file to have different tags (ISO 32000-1
    9.6.4), and an issue joins many articles' subsets into one file."""
    digest = hashlib.md5(cff, usedforsecurity=False).digest()
    return name[:1] + bytes(65 + byte % 26 for byte in digest[:6]) + name[7:]


def _eligible(font) -> bool:
    """A static CFF face without colour or bitmap glyphs: the faces the CID route may fit."""
    return ("CFF " in font.tables and "fvar" not in font.tables and not font.bitmap
            and not (font.png or font.svg or font.colr))


def _font_program(font) -> tuple[bytes, Any]:
    """What WeasyPrint's build_fonts_dictionary embeds for ``font``: our bare CFF when this
    patch subset it, else what WeasyPrint 70.0 itself writes."""
    import pydyf

    cff = font.__dict__.get("_paiban_cff")
    if cff is not None:
        return cff, pydyf.Dictionary({"Subtype": "/CIDFontType0C"})
    if font.type == "otf":
        return font.file_content, pydyf.Dictionary({"Subtype": "/OpenType"})
    return font.file_content, pydyf.Dictionary({"Length1": len(font.file_content)})


def _indent(edit: tuple[str, str], spaces: int) -> tuple[str, str]:
    return tuple("".join(" " * spaces + line if line.strip() else line
                         for line in part.splitlines(True)) for part in edit)


def _pdf_module():
    """``weasyprint.pdf`` (its package ``__init__``), which imported build_fonts_dictionary by
    name and calls it from there."""
    import importlib

    return importlib.import_module("weasyprint.pdf")


def _install_into(patch: Patch) -> None:
    """Apply the patch, unless WeasyPrint subsets with fontTools or HarfBuzz lacks the plan
    API: then WeasyPrint is left alone."""
    from weasyprint.pdf import fonts

    plan_api = _plan_library()
    if plan_api is None or fonts.harfbuzz_subset is None:
        return
    original_subset: Callable = fonts.Font._harfbuzz_subset
    # The edit is written at the left margin; in the function it sits in a loop, 8 deep.
    build = recompile(fonts.build_fonts_dictionary,
                      [_indent(_EMBED_EDIT, 8), _indent(_TO_UNICODE_EDIT, 8)], __name__,
                      extra={"_paiban_font_program": _font_program})

    def _harfbuzz_subset(self, to_unicode, hinting):
        global subset_faces
        self.__dict__.pop("_paiban_cff", None)
        if _eligible(self):
            glyphs = sorted(glyph for glyph in to_unicode if glyph < self.glyph_count)
            result = _cid_keyed_subset(self, glyphs, hinting, plan_api) if glyphs else None
            if result is not None:
                self.file_content, self.__dict__["_paiban_cff"] = result
                self.name = _tagged(self.name, result[1])
                subset_faces += 1
                return
        original_subset(self, to_unicode, hinting)

    vector = recompile(fonts._build_vector_font_dictionary, _WIDTHS_EDITS, __name__,
                       extra={"_paiban_not_default": _not_default})
    patch.set(fonts.Font, "_harfbuzz_subset", _harfbuzz_subset)
    patch.set(fonts, "_build_vector_font_dictionary", vector)
    patch.set(fonts, "build_fonts_dictionary", build)
    patch.set(_pdf_module(), "build_fonts_dictionary", build)


_PATCH = Patch(__name__, _install_into)
install, uninstall, installed = _PATCH.install, _PATCH.uninstall, _PATCH.installed
