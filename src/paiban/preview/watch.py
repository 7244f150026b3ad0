"""Watching the project for saves, and deciding what each change affects.

In: the folders to watch (the texts' folders, layout/, styles/, fonts/, images/) and a callback.
Out: calls ``on_change(Affected)`` after each burst of file events: the texts whose own file or
sidecar changed, or ``everything`` when a layout, stylesheet or font file changed (those are
shared by every target), the photos that changed (the preview rebuilds the texts whose sidecars
place them), plus ``rescan`` when a text appeared or disappeared.

``watchfiles`` (Rust ``notify``: inotify on Linux) groups the events of one save — editors write a
temporary file and rename it — and yields ``step`` ms after the last one; a small step keeps the
save-to-reload time low.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from watchfiles import Change, DefaultFilter, watch

from paiban.readers import is_source

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp")

STEP_MS = 30
"""Quiet time after the last event of a save before it is acted on."""


@dataclass(slots=True, frozen=True)
class Affected:
    """What a burst of changes means for the build."""

    texts: frozenset[Path] = frozenset()
    """Texts (.txt, .docx, .md; absolute) whose text or sidecar (``*.toml`` beside it) changed."""
    everything: bool = False
    """A shared file changed (layout/, styles/, fonts/): every target is out of date."""
    rescan: bool = False
    """A text was created or deleted: the list of targets must be collected again."""
    photos: frozenset[Path] = frozenset()
    """Files under the photo folder (images/, absolute), or photos under the texts' folders,
    that were saved, replaced or deleted."""

    def __bool__(self) -> bool:
        return bool(self.texts) or self.everything or self.rescan or bool(self.photos)


def classify(changes: Iterable[tuple[Change, str]], shared: Iterable[Path],
             text_dirs: Iterable[Path], photo_dirs: Iterable[Path] = ()) -> Affected:
    """Map file events to the targets they affect. Paths are compared resolved."""
    shared = tuple(p.resolve() for p in shared)
    text_dirs = tuple(p.resolve() for p in text_dirs)
    photo_dirs = tuple(p.resolve() for p in photo_dirs)
    texts: set[Path] = set()
    photos: set[Path] = set()
    everything = rescan = False
    for change, raw in changes:
        path = Path(raw).resolve()
        if path.name.startswith("."):  # editors' and our own temporary files
            continue
        if any(path.is_relative_to(d) for d in shared):
            everything = True
        elif any(path.is_relative_to(d) for d in photo_dirs):
            photos.add(path)
        elif (any(path.is_relative_to(d) for d in text_dirs)
              and path.suffix.lower() in PHOTO_SUFFIXES):
            photos.add(path)  # a photo a Markdown text links, beside it or in a folder below
        elif path.parent in text_dirs and is_source(path):
            texts.add(path)
            rescan |= change != Change.modified
        elif path.parent in text_dirs and path.suffix == ".toml":
            texts.update(_texts_of(path))
    return Affected(frozenset(texts), everything, rescan, frozenset(photos))


def _texts_of(sidecar: Path) -> list[Path]:
    """The texts (any format, suffix in any case) whose sidecar is ``sidecar``; the .txt name
    when there is none yet (the text may be saved next)."""
    try:
        found = [p for p in sidecar.parent.iterdir()
                 if p.stem == sidecar.stem and is_source(p)]
    except OSError:
        found = []
    return found or [sidecar.with_suffix(".txt")]


class Watcher:
    """A thread running ``watchfiles.watch`` over ``paths`` until stopped."""

    def __init__(self, paths: Iterable[Path], shared: Iterable[Path], text_dirs: Iterable[Path],
                 on_change: Callable[[Affected], None],
                 photo_dirs: Iterable[Path] = ()) -> None:
        self.photo_dirs = tuple(photo_dirs)
        self.paths = sorted({p.resolve() for p in (*paths, *self.photo_dirs) if p.exists()})
        self.shared = tuple(shared)
        self.text_dirs = tuple(text_dirs)
        self.on_change = on_change
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="paiban-preview-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        if not self.paths:
            return
        # raise_interrupt=False: Ctrl-C belongs to the main thread, which stops us via _stop.
        for changes in watch(*self.paths, watch_filter=DefaultFilter(), step=STEP_MS,
                             stop_event=self._stop, raise_interrupt=False, rust_timeout=500,
                             yield_on_timeout=False):
            affected = classify(changes, self.shared, self.text_dirs, self.photo_dirs)
            if affected:
                self.on_change(affected)
