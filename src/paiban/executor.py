"""How targets run: one task function, one result type, and the executors that run it.

In: a ``Task``: one target (text × edition × layout) with everything it is made from as bytes,
read once by the coordinator (the text, its sidecar, the photos it places, the theme's layout/,
styles/ and fonts/ files), its cache key, the config and the expected font fingerprint.
Out: a ``Result``: the PDF and HTML bytes, the page count, seconds per stage and peak memory,
or one error line. ``run`` never raises and never writes a file: the coordinator
(``paiban.build``) alone writes outputs, atomically, and records the cache, so what the cache
says a PDF was made from is what the task was handed.

Executors: ``run_local`` (in this process for one job, else a pool of worker processes that die
with the coordinator, restarted once when a worker dies) and, with the ``dask`` extra, a
``dask.distributed`` cluster (``paiban.dask_executor``). All call the same ``run``.
"""

from __future__ import annotations

import functools
import gc
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from paiban.config import Config
from paiban.errors import ConfigError, PaibanError
from paiban.press import CONFIGURED
from paiban.targets import ASSETS_NAME, Outcome, Target, Theme, cleaning_warnings
from paiban.timing import stage, take


@dataclass(slots=True, frozen=True)
class Task:
    """Everything one target is made from."""

    target: Target
    cfg: Config
    key: str
    """The target's cache key (over the bytes below, the theme, versions and config)."""
    content_key: str
    """Key of the text and sidecar bytes: a worker cleans a text once for its editions."""
    text: bytes
    sidecar: bytes | None
    photos: tuple[tuple[str, bytes], ...]
    """(project-relative path as the sidecar names it, bytes) of the photos it places."""
    photo_urls: tuple[tuple[str, str], ...]
    """(project-relative path, the file URL the HTML links it by)."""
    theme: Theme
    epoch_env: str | None = None
    """The coordinator's SOURCE_DATE_EPOCH, if set."""
    fonts: tuple[tuple[str, str], ...] | None = None
    """The coordinator's font fingerprint (see ``paiban.render.fonts.fingerprint``); None: do
    not check (the worker is on the coordinator's machine)."""
    profile: object = None
    """The output profile as the coordinator read it (``paiban.press.task_profile``: a
    ``Profile`` with its bytes, or None for none): a worker needs no profile file nor
    ArgyllCMS."""
    first_folio: int | None = None
    """The article's first page number in an issue (see ``render_html``); None: a lone PDF."""
    linked: tuple = ()
    """The photos a Markdown text links, as read (``paiban.readers.Linked``): its reader is
    served these, never the disk."""
    from_disk: bool = False
    """Load stylesheets and photos from the project's folders, not from the bytes above
    (``render_target``'s way)."""


@dataclass(slots=True)
class Result:
    """What one task made."""

    target: Target
    key: str
    pdf: bytes | None = None
    html: bytes | None = None
    pages: int = 0
    seconds: float = 0.0
    error: str | None = None
    warnings: tuple[str, ...] = ()
    stages: dict[str, float] = field(default_factory=dict)
    max_rss_kb: int = 0
    photos: tuple[tuple[Path, bytes], ...] = ()
    """Photos the text brought (a .docx's, a .md's), for the coordinator to write where the
    HTML links them (``paiban.writer.write_brought``)."""

    def outcome(self) -> Outcome:
        return Outcome(self.target, pages=self.pages, seconds=self.seconds, error=self.error,
                       warnings=self.warnings, stages=self.stages, max_rss_kb=self.max_rss_kb)


def allowed_roots(cfg: Config) -> tuple[Path, ...]:
    """Folders WeasyPrint may load files from."""
    return (*cfg.theme.all_folders(), cfg.out / ASSETS_NAME, cfg.seeds, cfg.root / "images")



def files_for(task: Task, brought: tuple[tuple[Path, bytes], ...] = ()) -> dict[str, bytes]:
    """What the document may load, by local path: the theme's stylesheets where the HTML links
    them (``<out>/_assets/styles/``) and where they are, the theme's other files, the photos."""
    from paiban.render.html import _project_relative
    from paiban.render.pdf import url_path

    cfg = task.cfg
    files: dict[str, bytes] = {}
    origins = dict(task.theme.origins)
    for rel, data in task.theme.files:
        files[os.path.normpath(origins.get(rel) or cfg.root / rel)] = data
        if rel.startswith("styles/"):
            files[os.path.normpath(cfg.out / ASSETS_NAME / rel)] = data
    urls = dict(task.photo_urls)
    for rel, data in task.photos:
        path = url_path(urls[rel]) if rel in urls else None
        files[path or os.path.normpath(cfg.root / rel)] = data
        # where the HTML links it: its copy under the assets (``publish_photos``)
        files[os.path.normpath(cfg.out / ASSETS_NAME / _project_relative(cfg.root, rel))] = data
    for path, data in brought:  # a .docx's photos, written where its figures link them
        files[os.path.normpath(path)] = data
    return files


def render(task: Task, article, brought: tuple[tuple[Path, bytes], ...] = ()) -> Result:
    """Render one target from its (edition-converted) article; never raises, writes nothing."""
    from paiban.render.fonts import check_fingerprint
    from paiban.render.html import render_html
    from paiban.render.pdf import render_pdf, shared_font_config

    target, cfg = task.target, task.cfg
    started = time.perf_counter()
    try:
        if task.fonts is not None:
            check_fingerprint(task.fonts, cfg, task.theme)
        _check_lengths(article, target)
        _check_glyphs(article, target, cfg, task.theme)
        photos, profile = None, CONFIGURED
        if not task.from_disk:
            profile = task.profile
            photos = dict(task.photos)
            photos.update((p.relative_to(cfg.root).as_posix(), data) for p, data in brought
                          if p.is_relative_to(cfg.root))
        _check_images(article, target, cfg, photos)
        def html_of(trial) -> str:
            return render_html(trial, target.layout, cfg, assets="../_assets/",
                               hero=trial.hero or None, first_folio=task.first_folio,
                               theme=task.theme, photo_urls=dict(task.photo_urls),
                               profile=profile)

        with stage("template"):
            html = html_of(article)
        photo_notes: list[str] = []
        rendered = render_pdf(html, target.html(cfg), allowed_roots(cfg),
                              _epoch(cfg, task.epoch_env),
                              shared_font_config(*cfg.theme.folders("fonts")),
                              files=None if task.from_disk else files_for(task, brought),
                              press=cfg.press, root=cfg.root, marks=cfg.marks,
                              arrange=_make_up(article, html_of, cfg, photo_notes),
                              profile=profile)
        html = rendered.html or html
        _check_photos(photo_notes, target, cfg)
        _check_boxes(rendered.warnings, target)
        _check_loads(rendered, target)
    except PaibanError as exc:
        return Result(target, task.key, error=str(exc), seconds=time.perf_counter() - started)
    except Exception as exc:  # a bug in one target must not stop the others
        return Result(target, task.key, error=f"{target.text.name}: internal error: "
                                              f"{type(exc).__name__}: {exc}",
                      seconds=time.perf_counter() - started)
    return Result(target, task.key, pdf=rendered.pdf, html=html.encode("utf-8"),
                  pages=rendered.pages, seconds=time.perf_counter() - started,
                  warnings=rendered.warnings + tuple(photo_notes))


@functools.lru_cache(maxsize=4)
def _source(path: Path, content_key: str, text: bytes, sidecar: bytes | None, theme: Theme,
            cfg: Config, photos: tuple[tuple[str, bytes], ...] | None = None,
            linked: tuple = ()):
    """The cleaned source, kept while a process renders its several editions and layouts
    (``content_key`` names the text and sidecar bytes and the photos it links)."""
    from paiban.pipeline import source_from_bytes

    return source_from_bytes(path, text, sidecar, cfg, theme, photos, linked)


def run(task: Task) -> Result:
    """The task function: clean (once per text per process), convert and render one target.
    Never raises; writes nothing."""
    import resource

    from paiban import budget, editions

    take()
    article = None
    try:
        # A runaway layout fails this target in one line (a worker's main thread only).
        with budget.limit(task.cfg.time_budget, str(task.target.text)):
            source = _source(task.target.text, task.content_key, task.text, task.sidecar,
                             task.theme, task.cfg, task.photos, task.linked)
            with stage("convert"):
                article = editions.convert_article(source.article, task.target.edition,
                                                   task.cfg.corner_quotes)
            result = render(task, article, source.photos)
            result.photos = source.photos
            result.warnings = cleaning_warnings(source.article) + result.warnings
    except PaibanError as exc:  # the budget ran out
        return Result(task.target, task.key, error=str(exc))
    except Exception as exc:
        return Result(task.target, task.key, error=f"{task.target.text.name}: internal error: "
                                                    f"{type(exc).__name__}: {exc}")
    with stage("free"):
        del article
        _release_memory()
    result.stages = take()
    result.max_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return result


def task_for(target: Target, found, cfg: Config, theme: Theme, key: str = "",
             content_key: str = "", **given) -> Task:
    """The task of ``target`` from its text's inputs as read (``TextInputs``, photos loaded)
    and the theme as read; ``given``: the other ``Task`` fields."""
    photos = tuple(sorted((found.photos or {}).items()))
    urls = tuple((rel, (cfg.root / rel).resolve().as_uri()) for rel, _ in photos)
    return Task(target, cfg, key, content_key, found.text, found.sidecar, photos, urls, theme,
                os.environ.get("SOURCE_DATE_EPOCH"), linked=found.linked, **given)


def render_target(target: Target, article, cfg: Config, first_folio: int | None = None) -> Outcome:
    """Render one target from ``article`` (made by the caller) and the project's files as they
    are now, and write its PDF and HTML (the tests' way in; ``paiban build``, ``paiban issue``
    and the preview render from their inputs read once, ``run`` and ``render``)."""
    from paiban.inputs import load_photos, read_text
    from paiban.targets import read_theme
    from paiban.writer import cannot_write, publish_photos, write_result

    found = read_text(target.text, cfg)
    load_photos(found, cfg)
    task = task_for(target, found, cfg, read_theme(cfg), first_folio=first_folio,
                    from_disk=True)
    try:  # the HTML links its photos under the assets: copied there before it is laid out
        publish_photos(found, cfg)
    except OSError as exc:
        return Outcome(target, error=cannot_write(exc, target))
    result = render(task, article)
    with stage("write"):
        return write_result(result, cfg)


def _make_up(article, html_of, cfg: Config, photo_notes: list[str]):
    """The make-up pass for ``render_pdf``: close the holes at column feet by moving a
    figure, box or pull quote (render/makeup.py); None when it changes nothing. A box it
    left out, and the photos' resolution as finally placed, go to ``photo_notes``: warnings,
    then errors marked ``ERROR``. ``html_of(article)``: the target's HTML of a trial
    arrangement."""
    from paiban import photos
    from paiban.render import makeup

    def arrange(document, lay_out):
        best, best_document = article, document
        if cfg.makeup:
            best, best_document = makeup.improve(article, document,
                                                 lambda trial: lay_out(html_of(trial)))
            photo_notes.extend(makeup.left_out(article, best))
        if any(f.image for f in article.figures):
            warnings, errors = photos.problems(photos.resolutions(best_document), cfg.root)
            photo_notes.extend(f"low-resolution photo {w}" for w in warnings)
            photo_notes.extend(f"ERROR {e}" for e in errors)
        return None if best is article else (html_of(best), best_document)

    return arrange


def _check_photos(notes: list[str], target: Target, cfg: Config) -> None:
    """A photo under 150 ppi as placed fails a print target (x-4, x-1a); the screen variant
    only warns. Warnings under 300 ppi stay in ``notes``."""
    errors = [n.removeprefix("ERROR ") for n in notes if n.startswith("ERROR ")]
    if errors and cfg.press.pdf == "screen":
        notes[:] = [n.removeprefix("ERROR ") for n in notes]
        return
    if errors:
        raise PaibanError(f"photo resolution too low for print: {'; '.join(errors)}",
                          path=str(target.text))


MAX_PARAGRAPH = 20_000
"""Longest paragraph paiban sets, in characters (about ten pages of one paragraph). WeasyPrint's
line breaking takes time quadratic in a paragraph's length (its min-content width splits the
whole rest of the paragraph for every line): measured on varied text, 20,000 characters take
7 s, 50,000 take 40 s, 100,000 take 2 minutes and a million do not finish in 10 minutes."""


def _check_lengths(article, target: Target) -> None:
    """Refuse a paragraph too long to set in bounded time (text with no line breaks at all)."""
    for block in article.blocks:
        text = getattr(block, "text", None) or getattr(block, "caption", "")
        if len(text) > MAX_PARAGRAPH:
            where = f" (line {block.line})" if getattr(block, "line", 0) else ""
            raise PaibanError(f"a paragraph{where} of {len(text):,} characters is longer than "
                              f"paiban sets ({MAX_PARAGRAPH:,}); break it into paragraphs",
                              path=str(target.text))
    for name in ("title", "subtitle", "byline"):
        if len(getattr(article, name)) > MAX_PARAGRAPH:
            raise PaibanError(f"the {name} is {len(getattr(article, name)):,} characters long, "
                              f"more than paiban sets ({MAX_PARAGRAPH:,})", path=str(target.text))


def _check_glyphs(article, target: Target, cfg: Config, theme: Theme | None = None) -> None:
    """Refuse to set characters the edition's face lacks: they would print as empty boxes."""
    from paiban.render.fonts import missing_glyphs, require

    face = require(cfg.fonts_toml, article.lang, theme).serif
    text = "".join(article.texts()) + cfg.publication + cfg.issue
    missing = missing_glyphs(text, face)
    if missing:
        raise PaibanError(f"{len(missing)} character(s) not in {face} would print as boxes: "
                          f"{_first(missing)}", path=str(target.text))


def _check_images(article, target: Target, cfg: Config,
                  photos: dict[str, bytes] | None = None) -> None:
    """A sidecar's image must be a file in the folders WeasyPrint may read (images/, seeds/…):
    one error naming the sidecar key, not a PDF that silently lacks the photo. ``photos``: the
    photos the coordinator read (None: look on the disk)."""
    from paiban.render.pdf import allowed_url
    from paiban.sidecar import path_for

    for figure in article.figures:
        if figure.image is None:
            continue
        path = cfg.root / figure.image
        if photos is not None and figure.image in photos:
            continue
        if not path.is_file():
            problem = "is not a file in the project"
        elif not allowed_url(path.resolve().as_uri(), allowed_roots(cfg)):
            problem = "is outside the project's image folders (images/, seeds/)"
        elif photos is None:
            continue
        else:
            problem = "could not be read"
        raise ConfigError(f"figures.{figure.number}.image: {figure.image!r} {problem}",
                          path=str(path_for(target.text)))


_LOAD_FAILED = re.compile(r"^Failed to load (\w+) at '?(.+?)'? ?:(?:\s(.*))?$", re.S)


def _check_loads(rendered, target: Target) -> None:
    """Refuse a PDF that lacks something the document asked for: a URL the locked fetcher
    refused (a file outside the project, the network) or a resource that did not load."""
    if rendered.refused:
        raise PaibanError(f"refused to load {_first(list(rendered.refused), 3)}: paiban reads only "
                          f"the project's layout/, styles/, fonts/, images/ and seeds/ folders",
                          path=str(target.text))
    for warning in rendered.warnings:
        if m := _LOAD_FAILED.match(warning):
            kind, url, reason = m.groups()
            reason = (reason or "").strip() or f"not a readable {kind}"
            raise PaibanError(f"cannot load the {kind} {url}: {reason}", path=str(target.text))


_NOTDEF = re.compile(r"^\.notdef glyph rendered .*\(U\+([0-9A-F]{4,6})\)$")


def _check_boxes(warnings: tuple[str, ...], target: Target) -> None:
    """Refuse a PDF in which WeasyPrint drew an empty box for a character no font has (one
    that ``_check_glyphs`` let through, such as a character of a template or stylesheet)."""
    from paiban.render.fonts import glyph_name

    codes = sorted({int(m[1], 16) for w in warnings if (m := _NOTDEF.match(w))})
    if codes:
        raise PaibanError(f"{len(codes)} character(s) in no font would print as boxes: "
                          f"{_first([glyph_name(cp) for cp in codes])}", path=str(target.text))


def _first(names: list[str], n: int = 5) -> str:
    return ", ".join(names[:n]) + (f" and {len(names) - n} more" if len(names) > n else "")


_FROM_ENV = object()


def _epoch(cfg: Config, value=_FROM_ENV) -> int:
    """The PDF's date: ``value`` (the coordinator's SOURCE_DATE_EPOCH; by default this
    process's) or the config's."""
    from datetime import datetime, timezone

    if value is _FROM_ENV:
        value = os.environ.get("SOURCE_DATE_EPOCH")
    where, epoch = (("SOURCE_DATE_EPOCH", int(value)) if value and value.isdigit()
                    else ("[tool.paiban].source_date_epoch", cfg.source_date_epoch))
    try:
        datetime.fromtimestamp(epoch, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise PaibanError(f"{epoch} is not a time a PDF can carry (seconds since 1970, before "
                          f"the year 10000)", path=where) from None
    return epoch


def _release_memory() -> None:
    """Give a rendered document's memory back before the next one.

    WeasyPrint's box trees are full of reference cycles, so without a collection a worker's
    heap keeps the last documents, and glibc keeps freed arenas: measured on 24 synthetic
    articles × 2 editions in one process, peak memory went from ~500 MB to ~315 MB and the
    resident size between documents from ~250 MB to ~120 MB with this.
    """
    import ctypes

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the collection alone still helps
        pass


def _warm(tags: tuple[str, ...]) -> None:
    """Worker start-up: import and patch WeasyPrint, load OpenCC and jieba's dictionary (for
    statistics labels) once, not per target."""
    from paiban import editions
    from paiban.render.pdf import _weasyprint
    from paiban.stats import words

    words.warm()

    try:
        _weasyprint()
        editions.warm(tags)
    except PaibanError:  # a missing library: each target reports it, in one clear line
        pass
    # What start-up loaded lives as long as the process: keep it out of the collections
    # _release_memory runs after every document (halves their cost, ~35 → ~17 ms).
    gc.freeze()




def run_local(tasks: list[Task], jobs: int, progress) -> list[Result]:
    """Run ``tasks`` in this process (jobs == 1) or in worker processes; same bytes either way.
    ``progress(result)`` is called as each finishes."""
    from paiban import budget

    tags = tuple(dict.fromkeys(t.target.edition for t in tasks))
    if jobs <= 1 or len(tasks) <= 1:
        results: list[Result] = []
        _warm(tags)
        try:
            for task in tasks:
                # The preview's build thread (budget.cancellable) stops between targets: an
                # issue built on its idle hook renders every article in this loop.
                budget.checkpoint()
                result = run(task)
                results.append(result)
                progress(result)
        finally:
            # _warm froze what was alive for this build's collections; this process goes on
            # (the preview rebuilds in it): what it allocates later must stay collectable.
            gc.unfreeze()
        return results
    return _Pool(tasks, min(jobs, len(tasks)), tags, progress).run()


class _Pool:
    """Worker processes for a list of tasks, which

    - die with the coordinator (``_worker_start``: a parent-death signal), so killing only
      the main process (as ``timeout`` and CI do) leaves no worker rendering on;
    - ignore Ctrl-C: the coordinator alone handles it, stops them and prints one line;
    - when one dies (killed, out of memory, a crash in a library), are started again: the
      target it was building fails with one line, every other unfinished target is tried again,
      and a target that was being built when workers died twice fails.
    """

    def __init__(self, tasks: list[Task], jobs: int, tags: tuple[str, ...], progress) -> None:
        self.tasks, self.jobs, self.tags, self.progress = tasks, jobs, tags, progress
        self.results: dict[int, Result] = {}
        self.tries: dict[int, int] = {}

    def run(self) -> list[Result]:
        remaining = list(range(len(self.tasks)))
        while remaining:
            remaining = self._round(remaining)
        return list(self.results.values())  # in the order they finished

    def _finish(self, i: int, result: Result) -> None:
        self.results[i] = result
        self.progress(result)

    def _round(self, indices: list[int]) -> list[int]:
        """Run ``indices`` in a new pool; the indices to run again when a worker died."""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed
        from concurrent.futures.process import BrokenProcessPool

        context = multiprocessing.get_context("fork")
        started = context.RawArray("i", len(self.tasks))  # task index -> pid building it
        pool = ProcessPoolExecutor(max_workers=min(self.jobs, len(indices)), mp_context=context,
                                   initializer=_worker_start,
                                   initargs=(self.tags, os.getpid(), started))
        broken = False
        try:
            futures = {pool.submit(_run_tracked, self.tasks[i], i): i for i in indices}
            processes = dict(getattr(pool, "_processes", {}) or {})  # pid -> Process
            for future in as_completed(futures):
                i = futures[future]
                try:
                    self._finish(i, future.result())
                except BrokenProcessPool:
                    broken = True
                except Exception as exc:  # noqa: BLE001 - a result that did not come back
                    self._finish(i, self._failed(i, f"worker process failed: "
                                                    f"{type(exc).__name__}: {exc}"))
        except BaseException:  # Ctrl-C: stop the workers now, then say so (cli.py)
            _stop(pool)
            raise
        pool.shutdown(wait=True)
        if not broken:
            return []
        return self._after_break([i for i in indices if i not in self.results], started,
                                 processes)

    def _after_break(self, unfinished: list[int], started, processes) -> list[int]:
        """Fail the target whose worker died; the rest are run again (once each)."""
        import signal

        again = []
        for i in unfinished:
            pid = started[i]
            if not pid:  # never started: not a suspect
                again.append(i)
                continue
            process = processes.get(pid)
            code = process.exitcode if process is not None else None
            # The executor stops the other workers with SIGTERM; the one that died first
            # died of something else (SIGKILL from the kernel's out-of-memory killer…).
            killer = code is not None and code != -signal.SIGTERM
            self.tries[i] = self.tries.get(i, 0) + 1
            if killer or self.tries[i] >= 2:
                self._finish(i, self._failed(i, _death(code, again=not killer)))
            else:
                again.append(i)
        return again

    def _failed(self, i: int, problem: str) -> Result:
        task = self.tasks[i]
        return Result(task.target, task.key, error=f"{task.target.text}: {problem}")


def _death(code: int | None, again: bool) -> str:
    import signal

    if code is not None and code < 0:
        try:
            how = f"killed by {signal.Signals(-code).name}"
        except ValueError:
            how = f"killed by signal {-code}"
        if -code == signal.SIGKILL:
            how += " (out of memory?)"
    elif code is not None:
        how = f"exited with status {code}"
    else:
        how = "died"
    return (f"the worker process building it {how}" if not again
            else f"worker processes died twice while building it (last: {how})")


def _stop(pool) -> None:
    """Stop a pool's workers at once (Ctrl-C): no waiting for the documents they are on."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        try:
            process.kill()
        except Exception:  # noqa: BLE001 - already gone
            pass
    for process in processes:
        process.join(5)


_STARTED = None


def _worker_start(tags: tuple[str, ...], parent: int, started) -> None:
    """A worker process's start: die with the coordinator, leave Ctrl-C to it, warm up."""
    import signal

    global _STARTED
    _STARTED = started
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent)
    _warm(tags)


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when its parent dies (prctl PR_SET_PDEATHSIG); if the
    parent is already gone, exit now. Elsewhere: nothing (the pool's own checks remain)."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        os._exit(1)


def _run_tracked(task: Task, index: int) -> Result:
    """``run`` in a pool worker, noting which process builds which task (for ``_Pool``)."""
    if _STARTED is not None:
        _STARTED[index] = os.getpid()
    return run(task)
