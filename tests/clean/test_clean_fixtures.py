"""Fixture files per cleaning rule (tests/clean/fixtures/<rule>.txt), markdown-it-py style:
each case is an input text and the expected compact dump of the cleaned model."""

from __future__ import annotations

import pytest
from cleandump import FIXTURES, dump, read_fixtures

from paiban.clean import RULES, clean

CASES = [case for path in sorted(FIXTURES.glob("*.txt")) for case in read_fixtures(path)]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.where} {c.name}" for c in CASES])
def test_fixture(case):
    article = clean(case.text, disable=case.disable, overrides=dict(case.overrides))
    assert dump(article) == case.expected


def test_every_rule_after_split_has_a_fixture_file():
    names = {p.stem for p in FIXTURES.glob("*.txt")}
    documented = {name for name, _ in RULES} - {"decode", "split", "hints"}  # bytes: test_clean_input; hints come from readers: tests/readers
    # normalise.txt covers split's indentation too
    assert documented <= names


def test_fixture_files_parse_into_cases():
    assert len(CASES) >= 40
    assert all(c.expected for c in CASES)
