"""Editions: the model converted between Simplified and Traditional Chinese through OpenCC.

In: an ``Article`` in its source script (``lang`` zh-Hans or zh-Hant, as the reader detected)
and an edition tag (BCP 47).
Out: the same ``Article`` with every reader-visible text converted (``Article.map_text``) and
``lang`` set to the tag. Figures' numbers, identifiers, file names and the cleaning report are
not touched.

| tag         | from zh-Hans | from zh-Hant | notes                                   |
|-------------|--------------|--------------|-----------------------------------------|
| zh-Hans     | (none)       | t2s          |                                         |
| zh-Hant     | s2t          | (none)       | standard Traditional characters         |
| zh-Hant-TW  | s2twp        | t2tw         | Taiwan forms; “”‘’ become 「」『』        |
| zh-Hant-HK  | s2hk         | t2hk         | Hong Kong variants                      |

From Traditional, Taiwan gets t2tw (character forms only): the copy is already written in
Traditional phrasing, and OpenCC has no t2twp; a desk that wants Taiwan vocabulary too can
start from Simplified. Furniture the templates print (图, 数说) is written in Simplified and
always converted from Simplified (``convert``).

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

FROM_TRADITIONAL: dict[str, str | None] = {
    "zh-Hans": "t2s",
    "zh-Hant": None,
    "zh-Hant-TW": "t2tw",
    "zh-Hant-HK": "t2hk",
}
"""OpenCC configs for a source written in Traditional Chinese (model ``lang`` zh-Hant)."""

SOURCES = ("zh-Hans", "zh-Hant")
"""Scripts a source text can be in (``paiban.readers.script``)."""

# Taiwan's convention: corner brackets as quotation marks, double ones for inner quotes.
_TW_QUOTES = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})


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


def opencc_convert(text: str, config: str) -> str:
    """``text`` through one OpenCC config (``t2s``, ``s2t``…)."""
    return _converter(config).convert(text) if text else text


@lru_cache(maxsize=65536)
def convert(text: str, edition: str, source: str = "zh-Hans") -> str:
    """``text`` (written in ``source``: zh-Hans or zh-Hant) as it reads in ``edition``."""
    if edition not in OPENCC_CONFIG:
        raise PaibanError(f"unknown edition {edition!r}")
    if source not in SOURCES:
        raise PaibanError(f"unknown source script {source!r}")
    config = (OPENCC_CONFIG if source == "zh-Hans" else FROM_TRADITIONAL)[edition]
    if config is None:
        return text
    if not text:
        return text
    out = _converter(config).convert(text)
    if edition == "zh-Hant-TW":
        out = out.translate(_TW_QUOTES)
    return out


def warm(tags: tuple[str, ...]) -> None:
    """Load the OpenCC dictionaries of ``tags`` now (about 0.1–0.3 s each, once per process):
    those from Simplified, which sources and furniture need; from Traditional, only when a
    Traditional source comes (each is loaded on first use)."""
    for tag in tags:
        config = OPENCC_CONFIG.get(tag)
        if config:
            _converter(config)


def convert_article(article: Article, edition: str) -> Article:
    """The article (in its source script, ``article.lang``) in ``edition``; the edition of its
    own script returns it unchanged (with ``lang`` set)."""
    if edition not in OPENCC_CONFIG:
        raise PaibanError(f"unknown edition {edition!r}")
    source = article.lang if article.lang in SOURCES else "zh-Hans"
    return article.map_text(lambda t: convert(t, edition, source), lang=edition)
