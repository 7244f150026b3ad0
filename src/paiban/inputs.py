"""A text's inputs read once by the coordinator: what its cache key is computed from and what
its targets are rendered from, so the two can never describe different versions.

In: a text's path and the config. Out: ``TextInputs``: the text's and its sidecar's bytes, the
photos a Markdown text links (their bytes), the photos its sidecar places (bytes read only when
a target is built; their key stamp is size and modification time, taken around the read), and
the stamp of every file as it was read, so the build can tell afterwards whether one changed
while it was being built. A target is rendered from these bytes alone: wherever it runs, it
opens no file of the project.

A file that changes *while* it is read (its size, modification time or inode differ before and
after) is read again, up to three times, then refused with one line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from paiban.config import Config
from paiban.errors import InputError, PaibanError

TRIES = 3


def stamp(path: Path) -> tuple | None:
    """(inode, size, modification time) of ``path``; None when it does not exist."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def read_stable(path: Path, read: Callable[[Path], bytes]) -> tuple[bytes, tuple | None]:
    """``read(path)`` and the file's stamp, from a read during which the file did not change."""
    for _ in range(TRIES):
        before = stamp(path)
        data = read(path)
        after = stamp(path)
        if before == after and (after is None or after[2] == len(data)):
            return data, after
    raise InputError(f"kept changing while it was read ({TRIES} tries); build it again once "
                     f"it is saved", path=str(path))


def _read_file(path: Path) -> bytes:
    return path.read_bytes()


@dataclass(slots=True)
class TextInputs:
    """One text's inputs, as read."""

    path: Path
    text: bytes = b""
    sidecar: bytes | None = None
    error: str | None = None
    """Why the text cannot be read (its targets fail with this), or None."""
    linked: tuple = ()
    """The photos a Markdown text links, as read (``paiban.readers.Linked``)."""
    images: tuple[tuple[int, str], ...] = ()
    """(figure number, project-relative path) of the photos its sidecar places."""
    stamps: dict[str, tuple | None] = field(default_factory=dict)
    """Path -> stamp of every file read, as read."""
    photos: dict[str, bytes] | None = None
    """Project-relative path -> bytes, once ``load_photos`` has read them."""
    photo_stamps: dict[str, str] = field(default_factory=dict)
    """Project-relative path -> ``size:mtime_ns`` (``-`` when missing), for the key."""

    def changed(self) -> list[Path]:
        """The files read for this text that are no longer what was read."""
        return [Path(p) for p, st in self.stamps.items() if stamp(Path(p)) != st]


def read_text(path: Path, cfg: Config, reader: Callable[[Path], bytes] | None = None) -> TextInputs:
    """Read ``path`` and its sidecar once; stat the photos the sidecar places."""
    from paiban import readers, sidecar

    found = TextInputs(path)
    try:
        found.text, found.stamps[str(path)] = read_stable(path, reader or readers.read_bytes)
        side = sidecar.path_for(path)
        if side.is_file():
            found.sidecar, found.stamps[str(side)] = read_stable(side, _read_file)

        def stable(file: Path, read: Callable[[Path], bytes]) -> bytes:
            data, found.stamps[str(file)] = read_stable(file, read)
            return data

        found.linked = readers.read_links(path, found.text, stable)
    except PaibanError as exc:
        found.error = str(exc)
        return found
    except OSError as exc:
        found.error = str(InputError(f"cannot be read ({exc.strerror or exc})", path=str(path)))
        return found
    try:
        found.images = sidecar.from_bytes(path, found.sidecar, found.text).images
    except PaibanError:  # reported when the text is built
        found.images = ()
    # Photos named by convention (images/<stem>-<n>.jpg) fill figures too (paiban.photos).
    from paiban.photos import named

    placed = {image for _n, image in found.images}
    found.images += tuple((0, image) for image in named(cfg.root, path.stem)
                          if image not in placed)
    for _number, image in found.images:
        st = stamp(cfg.root / image)
        found.photo_stamps[image] = f"{st[2]}:{st[3]}" if st else "-"
    return found


def load_photos(found: TextInputs, cfg: Config) -> None:
    """Read the photos once (those that are files in the project's image folders); their key
    stamps become those of the files as read."""
    from paiban.render.pdf import allowed_url
    from paiban.executor import allowed_roots

    if found.photos is not None:
        return
    found.photos = {}
    for _number, image in found.images:
        path = cfg.root / image
        if not path.is_file() or not allowed_url(path.resolve().as_uri(), allowed_roots(cfg)):
            continue  # the render says which, naming the sidecar key
        try:
            data, st = read_stable(path, _read_file)
        except (OSError, PaibanError):
            continue
        found.photos[image] = data
        found.stamps[str(path)] = st
        found.photo_stamps[image] = f"{st[2]}:{st[3]}" if st else "-"
