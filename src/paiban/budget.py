"""A time budget for one target: a runaway layout becomes a one-line error, not a hung build.

In: the seconds a target may take (``Config.time_budget``; 0 = no limit). Out: ``limit`` raises
``OverBudget`` (a ``PaibanError``, so the target fails with one line and the rest go on) in the
code it wraps once the budget is spent.

The budget is a real-time interval timer (SIGALRM), the only way to stop WeasyPrint, which has
no cancellation, without killing the process: build workers and a ``--jobs 1`` build run targets
in their main thread, where Python delivers signals. Elsewhere (the preview's build thread) it
is not armed, and the preview's own builds are already bounded by what the editor sees.

A thread may instead be made ``cancellable``: the make-up pass calls ``checkpoint`` before each
trial layout, which raises ``Cancelled`` once the thread's event is set (the preview's build
thread, so Ctrl-C does not wait for up to 20 trial layouts of a long text).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from paiban.errors import PaibanError


class OverBudget(PaibanError):
    """A target took longer than its time budget."""


class Cancelled(PaibanError):
    """The thread building a target was asked to stop."""


_local = threading.local()


@contextmanager
def cancellable(event: threading.Event) -> Iterator[None]:
    """While the wrapped code runs in this thread, ``checkpoint`` raises once ``event`` is set."""
    previous = getattr(_local, "event", None)
    _local.event = event
    try:
        yield
    finally:
        _local.event = previous


def checkpoint() -> None:
    """Raise ``Cancelled`` if this thread runs under ``cancellable`` and its event is set."""
    event = getattr(_local, "event", None)
    if event is not None and event.is_set():
        raise Cancelled("the build was stopped")


@contextmanager
def limit(seconds: float, path: str) -> Iterator[None]:
    """Raise ``OverBudget`` naming ``path`` in the wrapped code after ``seconds``."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() \
            or not hasattr(signal, "setitimer"):
        yield
        return

    def _expired(signum: int, frame: object) -> None:
        raise OverBudget(f"took longer than its time budget of {seconds:g} s (time_budget in "
                         f"the config); it may be a text WeasyPrint cannot lay out", path=path)

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
