"""What a build tells people: a progress display on a terminal and dist/index.html.

In: targets as they finish; the build's summary.
Out: a rich progress bar on stderr when it is a terminal, one line per target otherwise;
dist/index.html listing every PDF in dist/ (rendered from the theme's layout/index.html.j2); the
build record dist/.paiban-build.json.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

if TYPE_CHECKING:
    from paiban.build import Outcome, Summary
    from paiban.config import Config


class Progress:
    """What a build says while it runs, on stderr.

    On a terminal: a progress bar (failures printed above it). Not on a terminal (cron, CI, a
    log): one line per finished target. ``verbose``: each warning as it comes. ``quiet``: only
    failures.
    """

    def __init__(self, total: int = 0, quiet: bool = False, verbose: bool = False,
                 stream=None) -> None:
        self.total = total
        self.quiet = quiet
        self.verbose = verbose
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self._progress = None
        self._task = None
        self._shown: set[tuple[object, str]] = set()

    def __enter__(self) -> Progress:
        return self

    def start(self, total: int) -> None:
        """The build knows how many targets it will render (the up-to-date ones left out)."""
        self.total = total
        if self.tty and not self.quiet and self._progress is None:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            self._progress = RichProgress(
                TextColumn("[bold]paiban[/] {task.description}"), BarColumn(),
                MofNCompleteColumn(), TimeElapsedColumn(),
                console=Console(file=self.stream), transient=True,
            )
            self._progress.__enter__()
            self._task = self._progress.add_task("building", total=self.total)

    def _print(self, line: str) -> None:
        if self._progress is not None:
            self._progress.console.print(line, markup=False, highlight=False)
        else:
            print(line, file=self.stream, flush=True)

    def done(self, outcome: Outcome) -> None:
        """One target finished (or failed)."""
        t = outcome.target
        label = f"{t.text.stem} {t.edition} {t.layout}"
        if self._progress is not None:
            self._progress.update(self._task, advance=1, description=label)
            if outcome.error:
                self._print(f"failed {label}")
        elif outcome.error:
            if not self.quiet:
                self._print(f"failed {label}: {outcome.error}")
        elif not self.quiet:
            pages = f"{outcome.pages} page{'s' * (outcome.pages != 1)}"
            self._print(f"built {label}: {pages} in {outcome.seconds:.1f} s")
        if self.verbose:
            self.warn(outcome)

    def warn(self, outcome: Outcome) -> None:
        """Print ``outcome``'s warnings not printed yet (a text's cleaning warnings once)."""
        from paiban.build import CLEANING

        t = outcome.target
        for w in outcome.warnings:
            key = (t.text, w) if w.startswith(CLEANING) else (t, w)
            if key in self._shown:
                continue
            self._shown.add(key)
            where = t.text.name if w.startswith(CLEANING) else f"{t.text.stem} {t.edition} {t.layout}"
            self._print(f"warning: {where}: {w}")

    def cached_warnings(self, summary: Summary) -> None:
        """After the build: the warnings of targets that were up to date (not rebuilt)."""
        for o in summary.outcomes:
            if o.cached:
                self.warn(o)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(None, None, None)
            self._progress = None


def write_index(cfg: Config, summary: Summary) -> None:
    """Write dist/index.html: every PDF in dist/ (not only this build's), by article, with
    title, edition, layout, pages and build time; stale ones marked; this build's failures."""
    import time as time_lib

    from paiban.build import write_atomic
    from paiban.outputs import scan

    articles: dict[str, dict[str, object]] = {}
    for o in scan(cfg):
        entry = articles.setdefault(o.stem, {"stem": o.stem, "title": o.title, "rows": []})
        if o.title != o.stem:
            entry["title"] = o.title
        html = o.html.relative_to(cfg.out).as_posix() if o.html else None
        entry["rows"].append({  # type: ignore[union-attr]
            "edition": o.edition or "?", "layout": o.layout or "?", "pages": o.pages,
            "error": None, "stale": o.stale,
            "built": time_lib.strftime("%Y-%m-%d %H:%M", time_lib.localtime(o.built)),
            "pdf": o.pdf.relative_to(cfg.out).as_posix(), "html": html,
        })
    for o in summary.failed:
        t = o.target
        entry = articles.setdefault(t.text.stem, {"stem": t.text.stem, "title": t.text.stem,
                                                  "rows": []})
        entry["rows"].append({  # type: ignore[union-attr]
            "edition": t.edition, "layout": t.layout, "pages": 0, "error": o.error,
            "stale": "", "built": "", "pdf": None, "html": None,
        })
    env = Environment(loader=FileSystemLoader([str(d) for d in cfg.theme.folders("layout")]),
                      autoescape=select_autoescape(default=True), undefined=StrictUndefined)
    html = env.get_template("index.html.j2").render(
        publication=cfg.publication, articles=[articles[k] for k in sorted(articles)],
        stale=sum(r["stale"] != "" for a in articles.values() for r in a["rows"]))  # type: ignore
    write_atomic(cfg.out / "index.html", html.encode("utf-8"))


def previous_warnings(cfg: Config) -> dict[tuple[str, str, str], tuple[str, ...]]:
    """Each target's warnings as the last build recorded them (for targets now up to date)."""
    import json

    try:
        record = json.loads((cfg.out / ".paiban-build.json").read_text("utf-8"))
        return {(t["path"], t["edition"], t["layout"]): tuple(t.get("warnings") or ())
                for t in record.get("targets", []) if "path" in t}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def write_record(cfg: Config, summary: Summary, seconds: float) -> None:
    """Write dist/.paiban-build.json: per target, pages, time per stage, memory, cache, errors.

    The benchmark reads it; it is also the place to look when one article builds slowly.
    """
    import json

    from paiban.build import write_atomic

    record = {
        "seconds": round(seconds, 3),
        "targets": [
            {"text": o.target.text.name, "path": str(o.target.text),
             "edition": o.target.edition, "layout": o.target.layout,
             "pages": o.pages, "seconds": round(o.seconds, 4), "cached": o.cached,
             "error": o.error, "stages": o.stages, "max_rss_kb": o.max_rss_kb,
             "warnings": list(o.warnings)}
            for o in summary.outcomes
        ],
    }
    write_atomic(cfg.out / ".paiban-build.json",
                 json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))
