"""One setting for every property test's example count.

``PAIBAN_FUZZ_EXAMPLES`` (default 50) is the number of whole-pipeline examples, the most
expensive property; every other property runs a fixed multiple of it (``examples(10)``), so one
variable turns the whole fuzz suite up for a campaign (``PAIBAN_FUZZ_EXAMPLES=2000 make test``)
or down, and their proportions stay as tuned.
"""

from __future__ import annotations

import os

BASE = int(os.environ.get("PAIBAN_FUZZ_EXAMPLES", "50"))


def examples(times: float = 1) -> int:
    """``times`` × the whole-pipeline count, at least 1."""
    return max(1, int(BASE * times))
