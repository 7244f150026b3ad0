"""The preview's builder callback for the real pipeline.

In: a target (text × edition × layout) and the config.
Out: the target's PDF and HTML written into the build folder exactly as ``paiban build`` writes
them (its inputs read once, the same task, ``render`` and ``write_result``), and a ``Result``:
page count, time, warnings, or a ``Problem`` naming the file and line to fix. On failure
nothing is written, so the last good PDF stays.

Kept in one long-lived process, so WeasyPrint, fontconfig and OpenCC are loaded once (``warm``)
and a stylesheet save costs one layout, not an interpreter start-up. The cleaned text is cached
per (text, sidecar, linked photos) content, so switching editions or layouts does not clean it again.
"""

from __future__ import annotations

import re
import time
import traceback
from pathlib import Path
from typing import Any

from paiban.build import publish_assets
from paiban.targets import Target
from paiban.config import Config
from paiban.errors import PaibanError
from paiban.preview.model import Problem, Result, parse_problem


class ProjectBuilder:
    """``builder(target) -> Result`` over paiban's own stages."""

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self._sources: dict[Path, tuple[str, Any]] = {}

    def warm(self) -> None:
        """Import and patch WeasyPrint now, so the first save does not pay for it."""
        try:
            from paiban.render.pdf import _weasyprint

            _weasyprint()
        except Exception:  # noqa: BLE001 - the first build reports it, in the page
            pass

    def __call__(self, target: Target) -> Result:
        """Build ``target`` as ``paiban build`` does: its text, sidecar, photos, the theme and
        the output profile read once, the cache key computed from those bytes, the target
        rendered from them by the build's own ``render`` and written by ``write_result``; so
        a save during the build leaves a PDF of the version read, recorded under its key."""
        from paiban.executor import render
        from paiban.writer import write_result

        started = time.perf_counter()
        try:
            _forget_shared_caches()
            task, found = self._task(target)
            source = self._source(task)
            from paiban.editions import convert_article

            article = convert_article(source.article, target.edition, self.cfg.corner_quotes)
        except Exception as exc:  # a bad text or sidecar: show it, keep the last good pages
            return Result(problem=describe(exc), seconds=time.perf_counter() - started)
        result = render(task, article, source.photos)
        result.photos = source.photos
        outcome = write_result(result, self.cfg, found)
        key = task.key
        seconds = time.perf_counter() - started
        title = getattr(article, "title", "") or ""
        if outcome.error:
            problem = self._diagnose(target, article) or parse_problem(outcome.error)
            return Result(problem=problem, seconds=seconds, title=title)
        self._record(target, key, outcome)
        warnings = tuple(name_stylesheet(w, self.cfg) for w in outcome.warnings)
        return Result(pages=outcome.pages, seconds=seconds, warnings=warnings, title=title)

    def _task(self, target: Target) -> tuple[Any, Any]:
        """The task of ``target`` from its inputs read now, once (and those inputs)."""
        from paiban.build import _task
        from paiban.cache import fingerprint
        from paiban.errors import InputError
        from paiban.inputs import read_text
        from paiban.press import task_profile
        from paiban.targets import read_theme

        theme = read_theme(self.cfg)
        profile = task_profile(self.cfg.press, self.cfg.root)
        publish_assets(self.cfg, theme)  # the HTML links the stylesheets from the build folder
        found = read_text(target.text, self.cfg)
        if found.error:
            raise InputError(found.error)
        return _task(target, found, fingerprint(self.cfg, theme, profile), theme, self.cfg,
                     profile), found

    def _source(self, task: Any) -> Any:
        """The cleaned source of the task's text, reused while the text, its sidecar and the
        photos it links are unchanged."""
        from paiban.pipeline import source_from_bytes

        text = task.target.text
        cached = self._sources.get(text)
        if cached and cached[0] == task.content_key:
            return cached[1]
        source = source_from_bytes(text, task.text, task.sidecar, self.cfg, task.theme,
                                   task.photos, task.linked)
        self._sources[text] = (task.content_key, source)
        return source

    def _diagnose(self, target: Target, article: Any) -> Problem | None:
        """Re-run the template alone to get the template error's file and line.

        ``render`` reduces errors to a string; rendering the HTML again is cheap (no
        layout) and only happens on failure.
        """
        try:
            from paiban.render.html import render_html

            render_html(article, target.layout, self.cfg, assets="../_assets/")
        except Exception as exc:  # noqa: BLE001 - any template failure is what we are after
            return describe(exc)
        return None

    def _record(self, target: Target, key: str | None, outcome: Any) -> None:
        """Tell ``paiban build``'s cache what the preview wrote, so it is not built twice."""
        if key is None or outcome.written is None:
            return
        try:
            from paiban.cache import Cache

            Cache(self.cfg.out).record([(target.pdf(self.cfg), target.html(self.cfg), key,
                                         outcome.pages, outcome.written)])
        except Exception:  # noqa: BLE001 - the preview works without the cache
            pass

    def stale(self, targets: list[Target]) -> list[Target]:
        """The targets whose PDF ``paiban build``'s cache does not vouch for (all, without it)."""
        try:
            from paiban.cache import Cache, fingerprint, target_key

            shared, cache = fingerprint(self.cfg), Cache(self.cfg.out)
            return [t for t in targets if cache.fresh(
                t.pdf(self.cfg), t.html(self.cfg), target_key(t, shared, self.cfg)[0]) is None]
        except Exception:  # noqa: BLE001 - an optimisation: build everything instead
            return list(targets)


def describe(exc: BaseException) -> Problem:
    """A ``Problem`` from an exception: its file and line where the exception carries them."""
    if isinstance(exc, PaibanError):
        problem = parse_problem(str(exc))
        if not problem.file and exc.path:
            problem = Problem(exc.message, exc.path)
        return locate_key(problem)
    # Jinja2 syntax errors and tomllib carry the place as attributes or in the message.
    file = getattr(exc, "filename", None)
    line = getattr(exc, "lineno", None)
    message = getattr(exc, "message", None) or str(exc)
    if not file:
        # Jinja2 rewrites tracebacks so template frames point at the .j2 file and line.
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith((".j2", ".html", ".jinja")):
                file, line = frame.filename, frame.lineno
                break
    text = f"{type(exc).__name__}: {message}"
    if file:
        return Problem(text, str(file), line if isinstance(line, int) else None)
    parsed = parse_problem(text)
    return Problem(text, None, parsed.line)


_KEY = re.compile(r"\bkey [\'\"`]?\[?([\w.-]+)")


def locate_key(problem: Problem) -> Problem:
    """Add the line to "unknown key …" problems in TOML files (sidecars, fonts.toml).

    The sidecar reader names the file and the key but not the line; the editor wants the line.
    """
    if problem.line or not problem.file or not problem.file.endswith(".toml"):
        return problem
    match = _KEY.search(problem.message)
    if not match:
        return problem
    key = re.escape(match.group(1).rsplit(".", 1)[-1])
    pattern = re.compile(rf"^\s*(\[+\s*)?([\w.\"-]+\.)?[\"\']?{key}[\"\']?\s*(=|\]|\.)")
    try:
        lines = Path(problem.file).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return problem
    for number, line in enumerate(lines, start=1):
        if pattern.match(line):
            return Problem(problem.message, problem.file, number)
    return problem


_IGNORED = re.compile(r"Ignored `(?P<rule>[^`]*)` at (?P<line>\d+):(?P<col>\d+)")


def name_stylesheet(warning: str, cfg: Config) -> str:
    """Prefix a WeasyPrint CSS warning with the stylesheet it is about.

    WeasyPrint says "Ignored `colr: red` at 310:10, unknown property." without the file; the
    designer needs it. The file is the one in styles/ whose line 310 holds that declaration.
    """
    match = _IGNORED.search(warning)
    if not match:
        return warning
    number = int(match["line"])
    needle = match["rule"].split(":", 1)[0].strip()
    for sheet in sorted(cfg.theme.files("styles", "*.css").values()):
        try:
            lines = sheet.read_text("utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        if 0 < number <= len(lines) and needle and needle in lines[number - 1]:
            shown = sheet.relative_to(cfg.root) if sheet.is_relative_to(cfg.root) else sheet
            return f"{shown}:{number}:{match['col']}: {warning}"
    return warning


def _forget_shared_caches() -> None:
    """Drop per-process caches of files the designer may have just edited.

    ``paiban build`` runs once, so its stages cache fonts.toml for the process; the preview
    lives for hours, and a saved fonts.toml must be read again.
    """
    try:
        from paiban.render import fonts

        for name in ("_table",):
            cached = getattr(fonts, name, None)
            if hasattr(cached, "cache_clear"):
                cached.cache_clear()
    except ImportError:
        pass
