"""Project configuration: one typed object, read from TOML, overridden by command-line flags.

In: the ``[tool.paiban]`` table of the project's ``pyproject.toml`` (or any TOML file passed with
``--config``), then the CLI's flags.
Out: a frozen ``Config``. Paths in it are absolute, resolved against the project root.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from paiban.errors import ConfigError

EDITIONS = ("zh-Hans", "zh-Hant", "zh-Hant-TW", "zh-Hant-HK")
"""Every edition paiban can make (BCP 47 tags)."""


@dataclass(slots=True, frozen=True)
class Config:
    """Defaults for every command; each option can be set in ``[tool.paiban]``."""

    root: Path = field(default_factory=Path.cwd)
    """Project root: the folder holding pyproject.toml, layout/, styles/, fonts/."""
    seeds: Path = Path("seeds")
    """Folder of source texts (.txt, .docx, .md) built by default."""
    out: Path = Path("dist")
    """Build output folder."""
    editions: tuple[str, ...] = ("zh-Hans", "zh-Hant")
    """Editions built by default."""
    layout: str = "feature"
    """Default layout: a template ``layout/<name>.html.j2`` with ``styles/<name>.css``."""
    publication: str = "职工之家"
    """Publication name for the running header and PDF metadata."""
    issue: str = ""
    """Issue line for the running header, e.g. ``2026年第11期``."""
    source_date_epoch: int = 1767225600
    """Timestamp written into PDFs (2026-01-01T00:00:00Z) unless SOURCE_DATE_EPOCH is set by
    the CLI; fixed so that two builds are byte-identical."""
    marks: bool = False
    """Draw crop and cross marks outside the bleed."""
    end_matter: bool = True
    """Print the end matter (来源, 编辑, 审核, （完）…) small after the end mark; false leaves
    it out of print (it stays in the model and ``paiban inspect``)."""
    jobs: int = 0
    """Worker processes for ``build``; 0 means one per core."""
    time_budget: int = 600
    """Seconds one target (clean, lay out, write) may take before it fails with one line; 0 =
    no limit. A feature takes about a second; the default only stops a runaway layout."""

    @property
    def layout_dir(self) -> Path:
        return self.root / "layout"

    @property
    def styles_dir(self) -> Path:
        return self.root / "styles"

    @property
    def fonts_dir(self) -> Path:
        return self.root / "fonts"

    def resolve(self, path: Path) -> Path:
        return path if path.is_absolute() else self.root / path


_TYPES: dict[str, type] = {
    "seeds": str, "out": str, "editions": list, "layout": str, "publication": str, "issue": str,
    "source_date_epoch": int, "marks": bool, "jobs": int, "time_budget": int, "end_matter": bool,
}


def find_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` holding a pyproject.toml with [tool.paiban]."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "[tool.paiban]" in candidate.read_text("utf-8", "replace"):
            return folder
    return here


def load(path: Path | None = None, **overrides: Any) -> Config:
    """Read the config from ``path`` (a TOML file) or the project's pyproject.toml.

    ``overrides`` are flag values; ``None`` means "not given".
    """
    if path is None:
        root = find_root()
        path = root / "pyproject.toml"
        table = _read_table(path, ("tool", "paiban")) if path.is_file() else {}
    else:
        root = find_root(path.parent)
        table = _read_table(path, ("tool", "paiban"), required=False)
    values: dict[str, Any] = {}
    for key, value in table.items():
        want = _TYPES.get(key)
        if want is None:
            raise ConfigError(f"unknown key [tool.paiban].{key}", path=str(path))
        if not isinstance(value, want) or (want is int and isinstance(value, bool)):
            raise ConfigError(
                f"[tool.paiban].{key} must be {want.__name__}, not {type(value).__name__}",
                path=str(path),
            )
        values[key] = value
    values.update({k: v for k, v in overrides.items() if v is not None})
    cfg = Config(root=root)
    kwargs: dict[str, Any] = {}
    for f in fields(Config):
        if f.name not in values:
            continue
        value = values[f.name]
        if f.name in ("seeds", "out"):
            value = Path(value)
        if f.name == "editions":
            value = tuple(value)
            bad = [e for e in value if e not in EDITIONS]
            if bad:
                raise ConfigError(
                    f"unknown edition {bad[0]!r} (choose from {', '.join(EDITIONS)})",
                    path=str(path),
                )
        kwargs[f.name] = value
    cfg = replace(cfg, **kwargs)
    return replace(cfg, seeds=cfg.resolve(cfg.seeds), out=cfg.resolve(cfg.out))


MAX_TOML_BYTES = 1024 * 1024
"""Largest config, sidecar or fonts.toml read."""


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """The TOML file at ``path`` (``what`` names it in errors: config, sidecar…); a file that
    cannot be read or parsed is one ``ConfigError`` naming it."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_TOML_BYTES + 1)
        if len(data) > MAX_TOML_BYTES:
            raise ConfigError(f"{what} is larger than {MAX_TOML_BYTES // 1024} KB; no "
                              f"{what} needs that much", path=str(path))
        return tomllib.loads(data.decode("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {what}: {exc}", path=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", path=str(path)) from None
    except RecursionError:  # ~500 nested arrays in 1 KB: tomllib recurses per level
        raise ConfigError("invalid TOML: nested too deeply", path=str(path)) from None


def _read_table(path: Path, keys: tuple[str, ...], required: bool = True) -> dict[str, Any]:
    data = read_toml(path, "config")
    table: Any = data
    for key in keys:
        if not isinstance(table, dict) or key not in table:
            return {} if required else data
        table = table[key]
    if not isinstance(table, dict):
        raise ConfigError(f"[{'.'.join(keys)}] must be a table", path=str(path))
    return table
