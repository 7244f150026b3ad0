"""The build thread: rebuilds requested targets one at a time, open ones first.

In: target ids to rebuild (from the watcher, or all of them at start-up), a builder callback.
Out: results recorded on the board (which tells the browsers).

One thread, so WeasyPrint stays imported and warm in this process and never runs twice at once
(it is not documented as thread-safe). A target requested again while it builds is simply queued
again: its next build sees the newest files. Targets a browser has open go first, so the page
someone is looking at reloads before the rest of the publication is rebuilt.
"""

from __future__ import annotations

import threading
import time

from typing import Callable

from paiban import budget
from paiban.preview.board import Board
from paiban.preview.model import Builder, Problem, Result


class Scheduler:
    """Queue of targets to rebuild, served by one worker thread."""

    def __init__(self, board: Board, builder: Builder,
                 after: Callable[[str, Result], None] | None = None,
                 idle: Callable[[], None] | None = None,
                 idle_due: Callable[[], bool] | None = None) -> None:
        self.board = board
        self.builder = builder
        self.after = after
        """Called with a target's id and result after each build, once the browsers were told."""
        self.on_idle = idle
        """Called on the build thread when the queue runs empty (the issue is built then)."""
        self.idle_due = idle_due
        """True while ``on_idle`` has work to do: not idle yet."""
        self._pending: dict[str, None] = {}  # an ordered set
        self._cond = threading.Condition()
        self._stopping = False
        self._busy = False
        self._poked = False
        self._current: str | None = None
        self._cancel = threading.Event()  # set by stop: a build in progress ends at its next trial
        self._thread = threading.Thread(target=self._run, name="paiban-preview-build", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def request(self, ids: list[str] | set[str]) -> None:
        """Queue ``ids`` (unknown ones are ignored when their turn comes)."""
        with self._cond:
            for tid in ids:
                self._pending[tid] = None
                if tid != self._current:  # a building target says so until it is done
                    self.board.mark(tid, "queued")
            self._cond.notify()

    def idle(self) -> bool:
        """True when nothing is queued or building (tests and benchmarks wait on this)."""
        with self._cond:
            return not self._pending and not self._busy and not (
                self.idle_due is not None and self.idle_due())

    def wait_idle(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not self.idle():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def stop(self) -> None:
        self._cancel.set()
        with self._cond:
            self._stopping = True
            self._cond.notify()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def poke(self) -> None:
        """Wake the build thread so it runs ``on_idle`` (something outside the queue changed)."""
        with self._cond:
            self._poked = True
            self._cond.notify()

    def _next(self) -> str | None:
        """The next id to build: the first one a browser is viewing, else the oldest request."""
        with self._cond:
            while self.on_idle is not None and not self._pending and not self._stopping:
                self._busy = True
                self._poked = False
                self._cond.release()
                try:
                    self.on_idle()
                except Exception:  # noqa: BLE001 - the idle work reports its own problems
                    pass
                finally:
                    self._cond.acquire()
                    self._busy = False
                if not self._poked:
                    self._cond.wait_for(lambda: self._stopping or bool(self._pending)
                                        or self._poked)
            self._cond.wait_for(lambda: self._stopping or bool(self._pending))
            if self._stopping:
                return None
            viewed = self.board.viewed()
            tid = next((t for t in self._pending if t in viewed), next(iter(self._pending)))
            del self._pending[tid]
            self._busy = True
            self._current = tid
            return tid

    def _run(self) -> None:
        with budget.cancellable(self._cancel):
            while (tid := self._next()) is not None:
                try:
                    self._build(tid)
                finally:
                    with self._cond:
                        self._busy = False
                        self._current = None

    def _build(self, tid: str) -> None:
        entry = self.board.get(tid)
        if entry is None:
            return
        self.board.mark(tid, "building")
        cpu = time.thread_time()
        try:
            result = self.builder(entry.target)
        except Exception as exc:  # builders should not raise; if one does, show it, keep serving
            result = Result(problem=Problem(f"internal error: {type(exc).__name__}: {exc}"))
        with self._cond:
            again = tid in self._pending
        self.board.finish(tid, result, queued=again, cpu_seconds=time.thread_time() - cpu)
        if self.after is not None:
            try:
                self.after(tid, result)
            except Exception:  # noqa: BLE001 - logging and pre-rendering are extras
                pass
