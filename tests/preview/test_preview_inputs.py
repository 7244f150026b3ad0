"""The preview builds a target as ``paiban build`` does: its inputs read once, the key computed
from those bytes, the PDF rendered from them (issue 15 §1, the read-twice race, for the
preview): a save just after the read never leaves another version's PDF marked fresh."""

from __future__ import annotations

from projects import NEW, OLD, copy_project, saved_just_after_read, text_of

from paiban import build as build_module
from paiban.config import load
from paiban.preview.builder import ProjectBuilder
from paiban.targets import Target


def test_a_save_just_after_the_preview_read_the_text_is_not_recorded_as_fresh(tmp_path):
    copy_project(tmp_path, {"a.txt": text_of(OLD)})
    text = tmp_path / "seeds" / "a.txt"
    cfg = load(tmp_path / "pyproject.toml", editions=("zh-Hans",))
    with saved_just_after_read(text, text_of(NEW)) as saved:
        result = ProjectBuilder(cfg)(Target(text, "zh-Hans", cfg.layout))
    assert saved  # the editor's save happened
    assert result.problem is None and result.pages
    html = tmp_path / "dist" / "a" / "a.zh-Hans.html"
    assert OLD in html.read_text("utf-8")  # the version read
    text.write_text(text_of(OLD), "utf-8")  # the save undone: the preview's PDF is that version
    summary = build_module.run(cfg, (text,))
    assert [o.cached for o in summary.outcomes] == [True]
    assert OLD in html.read_text("utf-8")
    text.write_text(text_of(NEW), "utf-8")  # the new version is not taken for the old
    summary = build_module.run(cfg, (text,))
    assert [o.cached for o in summary.outcomes] == [False]
    assert NEW in html.read_text("utf-8")
