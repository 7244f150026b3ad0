"""Config: [tool.paiban] read from TOML, typed, overridden by flags, bad values named."""

from __future__ import annotations

from pathlib import Path

import pytest

from paiban.config import Config, load
from paiban.errors import ConfigError


def _project(tmp_path: Path, table: str) -> Path:
    path = tmp_path / "pyproject.toml"
    path.write_text("[project]\nname='x'\n\n[tool.paiban]\n" + table, "utf-8")
    return path


def test_defaults_resolve_against_the_project_root(tmp_path):
    cfg = load(_project(tmp_path, 'layout = "report"\n'))
    assert cfg.root == tmp_path
    assert cfg.seeds == tmp_path / "seeds" and cfg.out == tmp_path / "dist"
    assert cfg.layout == "report"
    assert cfg.editions == Config().editions


def test_flags_override_the_file(tmp_path):
    cfg = load(_project(tmp_path, 'editions = ["zh-Hans"]\n'), editions=("zh-Hant-TW",),
               out=Path("/tmp/elsewhere"), marks=None)
    assert cfg.editions == ("zh-Hant-TW",)
    assert cfg.out == Path("/tmp/elsewhere")
    assert cfg.marks is False  # None means "flag not given"


@pytest.mark.parametrize("table, key", [
    ('colour = "red"\n', "colour"),
    ('jobs = "two"\n', "jobs"),
    ('marks = 1\n', "marks"),
    ('editions = ["zh-Latn"]\n', "zh-Latn"),
])
def test_bad_values_name_the_key(tmp_path, table, key):
    with pytest.raises(ConfigError, match=key) as info:
        load(_project(tmp_path, table))
    assert str(tmp_path / "pyproject.toml") in str(info.value)


def test_invalid_toml_is_one_clear_error(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.paiban\n", "utf-8")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load(path)


def test_the_repository_config_loads():
    cfg = load(Path(__file__).resolve().parent.parent / "pyproject.toml")
    assert cfg.layout == "feature" and "zh-Hans" in cfg.editions


def test_paiban_toml_is_found_from_a_subfolder(tmp_path, monkeypatch):
    (tmp_path / "paiban.toml").write_text('publication = "乡村周刊"\nout = "pdf"\n', "utf-8")
    (tmp_path / "seeds" / "deep").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "seeds" / "deep")
    cfg = load()
    assert cfg.root == tmp_path and cfg.publication == "乡村周刊"
    assert cfg.out == tmp_path / "pdf" and cfg.seeds == tmp_path / "seeds"


def test_unknown_key_suggests_the_nearest_known_one(tmp_path):
    path = tmp_path / "paiban.toml"
    path.write_text('publicaton = "x"\n', "utf-8")
    with pytest.raises(ConfigError, match="unknown key publicaton; did you mean 'publication'"):
        load(path)
    with pytest.raises(ConfigError, match=r"\[tool.paiban\].editons; did you mean 'editions'"):
        load(_project(tmp_path, 'editons = ["zh-Hans"]\n'))


def test_config_is_accepted_after_the_subcommand(tmp_path, capsys):
    from paiban.cli import main

    path = tmp_path / "paiban.toml"
    path.write_text('publicaton = "x"\n', "utf-8")
    assert main(["inspect", "--config", str(path), str(tmp_path / "none.txt")]) == 1
    assert "did you mean 'publication'" in capsys.readouterr().err


def test_corner_quotes_names_editions(tmp_path):
    cfg = load(_project(tmp_path, 'corner_quotes = ["zh-Hant-TW"]\n'))
    assert cfg.corner_quotes == ("zh-Hant-TW",)
    assert Config().corner_quotes == ("zh-Hant-TW", "zh-Hant-HK")
