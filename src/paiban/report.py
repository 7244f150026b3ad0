"""What a build tells people: a progress display on a terminal and dist/index.html.

In: targets as they finish; the build's summary.
Out: a rich progress bar on stderr when it is a terminal (nothing otherwise), and an index page
linking every PDF and HTML that was built, rendered from layout/index.html.j2.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from paiban.targets import write_atomic

if TYPE_CHECKING:
    from paiban.targets import Summary, Target
    from paiban.config import Config


class Progress:
    """A progress bar for ``total`` targets; silent when quiet or not on a terminal."""

    def __init__(self, total: int, quiet: bool = False) -> None:
        self.total = total
        self.enabled = not quiet and sys.stderr.isatty()
        self._progress = None
        self._task = None

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            self._progress = RichProgress(
                TextColumn("[bold]paiban[/] {task.description}"), BarColumn(),
                MofNCompleteColumn(), TimeElapsedColumn(),
                console=Console(stderr=True), transient=True,
            )
            self._progress.__enter__()
            self._task = self._progress.add_task("building", total=self.total)
        return self

    def advance(self, target: Target, error: str | None = None) -> None:
        if self._progress is not None:
            label = f"{target.text.stem} {target.edition} {target.layout}"
            self._progress.update(self._task, advance=1, description=label)
            if error:
                self._progress.console.print(f"[red]failed[/] {label}")

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(None, None, None)


def write_index(cfg: Config, summary: Summary) -> None:
    """Write dist/index.html listing each text with links to its editions and layouts."""
    rows: dict[str, list[dict[str, object]]] = {}
    for o in summary.outcomes:
        t = o.target
        rows.setdefault(t.text.stem, []).append({
            "edition": t.edition, "layout": t.layout, "pages": o.pages, "error": o.error,
            "pdf": f"{t.text.stem}/{t.pdf(cfg).name}", "html": f"{t.text.stem}/{t.html(cfg).name}",
        })
    env = Environment(loader=FileSystemLoader(str(cfg.layout_dir)),
                      autoescape=select_autoescape(default=True), undefined=StrictUndefined)
    html = env.get_template("index.html.j2").render(
        publication=cfg.publication, articles=sorted(rows.items()))
    write_atomic(cfg.out / "index.html", html.encode("utf-8"))


def write_record(cfg: Config, summary: Summary, seconds: float) -> None:
    """Write dist/.paiban-build.json: per target, pages, time per stage, memory, cache, errors.

    The benchmark reads it; it is also the place to look when one article builds slowly.
    """
    import json

    record = {
        "seconds": round(seconds, 3),
        "targets": [
            {"text": o.target.text.name, "edition": o.target.edition, "layout": o.target.layout,
             "pages": o.pages, "seconds": round(o.seconds, 4), "cached": o.cached,
             "error": o.error, "stages": o.stages, "max_rss_kb": o.max_rss_kb,
             "warnings": list(o.warnings)}
            for o in summary.outcomes
        ],
    }
    write_atomic(cfg.out / ".paiban-build.json",
                 json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))
