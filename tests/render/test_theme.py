"""The theme: a project's own layout/, styles/, fonts/ files override the built-in theme file by
file; every reader of theme files (templates, stylesheets, fonts.toml, cache key, assets) sees
the same result."""

from __future__ import annotations

from pathlib import Path

from paiban.build import publish_assets
from paiban.cache import fingerprint
from paiban.config import Config
from paiban.render.html import layouts, render_html
from paiban.theme import builtin_root

from paiban.pipeline import prepare

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_0015acbaf8d5143e.txt"


def test_the_builtin_theme_is_the_repository_copy_in_a_checkout():
    assert builtin_root() == ROOT


def test_an_empty_project_uses_the_builtin_theme(tmp_path):
    cfg = Config(root=tmp_path, out=tmp_path / "dist")
    assert layouts(cfg) == ["feature", "report"]
    assert cfg.fonts_toml == ROOT / "fonts" / "fonts.toml"
    assets = publish_assets(cfg)
    assert sorted(p.name for p in (assets / "styles").iterdir()) == sorted(
        p.name for p in (ROOT / "styles").glob("*.css"))


def test_one_copied_stylesheet_overrides_only_itself(tmp_path):
    cfg = Config(root=tmp_path, out=tmp_path / "dist")
    before = fingerprint(cfg)
    (tmp_path / "styles").mkdir()
    mine = (ROOT / "styles" / "feature.css").read_text("utf-8") + "\nh1 { color: #123456 }\n"
    (tmp_path / "styles" / "feature.css").write_text(mine, "utf-8")
    assert fingerprint(cfg) != before  # the cache sees the override
    assets = publish_assets(cfg)
    assert (assets / "styles" / "feature.css").read_text("utf-8") == mine
    assert (assets / "styles" / "base.css").read_bytes() == (ROOT / "styles" / "base.css").read_bytes()


def test_a_project_template_and_layout_of_its_own(tmp_path):
    (tmp_path / "layout").mkdir()
    (tmp_path / "styles").mkdir()
    # A new layout that reuses the built-in base template: the loader searches both folders.
    (tmp_path / "layout" / "memo.html.j2").write_text(
        '{% extends "feature.html.j2" %}{% block body %}<p class="memo">{{ article.title }}</p>'
        '{% endblock %}', "utf-8")
    (tmp_path / "styles" / "memo.css").write_text(".memo { color: red }\n", "utf-8")
    cfg = Config(root=tmp_path, out=tmp_path / "dist")
    assert layouts(cfg) == ["feature", "memo", "report"]
    article = prepare(SEED, cfg)
    html = render_html(article, "memo", cfg, assets="../_assets/")
    assert "../_assets/styles/memo.css" in html and "../_assets/styles/base.css" in html
