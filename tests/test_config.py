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
    ('executor = "dask:/host"\n', "executor"),
    ('executor = "dask://host:port"\n', "executor"),
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


def test_the_executor_is_local_or_a_dask_scheduler(tmp_path):
    assert load(_project(tmp_path, "")).executor == "local"
    assert load(_project(tmp_path, 'executor = "dask://10.0.0.1:8786"\n')).executor == \
        "dask://10.0.0.1:8786"
    with pytest.raises(ConfigError) as info:
        load(_project(tmp_path, ""), executor="tcp://x:1")
    assert str(info.value) == "--executor must be 'local' or 'dask://HOST:PORT', not 'tcp://x:1'"
    assert info.value.exit_code == 2
