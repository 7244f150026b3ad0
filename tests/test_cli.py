"""The command line: help, usage errors (exit 2), input errors (one line, exit 1)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "paiban", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_help_lists_the_commands():
    out = run("--help")
    assert out.returncode == 0
    for command in ("inspect", "build", "preview", "check"):
        assert command in out.stdout


def test_unknown_edition_is_a_usage_error():
    out = run("build", "--edition", "zh-Latn")
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "paiban: unknown edition 'zh-Latn' (choose from zh-Hans, zh-Hant, zh-Hant-TW, zh-Hant-HK or all)"
    ]


def test_missing_input_is_one_line_naming_the_path(tmp_path):
    missing = tmp_path / "nope.txt"
    out = run("build", str(missing), "--out", str(tmp_path / "dist"))
    assert out.returncode == 1
    assert out.stderr.strip() == f"paiban: {missing}: no such file or folder"
    assert "Traceback" not in out.stderr


def test_folder_without_texts_is_one_line(tmp_path):
    out = run("build", str(tmp_path), "--out", str(tmp_path / "dist"))
    assert out.returncode == 1
    assert out.stderr.strip() == f"paiban: {tmp_path}: no texts (.txt, .docx, .md) in this folder"


def test_no_command_is_a_usage_error():
    assert run().returncode == 2
