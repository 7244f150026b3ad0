"""The output folder cannot be broken for good (issue 15 §4): paiban's own files in the wrong
shape, a corrupt cache, text names that would take a reserved name, a full disk while the
cache is written. Each ends in one line naming the real file, and the next build works."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest
from projects import GOOD, copy_project

import paiban.cache as cache_module
from paiban import cli


@pytest.fixture
def proj(tmp_path) -> Path:
    return copy_project(tmp_path, {"a.txt": GOOD})


def run(proj: Path, capsys, *args: str) -> tuple[int, list[str]]:
    capsys.readouterr()
    code = cli.main(["--config", str(proj / "pyproject.toml"), "build", "--quiet", "--jobs", "1",
                     "--edition", "zh-Hans", *args])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err, err
    assert ".tmp" not in err, err  # errors name the output, never the temporary file
    return code, err.strip().splitlines()


def record(proj: Path) -> dict:
    return json.loads((proj / "dist" / ".paiban-build.json").read_text("utf-8"))


def set_aside(proj: Path, name: str) -> list[Path]:
    return sorted((proj / "dist").glob(f"{name}.set-aside-*"))


@pytest.mark.parametrize("name", [".paiban-cache.json", ".paiban-cache.lock", "index.html",
                                  ".paiban-build.json"])
def test_a_folder_where_paiban_keeps_a_file_is_set_aside(proj, capsys, name):
    (proj / "dist" / name / "inner").mkdir(parents=True)
    code, lines = run(proj, capsys)
    assert code == 0, lines
    dist = proj / "dist"
    assert lines[0] == (f"paiban: warning: {dist / name} was a folder, not paiban's file; moved "
                        f"it to {set_aside(proj, name)[0]}")
    assert (dist / "a" / "a.zh-Hans.pdf").is_file()
    assert run(proj, capsys) == (0, [])
    assert record(proj)["targets"][0]["cached"]


def test_assets_that_are_a_file_are_set_aside(proj, capsys):
    (proj / "dist").mkdir()
    (proj / "dist" / "_assets").write_text("not a folder")
    code, lines = run(proj, capsys)
    assert code == 0, lines
    assert lines[0].startswith(f"paiban: warning: {proj / 'dist' / '_assets'} was a file, not "
                               "paiban's folder; moved it to")
    assert (proj / "dist" / "_assets" / "styles" / "feature.css").is_file()


@pytest.mark.parametrize("content", [
    "{not json", "[1, 2]", '{"a/zh-Hans.pdf": {"key": "k", "pages": "x", "pdf": [], "html": []}}',
    '{"a/zh-Hans.pdf": 3}', '{"a/zh-Hans.pdf": {"key": 1, "pages": 1}}'])
def test_a_corrupt_cache_is_set_aside_and_everything_rebuilt(proj, capsys, content):
    assert run(proj, capsys)[0] == 0
    cache = proj / "dist" / ".paiban-cache.json"
    cache.write_text(content, "utf-8")
    code, lines = run(proj, capsys)
    assert code == 0, lines
    moved = set_aside(proj, ".paiban-cache.json")
    assert len(moved) == 1 and moved[0].read_text("utf-8") == content
    assert lines[0].startswith(f"paiban: warning: {cache} is not a cache paiban can read (")
    assert lines[0].endswith(f"); moved it to {moved[0]} and built everything again")
    assert not record(proj)["targets"][0]["cached"]
    assert run(proj, capsys) == (0, [])
    assert record(proj)["targets"][0]["cached"]


@pytest.mark.parametrize("stem", ["index.html", ".paiban-cache.json", "_assets",
                                  ".paiban-build.json", ".paiban-cache.lock"])
def test_a_text_cannot_take_a_reserved_name(proj, capsys, stem):
    bad = proj / "seeds" / f"{stem}.txt"
    bad.write_text(GOOD, "utf-8")
    # A folder's hidden files are not texts; named on the command line, they are.
    code, lines = run(proj, capsys, str(bad), str(proj / "seeds" / "a.txt"))
    assert code == 1
    assert lines[:-1] == [f"paiban: {bad}: its PDFs would go to {proj / 'dist' / stem}, a name "
                          "paiban keeps for its own files; rename the text"]
    assert "built 1 of 2 PDFs" in lines[-1]
    assert (proj / "dist" / "index.html").is_file()
    assert (proj / "dist" / ".paiban-cache.json").is_file()
    assert run(proj, capsys, str(proj / "seeds" / "a.txt")) == (0, [])


def test_a_full_disk_while_the_cache_is_written_is_one_line(proj, capsys, monkeypatch):
    real = cache_module.write_atomic

    def full(path, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(cache_module, "write_atomic", full)
    code, lines = run(proj, capsys)
    cache = proj / "dist" / ".paiban-cache.json"
    assert code == 1
    assert lines[0] == (f"paiban: {cache}: cannot write: No space left on device (the PDFs are "
                        "written; the next build makes them again)")
    assert (proj / "dist" / "a" / "a.zh-Hans.pdf").is_file()
    monkeypatch.setattr(cache_module, "write_atomic", real)
    assert run(proj, capsys) == (0, [])
    assert not record(proj)["targets"][0]["cached"]  # nothing was recorded: built again
    assert run(proj, capsys) == (0, [])
    assert record(proj)["targets"][0]["cached"]


def test_a_failed_write_names_the_output_not_the_temporary_file(tmp_path):
    from paiban.targets import write_atomic

    (tmp_path / "x.pdf").mkdir()  # os.replace onto a folder fails
    with pytest.raises(OSError) as caught:
        write_atomic(tmp_path / "x.pdf", b"%PDF")
    assert caught.value.filename == str(tmp_path / "x.pdf") and caught.value.filename2 is None
    assert ".tmp" not in str(caught.value)
    assert list(tmp_path.iterdir()) == [tmp_path / "x.pdf"]
