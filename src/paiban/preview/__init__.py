"""``paiban preview``: a live browser preview that rebuilds on every save.

In: the config, the texts or folders to preview, the layouts; a host and port.
Out: an HTTP server on ``http://host:port/`` (address printed; port 0 picks a free one) showing
each target's PDF pages as they will print, and rebuilding the targets a saved file affects —
the ones open in a browser first — then reloading the open pages. Runs until Ctrl-C; returns 0.

The parts, as in MkDocs' ``serve``: a builder callback (``ProjectBuilder``: one target in, its
PDF out), the paths to watch, and a server. ``Preview`` wires them and can be driven with any
builder, which is how the tests run it.

    watcher ──Affected──▶ scheduler ──builder(target)──▶ board ──SSE──▶ browser ──GET──▶ server
"""

from __future__ import annotations

import errno
import secrets
import sys
import threading
import time
from pathlib import Path
from typing import Callable

from paiban.build import collect
from paiban.targets import Target
from paiban.config import EDITIONS, Config
from paiban.errors import PaibanError
from paiban.preview.board import Board
from paiban.preview.model import Builder, Problem, Result, target_id
from paiban.preview.pages import PageImages
from paiban.preview.scheduler import Scheduler
from paiban.preview.server import App, make_server, serve_in_thread
from paiban.preview.watch import Affected, Watcher

__all__ = ["Preview", "Problem", "Result", "serve"]


class Preview:
    """A running preview: server, build thread and watcher around one builder callback."""

    def __init__(self, cfg: Config, inputs: tuple[Path, ...], *, layouts: tuple[str, ...],
                 builder: Builder, host: str = "127.0.0.1", port: int = 0,
                 watch: bool = True, log: Callable[[str], None] | None = None,
                 issue: bool = True) -> None:
        self.cfg = cfg
        self.inputs = tuple(Path(p).resolve() for p in inputs)  # as `paiban build`: from the cwd
        self.layouts_asked = layouts
        self.builder = builder
        self.log = log
        """Where one line per finished build goes (the terminal, for ``paiban preview``)."""
        self._extra: set[tuple[str, str, str]] = set()  # targets opened on demand
        self._lock = threading.Lock()
        self.board = Board(self._targets())
        self.issue = _issue(cfg, self.board) if issue else None
        self.scheduler = Scheduler(self.board, builder, after=self._after,
                                   idle=self.issue.build if self.issue else None,
                                   idle_due=self.issue.dirty if self.issue else None)
        if self.issue:
            self.issue.wake = self.scheduler.poke
            self.issue.log = log
        self.images = PageImages()
        try:
            app = App(cfg, self.board, self.images, secrets.token_hex(4), catalog=self,
                      issue=self.issue)
            self.server = make_server(app, host, port)
        except OSError as exc:
            hint = ("; another program uses it: --port 0 picks a free port"
                    if exc.errno == errno.EADDRINUSE else "")
            raise PaibanError(f"cannot listen on {host}:{port}: {exc.strerror or exc}{hint}") from None
        text_dirs = {p if p.is_dir() else p.parent for p in self.inputs}
        shared = cfg.theme.all_folders()
        self._http: threading.Thread | None = None
        self.watcher = Watcher((*text_dirs, *shared), shared, text_dirs, self.on_change,
                               photo_dirs=(cfg.root / "images",)) if watch else None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}/"

    def start(self) -> None:
        """Serve, watch, and queue every target that is not already up to date."""
        self._http = serve_in_thread(self.server)
        if self.watcher:
            self.watcher.start()
        if self.issue:
            self.issue.start()
        self.scheduler.start()
        targets = [e.target for e in self.board.entries()]
        # A builder that knows `paiban build`'s cache skips what is already up to date.
        stale = getattr(self.builder, "stale", None)
        self.scheduler.request([target_id(t) for t in (stale(targets) if stale else targets)])

    def stop(self) -> None:
        self.board.close()
        if self.issue:
            self.issue.stop()
        if self.watcher:
            self.watcher.stop()
        if self._http is not None:  # shutdown() waits for serve_forever, so only if it runs
            self.server.shutdown()
        self.server.server_close()
        self.scheduler.stop()
        self.images.close()

    def on_change(self, affected: Affected) -> None:
        """Queue the targets a burst of saves affects (the scheduler puts open ones first)."""
        if affected.rescan:
            try:
                with self._lock:
                    self.board.set_targets(self._targets())
            except PaibanError:
                pass  # e.g. the folder's last text was deleted: keep what we have
        texts = affected.texts | self._placing(affected.photos)
        ids = [target_id(e.target) for e in self.board.entries()
               if affected.everything or e.target.text in texts]
        self.scheduler.request(ids)
        if self.issue:
            self.issue.touch(texts, affected.everything)
            if self.issue.dirty():
                self.scheduler.poke()

    def _placing(self, photos: frozenset[Path]) -> frozenset[Path]:
        """The texts whose sidecars place one of ``photos`` (a bad sidecar places none), or
        that link one (a Markdown text)."""
        if not photos:
            return frozenset()
        from paiban import readers, sidecar

        found = set()
        for text in {e.target.text for e in self.board.entries()}:
            if any(p.resolve() in photos for p in readers.inputs(text)):
                found.add(text)
                continue
            try:
                images = sidecar.load(text).images
            except PaibanError:
                continue
            if any((self.cfg.root / image).resolve() in photos for _n, image in images):
                found.add(text)
        return frozenset(found)

    def _after(self, tid: str, result: Result) -> None:
        """After a build (on the build thread, the browsers already told): log it and draw the
        first pages at the widths its viewers use, while their pages refresh."""
        if self.log:
            if result.problem:
                where = result.problem.file or ""
                where += f":{result.problem.line}" if where and result.problem.line else ""
                self.log(f"failed {tid}: {where + ': ' if where else ''}{result.problem.message}")
            else:
                pages = f"{result.pages} page{'s' * (result.pages != 1)}"
                self.log(f"built {tid}: {pages} in {result.seconds:.2f} s")
        entry = self.board.get(tid)
        if entry is None or not result.ok:
            return
        for width in self.board.widths(tid):
            for index in (0, 1):
                self.images.png(entry.target.pdf(self.cfg), index, width)

    # --- the catalog: what else can be opened (see server.Catalog) ------------------------------

    def editions(self) -> list[str]:
        """Every edition paiban makes: the configured ones first (built at start-up)."""
        return list(dict.fromkeys((*self.cfg.editions, *EDITIONS)))

    def layouts(self) -> list[str]:
        """The layouts asked for first, then any other layout in layout/."""
        try:
            from paiban.render.html import layouts as available

            found = available(self.cfg)
        except Exception:  # noqa: BLE001 - no template module: only what was asked for
            found = []
        return list(dict.fromkeys((*self.layouts_asked, *found)))

    def demand(self, tid: str) -> bool:
        """Add another edition or layout of a previewed text, and build it first."""
        stem, _, rest = tid.partition("/")
        edition, _, layout = rest.partition("/")
        if edition not in EDITIONS or layout not in self.layouts():
            return False
        with self._lock:
            if not any(t.stem == stem for t in self._texts()):
                return False
            self._extra.add((stem, edition, layout))
            self.board.set_targets(self._targets())
        self.scheduler.request([tid])
        return True

    def _texts(self) -> list[Path]:
        return collect(self.inputs, self.cfg.root)

    def _targets(self) -> list[Target]:
        texts = self._texts()
        targets = [Target(t, e, lay) for t in texts for e in self.cfg.editions
                   for lay in self.layouts_asked]
        targets += [Target(t, e, lay) for t in texts for (stem, e, lay) in sorted(self._extra)
                    if t.stem == stem]
        return list(dict.fromkeys(targets))


def _issue(cfg: Config, board: Board):
    """The project's issue (``issue.toml`` at its root) in the configured editions, or None."""
    try:
        from paiban.issue.manifest import default_path
    except ImportError:
        return None
    path = default_path(cfg)
    if not path.is_file():
        return None
    from paiban.preview.issue import Issue

    return Issue(cfg, path, tuple(cfg.editions), board)


def _log(line: str) -> None:
    print(f"paiban preview: {time.strftime('%H:%M:%S')} {line}", file=sys.stderr, flush=True)


def serve(cfg: Config, inputs: tuple[Path, ...], *, layouts: tuple[str, ...],
          host: str = "127.0.0.1", port: int = 8000) -> int:
    """Run the preview until Ctrl-C (the CLI's ``paiban preview``)."""
    from paiban.preview.builder import ProjectBuilder

    builder = ProjectBuilder(cfg)
    preview = Preview(cfg, inputs, layouts=layouts, builder=builder, host=host, port=port,
                      log=_log)
    n = len(preview.board.ids())
    print(f"paiban preview: serving {preview.url} ({n} target{'s' * (n != 1)}; Ctrl-C stops)",
          flush=True)
    try:
        builder.warm()
        preview.start()
        while True:
            # Short naps: Ctrl-C may be delivered to another thread (the watcher's, say), and
            # then only wakes this one when its sleep ends.
            time.sleep(0.25)
    except KeyboardInterrupt:
        print("paiban preview: stopped", file=sys.stderr)
    finally:
        preview.stop()
    return 0

