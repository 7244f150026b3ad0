"""The issue manifest: what goes into one issue, in what order, and how it is bound.

In: a TOML file (``issue.toml`` beside the project's config by default) with an ``[issue]``
table. Out: a checked ``Manifest``; every bad entry is a ``ConfigError`` naming the file and key.

    [issue]
    name = "2026年第12期"            # running head, cover, contents, PDF title
    date = "2026-12-01"              # on the cover and in the PDF's metadata
    slug = "2026-12"                 # output names (default: the date, else the file's stem)
    binding = "saddle"               # saddle: pages a multiple of 4; perfect: even; none
    start = "recto"                  # each article opens on a right-hand page; or "any"
    contents = true                  # a contents page after the cover
    fill = "blank"                   # left-over pages: "blank", or an image or PDF in the project
    cover = { image = "images/cover.jpg", lines = ["特别报道：福建工会五年巡礼"] }
    articles = ["seeds/002_cac0cc1532234b7e.txt", "seeds/000_0015acbaf8d5143e.txt"]

    # or, grouped by section (the contents page groups them, the bookmarks too):
    [[issue.sections]]
    name = "特别报道"
    articles = ["seeds/002_cac0cc1532234b7e.txt"]

Paths are relative to the project folder and must stay inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from paiban.config import Config, read_toml
from paiban.errors import ConfigError
from paiban.issue.makeup import BINDINGS, STARTS

FILL_TYPES = {".jpg", ".jpeg", ".png", ".pdf"}
LIMITS = {"name": 40, "line": 40, "section": 20}
"""Longest strings, in characters: what the cover and contents page can show."""


@dataclass(slots=True, frozen=True)
class Entry:
    """One article of the issue."""

    text: Path
    section: str = ""
    """The section it is listed under on the contents page; "" for none."""


@dataclass(slots=True, frozen=True)
class Manifest:
    path: Path
    name: str
    date: str = ""
    slug: str = "issue"
    binding: str = "saddle"
    start: str = "recto"
    contents: bool = True
    fill: Path | None = None
    """A page (image or PDF) for left-over pages; None leaves them blank."""
    cover_image: Path | None = None
    cover_lines: tuple[str, ...] = ()
    entries: tuple[Entry, ...] = field(default_factory=tuple)

    @property
    def sections(self) -> list[tuple[str, list[int]]]:
        """(section name, indices of its entries) in order of first appearance."""
        out: dict[str, list[int]] = {}
        for i, entry in enumerate(self.entries):
            out.setdefault(entry.section, []).append(i)
        return list(out.items())


def default_path(cfg: Config) -> Path:
    return cfg.root / "issue.toml"


def load(path: Path, cfg: Config) -> Manifest:
    data = read_toml(path, "issue manifest")
    where = str(path)
    table = data.get("issue")
    if not isinstance(table, dict):
        raise ConfigError("has no [issue] table", path=where)
    allowed = ("name", "date", "slug", "binding", "start", "contents", "fill", "cover",
               "articles", "sections")
    for key in table:
        if key not in allowed:
            raise ConfigError(f"unknown key issue.{key} (allowed: {', '.join(allowed)})",
                              path=where)
    name = _str(table.get("name"), "issue.name", where, LIMITS["name"], required=True)
    date = _str(table.get("date", ""), "issue.date", where, 10)
    if date and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise ConfigError("issue.date must be a date written 2026-12-01", path=where)
    slug = _str(table.get("slug", date or path.stem), "issue.slug", where, 60)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", slug):
        raise ConfigError(f"issue.slug: {slug!r} is not a file name (letters, digits, . _ -)",
                          path=where)
    binding = _choice(table.get("binding", "saddle"), "issue.binding", tuple(BINDINGS), where)
    start = _choice(table.get("start", "recto"), "issue.start", STARTS, where)
    contents = table.get("contents", True)
    if not isinstance(contents, bool):
        raise ConfigError("issue.contents must be true or false", path=where)
    fill_value = table.get("fill", "blank")
    fill = None
    if fill_value != "blank":
        fill = _project_file(fill_value, "issue.fill", cfg, where, FILL_TYPES)
    cover = table.get("cover", {})
    if not isinstance(cover, dict):
        raise ConfigError("issue.cover must be a table { image, lines }", path=where)
    for key in cover:
        if key not in ("image", "lines"):
            raise ConfigError(f"unknown key issue.cover.{key} (allowed: image, lines)",
                              path=where)
    image = (_project_file(cover["image"], "issue.cover.image", cfg, where,
                           {".jpg", ".jpeg", ".png"}) if "image" in cover else None)
    lines = cover.get("lines", [])
    if not isinstance(lines, list) or len(lines) > 4:
        raise ConfigError("issue.cover.lines must be a list of at most 4 lines", path=where)
    lines = tuple(_str(v, f"issue.cover.lines[{i}]", where, LIMITS["line"], required=True)
                  for i, v in enumerate(lines))
    entries = _entries(table, cfg, where)
    return Manifest(path=path, name=name, date=date, slug=slug, binding=binding, start=start,
                    contents=contents, fill=fill, cover_image=image, cover_lines=lines,
                    entries=entries)


def _entries(table: dict[str, Any], cfg: Config, where: str) -> tuple[Entry, ...]:
    if ("articles" in table) == ("sections" in table):
        raise ConfigError("give the articles as issue.articles or as [[issue.sections]], "
                          "one of the two", path=where)
    out: list[Entry] = []
    if "articles" in table:
        out += [Entry(t) for t in _texts(table["articles"], "issue.articles", cfg, where)]
    else:
        sections = table["sections"]
        if not isinstance(sections, list) or not sections:
            raise ConfigError("issue.sections must be a list of tables { name, articles }",
                              path=where)
        for i, section in enumerate(sections):
            key = f"issue.sections[{i}]"
            if not isinstance(section, dict) or set(section) - {"name", "articles"}:
                raise ConfigError(f"{key} must be a table {{ name, articles }}", path=where)
            name = _str(section.get("name"), f"{key}.name", where, LIMITS["section"],
                        required=True)
            out += [Entry(t, name) for t in _texts(section.get("articles"), f"{key}.articles",
                                                   cfg, where)]
    seen: set[Path] = set()
    for entry in out:
        if entry.text in seen:
            raise ConfigError(f"{entry.text.name} is listed twice", path=where)
        seen.add(entry.text)
    stems = [e.text.stem for e in out]
    if len(set(stems)) != len(stems):
        raise ConfigError("two articles have the same file name; their PDFs would collide",
                          path=where)
    return tuple(out)


def _texts(value: Any, key: str, cfg: Config, where: str) -> list[Path]:
    if not isinstance(value, list) or not value:
        raise ConfigError(f"{key} must be a non-empty list of text files", path=where)
    return [_project_file(v, f"{key}[{i}]", cfg, where, None) for i, v in enumerate(value)]


def _project_file(value: Any, key: str, cfg: Config, where: str,
                  types: set[str] | None) -> Path:
    relative = _str(value, key, where, 255, required=True)
    if relative.startswith(("/", "~")) or "\\" in relative or ".." in Path(relative).parts \
            or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", relative):
        raise ConfigError(f"{key}: {relative!r} must be a path inside the project, such as "
                          f"seeds/x.txt", path=where)
    path = (cfg.root / relative).resolve()
    if not path.is_relative_to(cfg.root.resolve()):
        raise ConfigError(f"{key}: {relative!r} leads outside the project", path=where)
    if not path.is_file():
        raise ConfigError(f"{key}: {relative!r} is not a file in the project", path=where)
    if types is not None and path.suffix.lower() not in types:
        raise ConfigError(f"{key}: {relative!r} must be one of {', '.join(sorted(types))}",
                          path=where)
    return path


def _str(value: Any, key: str, where: str, limit: int, required: bool = False) -> str:
    if value is None and required:
        raise ConfigError(f"{key} is missing", path=where)
    if not isinstance(value, str):
        raise ConfigError(f"{key} must be a string", path=where)
    if required and not value.strip():
        raise ConfigError(f"{key} must not be empty", path=where)
    if len(value) > limit:
        raise ConfigError(f"{key} is {len(value)} characters long; at most {limit} fit",
                          path=where)
    return value


def _choice(value: Any, key: str, choices: tuple[str, ...], where: str) -> str:
    if value not in choices:
        raise ConfigError(f"{key} must be one of {', '.join(choices)}", path=where)
    return value
