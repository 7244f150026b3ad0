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


def test_a_replaced_photo_rebuilds_only_the_texts_that_place_it(tmp_path: Path) -> None:
    from paiban.config import load
    from preview_fakes import FakeBuilder, make_project

    make_project(tmp_path, {"a.txt": "有照片的一篇\n正文。\n", "b.txt": "没有照片的一篇\n正文。\n"})
    (tmp_path / "images").mkdir()
    photo = tmp_path / "images" / "p.png"
    photo.write_bytes(b"first")
    (tmp_path / "seeds" / "a.toml").write_text("[figures.1]\nimage = 'images/p.png'\n", "utf-8")
    cfg = load(tmp_path / "pyproject.toml", editions=("zh-Hans",))
    preview = Preview(cfg, (cfg.seeds,), layouts=("fake",), builder=FakeBuilder(cfg), port=0)
    preview.start()
    try:
        assert preview.scheduler.wait_idle(60)
        time.sleep(0.3)  # let inotify watches be set up
        a, b = (preview.board.get(f"{n}/zh-Hans/fake") for n in ("a", "b"))
        before = (a.revision, b.revision)
        photo.write_bytes(b"retouched")
        assert _wait(lambda: preview.board.get("a/zh-Hans/fake").revision > before[0]
                     and preview.scheduler.idle())
        time.sleep(0.3)
        assert preview.board.get("b/zh-Hans/fake").revision == before[1]
    finally:
        preview.stop()
