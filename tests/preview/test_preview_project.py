"""End to end: ``paiban preview`` on a copy of this project, with the real pipeline, in chromium.

Starts the command as a user would (its own process, ``--port 0``), opens the start page and an
article, counts its pages against the PDF, switches edition, saves a stylesheet and sees the page
images change, breaks a sidecar and the template and sees each error reported with its file and
line while the last good pages stay, then fixes them and sees it recover.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest
from paiban.outputs import output_path

from test_preview_browser import IMAGES_LOADED_JS, revision, wait_reloaded

ROOT = Path(__file__).resolve().parents[2]
# Left margin of page 1, halfway down: page background only (the opener's hero is at the top).
PIXEL_JS = """() => {
  const img = document.querySelector('.sheet[data-page="1"] img');
  const c = document.createElement('canvas');
  c.width = img.naturalWidth; c.height = img.naturalHeight;
  const g = c.getContext('2d');
  g.drawImage(img, 0, 0);
  const d = g.getImageData(Math.floor(c.width * 0.02), Math.floor(c.height * 0.6), 1, 1).data;
  return [d[0], d[1], d[2]];
}"""


def _state(url: str) -> dict:
    with urllib.request.urlopen(url + "api/state", timeout=10) as response:
        return json.load(response)


def _wait_built(url: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = _state(url)
        if all(t["state"] == "idle" and t["revision"] > 0 for t in state["targets"]):
            return state
        time.sleep(0.1)
    raise AssertionError(f"the first build did not finish: {_state(url)}")


@pytest.fixture
def served(tmp_path: Path, chromium) -> Iterator[tuple[Path, str, str]]:
    """(project copy, URL, text stem) of a running ``paiban preview`` of the first seed."""
    for name in ("layout", "styles", "fonts", "seeds"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    text = sorted((tmp_path / "seeds").glob("*.txt"))[0]
    for sidecar in (tmp_path / "seeds").glob("*.toml"):
        sidecar.unlink()  # the test writes its own
    proc = subprocess.Popen(
        [sys.executable, "-m", "paiban", "preview", f"seeds/{text.name}", "--edition", "zh-Hans",
         "--edition", "zh-Hant", "--port", "0"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        line = proc.stdout.readline()
        assert "serving http://127.0.0.1:" in line, line + proc.stderr.read()
        yield tmp_path, line.split("serving", 1)[1].split()[0], text.stem
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_real_project_live_preview(served: tuple[Path, str, str], chromium) -> None:
    from pypdf import PdfReader

    project, url, stem = served
    state = _wait_built(url)
    problems = [t["problem"] for t in state["targets"] if t["problem"]]
    assert not problems, f"the pipeline fails on the seed: {problems}"
    layout = state["targets"][0]["id"].rsplit("/", 1)[1]

    page = chromium.new_page()
    try:
        page.goto(url)
        assert page.locator("a.card").count() == 2
        page.locator(f'a.card[data-target="{stem}/zh-Hans/{layout}"]').click()
        page.wait_for_url(f"**/a/{stem}/zh-Hans/{layout}")
        page.wait_for_function(IMAGES_LOADED_JS)
        page.wait_for_selector("#live.on")
        pdf_pages = len(PdfReader(output_path(project / "dist", stem, "zh-Hans")).pages)
        assert page.locator(".sheet[data-page]").count() == pdf_pages
        trim = page.locator('.sheet[data-page="1"] rect.trim')
        assert float(trim.get_attribute("x")) == pytest.approx(3 * 72 / 25.4, abs=0.1)

        page.click("nav[aria-label=edition] a:has-text('zh-Hant')")
        page.wait_for_url(f"**/a/{stem}/zh-Hant/{layout}")
        page.wait_for_function(IMAGES_LOADED_JS)
        page.go_back()
        page.wait_for_function(IMAGES_LOADED_JS)
        page.wait_for_selector("#live.on")

        # A stylesheet save: the page reloads and its page images show the change.
        assert page.evaluate(PIXEL_JS) == [255, 255, 255]
        css = project / "styles" / f"{layout}.css"
        good_css = css.read_text("utf-8")
        before = revision(page)
        css.write_text(good_css + "\n@page { background: rgb(255, 224, 224); }\n"
                       ".title { colr: red; }\n", "utf-8")
        before = wait_reloaded(page, before, timeout=30)
        assert page.evaluate(PIXEL_JS) == [255, 224, 224]
        # The misspelt property is not an error, but the warning says where it is.
        bad_line = len((good_css + "\n@page {}\n").splitlines()) + 1
        assert f"styles/{layout}.css:{bad_line}:" in page.locator("#warnings").inner_text()

        # A sidecar with a misspelt table: file and line in the page, last good pages kept.
        sidecar = project / "seeds" / f"{stem}.toml"
        sidecar.write_text('# editor\'s notes\n[layuot]\nhero = 1\n', "utf-8")
        before = wait_reloaded(page, before, timeout=30)
        where = page.locator("#problem .where").inner_text()
        assert f"{stem}.toml:2" in where
        assert "layuot" in page.locator("#problem .message").inner_text()
        assert page.locator(".sheet[data-page]").count() == pdf_pages
        assert page.evaluate(PIXEL_JS) == [255, 224, 224]
        sidecar.unlink()
        before = wait_reloaded(page, before, timeout=30)
        assert page.locator("#problem").count() == 0

        # A broken template: its file and line.
        template = project / "layout" / f"{layout}.html.j2"
        good_template = template.read_text("utf-8")
        lines = good_template.splitlines(keepends=True)
        lines.insert(3, "{% if %}\n")
        template.write_text("".join(lines), "utf-8")
        before = wait_reloaded(page, before, timeout=30)
        assert f"{layout}.html.j2:4" in page.locator("#problem .where").inner_text()
        template.write_text(good_template, "utf-8")
        wait_reloaded(page, before, timeout=30)
        assert page.locator("#problem").count() == 0
        assert page.locator(".sheet[data-page]").count() == pdf_pages
    finally:
        page.close()

    # What the preview built is up to date for `paiban build` (it shares the build's cache).
    css.write_text(good_css, "utf-8")
    _wait_built(url)
    time.sleep(0.5)  # the watcher's quiet time, then the rebuild it starts
    _wait_built(url)
    built = subprocess.run(
        [sys.executable, "-m", "paiban", "build", f"seeds/{stem}.txt", "--edition", "zh-Hans",
         "--edition", "zh-Hant"], cwd=project, capture_output=True, text=True, timeout=120)
    assert built.returncode == 0 and "2 up to date" in built.stdout, built.stdout + built.stderr
