"""The issue in the preview: rebuilt after the articles, shown as spreads with live contents links.

In: the project's issue manifest (``issue.toml``, see ``paiban.issue``), the editions to show,
the preview's board (for its events).
Out: per edition, the issue PDF built by ``paiban.issue.build_issue`` (its own incremental
build: only what changed is rendered again) and what the issue view needs from it —
the contents page's links (each link's rectangle, in points from the page's top left, and the
page it jumps to) and the articles' titles and first folios, read from the PDF with pikepdf.

The issue is built on the preview's one build thread when no article build is waiting, so
WeasyPrint never runs twice at once, and an issue is never assembled from half-saved articles.
A change to a text the manifest lists, to a shared file (layout, stylesheet, font) or to the
manifest itself marks it out of date; the manifest is polled (it lives at the project's root,
which is not watched: dist/ is below it).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from paiban.config import Config
from paiban.errors import PaibanError
from paiban.preview.board import Board
from paiban.preview.model import Problem, parse_problem
from paiban.preview.pages import Key, file_key

POLL_S = 0.5
"""How often the manifest's modification time is looked at."""


@dataclass(slots=True, frozen=True)
class Link:
    """A link annotation on an issue page: where it is and the page (1-based) it jumps to."""

    page: int
    x: float
    y: float
    width: float
    height: float
    """In points, from the top left of the page's CropBox (what the page image shows)."""
    target: int


@dataclass(slots=True, frozen=True)
class Layout:
    """What the issue view reads from an issue PDF."""

    links: tuple[Link, ...]
    articles: tuple[tuple[str, int], ...]
    """Each article's title and first page, in order."""


@dataclass(slots=True)
class Edition:
    """One edition's issue and what the preview last learned about it."""

    edition: str
    pdf: Path
    state: str = "idle"
    problem: Problem | None = None
    revision: int = 0
    seconds: float | None = None


def read_layout(pdf: Path) -> Layout:
    """The contents links and the article list of an issue PDF (empty when unreadable)."""
    import pikepdf

    try:
        doc = pikepdf.open(pdf)
    except (OSError, pikepdf.PdfError):
        return Layout((), ())
    with doc:
        index = {p.objgen: i for i, p in enumerate(doc.pages)}
        links = []
        for number, page in enumerate(doc.pages, start=1):
            box = [float(v) for v in page.obj.get("/CropBox", page.mediabox)]
            for annot in page.obj.get("/Annots", []):
                target = _target(annot, index)
                if target is None or "/Rect" not in annot:
                    continue
                x0, y0, x1, y1 = (float(v) for v in annot.Rect)
                x0, x1 = sorted((x0, x1))
                y0, y1 = sorted((y0, y1))
                links.append(Link(number, x0 - box[0], box[3] - y1, x1 - x0, y1 - y0,
                                  target + 1))
        articles: tuple[tuple[str, int], ...] = ()
        raw = doc.docinfo.get("/PaibanIssue") if doc.docinfo is not None else None
        if raw is not None:
            try:
                data = json.loads(str(raw))
                articles = tuple((str(t), int(s)) for t, s in zip(data["titles"], data["starts"]))
            except (ValueError, KeyError, TypeError):
                pass
    return Layout(tuple(_merged(links)), articles)


def _merged(links: list[Link]) -> list[Link]:
    """One rectangle per (page, target): WeasyPrint writes an annotation per box of a link (the
    folio, each line of the title, the deck…); the overlay is their union."""
    groups: dict[tuple[int, int], list[Link]] = {}
    for link in links:
        groups.setdefault((link.page, link.target), []).append(link)
    out = []
    for (page, target), parts in groups.items():
        x0 = min(l.x for l in parts)
        y0 = min(l.y for l in parts)
        x1 = max(l.x + l.width for l in parts)
        y1 = max(l.y + l.height for l in parts)
        out.append(Link(page, x0, y0, x1 - x0, y1 - y0, target))
    return out


def _target(annot: Any, index: dict) -> int | None:
    """The 0-based page a GoTo link (or a /Dest) jumps to, else None."""
    import pikepdf

    if annot.get("/Subtype") != pikepdf.Name.Link:
        return None
    dest = annot.get("/Dest")
    action = annot.get("/A")
    if dest is None and action is not None and action.get("/S") == pikepdf.Name.GoTo:
        dest = action.get("/D")
    if isinstance(dest, pikepdf.Array) and len(dest) and isinstance(dest[0], pikepdf.Dictionary):
        return index.get(dest[0].objgen)
    return None


class Issue:
    """The issue of a previewed project: its editions, their state, the rebuilds."""

    def __init__(self, cfg: Config, manifest_path: Path, editions: tuple[str, ...],
                 board: Board) -> None:
        from paiban.issue.manifest import load

        self.cfg = cfg
        self.manifest_path = manifest_path
        self.board = board
        self.name = ""
        self.texts: frozenset[Path] = frozenset()
        self._lock = threading.Lock()
        self._layouts: dict[Key, Layout] = {}
        self._dirty = True
        self._stamp = _stamp(manifest_path)
        self._stop = threading.Event()
        self._poller: threading.Thread | None = None
        self.wake: Any = None
        """Called (no arguments) when the manifest changed, so the build thread looks again."""
        self.log: Any = None
        """Where one line per issue build goes (the terminal), or None."""
        self.slug = "issue"
        try:
            manifest = load(manifest_path, cfg)
            self.slug, self.name = manifest.slug, manifest.name
            self.texts = frozenset(e.text.resolve() for e in manifest.entries)
        except PaibanError:
            pass  # shown as the first build's problem
        self.editions = {e: Edition(e, self._pdf(e)) for e in editions}

    def _pdf(self, edition: str) -> Path:
        from paiban.issue.run import issue_pdf

        return issue_pdf(self.cfg, self.slug, edition)

    # --- what changed ---------------------------------------------------------------------------

    def touch(self, texts: frozenset[Path], everything: bool) -> None:
        """A burst of saves: out of date if it touched a shared file or a text of the issue."""
        if everything or any(t.resolve() in self.texts for t in texts):
            with self._lock:
                self._dirty = True

    def dirty(self) -> bool:
        with self._lock:
            return self._dirty

    def start(self) -> None:
        self._poller = threading.Thread(target=self._poll, name="paiban-preview-issue",
                                        daemon=True)
        self._poller.start()

    def stop(self) -> None:
        self._stop.set()

    def _poll(self) -> None:
        while not self._stop.wait(POLL_S):
            stamp = _stamp(self.manifest_path)
            if stamp != self._stamp:
                self._stamp = stamp
                with self._lock:
                    self._dirty = True
                if self.wake:
                    self.wake()

    # --- building (on the build thread) ---------------------------------------------------------

    def build(self) -> None:
        """Build every edition's issue, if out of date. Never raises."""
        from paiban.issue.manifest import load

        with self._lock:
            if not self._dirty:
                return
            self._dirty = False
        try:
            manifest = load(self.manifest_path, self.cfg)
            self.name = manifest.name
            self.texts = frozenset(e.text.resolve() for e in manifest.entries)
            if manifest.slug != self.slug:
                self.slug = manifest.slug
                for edition in self.editions.values():
                    edition.pdf = self._pdf(edition.edition)
        except PaibanError as exc:
            from paiban.preview.builder import describe

            problem = _manifest_line(describe(exc), self.manifest_path)
            for edition in self.editions:
                self._finish(edition, problem, 0.0)
            return
        for edition in self.editions:
            self._mark(edition, "building")
            started = time.perf_counter()
            problem = self._build_one(edition)
            self._finish(edition, problem, time.perf_counter() - started)

    def _build_one(self, edition: str) -> Problem | None:
        from paiban.issue import build_issue

        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                status = build_issue(self.cfg, self.manifest_path, (edition,), jobs=1, quiet=True)
        except PaibanError as exc:
            from paiban.preview.builder import describe

            return describe(exc)
        except Exception as exc:  # noqa: BLE001 - shown in the page; the preview keeps serving
            return Problem(f"internal error: {type(exc).__name__}: {exc}")
        if status == 0:
            return None
        lines = [l.removeprefix("paiban: ") for l in err.getvalue().splitlines()
                 if l.startswith("paiban: ")]
        return parse_problem(lines[0]) if lines else Problem(err.getvalue().strip() or
                                                             "the issue was not made")

    def _mark(self, edition: str, state: str) -> None:
        with self._lock:
            self.editions[edition].state = state
        self.board.announce("state", {"target": issue_id(edition), "state": state})

    def _finish(self, edition: str, problem: Problem | None, seconds: float) -> None:
        with self._lock:
            entry = self.editions[edition]
            entry.state, entry.problem, entry.seconds = "idle", problem, seconds
            entry.revision += 1
            revision = entry.revision
        if self.log:
            self.log(f"failed {issue_id(edition)}: {problem.message}" if problem else
                     f"built {issue_id(edition)}: {entry.pdf.name} in {seconds:.2f} s")
        self.board.announce("built", {"target": issue_id(edition), "ok": problem is None,
                                      "revision": revision, "seconds": round(seconds, 3)})

    # --- reading --------------------------------------------------------------------------------

    def get(self, edition: str) -> Edition | None:
        with self._lock:
            entry = self.editions.get(edition)
            return None if entry is None else Edition(entry.edition, entry.pdf, entry.state,
                                                      entry.problem, entry.revision,
                                                      entry.seconds)

    def layout(self, pdf: Path) -> Layout:
        """``read_layout`` of ``pdf``, cached by the file's identity on disk."""
        key = file_key(pdf)
        if key is None:
            return Layout((), ())
        with self._lock:
            cached = self._layouts.get(key)
        if cached is None:
            cached = read_layout(pdf)
            with self._lock:
                self._layouts = {k: v for k, v in self._layouts.items() if k[0] != key[0]}
                self._layouts[key] = cached
        return cached


def _manifest_line(problem: Problem, manifest: Path) -> Problem:
    """Add the line to a manifest problem that names its key (``issue.binding must be…``)."""
    import re

    match = re.match(r"issue\.(?:sections\.)?(\w+)", problem.message)
    if problem.line or not match or Path(problem.file or "") != manifest:
        return problem
    try:
        lines = manifest.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return problem
    for number, line in enumerate(lines, start=1):
        if re.match(rf"\s*{match.group(1)}\s*=", line):
            return Problem(problem.message, problem.file, number)
    return problem


def issue_id(edition: str) -> str:
    """The issue's id in events and ``/events?watch=``: ``issue/<edition>``."""
    return f"issue/{edition}"


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)
