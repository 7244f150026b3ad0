"""The preview builds a target as ``paiban build`` does: its inputs read once, the key computed
from those bytes, the PDF rendered from them (issue 15 §1, the read-twice race, for the
preview): a save just after the read never leaves another version's PDF marked fresh."""

from __future__ import annotations

import shutil
from pathlib import Path

import paiban.cache as cache_module
import paiban.inputs as inputs_module
from paiban import build as build_module
from paiban.config import load
from paiban.preview.builder import ProjectBuilder
from paiban.targets import Target

ROOT = Path(__file__).resolve().parents[2]
BODY = ("五年来，全市各级工会组织开展技能竞赛和创新活动，帮扶困难职工，推进企业单位建设发展。"
        "职工服务阵地遍布城乡，劳动者的获得感不断增强。")
OLD, NEW = "与时代同步", "与时俱进"


def _text(title: str) -> str:
    return f"{title} 与社会共进\n\n{BODY}\n\n{BODY}\n"


def test_a_save_just_after_the_preview_read_the_text_is_not_recorded_as_fresh(tmp_path,
                                                                              monkeypatch):
    for name in ("layout", "styles", "fonts"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "seeds").mkdir()
    text = tmp_path / "seeds" / "a.txt"
    text.write_text(_text(OLD), "utf-8")
    real_read = inputs_module.read_text
    saved = []

    def read_then_save(path, cfg, *args, **kwargs):
        found = real_read(path, cfg, *args, **kwargs)
        if not saved:  # an editor's save, just after the first read
            saved.append(path)
            text.write_text(_text(NEW), "utf-8")
        return found

    monkeypatch.setattr(inputs_module, "read_text", read_then_save)
    monkeypatch.setattr(cache_module, "read_text", read_then_save)
    cfg = load(tmp_path / "pyproject.toml", editions=("zh-Hans",))
    result = ProjectBuilder(cfg)(Target(text, "zh-Hans", cfg.layout))
    assert result.problem is None and result.pages
    monkeypatch.undo()
    html = tmp_path / "dist" / "a" / "a.zh-Hans.html"
    assert OLD in html.read_text("utf-8")  # the version read
    text.write_text(_text(OLD), "utf-8")  # the save undone: the preview's PDF is that version
    summary = build_module.run(cfg, (text,))
    assert [o.cached for o in summary.outcomes] == [True]
    assert OLD in html.read_text("utf-8")
    text.write_text(_text(NEW), "utf-8")  # the new version is not taken for the old
    summary = build_module.run(cfg, (text,))
    assert [o.cached for o in summary.outcomes] == [False]
    assert NEW in html.read_text("utf-8")
