"""Markup in a text is text: HTML, Jinja and CSS written in a source text appear literally in
the HTML (escaped) and in the PDF's text, and nothing in them runs or loads.

tests/render/test_html.py checks the template escapes a hand-made model; here a raw text goes
through cleaning, statistics, both editions and WeasyPrint.
"""

from __future__ import annotations

import html as htmllib
import re

import pytest

import paiban.render.pdf as pdf_module
from paiban import cli
from paiban.outputs import output_path

from robust_helpers import BODY, copy_project, pdf_text, squash, write_text

HOSTILE = [
    "<script>alert(1)</script>",
    "</p><h1>标题注入</h1><p>",
    "<img src=x onerror=alert(1)>",
    '<link rel="stylesheet" href="file:///etc/passwd">',
    "{{ 7*7 }}",
    "{% include 'base.html.j2' %}",
    "{{ config.__class__ }}",
    "</style><style>body { display: none }</style>",
    "<!-- 注释 -->&amp;&lt;",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One text with every hostile string, as title, heading and paragraphs, built in both
    editions; every URL WeasyPrint was asked for is recorded."""
    proj = copy_project(tmp_path_factory.mktemp("markup"))
    lines = [f"标题{HOSTILE[0]}", "", BODY, ""]
    for i, piece in enumerate(HOSTILE, 1):
        lines += [f"第{i}条：{piece}。{BODY}", ""]
    path = write_text(proj, "markup.txt", "\n".join(lines))
    asked: list[str] = []
    real = pdf_module.locked_fetcher

    def recording(allowed):
        fetcher = real(allowed)
        fetch = fetcher.fetch

        def fetch_and_record(url, headers=None):
            asked.append(url)
            return fetch(url, headers)

        fetcher.fetch = fetch_and_record
        return fetcher

    mp = pytest.MonkeyPatch()
    mp.setattr(pdf_module, "locked_fetcher", recording)
    try:
        code = cli.main(["--config", str(proj / "pyproject.toml"), "build", "--quiet",
                         "--jobs", "1", str(path)])
    finally:
        mp.undo()
    assert code == 0
    return (proj / "dist", path.stem), asked


@pytest.mark.parametrize("edition", ["zh-Hans", "zh-Hant"])
def test_markup_is_escaped_in_the_html(built, edition):
    out, _ = built
    page = output_path(*out, edition, suffix="html").read_text("utf-8")
    body = page.split("<body", 1)[1]
    # No element or comment came from the text: the only tags are the template's.
    assert "<script" not in page and "<img" not in body and "<style" not in body
    assert "<h1>" not in body and "<!-- 注" not in body and "<!-- 註" not in body
    assert "<link rel=\"stylesheet\" href=\"file:" not in page
    assert "49" not in re.sub(r"<[^>]+>", "", body)
    visible = htmllib.unescape(re.sub(r"<[^>]+>", "", body))
    for piece in HOSTILE:
        if edition == "zh-Hans":
            assert piece in visible, piece
        else:  # the Traditional edition converts the Chinese words, not the markup
            assert re.sub(r"[^ -~]", "", piece) in re.sub(r"[^ -~]", "", visible), piece


@pytest.mark.parametrize("edition", ["zh-Hans", "zh-Hant"])
def test_markup_is_printed_literally_in_the_pdf(built, edition):
    out, _ = built
    text = squash(pdf_text(output_path(*out, edition)))
    for piece in HOSTILE:
        ascii_only = squash(re.sub(r"[^ -~]", "", piece))
        assert ascii_only in re.sub(r"[^ -~]", "", text), piece


def test_markup_loads_nothing(built):
    """Only the stylesheets the template links were asked for: not x, not /etc/passwd."""
    _, asked = built
    assert asked
    for url in asked:
        assert url.startswith("file://") and "/dist/_assets/styles/" in url, url
