"""`paiban init`: a publication folder that builds at once; nothing is ever overwritten."""

from __future__ import annotations

from pathlib import Path

from paiban.cli import main
from paiban.config import load
from paiban.theme import builtin_root


def test_init_writes_config_sample_and_images(tmp_path, capsys):
    folder = tmp_path / "mag"
    assert main(["init", str(folder), "--publication", "乡村周刊"]) == 0
    assert (folder / "images").is_dir() and not (folder / "layout").exists()
    sample = (folder / "seeds" / "sample.txt").read_text("utf-8")
    assert sample.splitlines()[0] == "山村书屋亮起夜灯" and "（本刊记者 周远）" in sample
    cfg = load(folder / "paiban.toml")
    assert cfg.publication == "乡村周刊" and cfg.root == folder


def test_init_eject_copies_the_theme(tmp_path):
    folder = tmp_path / "mag"
    assert main(["init", str(folder), "--eject"]) == 0
    for kind in ("layout", "styles", "fonts"):
        names = sorted(p.name for p in (builtin_root() / kind).iterdir() if p.is_file())
        assert sorted(p.name for p in (folder / kind).iterdir()) == names


def test_init_refuses_to_overwrite_anything(tmp_path, capsys):
    folder = tmp_path / "mag"
    (folder / "seeds").mkdir(parents=True)
    (folder / "seeds" / "sample.txt").write_text("mine", "utf-8")
    assert main(["init", str(folder)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "sample.txt: already exists" in err
    assert (folder / "seeds" / "sample.txt").read_text("utf-8") == "mine"
    assert not (folder / "paiban.toml").exists()  # nothing written, not even the others
