"""Project configuration: one typed object, read from TOML, overridden by command-line flags.

In: the project's ``paiban.toml`` (its top-level keys) or the ``[tool.paiban]`` table of its
``pyproject.toml``, found in the current folder or the nearest parent that has one (or the file
passed with ``--config``); then the CLI's flags.
Out: a frozen ``Config``. Paths in it are absolute, resolved against the project root (the
folder holding the config file). An unknown key is an error that names the nearest known one.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from paiban.errors import ConfigError
from paiban.theme import Theme

EDITIONS = ("zh-Hans", "zh-Hant", "zh-Hant-TW", "zh-Hant-HK")
"""Every edition paiban can make (BCP 47 tags)."""

PDF_VARIANTS = ("x-4", "x-1a", "screen")
"""What ``--pdf`` chooses from (see paiban.press)."""


@dataclass(slots=True, frozen=True)
class Press:
    """What the printer receives: ``[tool.paiban.press]``."""

    profile: str = "fogra39"
    """Output condition: ``fogra39`` (coated offset), ``newsprint`` (SNAP, CGATS TR 002), or
    the path of a CMYK ICC profile (relative to the project root)."""
    pdf: str = "x-4"
    """PDF variant: ``x-4`` (send this), ``x-1a`` (older RIPs) or ``screen`` (web)."""
    proof: bool = False
    """A proof: placeholder frames allowed, 校样 / PROOF stamped in the slug."""


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
    makeup: bool = True
    """Run the make-up pass: an article with a hole at a column foot or an uneven last page is
    laid out again with a figure, box or quote moved or resized (at most 8 more layouts, 2 on
    average in the synthetic corpus). false lays every article out once: drafts, and archive
    runs where throughput matters more than make-up."""
    jobs: int = 0
    """Worker processes for ``build``; 0 means one per core."""
    time_budget: int = 600
    """Seconds one target (clean, lay out, write) may take before it fails with one line; 0 =
    no limit. A feature takes about a second; the default only stops a runaway layout."""
    executor: str = "local"
    """Where ``build`` renders: ``local`` (worker processes on this machine) or
    ``dask://HOST:PORT`` (a dask.distributed scheduler; needs the ``dask`` extra)."""
    corner_quotes: tuple[str, ...] = ("zh-Hant-TW", "zh-Hant-HK")
    """Editions whose quotation marks are corner brackets 「」『』 (Taiwan and Hong Kong print);
    the others keep “”‘’. A desk that wants “” in its Hong Kong edition leaves zh-Hant-HK out."""
    press: Press = field(default_factory=Press)
    """PDF variant, output condition and proof (``[tool.paiban.press]``; ``--pdf``, ``--proof``)."""

    @property
    def theme(self) -> Theme:
        """Where layout/, styles/, fonts/ files come from: the project's, then the built-in."""
        return Theme.for_project(self.root)

    @property
    def fonts_toml(self) -> Path:
        """The fonts.toml that wins (the project's own, else the built-in theme's)."""
        return self.theme.file("fonts", "fonts.toml") or self.fonts_dir / "fonts.toml"

    @property
    def layout_dir(self) -> Path:
        """The project's own layout/ folder (which may not exist; see ``theme``)."""
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
    "source_date_epoch": int, "marks": bool, "jobs": int, "time_budget": int, "executor": str,
    "end_matter": bool, "corner_quotes": list, "press": dict, "makeup": bool,
}
_PRESS_TYPES: dict[str, type] = {"profile": str, "pdf": str, "proof": bool}

CONFIG_FILE = "paiban.toml"
"""A publication's own config file (top-level keys); ``[tool.paiban]`` in pyproject.toml works too."""


def find_config(start: Path | None = None) -> tuple[Path, Path | None]:
    """(project root, config file) for the nearest folder at or above ``start`` holding a
    paiban.toml or a pyproject.toml with [tool.paiban]; (``start``, None) when there is none."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder, folder / CONFIG_FILE
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "[tool.paiban]" in candidate.read_text("utf-8", "replace"):
            return folder, candidate
    return here, None


def find_root(start: Path | None = None) -> Path:
    """The project root at or above ``start`` (see ``find_config``)."""
    return find_config(start)[0]


def load(path: Path | None = None, **overrides: Any) -> Config:
    """Read the config from ``path`` (a TOML file) or the project's paiban.toml/pyproject.toml.

    ``overrides`` are flag values; ``None`` means "not given".
    """
    if path is None:
        root, path = find_config()
    else:
        path = Path(path).resolve()
        if not path.is_file():
            raise ConfigError("no such config file", path=str(path))
        root = path.parent
    table, prefix = {}, ""
    if path is not None:
        data = read_toml(path, "config")
        if path.name == "pyproject.toml" or isinstance(data.get("tool"), dict):
            table, prefix = _read_table(path, ("tool", "paiban")), "[tool.paiban]."
        else:
            table = data  # paiban.toml: the keys at the top level
    values: dict[str, Any] = {}
    for key, value in table.items():
        want = _TYPES.get(key)
        if want is None:
            near = difflib.get_close_matches(key, _TYPES, n=1, cutoff=0.6)
            hint = f"; did you mean {near[0]!r}?" if near else f" (known: {', '.join(_TYPES)})"
            raise ConfigError(f"unknown key {prefix}{key}{hint}", path=str(path))
        if not isinstance(value, want) or (want is int and isinstance(value, bool)):
            raise ConfigError(
                f"{prefix}{key} must be {want.__name__}, not {type(value).__name__}",
                path=str(path),
            )
        values[key] = value
    press = dict(values.get("press", {}))
    for key in ("pdf", "proof"):
        if overrides.get(key) is not None:
            press[key] = overrides.pop(key)
    overrides = {k: v for k, v in overrides.items() if k not in ("pdf", "proof")}
    if press:
        values["press"] = press
    values.update({k: v for k, v in overrides.items() if v is not None})
    cfg = Config(root=root)
    kwargs: dict[str, Any] = {}
    for f in fields(Config):
        if f.name not in values:
            continue
        value = values[f.name]
        if f.name in ("seeds", "out"):
            value = Path(value)
        if f.name == "press":
            value = _press(value, path)
        if f.name in ("editions", "corner_quotes"):
            value = tuple(value)
            bad = [e for e in value if e not in EDITIONS]
            if bad:
                raise ConfigError(
                    f"unknown edition {bad[0]!r} (choose from {', '.join(EDITIONS)})",
                    path=str(path),
                )
        if f.name == "executor" and not _executor_ok(value):
            flag = overrides.get("executor") is not None
            raise ConfigError(f"{'--executor' if flag else '[tool.paiban].executor'} must be "
                              f"'local' or 'dask://HOST:PORT', not {value!r}",
                              path=None if flag else str(path), exit_code=2)
        kwargs[f.name] = value
    cfg = replace(cfg, **kwargs)
    return replace(cfg, seeds=cfg.resolve(cfg.seeds), out=cfg.resolve(cfg.out))


def _executor_ok(value: str) -> bool:
    if value == "local":
        return True
    host, _, port = value.removeprefix("dask://").rpartition(":")
    return value.startswith("dask://") and bool(host) and port.isascii() and port.isdigit()


def _press(table: dict[str, Any], path: Path) -> Press:
    """``[tool.paiban.press]`` (with the flags --pdf/--proof merged in) as a ``Press``."""
    for key, value in table.items():
        want = _PRESS_TYPES.get(key)
        if want is None:
            raise ConfigError(f"unknown key [tool.paiban.press].{key}", path=str(path))
        if not isinstance(value, want):
            raise ConfigError(f"[tool.paiban.press].{key} must be {want.__name__}, "
                              f"not {type(value).__name__}", path=str(path))
    if table.get("pdf", "x-4") not in PDF_VARIANTS:
        raise ConfigError(f"[tool.paiban.press].pdf must be one of {', '.join(PDF_VARIANTS)}",
                          path=str(path))
    return Press(**table)


MAX_TOML_BYTES = 1024 * 1024
"""Largest config, sidecar or fonts.toml read."""


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """The TOML file at ``path`` (``what`` names it in errors: config, sidecar…); a file that
    cannot be read or parsed is one ``ConfigError`` naming it."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_TOML_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read {what}: {exc}", path=str(path)) from None
    return toml_from_bytes(data, path, what)


def toml_from_bytes(data: bytes, path: Path, what: str) -> dict[str, Any]:
    """``read_toml`` of bytes already read from ``path`` (at most ``MAX_TOML_BYTES``)."""
    if len(data) > MAX_TOML_BYTES:
        raise ConfigError(f"{what} is larger than {MAX_TOML_BYTES // 1024} KB; no "
                          f"{what} needs that much", path=str(path))
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
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
