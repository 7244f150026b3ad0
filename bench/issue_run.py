"""Benchmark: a synthetic 24-article issue in two editions (issue 17).

Run with ``.venv/bin/python bench/issue_run.py [--articles 24]`` (``make bench`` runs it after
bench/run.py). Reports, from one run: the cold build; a rebuild after editing one article
without changing its page count; a rebuild after one article gains a page (the articles after
it move and are rendered again). Noisy machine: figures are reported, not asserted.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import VENV_BIN, make_issue, project_copy  # noqa: E402


def issue(proj: Path) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([str(VENV_BIN / "paiban"), "issue", "--edition", "zh-Hans",
                           "--edition", "zh-Hant"], cwd=proj, check=True, capture_output=True,
                          text=True)
    return time.perf_counter() - started, done.stdout.strip()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=24)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        proj = project_copy(Path(tmp))
        texts = make_issue(proj / "seeds", args.articles)
        (proj / "issue.toml").write_text(
            '[issue]\nname = "基准期"\nslug = "bench"\narticles = [' +
            ", ".join(f'"seeds/{t.name}"' for t in texts) + "]\n", "utf-8")
        figures = {}
        figures["cold"], out = issue(proj)
        print(f"cold: {figures['cold']:.1f} s\n{out}")
        middle = texts[len(texts) // 2]
        text = middle.read_text("utf-8")
        middle.write_text(text.replace("。", "，", 1), "utf-8")  # same length, same pages
        figures["one_same_pages"], out = issue(proj)
        print(f"one article edited, same pages: {figures['one_same_pages']:.1f} s\n{out}")
        first = texts[1]
        body = first.read_text("utf-8")
        first.write_text(body + "\n\n" + "\n\n".join(
            f"补记第{i}段：" + "职工服务阵地遍布城乡，劳动者的获得感不断增强。" * 3
            for i in range(30)) + "\n", "utf-8")
        figures["one_more_pages"], out = issue(proj)
        print(f"article 2 gains pages: {figures['one_more_pages']:.1f} s\n{out}")
    print(json.dumps({k: round(v, 2) for k, v in figures.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
