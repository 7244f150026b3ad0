"""The stages from a raw text to a typeset-ready model, in order.

In: a source path (.txt, .docx, .md), the config, an edition tag.
Out: the ``Article`` for that edition: read, cleaned, its photos placed, with statistics and
callouts chosen (sidecar applied), converted through OpenCC.

    file ──reader──▶ Document ──clean──▶ Article ──stats + sidecar──▶ Article+callouts ──edition──▶ Article(lang)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from paiban import clean, editions, readers, sidecar, stats
from paiban.config import Config
from paiban.model import Article, Change
from paiban.photos import place as place_named_photos
from paiban.readers.place import photo_folder, place
from paiban.targets import Theme
from paiban.timing import stage


@dataclass(slots=True, frozen=True)
class Source:
    """A text with its sidecar, read and checked once per build."""

    path: Path
    article: Article
    """The model in the source's script (``lang`` zh-Hans or zh-Hant) with statistics and
    callouts."""
    options: sidecar.Sidecar
    photos: tuple[tuple[Path, bytes], ...] = ()
    """Photo files the text brought (a .docx's, a .md's), to be written where its figures
    link them before it is rendered (``write_photos``)."""


def load_source(path: Path, cfg: Config) -> Source:
    """Clean ``path``, read its sidecar, extract statistics and choose the callouts."""
    side = sidecar.path_for(path)
    return source_from_bytes(path, readers.read_bytes(path),
                             side.read_bytes() if side.is_file() else None, cfg)


def source_from_bytes(path: Path, text: bytes, sidecar_bytes: bytes | None, cfg: Config,
                      theme: Theme | None = None,
                      read_photos: tuple[tuple[str, bytes], ...] | None = None,
                      linked: tuple[readers.Linked, ...] | None = None) -> Source:
    """``load_source`` of the bytes the build read (``path`` names them in errors), checked
    against the theme the build read (None: the project's files); ``read_photos``: the photos
    the build read ((project-relative path, bytes)), which the photos named by convention and
    the hero's choice come from instead of the disk (None: the disk); ``linked``: the photos a
    Markdown text links, as read (``readers.read_links``; None: the disk)."""
    with stage("clean"):
        document = readers.read_source(path, text, linked)
        # The sidecar first: its [lines] roles steer the cleaning, [article] overrides it.
        options = sidecar.from_bytes(path, sidecar_bytes, text, document.text)
        article = clean.clean_document(document, path, overrides=dict(options.lines),
                                       override_source=str(options.path or ""))
        article = apply_article(article, options)
        article, photos = place(article, document.photos, photo_folder(cfg.out, path.stem),
                                cfg.root)
    with stage("stats"):
        if article.lang != "zh-Hans" and options.title == sidecar.DEFAULT_TITLE:
            # The box title is furniture: it reads in the source's script (數說).
            options = replace(options, title=editions.convert(options.title, article.lang))
        _check_layout(path, options, cfg, theme)
        article = sidecar.apply_figures(article, options)
        files = None
        if read_photos is not None:
            files = dict(read_photos)
            root = cfg.root.resolve()
            for brought, data in photos:  # a .docx's photos: its figures link them there
                for base in (cfg.root, root):
                    if brought.is_relative_to(base):
                        files[brought.relative_to(base).as_posix()] = data
                files[str(brought)] = data
        article = place_named_photos(article, cfg.root, path.stem,
                                     hero_set=options.hero is not None, files=files)
        if options.hero:
            article = replace(article, hero=options.hero)
        if options.keep_boxes:
            article = replace(article, keep_boxes=True)
        article = stats.apply(article, options)
    return Source(path=path, article=article, options=options, photos=photos)


def write_photos(source: Source) -> None:
    """Write the photos ``source`` brought where its figures link them."""
    from paiban.writer import write_brought

    write_brought(source.photos)


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


def _check_layout(path: Path, options: sidecar.Sidecar, cfg: Config,
                  theme: Theme | None = None) -> None:
    """A sidecar's ``[layout] name`` must be a layout of the project: the error names the
    sidecar and its key, where the editor made the typo, not the layout folder."""
    from paiban.errors import ConfigError
    from paiban.render.html import layouts

    if options.layout is None:
        return
    available = layouts(cfg, theme)
    if options.layout not in available:
        raise ConfigError(f"layout.name: no layout {options.layout!r} in layout/ (available: "
                          f"{', '.join(available) or 'none'})", path=str(sidecar.path_for(path)))


def prepare(path: Path, cfg: Config, edition: str | None = None) -> Article:
    """The model of ``path`` as ``edition``, or in the source's own script (zh-Hans or
    zh-Hant) when None: what ``paiban inspect`` shows."""
    article = load_source(path, cfg).article
    return editions.convert_article(article, edition or article.lang, cfg.corner_quotes)
