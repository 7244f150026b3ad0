"""The Python API: what the CLI does, as functions that return typed results and print nothing.

    from paiban import load_config, inspect_text, typeset

    cfg = load_config()                       # paiban.toml found as the CLI finds it
    article = inspect_text("seeds/a.txt")     # the cleaned document model (paiban.model.Article)
    result = typeset(["seeds"], editions=["zh-Hans", "zh-Hant-HK"])
    for t in result.targets:
        print(t.pdf, t.pages, t.warnings, t.error)

In: paths, a ``Config`` (or the path of a config file, or None to find it), options.
Out: ``Article``; ``BuildResult`` (one ``TargetResult`` per text × edition × layout); the files
``init_project`` wrote. User errors raise ``paiban.errors.PaibanError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from paiban.config import EDITIONS, Config, load
from paiban.errors import PaibanError
from paiban.model import Article
from paiban.project import init_project

__all__ = ["BuildResult", "TargetResult", "init_project", "inspect_text", "load_config",
           "typeset"]


def load_config(config: Config | str | Path | None = None, **overrides) -> Config:
    """``config`` itself, or read from that file, or from the nearest paiban.toml /
    pyproject.toml [tool.paiban]; ``overrides`` as the CLI's flags (``editions=…``)."""
    if isinstance(config, Config):
        from dataclasses import replace

        return replace(config, **{k: v for k, v in overrides.items() if v is not None})
    return load(Path(config) if config is not None else None, **overrides)


def inspect_text(path: str | Path, *, edition: str | None = None,
                 config: Config | str | Path | None = None) -> Article:
    """The cleaned model of one text (with statistics and callouts), in ``edition`` (None: in
    the source's own script, zh-Hans or zh-Hant)."""
    from paiban.build import collect_checked
    from paiban.pipeline import prepare

    if edition is not None and edition not in EDITIONS:
        raise PaibanError(f"unknown edition {edition!r} (choose from {', '.join(EDITIONS)})",
                          exit_code=2)
    cfg = load_config(config)
    path = Path(path)
    if path.is_file():  # the same refusal as build's (a link out of the project)
        _texts, refused = collect_checked((path,), cfg.root)
        if refused:
            raise next(iter(refused.values()))
    return prepare(path, cfg, edition=edition)


@dataclass(slots=True, frozen=True)
class TargetResult:
    """One text in one edition and layout."""

    text: Path
    edition: str
    layout: str
    pdf: Path
    """Where its PDF is (see ``paiban.outputs.output_path``); not there when ``error``."""
    html: Path
    pages: int
    seconds: float
    cached: bool
    """True when it was up to date and not rebuilt."""
    warnings: tuple[str, ...]
    error: str | None


@dataclass(slots=True, frozen=True)
class BuildResult:
    """What ``typeset`` did."""

    targets: tuple[TargetResult, ...]
    texts: int
    seconds: float
    out: Path
    problems: tuple[str, ...] = ()
    """Failures outside any one target (the index could not be written…)."""
    unreadable: tuple[Path, ...] = ()
    """Files in the folders built that paiban cannot read (listed, not skipped silently)."""

    @property
    def ok(self) -> bool:
        return not self.failures and not self.problems

    @property
    def pages(self) -> int:
        return sum(t.pages for t in self.targets if not t.error)

    @property
    def failures(self) -> tuple[TargetResult, ...]:
        return tuple(t for t in self.targets if t.error)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(w for t in self.targets for w in t.warnings))


def typeset(inputs: Iterable[str | Path] = (), *, config: Config | str | Path | None = None,
            editions: Iterable[str] | None = None, layouts: Iterable[str] | None = None,
            out: str | Path | None = None, force: bool = False,
            jobs: int | None = None) -> BuildResult:
    """Build ``inputs`` (texts or folders; default the configured seeds folder) as
    ``paiban build`` does, and return what happened. Nothing is printed."""
    from paiban.build import run
    from paiban.render.html import layouts as available

    tags = tuple(editions) if editions is not None else None
    for tag in tags or ():
        if tag not in EDITIONS:
            raise PaibanError(f"unknown edition {tag!r} (choose from {', '.join(EDITIONS)})",
                              exit_code=2)
    cfg = load_config(config, editions=tags, jobs=jobs,
                      out=Path(out).resolve() if out is not None else None)
    names = tuple(layouts) if layouts is not None else None
    if names:
        known = available(cfg)
        for name in names:
            if name not in known:
                raise PaibanError(f"unknown layout {name!r} (choose from {', '.join(known)})",
                                  exit_code=2)
    summary = run(cfg, tuple(Path(p) for p in inputs) or (cfg.seeds,), layouts=names,
                  force=force)
    return BuildResult(
        targets=tuple(TargetResult(
            text=o.target.text, edition=o.target.edition, layout=o.target.layout,
            pdf=o.target.pdf(cfg), html=o.target.html(cfg), pages=o.pages, seconds=o.seconds,
            cached=o.cached, warnings=o.warnings, error=o.error) for o in summary.outcomes),
        texts=summary.texts, seconds=summary.seconds, out=cfg.out,
        problems=tuple(summary.problems), unreadable=tuple(summary.unreadable))
