"""``paiban issue`` renders each article from the bytes it read once, the bytes its key is
computed from (issue 15 §1, the read-twice race, for the issue as for ``paiban build``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import paiban.cache as cache_module
import paiban.inputs as inputs_module
from paiban import cli

ROOT = Path(__file__).resolve().parents[2]
BODY = ("五年来，全市各级工会组织开展技能竞赛和创新活动，帮扶困难职工，推进企业单位建设发展。"
        "职工服务阵地遍布城乡，劳动者的获得感不断增强。")
OLD, NEW = "与时代同步", "与时俱进"


def _text(title: str) -> str:
    return f"{title} 与社会共进\n\n第1段。{BODY}\n\n第2段。{BODY}\n"


def test_a_text_saved_after_it_was_read_is_not_what_the_issue_renders(tmp_path, monkeypatch):
    for name in ("layout", "styles", "fonts"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "seeds").mkdir()
    text = tmp_path / "seeds" / "a.txt"
    text.write_text(_text(OLD), "utf-8")
    (tmp_path / "seeds" / "b.txt").write_text(_text("职工之家"), "utf-8")
    (tmp_path / "issue.toml").write_text(
        '[issue]\nname = "第1期"\nslug = "n1"\narticles = ["seeds/a.txt", "seeds/b.txt"]\n',
        "utf-8")
    real_read = inputs_module.read_text

    def read_then_save(path, cfg, *args, **kwargs):
        found = real_read(path, cfg, *args, **kwargs)
        if Path(path).name == "a.txt":  # an editor's save, just after the read
            text.write_text(_text(NEW), "utf-8")
        return found

    monkeypatch.setattr(inputs_module, "read_text", read_then_save)
    monkeypatch.setattr(cache_module, "read_text", read_then_save)
    code = cli.main(["--config", str(tmp_path / "pyproject.toml"), "issue",
                     str(tmp_path / "issue.toml"), "--edition", "zh-Hans", "--jobs", "1",
                     "--quiet"])
    assert code == 0
    html = (tmp_path / "dist" / "n1" / "a" / "a.zh-Hans.html").read_text("utf-8")
    assert OLD in html and NEW not in html  # what was read, and keyed
