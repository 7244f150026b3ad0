"""The rule list: declared order, switching rules off by name, and the no-loss invariant
holding on both seeds whatever rule is switched off."""

from __future__ import annotations

import pytest
from test_clean_properties import assert_nothing_lost

from paiban.clean import REQUIRED, RULES, clean
from paiban.snapshots import SEEDS

SEED_TEXTS = {p.stem: p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))}
OPTIONAL = [name for name, _ in RULES if name not in REQUIRED]


def test_rules_run_in_the_declared_order():
    assert [name for name, _ in RULES] == [
        "decode", "normalise", "punct", "split", "hints", "lines", "clutter", "endmatter",
        "byline", "notes", "credits", "frame", "dedupe", "lists", "marked", "interview",
        "captions", "headings", "rejoin", "settle", "quotes", "structure"]


def test_unknown_or_required_rules_cannot_be_switched_off():
    with pytest.raises(ValueError, match="unknown"):
        clean("标题\n", disable={"nonsense"})
    with pytest.raises(ValueError, match="cannot be switched off"):
        clean("标题\n", disable={"structure"})


@pytest.mark.parametrize("rule", OPTIONAL)
@pytest.mark.parametrize("stem", sorted(SEED_TEXTS))
def test_nothing_lost_with_a_rule_switched_off(stem, rule):
    text = SEED_TEXTS[stem]
    assert_nothing_lost(text, clean(text, disable={rule}))


def test_switching_dedupe_off_keeps_the_repeats():
    text = SEED_TEXTS["000_0015acbaf8d5143e"]
    assert len(clean(text).report.removed) == 5
    assert clean(text, disable={"dedupe"}).report.removed == ()  # settle respects it too
