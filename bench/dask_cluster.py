"""Benchmark: the same synthetic issue built with ``--jobs 2`` and on a Dask LocalCluster of
two single-threaded worker processes (``--executor dask://…``) on this machine: the overhead of
going through the scheduler.

Run with ``.venv/bin/python bench/dask_cluster.py [--articles 20]`` (needs the dask extra,
which ``make setup`` installs). Not part of the tests: timing on a shared machine is noisy.
The cluster listens on the loopback only. Prints both times, pages per second and whether the
PDFs are byte-identical; writes nothing outside a temporary folder.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import make_issue, paiban, project_copy, record  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=1, help="alternate the two builds this often")
    args = ap.parse_args()
    from distributed import LocalCluster

    tmp = Path(tempfile.mkdtemp(prefix="paiban-bench-dask-"))
    proj = project_copy(tmp)
    make_issue(proj / "seeds", args.articles)
    editions = ("--edition", "zh-Hans", "--edition", "zh-Hant")
    times: dict[str, list[float]] = {"jobs2": [], "dask": []}
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        executor = "dask://" + cluster.scheduler_address.removeprefix("tcp://")
        for _ in range(args.rounds):
            times["jobs2"].append(paiban(proj, *editions, "--force", "--jobs", "2",
                                         "--out", "dist-jobs2"))
            times["dask"].append(paiban(proj, *editions, "--force", "--executor", executor,
                                        "--out", "dist-dask"))
    pages = sum(t["pages"] for t in record(proj / "dist-jobs2")["targets"])
    pdfs = sorted((proj / "dist-jobs2").glob("*/*.pdf"))
    identical = all(filecmp.cmp(p, proj / "dist-dask" / p.relative_to(proj / "dist-jobs2"),
                                shallow=False) for p in pdfs)
    best = {k: min(v) for k, v in times.items()}
    result = {
        "articles": args.articles, "targets": len(pdfs), "pages": pages,
        "jobs2_s": [round(t, 2) for t in times["jobs2"]],
        "dask_local_cluster_s": [round(t, 2) for t in times["dask"]],
        "pages_per_s_jobs2": round(pages / best["jobs2"], 1),
        "pages_per_s_dask": round(pages / best["dask"], 1),
        "dask_over_jobs2": round(best["dask"] / best["jobs2"], 2),
        "identical": identical,
    }
    print(json.dumps(result, indent=1))
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
