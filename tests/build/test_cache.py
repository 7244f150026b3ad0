"""The content cache: keys change with every input kind; fresh only when outputs are intact."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from paiban.build import Target, collect, write_atomic
from paiban.cache import Cache, fingerprint, target_key
from paiban.config import Config
from paiban.errors import InputError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path) -> Config:
    for name in ("layout", "styles", "fonts"):
        shutil.copytree(ROOT / name, tmp_path / name)
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text("标题\n\n正文。\n", "utf-8")
    return Config(root=tmp_path, seeds=tmp_path / "seeds", out=tmp_path / "dist")


def _key(cfg: Config, edition: str = "zh-Hans", layout: str = "feature") -> str:
    target = Target(cfg.seeds / "a.txt", edition, layout)
    return target_key(target, fingerprint(cfg), cfg)[0]


def test_key_is_stable_when_nothing_changes(project):
    assert _key(project) == _key(project)


@pytest.mark.parametrize("change", ["text", "sidecar", "photo", "template", "style", "font",
                                    "edition", "layout", "config"])
def test_key_changes_with_each_input_kind(project, change):
    if change == "photo":  # a sidecar places a photo; the photo is replaced under its name
        (project.root / "images").mkdir()
        (project.root / "images" / "p.jpg").write_bytes(b"first photo")
        (project.seeds / "a.toml").write_text("[figures.1]\nimage = 'images/p.jpg'\n", "utf-8")
    before = _key(project)
    cfg = project
    edition, layout = "zh-Hans", "feature"
    if change == "text":
        (project.seeds / "a.txt").write_text("标题\n\n正文改了。\n", "utf-8")
    elif change == "sidecar":
        (project.seeds / "a.toml").write_text("[callouts]\n", "utf-8")
    elif change == "photo":
        (project.root / "images" / "p.jpg").write_bytes(b"another photo, retouched")
    elif change == "template":
        (project.layout_dir / "index.html.j2").write_text("changed", "utf-8")
    elif change == "style":
        (project.styles_dir / "extra.css").write_text("p { color: red }", "utf-8")
    elif change == "font":
        (project.fonts_dir / "fonts.toml").write_text("package = 'x'\n", "utf-8")
    elif change == "edition":
        edition = "zh-Hant"
    elif change == "layout":
        layout = "report"
    elif change == "config":
        cfg = replace(project, publication="另一本杂志")
    assert _key(cfg, edition, layout) != before


def test_fresh_only_when_outputs_are_the_files_written(project):
    pdf, html = project.out / "a" / "zh-Hans.pdf", project.out / "a" / "zh-Hans.html"
    write_atomic(pdf, b"%PDF-1.7 x")
    write_atomic(html, b"<html>")
    cache = Cache(project.out)
    cache.record([(pdf, html, "k1", 3)])
    assert Cache(project.out).fresh(pdf, html, "k1") == 3
    assert Cache(project.out).fresh(pdf, html, "k2") is None
    write_atomic(pdf, b"%PDF-1.7 edited by hand")
    assert Cache(project.out).fresh(pdf, html, "k1") is None
    pdf.unlink()
    assert Cache(project.out).fresh(pdf, html, "k1") is None


def test_write_atomic_leaves_no_temporary_files(tmp_path):
    target = tmp_path / "x" / "out.pdf"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["out.pdf"]


def test_collect_errors_name_the_path(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        collect((tmp_path / "missing.txt",))
    with pytest.raises(InputError, match=r"no texts \(\.txt, \.docx, \.md\)"):
        collect((tmp_path,))
