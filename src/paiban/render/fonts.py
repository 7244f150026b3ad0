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
import tomllib
from dataclasses import dataclass
from pathlib import Path

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
    try:
        return tomllib.loads(fonts_toml.read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read font configuration: {exc}", path=str(fonts_toml)) from None


def faces(fonts_dir: Path, lang: str) -> Faces:
    """The faces configured for ``lang`` in ``fonts_dir/fonts.toml``."""
    path = fonts_dir / "fonts.toml"
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


def require(fonts_dir: Path, lang: str) -> Faces:
    """``faces(lang)``, after checking each family is installed."""
    f = faces(fonts_dir, lang)
    known = installed_families()
    for family in (f.serif, f.sans):
        if family not in known:
            raise FontError(
                f"font {family!r} for {lang} is not installed: apt-get install {f.package}"
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


def missing_glyphs(text: str, family: str) -> list[str]:
    """Characters of ``text`` that ``family`` has no glyph for, as ``U+XXXX NAME`` (sorted).

    Layout control characters (line breaks, joiners, variation selectors) need no glyph.
    """
    import unicodedata

    cmap = _coverage(family)
    if cmap is None:
        return []
    missing = sorted({ord(ch) for ch in text} - cmap)
    out = []
    for cp in missing:
        if unicodedata.category(chr(cp)) in ("Cc", "Cf", "Zl", "Zp", "Mn") or cp in (0x20, 0xA0):
            continue
        out.append(f"U+{cp:04X} {unicodedata.name(chr(cp), 'UNNAMED')}")
    return out
