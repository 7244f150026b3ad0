"""The issue in the preview: the start page lists it per edition; ``/issue/<edition>`` shows the
issue PDF (built by ``paiban issue``'s own incremental build, after the articles) as spreads —
page 1 alone on the right, then 2|3, 4|5… — with the contents page's links drawn over its image,
each pointing at the spread where its article opens; a saved text rebuilds the issue.

A real project (the repository's layouts, a three-article manifest), the real builder, one
edition; the last test clicks a contents entry in Debian's chromium."""

from __future__ import annotations

import http.client
import re
import shutil
import time
from typing import Iterator

import pytest
from projects import copy_project

from paiban.config import load
from paiban.preview import Preview
from paiban.preview.builder import ProjectBuilder
from paiban.preview.issue import read_layout

BODY = ("五年来，全市各级工会共筹集送温暖慰问金8070万元，走访慰问困难职工和劳动模范，"
        "把党和政府的关怀送到职工心坎上。") * 4


def _text(title: str, paragraphs: int) -> str:
    return title + "\n\n" + "\n\n".join(f"第{i + 1}段。" + BODY for i in range(paragraphs)) + "\n"


@pytest.fixture(scope="module")
def issue_preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    root = tmp_path_factory.mktemp("issue-project")
    copy_project(root, {f"{name}.txt": _text(f"职工之家{name}", paragraphs)
                        for name, paragraphs in (("a", 2), ("b", 14), ("c", 2))})
    (root / "issue.toml").write_text(
        '[issue]\nname = "第1期"\nslug = "n1"\nbinding = "saddle"\nstart = "recto"\n'
        'articles = ["seeds/a.txt", "seeds/b.txt", "seeds/c.txt"]\n', "utf-8")
    cfg = load(root / "pyproject.toml", editions=("zh-Hans",))
    running = Preview(cfg, (cfg.seeds,), layouts=(cfg.layout,), builder=ProjectBuilder(cfg),
                      port=0)
    running.start()
    assert running.scheduler.wait_idle(240)
    yield running
    running.stop()


def get(preview: Preview, path: str) -> tuple[int, str]:
    host, port = preview.server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def spreads(page: str) -> list[list[int | None]]:
    """Each spread row of the issue view: its page numbers, None for an empty side."""
    rows = []
    for row in re.split(r'<div class="row spread"', page)[1:]:
        cells = re.findall(r'<figure class="sheet" data-page="(\d+)"|<div class="sheet blank">',
                           row.split("</figure>\n    {% else %}")[0])
        rows.append([int(n) if n else None for n in cells])
    return rows


def test_start_page_lists_the_issue_per_edition(issue_preview: Preview) -> None:
    status, page = get(issue_preview, "/")
    assert status == 200
    assert 'href="/issue/zh-Hans"' in page and "第1期" in page
    assert re.search(r'src="/issue/zh-Hans/1\.png\?w=240&amp;v=\d+"', page)


def test_issue_view_shows_spreads_and_contents_links_to_the_articles(issue_preview) -> None:
    entry = issue_preview.issue.get("zh-Hans")
    assert entry.problem is None and entry.pdf.is_file()
    layout = read_layout(entry.pdf)
    pages = len(issue_preview.images.geometry(entry.pdf))
    assert pages % 4 == 0
    starts = [folio for _title, folio in layout.articles]
    assert starts[0] == 3 and all(s % 2 == 1 for s in starts) and starts == sorted(starts)

    status, page = get(issue_preview, "/issue/zh-Hans")
    assert status == 200
    rows = spreads(page)
    expected = [[None, 1]] + [[n, n + 1 if n + 1 <= pages else None] for n in range(2, pages + 1, 2)]
    assert rows == expected
    # The contents page (page 2) carries one link per article, each to the spread it opens on.
    links = re.findall(r'<a class="page-link" href="#spread-(\d+)" data-target-page="(\d+)"', page)
    assert [int(t) for _s, t in links] == starts
    assert [int(s) for s, _t in links] == [folio // 2 for folio in starts]
    for spread, _target in links:
        assert f'id="spread-{spread}"' in page
    contents = page.split('data-page="2"')[1].split("</figure>")[0]
    assert contents.count('class="page-link"') == len(starts)
    # The plain list: each article's title and first page.
    for title, folio in layout.articles:
        assert f'data-folio="{folio}"' in page and title in page


def test_issue_routes_parse_strictly(issue_preview: Preview) -> None:
    assert get(issue_preview, "/issue/zh-Hans/1.png?w=520")[0] == 200
    assert get(issue_preview, "/issue/zh-Hans/1.png?w=%C2%B2")[0] == 400
    assert get(issue_preview, "/issue/zh-Hans/1.png?w=521")[0] == 400
    assert get(issue_preview, "/issue/zh-Hans/99.png?w=520")[0] == 404
    assert get(issue_preview, "/issue/xx/1.png?w=520")[0] == 404
    assert get(issue_preview, "/issue/zh-Hant")[0] == 404  # not an edition of this preview
    assert get(issue_preview, "/events?watch=issue/nope")[0] == 404


def test_clicking_a_contents_entry_lands_on_the_articles_spread(issue_preview: Preview,
                                                                chromium, tmp_path) -> None:
    entry = issue_preview.issue.get("zh-Hans")
    starts = [folio for _t, folio in read_layout(entry.pdf).articles]
    page = chromium.new_page()
    try:
        page.goto(issue_preview.url)
        page.wait_for_function("""() => [...document.querySelectorAll('#issue .thumbs img')]
            .every(i => i.complete && i.naturalWidth > 0)""")
        assert page.locator("#issue .thumbs img").count() == 4  # cover, contents, 3, 4
        page.screenshot(path="/tmp/issueview-start.png")
        page.click('a.issue-card[data-target="issue/zh-Hans"]')
        page.wait_for_url("**/issue/zh-Hans")
        page.wait_for_function("""() => [...document.querySelectorAll('.sheet img')].slice(0, 3)
            .every(i => i.complete && i.naturalWidth > 0)""")
        page.wait_for_selector("#live.on")
        page.screenshot(path=str(tmp_path / "issue-contents.png"))
        shutil.copy(tmp_path / "issue-contents.png", "/tmp/issueview-contents.png")
        # The last article's entry on the contents page image: a real mouse click on it.
        link = page.locator('.sheet[data-page="2"] a.page-link').nth(len(starts) - 1)
        link.scroll_into_view_if_needed()
        page.wait_for_function("""() => document.querySelector('.sheet[data-page="2"] img').complete""")
        link.hover()  # highlighted: the screenshot shows where the link lies on the page
        page.screenshot(path=str(tmp_path / "issue-contents.png"))
        shutil.copy(tmp_path / "issue-contents.png", "/tmp/issueview-contents.png")
        box = link.bounding_box()
        assert box and box["width"] > 50 and box["height"] > 10
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        spread = f"spread-{starts[-1] // 2}"
        page.wait_for_function(f"() => location.hash === '#{spread}'")
        page.wait_for_timeout(300)
        top = page.evaluate(f"document.getElementById('{spread}').getBoundingClientRect().top")
        bar = page.evaluate("document.querySelector('header.bar').getBoundingClientRect().bottom")
        assert bar - 2 <= top <= bar + 80  # the article's spread at the top, under the bar
        opening = page.locator(f'#{spread} .sheet[data-page="{starts[-1]}"] img')
        assert opening.is_visible()
        page.screenshot(path=str(tmp_path / "issue-landed.png"))
        shutil.copy(tmp_path / "issue-landed.png", "/tmp/issueview-landed.png")
    finally:
        page.close()


def test_saving_a_text_rebuilds_the_issue(issue_preview: Preview) -> None:
    before = issue_preview.issue.get("zh-Hans")
    text = issue_preview.cfg.seeds / "c.txt"
    text.write_text(text.read_text("utf-8").replace("职工之家c", "职工之家新标题"), "utf-8")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        now = issue_preview.issue.get("zh-Hans")
        if now.revision > before.revision and issue_preview.scheduler.idle():
            break
        time.sleep(0.1)
    now = issue_preview.issue.get("zh-Hans")
    assert now.revision > before.revision and now.problem is None
    assert "职工之家新标题" in [t for t, _f in read_layout(now.pdf).articles]
    status, page = get(issue_preview, "/issue/zh-Hans")
    assert "职工之家新标题" in page


def save(path: Path, text: str) -> None:
    """Save as editors do: a temporary file renamed over the old one (never seen half-written)."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, "utf-8")
    tmp.replace(path)


def _wait_revision(preview: Preview, after: int, timeout: float = 120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = preview.issue.get("zh-Hans")
        if now.revision > after and preview.scheduler.idle():
            return now
        time.sleep(0.1)
    raise AssertionError("the issue was not rebuilt")


def test_a_bad_manifest_shows_in_the_issue_view_and_a_fix_recovers(issue_preview) -> None:
    manifest = issue_preview.issue.manifest_path
    good = manifest.read_text("utf-8")
    before = issue_preview.issue.get("zh-Hans")
    save(manifest, good.replace('binding = "saddle"', 'binding = "spiral"'))
    broken = _wait_revision(issue_preview, before.revision)
    assert broken.problem is not None and "issue.binding" in broken.problem.message
    status, page = get(issue_preview, "/issue/zh-Hans")
    assert status == 200 and 'id="problem"' in page, (issue_preview.issue.get("zh-Hans"), broken)
    assert "<code>issue.toml:4</code>" in page
    assert len(spreads(page)) == len(spreads(get(issue_preview, "/issue/zh-Hans")[1]))  # last good
    assert 'class="page-link"' in page  # the last good issue, still clickable
    save(manifest, good)
    fixed = _wait_revision(issue_preview, broken.revision)
    assert fixed.problem is None
    assert 'id="problem"' not in get(issue_preview, "/issue/zh-Hans")[1]
