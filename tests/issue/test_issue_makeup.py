"""Issue make-up arithmetic (pure) and the manifest's checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from paiban import config
from paiban.errors import ConfigError
from paiban.issue import makeup
from paiban.issue.manifest import load


def test_recto_starts_fill_the_verso_before_and_pad_to_four() -> None:
    plan = makeup.plan([4, 2, 3], start="recto", binding="saddle")
    assert plan.starts == (3, 7, 9)
    kinds = [s.kind for s in plan.slots]
    assert kinds[:2] == ["cover", "contents"]
    assert plan.pages % 4 == 0 and plan.pages == 12
    # 3 + 4 pages = 6, then 7 (odd) for the second; 7+2 = 9 odd for the third; 9..11, pad 12.
    assert kinds[11] == "fill" and plan.fills() == 1
    assert [s.folio for s in plan.slots] == list(range(1, 13))


def test_an_odd_article_forces_a_fill_page_before_the_next() -> None:
    plan = makeup.plan([3, 2], start="recto", binding="perfect")
    assert plan.starts == (3, 7)
    assert plan.slots[5].kind == "fill"  # folio 6, the verso after a 3-page article
    assert plan.pages % 2 == 0


def test_any_start_packs_articles_and_no_contents() -> None:
    plan = makeup.plan([3, 2], contents=0, start="any", binding="none")
    assert plan.starts == (2, 5) and plan.pages == 6 and plan.fills() == 0


@pytest.mark.parametrize("pages", [[1], [2, 2], [5, 1, 7], [4] * 24])
def test_every_plan_is_continuous_and_fits_the_binding(pages) -> None:
    for binding, multiple in makeup.BINDINGS.items():
        for start in makeup.STARTS:
            plan = makeup.plan(pages, start=start, binding=binding)
            assert plan.pages % multiple == 0
            assert [s.folio for s in plan.slots] == list(range(1, plan.pages + 1))
            for i, first in enumerate(plan.starts):
                slot = plan.slots[first - 1]
                assert slot.kind == "article" and slot.article == i and slot.page == 0
                if start == "recto":
                    assert first % 2 == 1


def _project(tmp_path: Path, manifest: str) -> tuple[config.Config, Path]:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text("标题\n\n正文。\n", "utf-8")
    (tmp_path / "pyproject.toml").write_text("[tool.paiban]\n", "utf-8")
    path = tmp_path / "issue.toml"
    path.write_text(manifest, "utf-8")
    return config.load(tmp_path / "pyproject.toml"), path


@pytest.mark.parametrize("body, words", [
    ('articles = ["seeds/a.txt"]', "issue.name is missing"),
    ('name = "x"\narticles = ["seeds/a.txt"]\nbindig = "saddle"', "unknown key issue.bindig"),
    ('name = "x"\narticles = ["../etc/passwd"]', "inside the project"),
    ('name = "x"\narticles = ["seeds/none.txt"]', "not a file"),
    ('name = "x"\narticles = ["seeds/a.txt", "seeds/a.txt"]', "listed twice"),
    ('name = "x"\narticles = ["seeds/a.txt"]\nbinding = "spiral"', "issue.binding must be"),
    ('name = "x"\narticles = ["seeds/a.txt"]\nfill = "seeds/a.txt"', "must be one of"),
    ('name = "x"', "one of the two"),
    ('name = "' + "长" * 100 + '"\narticles = ["seeds/a.txt"]', "at most 40"),
])
def test_bad_manifests_are_one_line_errors_naming_the_key(tmp_path, body, words) -> None:
    cfg, path = _project(tmp_path, "[issue]\n" + body + "\n")
    with pytest.raises(ConfigError) as info:
        load(path, cfg)
    assert words in str(info.value) and str(path) in str(info.value)


def test_sections_group_the_articles_in_order(tmp_path) -> None:
    cfg, path = _project(tmp_path, "")
    (tmp_path / "seeds" / "b.txt").write_text("标题\n\n正文。\n", "utf-8")
    path.write_text('[issue]\nname = "x"\n[[issue.sections]]\nname = "甲"\narticles = ["seeds/a.txt"]\n'
                    '[[issue.sections]]\nname = "乙"\narticles = ["seeds/b.txt"]\n', "utf-8")
    manifest = load(path, cfg)
    assert manifest.sections == [("甲", [0]), ("乙", [1])]
    assert manifest.slug == "issue" and manifest.binding == "saddle" and manifest.start == "recto"
