"""Worker processes (issue 15 §5): they die with the coordinator, one dead worker fails only
its own target, Ctrl-C is one line and exit 130, and a killed build's temporary files are
removed by the next build."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from projects import BODY, copy_project

import paiban.executor as executor_module
from paiban import build as build_module
from paiban.config import load


def text(title: str, paragraphs: int = 2) -> str:
    return f"{title}\n\n" + "\n\n".join([BODY] * paragraphs) + "\n"


@pytest.fixture
def proj(tmp_path) -> Path:
    titles = ["与时代同步", "与社会共进", "职工之家", "技能竞赛"]
    return copy_project(tmp_path, {f"t{i}.txt": text(title) for i, title in enumerate(titles)})


def children(pid: int) -> set[int]:
    """Live descendants of ``pid`` (from /proc)."""
    found, frontier = set(), {pid}
    while frontier:
        parent = frontier.pop()
        try:
            kids = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        for kid in map(int, kids):
            if kid not in found:
                found.add(kid)
                frontier.add(kid)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for(predicate, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def start_build(proj: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "paiban", "build", "--quiet", "--jobs", "2",
                             "--force", *args], cwd=proj, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_workers_die_with_the_main_process(proj):
    for i in range(4, 10):  # enough work that the workers are busy when the main one dies
        # Long enough that the build is still rendering when Ctrl-C comes (12 paragraphs
        # each finished first once, in a full test run).
        (proj / "seeds" / f"t{i}.txt").write_text(text(f"第{i}篇", 40), "utf-8")
    proc = start_build(proj)
    wait_for(lambda: len(children(proc.pid)) >= 2)
    workers = children(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)  # the main process only, as timeout(1) does
    proc.wait()
    wait_for(lambda: not any(alive(w) for w in workers), timeout=10)
    before = {p: p.stat().st_mtime_ns for p in (proj / "dist").rglob("*.pdf")}
    time.sleep(1.0)  # nothing may write a PDF after the main process is gone
    assert {p: p.stat().st_mtime_ns for p in (proj / "dist").rglob("*.pdf")} == before


def test_ctrl_c_is_one_line_and_exit_130(proj):
    for i in range(4, 10):
        # Long enough that the build is still rendering when Ctrl-C comes (12 paragraphs
        # each finished first once, in a full test run).
        (proj / "seeds" / f"t{i}.txt").write_text(text(f"第{i}篇", 40), "utf-8")
    proc = start_build(proj)
    wait_for(lambda: len(children(proc.pid)) >= 2)
    workers = children(proc.pid)
    time.sleep(0.5)  # the workers are rendering
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends the whole group on Ctrl-C
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err == "paiban: interrupted\n"
    wait_for(lambda: not any(alive(w) for w in workers), timeout=10)


def test_a_dead_worker_fails_only_its_target(proj, monkeypatch, capsys):
    real_run = executor_module.run

    def run(task):
        if task.target.text.name == "t2.txt" and task.target.edition == "zh-Hans":
            os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
        return real_run(task)

    monkeypatch.setattr(executor_module, "run", run)  # the forked workers inherit it
    cfg = load(proj / "pyproject.toml", jobs=2)
    code = build_module.build(cfg, (proj / "seeds",), quiet=True)
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    bad = proj / "seeds" / "t2.txt"
    assert err[:-1] == [f"paiban: {bad}: the worker process building it killed by SIGKILL "
                        "(out of memory?)"]
    assert "built 7 of 8 PDFs" in err[-1]
    record = json.loads((proj / "dist" / ".paiban-build.json").read_text("utf-8"))
    failed = [(t["text"], t["edition"]) for t in record["targets"] if t["error"]]
    assert failed == [("t2.txt", "zh-Hans")]
    assert (proj / "dist" / "t2" / "t2.zh-Hant.pdf").is_file()


def test_a_killed_builds_temporary_files_are_removed_by_the_next(proj):
    from paiban.targets import temp_prefix

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    folder = proj / "dist" / "t0"
    folder.mkdir(parents=True)
    pdf = folder / "zh-Hans.pdf"
    orphan = folder / f".zh-Hans.pdf.{dead.pid}.abcd1234.tmp"  # its writer is gone
    orphan.write_bytes(b"%PDF-1.7 half")
    live = folder / f"{temp_prefix(pdf)}efgh5678.tmp"  # this process's: a live build's
    live.write_bytes(b"%PDF-1.7 being written")
    result = subprocess.run([sys.executable, "-m", "paiban", "build", "--quiet", "--jobs", "1",
                             "--edition", "zh-Hans", str(proj / "seeds" / "t0.txt")], cwd=proj,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert not orphan.exists() and live.exists()


def test_a_build_in_this_process_leaves_nothing_frozen():
    # The one-process path warms up and freezes what is alive, for its own collections (the
    # collection after each document halves). The preview rebuilds in its own long-lived
    # process: the freeze must end with the build, or each rebuild would make everything
    # alive then, garbage included, uncollectable for good.
    import gc

    from paiban.executor import run_local

    gc.unfreeze()
    assert run_local([], 1, lambda result: None) == []
    assert gc.get_freeze_count() == 0


def test_a_cancelled_thread_renders_no_further_target_in_process(monkeypatch) -> None:
    # The preview builds its issue on its build thread (budget.cancellable), every article
    # in run_local's one-process loop: Ctrl-C must stop that loop, not only a make-up trial
    # (an article without trials was rendered and written, and the issue made, regardless).
    import threading

    from paiban import budget, executor

    ran = []
    monkeypatch.setattr(executor, "run", lambda task: ran.append(task))
    monkeypatch.setattr(executor, "_warm", lambda tags: None)
    tasks = [SimpleNamespace(target=SimpleNamespace(edition="zh-Hans"))] * 3
    event = threading.Event()
    event.set()
    with budget.cancellable(event), pytest.raises(budget.Cancelled):
        executor.run_local(tasks, 1, lambda result: None)
    assert ran == []
    assert len(executor.run_local(tasks, 1, lambda result: None)) == 3  # not cancellable here
