"""Font faces per edition, and the check that they are installed.

In: fonts/fonts.toml (edition → serif/sans family names, Debian package), an edition tag.
Out: ``Faces`` for the templates; ``FontError`` (one line naming the family and the Debian
package to install) when fontconfig does not know a face, instead of tofu or a silent fallback
to another face.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from paiban.config import read_toml
from paiban.errors import ConfigError, FontError


@dataclass(slots=True, frozen=True)
class Faces:
    """The families an edition is set in."""

    serif: str
    """Body and display face, e.g. ``Noto Serif CJK SC``."""
    sans: str
    """Headings, captions, callouts, running heads, e.g. ``Noto Sans CJK SC``."""
    package: str = "fonts-noto-cjk"
    """Debian package that provides them."""


@functools.cache
def _table(fonts_toml: Path) -> dict:
    return read_toml(fonts_toml, "font configuration")


def faces(fonts_toml: Path, lang: str) -> Faces:
    """The faces configured for ``lang`` in ``fonts_toml`` (``Config.fonts_toml``)."""
    path = fonts_toml
    table = _table(path)
    entry = table.get("faces", {}).get(lang)
    if not isinstance(entry, dict) or not {"serif", "sans"} <= entry.keys():
        raise ConfigError(f"no [faces.{lang}] with serif and sans", path=str(path))
    return Faces(serif=entry["serif"], sans=entry["sans"], package=table.get("package", "fonts-noto-cjk"))


@functools.cache
def installed_families() -> frozenset[str]:
    """Family names fontconfig knows (empty when fc-list is missing)."""
    if not shutil.which("fc-list"):
        return frozenset()
    out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
    return frozenset(name.strip() for line in out.splitlines() for name in line.split(","))


def require(fonts_toml: Path, lang: str) -> Faces:
    """``faces(lang)``, after checking each family is installed."""
    f = faces(fonts_toml, lang)
    known = installed_families()
    for family in (f.serif, f.sans):
        if family not in known:
            raise FontError(
                f"font {family!r} for {lang} is not installed: apt-get install {f.package}",
                path=str(fonts_toml),
            )
    return f


@functools.cache
def _coverage(family: str) -> frozenset[int] | None:
    """Code points the installed ``family`` maps (None when it cannot be read)."""
    if not shutil.which("fc-match"):
        return None
    found = subprocess.run(["fc-match", "-f", "%{file}:%{index}", family],
                           capture_output=True, text=True).stdout
    path, _, index = found.rpartition(":")
    try:
        from fontTools.ttLib import TTFont

        font = TTFont(path, fontNumber=int(index or 0), lazy=True)
        return frozenset(font.getBestCmap())
    except Exception:
        return None


# Format characters that are drawn, not ignored: they need a glyph like any letter.
_VISIBLE_FORMAT = frozenset([*range(0x600, 0x606), 0x6DD, 0x70F, 0x890, 0x891, 0x8E2,
                             0x110BD, 0x110CD, 0xFFF9, 0xFFFA, 0xFFFB])

# What to call a character Unicode gives no name, by its category.
_UNNAMED = {"Cc": "<control>", "Cs": "<surrogate>", "Co": "<private use>", "Cn": "<unassigned>"}


def needs_glyph(ch: str) -> bool:
    """False for what is laid out without a glyph: white space that CSS collapses (tab, line
    feed, carriage return, space, no-break space), invisible format characters (joiners, bidi
    controls, the BOM), combining marks and the paragraph separator. Any other control
    character is drawn as an empty box, so it needs a glyph too (which no font has)."""
    category = unicodedata.category(ch)
    if category == "Cc":
        return ch not in "\t\n\r"
    if category == "Cf":
        return ord(ch) in _VISIBLE_FORMAT
    return category not in ("Mn", "Zp") and ch not in " \u00a0"


def glyph_name(cp: int) -> str:
    """``U+XXXX NAME``, or ``U+XXXX <control>`` and the like for characters without a name."""
    ch = chr(cp)
    name = unicodedata.name(ch, "") or _UNNAMED.get(unicodedata.category(ch), "UNNAMED")
    return f"U+{cp:04X} {name}"


def missing_glyphs(text: str, family: str) -> list[str]:
    """Characters of ``text`` that ``family`` has no glyph for, as ``U+XXXX NAME`` (sorted).

    Characters laid out without a glyph (``needs_glyph``) are left out.
    """
    cmap = _coverage(family)
    if cmap is None:
        return []
    missing = sorted({ord(ch) for ch in text} - cmap)
    return [glyph_name(cp) for cp in missing if needs_glyph(chr(cp))]
