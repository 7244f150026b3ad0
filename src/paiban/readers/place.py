"""Photos that came with a text, placed as the article's figures.

In: the cleaned ``Article``, the reader's ``Photo``s, and the folder the photos are written to
(``<out>/_assets/photos/<stem>/``: inside the build folder, whose ``_assets`` WeasyPrint may
read). Out: the article with each photo in its figure (the figure of the caption that followed
it; an uncaptioned photo as a figure of its own where it stood, figures renumbered in order),
and the files to write: ``(path, bytes)``, named ``<n>-<hash>.<ext>`` so the same photo always
has the same name and a changed one a new name. Writing them is the build's job.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path

from paiban.model import Article, Block, Figure

from .document import Photo


def photo_folder(out: Path, stem: str) -> Path:
    """Where the photos of the text ``stem`` are written."""
    return out / "_assets" / "photos" / stem


def place(article: Article, photos: tuple[Photo, ...], folder: Path,
          root: Path) -> tuple[Article, tuple[tuple[Path, bytes], ...]]:
    """``article`` with ``photos`` in its figures, and the photo files to write (see module
    docstring). ``root`` is the project: figures name their image relative to it when the
    folder is inside it (as a sidecar's image is), else by absolute path."""
    if not photos:
        return article, ()
    files: list[tuple[Path, bytes]] = []
    images: list[str] = []
    for n, photo in enumerate(photos, 1):
        path = folder / f"{n}-{hashlib.sha256(photo.data).hexdigest()[:12]}{photo.suffix}"
        files.append((path, photo.data))
        try:
            images.append(Path(os.path.relpath(path, root)).as_posix()
                          if path.resolve().is_relative_to(root.resolve()) else str(path))
        except ValueError:
            images.append(str(path))
    blocks = list(article.blocks)
    loose: list[tuple[int, str]] = []  # (line it stands before, image) of uncaptioned photos
    for photo, image in zip(photos, images):
        at = next((i for i, b in enumerate(blocks) if isinstance(b, Figure) and b.image is None
                   and photo.captioned and b.line == photo.line), None)
        if at is None:
            loose.append((photo.line, image))
        else:
            blocks[at] = replace(blocks[at], image=image)
    for line, image in loose:
        at = next((i for i, b in enumerate(blocks) if line and getattr(b, "line", 0) >= line),
                  len(blocks))
        blocks.insert(at, Figure(caption="", number=0, image=image))
    return replace(article, blocks=_numbered(blocks)), tuple(files)


def _numbered(blocks: list[Block]) -> tuple[Block, ...]:
    out: list[Block] = []
    n = 0
    for block in blocks:
        if isinstance(block, Figure):
            n += 1
            block = replace(block, number=n) if block.number != n else block
        out.append(block)
    return tuple(out)
