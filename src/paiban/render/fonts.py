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


@functools.lru_cache(maxsize=4)
def _table_of(data: bytes, fonts_toml: Path) -> dict:
    from paiban.config import toml_from_bytes

    return toml_from_bytes(data, fonts_toml, "font configuration")


def faces(fonts_toml: Path, lang: str, theme=None) -> Faces:
    """The faces configured for ``lang`` in ``fonts_toml`` (``Config.fonts_toml``), or in the
    theme's copy of it (``theme``: the files the build read)."""
    path = fonts_toml
    data = theme.get("fonts/fonts.toml") if theme is not None else None
    if theme is not None and data is None:
        raise ConfigError("cannot read font configuration: no such file", path=str(path))
    table = _table(path) if data is None else _table_of(data, path)
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


def require(fonts_toml: Path, lang: str, theme=None) -> Faces:
    """``faces(lang)``, after checking each family is installed."""
    f = faces(fonts_toml, lang, theme)
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


def _file_of(family: str) -> str:
    if not shutil.which("fc-match"):
        return ""
    return subprocess.run(["fc-match", "-f", "%{file}", family],
                          capture_output=True, text=True).stdout.strip()


@functools.cache
def _file_stamp(path: str) -> str:
    """A font file by name, size and a hash of its first 64 KiB (a collection's header and
    its fonts' table directories, which carry every table's checksum): cheap, and different
    for any other build of the font."""
    import hashlib
    import os

    try:
        with open(path, "rb") as fh:
            head = fh.read(65536)
        size = os.stat(path).st_size
    except OSError:
        return "missing"
    return f"{Path(path).name} {size} bytes sha256:{hashlib.sha256(head).hexdigest()[:16]}"


def fingerprint(fonts_toml: Path, theme=None) -> tuple[tuple[str, str], ...]:
    """(family, the font file fontconfig gives for it) for every face fonts.toml names: what a
    worker on another machine must have for identical PDFs."""
    try:
        data = theme.get("fonts/fonts.toml") if theme is not None else None
        table = _table_of(data, fonts_toml) if data is not None else _table(fonts_toml)
    except ConfigError:
        return ()
    families = sorted({v for entry in table.get("faces", {}).values() if isinstance(entry, dict)
                       for k, v in entry.items() if k in ("serif", "sans") and isinstance(v, str)})
    files = {family: _file_of(family) for family in families}
    return tuple((family, _file_stamp(files[family]) if files[family] else "not installed")
                 for family in families)


def check_fingerprint(expected: tuple[tuple[str, str], ...], cfg, theme) -> None:
    """``FontError`` naming the first face whose font file differs from ``expected`` (the
    coordinator's), or the first library that does: a worker with other fonts or another
    paiban or WeasyPrint would make other PDFs."""
    import socket

    here = dict(worker_fingerprint(cfg.fonts_toml, theme))
    for name, wanted in expected:
        found = here.get(name, "not installed")
        if found != wanted:
            what = (f"install the same {_package(theme)} on every worker" if name[:1].isupper()
                    else "install the same version on every worker")
            raise FontError(f"worker {socket.gethostname()} differs from this build's machine: "
                            f"{name} is {found} on the worker, {wanted} on the build's machine; {what}")


@functools.lru_cache(maxsize=2)
def worker_fingerprint(fonts_toml: Path, theme) -> tuple[tuple[str, str], ...]:
    """The font fingerprint and the versions that shape a PDF: paiban (its source), WeasyPrint,
    pydyf, OpenCC, Jinja2."""
    from paiban.cache import _package_digest, _version

    versions = tuple((name, _version(name)) for name in ("weasyprint", "pydyf", "opencc",
                                                          "jinja2", "jieba"))
    return fingerprint(fonts_toml, theme) + versions + (("paiban", _package_digest()[:16]),)


def _package(theme) -> str:
    try:
        data = theme.get("fonts/fonts.toml")
        return _table_of(data, Path("fonts.toml")).get("package", "fonts-noto-cjk")
    except Exception:  # noqa: BLE001 - only for the message
        return "fonts-noto-cjk"
