"""A task is rendered from the bytes the coordinator read, and from nothing else (issue 18):
run in a fresh process, in another folder, after the project folder has been moved away (as on
a Dask worker that never had it), it makes the very PDF and HTML the local build wrote. The
Markdown text's linked photos and a project's own output profile travel with the task."""

from __future__ import annotations

import io
import multiprocessing
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from paiban import build as build_module
from paiban import executor
from paiban.config import load

ROOT = Path(__file__).resolve().parents[2]
BODY = ("五年来，全市各级工会组织开展技能竞赛和创新活动，帮扶困难职工，推进企业单位建设发展。"
        "职工服务阵地遍布城乡，劳动者的获得感不断增强。")
MARKDOWN = f"""# 职工之家温暖人心

——记一个基层工会的服务日常

{BODY}

![图为职工代表在会上发言](images/red.jpg)

{BODY}

![图为工会干部走进车间](images/blue.jpg)

{BODY}（记者 黄秀珍）
"""


def jpeg(color: tuple[int, int, int], size: tuple[int, int] = (1800, 1200)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, color)
    ImageDraw.Draw(image).rectangle((0, size[1] // 3, size[0], size[1] // 2), fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def make_project(folder: Path, profile: bool = False) -> Path:
    """A project with one Markdown feature linking two photos; with ``profile``, its own
    output profile (a copy of FOGRA39) as a project file."""
    for name in ("layout", "styles", "fonts"):
        shutil.copytree(ROOT / name, folder / name)
    config = (ROOT / "pyproject.toml").read_text("utf-8")
    if profile:
        from paiban.press.profile import resolve

        (folder / "press").mkdir()
        shutil.copy(resolve("fogra39", ROOT).path, folder / "press" / "shop.icc")
        config = config.replace("[tool.paiban]\n", '[tool.paiban]\npress = { profile = '
                                '"press/shop.icc" }\n', 1)
    (folder / "pyproject.toml").write_text(config, "utf-8")
    (folder / "seeds" / "images").mkdir(parents=True)
    (folder / "seeds" / "images" / "red.jpg").write_bytes(jpeg((200, 40, 40)))
    (folder / "seeds" / "images" / "blue.jpg").write_bytes(jpeg((40, 60, 200)))
    (folder / "seeds" / "feature.md").write_text(MARKDOWN, "utf-8")
    return folder


def tasks_of(proj: Path) -> list:
    """The tasks ``paiban build`` hands its executor for the project's texts."""
    from paiban.cache import fingerprint
    from paiban.inputs import read_text
    from paiban.press import task_profile
    from paiban.targets import Target, read_theme

    cfg = load(proj / "pyproject.toml")
    theme = read_theme(cfg)
    profile = task_profile(cfg.press, cfg.root)
    shared = fingerprint(cfg, theme, profile)
    text = (proj / "seeds" / "feature.md").resolve()
    found = read_text(text, cfg)
    return [build_module._task(Target(text, edition, cfg.layout), found, shared, theme, cfg,
                               profile) for edition in cfg.editions]


def built(proj: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((proj / "dist" / "feature").iterdir())}


def run_without_the_project(proj: Path, tmp_path: Path, monkeypatch) -> dict[str, bytes]:
    """Build locally, make the tasks, move the project away, run them in a new process whose
    folder is elsewhere; the local build's files (from the moved folder) and the results."""
    cfg = load(proj / "pyproject.toml", jobs=1)
    assert build_module.build(cfg, (proj / "seeds",), quiet=True) == 0
    tasks = tasks_of(proj)
    moved = proj.rename(tmp_path / "moved")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        results = list(pool.map(executor.run, tasks))
    assert not proj.exists()
    for result in results:
        assert result.error is None, result.error
    made = {}
    for task, result in zip(tasks, results):
        made[task.target.pdf(task.cfg).name] = result.pdf
        made[task.target.html(task.cfg).name] = result.html
    return built(moved), made


def test_a_markdown_text_with_photos_is_built_without_the_project_folder(tmp_path, monkeypatch):
    proj = make_project(tmp_path / "proj")
    local, made = run_without_the_project(proj, tmp_path, monkeypatch)
    assert set(local) == set(made) == {"feature.zh-Hans.pdf", "feature.zh-Hans.html",
                                       "feature.zh-Hant.pdf", "feature.zh-Hant.html"}
    assert made == local
    assert b"/Subtype /Image" in made["feature.zh-Hans.pdf"] or \
        b"/Subtype/Image" in made["feature.zh-Hans.pdf"]


def test_a_project_output_profile_travels_with_the_task(tmp_path, monkeypatch):
    proj = make_project(tmp_path / "proj", profile=True)
    local, made = run_without_the_project(proj, tmp_path, monkeypatch)
    assert made == local
    import pikepdf

    with pikepdf.open(io.BytesIO(made["feature.zh-Hans.pdf"])) as pdf:
        intent = pdf.Root.OutputIntents[0]
        assert "FOGRA39" in str(intent.OutputConditionIdentifier)
        icc = (tmp_path / "moved" / "press" / "shop.icc").read_bytes()
        assert intent.DestOutputProfile.read_bytes() == icc


def test_the_output_profile_is_keyed_by_its_bytes(tmp_path):
    """Touching the profile (same bytes) leaves the PDFs up to date; other bytes of the same
    size and time rebuild them."""
    import os

    proj = make_project(tmp_path / "proj", profile=True)
    cfg = load(proj / "pyproject.toml", jobs=1)
    assert build_module.build(cfg, (proj / "seeds",), quiet=True) == 0
    icc = proj / "press" / "shop.icc"
    st = icc.stat()
    os.utime(icc, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    summary = build_module.run(cfg, (proj / "seeds",))
    assert [o.cached for o in summary.outcomes] == [True, True]
    data = bytearray(icc.read_bytes())
    data[-1] ^= 0xFF  # past the tags that matter: still a CMYK profile
    icc.write_bytes(bytes(data))
    os.utime(icc, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    summary = build_module.run(cfg, (proj / "seeds",))
    assert [o.cached for o in summary.outcomes] == [False, False]


def test_the_preview_publishes_the_photos_it_read_not_the_disk_as_it_is_later(tmp_path,
                                                                              monkeypatch):
    """``render_target`` (the preview's and ``paiban issue``'s way) copies under dist/_assets/
    the photo bytes it read once, as ``paiban build`` does: a photo saved again right after
    the read is not what the HTML links (one publisher, from the bytes read)."""
    import paiban.inputs as inputs_module
    from paiban.pipeline import load_source
    from paiban.targets import Target

    proj = make_project(tmp_path / "proj")
    seed = sorted((ROOT / "seeds").glob("*.txt"))[0]  # one figure, no photo of its own
    shutil.copy(seed, proj / "seeds" / "plain.txt")
    (proj / "images").mkdir()
    photo = proj / "images" / "plain-1.jpg"
    first, later = jpeg((200, 40, 40)), jpeg((40, 200, 40))
    photo.write_bytes(first)
    real_load = inputs_module.load_photos

    def load_then_save_again(found, cfg):
        real_load(found, cfg)
        photo.write_bytes(later)

    monkeypatch.setattr(inputs_module, "load_photos", load_then_save_again)
    cfg = load(proj / "pyproject.toml")
    text = proj / "seeds" / "plain.txt"
    article = load_source(text, cfg).article
    build_module.publish_assets(cfg)  # as the preview does: the HTML links the stylesheets
    outcome = executor.render_target(Target(text, "zh-Hans", "feature"), article, cfg)
    assert outcome.error is None, outcome.error
    assert "images/plain-1.jpg" in {f.image for f in article.figures}
    assert (proj / "dist" / "_assets" / "images" / "plain-1.jpg").read_bytes() == first
