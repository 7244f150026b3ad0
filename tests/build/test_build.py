"""``paiban build`` end to end on a copy of the project: outputs, cache, determinism, faults."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from paiban.outputs import output_path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _copy_project(dest: Path) -> Path:
    for name in ("layout", "styles", "fonts"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "pyproject.toml", dest / "pyproject.toml")
    (dest / "seeds").mkdir()
    for seed in SEEDS:
        shutil.copy(seed, dest / "seeds" / seed.name)
        sidecar = seed.with_suffix(".toml")
        if sidecar.is_file():
            shutil.copy(sidecar, dest / "seeds" / sidecar.name)
    return dest


def paiban(proj: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "paiban", "build", "--quiet", *args], cwd=proj,
                          capture_output=True, text=True, timeout=600)


def _pdfs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.pdf"))}


def _record(out: Path) -> dict:
    return json.loads((out / ".paiban-build.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    proj = _copy_project(tmp_path_factory.mktemp("proj"))
    result = paiban(proj, "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return proj


def test_every_text_and_edition_is_built_with_its_html_and_an_index(built):
    out = built / "dist"
    for seed in SEEDS:
        for edition in ("zh-Hans", "zh-Hant"):
            pdf = output_path(out, seed.stem, edition)
            assert pdf.read_bytes().startswith(b"%PDF-") and pdf.read_bytes().rstrip().endswith(b"%%EOF")
            html = output_path(out, seed.stem, edition, suffix="html").read_text("utf-8")
            assert f'lang="{edition}"' in html and "../_assets/styles/" in html
    index = (out / "index.html").read_text("utf-8")
    assert index.count(".pdf") == 2 * len(SEEDS)
    # the HTML's stylesheet links resolve inside dist/
    for href in ("feature.css",):
        assert (out / "_assets" / "styles" / href).is_file()
    assert not list(out.rglob(".*.tmp"))


def test_nothing_changed_means_nothing_rendered(built):
    before = _pdfs(built / "dist")
    result = paiban(built, "--jobs", "1")
    assert result.returncode == 0
    assert all(t["cached"] for t in _record(built / "dist")["targets"])
    assert _pdfs(built / "dist") == before


def test_editing_one_text_rebuilds_only_its_editions(built, tmp_path):
    proj = _copy_project(tmp_path / "p")
    assert paiban(proj, "--jobs", "1").returncode == 0
    text = proj / "seeds" / SEEDS[0].name
    text.write_text(text.read_text("utf-8") + "\n补记一段文字。\n", "utf-8")
    assert paiban(proj, "--jobs", "1").returncode == 0
    rebuilt = {(t["text"], t["edition"]) for t in _record(proj / "dist")["targets"] if not t["cached"]}
    assert rebuilt == {(SEEDS[0].name, "zh-Hans"), (SEEDS[0].name, "zh-Hant")}


def test_builds_are_byte_identical_serial_or_parallel(built):
    result = paiban(built, "--jobs", "2", "--force", "--out", "dist-parallel")
    assert result.returncode == 0, result.stderr
    assert _pdfs(built / "dist-parallel") == _pdfs(built / "dist")


def test_a_failing_text_does_not_stop_the_others_and_keeps_its_old_pdf(built, tmp_path):
    proj = _copy_project(tmp_path / "p")
    assert paiban(proj, "--jobs", "1").returncode == 0
    bad = proj / "seeds" / SEEDS[0].name
    good_before = (output_path(proj / "dist", bad.stem, "zh-Hans")).read_bytes()
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    result = paiban(proj, "--jobs", "1")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert any(str(bad) in line or bad.name in line for line in lines[:-1])
    assert "failed" in lines[-1] and "Traceback" not in result.stderr
    assert (output_path(proj / "dist", bad.stem, "zh-Hans")).read_bytes() == good_before
    others = [t for t in _record(proj / "dist")["targets"] if t["text"] != bad.name]
    assert others and all(not t["error"] for t in others)


def test_unwritable_output_folder_is_one_clear_line(built, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = paiban(built, "--out", str(blocker / "dist"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"paiban: {blocker / 'dist'}: cannot write to the output folder: Not a directory"
    ]


def test_a_killed_build_leaves_no_truncated_pdf(built, tmp_path):
    proj = _copy_project(tmp_path / "p")
    assert paiban(proj, "--jobs", "1").returncode == 0
    before = _pdfs(proj / "dist")
    proc = subprocess.Popen([sys.executable, "-m", "paiban", "build", "--quiet", "--force",
                             "--jobs", "1"], cwd=proj, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2.0)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    after = _pdfs(proj / "dist")
    assert after.keys() == before.keys()
    for name, data in after.items():
        assert data.rstrip().endswith(b"%%EOF"), name


def test_two_builds_at_once_into_one_folder(built, tmp_path):
    proj = _copy_project(tmp_path / "p")
    procs = [subprocess.Popen([sys.executable, "-m", "paiban", "build", "--quiet", "--jobs", "1",
                               "--force"], cwd=proj, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for proc in procs:
        assert proc.wait(timeout=600) == 0, proc.stderr.read()
    assert _pdfs(proj / "dist") == _pdfs(built / "dist")
    assert not list((proj / "dist").rglob(".*.tmp"))


def test_no_makeup_lays_each_article_out_once_and_is_its_own_build(built, tmp_path):
    """``--no-makeup`` (config ``makeup = false``): seed 002 keeps the page-2 hole (5 lines)
    the make-up pass closes, the cache does not take one build for the other, and ``paiban
    check`` says the hole is there."""
    seed = next(s for s in SEEDS if s.stem.startswith("002"))
    proj = _copy_project(tmp_path / "proj")
    first = paiban(proj, "--jobs", "1", "--edition", "zh-Hans", str(proj / "seeds" / seed.name))
    assert first.returncode == 0, first.stderr
    made_up = output_path(proj / "dist", seed.stem, "zh-Hans").read_bytes()
    assert made_up == output_path(built / "dist", seed.stem, "zh-Hans").read_bytes()
    draft = paiban(proj, "--jobs", "1", "--edition", "zh-Hans", "--no-makeup",
                   str(proj / "seeds" / seed.name))
    assert draft.returncode == 0, draft.stderr
    assert [t["cached"] for t in _record(proj / "dist")["targets"]] == [False]
    pdf = output_path(proj / "dist", seed.stem, "zh-Hans")
    assert pdf.read_bytes() != made_up
    check = subprocess.run([sys.executable, "-m", "paiban", "check", str(pdf)], cwd=proj,
                           capture_output=True, text=True, timeout=600)
    assert check.returncode == 1 and "page 2, column 2: 5 lines" in check.stdout
