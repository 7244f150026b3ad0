"""Precision and recall of extracted figure values against a hand-made list.

Values are compared as a multiset: the same value written twice in the text (12个 service
stations of two kinds) must be found twice.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Score:
    true_positives: int
    found: int
    expected: int
    missed: tuple[str, ...]
    spurious: tuple[str, ...]

    @property
    def precision(self) -> float:
        return self.true_positives / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0

    def __str__(self) -> str:
        return (f"precision {self.precision:.3f} recall {self.recall:.3f} "
                f"({self.true_positives}/{self.found} found, {self.expected} expected; "
                f"missed {list(self.missed)}, spurious {list(self.spurious)})")


def score(found: list[str], expected: list[str]) -> Score:
    f, e = Counter(found), Counter(expected)
    hit = f & e
    return Score(
        true_positives=sum(hit.values()),
        found=sum(f.values()),
        expected=sum(e.values()),
        missed=tuple((e - f).elements()),
        spurious=tuple((f - e).elements()),
    )
