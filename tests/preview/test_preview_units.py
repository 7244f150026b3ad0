"""Preview parts without a browser: problems, change classification, page geometry and images,
spreads, scheduling order."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from watchfiles import Change

from paiban.targets import Target
from paiban.preview.board import Board
from paiban.preview.builder import describe
from paiban.preview.model import Problem, Result, parse_problem, target_id
from paiban.preview.pages import PageImages
from paiban.preview.scheduler import Scheduler
from paiban.preview.views import _sheet, _spreads
from paiban.preview.watch import classify
from paiban.outputs import output_path

MM = 72 / 25.4


# --- problems -------------------------------------------------------------------------------

@pytest.mark.parametrize("message, file, line, text", [
    ("seeds/a.toml: unknown key 'colour'", "seeds/a.toml", None, "unknown key 'colour'"),
    ("layout/feature.html.j2:12: unexpected '}'", "layout/feature.html.j2", 12, "unexpected '}'"),
    ("seeds/a.toml: invalid TOML: Expected '=' (at line 3, column 5)", "seeds/a.toml", 3,
     "invalid TOML: Expected '=' (at line 3, column 5)"),
    ("internal error: KeyError: 'x'", None, None, "internal error: KeyError: 'x'"),
])
def test_parse_problem(message: str, file: str | None, line: int | None, text: str) -> None:
    assert parse_problem(message) == Problem(text, file, line)


def test_describe_jinja_syntax_error_has_file_and_line(tmp_path: Path) -> None:
    from jinja2 import Environment, FileSystemLoader, TemplateSyntaxError

    (tmp_path / "t.html.j2").write_text("<p>\n{{ oops }\n</p>\n", "utf-8")
    with pytest.raises(TemplateSyntaxError) as info:
        Environment(loader=FileSystemLoader(str(tmp_path))).get_template("t.html.j2")
    problem = describe(info.value)
    assert problem.file and problem.file.endswith("t.html.j2")
    assert problem.line == 2


def test_describe_template_runtime_error_points_into_the_template(tmp_path: Path) -> None:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    (tmp_path / "t.html.j2").write_text("<p>\n\n{{ article.title }}</p>\n", "utf-8")
    env = Environment(loader=FileSystemLoader(str(tmp_path)), undefined=StrictUndefined)
    try:
        env.get_template("t.html.j2").render()
    except Exception as exc:
        problem = describe(exc)
    assert problem.file and problem.file.endswith("t.html.j2") and problem.line == 3
    assert "article" in problem.message


# --- what a change affects ------------------------------------------------------------------

def test_classify(tmp_path: Path) -> None:
    seeds, styles, layout = tmp_path / "seeds", tmp_path / "styles", tmp_path / "layout"
    for d in (seeds, styles, layout):
        d.mkdir()
    shared, texts = (styles, layout), (seeds,)
    assert classify([(Change.modified, str(styles / "feature.css"))], shared, texts).everything
    sidecar = classify([(Change.modified, str(seeds / "a.toml"))], shared, texts)
    assert sidecar.texts == {(seeds / "a.txt").resolve()} and not sidecar.everything
    assert not sidecar.rescan
    added = classify([(Change.added, str(seeds / "b.txt"))], shared, texts)
    assert added.rescan and added.texts == {(seeds / "b.txt").resolve()}
    assert classify([(Change.modified, str(seeds / "c.Docx"))], shared, texts).texts == {
        (seeds / "c.Docx").resolve()}  # every format paiban reads, the suffix in any case
    linked = seeds / "images" / "a.JPG"  # a photo a Markdown text may link
    assert classify([(Change.modified, str(linked))], shared, texts).photos == {linked.resolve()}
    assert not classify([(Change.added, str(seeds / ".a.txt.swp")),
                         (Change.modified, str(seeds / "notes.rtf")),
                         (Change.modified, str(output_path(tmp_path / "dist", "a", "zh-Hans")))],
                        shared, texts)


# --- page geometry and images ---------------------------------------------------------------

@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import weasyprint

    path = tmp_path_factory.mktemp("pdf") / "a.pdf"
    html = ("<style>@page { size: 148mm 210mm; bleed: 3mm; margin: 15mm; background: #ff0000 }"
            "</style><p>一</p><p style='break-before: page'>二</p><p style='break-before: page'>三</p>")
    weasyprint.HTML(string=html).write_pdf(path)
    return path


def test_geometry_places_trim_inside_bleed(pdf: Path) -> None:
    pages = PageImages().geometry(pdf)
    assert len(pages) == 3
    g = pages[0]
    assert g.width == pytest.approx(154 * MM, abs=0.5) and g.height == pytest.approx(216 * MM, abs=0.5)
    assert (g.trim.x, g.trim.y) == (pytest.approx(3 * MM, abs=0.1), pytest.approx(3 * MM, abs=0.1))
    assert g.trim.width == pytest.approx(148 * MM, abs=0.5)
    assert g.bleed.x == pytest.approx(0, abs=0.1) and g.bleed.width == pytest.approx(g.width, abs=0.1)


def test_png_is_cached_until_the_pdf_is_replaced(pdf: Path, tmp_path: Path) -> None:
    from PIL import Image
    import io
    import os
    import shutil

    images = PageImages()
    copy = tmp_path / "b.pdf"
    shutil.copy(pdf, copy)
    first = images.png(copy, 0, 240)
    assert first is not None and Image.open(io.BytesIO(first)).size[0] == 240
    assert Image.open(io.BytesIO(first)).getpixel((5, 5))[:3] == (255, 0, 0)
    assert images.png(copy, 0, 240) is first  # cached
    assert images.png(copy, 3, 240) is None  # no page 4
    assert images.png(copy, 0, 241) is None  # not an offered width
    tmp = tmp_path / "c.pdf"
    shutil.copy(pdf, tmp)
    os.replace(tmp, copy)  # a rebuild writes a new file
    assert images.png(copy, 0, 240) is not first
    assert images.geometry(tmp_path / "missing.pdf") == ()


def test_close_closes_the_open_documents_and_a_later_call_reopens(pdf: Path) -> None:
    images = PageImages()
    assert images.png(pdf, 0, 240) is not None
    docs = [doc for doc, _geometry in images._docs.values()]
    images.close()
    assert docs and all(doc.raw is None for doc in docs)  # closed, not left to the collector
    assert len(images.geometry(pdf)) == 3
    assert images.png(pdf, 1, 240) is not None


def test_spreads_pair_pages_as_bound_and_crop_the_spine_bleed(pdf: Path) -> None:
    g = PageImages().geometry(pdf)[0]
    sheets = [_sheet(n, g, f"{n}.png", "spreads") for n in range(1, 5)]
    rows = _spreads(sheets)
    assert [[s.number if s else None for s in row] for row in rows] == [[None, 1], [2, 3], [4, None]]
    left, right = sheets[1], sheets[2]
    assert left.width == pytest.approx(g.trim.right) and left.img_left == 0
    assert right.width == pytest.approx(g.width - g.trim.x) and right.img_left < 0
    single = _sheet(1, g, "1.png", "pages")
    assert single.width == g.width and single.img_width == 100


# --- scheduling -----------------------------------------------------------------------------

def _targets(tmp_path: Path) -> list[Target]:
    return [Target(tmp_path / f"{name}.txt", "zh-Hans", "feature") for name in "abcd"]


def test_scheduler_builds_viewed_targets_first(tmp_path: Path) -> None:
    targets = _targets(tmp_path)
    board = Board(targets)
    built: list[str] = []
    gate = threading.Event()

    def builder(target: Target) -> Result:
        gate.wait(5)
        built.append(target.text.stem)
        return Result(pages=1)

    scheduler = Scheduler(board, builder)
    with board.viewing(target_id(targets[2])):
        scheduler.start()
        scheduler.request([target_id(t) for t in targets])
        gate.set()
        assert scheduler.wait_idle(10)
    scheduler.stop()
    # "a" may already be building when the request lands; "c" (viewed) comes before b and d.
    assert built.index("c") < built.index("b") and built.index("c") < built.index("d")
    assert sorted(built) == ["a", "b", "c", "d"]


def test_stop_cancels_the_build_in_progress(tmp_path: Path) -> None:
    # Ctrl-C must not wait for a long build (the make-up pass lays out up to 20 trials): stop
    # makes the build thread's next budget.checkpoint raise.
    from paiban import budget

    board = Board(_targets(tmp_path)[:1])
    started, seen = threading.Event(), []

    def builder(target: Target) -> Result:
        started.set()
        deadline = time.monotonic() + 60
        try:
            while time.monotonic() < deadline:
                budget.checkpoint()
                time.sleep(0.01)
        except budget.Cancelled:
            seen.append("cancelled")
        return Result(pages=1)

    scheduler = Scheduler(board, builder)
    scheduler.start()
    scheduler.request(board.ids())
    assert started.wait(5)
    begun = time.monotonic()
    scheduler.stop()
    assert seen == ["cancelled"] and time.monotonic() - begun < 5
    budget.checkpoint()  # only the build thread was cancellable


def test_a_raising_builder_becomes_a_problem(tmp_path: Path) -> None:
    board = Board(_targets(tmp_path)[:1])

    def builder(target: Target) -> Result:
        raise RuntimeError("boom")

    scheduler = Scheduler(board, builder)
    scheduler.start()
    scheduler.request(board.ids())
    assert scheduler.wait_idle(5)
    scheduler.stop()
    entry = board.entries()[0]
    assert entry.problem and "boom" in entry.problem.message and entry.revision == 1


def test_board_events_wake_waiters(tmp_path: Path) -> None:
    board = Board(_targets(tmp_path)[:1])
    seq = board.last_seq()
    tid = board.ids()[0]
    threading.Timer(0.05, board.finish, (tid, Result(pages=2))).start()
    events = board.wait_events(seq, 5)
    assert [e.name for e in events] == ["built"] and events[0].data["target"] == tid
    board.close()
    assert board.wait_events(events[-1].seq, 5) == []


def test_unknown_sidecar_keys_get_their_line(tmp_path: Path) -> None:
    from paiban.errors import ConfigError

    sidecar = tmp_path / "a.toml"
    sidecar.write_text('# notes\n[stats]\ntitle = "数说"\ntitel = "x"\n\n[layuot]\nname = "x"\n', "utf-8")
    top = describe(ConfigError("unknown key layuot (allowed: stats, layout, figures)",
                               path=str(sidecar)))
    assert (top.file, top.line) == (str(sidecar), 6)
    nested = describe(ConfigError("unknown key stats.titel (allowed: title, pin)", path=str(sidecar)))
    assert nested.line == 4
    assert describe(ConfigError("no such key here", path=str(sidecar))).line is None


def test_css_warnings_name_their_stylesheet(tmp_path: Path) -> None:
    from paiban.config import Config
    from paiban.preview.builder import name_stylesheet

    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "base.css").write_text("body { margin: 0 }\n", "utf-8")
    (tmp_path / "styles" / "feature.css").write_text("h1 {\n  colr: red;\n}\n", "utf-8")
    cfg = Config(root=tmp_path)
    warning = "Ignored `colr: red` at 2:3, unknown property."
    assert name_stylesheet(warning, cfg) == f"styles/feature.css:2:3: {warning}"
    assert name_stylesheet("Ignored `zz-none: 1` at 99:1, unknown property.", cfg).startswith("Ignored")
    assert name_stylesheet("Anchor defined twice: a", cfg) == "Anchor defined twice: a"


def test_a_target_saved_during_its_build_stays_queued(tmp_path: Path) -> None:
    """Re-requested while building: it says "building", then "queued", never "idle" between."""
    board = Board(_targets(tmp_path)[:1])
    tid = board.ids()[0]
    started, release = threading.Event(), threading.Event()
    states: list[str] = []

    def builder(target: Target) -> Result:
        started.set()
        release.wait(5)
        return Result(pages=1)

    scheduler = Scheduler(board, builder, after=lambda t, r: states.append(board.get(t).state))
    scheduler.start()
    scheduler.request([tid])
    assert started.wait(5)
    scheduler.request([tid])
    assert board.get(tid).state == "building"
    release.set()
    assert scheduler.wait_idle(5)
    scheduler.stop()
    assert states == ["queued", "idle"] and board.get(tid).revision == 2
