"""Statistics: find every figure in an article and choose the ones worth a callout box.

In: a cleaned ``Article`` and its ``Sidecar``. Out: the Article with ``stats`` filled (every
figure) and ``Callout`` blocks inserted (a 数说 box on the opener, boxes in figure-rich sections).

    extract(article) -> tuple[Stat, ...]          every figure, in document order
    select(article, stats, sidecar) -> Article    stats set, callouts inserted
    apply(article, sidecar) -> Article            both
"""

from __future__ import annotations

from paiban.model import Article
from paiban.sidecar import Sidecar
from paiban.stats.extract import extract
from paiban.stats.select import select

__all__ = ["apply", "extract", "select"]


def apply(article: Article, sidecar: Sidecar | None = None) -> Article:
    """Extract every figure, then choose the callouts (the sidecar has the last word)."""
    return select(article, extract(article), sidecar)
