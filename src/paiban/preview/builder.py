"""The preview's builder callback for the real pipeline.

In: a target (text × edition × layout) and the config.
Out: the target's PDF and HTML written into the build folder exactly as ``paiban build`` writes
them (same ``render_target``), and a ``Result``: page count, time, warnings, or a ``Problem``
naming the file and line to fix. On failure nothing is written, so the last good PDF stays.

Kept in one long-lived process, so WeasyPrint, fontconfig and OpenCC are loaded once (``warm``)
and a stylesheet save costs one layout, not an interpreter start-up. The cleaned text is cached
per (text, sidecar) content, so switching editions or layouts does not clean it again.
"""

from __future__ import annotations

import hashlib
import re
import time
import traceback
from pathlib import Path
from typing import Any

from paiban.build import Target, publish_assets, render_target
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
        started = time.perf_counter()
        # The cache key of the inputs as they are *before* the build: a save during the build
        # then leaves the recorded key stale, never a stale PDF marked fresh.
        key = self._key(target)
        try:
            _forget_shared_caches()
            publish_assets(self.cfg)  # the HTML links the stylesheets from the build folder
            source = self._source(target.text)
            from paiban.pipeline import write_photos

            write_photos(source)
            from paiban.editions import convert_article

            article = convert_article(source.article, target.edition)
        except Exception as exc:  # a bad text or sidecar: show it, keep the last good pages
            return Result(problem=describe(exc), seconds=time.perf_counter() - started)
        outcome = render_target(target, article, self.cfg)
        seconds = time.perf_counter() - started
        title = getattr(article, "title", "") or ""
        if outcome.error:
            problem = self._diagnose(target, article) or parse_problem(outcome.error)
            return Result(problem=problem, seconds=seconds, title=title)
        self._record(target, key, outcome.pages)
        warnings = tuple(name_stylesheet(w, self.cfg) for w in outcome.warnings)
        return Result(pages=outcome.pages, seconds=seconds, warnings=warnings, title=title)

    def _source(self, text: Path) -> Any:
        """The cleaned source of ``text``, reused while the text and its sidecar are unchanged."""
        from paiban.pipeline import load_source

        key = _content_key(text)
        cached = self._sources.get(text)
        if cached and cached[0] == key:
            return cached[1]
        source = load_source(text, self.cfg)
        self._sources[text] = (key, source)
        return source

    def _diagnose(self, target: Target, article: Any) -> Problem | None:
        """Re-run the template alone to get the template error's file and line.

        ``render_target`` reduces errors to a string; rendering the HTML again is cheap (no
        layout) and only happens on failure.
        """
        try:
            from paiban.render.html import render_html

            render_html(article, target.layout, self.cfg, assets="../_assets/")
        except Exception as exc:  # noqa: BLE001 - any template failure is what we are after
            return describe(exc)
        return None

    def _key(self, target: Target) -> str | None:
        """``paiban build``'s cache key for ``target`` now; None without the cache module."""
        try:
            from paiban.cache import fingerprint, target_key

            return target_key(target, fingerprint(self.cfg), self.cfg)[0]
        except Exception:  # noqa: BLE001 - the cache is an optimisation
            return None

    def _record(self, target: Target, key: str | None, pages: int) -> None:
        """Tell ``paiban build``'s cache what the preview wrote, so it is not built twice."""
        if key is None:
            return
        try:
            from paiban.cache import Cache

            Cache(self.cfg.out).record([(target.pdf(self.cfg), target.html(self.cfg), key, pages)])
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
    for sheet in sorted(cfg.styles_dir.glob("*.css")):
        try:
            lines = sheet.read_text("utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        if 0 < number <= len(lines) and needle and needle in lines[number - 1]:
            return f"{sheet.relative_to(cfg.root)}:{number}:{match['col']}: {warning}"
    return warning


def _content_key(text: Path) -> str:
    from paiban.readers import inputs

    h = hashlib.sha256()
    for path in (text, text.with_suffix(".toml"), *inputs(text)):
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"-")
        h.update(b"\0")
    return h.hexdigest()


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
