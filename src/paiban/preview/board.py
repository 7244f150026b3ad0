"""The preview's shared state: every target's last build, and the events browsers listen to.

In: targets (from the command line), build results (from the scheduler), viewers (browsers
holding an event stream open on one target).
Out: a snapshot per target for the pages, a revision that changes on every build, the targets
currently open in a browser (they are rebuilt first), and a short queue of events
(``state``: queued/building; ``built``: done, with or without a problem) that the
server-sent-event handlers wait on.

All methods are thread-safe: the HTTP handlers, the watcher and the build thread share one board.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import Counter, deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator, Literal

from paiban.build import Target
from paiban.preview.model import Problem, Result, target_id

State = Literal["idle", "queued", "building"]


@dataclass(slots=True)
class Entry:
    """One target and what the preview last learned about it."""

    target: Target
    state: State = "idle"
    problem: Problem | None = None
    """The last build's problem; None after a good build (the PDF is then current)."""
    warnings: tuple[str, ...] = ()
    revision: int = 0
    """Bumped on every finished build, good or bad: pages reload when it changes."""
    built_at: float | None = None
    seconds: float | None = None
    cpu_seconds: float | None = None
    """CPU time the build thread spent on it: the build's cost without other processes' load."""
    title: str = ""


@dataclass(slots=True, frozen=True)
class Event:
    seq: int
    name: str
    data: dict[str, Any] = field(default_factory=dict)


class Board:
    """Targets by id, their build state, viewers and recent events."""

    def __init__(self, targets: list[Target]) -> None:
        self._cond = threading.Condition()
        self._entries: dict[str, Entry] = {}
        self._viewers: Counter[str] = Counter()
        self._widths: Counter[tuple[str, int]] = Counter()
        self._events: deque[Event] = deque(maxlen=512)
        self._seq = itertools.count(1)
        self._last = 0
        self.revision = 0
        """Bumped whenever any target changes: the start page reloads on it."""
        self.closed = False
        self.set_targets(targets)

    # --- targets ------------------------------------------------------------------------------

    def set_targets(self, targets: list[Target]) -> None:
        """Replace the target list (a text was added or removed), keeping known entries."""
        with self._cond:
            old = self._entries
            self._entries = {target_id(t): old.get(target_id(t)) or Entry(t) for t in targets}
            if old.keys() != self._entries.keys():
                self.revision += 1
                self._publish("targets", {})

    def ids(self) -> list[str]:
        with self._cond:
            return list(self._entries)

    def get(self, tid: str) -> Entry | None:
        """A copy of the entry (safe to read while builds go on), or None."""
        with self._cond:
            entry = self._entries.get(tid)
            return None if entry is None else _copy(entry)

    def entries(self) -> list[Entry]:
        with self._cond:
            return [_copy(e) for e in self._entries.values()]

    # --- builds -------------------------------------------------------------------------------

    def mark(self, tid: str, state: State) -> None:
        with self._cond:
            entry = self._entries.get(tid)
            if entry is not None and entry.state != state:
                entry.state = state
                self._publish("state", {"target": tid, "state": state})

    def finish(self, tid: str, result: Result, queued: bool = False,
               cpu_seconds: float | None = None) -> None:
        """Record a build's result and tell the browsers; ``queued``: it is due again (a save
        came in while it was building)."""
        with self._cond:
            entry = self._entries.get(tid)
            if entry is None:  # the text was removed while it was building
                return
            entry.state = "queued" if queued else "idle"
            entry.problem = result.problem
            entry.warnings = result.warnings
            entry.revision += 1
            entry.built_at = time.time()
            entry.seconds = result.seconds
            entry.cpu_seconds = cpu_seconds
            entry.title = result.title or entry.title
            self.revision += 1
            self._publish("built", {"target": tid, "ok": result.ok, "revision": entry.revision,
                                    "board": self.revision, "seconds": round(result.seconds, 3)})

    def announce(self, name: str, data: dict[str, Any]) -> None:
        """Publish an event about something not on the board (the issue), bumping the revision
        so the start page follows."""
        with self._cond:
            if name == "built":
                self.revision += 1
                data = {**data, "board": self.revision}
            self._publish(name, data)

    # --- viewers ------------------------------------------------------------------------------

    @contextmanager
    def viewing(self, tid: str | None, width: int | None = None) -> Iterator[None]:
        """Count a browser looking at ``tid`` (its page images ``width`` px wide) for as long as
        its event stream is open."""
        if tid is None:
            yield
            return
        with self._cond:
            self._viewers[tid] += 1
            if width:
                self._widths[(tid, width)] += 1
        try:
            yield
        finally:
            with self._cond:
                self._viewers -= Counter({tid: 1})
                if width:
                    self._widths -= Counter({(tid, width): 1})

    def viewed(self) -> set[str]:
        with self._cond:
            return {tid for tid, n in self._viewers.items() if n > 0}

    def widths(self, tid: str) -> set[int]:
        """Image widths the browsers viewing ``tid`` load its pages at."""
        with self._cond:
            return {w for (t, w), n in self._widths.items() if t == tid and n > 0}

    # --- events -------------------------------------------------------------------------------

    def _publish(self, name: str, data: dict[str, Any]) -> None:
        # Callers hold the condition's lock.
        event = Event(next(self._seq), name, data)
        self._events.append(event)
        self._last = event.seq
        self._cond.notify_all()

    def last_seq(self) -> int:
        with self._cond:
            return self._last

    def wait_events(self, after: int, timeout: float) -> list[Event]:
        """Events newer than ``after``, waiting up to ``timeout`` s for one; [] on timeout/close."""
        with self._cond:
            self._cond.wait_for(lambda: self.closed or self._last > after, timeout)
            if self.closed:
                return []
            return [e for e in self._events if e.seq > after]

    def close(self) -> None:
        """Wake every waiting event stream so the server can stop."""
        with self._cond:
            self.closed = True
            self._cond.notify_all()


def _copy(entry: Entry) -> Entry:
    return Entry(entry.target, entry.state, entry.problem, entry.warnings, entry.revision,
                 entry.built_at, entry.seconds, entry.cpu_seconds, entry.title)
