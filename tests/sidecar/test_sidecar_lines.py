"""Sidecar ``[lines]`` and ``[article]``: the editor's roles for source lines, obeyed by the
build and reported; an entry that no longer fits the text is a one-line error naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from paiban.config import load as load_config
from paiban.errors import ConfigError
from paiban.model import Figure, Heading, Paragraph
from paiban.pipeline import load_source
from paiban.sidecar import load, path_for

TEXT = """\
城市驿站里的暖心事

今年以来，全市新建职工驿站120个。

车间一角

工会帮我们把事办成了

第一节写完了，驿站服务职工3万人次。

（责任编辑：李华）
"""


def _write(tmp_path: Path, toml: str, text: str = TEXT) -> Path:
    path = tmp_path / "a.txt"
    path.write_text(text, "utf-8")
    path_for(path).write_text(toml, "utf-8")
    return path


def test_roles_are_read_as_line_numbers(tmp_path):
    path = _write(tmp_path, '[lines]\n5 = "caption"\n7 = { role = "heading", text = "工会帮" }\n')
    assert load(path).lines == ((5, "caption"), (7, "heading"))


def test_the_build_obeys_the_roles_and_reports_them(tmp_path):
    path = _write(tmp_path, """
[lines]
5 = "caption"
7 = { role = "heading", text = "工会帮我们" }
11 = "end"

[article]
title = "驿站里的暖心事"
byline = "记者 王芳 通讯员 李强"
""")
    article = load_source(path, load_config(None)).article
    kinds = [(type(b).__name__, b.line) for b in article.blocks
             if isinstance(b, (Figure, Heading, Paragraph))]
    assert ("Figure", 5) in kinds and ("Heading", 7) in kinds
    assert [(e.text, e.label, e.line) for e in article.end_matter] == [
        ("（责任编辑：李华）", "责任编辑", 11)]
    assert article.title == "驿站里的暖心事" and article.byline == "记者 王芳 通讯员 李强"
    messages = [c.message for c in article.report.changes]
    assert any("lines.5" in m for m in messages) and any("lines.7" in m for m in messages)
    assert any("article.title" in m and "城市驿站里的暖心事" in m for m in messages)
    roles = {r.line: (r.role, r.forced) for r in article.lines}
    assert roles[5] == ("caption", True) and roles[7] == ("heading", True)
    assert roles[3] == ("paragraph", False)


def test_a_dropped_line_is_reported_as_removed(tmp_path):
    path = _write(tmp_path, '[lines]\n11 = "drop"\n')
    article = load_source(path, load_config(None)).article
    assert [(r.line, r.reason) for r in article.report.removed] == [(11, "dropped")]
    assert "责任编辑" not in "".join(article.texts())


@pytest.mark.parametrize("toml, message", [
    ('[lines]\n40 = "heading"', "lines.40: the text has no line 40"),
    ('[lines]\n2 = "heading"', "lines.2: line 2 is blank"),
    ('[lines]\n7 = { role = "heading", text = "第二节" }', "lines.7: line 7 no longer starts with"),
    ('[lines]\n7 = "title"', "lines.7: unknown role 'title'"),
    ('[lines]\nseven = "heading"', "lines.seven: a line number"),
    ('[lines]\n7 = { text = "工会" }', "lines.7.role is missing"),
    ('[lines]\n7 = { role = "heading", txt = "工会" }', "unknown key lines.7.txt"),
    ('[article]\ntitle = ""', "article.title must not be empty"),
    ('[article]\nauthor = "王芳"', "unknown key article.author"),
])
def test_a_stale_or_bad_entry_is_one_error_naming_the_key(tmp_path, toml, message):
    path = _write(tmp_path, toml)
    with pytest.raises(ConfigError) as err:
        load(path)
    assert message in str(err.value)
    assert str(path_for(path)) in str(err.value) and "\n" not in str(err.value)


def test_an_edit_above_a_pinned_line_is_detected(tmp_path):
    toml = '[lines]\n7 = { role = "heading", text = "工会帮我们把事办成了" }\n'
    path = _write(tmp_path, toml)
    assert load(path).lines == ((7, "heading"),)
    _write(tmp_path, toml, text=TEXT.replace("车间一角\n", "车间一角\n\n图为职工在驿站休息\n"))
    with pytest.raises(ConfigError, match="no longer starts with"):
        load(path)


def test_pinned_text_ignores_half_and_full_width_marks(tmp_path):
    text = TEXT.replace("工会帮我们把事办成了", "工会帮我们,把事办成了")
    path = _write(tmp_path, '[lines]\n7 = { role = "heading", text = "工会帮我们，把事" }\n', text)
    assert load(path).lines == ((7, "heading"),)
