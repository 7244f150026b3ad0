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

from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from paiban.config import Config
from paiban.errors import ConfigError
from paiban.press import CONFIGURED
from paiban.model import (Article, Block, Callout, Figure, Heading, ListBlock, Note, Paragraph,
                          Turn)
from paiban.render.fonts import faces as edition_faces
from paiban.targets import Theme

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


def block_index(block: Block, article: Article) -> int:
    """The index of ``block`` in ``article.blocks`` (by identity; -1 when not there)."""
    return next((i for i, b in enumerate(article.blocks) if b is block), -1)


def _source_index(box: Callout, article: Article) -> int:
    from paiban.stats.select import source_index

    return source_index(article, box)


def _in_edition(text: str, lang: str) -> str:  # furniture: default quotes are right for it
    """``text`` (written in Simplified Chinese, like the config) converted for ``lang``."""
    from paiban import editions

    if lang not in editions.OPENCC_CONFIG:
        return text
    return editions.convert(text, lang)


def layouts(cfg: Config, theme: Theme | None = None) -> list[str]:
    """Names of the layouts in the theme (the project's layout/ and the built-in one), those
    with a stylesheet too; in ``theme`` when given (the files the build read)."""
    if theme is not None:
        names = sorted(n.removesuffix(".html.j2") for n in theme.names("layout")
                       if n.endswith(".html.j2"))
        sheets = set(theme.names("styles"))
        has_sheet = sheets.__contains__
    else:
        resolver = cfg.theme
        names = [n.removesuffix(".html.j2") for n in resolver.files("layout", "*.html.j2")
                 if "/" not in n]
        has_sheet = lambda name: resolver.file("styles", name) is not None  # noqa: E731
    # base.html.j2 and _partials are building blocks, not layouts.
    return [n for n in names if n != "base" and not n.startswith("_") and has_sheet(f"{n}.css")]


@functools.lru_cache(maxsize=4)
def _theme_environment(digest: str, templates: tuple[tuple[str, str], ...]) -> jinja2.Environment:
    return _environment(jinja2.DictLoader(dict(templates)))


def theme_environment(theme: Theme) -> jinja2.Environment:
    """The environment over ``theme``'s layout/ files (compiled once per process per theme)."""
    templates = tuple((rel.removeprefix("layout/"), data.decode("utf-8"))
                      for rel, data in theme.files if rel.startswith("layout/"))
    return _theme_environment(theme.digest, templates)


@functools.lru_cache(maxsize=8)
def environment(layout_dirs: tuple[Path, ...]) -> jinja2.Environment:
    """The Jinja2 environment for ``layout_dirs``, searched in order (the project's layout/
    first, then the built-in theme's), autoescape on, undefined names are errors.

    Kept per folder so templates compile once per process; the loader checks each template's
    modification time, so an edited template is compiled again (the preview relies on it).
    Filters that depend on the edition read it from the render context (``lang``, ``root``)
    instead of being set per call, so one environment serves every edition.
    """
    return _environment(jinja2.FileSystemLoader([str(d) for d in layout_dirs]))


def _environment(loader: jinja2.BaseLoader) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["stat_parts"] = stat_parts
    env.filters["figure_rows"] = figure_rows
    # ``b | block_index(article)``: where ``b`` is in ``article.blocks`` (by identity), written
    # as ``data-block`` so that the make-up pass (render/makeup.py; render/feet.py reads it) can
    # tell which block a laid-out box is and move it.
    env.filters["block_index"] = block_index
    # ``article | opener_space``: blank lines the make-up pass set under the opener, so that
    # the opener page's columns hold that many fewer (render/moves.py ``Spaced``).
    env.filters["opener_space"] = lambda article: getattr(article, "opener_space", 0)
    # ``b | lowered``: blank lines the make-up pass set above a box or pull quote, so that the
    # last page's short column ends level (render/moves.py ``Lowered``).
    env.filters["lowered"] = lambda block: getattr(block, "lowered", 0)
    # ``c | grown``: blank lines the make-up pass set under a box's figures (``grown``).
    env.filters["grown"] = lambda block: getattr(block, "grown", 0)
    # ``c | source_index(article)``: the block a callout's figures come from, written as
    # ``data-after`` so that the structure tree reads the box after it (render/tags.py).
    env.filters["source_index"] = _source_index
    # Real photos (a sidecar's ``image``) are project-relative; the build copies them under
    # the assets folder (writer.publish_photos), so the HTML links them relatively, as it links
    # the stylesheets: a browser shows them over HTTP, where it refuses file:// links.
    # Pages rendered without an assets folder (the issue's cover and fill pages) keep the
    # file URL (the one the build read the photo under, ``photo_urls``, when given), which
    # WeasyPrint's locked fetcher reads.
    env.filters["image_url"] = jinja2.pass_context(_image_url)
    # ``text | cjk``; ``text | cjk(false)`` for a text that does not end its line box (a run-in
    # subhead), whose last characters need not be kept together; ``text | cjk(true, markup)``
    # ends the text with the template's own ``markup`` (the end mark), kept on its last line.
    env.filters["cjk"] = jinja2.pass_context(
        lambda ctx, text, tie_end=True, suffix="": cjk_markup(text, ctx["lang"], tie_end=tie_end,
                                                              suffix=suffix))
    # Words the templates themselves print (图, 图片占位…) are written in Simplified Chinese
    # and converted like the model, so a Traditional page has no Simplified furniture.
    env.filters["zh"] = jinja2.pass_context(lambda ctx, text: _in_edition(text, ctx["lang"]))
    # ``"fill" | paint("--tint")``: a palette colour for inline SVG, which sees no stylesheet:
    # the sRGB value (browsers), then base.css's CMYK definition (print PDFs) unless screen.
    env.filters["paint"] = jinja2.pass_context(_paint)
    env.tests.update(
        heading=lambda b: isinstance(b, Heading),
        paragraph=lambda b: isinstance(b, Paragraph),
        figure=lambda b: isinstance(b, Figure),
        callout=lambda b: isinstance(b, Callout),
        stacked=lambda b: getattr(b, "stacked", False),  # render/moves.py: one figure a row
        reset=lambda b: bool(getattr(b, "setting", "")),  # render/moves.py: looser, tighter
        raised=lambda b: getattr(b, "height_mm", 0) > 0,  # render/moves.py: a higher hero
        figure_row=lambda b: isinstance(b, FigureRow),
        list=lambda b: isinstance(b, ListBlock),
        turn=lambda b: isinstance(b, Turn),
        note=lambda b: isinstance(b, Note),
    )
    return env


def _image_url(ctx, path: str) -> str:
    root = Path(ctx["root"])
    assets = ctx.get("assets")
    if assets is None:
        return ctx.get("photo_urls", {}).get(path) or (root / path).resolve().as_uri()
    # A photo a .docx or .md brought is written under the assets already; a sidecar's photo
    # is copied there under its project path (writer.publish_photos).
    resolved = (root / path).resolve()
    built = Path(ctx["out"]).resolve() / "_assets"
    if resolved.is_relative_to(built):
        return assets + quote(resolved.relative_to(built).as_posix())
    return assets + quote(_project_relative(root, path))


def _project_relative(root: Path, path: str) -> str:
    """``path`` (a sidecar's image) relative to the project root, as a URL path."""
    resolved = (root / path).resolve()
    try:
        return resolved.relative_to(root.resolve()).as_posix()
    except ValueError:  # refused by build._check_images before it gets here
        return Path(path).as_posix()


def _paint(ctx, prop: str, name: str) -> Markup:
    srgb = ctx["palette"].get(name, "#000")
    cmyk = "" if ctx["rgb_pdf"] else ctx["palette_cmyk"].get(name, "")
    return Markup(f"{escape(prop)}: {srgb};" + (f" {escape(prop)}: {cmyk};" if cmyk else ""))


def _palette(cfg: Config, theme: Theme | None = None,
             profile=CONFIGURED) -> tuple[bool, dict[str, str], dict[str, str]]:
    """(whether the PDF is the sRGB screen variant, base.css's CMYK palette in sRGB, the same
    as ``device-cmyk()`` values).

    The stylesheets define each colour once, in CMYK; browsers (and the screen variant) get
    the same colours converted through the output profile (``profile``, as read; by default
    the one the config names; naively without one)."""
    from paiban.errors import PaibanError
    from paiban.press import _profile, colour, variant

    if profile is CONFIGURED:
        try:
            profile = _profile(cfg.press.profile, cfg.root)
        except PaibanError:  # the build reports it; the HTML still shows colours
            profile = None
    # base.css as the document links it: the theme's that wins (as the build read it).
    if theme is not None:
        css = (theme.get("styles/base.css") or b"").decode("utf-8", "replace")
    else:
        try:
            found = cfg.theme.file("styles", "base.css")
            css = found.read_text("utf-8") if found is not None else ""
        except OSError:
            css = ""
    icc = profile.icc if profile is not None else None
    colours = colour.palette(css)
    srgb = {name: colour.to_srgb(value, icc) for name, value in colours.items()}
    cmyk = {name: "device-cmyk({:g} {:g} {:g} {:g})".format(*value)
            for name, value in colours.items()}
    return not variant(cfg.press.pdf).cmyk, srgb, cmyk


def render_html(article: Article, layout: str, cfg: Config, *, assets: str = "",
                hero: int | None = None, first_folio: int | None = None,
                theme: Theme | None = None, photo_urls: dict[str, str] | None = None,
                profile=CONFIGURED) -> str:
    """``article`` through ``layout/<layout>.html.j2``.

    ``first_folio``: the page number the article's first page carries in an issue (its pages
    count on from there; an even one opens on a left-hand page); None: page 1, a right-hand page.

    ``hero`` is the number of the figure set large on the opener; None takes the article's
    own choice (``Article.hero``, from the sidecar's ``[layout] hero``), and when that is 0 or
    names no figure, the first figure. ``profile``: the output profile its colours are shown
    through (see ``_palette``).
    """
    available = layouts(cfg, theme)
    if layout not in available:
        raise ConfigError(
            f"unknown layout {layout!r} (available: {', '.join(available) or 'none'})",
            path=str(cfg.layout_dir),
        )
    resolver = cfg.theme
    env = theme_environment(theme) if theme is not None else environment(resolver.folders("layout"))
    lang = article.lang
    sheets = [s.format(layout=layout) for s in _SHEETS]
    present = ((lambda s: resolver.file("styles", s) is not None) if theme is None
               else set(theme.names("styles")).__contains__)
    sheets = [s for s in sheets if s == f"{layout}.css" or present(s)]
    figures = article.figures
    numbers = [f.number for f in figures]
    if hero is None:
        hero = article.hero or None
    hero_number = hero if hero in numbers else (numbers[0] if numbers else None)
    template = env.get_template(f"{layout}.html.j2")
    rgb_pdf, srgb, cmyk = _palette(cfg, theme, profile)
    return template.render(
        lang=lang,
        root=str(cfg.root),
        article=article,
        # The running head and kicker read in the edition's script, like the article.
        publication=_in_edition(cfg.publication, lang),
        issue=_in_edition(cfg.issue, lang),
        faces=edition_faces(cfg.fonts_toml, lang, theme),
        marks=cfg.marks,
        proof=cfg.press.proof,
        palette=srgb,
        palette_cmyk=cmyk,
        rgb_pdf=rgb_pdf,
        show_end_matter=cfg.end_matter,
        stylesheets=[f"{assets}styles/{s}" for s in sheets],
        assets=assets,
        out=str(cfg.out),
        hero=hero_number,
        layout=layout,
        first_folio=first_folio,
        photo_urls=photo_urls or {},
    )
