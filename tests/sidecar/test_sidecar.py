"""The per-article sidecar: reading, defaults, and clear errors naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from paiban.errors import ConfigError
from paiban.sidecar import DEFAULT_TITLE, FigureOptions, Pin, Sidecar, load, path_for

TEXT = "5年来，各级工会共筹集送温暖慰问金8070万元，走访慰问5.6万人次职工。职工医疗互助活动举办七期。\n"


def _write(tmp_path: Path, toml: str) -> Path:
    text = tmp_path / "a.txt"
    text.write_text(TEXT, "utf-8")
    path_for(text).write_text(toml, "utf-8")
    return text


def test_missing_file_is_an_empty_sidecar(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text(TEXT, "utf-8")
    assert load(text) == Sidecar()
    assert load(text).title == DEFAULT_TITLE


def test_sidecar_lives_next_to_the_text() -> None:
    assert path_for(Path("seeds/002_x.txt")) == Path("seeds/002_x.toml")


def test_full_sidecar_is_read(tmp_path: Path) -> None:
    text = _write(tmp_path, """
[stats]
title = "数字"
pin = ["8070万元", { value = "七期", label = "医疗互助活动" }]
drop = ["5.6万人次"]
section_boxes = false

[stats.relabel]
"8070万元" = "送温暖慰问金"

[layout]
name = "report"
hero = 2
keep_boxes = true

[figures.2]
ratio = 1.33
image = "images/x.jpg"

[figures.3]
ratio = 2
""")
    sc = load(text)
    assert sc.path == path_for(text)
    assert sc.title == "数字"
    assert sc.pin == (Pin("8070万元"), Pin("七期", "医疗互助活动"))
    assert sc.drop == ("5.6万人次",)
    assert sc.relabel == (("8070万元", "送温暖慰问金"),)
    assert sc.label_for("8070万元") == "送温暖慰问金"
    assert sc.label_for("七期") == "医疗互助活动"
    assert sc.label_for("5.6万人次") is None
    assert sc.section_boxes is False
    assert (sc.layout, sc.hero, sc.keep_boxes) == ("report", 2, True)
    assert sc.figures == {2: FigureOptions(1.33, "images/x.jpg"), 3: FigureOptions(2.0, None)}


@pytest.mark.parametrize(("toml", "key"), [
    ("colour = 1", "colour"),
    ("[stats]\npinned = []", "stats.pinned"),
    ("[layout]\nfont = 'x'", "layout.font"),
    ("[figures.2]\nwidth = 3", "figures.2.width"),
    ("[stats]\ntitle = 3", "stats.title"),
    ("[stats]\npin = '8070万元'", "stats.pin"),
    ("[stats]\npin = [3]", "stats.pin[0]"),
    ("[stats]\npin = [{ label = 'x' }]", "stats.pin[0].value"),
    ("[stats]\npin = [{ value = '8070万元', colour = 'x' }]", "stats.pin[0].colour"),
    ("[stats]\npin = ['1个', '2个', '3个', '4个', '5个']", "stats.pin"),
    ("[stats]\npin = ['9999万元']", "stats.pin[0]"),
    ("[stats]\ndrop = ['12351']", "stats.drop[0]"),
    ("[stats]\nsection_boxes = 'no'", "stats.section_boxes"),
    ("[stats.relabel]\n'8070万元' = 5", "stats.relabel"),
    ("[stats.relabel]\n'123万元' = 'x'", "stats.relabel"),
    ("stats = 3", "[stats]"),
    ("[layout]\nname = 3", "layout.name"),
    ("[layout]\nhero = 0", "layout.hero"),
    ("[layout]\nhero = true", "layout.hero"),
    ("[layout]\nkeep_boxes = 1", "layout.keep_boxes"),
    ("[figures.x]\nratio = 1", "figures.x"),
    ("[figures.0]\nratio = 1", "figures.0"),
    ("[figures]\n2 = 1.5", "figures.2"),
    ("[figures.2]\nratio = 'wide'", "figures.2.ratio"),
    ("[figures.2]\nratio = 0", "figures.2.ratio"),
    ("[figures.2]\nimage = 3", "figures.2.image"),
    ("[figures.2]\nimage = '../../etc/passwd'", "figures.2.image"),
    ("[figures.2]\nimage = 'images/../../x.jpg'", "figures.2.image"),
    ("[figures.2]\nimage = '/etc/passwd'", "figures.2.image"),
    ("[figures.2]\nimage = '~/x.jpg'", "figures.2.image"),
    ("[figures.2]\nimage = 'file:///etc/passwd'", "figures.2.image"),
    ("[figures.2]\nimage = 'http://example.com/x.jpg'", "figures.2.image"),
    ("[figures.2]\nimage = 'C:/x.jpg'", "figures.2.image"),
    ("[figures.2]\nimage = 'images\\\\x.jpg'", "figures.2.image"),
    ("[figures.2]\nimage = ''", "figures.2.image"),
])
def test_invalid_entry_is_a_config_error_naming_the_key(tmp_path: Path, toml: str, key: str) -> None:
    text = _write(tmp_path, toml)
    with pytest.raises(ConfigError) as err:
        load(text)
    assert key in err.value.message
    assert err.value.path == str(path_for(text))
    assert str(path_for(text)) in str(err.value)


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    text = _write(tmp_path, "[stats\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load(text)


def test_seeds_sidecars_if_any_are_valid() -> None:
    seeds = Path(__file__).resolve().parents[2] / "seeds"
    for text in sorted(seeds.glob("*.txt")):
        assert isinstance(load(text), Sidecar)


def _article_with_figures(count: int):
    from paiban.model import Article, Figure, Paragraph

    figures = tuple(Figure(caption=f"图{n}", number=n) for n in range(1, count + 1))
    return Article(title="t", blocks=(Paragraph(text="正文。"), *figures))


def test_apply_figures_sets_ratio_and_image(tmp_path: Path) -> None:
    from paiban.sidecar import apply_figures

    sc = load(_write(tmp_path, "[figures.2]\nratio = 1.33\nimage = 'images/x.jpg'\n"))
    article = apply_figures(_article_with_figures(3), sc)
    f1, f2, f3 = article.figures
    assert (f2.ratio, f2.image) == (1.33, "images/x.jpg")
    assert (f1.ratio, f1.image) == (1.5, None) and (f3.ratio, f3.image) == (1.5, None)


@pytest.mark.parametrize(("toml", "key"), [
    ("[figures.4]\nratio = 1", "figures.4"),
    ("[layout]\nhero = 9", "layout.hero"),
])
def test_apply_figures_refuses_a_figure_the_text_lacks(tmp_path: Path, toml: str, key: str) -> None:
    from paiban.sidecar import apply_figures

    sc = load(_write(tmp_path, toml))
    with pytest.raises(ConfigError) as err:
        apply_figures(_article_with_figures(3), sc)
    assert key in err.value.message and err.value.path == str(path_for(tmp_path / "a.txt"))


def test_pinned_values_are_checked_in_the_decoded_text(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_bytes(("共筹集送温暖慰问金8070\n\n万元。" * 3).encode("gb18030"))
    path_for(text).write_text("[stats]\npin = ['8070万元']\n", "utf-8")
    assert load(text).pin == (Pin("8070万元"),)
