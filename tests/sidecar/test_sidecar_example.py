"""The example sidecar, applied to the seed it was written for."""

from __future__ import annotations

import shutil
from pathlib import Path

from paiban import clean
from paiban.model import Callout
from paiban.sidecar import apply_figures, load
from paiban.stats import apply

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "002_cac0cc1532234b7e.txt"


def test_example_sidecar_on_its_seed(tmp_path: Path) -> None:
    text = tmp_path / SEED.name
    shutil.copy(SEED, text)
    shutil.copy(Path(__file__).with_name("example.toml"), text.with_suffix(".toml"))
    options = load(text)
    article = apply(clean.read(text), options)
    boxes = [b for b in article.blocks if isinstance(b, Callout)]
    opener = next(b for b in boxes if b.placement == "opener")
    assert opener.title == "数说龙岩工会"
    assert [(s.value, s.label) for s in opener.stats[:3]] == [
        ("8070万元", "送温暖慰问金"), ("46万多名", "职工参加劳动竞赛"), ("1.2亿多元", "产生经济效益")]
    assert "4个" not in [s.value for s in article.stats]
    assert [s.label for s in article.stats if s.value == "2750万元"] == ["为职工追回欠薪"]
    shown = [s.value for b in boxes for s in b.stats]
    assert len(shown) == len(set(shown))
    figure = apply_figures(article, options).figures[1]
    assert (figure.number, figure.ratio, figure.image) == (2, 1.33, "images/longyan-2.jpg")
    assert (options.layout, options.hero) == ("report", 2)
