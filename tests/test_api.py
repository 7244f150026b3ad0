"""The Python API returns typed results and prints nothing; the CLI is built on it."""

from __future__ import annotations

import pytest

import paiban
from paiban import BuildResult, TargetResult, init_project, inspect_text, load_config, typeset
from paiban.errors import PaibanError
from paiban.model import Article
from paiban.outputs import output_path


def test_inspect_and_typeset_return_dataclasses_and_print_nothing(tmp_path, capsys):
    init_project(tmp_path, publication="乡村周刊")
    cfg = load_config(tmp_path / "paiban.toml")
    article = inspect_text(tmp_path / "seeds" / "sample.txt", edition="zh-Hant-HK", config=cfg)
    assert isinstance(article, Article) and article.title == "山村書屋亮起夜燈"
    result = typeset(editions=["zh-Hans"], config=cfg)
    assert isinstance(result, BuildResult) and result.ok and result.texts == 1
    [target] = result.targets
    assert isinstance(target, TargetResult) and not target.cached and target.pages == 1
    assert target.pdf == output_path(tmp_path / "dist", "sample", "zh-Hans")
    assert target.pdf.read_bytes().startswith(b"%PDF")
    again = typeset(editions=["zh-Hans"], config=cfg)
    assert again.targets[0].cached and again.pages == 1
    assert capsys.readouterr() == ("", "")


def test_unknown_names_are_usage_errors(tmp_path):
    with pytest.raises(PaibanError) as info:
        typeset(editions=["zh-Latn"])
    assert info.value.exit_code == 2
    with pytest.raises(PaibanError, match="unknown layout 'nope'"):
        typeset(layouts=["nope"])


def test_the_api_names_are_lazy_attributes():
    assert "typeset" in paiban.__all__ and paiban.typeset is typeset
    with pytest.raises(AttributeError):
        paiban.no_such_name  # noqa: B018
