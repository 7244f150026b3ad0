"""Benchmark: a synthetic magazine issue of N articles built in zh-Hans and zh-Hant.

Run with ``make bench`` (or ``.venv/bin/python bench/run.py [--articles 100] [--quick]``).
Not part of the tests: timing on a shared 2-core machine is noisy, so targets are reported, not
asserted.

In: the seeds in seeds/, the project's layout/, styles/, fonts/.
Out: a table on stdout and ``bench/results/<UTC timestamp>.json`` (compare against the committed
``bench/results/baseline.json``). Measures, in one run:

- a cold build with ``--jobs 1`` and with ``--jobs 2`` (speed-up; outputs byte-identical), with
  the stage seconds summed over both builds' targets: equal sums mean each document cost the
  same in both, and the speed-up's distance from 2 is start-up, idle workers or the machine;
- pages per second; seconds per stage (clean, stats, convert, template, layout, write), summed
  over targets, and the share of the build spent outside WeasyPrint's layout and PDF writing;
- peak memory (max RSS) of the worker processes;
  (stages also include "free": the collection between documents that bounds that memory);
- a rebuild with nothing changed, and after editing one article;
- plain WeasyPrint (its own command line, one process per file) on the same HTML files, and the
  ratio of that time to paiban's build.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n") if p.strip()]


def make_issue(dest: Path, count: int) -> list[Path]:
    """Write ``count`` distinct articles made by recombining the seeds' paragraphs."""
    seeds = [paragraphs(p.read_text("utf-8")) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    pool = [p for s in seeds for p in s[2:] if len(p) > 40]
    out = []
    for i in range(count):
        rng = random.Random(i)
        base = seeds[i % len(seeds)]
        title, deck, body = base[0], base[1], list(base[2:])
        for j, para in enumerate(body):
            if len(para) > 40 and rng.random() < 0.35:
                body[j] = rng.choice(pool)
        # Shuffle long paragraphs among themselves; short lines (headings, captions) stay put.
        slots = [j for j, p in enumerate(body) if len(p) > 40]
        moved = [body[j] for j in slots]
        rng.shuffle(moved)
        for j, para in zip(slots, moved):
            body[j] = para
        text = "\n\n".join([f"{title}之{i + 1:03d}", deck, *body]) + "\n"
        path = dest / f"a{i + 1:03d}.txt"
        path.write_text(text, "utf-8")
        out.append(path)
    return out


def project_copy(tmp: Path) -> Path:
    proj = tmp / "project"
    for name in ("layout", "styles", "fonts"):
        shutil.copytree(ROOT / name, proj / name)
    shutil.copy(ROOT / "pyproject.toml", proj / "pyproject.toml")
    (proj / "seeds").mkdir()
    return proj


def paiban(proj: Path, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([str(VENV_BIN / "paiban"), "build", "--quiet", *args], cwd=proj, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def record(out: Path) -> dict:
    return json.loads((out / ".paiban-build.json").read_text("utf-8"))


def stage_sums(out: Path) -> dict[str, float]:
    """Seconds per stage summed over the targets of the build in ``out``."""
    stages: dict[str, float] = {}
    for t in record(out)["targets"]:
        for name, sec in t["stages"].items():
            stages[name] = stages.get(name, 0.0) + sec
    return stages


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=100)
    ap.add_argument("--no-makeup", action="store_true",
                    help="build without the make-up pass (as the baseline, made before it)")
    ap.add_argument("--quick", action="store_true",
                    help="plain WeasyPrint on 10 files only (ratio extrapolated)")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="paiban-bench-"))
    proj = project_copy(tmp)
    texts = make_issue(proj / "seeds", args.articles)
    editions = ("--edition", "zh-Hans", "--edition", "zh-Hant")
    if args.no_makeup:
        editions += ("--no-makeup",)
    results: dict = {"articles": args.articles, "editions": 2, "makeup": not args.no_makeup,
                     "date": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}

    t1 = paiban(proj, *editions, "--jobs", "1", "--out", "dist1")
    t2 = paiban(proj, *editions, "--jobs", "2", "--out", "dist2")
    rec = record(proj / "dist2")
    pdfs = sorted((proj / "dist1").rglob("*.pdf"))
    identical = all(filecmp.cmp(p, proj / "dist2" / p.relative_to(proj / "dist1"), shallow=False)
                    for p in pdfs)
    pages = sum(t["pages"] for t in rec["targets"])
    stages = stage_sums(proj / "dist1")
    stages2 = stage_sums(proj / "dist2")
    total_stage = sum(stages.values()) or 1.0
    outside = 1 - (stages.get("layout", 0) + stages.get("write", 0)) / total_stage
    rss = max(t["max_rss_kb"] for t in rec["targets"]) / 1024

    t_nochange = paiban(proj, *editions, "--out", "dist2")
    edited = texts[len(texts) // 2]
    edited.write_text(edited.read_text("utf-8") + "\n补记一段。\n", "utf-8")
    t_onechange = paiban(proj, *editions, "--out", "dist2")
    rebuilt = sum(not t["cached"] for t in record(proj / "dist2")["targets"])

    htmls = sorted((proj / "dist1").glob("*/*.html"))
    sample = htmls[:10] if args.quick else htmls
    started = time.perf_counter()
    for html in sample:
        subprocess.run([str(VENV_BIN / "weasyprint"), str(html), str(tmp / "plain.pdf")],
                       check=True, stderr=subprocess.DEVNULL)
    plain = (time.perf_counter() - started) * len(htmls) / len(sample)

    results.update({
        "targets": len(pdfs), "pages": pages,
        "build_jobs1_s": round(t1, 2), "build_jobs2_s": round(t2, 2),
        "speedup_2_jobs": round(t1 / t2, 2), "identical_jobs1_jobs2": identical,
        "pages_per_s_jobs2": round(pages / t2, 1),
        "stage_seconds_jobs1": {k: round(v, 2) for k, v in stages.items()},
        # The same work done by two workers at once: how much slower each document got (the
        # machine's shared caches and memory), and how much of the 2 x wall time was rendering.
        "stage_sum_jobs1_s": round(total_stage, 2),
        "stage_sum_jobs2_s": round(sum(stages2.values()), 2),
        "worker_busy_share_jobs2": round(sum(stages2.values()) / (2 * t2), 3),
        "share_outside_weasyprint": round(outside, 3),
        "peak_rss_worker_mb": round(rss, 1),
        "rebuild_nochange_s": round(t_nochange, 2),
        "rebuild_one_changed_s": round(t_onechange, 2), "rebuilt_targets": rebuilt,
        "plain_weasyprint_s": round(plain, 2), "plain_extrapolated": args.quick,
        "plain_over_paiban_jobs1": round(plain / t1, 2),
        "plain_over_paiban_jobs2": round(plain / t2, 2),
    })
    targets = {
        "speedup_2_jobs": ("≥ 1.8", results["speedup_2_jobs"] >= 1.8),
        "share_outside_weasyprint": ("≤ 0.10", outside <= 0.10),
        "rebuild_nochange_s": ("< 1.5", t_nochange < 1.5),
        "rebuild_one_changed_s": ("< 2.0", t_onechange < 2.0),
        "peak_rss_worker_mb": ("< 400", rss < 400),
    }
    width = max(map(len, results))
    for key, value in results.items():
        mark = ""
        if key in targets:
            mark = f"   target {targets[key][0]}: {'ok' if targets[key][1] else 'MISSED'}"
        print(f"{key:<{width}}  {value}{mark}")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = results["date"].replace(":", "").replace("-", "")
    (out / f"{stamp}.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
