"""Golden snapshots of the cleaned seeds: ``python -m paiban.snapshots``.

In: every ``seeds/*.txt``. Out: ``tests/snapshots/<stem>.json``, the cleaned model as JSON
(``paiban.model.to_dict``), keeping only the article fields cleaning fills (``KEPT``): later
stages' fields (``stats``, ``hero``…) are theirs to test.
The tests in ``tests/clean/test_snapshots.py`` compare against these files; regenerate them
only on purpose, after a change to cleaning, and review the diff before committing it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from paiban.clean import read
from paiban.model import Article, to_dict

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
SNAPSHOTS = ROOT / "tests" / "snapshots"

KEPT = ("title", "subtitle", "subtitle_marker", "byline", "dateline", "kicker", "end_matter",
        "lang", "blocks", "report", "source", "stem", "title_line", "byline_line",
        "dateline_line", "kicker_line", "kicker_marker", "lines")
"""The article fields cleaning fills, in snapshot order."""


def snapshot(article: Article) -> str:
    """The JSON text of ``article``'s snapshot."""
    data = to_dict(article)
    assert isinstance(data, dict)
    data = {name: data[name] for name in KEPT}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the snapshot of every seed; print what changed."""
    SNAPSHOTS.mkdir(parents=True, exist_ok=True)
    for seed in sorted(SEEDS.glob("*.txt")):
        target = SNAPSHOTS / f"{seed.stem}.json"
        text = snapshot(read(seed))
        old = target.read_text("utf-8") if target.exists() else None
        if old == text:
            print(f"unchanged  {target.relative_to(ROOT)}")
            continue
        target.write_text(text, "utf-8")
        print(f"{'updated' if old else 'written'}    {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
