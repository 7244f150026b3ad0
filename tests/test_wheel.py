"""The built wheel, installed into a clean virtual environment outside the repository, is a
complete paiban: `init`, `build`, `check`, `inspect` and `preview` (one real HTTP request) work
there, with the default theme from inside the package and every dependency installed by pip.

Slow (a wheel build and an install from the package index, quick with pip's cache): one venv per
test session, shared by the tests of this module. Runs in `make test`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.wheel

ROOT = Path(__file__).resolve().parents[1]


def _run(cmd: list[str], cwd: Path, env: dict, timeout: int = 900) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(map(str, cmd))}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="session")
def installed(tmp_path_factory) -> tuple[Path, Path, dict]:
    """(the wheel, the venv's bin/, an environment that sees only the venv)."""
    base = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    _run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(base)],
         cwd=base, env=env)
    [wheel] = base.glob("paiban-*.whl")
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=base, env=env)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)], cwd=base,
         env=env)
    return wheel, venv / "bin", env


def test_the_wheel_ships_the_theme_and_nothing_of_the_repository(installed):
    wheel, _bin, _env = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for kind in ("layout", "styles", "fonts"):
        for file in (ROOT / kind).iterdir():
            if file.is_file():
                assert f"paiban/theme/{kind}/{file.name}" in names, file
    assert "paiban/preview/ui/preview.js" in names
    assert not any(n.startswith(("tests/", "seeds/", "bench/")) for n in names)


def test_init_build_check_inspect_preview_in_a_clean_venv(installed, tmp_path):
    _wheel, bin_, env = installed
    paiban = str(bin_ / "paiban")
    # Installed, not the repository's source: the package lives in the venv.
    where = _run([str(bin_ / "python"), "-c", "import paiban.theme as t; print(t.builtin_root())"],
                 cwd=tmp_path, env=env).stdout.strip()
    assert where.startswith(str(bin_.parent)) and where.endswith("paiban/theme")

    _run([paiban, "init", "mag", "--publication", "乡村周刊"], cwd=tmp_path, env=env)
    mag = tmp_path / "mag"
    built = _run([paiban, "build", "--edition", "zh-Hans", "--edition", "zh-Hant-HK"],
                 cwd=mag / "seeds", env=env)  # paiban.toml found in the parent folder
    assert "built 2 of 2 PDFs" in built.stdout, built.stdout + built.stderr
    pdf = mag / "dist" / "sample" / "sample.zh-Hant-HK.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")

    checked = _run([paiban, "check", str(pdf)], cwd=mag, env=env)
    assert checked.stdout.strip()
    outline = _run([paiban, "inspect", "seeds/sample.txt", "--edition", "zh-Hant-HK"],
                   cwd=mag, env=env).stdout
    # The model (above the report; the source lines listed after it stay as written).
    model = outline.split("Cleaning report")[0]
    assert "山村書屋" in model and "「" in model and "“" not in model

    proc = subprocess.Popen([paiban, "preview", "--port", "0", "--edition", "zh-Hans"], cwd=mag,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        url = re.search(r"http://[\d.]+:\d+/", line)
        assert url, line + proc.stderr.read() if proc.poll() is not None else line
        with urllib.request.urlopen(url[0], timeout=60) as response:
            page = response.read().decode("utf-8")
        assert response.status == 200 and "山村书屋亮起夜灯" in page
        # A page drawn to PNG (pypdfium2 and Pillow, installed as dependencies).
        with urllib.request.urlopen(url[0] + "page/sample/zh-Hans/feature/1.png?w=240",
                                    timeout=120) as response:
            assert response.read().startswith(b"\x89PNG")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
