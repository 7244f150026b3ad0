"""``paiban issue`` renders each article from the bytes it read once, the bytes its key is
computed from (issue 15 §1, the read-twice race, for the issue as for ``paiban build``)."""

from __future__ import annotations

from projects import BODY, NEW, OLD, copy_project, saved_just_after_read

from paiban import cli


def _text(title: str) -> str:
    return f"{title} 与社会共进\n\n第1段。{BODY}\n\n第2段。{BODY}\n"


def test_a_text_saved_after_it_was_read_is_not_what_the_issue_renders(tmp_path):
    copy_project(tmp_path, {"a.txt": _text(OLD), "b.txt": _text("职工之家")})
    (tmp_path / "issue.toml").write_text(
        '[issue]\nname = "第1期"\nslug = "n1"\narticles = ["seeds/a.txt", "seeds/b.txt"]\n',
        "utf-8")
    with saved_just_after_read(tmp_path / "seeds" / "a.txt", _text(NEW)) as saved:
        code = cli.main(["--config", str(tmp_path / "pyproject.toml"), "issue",
                         str(tmp_path / "issue.toml"), "--edition", "zh-Hans", "--jobs", "1",
                         "--quiet"])
    assert saved  # the editor's save happened
    assert code == 0
    html = (tmp_path / "dist" / "n1" / "a" / "a.zh-Hans.html").read_text("utf-8")
    assert OLD in html and NEW not in html  # what was read, and keyed
