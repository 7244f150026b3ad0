"""The cache never records a PDF that is not what its key describes (issue 15 §1).

Each race is made deterministic by a hook at the moment it matters (a fake reader, a wrapped
task function, a wrapped cache record), never by sleeps; each test then shows the next build
making the PDF again from the text as it now is.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from projects import NEW, OLD, copy_project, saved_just_after_read, text_of

import paiban.cache as cache_module
import paiban.readers as clean_module
import paiban.executor as executor_module
import paiban.inputs as inputs_module
from paiban import build as build_module
from paiban.config import load


@pytest.fixture
def proj(tmp_path) -> Path:
    return copy_project(tmp_path, {"a.txt": text_of(OLD)})


def build(proj: Path, jobs: int = 1, editions=("zh-Hans",)) -> tuple[int, dict]:
    cfg = load(proj / "pyproject.toml", jobs=jobs, editions=editions)
    code = build_module.build(cfg, (proj / "seeds" / "a.txt",), quiet=True)
    record = json.loads((proj / "dist" / ".paiban-build.json").read_text("utf-8"))
    return code, record


def html(proj: Path, edition: str = "zh-Hans") -> str:
    return (proj / "dist" / "a" / f"a.{edition}.html").read_text("utf-8")


def cached(record: dict) -> list[bool]:
    return [t["cached"] for t in record["targets"]]


def test_an_edit_during_the_build_is_reported_and_rebuilt(proj, monkeypatch, capsys):
    text = proj / "seeds" / "a.txt"
    real_run = executor_module.run

    def run_then_edit(task):  # the editor saves while the target is being rendered
        text.write_text(text_of(NEW), "utf-8")
        return real_run(task)

    monkeypatch.setattr(executor_module, "run", run_then_edit)
    code, _ = build(proj)
    assert code == 0
    assert OLD in html(proj)  # rendered from the bytes read, not a mix
    assert "changed while it was being built" in capsys.readouterr().err
    monkeypatch.setattr(executor_module, "run", real_run)
    code, record = build(proj)  # the new version is built, not taken for up to date
    assert code == 0 and cached(record) == [False] and NEW in html(proj)
    text.write_text(text_of(OLD), "utf-8")  # the edit undone
    code, record = build(proj)
    assert cached(record) == [False] and OLD in html(proj)
    code, record = build(proj)
    assert cached(record) == [True] and OLD in html(proj)


def test_a_slow_in_place_save_during_the_read_is_read_again(proj, monkeypatch):
    text = proj / "seeds" / "a.txt"
    full = text_of(NEW).encode("utf-8")
    part = text_of(NEW)[: len(text_of(NEW)) * 2 // 5].encode("utf-8")
    real_read = clean_module.read_bytes
    calls = []

    def saving_while_read(path):  # truncate, write 40 %, read, then the rest lands
        calls.append(path)
        if len(calls) == 1:
            path.write_bytes(part)
            data = real_read(path)
            with open(path, "ab") as fh:
                fh.write(full[len(part):])
            return data
        return real_read(path)

    monkeypatch.setattr(clean_module, "read_bytes", saving_while_read)
    code, record = build(proj)
    assert len(calls) == 2  # the torn read was noticed and the text read again
    assert code == 0 and NEW in html(proj)
    monkeypatch.setattr(clean_module, "read_bytes", real_read)
    assert cached(build(proj)[1]) == [True]


def test_a_slow_save_finishing_after_the_read_is_not_recorded(proj, monkeypatch, capsys):
    text = proj / "seeds" / "a.txt"
    full = text_of(NEW).encode("utf-8")
    part = text_of(NEW)[: len(text_of(NEW)) * 2 // 5].encode("utf-8")
    text.write_bytes(part)  # the editor paused after 40 %: the build reads this
    real_run = executor_module.run

    def run_then_finish_save(task):
        assert task.text == part
        text.write_bytes(full)
        return real_run(task)

    monkeypatch.setattr(executor_module, "run", run_then_finish_save)
    code, _ = build(proj)
    assert "changed while it was being built" in capsys.readouterr().err
    monkeypatch.setattr(executor_module, "run", real_run)
    code, record = build(proj)
    assert code == 0 and cached(record) == [False]
    assert cached(build(proj)[1]) == [True]


def test_with_two_jobs_both_editions_get_the_same_version(proj, capsys):
    text = proj / "seeds" / "a.txt"
    with saved_just_after_read(text, text_of(NEW), (inputs_module, "read_stable")) as saved:
        code, _ = build(proj, jobs=2, editions=("zh-Hans", "zh-Hant"))
    assert saved  # the editor's save happened
    assert code == 0
    assert OLD in html(proj, "zh-Hans") and "與時代同步" in html(proj, "zh-Hant")
    assert "changed while it was being built" in capsys.readouterr().err
    code, record = build(proj, jobs=2, editions=("zh-Hans", "zh-Hant"))
    assert cached(record) == [False, False]
    assert NEW in html(proj, "zh-Hans") and "與時俱進" in html(proj, "zh-Hant")


def test_another_builds_pdf_landing_before_the_record_is_not_taken_for_ours(proj, monkeypatch):
    """Q writes its PDF; P (the same text in another version) writes over it; Q records."""
    text = proj / "seeds" / "a.txt"
    real_record = cache_module.Cache.record
    nested = []

    def record_after_another_build(self, built):
        if not nested:
            nested.append(True)
            saved = text.read_bytes()
            text.write_text(text_of(NEW), "utf-8")
            build(proj)  # P: its PDF lands between Q's write and Q's record
            text.write_bytes(saved)
        return real_record(self, built)

    monkeypatch.setattr(cache_module.Cache, "record", record_after_another_build)
    build(proj)
    assert NEW in html(proj)  # P's PDF is what is in the folder, under Q's key
    monkeypatch.setattr(cache_module.Cache, "record", real_record)
    code, record = build(proj)  # Q's text again: not "up to date"
    assert cached(record) == [False] and OLD in html(proj)
