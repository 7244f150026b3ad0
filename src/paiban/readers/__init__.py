"""Readers: the files editors receive, each turned into what the cleaning rules read.

In: a source file (``.txt``, ``.docx``, ``.md``; the suffix in any case). Out: a ``Document``
(``paiban.readers.document``): the text as lines, hints for the lines whose role the format
states, the photos that came with it, the encoding and the script (zh-Hans or zh-Hant). Cleaning
reads a ``Document`` the same whatever its format, like Pandoc's readers feeding one AST.

One module per format, each ``read(data: bytes, name) -> Document``: bytes in, lines and photos
out. The Markdown reader also needs the photos the file links (relative to the file's folder,
never outside it): ``read_links`` reads them once, where the project is, and ``read_source``
serves the reader those bytes, so a text can be cleaned where its folder is not (a Dask
worker); only ``read_file`` reads them from the disk as it goes.

    .txt  ──txt.read──┐
    .docx ──docx.read─┼──▶ Document ──clean──▶ Article
    .md   ──md.read───┘
"""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path, PurePosixPath

from paiban.errors import InputError

from .document import Document, Hint, Linked, Photo

__all__ = ["Document", "Hint", "Linked", "Photo", "SUFFIXES", "MAX_BYTES", "is_source",
           "read_bytes", "read_file", "read_source", "read_links", "inputs"]

SUFFIXES = (".txt", ".docx", ".md")
"""Suffixes paiban reads (compared in lower case: ``.TXT``, ``.Docx`` too)."""

MAX_BYTES = 10 * 1024 * 1024
"""Largest source file (a long feature is under 100 KB as text; Word files with photos are
larger, but 10 MB still holds a dozen)."""

MAX_PHOTO_BYTES = 30 * 1024 * 1024
"""Largest photo a Markdown file may link."""


def is_source(path: Path) -> bool:
    """True for a file paiban reads, by its suffix in any case."""
    return path.suffix.lower() in SUFFIXES


def read_file(path: Path) -> Document:
    """Read the source at ``path`` with the reader for its format; ``InputError`` naming the
    file when it cannot be used."""
    return read_source(path, read_bytes(path))


def read_source(path: Path, data: bytes, linked: tuple[Linked, ...] | None = None) -> Document:
    """The ``Document`` of ``data``, the bytes of the source at ``path``; a Markdown text's
    photos from ``linked`` (``read_links``), or from the disk when None."""
    path = Path(path)
    suffix = path.suffix.lower()
    name = str(path)
    if not data:
        raise InputError("is empty", path=name)
    if suffix == ".docx":
        from . import docx

        return docx.read(data, name)
    if suffix == ".md":
        from . import md

        if linked is None:
            return md.read(data, name, lambda src: _linked(path, src))
        return md.read(data, name, lambda src: _served(path, src, linked))
    # .txt, and any file named explicitly (a folder's other files are never read: ``collect``)
    from . import txt

    if data.startswith(b"PK\x03\x04"):
        raise InputError("is a zip archive, not a text (a Word file? name it .docx)", path=name)
    return txt.read(data, name)


def inputs(path: Path, data: bytes | None = None) -> list[Path]:
    """Files other than ``path`` its reader reads: the photos a Markdown file links (for the
    cache key and the preview's watch). Unreadable links are left to the build to report."""
    path = Path(path)
    if path.suffix.lower() != ".md":
        return []
    from .md import photo_links

    if data is None:
        try:
            data = path.read_bytes()
        except OSError:
            return []
    found = []
    for src in photo_links(data):
        try:
            found.append(_resolve(path, src))
        except InputError:
            continue
    return found


def _resolve(text: Path, src: str) -> Path:
    """The file a Markdown photo link names: relative to the text's folder, never outside
    (not by ``..``, nor by a link that resolves elsewhere)."""
    rel = PurePosixPath(src.split("#", 1)[0].split("?", 1)[0])
    if rel.is_absolute() or ".." in rel.parts or "\\" in src or not str(rel).strip("."):
        raise InputError(f"links the photo {src!r}: give a path relative to the text's folder, "
                         f"without '..'", path=str(text))
    path = text.parent.joinpath(*rel.parts)
    if path.exists() and not path.resolve().is_relative_to(text.parent.resolve()):
        raise InputError(f"links the photo {src!r}, which resolves to {path.resolve()}, outside "
                         f"the text's folder; copy the photo there", path=str(text))
    return path


def read_links(path: Path, data: bytes, stable=None) -> tuple[Linked, ...]:
    """The photos the text at ``path`` (its bytes ``data``) links, each read once: its bytes,
    or the one-line error reading it gave (raised when the reader asks for it). Links the
    reader refuses before reading (a web address, not a photo) are left to it to report.
    ``stable(file, read) -> bytes`` wraps each read (``paiban.inputs.read_stable``)."""
    path = Path(path)
    if path.suffix.lower() != ".md":
        return ()
    from .md import photo_links, photo_suffix

    found = []
    for src in dict.fromkeys(photo_links(data)):
        try:
            photo_suffix(src)
        except InputError:
            continue
        try:
            file = _resolve(path, src)
            read = functools.partial(_read_linked, path, src)
            found.append(Linked(src, stable(file, read) if stable else read(file)))
        except InputError as exc:
            found.append(Linked(src, error=str(exc)))
    return tuple(found)


def _served(text: Path, src: str, linked: tuple[Linked, ...]) -> bytes:
    """The photo ``src`` as ``read_links`` read it; never the disk."""
    for photo in linked:
        if photo.src == src:
            if photo.data is None:
                raise InputError(photo.error or f"links the photo {src!r}, which cannot be read")
            return photo.data
    raise InputError(f"links the photo {src!r}, which the build did not read", path=str(text))


def _linked(text: Path, src: str) -> bytes:
    return _read_linked(text, src, _resolve(text, src))


def _read_linked(text: Path, src: str, path: Path) -> bytes:
    """The bytes of ``path``, the photo the link ``src`` of ``text`` names (a regular file, at
    most ``MAX_PHOTO_BYTES``)."""
    try:
        if path.exists() and not path.is_dir() and not path.is_file():
            raise InputError(f"links the photo {src!r}, which is not a regular file",
                             path=str(text))
        size = path.stat().st_size
        if size > MAX_PHOTO_BYTES:
            raise InputError(f"links the photo {src!r} of {size / 1024 / 1024:.0f} MB (the "
                             f"limit is {MAX_PHOTO_BYTES // 1024 // 1024} MB)", path=str(text))
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"links the photo {src!r}, which is not there", path=str(text)) from None
    except IsADirectoryError:
        raise InputError(f"links the photo {src!r}, which is a folder", path=str(text)) from None
    except OSError as exc:
        raise InputError(f"links the photo {src!r}, which cannot be read "
                         f"({exc.strerror or exc})", path=str(text)) from None


def read_bytes(path: Path) -> bytes:
    """The source's bytes, at most ``MAX_BYTES``: only a regular file is opened (a FIFO would
    block the open, /dev/zero never ends), and the read stops past the limit, so a file that
    grows while it is read cannot make it unbounded."""
    path = Path(path)
    try:
        if path.is_dir():
            raise InputError("is a directory, not a text file", path=str(path))
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError("is not a regular file (a device, FIFO or socket)", path=str(path))
        if info.st_size > MAX_BYTES:
            raise InputError(f"is too large ({info.st_size / 1024 / 1024:.1f} MB; the limit is "
                             f"{MAX_BYTES // 1024 // 1024} MB for one text)", path=str(path))
        # O_NONBLOCK: if a FIFO replaced the file since the check, the open does not wait.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise InputError("is not a regular file (a device, FIFO or socket)",
                                 path=str(path))
            data = fh.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise InputError(f"is too large (over {MAX_BYTES // 1024 // 1024} MB, the limit "
                             f"for one text)", path=str(path))
        return data
    except FileNotFoundError:
        raise InputError("no such file", path=str(path)) from None
    except PermissionError:
        raise InputError("cannot be read (permission denied)", path=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", path=str(path)) from None
