"""Missing fonts and system libraries: one clear line each with what to do.

tests/build/test_build.py covers killed builds, concurrent builds, a failing text and an
unwritable output folder.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import paiban.render.pdf as pdf_module
from paiban.outputs import output_path

from robust_helpers import GOOD, cli_build, copy_project, write_text


@pytest.fixture
def proj(tmp_path) -> Path:
    proj = copy_project(tmp_path / "p")
    write_text(proj, "a.txt", GOOD)
    write_text(proj, "b.txt", GOOD.replace("与时代同步", "与时俱进"))
    return proj


def test_a_font_that_is_not_installed_is_one_line_naming_the_package(proj, capsys):
    fonts = proj / "fonts" / "fonts.toml"
    fonts.write_text(fonts.read_text("utf-8").replace('serif = "Noto Serif CJK SC"',
                                                      'serif = "Noto Serif CJK XX"'), "utf-8")
    run = cli_build(proj, capsys, "--edition", "zh-Hans")
    assert run.code == 1
    assert run.lines[:-1] == [f"paiban: {fonts}: font 'Noto Serif CJK XX' for zh-Hans is not "
                              "installed: apt-get install fonts-noto-cjk"]
    assert "0 of 2 PDFs" in run.lines[-1] and "Traceback" not in run.err


def test_the_other_edition_still_builds_when_one_font_is_missing(proj, capsys):
    fonts = proj / "fonts" / "fonts.toml"
    fonts.write_text(fonts.read_text("utf-8").replace('sans = "Noto Sans CJK TC"',
                                                      'sans = "Nowhere Sans"', 1), "utf-8")
    run = cli_build(proj, capsys, "--edition", "zh-Hans", "--edition", "zh-Hant")
    assert run.code == 1
    assert len(run.lines) == 2 and "'Nowhere Sans' for zh-Hant" in run.lines[0]
    assert "2 of 4 PDFs" in run.lines[-1]
    assert (output_path(proj / "dist", "a", "zh-Hans")).is_file()
    assert not (output_path(proj / "dist", "a", "zh-Hant")).exists()


def test_missing_harfbuzz_subset_is_a_warning_line(proj, capsys, monkeypatch):
    monkeypatch.setattr(pdf_module, "harfbuzz_subset_available", lambda: False)
    run = cli_build(proj, capsys, "--edition", "zh-Hans")
    assert run.code == 0, run.err
    assert run.lines == ["paiban: warning: libharfbuzz-subset is missing; font subsetting falls "
                         "back to fontTools (~10 s per PDF). Install it: apt-get install "
                         "libharfbuzz-subset0"]
    assert (output_path(proj / "dist", "a", "zh-Hans")).read_bytes().startswith(b"%PDF-")


def test_with_harfbuzz_subset_there_is_no_warning(proj, capsys, monkeypatch):
    monkeypatch.setattr(pdf_module, "harfbuzz_subset_available", lambda: True)
    run = cli_build(proj, capsys, "--edition", "zh-Hans")
    assert run.code == 0 and run.err == ""


NO_PANGO = textwrap.dedent("""\
    import sys

    class NoPango:
        # What cffi raises when libpango is not installed, at WeasyPrint's import.
        def find_spec(self, name, path=None, target=None):
            if name == "weasyprint.text.ffi":
                raise OSError("cannot load library 'pango-1.0-0': pango-1.0-0: cannot open "
                              "shared object file: No such file or directory")

    sys.meta_path.insert(0, NoPango())
    from paiban.cli import main
    sys.exit(main(sys.argv[1:]))
""")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_missing_system_library_is_one_line_naming_the_packages(proj, jobs):
    result = subprocess.run([sys.executable, "-c", NO_PANGO, "build", "--quiet", "--jobs", jobs],
                            cwd=proj, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[:-1] == ["paiban: WeasyPrint cannot load the system library pango-1.0-0: "
                          "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 "
                          "(or run make setup)"]
    assert "0 of 4 PDFs" in lines[-1] and "Traceback" not in result.stderr


def test_a_full_disk_is_one_line_and_keeps_the_previous_pdf(proj, capsys, monkeypatch):
    import errno
    import os as os_module

    import paiban.build as build_module

    assert cli_build(proj, capsys, "--edition", "zh-Hans").code == 0
    pdf = output_path(proj / "dist", "a", "zh-Hans")
    before = pdf.read_bytes()
    real_fdopen = os_module.fdopen

    class Full:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            self.fh.write(data[: len(data) // 2])  # half of it lands, then the disk is full
            raise OSError(errno.ENOSPC, os_module.strerror(errno.ENOSPC))

    monkeypatch.setattr(build_module.os, "fdopen", lambda fd, mode: Full(real_fdopen(fd, mode)))
    run = cli_build(proj, capsys, "--edition", "zh-Hans", "--force", str(proj / "seeds" / "a.txt"))
    assert run.code == 1, run.err
    # The index and the build record cannot be written either: each says so in one line.
    assert run.lines[0] == (f"paiban: {proj / 'dist' / 'index.html'}: cannot write: "
                            "No space left on device")
    assert run.lines[1] == (f"paiban: {proj / 'seeds' / 'a.txt'}: cannot write {pdf}: "
                            "No space left on device")
    assert len(run.lines) == 3 and "0 of 1 PDFs" in run.lines[2]
    assert "Traceback" not in run.err and "internal error" not in run.err
    assert pdf.read_bytes() == before
    assert not list((proj / "dist").rglob(".*.tmp"))


def test_an_impossible_source_date_epoch_is_one_line(proj, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999")
    run = cli_build(proj, capsys, "--edition", "zh-Hans")
    assert run.code == 1
    assert run.lines[:-1] == ["paiban: SOURCE_DATE_EPOCH: 99999999999999 is not a time a PDF can "
                              "carry (seconds since 1970, before the year 10000)"]
    assert "0 of 2 PDFs" in run.lines[-1]


def test_two_texts_of_one_name_do_not_overwrite_each_other(proj, capsys):
    other = proj / "elsewhere"
    other.mkdir()
    twin = other / "a.txt"
    twin.write_text(GOOD.replace("与时代同步", "另一篇文章"), "utf-8")
    run = cli_build(proj, capsys, "--edition", "zh-Hans", str(proj / "seeds" / "a.txt"), str(twin))
    assert run.code == 1
    assert run.lines[:-1] == [f"paiban: {twin}: has the same name as {proj / 'seeds' / 'a.txt'}, "
                              "whose PDFs go to the same folder; rename one"]
    assert "built 1 of 2 PDFs" in run.lines[-1]
    html = (output_path(proj / "dist", "a", "zh-Hans", suffix="html")).read_text("utf-8")
    assert "与时代同步" in html and "另一篇文章" not in html
