"""Realistic texts written to the conventions of real copy (``texts/``): an interview, a policy
explainer with （一） headings and numbered lists, scraped copy with half-width punctuation, a
questions-and-answers explainer and a feature with ？ headings. Each is read in the encodings
and line endings real copy arrives in; the structure must be the same in all, nothing lost,
and cleaning the clean text again changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from cleandump import dump
from test_clean_properties import assert_nothing_lost

from paiban.clean import clean, read, to_text
from paiban.model import Heading, ListBlock, Turn

TEXTS = Path(__file__).parent / "texts"

EXPECTED = {
    # name: (questions, answers, [list item counts], [(heading level, heading text)])
    "interview": (3, 3, [], []),
    "policy": (0, 0, [3, 3], [(1, "出台背景"), (2, "覆盖范围进一步扩大"), (2, "申报条件"),
                              (1, "保障措施"), (2, "经费保障"), (2, "服务保障")]),
    "scraped": (0, 0, [], [(1, "谁来照看孩子？"), (1, "托管班里学什么？"), (1, "谁来买单？"),
                           (2, "家长说")]),
    "qa": (0, 4, [3], [(1, "哪些人可以享受？"), (1, "子女教育怎么扣？"), (1, "在哪里申报？"),
                       (1, "申报错了怎么办？")]),
    "feature": (0, 0, [], [(1, "“高空”里的绝活"), (1, "为什么坚持？"), (1, "传下去的手艺")]),
}

ENCODINGS = [("utf-8", "\n"), ("utf-8-sig", "\n"), ("gb18030", "\r\n"), ("utf-16", "\n")]


def structure(article):
    turns = [b for b in article.blocks if isinstance(b, Turn)]
    return (sum(t.question for t in turns), sum(not t.question for t in turns),
            [len(b.items) for b in article.blocks if isinstance(b, ListBlock)],
            [(b.level, b.text) for b in article.blocks if isinstance(b, Heading)])


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("encoding, eol", ENCODINGS, ids=[e for e, _ in ENCODINGS])
def test_real_copy_is_read_the_same_in_every_encoding(tmp_path, name, encoding, eol):
    text = (TEXTS / f"{name}.txt").read_text("utf-8")
    path = tmp_path / f"{name}.txt"
    path.write_bytes(text.replace("\n", eol).encode(encoding))
    article = read(path)
    assert structure(article) == EXPECTED[name]
    assert not article.report.fragments
    assert_nothing_lost(text, clean(text))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_copy_cleans_to_a_fixed_point(name):
    first = clean((TEXTS / f"{name}.txt").read_text("utf-8"))
    again = clean(to_text(first))
    assert dump(again, report=False) == dump(first, report=False)
    assert again.report.replaced == ()
