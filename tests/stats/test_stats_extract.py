"""Extraction measured against hand-labelled seeds and fixture sentences."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from paiban.stats import extract
from paiban.stats.label import MAX_LABEL
from stats_scoring import score
from stats_seedtext import SEEDS, article_of, read, simple_read

HERE = Path(__file__).parent
FIXTURES = tomllib.loads((HERE / "fixtures.toml").read_text("utf-8"))["case"]

# Targets set after measuring: the extractor scores 1.0 on both seeds (21 and 69 figures) and on
# the fixtures (65) today. 0.98 lets one figure slip in seed 002 or the fixtures (say, after a
# cleaning change) and none in seed 000; each fixture sentence is also checked exactly below.
SEED_PRECISION = 0.98
SEED_RECALL = 0.98
FIXTURE_PRECISION = 0.98
FIXTURE_RECALL = 0.98


def _expected(seed: Path) -> dict:
    return tomllib.loads((HERE / f"expected_{seed.stem}.toml").read_text("utf-8"))


@pytest.mark.parametrize("reader", [read, simple_read], ids=["cleaner", "simple"])
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_precision_and_recall(seed: Path, reader) -> None:
    """Measured on the cleaner's Article and on the line-per-paragraph reading, so that the
    figures do not depend on how cleaning splits the text."""
    expected = _expected(seed)["figures"]
    stats = extract(reader(seed))
    result = score([s.value for s in stats], [f["value"] for f in expected])
    print(f"{seed.stem} ({reader.__name__}): {result}")
    assert result.precision >= SEED_PRECISION, str(result)
    assert result.recall >= SEED_RECALL, str(result)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_figures_are_read_right(seed: Path) -> None:
    """Every expected figure that was found has the hand-labelled number, unit and marker."""
    found: dict[str, list] = {}
    for s in extract(read(seed)):
        found.setdefault(s.value, []).append(s)
    wrong = []
    for fig in _expected(seed)["figures"]:
        for s in found.get(fig["value"], []):
            want = (float(fig["number"]), fig["unit"], fig.get("approximate", False))
            if (s.number, s.unit, s.approximate) != want:
                wrong.append((fig["value"], (s.number, s.unit, s.approximate), want))
    assert not wrong


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_non_figures_are_left_out(seed: Path) -> None:
    text = seed.read_text("utf-8")
    values = [s.value for s in extract(read(seed))]
    for not_figure in _expected(seed)["not_figures"]:
        assert not_figure in text, f"{not_figure!r} is not in the seed: fix the expected list"
        assert not [v for v in values if v in not_figure or not_figure in v], not_figure


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_stats_have_sentence_section_and_short_label(seed: Path) -> None:
    article = read(seed)
    texts = [b.text for b in article.blocks]
    headings = {h.text for h in article.sections} | {""}
    for s in extract(article):
        assert s.value in s.sentence
        assert any(s.sentence in t for t in texts)
        assert s.section in headings
        assert 2 <= len(s.label) <= MAX_LABEL, s


def test_fixtures_precision_and_recall() -> None:
    found: list[str] = []
    expected: list[str] = []
    for i, case in enumerate(FIXTURES):
        # Tagging each value with its case keeps a hit in one sentence from hiding a miss in
        # another.
        found += [f"{i}:{s.value}" for s in extract(article_of(case["text"]))]
        expected += [f"{i}:{v}" for v in case["yields"]]
    result = score(found, expected)
    print(f"fixtures: {result}")
    assert result.precision >= FIXTURE_PRECISION, str(result)
    assert result.recall >= FIXTURE_RECALL, str(result)


@pytest.mark.parametrize("case", FIXTURES, ids=lambda c: c["text"][:16])
def test_fixture_case(case: dict) -> None:
    stats = {s.value: s for s in extract(article_of(case["text"]))}
    assert list(stats) == case["yields"]
    for value, number in case.get("numbers", {}).items():
        assert stats[value].number == pytest.approx(number)
    for value, unit in case.get("units", {}).items():
        assert stats[value].unit == unit
    for value, label in case.get("labels", {}).items():
        assert stats[value].label == label
    for value in case.get("approximate", []):
        assert stats[value].approximate, value
    for value in case.get("exact", []):
        assert not stats[value].approximate, value


def test_a_repeated_paragraph_yields_its_figures_once() -> None:
    line = "共化解劳动争议纠纷1161起。"
    assert [s.value for s in extract(article_of(line, line))] == ["1161起"]


def test_the_same_value_twice_in_a_sentence_is_two_figures() -> None:
    line = "建成12个县级服务中心、12个园区工作站。"
    assert [s.value for s in extract(article_of(line))] == ["12个", "12个"]


def test_section_is_the_enclosing_level_one_heading() -> None:
    article = article_of("开头共有职工300名。", "服务职工的暖心之家在这里", "——服务设施网格化",
                         "建成12个县级职工服务中心。")
    stats = extract(article)
    assert [(s.value, s.section) for s in stats] == [
        ("300名", ""), ("12个", "服务职工的暖心之家在这里")]
