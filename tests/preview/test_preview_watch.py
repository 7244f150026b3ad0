"""Watching: real file events reach the preview, and texts that appear or go are followed."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from paiban.preview import Preview
from paiban.preview.watch import Affected, Watcher


def test_watcher_reports_a_saved_stylesheet_and_a_sidecar(tmp_path: Path) -> None:
    seeds, styles = tmp_path / "seeds", tmp_path / "styles"
    seeds.mkdir()
    styles.mkdir()
    seen: list[Affected] = []
    got = threading.Event()

    def on_change(affected: Affected) -> None:
        seen.append(affected)
        got.set()

    watcher = Watcher((seeds, styles), (styles,), (seeds,), on_change)
    watcher.start()
    try:
        time.sleep(0.3)  # let inotify watches be set up
        (styles / "feature.css").write_text("p { color: red }", "utf-8")
        assert got.wait(5) and seen[-1].everything
        got.clear()
        (seeds / "a.toml").write_text("[stats]\n", "utf-8")
        assert got.wait(5)
        assert seen[-1].texts == {(seeds / "a.txt").resolve()} and not seen[-1].everything
    finally:
        watcher.stop()


def _wait(predicate, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_texts_that_appear_and_disappear_are_followed(preview: Preview) -> None:
    """The preview's own watcher sees a new text, builds its targets, and drops them when the
    text is deleted."""
    new = preview.cfg.seeds / "new.txt"
    new.write_text("新的一篇\n正文。\n", "utf-8")

    def built() -> bool:
        entry = preview.board.get("new/zh-Hant/fake")
        return entry is not None and entry.revision > 0 and preview.scheduler.idle()

    assert _wait(built)
    assert preview.board.get("new/zh-Hans/fake").problem is None
    new.unlink()
    assert _wait(lambda: not any(t.startswith("new/") for t in preview.board.ids()))
