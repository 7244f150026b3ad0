"""Real photos for an article's figures: found by naming convention, the hero chosen by
aspect, and their effective resolution once placed.

In: the project root, the text's stem, the ``Article`` (figures with or without ``image``);
after layout, a WeasyPrint document.
Out: ``place(article, root, hero_set)``, the article with every figure that has no photo
yet given ``images/<stem>-<n>.jpg`` (or ``.jpeg``, ``.png``) when that file exists, and its
hero chosen by aspect when the sidecar names none; ``resolutions(document)``, the effective
pixels per inch of each photo as placed; ``problems(...)``, the warnings (under 300 ppi) and
errors (under 150 ppi: print builds, which today are all builds).

The convention is one flat folder, ``images/<stem>-<n>.<ext>`` (n the figure number, 图n),
not a folder per text: the photos of a whole issue sort together by text, and the sidecar's
``[figures.N] image`` paths keep working beside it (a sidecar's path wins).
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Mapping
from typing import Any

EXTENSIONS = (".jpg", ".jpeg", ".png")
WARN_PPI = 300
"""Below this effective resolution a photo prints soft: a warning naming it."""
ERROR_PPI = 150
"""Below this a photo prints visibly pixelated: an error for print builds."""
OPENER_ASPECT = 218 / 85
"""The feature opener's frame (218 mm wide, at most 85 mm high): the hero's ideal aspect."""


def conventional(root: Path, stem: str, number: int,
                 files: Mapping[str, bytes] | None = None) -> str | None:
    """``images/<stem>-<number>.<ext>`` relative to ``root`` when it exists (``files``: the
    photos as the build read them, by project-relative path, instead of the disk)."""
    for ext in EXTENSIONS:
        relative = f"images/{stem}-{number}{ext}"
        if (relative in files) if files is not None else (root / relative).is_file():
            return relative
    return None


def named(root: Path, stem: str) -> list[str]:
    """Every photo named for ``stem`` by convention (``images/<stem>-*.jpg|jpeg|png``),
    project-relative, sorted: what the build reads and keys for it."""
    import glob

    folder = root / "images"
    if not folder.is_dir():
        return []
    return sorted(p.relative_to(root).as_posix() for p in folder.glob(f"{glob.escape(stem)}-*")
                  if p.suffix.lower() in EXTENSIONS and p.is_file())


def pixel_size(path: Path, data: bytes | None = None) -> tuple[int, int] | None:
    """Width and height in pixels (Pillow reads only the header), None if unreadable;
    ``data``: the file's bytes as read."""
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(data) if data is not None else path) as image:
            return image.size
    except (OSError, ValueError):
        return None


def place(article: Any, root: Path, stem: str, hero_set: bool,
          files: Mapping[str, bytes] | None = None) -> Any:
    """``article`` with conventional photos in the figures that have none, and, unless the
    sidecar set one (``hero_set``), the hero: the photo whose aspect is nearest the opener's.
    ``files``: the photos as the build read them (project-relative path -> bytes), looked up
    instead of the disk."""
    figures = {}
    for figure in article.figures:
        if figure.image is None and (found := conventional(root, stem, figure.number, files)):
            figures[id(figure)] = replace(figure, image=found)
    if figures:
        article = replace(article, blocks=tuple(figures.get(id(b), b) for b in article.blocks))
    if not hero_set:
        aspects = {}
        for figure in article.figures:
            data = files.get(figure.image) if files is not None and figure.image else None
            size = pixel_size(root / figure.image, data) if figure.image else None
            if size and size[1]:
                aspects[figure.number] = abs(math.log(size[0] / size[1] / OPENER_ASPECT))
        if aspects:
            hero = min(aspects, key=lambda n: (round(aspects[n], 3), n))
            article = replace(article, hero=hero)
    return article


def resolutions(document: Any) -> list[tuple[str, float]]:
    """(image URL, effective ppi) of every raster image laid out in ``document``: its pixels
    over the inches of the box it covers (``object-fit: cover`` scales by the larger ratio)."""
    out: list[tuple[str, float]] = []
    for page in document.pages:
        todo = [page._page_box]
        while todo:
            box = todo.pop()
            image = getattr(box, "replacement", None)
            if image is not None and getattr(box, "element_tag", "") == "img":
                pixels = pixel_size_of(image)
                if pixels and box.width and box.height:
                    scale = max(box.width / pixels[0], box.height / pixels[1])  # CSS px per pixel
                    out.append((box.element.get("src", ""), 96 / scale))
            todo.extend(getattr(box, "children", ()))
    return out


def pixel_size_of(image: Any) -> tuple[float, float] | None:
    """A WeasyPrint raster image's size in pixels (None for SVG and others)."""
    if type(image).__name__ != "RasterImage" or not image.width or not image.height:
        return None
    return image.width, image.height


def problems(found: list[tuple[str, float]], root: Path) -> tuple[list[str], list[str]]:
    """(warnings, errors) for photos under ``WARN_PPI`` / ``ERROR_PPI``, each naming the
    photo (relative to the project when inside it) and its ppi."""
    from urllib.parse import unquote, urlsplit

    warnings, errors = [], []
    lowest: dict[str, float] = {}
    for url, ppi in found:
        path = Path(unquote(urlsplit(url).path))
        try:
            name = str(path.relative_to(root.resolve()))
        except ValueError:
            name = str(path)
        lowest[name] = min(ppi, lowest.get(name, ppi))
    for name, ppi in sorted(lowest.items()):
        if ppi < ERROR_PPI:
            errors.append(f"{name}: {ppi:.0f} ppi as placed, under {ERROR_PPI} ppi for print")
        elif ppi < WARN_PPI:
            warnings.append(f"{name}: {ppi:.0f} ppi as placed, under {WARN_PPI} ppi")
    return warnings, errors
