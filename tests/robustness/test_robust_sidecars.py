"""Bad sidecars through ``paiban build``: one line naming the sidecar and the key, exit 1, the
other texts still built; an image that would leave the project loads nothing.

tests/sidecar/test_sidecar.py checks ``sidecar.load`` on each bad entry; here they go through
the command, and images that pass the path check but lead out (a link) or are missing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from paiban.outputs import output_path


from robust_helpers import BODY, assert_one_error_line, cli_build, copy_project, write_text

TEXT = f"与时代同步 与社会共进\n\n{BODY}\n\n\n图为职工在车间里参加技能比赛的情景\n\n{BODY}\n"


@pytest.fixture(scope="module")
def proj(tmp_path_factory) -> Path:
    proj = copy_project(tmp_path_factory.mktemp("sidecars"))
    (proj / "images").mkdir()
    os.symlink("/etc/passwd", proj / "images" / "passwd.jpg")
    (proj / "images" / "not-an-image.jpg").write_text("这不是图片", "utf-8")
    return proj


@pytest.mark.parametrize("toml, words", [
    ("[layout]\ncolour = 'red'", ("unknown key layout.colour",)),
    ("[stats]\nsection_boxes = 'yes'", ("stats.section_boxes", "true or false")),
    ("[figures.1]\nratio = 'wide'", ("figures.1.ratio", "number")),
    ("[figures.1]\nimage = '../../etc/passwd'", ("figures.1.image", "'..'")),
    ("[figures.1]\nimage = '/etc/passwd'", ("figures.1.image", "absolute")),
    ("[figures.1]\nimage = 'file:///etc/passwd'", ("figures.1.image", "URL")),
    ("[figures.1]\nimage = 'http://127.0.0.1:9/x.jpg'", ("figures.1.image", "URL")),
    ("[figures.1]\nimage = 'images/passwd.jpg'", ("figures.1.image", "outside")),
    ("[figures.1]\nimage = 'pyproject.toml'", ("figures.1.image", "outside")),
    ("[figures.1]\nimage = 'images/missing.jpg'", ("figures.1.image", "not a file")),
    ("[figures.1]\nimage = 'images/not-an-image.jpg'", ("cannot load the image", "not-an-image.jpg")),
    ("[figures.7]\nratio = 1", ("figures.7", "no figure 7")),
    ("[layout]\nname = '../../../etc/passwd'", ("layout.name", "not a layout name")),
    ("[layout]\nname = '/etc/passwd'", ("layout.name", "not a layout name")),
    ("[layout]\nname = 'base.html.j2'", ("layout.name", "not a layout name")),
    ("[layout]\nname = 'magazine'", ("layout.name", "no layout 'magazine'", "feature, report")),
])
def test_a_bad_sidecar_is_one_line_and_the_other_texts_build(proj, capsys, fetched, toml, words):
    bad = write_text(proj, "bad.txt", TEXT)
    bad.with_suffix(".toml").write_text(toml, "utf-8")
    good = write_text(proj, "good.txt", TEXT)
    run = cli_build(proj, capsys, "--force", "--edition", "zh-Hans", str(bad), str(good))
    where = bad.with_suffix(".toml") if "not-an-image" not in toml else bad
    assert_one_error_line(run, where, *words)
    assert "built 1 of 2 PDFs" in run.lines[-1]
    assert (output_path(proj / "dist", "good", "zh-Hans")).read_bytes().startswith(b"%PDF-")
    assert not (proj / "dist" / "bad").exists()
    for url in fetched:
        assert url.startswith(f"file://{proj}/"), url
        assert "passwd" not in url


def test_a_photo_in_images_is_printed(proj, capsys, fetched):
    """The check above refuses what it should, not every image."""
    from PIL import Image

    Image.new("RGB", (1800, 1200), "red").save(proj / "images" / "ok.png")  # 150 ppi and more as placed
    text = write_text(proj, "photo.txt", TEXT)
    text.with_suffix(".toml").write_text("[figures.1]\nimage = 'images/ok.png'\n", "utf-8")
    run = cli_build(proj, capsys, "--edition", "zh-Hans", str(text))
    assert run.code == 0, run.err
    # Printed from the copy the HTML links relatively (what a browser can show over HTTP).
    copy = proj / "dist" / "_assets" / "images" / "ok.png"
    assert copy.as_uri() in fetched
    assert copy.read_bytes() == (proj / "images" / "ok.png").read_bytes()
    html = output_path(proj / "dist", "photo", "zh-Hans", suffix="html").read_text("utf-8")
    assert 'src="../_assets/images/ok.png"' in html and "file:" not in html
