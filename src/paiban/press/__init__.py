"""What the printer receives: the PDF variant, colour and output intent, and the preflight.

In: the variant asked for (``--pdf``), the configured output condition (``press.profile``).
Out: the WeasyPrint options for the variant (``Variant``), a finisher that completes the PDF
before WeasyPrint writes it (``paiban.press.finish``), and a preflight of a written PDF
(``paiban.press.preflight``), whose findings are data (page, object, rule, severity).

Variants:

``x-4``     PDF/X-4 (PDF 1.6): CMYK colours, RGB photos tagged sRGB (the RIP converts them for
            the condition), live transparency, tagged structure. The default; send it.
``x-1a``    PDF/X-1a:2003 (PDF 1.4): everything DeviceCMYK, photos converted through the output
            profile before they are placed, no transparency, untagged: for older RIPs.
``screen``  not for print: sRGB colours, tagged, no output profile (smallest).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True, frozen=True)
class Variant:
    name: str
    """``x-4``, ``x-1a`` or ``screen``: the ``--pdf`` value."""
    weasyprint: str | None
    """WeasyPrint's ``pdf_variant``."""
    pdf_version: str
    cmyk: bool
    """Print: colours in CMYK, an OutputIntent naming the condition."""
    tagged: bool
    """A structure tree (the variant allows it and it costs little)."""
    transparency: bool
    """Transparency groups, soft masks and constant alpha allowed."""
    convert_images: bool
    """RGB photos converted to CMYK through the output profile before placing."""


VARIANTS = {
    "x-4": Variant("x-4", "pdf/x-4", "1.6", cmyk=True, tagged=True, transparency=True,
                   convert_images=False),
    "x-1a": Variant("x-1a", "pdf/x-1a", "1.4", cmyk=True, tagged=False, transparency=False,
                    convert_images=True),
    "screen": Variant("screen", None, "1.7", cmyk=False, tagged=True, transparency=True,
                      convert_images=False),
}

DEFAULT = "x-4"


def variant(name: str) -> Variant:
    from paiban.errors import PaibanError

    try:
        return VARIANTS[name]
    except KeyError:
        raise PaibanError(f"unknown PDF variant {name!r} (choose from {', '.join(VARIANTS)})",
                          exit_code=2) from None


def profile_for(press, root):
    """The output profile ``press.profile`` names (None for the screen variant)."""
    if not variant(press.pdf).cmyk:
        return None
    return _profile(press.profile, root)


CONFIGURED = object()
"""``profile=`` of the render functions: the profile the config names, resolved in this process
(the preview's and the tests' way); ``paiban build`` passes the one its coordinator read."""


def task_profile(press, root):
    """The output profile a target is rendered with, read where the build runs and sent with
    its tasks: ``ConfigError`` when a print variant cannot have it; for the screen variant None
    then (its palette is converted without one)."""
    from paiban.errors import PaibanError

    try:
        return _profile(press.profile, root)
    except PaibanError:
        if variant(press.pdf).cmyk:
            raise
        return None


def _profile(name, root):
    """The profile for ``press.profile = name``: a named one resolved (and built) once per
    process (its file is named for its content); a profile file of the project's read anew
    each time (a long-lived preview sees it change; a build reads it once, ``task_profile``)."""
    from paiban.press.profile import CONDITIONS, resolve

    if name not in CONDITIONS:
        return resolve(name, root)
    key = (name, str(root))
    if key not in _PROFILES:
        _PROFILES[key] = resolve(name, root)
    return _PROFILES[key]


_PROFILES: dict = {}
