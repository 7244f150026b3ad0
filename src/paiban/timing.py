"""Per-stage timing, for the build summary file and the benchmark.

In: ``with stage("layout"): ...`` around each stage's work.
Out: ``take()`` returns seconds spent per stage in this process since the last ``take()``.
Process-global on purpose: each worker process renders one target at a time.
"""

from __future__ import annotations

import time
from collections import defaultdict
from contextlib import contextmanager
from typing import Iterator

STAGES = ("clean", "stats", "convert", "template", "layout", "write", "free")

_spent: defaultdict[str, float] = defaultdict(float)


@contextmanager
def stage(name: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        _spent[name] += time.perf_counter() - started


def take() -> dict[str, float]:
    """Seconds per stage since the last call, and reset."""
    out = {name: round(_spent.get(name, 0.0), 6) for name in STAGES}
    _spent.clear()
    return out
