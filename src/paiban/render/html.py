"""The document model to HTML, through a layout's Jinja2 template.

In: an ``Article`` (one edition), a layout name (``layout/<name>.html.j2`` with
``styles/<name>.css``), the ``Config``, and ``assets``: the relative URL prefix under which the
project's ``styles/`` is reachable from where the HTML will live (``../_assets/`` in ``dist/``).
Out: one HTML string, the very document WeasyPrint lays out and a browser can open.

Templates see only the model and a few edition facts: the publication and issue lines, the
edition's faces (from ``fonts/fonts.toml``), whether to draw crop marks, the stylesheets to
link, and which figure is the opener's hero. Everything is autoescaped; body text goes through
the ``cjk`` filter, which adds the typographic spans of ``paiban.render.cjk`` when that module
is present.
"""

from __future__ import annotations

import functools

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from paiban.config import Config
from paiban.errors import ConfigError
from paiban.model import (Article, Block, Callout, Figure, Heading, ListBlock, Note, Paragraph,
                          Turn)
from paiban.render.fonts import faces as edition_faces

try:
    from paiban.render.cjk import cjk_markup
except ImportError:  # the CJK typography module is optional: plain escaped text without it
    def cjk_markup(text: str, lang: str, tie_end: bool = True,  # type: ignore[misc]
                   suffix: str = "") -> Markup:
        return Markup(str(escape(text)) + suffix)

# Stylesheets a layout links, in cascade order; "{layout}" is the layout's own sheet. Those
# other than the layout's are linked only when present (cjk.css comes with the CJK module).
_SHEETS = ("base.css", "cjk.css", "{layout}.css", "print.css")

_NUMBER = re.compile(r"^(?P<before>\D*?)(?P<number>\d[\d.,]*)(?P<after>.*)$", re.S)


@dataclass(slots=True, frozen=True)
class StatParts:
    """A statistic's value split for display: the digits set large, the rest small."""

    before: str
    """Words before the digits (``近``, ``超``), usually empty."""
    number: str
    """The digits as written (``8070``, ``1.2``)."""
    after: str
    """Magnitude and unit as written (``万元``, ``亿多元``, ``%``)."""


def stat_parts(value: str) -> StatParts:
    """``8070万元`` -> (``""``, ``8070``, ``万元``); a value without digits is all ``after``."""
    m = _NUMBER.match(value)
    if not m:
        return StatParts("", "", value)
    return StatParts(m["before"], m["number"], m["after"])


@dataclass(slots=True, frozen=True)
class FigureRow:
    """Two or more figures that stood together in the text, set side by side."""

    figures: tuple[Figure, ...]


def figure_rows(blocks: tuple[Block, ...], hero: int | None = None) -> list[Block | FigureRow]:
    """``blocks`` with each run of consecutive figures (the hero left out) of two or more
    made one ``FigureRow``; a lone figure stays a ``Figure``.

    A row spans the columns, which ends the columns above it: a heading right before a row
    would be left at the foot of its column, so the row goes before the heading(s) instead.
    """
    out: list[Block | FigureRow] = []
    run: list[Figure] = []

    def flush() -> None:
        if len(run) >= 2:
            at = len(out)
            while at and isinstance(out[at - 1], Heading):
                at -= 1
            out.insert(at, FigureRow(tuple(run)))
        else:
            out.extend(run)
        run.clear()

    for block in blocks:
        if isinstance(block, Figure):
            if block.number != hero:
                run.append(block)
            continue
        flush()
        out.append(block)
    flush()
    return out


def _in_edition(text: str, lang: str) -> str:
    """``text`` (written in Simplified Chinese, like the config) converted for ``lang``."""
    from paiban import editions

    if lang not in editions.OPENCC_CONFIG:
        return text
    return editions.convert(text, lang)


def layouts(cfg: Config) -> list[str]:
    """Names of the layouts available in ``cfg.layout_dir`` (those with a stylesheet too)."""
    names = sorted(p.name.removesuffix(".html.j2") for p in cfg.layout_dir.glob("*.html.j2"))
    # base.html.j2 and _partials are building blocks, not layouts.
    return [n for n in names if n != "base" and not n.startswith("_")
            and (cfg.styles_dir / f"{n}.css").is_file()]


@functools.lru_cache(maxsize=8)
def environment(layout_dir: Path) -> jinja2.Environment:
    """The Jinja2 environment for ``layout_dir`` (autoescape on, undefined names are errors).

    Kept per folder so templates compile once per process; the loader checks each template's
    modification time, so an edited template is compiled again (the preview relies on it).
    Filters that depend on the edition read it from the render context (``lang``, ``root``)
    instead of being set per call, so one environment serves every edition.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(layout_dir)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["stat_parts"] = stat_parts
    env.filters["figure_rows"] = figure_rows
    # Real photos (a sidecar's ``image``) are project-relative; the HTML lives in dist/, so
    # they are linked by absolute file URL (pdf.py's fetcher only serves project folders).
    env.filters["image_url"] = jinja2.pass_context(
        lambda ctx, path: (Path(ctx["root"]) / path).resolve().as_uri())
    # ``text | cjk``; ``text | cjk(false)`` for a text that does not end its line box (a run-in
    # subhead), whose last characters need not be kept together; ``text | cjk(true, markup)``
    # ends the text with the template's own ``markup`` (the end mark), kept on its last line.
    env.filters["cjk"] = jinja2.pass_context(
        lambda ctx, text, tie_end=True, suffix="": cjk_markup(text, ctx["lang"], tie_end=tie_end,
                                                              suffix=suffix))
    # Words the templates themselves print (图, 图片占位…) are written in Simplified Chinese
    # and converted like the model, so a Traditional page has no Simplified furniture.
    env.filters["zh"] = jinja2.pass_context(lambda ctx, text: _in_edition(text, ctx["lang"]))
    env.tests.update(
        heading=lambda b: isinstance(b, Heading),
        paragraph=lambda b: isinstance(b, Paragraph),
        figure=lambda b: isinstance(b, Figure),
        callout=lambda b: isinstance(b, Callout),
        figure_row=lambda b: isinstance(b, FigureRow),
        list=lambda b: isinstance(b, ListBlock),
        turn=lambda b: isinstance(b, Turn),
        note=lambda b: isinstance(b, Note),
    )
    return env


def render_html(article: Article, layout: str, cfg: Config, *, assets: str = "",
                hero: int | None = None, first_folio: int | None = None) -> str:
    """``article`` through ``layout/<layout>.html.j2``.

    ``first_folio``: the page number the article's first page carries in an issue (its pages
    count on from there; an even one opens on a left-hand page); None: page 1, a right-hand page.

    ``hero`` is the number of the figure set large on the opener; None takes the article's
    own choice (``Article.hero``, from the sidecar's ``[layout] hero``), and when that is 0 or
    names no figure, the first figure.
    """
    available = layouts(cfg)
    if layout not in available:
        raise ConfigError(
            f"unknown layout {layout!r} (available: {', '.join(available) or 'none'})",
            path=str(cfg.layout_dir),
        )
    env = environment(cfg.layout_dir)
    lang = article.lang
    sheets = [s.format(layout=layout) for s in _SHEETS]
    sheets = [s for s in sheets if s == f"{layout}.css" or (cfg.styles_dir / s).is_file()]
    figures = article.figures
    numbers = [f.number for f in figures]
    if hero is None:
        hero = article.hero or None
    hero_number = hero if hero in numbers else (numbers[0] if numbers else None)
    template = env.get_template(f"{layout}.html.j2")
    return template.render(
        lang=lang,
        root=str(cfg.root),
        article=article,
        # The running head and kicker read in the edition's script, like the article.
        publication=_in_edition(cfg.publication, lang),
        issue=_in_edition(cfg.issue, lang),
        faces=edition_faces(cfg.fonts_dir, lang),
        marks=cfg.marks,
        show_end_matter=cfg.end_matter,
        stylesheets=[f"{assets}styles/{s}" for s in sheets],
        hero=hero_number,
        layout=layout,
        first_folio=first_folio,
    )
