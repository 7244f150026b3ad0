"""paiban.photos: photos by naming convention, the hero by aspect, effective resolution."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from paiban import photos, sidecar
from paiban.errors import ConfigError
from paiban.model import Article, Figure, Paragraph


def article(*figures: Figure) -> Article:
    return Article(title="标题", blocks=(Paragraph(text="正文。"), *figures))


def photo(root: Path, name: str, size: tuple[int, int]) -> None:
    (root / "images").mkdir(exist_ok=True)
    Image.new("RGB", size, "red").save(root / "images" / name)


def test_a_photo_named_for_the_figure_fills_it_and_the_widest_is_the_hero(tmp_path):
    photo(tmp_path, "story-1.jpg", (800, 800))
    photo(tmp_path, "story-2.png", (1600, 600))  # 2.67: nearest the opener's 2.56
    photo(tmp_path, "other-3.jpg", (1600, 600))  # another text's photo
    a = article(Figure("一", 1), Figure("二", 2), Figure("三", 3, image="images/x.jpg"))
    placed = photos.place(a, tmp_path, "story", hero_set=False)
    assert [f.image for f in placed.figures] == ["images/story-1.jpg", "images/story-2.png",
                                                  "images/x.jpg"]
    assert placed.hero == 2
    # A sidecar's hero stands; so does a sidecar's image (figure 3 above).
    assert photos.place(a, tmp_path, "story", hero_set=True).hero == a.hero


def test_no_photo_leaves_the_article_as_it_was(tmp_path):
    a = article(Figure("一", 1))
    assert photos.place(a, tmp_path, "story", hero_set=False) is a


def test_resolution_warning_and_error_thresholds(tmp_path):
    url = (tmp_path / "images" / "a.jpg").as_uri()
    warnings, errors = photos.problems([(url, 320), (url, 280)], tmp_path)
    assert warnings == ["images/a.jpg: 280 ppi as placed, under 300 ppi"] and errors == []
    warnings, errors = photos.problems([(url, 149)], tmp_path)
    assert warnings == [] and errors == ["images/a.jpg: 149 ppi as placed, under 150 ppi for print"]


def test_resolution_of_a_placed_photo_covering_its_frame(tmp_path):
    from paiban.render.pdf import _weasyprint

    weasyprint = _weasyprint()
    photo(tmp_path, "p.jpg", (600, 300))
    # A 1 × 1 inch frame (96 px) covered by a 2:1 photo: its 300 pixel rows span 1 inch.
    html = (f'<div style="position: relative; width: 96px; height: 96px">'
            f'<img src="{(tmp_path / "images" / "p.jpg").as_uri()}" style="position: absolute; '
            f'width: 100%; height: 100%; object-fit: cover"></div>')
    found = photos.resolutions(weasyprint.HTML(string=html).render())
    assert len(found) == 1 and found[0][1] == pytest.approx(300)


def test_focus_is_validated_in_the_sidecar(tmp_path):
    text = tmp_path / "story.txt"
    text.write_text("标题\n\n正文。\n", "utf-8")
    side = tmp_path / "story.toml"
    side.write_text('[figures.1]\nfocus = "30% 40%"\n', "utf-8")
    assert sidecar.load(text).figures[1].focus == "30% 40%"
    for bad in ('"30%"', '"130% 40%"', '"left top"', "30"):
        side.write_text(f"[figures.1]\nfocus = {bad}\n", "utf-8")
        with pytest.raises(ConfigError, match="figures.1.focus"):
            sidecar.load(text)


def test_focus_reaches_the_photo(tmp_path):
    from paiban.config import load
    from paiban.render.html import render_html

    root = Path(__file__).resolve().parents[2]
    cfg = load(root / "pyproject.toml")
    a = article(Figure("一", 1, image="images/p.jpg", focus="30% 40%"),
                Figure("二", 2, image="images/q.jpg"))
    html = render_html(replace(a, lang="zh-Hans"), "feature", cfg, hero=1)
    assert 'style="object-position: 30% 40%"' in html
    assert html.count("object-position") == 1
