"""``paiban issue``: the seeds as a two-article issue, and rebuilds of a small synthetic one.

Asserted against the PDF itself: the cover on page 1, the contents page on page 2, seed 002
opening on page 3, folios printed as numbered, the contents page's numbers equal to the pages
the articles really open on, bookmarks and /PageLabels, the binding's page multiple, and two
builds byte-identical.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from projects import BODY, ROOT, copy_project

from paiban import cli
from paiban.issue.check import check_issue
from paiban.outputs import output_path

SEED_002 = "002_cac0cc1532234b7e"
SEED_000 = "000_0015acbaf8d5143e"


def _issue(project: Path, out: Path, *args: str) -> int:
    return cli.main(["--config", str(project / "pyproject.toml"), "issue",
                     str(project / "issue.toml"), "--out", str(out), "--quiet", *args])


@pytest.fixture(scope="module")
def seeds_issue(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    assert _issue(ROOT, out, "--edition", "zh-Hans", "--edition", "zh-Hant") == 0
    return out / "2026-12"


def _first_page_of(title: str, pdf: Path) -> int:
    """The page (1-based) whose text holds ``title`` as the article's display title."""
    with pdfplumber.open(pdf) as doc:
        for i, page in enumerate(doc.pages[2:], start=3):
            if title.replace(" ", "") in (page.extract_text() or "").replace(" ", ""):
                return i
    raise AssertionError(f"{title} not found")


@pytest.mark.parametrize("edition", ["zh-Hans", "zh-Hant"])
def test_the_seeds_make_a_two_article_issue(seeds_issue: Path, edition: str) -> None:
    pdf = seeds_issue / f"2026-12.{edition}.pdf"
    with pikepdf.open(pdf) as doc:
        pages = len(doc.pages)
        nums = list(doc.Root.PageLabels.Nums)
        assert [int(nums[0]), str(nums[1].S), int(nums[2]), str(nums[3].S), int(nums[3].St)] == \
            [0, "/r", 2, "/D", 3]
        assert str(doc.Root.Lang) == edition
        title = str(doc.docinfo.Title)
        index = {p.objgen: i for i, p in enumerate(doc.pages)}
        with doc.open_outline() as outline:
            top = [(item.title, index[item.destination[0].objgen]) for item in outline.root]
            articles = [(a.title, index[a.destination[0].objgen]) for item in outline.root
                        for a in item.children]
    assert pages % 4 == 0 and pages == 8
    assert "2026年第12期" in title
    contents_name = "目录" if edition == "zh-Hans" else "目錄"
    assert top[0] == ("封面", 0) and top[1] == (contents_name, 1)
    with pdfplumber.open(pdf) as doc:
        cover = (doc.pages[0].extract_text() or "").replace(" ", "")
        contents = (doc.pages[1].extract_text() or "").replace(" ", "")
        folios = {}
        for i, page in enumerate(doc.pages[2:], start=3):
            words = [w["text"] for w in page.extract_words() if w["top"] > page.height * 0.93]
            folios[i] = words
    from paiban.editions import convert

    assert convert("职工之家", edition) in cover and "2026年第12期" in cover
    assert contents_name in contents
    # Seed 002 opens on page 3, seed 000 on the next right-hand page after it.
    first_002 = _first_page_of(articles[0][0], pdf)
    first_000 = _first_page_of(articles[1][0], pdf)
    assert first_002 == 3 and first_000 % 2 == 1 and first_000 > first_002
    assert [a[1] + 1 for a in articles] == [first_002, first_000]
    # The contents page's numbers are the pages the articles really open on.
    check = check_issue(pdf)
    assert check is not None and check.ok, check.problems
    assert check.contents_folios == [first_002, first_000]
    # Every article page prints its own folio.
    for page, words in folios.items():
        assert str(page) in words, (page, words)


def test_the_article_pdfs_carry_their_real_folios(seeds_issue: Path) -> None:
    with pdfplumber.open(output_path(seeds_issue, SEED_002, "zh-Hans")) as doc:
        first = doc.pages[0]
        assert "3" in [w["text"] for w in first.extract_words() if w["top"] > first.height * 0.93]


def test_two_builds_are_byte_identical(seeds_issue: Path, tmp_path) -> None:
    again = tmp_path / "again"
    assert _issue(ROOT, again, "--edition", "zh-Hans") == 0
    assert (again / "2026-12" / "2026-12.zh-Hans.pdf").read_bytes() == \
        (seeds_issue / "2026-12.zh-Hans.pdf").read_bytes()


# ---- Rebuilds of a small issue ------------------------------------------------------------

def _text(title: str, paragraphs: int) -> str:
    # Numbered, so that cleaning does not remove them as repeats.
    return title + "\n\n" + "\n\n".join(f"第{i + 1}段。" + BODY for i in range(paragraphs)) + "\n"


@pytest.fixture
def small(tmp_path) -> Path:
    copy_project(tmp_path, {f"{name}.txt": _text(f"职工之家{name}", 3) for name in "abc"})
    (tmp_path / "issue.toml").write_text(
        '[issue]\nname = "第1期"\nslug = "n1"\nbinding = "saddle"\n'
        'articles = ["seeds/a.txt", "seeds/b.txt", "seeds/c.txt"]\n', "utf-8")
    return tmp_path


def _rendered(capsys) -> int:
    out = capsys.readouterr().out
    line = next(l for l in out.splitlines() if "article PDF(s) rendered" in l)
    return int(line.split("(")[1].split()[0])


def _issue_verbose(project: Path, *args: str) -> int:
    return cli.main(["--config", str(project / "pyproject.toml"), "issue",
                     str(project / "issue.toml"), "--edition", "zh-Hans", "--jobs", "1", *args])


def test_rebuilds_render_only_what_changed(small: Path, capsys) -> None:
    assert _issue_verbose(small) == 0
    capsys.readouterr()
    assert _issue_verbose(small) == 0
    assert _rendered(capsys) == 0  # nothing changed
    # b changes but keeps its page count: only b is rendered again.
    (small / "seeds" / "b.txt").write_text(_text("职工之家b", 4), "utf-8")
    assert _issue_verbose(small) == 0
    assert _rendered(capsys) == 1
    # a grows by two pages: b and c move, so they are rendered with their new folios. (52
    # paragraphs make three pages; 40 made three until the make-up pass saved a sparse last
    # page, and fit two.)
    (small / "seeds" / "a.txt").write_text(_text("职工之家a", 52), "utf-8")
    assert _issue_verbose(small) == 0
    assert _rendered(capsys) == 3
    pdf = small / "dist" / "n1" / "n1.zh-Hans.pdf"
    check = check_issue(pdf)
    assert check is not None and check.ok, check.problems
    assert check.starts[0] == 3 and check.starts[1] > 5 and check.pages % 4 == 0


def test_a_hand_edited_article_pdf_is_rendered_again(small: Path, capsys) -> None:
    assert _issue_verbose(small) == 0
    capsys.readouterr()
    article = output_path(small / "dist" / "n1", "a", "zh-Hans")
    article.write_bytes(article.read_bytes() + b"\n% edited\n")
    assert _issue_verbose(small) == 0
    assert _rendered(capsys) == 1


def test_check_finds_a_contents_page_that_lies(small: Path, capsys) -> None:
    assert _issue_verbose(small) == 0
    pdf = small / "dist" / "n1" / "n1.zh-Hans.pdf"
    with pikepdf.open(pdf, allow_overwriting_input=True) as doc:
        del doc.pages[-1]  # a page lost: the binding no longer fits
        doc.save(pdf)
    check = check_issue(pdf)
    assert check is not None and not check.ok
    assert any("not a multiple of 4" in p for p in check.problems)
    assert cli.main(["check", str(pdf)]) == 1


def test_any_start_and_a_fill_image(small: Path, capsys) -> None:
    from PIL import Image

    (small / "images").mkdir()
    Image.new("RGB", (600, 800), (200, 30, 30)).save(small / "images" / "ad.jpg")
    (small / "issue.toml").write_text(
        '[issue]\nname = "第1期"\nslug = "n1"\nbinding = "saddle"\nstart = "any"\n'
        'contents = false\nfill = "images/ad.jpg"\n'
        'articles = ["seeds/a.txt", "seeds/b.txt"]\n', "utf-8")
    assert _issue_verbose(small) == 0
    pdf = small / "dist" / "n1" / "n1.zh-Hans.pdf"
    check = check_issue(pdf)
    assert check is not None and check.ok, check.problems
    assert check.starts == [2, 3]  # b opens on a left-hand page
    with pikepdf.open(pdf) as doc:
        assert len(doc.pages) == 4
        assert "/XObject" in doc.pages[3].Resources  # the ad fills the last page


def test_the_issue_keeps_its_pieces_structure_trees(seeds_issue: Path) -> None:
    """Assembly joins the tagged pieces' structure trees: the issue reads, in structure order,
    as its cover, contents and articles do one after the other (each article's callouts after
    their paragraphs), and its ParentTree maps every ID on its pages."""
    import structure

    pieces = [seeds_issue / "_issue" / "cover.zh-Hans.pdf",
              seeds_issue / "_issue" / "contents.zh-Hans.pdf",
              *(seeds_issue / seed / f"{seed}.zh-Hans.pdf" for seed in (SEED_002, SEED_000))]
    issue = seeds_issue / "2026-12.zh-Hans.pdf"
    with pikepdf.open(issue) as doc:
        assert doc.Root.MarkInfo.Marked
    structure.check_tree(issue)
    assert structure.text(issue) == "".join(structure.text(p) for p in pieces)
    assert "数说" in structure.text(issue)
