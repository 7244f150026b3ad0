"""Per-article sidecar: the editor's last word on one text's figures and layout.

In: the path of a source text; its sidecar is the TOML file next to it with the same stem
(``seeds/002_cac0cc1532234b7e.txt`` -> ``seeds/002_cac0cc1532234b7e.toml``).
Out: a frozen ``Sidecar``; an empty one when there is no file. Every entry is checked when it
is read, and a bad one raises ``ConfigError`` naming the file and the key.

The format (every key optional)::

    [stats]
    title = "数说"                      # title of the opener box (default 数说)
    # Figures that must be in the opener box, in this order (at most 4), each by its value
    # exactly as written in the text; a table gives it a label too.
    pin = ["8070万元", { value = "46万多名", label = "参赛职工" }]
    drop = ["1个", "4个"]               # never in a box, and not listed among the statistics
    section_boxes = true                # false: only the opener box, no boxes in sections

    [stats.relabel]                     # value as written = label under the number
    "2366万元" = "挽回经济损失"

    [layout]
    name = "report"                     # layout for this text (layout/<name>.html.j2)
    hero = 2                            # figure number shown large on the opener
    keep_boxes = true                   # never leave a section box out to save a page

    [figures.2]                         # by figure number (图2), 1-based
    ratio = 1.33                        # width / height of the frame
    image = "images/longyan-2.jpg"      # a real photo, relative to the project folder

    [lines]                             # source line number = role (see paiban inspect)
    5 = "caption"                       # heading subhead paragraph caption credit byline end drop
    12 = { role = "heading", text = "加快建设" }   # pinned: line 12 must start with these words

    [article]
    title = "…"                         # when the source has none, or two
    byline = "记者 王芳 通讯员 李强"

A ``[lines]`` entry names a line of the source as the editor's text editor numbers it; the line
must exist and not be blank, and with ``text`` it must start with those characters (white space
and half-width/full-width punctuation aside), so that an entry left over from before the source
was edited (lines added or removed above it) is an error naming the key, not a silent misfire.

A pinned, dropped or relabelled value must occur verbatim in the text. Values name figures as
written, so a value written twice (12个 县级中心, 12个 园区工作站) is dropped or relabelled in
both places, and a pin takes its first occurrence. A pin may name a figure the extractor left
out (七期): it is added to the statistics. Image paths must stay
inside the project: absolute paths, ``..``, backslashes and URLs (``file://``, ``http://``) are
refused. Figure numbers (``hero``, ``[figures.N]``) are checked against the cleaned article by
``apply_figures``, which also sets each figure's ratio and image.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from paiban.config import read_toml
from paiban.errors import ConfigError, InputError
from paiban.model import Article, Figure

DEFAULT_TITLE = "数说"
MAX_PINS = 4

LIMITS = {"title": 12, "label": 24, "value": 40, "image": 255, "headline": 80, "byline": 60,
          "line": 40}
"""Longest string, in characters, each kind of entry may be: what the layouts can show (a box
title is one line over a box, a label two lines under a number, a value one figure as written).
A 5,000-character box title took 100 s and 121 pages to lay out; past a limit the entry is a
ConfigError naming the key. ``headline`` and ``byline`` are ``[article]``'s (a title of two or
three lines, a byline of one), ``line`` the words a ``[lines]`` entry pins."""


@dataclass(slots=True, frozen=True)
class Pin:
    """A figure the editor wants in the opener box."""

    value: str
    """The figure exactly as written in the text, e.g. ``8070万元``."""
    label: str = ""
    """Label under the number; "" keeps the extracted one."""


@dataclass(slots=True, frozen=True)
class FigureOptions:
    """Layout options for one photo (``[figures.N]``)."""

    ratio: float | None = None
    """Frame width / height; None keeps the layout's default."""
    image: str | None = None
    """A real image, relative to the project folder; None draws a placeholder."""
    focus: str | None = None
    """The point of the photo kept in the frame when it is cropped, as ``"x% y%"`` from its
    left and top edges; None centres it."""


@dataclass(slots=True, frozen=True)
class Sidecar:
    """Everything a sidecar can set; the defaults are what an absent file means."""

    path: Path | None = None
    """The sidecar file, or None when there is none."""
    title: str = DEFAULT_TITLE
    """Title of the opener statistics box."""
    pin: tuple[Pin, ...] = ()
    """Figures forced into the opener box, in order."""
    drop: tuple[str, ...] = ()
    """Values never shown in a box nor listed as statistics."""
    relabel: tuple[tuple[str, str], ...] = ()
    """(value, label) pairs: the label to show under that figure wherever it appears."""
    section_boxes: bool = True
    """Whether figure-rich sections get their own boxes."""
    layout: str | None = None
    """Layout name for this text; None uses the configured one."""
    hero: int | None = None
    """Figure number shown large on the opener; None lets the layout choose."""
    keep_boxes: bool = False
    """``[layout] keep_boxes``: the make-up never leaves a section box out to save a page."""
    figures: dict[int, FigureOptions] = field(default_factory=dict)
    """Per-figure options by figure number."""
    lines: tuple[tuple[int, str], ...] = ()
    """``[lines]``: (source line, role) pairs the cleaning obeys."""
    article_title: str | None = None
    """``[article] title``: the title to print instead of the one cleaning found."""
    article_byline: str | None = None
    """``[article] byline``: the byline to print instead of the one cleaning found."""

    @property
    def images(self) -> tuple[tuple[int, str], ...]:
        """(figure number, image path relative to the project) of every photo placed, in
        figure order."""
        return tuple((n, f.image) for n, f in sorted(self.figures.items()) if f.image)

    def label_for(self, value: str) -> str | None:
        """The editor's label for ``value`` (a pin's label wins over a relabel), or None."""
        for pin in self.pin:
            if pin.value == value and pin.label:
                return pin.label
        return dict(self.relabel).get(value)


def path_for(text_path: Path) -> Path:
    """Where the sidecar of ``text_path`` lives."""
    return text_path.with_suffix(".toml")


def load(text_path: Path) -> Sidecar:
    """Read and check the sidecar of ``text_path``; an empty Sidecar when there is none."""
    path = path_for(text_path)
    if not path.is_file():
        return Sidecar()
    return parse(read_toml(path, "sidecar"), path, _source_text(text_path))


def from_bytes(text_path: Path, data: bytes | None, text: bytes,
               source: str | None = None) -> Sidecar:
    """``load`` of bytes already read: ``data`` the sidecar's (None: no sidecar), ``text`` the
    source text's (``source``: the text its reader made of them, when already read)."""
    from paiban.config import toml_from_bytes

    if data is None:
        return Sidecar()
    path = path_for(text_path)
    if source is None:
        from paiban.readers import read_source

        try:
            source = read_source(text_path, text).text
        except InputError:
            source = None
    return parse(toml_from_bytes(data, path, "sidecar"), path, source)


def _source_text(text_path: Path) -> str | None:
    """The text as its reader gives it to the cleaner (a .txt decoded, a .docx's paragraphs,
    a .md without markup); None when it cannot be read, in which case cleaning reports the
    problem and pinned values go unchecked here."""
    from paiban.readers import read_file  # cleaning's reader, so both see one text

    try:
        return read_file(text_path).text
    except InputError:
        return None


def parse(data: dict[str, Any], path: Path, text: str | None = None) -> Sidecar:
    """Check a parsed sidecar table; ``text`` (the source) is where pinned values must occur."""
    where = str(path)
    _only(data, ("stats", "layout", "figures", "lines", "article"), "", where)
    article = _table(data, "article", where)
    _only(article, ("title", "byline"), "article.", where)
    stats = _table(data, "stats", where)
    layout = _table(data, "layout", where)
    _only(stats, ("title", "pin", "drop", "relabel", "section_boxes"), "stats.", where)
    _only(layout, ("name", "hero", "keep_boxes"), "layout.", where)

    pins = tuple(_pin(item, i, where) for i, item in enumerate(_list(stats, "pin", "stats.", where)))
    if len(pins) > MAX_PINS:
        raise ConfigError(f"stats.pin: at most {MAX_PINS} figures fit the opener box, "
                          f"not {len(pins)}", path=where)
    drop = tuple(_str(v, f"stats.drop[{i}]", where, "value")
                 for i, v in enumerate(_list(stats, "drop", "stats.", where)))
    relabel_table = _table(stats, "relabel", where, "stats.")
    relabel = tuple((_str(k, f"stats.relabel.{k[:40]!r}", where, "value"),
                     _str(v, f"stats.relabel.{k[:40]!r}", where, "label"))
                    for k, v in relabel_table.items())
    if text is not None:
        values = [(f"stats.pin[{i}]", p.value) for i, p in enumerate(pins)]
        values += [(f"stats.drop[{i}]", v) for i, v in enumerate(drop)]
        values += [(f"stats.relabel.{k!r}", k) for k, _ in relabel]
        # White space is ignored: a figure split by a page break (8070\n\n万元) is rejoined.
        flat = re.sub(r"\s", "", text)
        for key, value in values:
            if re.sub(r"\s", "", value) not in flat:
                raise ConfigError(f"{key}: {value!r} does not occur in the text", path=where)

    hero = layout.get("hero")
    if hero is not None and (not _is_int(hero) or hero < 1):
        raise ConfigError("layout.hero must be a figure number (1, 2…)", path=where)
    return Sidecar(
        path=path,
        title=_str(stats.get("title", DEFAULT_TITLE), "stats.title", where, "title"),
        pin=pins,
        drop=drop,
        relabel=relabel,
        section_boxes=_bool(stats.get("section_boxes", True), "stats.section_boxes", where),
        layout=_layout_name(layout["name"], where) if "name" in layout else None,
        hero=hero,
        keep_boxes=_bool(layout.get("keep_boxes", False), "layout.keep_boxes", where),
        figures=_figures(_table(data, "figures", where), where),
        lines=_lines(_table(data, "lines", where), where, text),
        article_title=(_nonempty(article["title"], "article.title", where, "headline")
                       if "title" in article else None),
        article_byline=(_nonempty(article["byline"], "article.byline", where, "byline")
                        if "byline" in article else None),
    )


LINE_ROLES = ("heading", "subhead", "paragraph", "caption", "credit", "byline", "end", "drop")

_FULL = str.maketrans({",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（",
                       ")": "）", '"': "“", "”": "“", "'": "‘", "’": "‘", ".": "。"})


def _comparable(text: str) -> str:
    """Text as a pinned override compares it: no white space, one form of each mark."""
    return "".join(text.split()).translate(_FULL)


def _lines(table: dict[str, Any], where: str, text: str | None) -> tuple[tuple[int, str], ...]:
    """``[lines]``: each key a line of the text, each value a role or ``{ role, text }``."""
    source = None
    if text is not None:
        source = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if source and source[-1] == "":
            source.pop()
    out: list[tuple[int, str]] = []
    for name, value in table.items():
        key = f"lines.{name}"
        if not name.isdigit() or int(name) < 1:
            raise ConfigError(f"{key}: a line number (1, 2…) as paiban inspect shows it",
                              path=where)
        pinned = None
        if isinstance(value, dict):
            _only(value, ("role", "text"), key + ".", where)
            if "role" not in value:
                raise ConfigError(f"{key}.role is missing", path=where)
            role = _str(value["role"], key + ".role", where)
            if "text" in value:
                pinned = _nonempty(value["text"], key + ".text", where, "line")
        else:
            role = _str(value, key, where)
        if role not in LINE_ROLES:
            raise ConfigError(f"{key}: unknown role {role!r} (roles: {', '.join(LINE_ROLES)})",
                              path=where)
        n = int(name)
        if source is not None:
            if n > len(source):
                raise ConfigError(f"{key}: the text has no line {n} (it has {len(source)} "
                                  "lines); was it edited?", path=where)
            line = source[n - 1]
            if not line.strip():
                raise ConfigError(f"{key}: line {n} is blank; was the text edited? "
                                  "(paiban inspect lists the lines)", path=where)
            if pinned is not None and not _comparable(line).startswith(_comparable(pinned)):
                raise ConfigError(f"{key}: line {n} no longer starts with {pinned!r} (it reads "
                                  f"{line.strip()[:16]!r}); the text was edited: check the line "
                                  "number with paiban inspect", path=where)
        out.append((n, role))
    return tuple(sorted(out))


def apply_figures(article: Article, sidecar: Sidecar) -> Article:
    """``article`` with each ``[figures.N]`` ratio and image set; a number the article has no
    figure for (in ``[figures.N]`` or ``layout.hero``) is a ConfigError naming the key."""
    numbers = {f.number for f in article.figures}
    where = str(sidecar.path)
    for n in sidecar.figures:
        if n not in numbers:
            raise ConfigError(f"figures.{n}: the text has no figure {n} "
                              f"(it has {len(numbers)})", path=where)
    if sidecar.hero is not None and sidecar.hero not in numbers:
        raise ConfigError(f"layout.hero: the text has no figure {sidecar.hero} "
                          f"(it has {len(numbers)})", path=where)
    if not sidecar.figures:
        return article
    return replace(article, blocks=tuple(
        _figure(b, sidecar.figures.get(b.number)) if isinstance(b, Figure) else b
        for b in article.blocks
    ))


def _figure(figure: Figure, options: FigureOptions | None) -> Figure:
    if options is None:
        return figure
    return replace(
        figure,
        ratio=options.ratio if options.ratio is not None else figure.ratio,
        image=options.image if options.image is not None else figure.image,
        focus=options.focus if options.focus is not None else figure.focus,
    )


def _pin(item: Any, i: int, where: str) -> Pin:
    key = f"stats.pin[{i}]"
    if isinstance(item, str):
        return Pin(_nonempty(item, key, where, "value"))
    if isinstance(item, dict):
        _only(item, ("value", "label"), key + ".", where)
        if "value" not in item:
            raise ConfigError(f"{key}.value is missing", path=where)
        return Pin(_nonempty(item["value"], key + ".value", where, "value"),
                   _str(item.get("label", ""), key + ".label", where, "label"))
    raise ConfigError(f"{key} must be a value or a table {{ value, label }}", path=where)


def _figures(table: dict[str, Any], where: str) -> dict[int, FigureOptions]:
    out: dict[int, FigureOptions] = {}
    for name, options in table.items():
        key = f"figures.{name}"
        if not name.isdigit() or int(name) < 1:
            raise ConfigError(f"{key}: figures are numbered 1, 2…", path=where)
        if not isinstance(options, dict):
            raise ConfigError(f"{key} must be a table", path=where)
        _only(options, ("ratio", "image", "focus"), key + ".", where)
        ratio = options.get("ratio")
        if ratio is not None and (isinstance(ratio, bool) or not isinstance(ratio, (int, float))
                                  or not 0.1 <= ratio <= 10):
            raise ConfigError(f"{key}.ratio must be a number between 0.1 and 10", path=where)
        image = options.get("image")
        if image is not None:
            image = _safe_image(_str(image, key + ".image", where, "image"), key + ".image", where)
        focus = options.get("focus")
        if focus is not None:
            focus = _focus(focus, key + ".focus", where)
        out[int(name)] = FigureOptions(float(ratio) if ratio is not None else None, image, focus)
    return out


def _focus(value: Any, key: str, where: str) -> str:
    """``"x% y%"``, each 0-100 %: the point of the photo kept in a frame that crops it."""
    m = re.fullmatch(r"\s*(\d{1,3}(?:\.\d+)?)%\s+(\d{1,3}(?:\.\d+)?)%\s*", value) \
        if isinstance(value, str) else None
    if not m or not all(0 <= float(v) <= 100 for v in m.groups()):
        raise ConfigError(f'{key} must be "x% y%" with both between 0% and 100% (the point of '
                          f'the photo kept in the frame, from its left and top edges), e.g. '
                          f'"50% 30%"', path=where)
    return f"{m[1]}% {m[2]}%"


def _safe_image(value: str, key: str, where: str) -> str:
    """A relative path inside the project, or a ConfigError."""
    problem = None
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
        problem = "a URL or drive path"  # file://, http://, C:…: must be a project file
    elif "\\" in value:
        problem = "a backslash"
    elif value.startswith(("/", "~")):
        problem = "an absolute path"
    elif ".." in PurePosixPath(value).parts:
        problem = "'..' (it would leave the project)"
    elif not value.strip():
        problem = "an empty path"
    if problem:
        raise ConfigError(f"{key}: {value!r} is {problem}; give a path relative to the project "
                          f"folder, e.g. images/photo.jpg", path=where)
    return value


def _layout_name(value: Any, where: str) -> str:
    """A layout's plain name (``report``): never a path to another template."""
    name = _str(value, "layout.name", where)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", name):
        raise ConfigError(f"layout.name: {name!r} is not a layout name (such as feature or "
                          f"report; a name from layout/, without folder or extension)", path=where)
    return name


def _only(table: dict[str, Any], allowed: tuple[str, ...], prefix: str, where: str) -> None:
    for key in table:
        if key not in allowed:
            raise ConfigError(f"unknown key {prefix}{key} (allowed: {', '.join(allowed)})",
                              path=where)


def _table(data: dict[str, Any], key: str, where: str, prefix: str = "") -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"[{prefix}{key}] must be a table", path=where)
    return value


def _list(table: dict[str, Any], key: str, prefix: str, where: str) -> list[Any]:
    value = table.get(key, [])
    if not isinstance(value, list):
        raise ConfigError(f"{prefix}{key} must be a list", path=where)
    return value


def _str(value: Any, key: str, where: str, kind: str | None = None) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{key} must be a string, not {type(value).__name__}", path=where)
    limit = LIMITS[kind] if kind else None
    if limit is not None and len(value) > limit:
        raise ConfigError(f"{key} is {len(value)} characters long; at most {limit} fit where "
                          f"the layout shows it", path=where)
    return value


def _nonempty(value: Any, key: str, where: str, kind: str | None = None) -> str:
    if not _str(value, key, where, kind).strip():
        raise ConfigError(f"{key} must not be empty", path=where)
    return value


def _bool(value: Any, key: str, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{key} must be true or false", path=where)
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
