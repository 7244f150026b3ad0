"""Bounded work for every input (issue 15 §2, §3): cleaning scales linearly, sidecar strings are
limited to what a layout shows, a bad sidecar stays with its text, ``inspect`` refuses what
``build`` refuses, a runaway target is stopped by its time budget, and texts stay inside the
project."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

import pytest

from paiban import build as build_module
from paiban import cli, clean
from paiban.errors import ConfigError
from paiban.sidecar import LIMITS, load

from robust_helpers import GOOD, assert_one_error_line, cli_build, copy_project, write_text


@pytest.fixture
def proj(tmp_path) -> Path:
    return copy_project(tmp_path / "p")


def _paragraphs(n: int) -> str:
    """``n`` short paragraphs of different shapes: closed ones, open ones (fragments, joins),
    short lines (heading candidates), repeats, captions."""
    han = "工会职工服务全市建设发展帮扶活动技能创新劳动企业单位组织开展推进龙岩三明"
    out = ["标题"]
    for i in range(n):
        word = "".join(han[(i * 7 + k * 3) % len(han)] for k in range(3 + i % 9))
        shape = i % 10
        out.append(word if shape == 0 else word + "图为" if shape == 1 else
                   out[-3] if shape == 2 and len(out) > 3 else word + f"{i}。")
    return "\n\n".join(out)


def _seconds(text: str) -> float:
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        clean.clean(text)
        best = min(best, time.perf_counter() - started)
    return best


def test_cleaning_time_grows_linearly_with_paragraphs() -> None:
    """8× the paragraphs took 30-60× the time before (quadratic: 100k paragraphs 170 s); now
    about 8×. The bound (20×) leaves room for a noisy machine, not for a quadratic rule."""
    small, large = _seconds(_paragraphs(1500)), _seconds(_paragraphs(12000))
    assert large / small < 20, (small, large)


@pytest.mark.parametrize("entry, key", [
    ('[stats]\ntitle = "{s}"', "stats.title"),
    ('[stats.relabel]\n"5年" = "{s}"', "stats.relabel"),
    ('[stats]\npin = [{{ value = "5年", label = "{s}" }}]', "stats.pin[0].label"),
    ('[stats]\ndrop = ["{s}"]', "stats.drop[0]"),
    ('[figures.1]\nimage = "images/{s}.jpg"', "figures.1.image"),
])
def test_sidecar_strings_longer_than_a_layout_shows_are_refused(tmp_path, entry, key) -> None:
    text = tmp_path / "a.txt"
    text.write_text("标题\n\n全市5年来共开展活动。\n", "utf-8")
    text.with_suffix(".toml").write_text(entry.format(s="长" * 5000), "utf-8")
    started = time.perf_counter()
    with pytest.raises(ConfigError) as info:
        load(text)
    assert time.perf_counter() - started < 2
    message = str(info.value)
    assert key in message and "at most" in message and "\n" not in message
    assert max(LIMITS.values()) < 5000


def test_a_deeply_nested_sidecar_fails_only_its_own_text(proj, capsys) -> None:
    good = write_text(proj, "good.txt", GOOD)
    bad = write_text(proj, "bad.txt", GOOD)
    bad.with_suffix(".toml").write_text("[stats]\npin = " + "[" * 600 + "]" * 600, "utf-8")
    run = cli_build(proj, capsys, "--edition", "zh-Hans")
    assert_one_error_line(run, bad.with_suffix(".toml"), "nested too deeply")
    assert (proj / "dist" / good.stem).is_dir() and any((proj / "dist" / good.stem).glob("*.pdf"))


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom", "fifo"])
def test_inspect_refuses_devices_and_fifos_at_once(tmp_path, capsys, special) -> None:
    path = Path(special)
    if special == "fifo":
        path = tmp_path / "pipe.txt"
        os.mkfifo(path)
    started = time.perf_counter()
    code = cli.main(["inspect", str(path)])
    err = capsys.readouterr().err
    assert code == 1 and time.perf_counter() - started < 5
    assert err.strip() == f"paiban: {path}: is not a regular file (a device, FIFO or socket)"


def test_a_text_linked_from_outside_the_project_is_refused(proj, capsys, tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("机密\n\n口令是hunter2，请勿外传。\n", "utf-8")
    write_text(proj, "good.txt", GOOD)
    link = proj / "seeds" / "passwd.txt"
    link.symlink_to(secret)
    inside = proj / "seeds" / "alias.txt"
    inside.symlink_to(proj / "seeds" / "good.txt")  # a link within the project is fine
    run = cli_build(proj, capsys, "--edition", "zh-Hans")
    assert_one_error_line(run, link, "outside the project")
    assert not (proj / "dist" / "passwd").exists()
    assert not (proj / "dist" / "secret").exists()
    for page in (proj / "dist").rglob("*.html"):
        assert "hunter2" not in page.read_text("utf-8")
    # Named on the command line, the link is refused the same way, and so is inspect.
    run = cli_build(proj, capsys, str(link))
    assert_one_error_line(run, link, "outside the project")
    code = cli.main(["--config", str(proj / "pyproject.toml"), "inspect", str(link)])
    captured = capsys.readouterr()
    assert code == 1 and "hunter2" not in captured.out and "outside the project" in captured.err


def test_a_runaway_target_is_stopped_by_its_time_budget(proj, monkeypatch) -> None:
    from paiban import config
    import paiban.render.pdf as pdf_module

    slow = write_text(proj, "slow.txt", GOOD)
    cfg = replace(config.load(proj / "pyproject.toml"), time_budget=1)
    real = pdf_module.render_pdf

    def render_pdf(html, *args, **kwargs):
        if "slow" in str(args[0]):
            time.sleep(30)  # a layout that never ends
        return real(html, *args, **kwargs)

    monkeypatch.setattr(pdf_module, "render_pdf", render_pdf)
    started = time.perf_counter()
    outcome = build_module._work(build_module.Target(slow, "zh-Hans", "feature"), cfg, "k")
    assert time.perf_counter() - started < 15
    assert outcome.error and "time budget of 1 s" in outcome.error and str(slow) in outcome.error
    assert not list((proj / "dist").rglob("*.pdf"))
