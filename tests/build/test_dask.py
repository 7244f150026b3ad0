"""The Dask executor (issue 18): a LocalCluster of two worker processes on the loopback,
started and stopped here, builds the seeds byte-identically to the local build; a worker with
other fonts fails the target with one line naming the difference."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from paiban import build as build_module
from paiban.config import load

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def proj(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("dask")
    for name in ("layout", "styles", "fonts", "seeds"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "pyproject.toml", dest / "pyproject.toml")
    return dest


@pytest.fixture(scope="module")
def cluster():
    import dask

    # A task the scheduler saw lose its worker twice is given up (and reported); a worker
    # holds only the task it runs, so only that one is blamed when the worker dies.
    with dask.config.set({"distributed.scheduler.allowed-failures": 1,
                          "distributed.scheduler.worker-saturation": 1.0}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      host="127.0.0.1", dashboard_address=None) as cluster:
            yield cluster


def pdfs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes()
            for p in sorted(out.glob("*/*")) if p.suffix in (".pdf", ".html")}


def test_a_local_cluster_builds_the_seeds_byte_identically(proj, cluster, capsys):
    local = load(proj / "pyproject.toml", jobs=1, out="dist-local")
    assert build_module.build(local, (proj / "seeds",), quiet=True) == 0
    port = cluster.scheduler_address.rsplit(":", 1)[1]
    on_dask = load(proj / "pyproject.toml", out="dist-dask", executor=f"dask://127.0.0.1:{port}")
    assert build_module.build(on_dask, (proj / "seeds",), quiet=True) == 0, capsys.readouterr()
    built = pdfs(proj / "dist-dask")
    assert len(built) == 2 * 2 * len(SEEDS)
    assert built == pdfs(proj / "dist-local")
    # the coordinator recorded the cache: nothing to do the second time
    assert build_module.build(on_dask, (proj / "seeds",), quiet=True) == 0
    assert "4 up to date" in capsys.readouterr().out


def test_a_worker_with_other_fonts_fails_the_target_in_one_line(proj):
    from paiban import executor
    from paiban.inputs import read_text
    from paiban.targets import Target, read_theme

    cfg = load(proj / "pyproject.toml")
    theme = read_theme(cfg)
    text = SEEDS[0]
    found = read_text(proj / "seeds" / text.name, cfg)
    task = executor.Task(Target(found.path, "zh-Hans", "feature"), cfg, "k", "c", found.text,
                         found.sidecar, (), (), theme,
                         fonts=(("Noto Serif CJK SC", "NotoSerifCJK-Regular.ttc 1 bytes "
                                 "sha256:0000"),))
    result = executor.run(task)
    assert result.pdf is None
    assert result.error.startswith("worker ") and "differs from this build's machine: Noto " \
        "Serif CJK SC is NotoSerifCJK-Regular.ttc" in result.error
    assert result.error.endswith("1 bytes sha256:0000 on the build's machine; install the "
                                 "same fonts-noto-cjk on every worker")


def test_an_unreachable_scheduler_is_one_line(proj, capsys):
    import socket

    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    from paiban import cli

    code = cli.main(["--config", str(proj / "pyproject.toml"), "build", "--quiet", "--force",
                     "--out", str(proj / "dist-none"), "--executor", f"dask://127.0.0.1:{port}"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1
    assert err[0].startswith(f"paiban: dask://127.0.0.1:{port}: cannot reach the Dask scheduler")


def test_a_lost_worker_is_retried_and_a_target_lost_twice_is_reported(proj, cluster, tmp_path,
                                                                       capsys):
    once, always = SEEDS[0].stem + "-zh-Hans-", SEEDS[1].stem + "-zh-Hant-"
    marker = tmp_path / "killed-once"

    class Killer(distributed.WorkerPlugin):
        """Kills its worker process when it starts one of two tasks: the first once only."""

        def transition(self, key, start, finish, **kwargs):
            import os

            if finish != "executing" or not isinstance(key, str):
                return
            if once in key and not marker.exists():
                marker.write_text("x")
                os._exit(1)
            if always in key:
                os._exit(1)

    with distributed.Client(cluster) as client:
        client.register_plugin(Killer(), name="killer")
        try:
            port = cluster.scheduler_address.rsplit(":", 1)[1]
            cfg = load(proj / "pyproject.toml", out="dist-lost",
                       executor=f"dask://127.0.0.1:{port}")
            code = build_module.build(cfg, (proj / "seeds",), quiet=True)
        finally:
            client.unregister_worker_plugin("killer")
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and marker.exists()
    assert "built 3 of 4 PDFs" in err[-1], err
    errors = [line for line in err[:-1] if line.startswith(f"paiban: {proj / 'seeds'}")]
    assert len(errors) == 1 and SEEDS[1].name in errors[0]
    assert "failed on the Dask cluster: KilledWorker" in errors[0]
    assert (proj / "dist-lost" / SEEDS[0].stem / f"{SEEDS[0].stem}.zh-Hans.pdf").is_file()


def test_a_markdown_text_with_photos_and_a_project_profile_on_the_cluster(cluster, tmp_path):
    """The photos a Markdown text links and the project's own output profile go with the task
    (``test_remote.py`` shows a task needs no project folder): the same bytes on the cluster."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from test_remote import make_project

    proj = make_project(tmp_path / "md", profile=True)
    # Into the same folder (a brought photo's PDF names the folder it is written to).
    local = load(proj / "pyproject.toml", jobs=1)
    assert build_module.build(local, (proj / "seeds",), quiet=True) == 0
    (proj / "dist").rename(proj / "dist-local")
    port = cluster.scheduler_address.rsplit(":", 1)[1]
    on_dask = load(proj / "pyproject.toml", executor=f"dask://127.0.0.1:{port}")
    assert build_module.build(on_dask, (proj / "seeds",), quiet=True) == 0
    built = pdfs(proj / "dist")
    assert len(built) == 4 and built == pdfs(proj / "dist-local")
    photos = sorted((proj / "dist" / "_assets" / "photos" / "feature").iterdir())
    assert len(photos) == 2
