"""What `paiban build` says: one line per target off a terminal, -v warnings as they happen,
--strict failing on a warning (also when the target is up to date), --json for scripts, usage
errors before anything is built, and a closed pipe that is not an internal error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from paiban.outputs import output_path
from paiban.project import init_project

ROOT = Path(__file__).resolve().parents[2]
PAIBAN = [sys.executable, "-m", "paiban"]


def paiban(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*PAIBAN, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("mag")
    init_project(folder, publication="乡村周刊")
    (folder / "styles").mkdir()
    sheet = (ROOT / "styles" / "print.css").read_text("utf-8") + "\np {\n  colr: red;\n}\n"
    (folder / "styles" / "print.css").write_text(sheet, "utf-8")  # one CSS warning
    return folder


def test_lines_warnings_strict_and_json(project):
    first = paiban(project, "build", "--edition", "zh-Hans", "-v", "--strict", "--json")
    assert first.returncode == 1, first.stderr
    lines = first.stderr.splitlines()
    assert any(line.startswith("built sample zh-Hans feature: 1 page in ") for line in lines)
    assert any(line.startswith("warning: sample zh-Hans feature: ") and "colr" in line
               for line in lines), first.stderr
    summary = json.loads(first.stdout)
    assert summary["ok"] is False and summary["warnings"] >= 1 and summary["failures"] == 0
    assert summary["pages"] == 1 and summary["built"] == 1
    [target] = summary["targets"]
    assert target["pdf"] == str(output_path(project / "dist", "sample", "zh-Hans"))
    assert Path(target["pdf"]).read_bytes().startswith(b"%PDF")

    # Up to date: nothing rebuilt, but its warning still counts under --strict.
    again = paiban(project, "build", "--edition", "zh-Hans", "--strict")
    assert again.returncode == 1 and "1 up to date" in again.stderr
    assert "warning" in again.stderr and "--strict" in again.stderr
    plain = paiban(project, "build", "--edition", "zh-Hans")
    assert plain.returncode == 0 and "(-v shows them)" in plain.stdout


@pytest.mark.parametrize("args, message", [
    (["build", "--layout", "nope"], "unknown layout 'nope' (choose from feature, report)"),
    (["build", "--edition", "zh-Latn"], "unknown edition 'zh-Latn'"),
    (["preview", "--layout", "nope"], "unknown layout 'nope'"),
])
def test_unknown_layout_or_edition_is_a_usage_error_before_building(tmp_path, args, message):
    init_project(tmp_path / "p")
    result = paiban(tmp_path / "p", *args)
    assert result.returncode == 2 and message in result.stderr
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "p" / "dist").exists()


def test_a_closed_pipe_is_not_an_internal_error():
    seed = ROOT / "seeds" / "002_cac0cc1532234b7e.txt"
    cmd = " ".join([*PAIBAN, "inspect", str(seed), "--json"]) + " | head -1"
    result = subprocess.run(["bash", "-c", "set -o pipefail; " + cmd], capture_output=True,
                            text=True, timeout=120)
    assert result.stdout == "{\n"
    assert result.stderr == ""  # no "internal error", no traceback
