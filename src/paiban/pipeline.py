"""The stages from a raw text to a typeset-ready model, in order.

In: a source text path, the config, an edition tag.
Out: the ``Article`` for that edition: cleaned, with statistics and callouts chosen (sidecar
applied), converted through OpenCC.

    raw text ──clean──▶ Article ──stats + sidecar──▶ Article+callouts ──edition──▶ Article(lang)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from paiban import clean, editions, sidecar, stats
from paiban.config import Config
from paiban.model import Article, Change
from paiban.timing import stage


@dataclass(slots=True, frozen=True)
class Source:
    """A text with its sidecar, read and checked once per build."""

    path: Path
    article: Article
    """The zh-Hans model with statistics and callouts."""
    options: sidecar.Sidecar


def load_source(path: Path, cfg: Config) -> Source:
    """Clean ``path``, read its sidecar, extract statistics and choose the callouts."""
    options = sidecar.load(path)
    with stage("clean"):
        article = clean.read(path, overrides=dict(options.lines),
                             override_source=str(options.path or ""))
        article = apply_article(article, options)
    with stage("stats"):
        _check_layout(path, options, cfg)
        article = sidecar.apply_figures(article, options)
        if options.hero:
            article = replace(article, hero=options.hero)
        article = stats.apply(article, options)
    return Source(path=path, article=article, options=options)


def apply_article(article: Article, options: sidecar.Sidecar) -> Article:
    """The sidecar's ``[article]`` title and byline, each a reported change."""
    changes = []
    where = str(options.path)
    if options.article_title is not None:
        changes.append(Change("article", f"title set by {where}: article.title "
                                         f"(the text's: 「{article.title}」)", article.title_line))
        article = replace(article, title=options.article_title)
    if options.article_byline is not None:
        changes.append(Change("article", f"byline set by {where}: article.byline "
                                         f"(the text's: 「{article.byline}」)", article.byline_line))
        article = replace(article, byline=options.article_byline)
    if not changes:
        return article
    report = replace(article.report, changes=article.report.changes + tuple(changes))
    return replace(article, report=report)


def _check_layout(path: Path, options: sidecar.Sidecar, cfg: Config) -> None:
    """A sidecar's ``[layout] name`` must be a layout of the project: the error names the
    sidecar and its key, where the editor made the typo, not the layout folder."""
    from paiban.errors import ConfigError
    from paiban.render.html import layouts

    if options.layout is None:
        return
    available = layouts(cfg)
    if options.layout not in available:
        raise ConfigError(f"layout.name: no layout {options.layout!r} in layout/ (available: "
                          f"{', '.join(available) or 'none'})", path=str(sidecar.path_for(path)))


def prepare(path: Path, cfg: Config, edition: str = "zh-Hans") -> Article:
    """The model of ``path`` as ``edition`` (what ``paiban inspect`` shows)."""
    return editions.convert_article(load_source(path, cfg).article, edition)
