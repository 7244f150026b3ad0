"""Word boundaries of Chinese text, from the jieba segmenter and its own dictionary.

In: a text. Out: the set of offsets where a word starts or ends (0 and ``len(text)`` included).
Statistics labels are cut only at these offsets, so a label never starts or ends mid-word
(``户外劳动者``, never ``机等户外劳动者``).

jieba is loaded on first use, quietly (its start-up messages go to a logger set to warnings),
and its prefix dictionary is cached in ``CACHE`` (per user, not jieba's default shared
``/tmp/jieba.cache``): building it takes seconds, loading the cache under one. Build workers
load it once at start-up (``warm``), not per text.
"""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path


def _cache_file() -> Path:
    # One file per user and jieba version; XDG's cache folder when set, like other tools.
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "paiban" / "jieba-0.42.1.cache"


@functools.lru_cache(maxsize=1)
def _tokenizer():
    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    cache = _cache_file()
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tokenizer.cache_file = str(cache)
        tokenizer.tmp_dir = str(cache.parent)
    except OSError:  # no writable home: jieba's own default (the temp folder)
        tokenizer.cache_file = None
    tokenizer.initialize()
    return tokenizer


def warm() -> None:
    """Load the dictionary now (a worker's start-up), not during the first label."""
    _tokenizer()


@functools.lru_cache(maxsize=256)
def boundaries(text: str) -> frozenset[int]:
    """Offsets in ``text`` where a word starts or ends."""
    out = {0, len(text)}
    for _word, start, end in _tokenizer().tokenize(text, HMM=True):
        out.add(start)
        out.add(end)
    return frozenset(out)


def snap(text: str, start: int, end: int) -> tuple[int, int]:
    """The span ``[start, end)`` shrunk to word boundaries (``start`` moves right, ``end``
    left); an empty span (start == end) when no whole word is inside it."""
    cuts = boundaries(text)
    while start < end and start not in cuts:
        start += 1
    while end > start and end not in cuts:
        end -= 1
    return start, end


def whole_words(text: str, phrase: str) -> bool:
    """True when ``phrase`` can be read as at most three pieces of ``text``, each starting
    and ending at word boundaries (a label may join the words before a figure to those after
    it, or leave out quotation marks)."""
    if not phrase:
        return True
    cuts = boundaries(text)

    @functools.lru_cache(maxsize=None)
    def fits(at: int, pieces: int) -> bool:
        if at == len(phrase):
            return True
        if pieces == 0:
            return False
        for stop in range(len(phrase), at, -1):
            piece = phrase[at:stop]
            i = text.find(piece)
            while i >= 0:
                if i in cuts and i + len(piece) in cuts and fits(stop, pieces - 1):
                    return True
                i = text.find(piece, i + 1)
        return False

    return fits(0, 3)
