"""Editions: the Simplified model converted to Traditional Chinese through OpenCC.

In: an ``Article`` in zh-Hans and an edition tag (BCP 47).
Out: the same ``Article`` with every reader-visible text converted (``Article.map_text``) and
``lang`` set to the tag. Figures' numbers, identifiers, file names and the cleaning report are
not touched.

| tag         | OpenCC config | notes                                              |
|-------------|---------------|----------------------------------------------------|
| zh-Hans     | (none)        | the source                                         |
| zh-Hant     | s2t           | standard Traditional characters                    |
| zh-Hant-TW  | s2twp         | Taiwan phrasing; “”‘’ become 「」『』                |
| zh-Hant-HK  | s2hk          | Hong Kong variants; “”‘’ become 「」『』             |

Taiwan and Hong Kong print both quote with corner brackets; ``corner_quotes`` (the config key of
the same name) lists the editions that do, so a desk can keep “” in one.

Backend: the official binding (PyPI ``opencc``, C++ core, current dictionaries) when it is
installed, else the pure-Python ``opencc-python-reimplemented``, which installs the same module
name with the same ``OpenCC(config).convert(text)`` API. ``backend()`` says which one runs.
Conversions are cached per (config, text): a build converts each paragraph once per edition
however many layouts it renders.
"""

from __future__ import annotations

from functools import lru_cache

from paiban.errors import PaibanError
from paiban.model import Article

OPENCC_CONFIG: dict[str, str | None] = {
    "zh-Hans": None,
    "zh-Hant": "s2t",
    "zh-Hant-TW": "s2twp",
    "zh-Hant-HK": "s2hk",
}

# Taiwan's and Hong Kong's convention: corner brackets as quotation marks, double ones for
# inner quotes.
_CORNER_QUOTES = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})

CORNER_QUOTES = ("zh-Hant-TW", "zh-Hant-HK")
"""Editions quoted with 「」『』 unless the config says otherwise (``Config.corner_quotes``)."""


def backend() -> str:
    """``official`` (PyPI opencc, C++) or ``pure-python`` (opencc-python-reimplemented)."""
    import opencc

    return "official" if hasattr(opencc, "clib") or hasattr(opencc, "opencc_clib") else "pure-python"


@lru_cache(maxsize=8)
def _converter(config: str):  # -> opencc.OpenCC (type differs between the two backends)
    try:
        import opencc
    except ImportError:
        raise PaibanError(
            "OpenCC is not installed: pip install opencc (or opencc-python-reimplemented)"
        ) from None
    return opencc.OpenCC(config)


@lru_cache(maxsize=65536)
def convert(text: str, edition: str, corner_quotes: tuple[str, ...] = CORNER_QUOTES) -> str:
    """``text`` (Simplified) as it reads in ``edition``; “”‘’ become 「」『』 in the editions
    listed in ``corner_quotes``."""
    config = OPENCC_CONFIG.get(edition)
    if config is None:
        if edition not in OPENCC_CONFIG:
            raise PaibanError(f"unknown edition {edition!r}")
        return text
    if not text:
        return text
    out = _converter(config).convert(text)
    if edition in corner_quotes:
        out = out.translate(_CORNER_QUOTES)
    return out


def warm(tags: tuple[str, ...]) -> None:
    """Load the OpenCC dictionaries of ``tags`` now (about 0.1–0.3 s each, once per process)."""
    for tag in tags:
        config = OPENCC_CONFIG.get(tag)
        if config:
            _converter(config)


def convert_article(article: Article, edition: str,
                    corner_quotes: tuple[str, ...] = CORNER_QUOTES) -> Article:
    """The article in ``edition``; zh-Hans returns it unchanged (with ``lang`` set)."""
    if edition not in OPENCC_CONFIG:
        raise PaibanError(f"unknown edition {edition!r}")
    return article.map_text(lambda t: convert(t, edition, corner_quotes), lang=edition)
