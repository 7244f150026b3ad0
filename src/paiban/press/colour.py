"""Colour conversions through the output profile (littleCMS, by Pillow's ImageCms).

In: the palette the stylesheets define once, in CMYK (``--name: device-cmyk(c m y k)`` in
``styles/base.css``), or a photo's bytes; the output profile.
Out: the palette in sRGB (for browsers, which do not know ``device-cmyk()``, and the screen
variant), or the photo as a CMYK JPEG (for X-1a).

The CMYK values are the definition; the sRGB ones are what those inks look like on the
condition's paper (relative colorimetric), so the preview shows the print colours.
"""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path

_CMYK_VAR = re.compile(
    r"(--[\w-]+)\s*:\s*device-cmyk\(\s*([\d.]+%?)\s+([\d.]+%?)\s+([\d.]+%?)\s+([\d.]+%?)\s*\)")


def _unit(value: str) -> float:
    return float(value[:-1]) / 100 if value.endswith("%") else float(value)


def palette(css: str) -> dict[str, tuple[float, float, float, float]]:
    """The custom properties ``css`` defines as ``device-cmyk()``, in order."""
    return {m[1]: tuple(_unit(m[i]) for i in range(2, 6)) for m in _CMYK_VAR.finditer(css)}


Icc = bytes | Path
"""An output profile: its bytes (as the build read them) or a file."""


def _open(profile: Icc):
    from PIL import ImageCms

    return ImageCms.getOpenProfile(io.BytesIO(profile) if isinstance(profile, bytes)
                                   else str(profile))


@functools.lru_cache(maxsize=4)
def _to_srgb(profile: Icc | None):
    if profile is None:
        return None
    from PIL import ImageCms

    return ImageCms.buildTransform(
        _open(profile), ImageCms.createProfile("sRGB"), "CMYK", "RGB",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)


def to_srgb(cmyk: tuple[float, float, float, float], profile: Icc | None) -> str:
    """``#rrggbb`` for ``cmyk`` printed on ``profile``'s condition; without a profile, the
    naive formula (no paper, no dot gain)."""
    from PIL import Image

    transform = _to_srgb(profile)
    if transform is None:
        c, m, y, k = cmyk
        rgb = tuple(round(255 * (1 - v) * (1 - k)) for v in (c, m, y))
    else:
        pixel = Image.new("CMYK", (1, 1), tuple(round(255 * v) for v in cmyk))
        rgb = transform.apply(pixel).getpixel((0, 0))
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def screen_css(styles_dir: Path, profile: Icc | None) -> str:
    """``:root { --accent: #…; … }``: base.css's CMYK palette in sRGB."""
    base = styles_dir / "base.css"
    try:
        colours = palette(base.read_text("utf-8"))
    except OSError:
        return ""
    body = " ".join(f"{name}: {to_srgb(v, profile)};" for name, v in colours.items())
    return f":root {{ {body} }}" if body else ""


@functools.lru_cache(maxsize=4)
def _to_cmyk(profile: Icc):
    from PIL import ImageCms

    return ImageCms.buildTransform(
        ImageCms.createProfile("sRGB"), _open(profile), "RGB", "CMYK",
        renderingIntent=ImageCms.Intent.PERCEPTUAL)


def image_to_cmyk(data: bytes, profile: Icc) -> bytes | None:
    """A photo (any Pillow format) as a CMYK JPEG converted through ``profile``; None when it
    is CMYK already (passed through untouched) or not an image Pillow reads.

    RGB is taken as sRGB (a photo's own embedded profile is used when it has one); alpha is
    flattened onto white paper, since X-1a allows no transparency."""
    from PIL import Image, ImageCms

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Exception:
        return None
    if image.mode == "CMYK":
        return None
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    elif image.mode != "RGB":
        image = image.convert("RGB")
    embedded = Image.open(io.BytesIO(data)).info.get("icc_profile")
    if embedded:
        source = ImageCms.ImageCmsProfile(io.BytesIO(embedded))
        if source.profile.xcolor_space.strip() != "RGB":
            source = None
    else:
        source = None
    if source is not None:
        transform = ImageCms.buildTransform(source, _open(profile),
                                            "RGB", "CMYK",
                                            renderingIntent=ImageCms.Intent.PERCEPTUAL)
    else:
        transform = _to_cmyk(profile)
    out = io.BytesIO()
    transform.apply(image).save(out, "JPEG", quality=92, dpi=image.info.get("dpi", (72, 72)))
    return out.getvalue()
