"""Statistics labels start and end at words, by jieba's own segmentation of their sentence:
on both seeds, on the fixture sentences and on the realistic texts under ``texts/``."""

from __future__ import annotations

import tomllib
from pathlib import Path

import jieba
import pytest

from paiban.clean import read
from paiban.stats import extract
from stats_seedtext import SEEDS, article_of

HERE = Path(__file__).parent
FIXTURES = tomllib.loads((HERE / "fixtures.toml").read_text("utf-8"))["case"]
TEXTS = sorted((HERE.parent / "clean" / "texts").glob("*.txt"))


def cuts(sentence: str) -> set[int]:
    """Word boundaries as jieba itself gives them (not paiban's wrapper)."""
    out = {0, len(sentence)}
    for _, start, end in jieba.tokenize(sentence):
        out |= {start, end}
    return out


def at_words(sentence: str, label: str, pieces: int = 3) -> bool:
    """``label`` is at most ``pieces`` pieces of ``sentence``, each from a word start to a
    word end (a label may join the words before a figure to those after it)."""
    if not label:
        return True
    if pieces == 0:
        return False
    bounds = cuts(sentence)
    for stop in range(len(label), 0, -1):
        piece = label[:stop]
        i = sentence.find(piece)
        while i >= 0:
            if i in bounds and i + stop in bounds and at_words(sentence, label[stop:], pieces - 1):
                return True
            i = sentence.find(piece, i + 1)
    return False


def labelled(articles) -> list[tuple[str, str, str]]:
    return [(s.value, s.label, s.sentence) for a in articles for s in extract(a) if s.label]


def test_the_check_itself_rejects_a_label_cut_mid_word():
    sentence = "其中环卫工人、货车司机等户外劳动者3.1万名首次纳入。"
    assert at_words(sentence, "户外劳动者")
    assert at_words(sentence, "环卫工人、货车司机等户外劳动者")
    assert not at_words(sentence, "机等户外劳动者")


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_labels_start_and_end_at_words(seed: Path):
    found = labelled([read(seed)])
    assert len(found) > 15
    bad = [(v, label) for v, label, sentence in found if not at_words(sentence, label)]
    assert not bad


def test_fixture_and_text_labels_start_and_end_at_words():
    articles = [article_of(case["text"]) for case in FIXTURES] + [read(p) for p in TEXTS]
    found = labelled(articles)
    assert len(found) > 60
    bad = [(v, label) for v, label, sentence in found if not at_words(sentence, label)]
    assert not bad
