"""Fixtures for the preview: a throw-away project, a running preview with the fake builder,
and Debian's chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from preview_fakes import FakeBuilder, make_project  # noqa: E402

from paiban.config import Config, load  # noqa: E402
from paiban.preview import Preview  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

PARAGRAPH = ("五年来，全市各级工会共筹集送温暖慰问金8070万元，走访慰问困难职工和劳动模范，"
             "把党和政府的关怀送到职工心坎上。职工服务中心的窗口一年四季不打烊，")
LONG = "与时代同步 与社会共进\n" + "\n".join(f"{i}. {PARAGRAPH * 3}" for i in range(1, 25)) + "\n"
SHORT = "职工之家\n" + PARAGRAPH + "\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    make_project(tmp_path, {"long.txt": LONG, "short.txt": SHORT})
    return tmp_path


@pytest.fixture
def cfg(project: Path) -> Config:
    return load(project / "pyproject.toml", editions=("zh-Hans", "zh-Hant"))


@pytest.fixture
def preview(cfg: Config) -> Iterator[Preview]:
    """A preview of the fake project on a free port, its first builds done."""
    running = Preview(cfg, (cfg.seeds,), layouts=("fake",), builder=FakeBuilder(cfg), port=0)
    running.start()
    assert running.scheduler.wait_idle(60)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def shared_preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    """One preview for a module's read-only tests (starting one costs about a second)."""
    root = tmp_path_factory.mktemp("project")
    make_project(root, {"long.txt": LONG, "short.txt": SHORT})
    config = load(root / "pyproject.toml", editions=("zh-Hans", "zh-Hant"))
    running = Preview(config, (config.seeds,), layouts=("fake",), builder=FakeBuilder(config), port=0)
    running.start()
    assert running.scheduler.wait_idle(60)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def chromium(tmp_path_factory: pytest.TempPathFactory):
    """A Chromium context (fresh profile) shared by the browser tests, to keep them quick."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS, headless=True, viewport={"width": 1280, "height": 900})
        try:
            yield context
        finally:
            context.close()
