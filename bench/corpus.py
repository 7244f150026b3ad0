"""A synthetic corpus of articles of varied shape, for measuring page make-up (issue 16).

Run: ``.venv/bin/python bench/corpus.py DEST [--count 120]`` writes DEST/c001.txt … Each text is
raw copy as the seeds are (title, deck, then blank-line separated paragraphs, headings,
``——`` subheads and photo captions set off by extra blank lines), recombined from the seeds'
own lines as paiban's cleaning classifies them, in four shapes taken in turn:

- ``short``: a news item, 3-7 paragraphs, at most one photo;
- ``long``: a feature of 4-7 sections with subheads, a photo every few sections;
- ``figures``: 6-11 photos, some standing together (a row), few paragraphs between;
- ``boxes``: sections of paragraphs rich in figures, so each section gets its 数说 box.

Deterministic: text i is made from ``random.Random(i)``.

``bench/corpus.py --measure DIR`` measures every PDF under DIR with ``paiban check``: how many
columns (on pages before each article's last) end 0, 1, 2, 3+ lines short of the text block's
foot, how far apart the last page's columns end, and the share of loose lines.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHAPES = ("short", "long", "figures", "boxes")


def pools() -> dict[str, list[str]]:
    """The seeds' raw lines by kind: paragraph, section, subhead, caption."""
    out: dict[str, list[str]] = {"paragraph": [], "section": [], "subhead": [], "caption": [],
                                 "title": [], "deck": []}
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        raw = seed.read_text("utf-8").splitlines()
        model = json.loads(subprocess.run(
            [sys.executable, "-m", "paiban", "inspect", "--json", str(seed)],
            capture_output=True, text=True, check=True).stdout)
        out["title"].append(model["title"])
        out["deck"].append("——" + model["subtitle"])
        for block in model["blocks"]:
            line = block.get("line")
            if not line:
                continue
            text = raw[line - 1].strip()
            kind = block["kind"]
            if kind == "paragraph" and not block.get("fragment") and len(text) > 30:
                out["paragraph"].append(text)
            elif kind == "heading":
                out["section" if block.get("level") == 1 else "subhead"].append(text)
            elif kind == "figure":
                out["caption"].append(text)
    return out


def _figure(rng: random.Random, pool: dict, count: int = 1) -> list[str]:
    return ["\n\n" + "\n\n\n\n".join(rng.sample(pool["caption"], count)) + "\n\n"]


def article(i: int, pool: dict) -> str:
    rng = random.Random(i)
    shape = SHAPES[i % len(SHAPES)]
    paras = pool["paragraph"]
    rich = sorted(paras, key=lambda p: -len(re.findall(r"\d+", p)))[:max(8, len(paras) // 3)]
    body: list[str] = []
    if shape == "short":
        body += rng.sample(paras, rng.randint(3, 7))
        if rng.random() < 0.5:
            body[rng.randint(1, len(body) - 1):0] = _figure(rng, pool)
    elif shape == "long":
        body.append(rng.choice(paras))
        for s in range(rng.randint(4, 7)):
            body.append(rng.choice(pool["section"]))
            for _ in range(rng.randint(1, 3)):
                if rng.random() < 0.7:
                    body.append(rng.choice(pool["subhead"]))
                body += rng.sample(paras, rng.randint(1, 3))
            if s % 2 == 1:
                body += _figure(rng, pool, rng.choice((1, 1, 2)))
    elif shape == "figures":
        body.append(rng.choice(paras))
        for _ in range(rng.randint(4, 7)):
            body += _figure(rng, pool, rng.choice((1, 1, 2, 3)))
            body += rng.sample(paras, rng.randint(1, 3))
    else:
        body.append(rng.choice(rich))
        for _ in range(rng.randint(2, 5)):
            body.append(rng.choice(pool["section"]))
            body += rng.sample(rich, rng.randint(2, 4))
    title = f"{rng.choice(pool['title'])}（{i + 1:03d}）"
    return "\n\n".join([title, rng.choice(pool["deck"]), *body]) + "\n"


COLUMN_LINES = 42
"""Lines in a full column of the feature (its text block, 244.5 mm, over its 22 px pitch)."""
SPARSE_SHORT = COLUMN_LINES - 12
"""A last page whose every column ends this many lines short or more holds 12 lines a column
or fewer (``render/feet.py``'s ``SAVE_LINES``): a page the make-up pass tries to save."""


def measure(folder: Path, pattern: str = "*.pdf") -> dict:
    """Make-up figures of every PDF under ``folder`` whose name matches ``pattern``."""
    from collections import Counter

    from paiban import check

    short: Counter[str] = Counter()
    spread: Counter[str] = Counter()
    apart: Counter[str] = Counter()  # whole lines apart (1.2 level), as check's warning counts
    lines = loose = pdfs = pages = 0
    holes, sparse = [], []
    for pdf in sorted(folder.rglob(pattern)):
        result = check.measure(pdf)
        pdfs += 1
        for foot in result.column_feet:
            if foot.page < result.pages - 1:
                short[str(min(foot.short, 3)).replace("3", "3+")] += 1
        for foot in result.holes:
            holes.append(f"{pdf.relative_to(folder)} p{foot.page + 1}: {foot.short} lines")
        last = [f for f in result.column_feet if f.page == result.pages - 1]
        if len(last) > 1:
            spread["≤1" if result.last_page_spread <= 1 else ">1"] += 1
            apart["≤1" if result.last_page_apart <= 1 else ">1"] += 1
        if result.pages > 1 and last and min(f.short for f in last) >= SPARSE_SHORT:
            sparse.append(f"{pdf.relative_to(folder)}: "
                          f"{[COLUMN_LINES - f.short for f in last]} lines")
        pages += result.pages
        lines += result.justified_lines
        loose += result.loose_lines
    return {"pdfs": pdfs, "pages": pages,
            "columns short by (lines)": dict(sorted(short.items())),
            "holes": holes, "last page columns within one line": dict(spread),
            "last page columns within one whole line (check's warning)": dict(apart),
            "loose lines (> 0.2 em)": f"{loose}/{lines} ({loose / max(lines, 1):.2%})",
            "sparse last pages (12 lines a column or fewer)": sparse}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--count", type=int, default=120)
    parser.add_argument("--measure", action="store_true", help="measure the PDFs under DEST")
    parser.add_argument("--pdfs", default="*.pdf", help="which PDFs to measure (e.g. zh-Hans.pdf)")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.dest, args.pdfs), ensure_ascii=False, indent=1))
        return 0
    args.dest.mkdir(parents=True, exist_ok=True)
    pool = pools()
    for i in range(args.count):
        (args.dest / f"c{i + 1:03d}.txt").write_text(article(i, pool), "utf-8")
    print(f"{args.count} texts in {args.dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
