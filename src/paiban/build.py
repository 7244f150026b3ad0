"""``paiban build``: every (text, edition, layout) into PDF + HTML, with a summary.

In: the config, input files or folders, layouts.
Out: files under ``cfg.out`` (names made by ``paiban.outputs.output_path``)::

    dist/_assets/styles/…                      the stylesheets the HTML links to (the theme's)
    dist/<stem>/<stem>.<edition>.pdf / .html   default layout, and the HTML it was made from
    dist/<stem>/<stem>.<edition>.<layout>.pdf / .html   any other layout
    dist/index.html                            lists everything in dist/

and an exit code: 0 all built, 1 some failed (the others are still built). Every file is written
atomically (temporary file, then rename), so a failed or killed build leaves the previous good
output in place and never a truncated PDF.
"""

from __future__ import annotations

import functools
import gc
import os
import re
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from paiban.cache import Cache, fingerprint, target_key
from paiban.config import Config
from paiban.errors import ConfigError, InputError, PaibanError
from paiban.outputs import output_path
from paiban.timing import stage, take


@dataclass(slots=True, frozen=True)
class Target:
    """One output: a text in one edition and one layout."""

    text: Path
    edition: str
    layout: str

    def pdf(self, cfg: Config) -> Path:
        """Where its PDF goes (see ``paiban.outputs.output_path``)."""
        return output_path(cfg.out, self.text.stem, self.edition, self.layout, cfg.layout, "pdf",
                           cfg.press.pdf, cfg.press.proof)

    def html(self, cfg: Config) -> Path:
        return output_path(cfg.out, self.text.stem, self.edition, self.layout, cfg.layout, "html",
                           cfg.press.pdf, cfg.press.proof)


CLEANING = "cleaning: "
"""How a cleaning warning starts (a fragment kept as written…): said once per text."""


def cleaning_warnings(article) -> tuple[str, ...]:
    """The cleaning report's warnings and kept fragments, one line each."""
    report = article.report
    out = [f"{CLEANING}{w}" for w in report.warnings]
    for f in report.fragments:
        text = f.text if len(f.text) <= 24 else f.text[:24] + "…"
        out.append(f"{CLEANING}line {f.line}: kept as written ({f.reason}): {text}")
    return tuple(out)


@dataclass(slots=True)
class Outcome:
    target: Target
    pages: int = 0
    seconds: float = 0.0
    error: str | None = None
    warnings: tuple[str, ...] = ()
    cached: bool = False
    stages: dict[str, float] = field(default_factory=dict)
    """Seconds per stage (see paiban.timing) spent on this target."""
    max_rss_kb: int = 0
    """Peak resident memory of the process that rendered it."""


@dataclass(slots=True)
class Summary:
    """What a build did: one outcome per target, in target order."""

    outcomes: list[Outcome] = field(default_factory=list)
    texts: int = 0
    """How many texts were asked for."""
    seconds: float = 0.0
    cfg: Config | None = None
    problems: list[str] = field(default_factory=list)
    """What went wrong outside any one target (the index could not be written…)."""
    unreadable: list[Path] = field(default_factory=list)
    """Files in the folders built that paiban cannot read (listed, not silently skipped)."""

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.error]

    @property
    def warnings(self) -> list[tuple[Target, str]]:
        """Every (target, warning); a text's cleaning warnings once, not once per edition."""
        seen: dict[tuple[Path, str], Target] = {}
        for o in self.outcomes:
            for w in o.warnings:
                key = (o.target.text, w) if w.startswith(CLEANING) else (o.target, w)
                seen.setdefault(key, o.target)  # type: ignore[arg-type]
        return [(t, key[1]) for key, t in seen.items()]

    def to_dict(self, strict: bool = False) -> dict:
        """The summary for scripts (``paiban build --json``)."""
        ok = [o for o in self.outcomes if not o.error]
        return {
            "ok": not self.failed and not self.problems and not (strict and self.warnings),
            "texts": self.texts,
            "targets": [
                {"text": str(o.target.text), "edition": o.target.edition,
                 "layout": o.target.layout, "pdf": str(o.target.pdf(self.cfg)) if self.cfg else None,
                 "pages": o.pages, "seconds": round(o.seconds, 3), "cached": o.cached,
                 "warnings": list(o.warnings), "error": o.error}
                for o in self.outcomes
            ],
            "pages": sum(o.pages for o in ok),
            "seconds": round(self.seconds, 3),
            "built": sum(not o.cached for o in ok),
            "up_to_date": sum(o.cached for o in ok),
            "warnings": len(self.warnings),
            "failures": len(self.failed) + len(self.problems),
            "problems": list(self.problems),
            "unreadable": [str(p) for p in self.unreadable],
        }


def collect(inputs: tuple[Path, ...], root: Path | None = None) -> list[Path]:
    """The texts (.txt, .docx, .md, the suffix in any case) named or found (non-recursively)
    in the folders named, in order, without those that resolve outside the project (see
    ``collect_checked``)."""
    texts, _refused = collect_checked(inputs, root)
    return texts


def collect_checked(inputs: tuple[Path, ...],
                    root: Path | None = None) -> tuple[list[Path], dict[Path, InputError]]:
    """``collect``'s texts, and the texts refused with their one-line errors: a text must
    resolve (links followed) inside the project ``root`` or inside the folder it was found in
    or named in, so a link in seeds/ to /etc/passwd is never printed into a PDF."""
    texts, refused, _unreadable = scan(inputs, root)
    return texts, refused


PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".tif", ".tiff")
"""Files beside the texts that are not texts but are no surprise either: photos (a Markdown
text links them; sidecars place them)."""


def scan(inputs: tuple[Path, ...], root: Path | None = None
         ) -> tuple[list[Path], dict[Path, InputError], list[Path]]:
    """``(texts, refused, unreadable)``: as ``collect_checked``, and the files in the folders
    named that paiban cannot read (an old .doc, a PDF…), so the summary can list them.
    Sidecars, photos, hidden files and Word's lock files (``~$…``) are not listed."""
    from paiban.readers import is_source

    found: list[tuple[Path, Path]] = []  # (as found, the folder it must stay in)
    unreadable: list[Path] = []
    for item in inputs:
        if item.is_dir():
            files = sorted(p for p in item.iterdir() if p.is_file())
            hits = [p for p in files if is_source(p) and not p.name.startswith((".", "~$"))]
            stems = {p.stem for p in hits}
            unreadable += [p for p in files if p not in hits
                           and not p.name.startswith((".", "~$"))
                           and p.suffix.lower() not in PHOTO_SUFFIXES
                           and not (p.suffix.lower() == ".toml" and p.stem in stems)]
            if not hits:
                raise InputError("no texts (.txt, .docx, .md) in this folder", path=str(item))
            found.extend((p, item) for p in hits)
        elif item.is_file():
            found.append((item, item.absolute().parent))
        else:
            raise InputError("no such file or folder", path=str(item))
    homes = [root.resolve()] if root is not None else []
    texts: list[Path] = []
    refused: dict[Path, InputError] = {}
    for path, folder in found:
        real = path.resolve()
        if not any(real.is_relative_to(home) for home in (*homes, folder.resolve())):
            refused[path.absolute()] = InputError(
                f"resolves to {real}, outside the project and the folder it is in; "
                f"copy the text into the project instead of linking to it", path=str(path))
            continue
        texts.append(real)
    return list(dict.fromkeys(texts)), refused, list(dict.fromkeys(unreadable))


_UMASK = os.umask(0o022)
os.umask(_UMASK)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are shared with people
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None:
            exc.filename = str(path)  # a failed write names the file it was for
        raise


def _prepare_out(out: Path) -> None:
    """Make sure ``out`` is a writable folder (one clear error otherwise) and sweep temporary
    files left by a build that was killed (older than an hour, so a concurrent build's are kept)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as exc:
        raise PaibanError(f"cannot write to the output folder: {exc.strerror or exc}",
                          path=str(out)) from None
    cutoff = time.time() - 3600
    for tmp in out.glob("**/.*.tmp"):
        try:
            if tmp.stat().st_mtime < cutoff:
                tmp.unlink()
        except OSError:
            pass


def publish_assets(cfg: Config) -> Path:
    """Copy the theme's stylesheets (the project's over the built-in ones, file by file) into
    dist/_assets/styles/ (what the HTML links to); return dist/_assets."""
    assets = cfg.out / "_assets"
    for name, file in cfg.theme.files("styles").items():
        if file.suffix != ".py":
            dest = assets / "styles" / name
            data = file.read_bytes()
            if not dest.is_file() or dest.read_bytes() != data:
                write_atomic(dest, data)
    return assets


def publish_images(article, cfg: Config) -> None:
    """Copy the photos ``article`` places into dist/_assets/ under their project path
    (``images/x.jpg`` -> ``dist/_assets/images/x.jpg``), where the HTML links them relatively:
    the HTML edition then shows them over HTTP (the preview) and from disk alike, where a
    ``file://`` link is refused by browsers. A copy whose size and time match is left alone."""
    root = cfg.root.resolve()
    built = (cfg.out / "_assets").resolve()
    for figure in article.figures:
        if figure.image is None:
            continue
        src = (cfg.root / figure.image).resolve()
        if src.is_relative_to(built) or not src.is_relative_to(root):
            continue  # a reader's photo, written under the assets already
        dest = cfg.out / "_assets" / src.relative_to(root)
        st = src.stat()
        try:
            copy = dest.stat()
            if (copy.st_size, copy.st_mtime_ns) == (st.st_size, st.st_mtime_ns):
                continue
        except OSError:
            pass
        write_atomic(dest, src.read_bytes())
        os.utime(dest, ns=(st.st_atime_ns, st.st_mtime_ns))


def allowed_roots(cfg: Config) -> tuple[Path, ...]:
    """Folders WeasyPrint may load files from."""
    return (*cfg.theme.all_folders(), cfg.out / "_assets", cfg.seeds, cfg.root / "images")


def render_target(target: Target, article, cfg: Config, first_folio: int | None = None) -> Outcome:
    """Render one target from its (edition-converted) article; never raises. ``first_folio``:
    its first page number in an issue (see ``render_html``)."""
    from paiban.render.html import render_html
    from paiban.render.pdf import render_pdf, shared_font_config

    started = time.perf_counter()
    try:
        _check_lengths(article, target)
        _check_glyphs(article, target, cfg)
        _check_images(article, target, cfg)
        publish_images(article, cfg)
        with stage("template"):
            html = render_html(article, target.layout, cfg, assets="../_assets/",
                               hero=article.hero or None, first_folio=first_folio)
        html_path = target.html(cfg)
        photo_notes: list[str] = []
        rendered = render_pdf(html, html_path, allowed_roots(cfg), _epoch(cfg),
                              shared_font_config(*cfg.theme.folders("fonts")), press=cfg.press,
                              root=cfg.root, marks=cfg.marks,
                              arrange=_make_up(article, target, cfg, photo_notes, first_folio))
        html = rendered.html or html
        _check_photos(photo_notes, target, cfg)
        _check_boxes(rendered.warnings, target)
        _check_loads(rendered, target)
        with stage("write"):
            for path, data in ((target.pdf(cfg), rendered.pdf), (html_path, html.encode("utf-8"))):
                try:
                    write_atomic(path, data)
                except OSError as exc:  # a full disk, a folder made read-only meanwhile…
                    raise PaibanError(f"cannot write {exc.filename}: {exc.strerror or exc}",
                                      path=str(target.text)) from None
    except PaibanError as exc:
        return Outcome(target, error=str(exc), seconds=time.perf_counter() - started)
    except Exception as exc:  # a bug in one target must not stop the others
        return Outcome(target, error=f"{target.text.name}: internal error: {type(exc).__name__}: {exc}",
                       seconds=time.perf_counter() - started)
    return Outcome(target, pages=rendered.pages, seconds=time.perf_counter() - started,
                   warnings=rendered.warnings + tuple(photo_notes))


MAX_PARAGRAPH = 20_000
"""Longest paragraph paiban sets, in characters (about ten pages of one paragraph). WeasyPrint's
line breaking takes time quadratic in a paragraph's length (its min-content width splits the
whole rest of the paragraph for every line): measured on varied text, 20,000 characters take
7 s, 50,000 take 40 s, 100,000 take 2 minutes and a million do not finish in 10 minutes."""


def _make_up(article, target: Target, cfg: Config, photo_notes: list[str],
             first_folio: int | None = None):
    """The make-up pass for ``render_pdf``: close the holes at column feet by moving a
    figure, box or pull quote (render/makeup.py); None when it changes nothing. The photos'
    resolution as finally placed goes to ``photo_notes``: warnings, then errors marked
    ``ERROR``."""
    from paiban import photos
    from paiban.render import makeup
    from paiban.render.html import render_html

    def arrange(document, lay_out):
        def html_of(trial):
            return render_html(trial, target.layout, cfg, assets="../_assets/",
                               hero=trial.hero or None, first_folio=first_folio)

        best, best_document = makeup.improve(article, document,
                                             lambda trial: lay_out(html_of(trial)))
        if any(f.image for f in article.figures):
            warnings, errors = photos.problems(photos.resolutions(best_document), cfg.root)
            photo_notes.extend(f"low-resolution photo {w}" for w in warnings)
            photo_notes.extend(f"ERROR {e}" for e in errors)
        return None if best is article else (html_of(best), best_document)

    return arrange


def _check_photos(notes: list[str], target: Target, cfg: Config) -> None:
    """A photo under 150 ppi as placed fails a print target (x-4, x-1a); the screen variant
    only warns. Warnings under 300 ppi stay in ``notes``."""
    errors = [n.removeprefix("ERROR ") for n in notes if n.startswith("ERROR ")]
    if errors and cfg.press.pdf == "screen":
        notes[:] = [n.removeprefix("ERROR ") for n in notes]
        return
    if errors:
        raise PaibanError(f"photo resolution too low for print: {'; '.join(errors)}",
                          path=str(target.text))


def _check_lengths(article, target: Target) -> None:
    """Refuse a paragraph too long to set in bounded time (text with no line breaks at all)."""
    for block in article.blocks:
        text = getattr(block, "text", None) or getattr(block, "caption", "")
        if len(text) > MAX_PARAGRAPH:
            where = f" (line {block.line})" if getattr(block, "line", 0) else ""
            raise PaibanError(f"a paragraph{where} of {len(text):,} characters is longer than "
                              f"paiban sets ({MAX_PARAGRAPH:,}); break it into paragraphs",
                              path=str(target.text))
    for name in ("title", "subtitle", "byline"):
        if len(getattr(article, name)) > MAX_PARAGRAPH:
            raise PaibanError(f"the {name} is {len(getattr(article, name)):,} characters long, "
                              f"more than paiban sets ({MAX_PARAGRAPH:,})", path=str(target.text))


def _check_glyphs(article, target: Target, cfg: Config) -> None:
    """Refuse to set characters the edition's face lacks: they would print as empty boxes."""
    from paiban.render.fonts import missing_glyphs, require

    face = require(cfg.fonts_toml, article.lang).serif
    text = "".join(article.texts()) + cfg.publication + cfg.issue
    missing = missing_glyphs(text, face)
    if missing:
        raise PaibanError(f"{len(missing)} character(s) not in {face} would print as boxes: "
                          f"{_first(missing)}", path=str(target.text))


def _check_images(article, target: Target, cfg: Config) -> None:
    """A sidecar's image must be a file in the folders WeasyPrint may read (images/, seeds/…):
    one error naming the sidecar key, not a PDF that silently lacks the photo."""
    from paiban.render.pdf import allowed_url
    from paiban.sidecar import path_for

    for figure in article.figures:
        if figure.image is None:
            continue
        path = cfg.root / figure.image
        if not path.is_file():
            problem = "is not a file in the project"
        elif not allowed_url(path.resolve().as_uri(), allowed_roots(cfg)):
            problem = "is outside the project's image folders (images/, seeds/)"
        else:
            continue
        raise ConfigError(f"figures.{figure.number}.image: {figure.image!r} {problem}",
                          path=str(path_for(target.text)))


_LOAD_FAILED = re.compile(r"^Failed to load (\w+) at '?(.+?)'? ?:(?:\s(.*))?$", re.S)


def _check_loads(rendered, target: Target) -> None:
    """Refuse a PDF that lacks something the document asked for: a URL the locked fetcher
    refused (a file outside the project, the network) or a resource that did not load."""
    if rendered.refused:
        raise PaibanError(f"refused to load {_first(list(rendered.refused), 3)}: paiban reads only "
                          f"the project's layout/, styles/, fonts/, images/ and seeds/ folders",
                          path=str(target.text))
    for warning in rendered.warnings:
        if m := _LOAD_FAILED.match(warning):
            kind, url, reason = m.groups()
            reason = (reason or "").strip() or f"not a readable {kind}"
            raise PaibanError(f"cannot load the {kind} {url}: {reason}", path=str(target.text))


_NOTDEF = re.compile(r"^\.notdef glyph rendered .*\(U\+([0-9A-F]{4,6})\)$")


def _check_boxes(warnings: tuple[str, ...], target: Target) -> None:
    """Refuse a PDF in which WeasyPrint drew an empty box for a character no font has (one
    that ``_check_glyphs`` let through, such as a character of a template or stylesheet)."""
    from paiban.render.fonts import glyph_name

    codes = sorted({int(m[1], 16) for w in warnings if (m := _NOTDEF.match(w))})
    if codes:
        raise PaibanError(f"{len(codes)} character(s) in no font would print as boxes: "
                          f"{_first([glyph_name(cp) for cp in codes])}", path=str(target.text))


def _first(names: list[str], n: int = 5) -> str:
    return ", ".join(names[:n]) + (f" and {len(names) - n} more" if len(names) > n else "")


def _epoch(cfg: Config) -> int:
    from datetime import datetime, timezone

    value = os.environ.get("SOURCE_DATE_EPOCH")
    where, epoch = (("SOURCE_DATE_EPOCH", int(value)) if value and value.isdigit()
                    else ("[tool.paiban].source_date_epoch", cfg.source_date_epoch))
    try:
        datetime.fromtimestamp(epoch, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise PaibanError(f"{epoch} is not a time a PDF can carry (seconds since 1970, before "
                          f"the year 10000)", path=where) from None
    return epoch


@functools.lru_cache(maxsize=4)
def _source(path: Path, content_key: str, cfg: Config):
    """The cleaned source, kept while a process renders its several editions and layouts
    (``content_key`` changes with the text or sidecar, so an edited text is read again)."""
    from paiban.pipeline import load_source

    return load_source(path, cfg)


def _write_photos(source, target: Target) -> None:
    """The photos a .docx or .md text brought, written where its figures link them."""
    from paiban.pipeline import write_photos

    try:
        write_photos(source)
    except OSError as exc:
        raise PaibanError(f"cannot write the photo {exc.filename}: {exc.strerror or exc}",
                          path=str(target.text)) from None


def _work(target: Target, cfg: Config, content_key: str) -> Outcome:
    """Clean (once per text per process), convert and render one target; never raises."""
    import resource

    from paiban import budget, editions

    take()
    with budget.limit(cfg.time_budget, str(target.text)):
        try:
            source = _source(target.text, content_key, cfg)
            _write_photos(source, target)
            with stage("convert"):
                article = editions.convert_article(source.article, target.edition,
                                                   cfg.corner_quotes)
        except PaibanError as exc:
            return Outcome(target, error=str(exc))
        except Exception as exc:
            return Outcome(target, error=f"{target.text.name}: internal error: {type(exc).__name__}: {exc}")
        outcome = render_target(target, article, cfg)
    outcome.warnings = cleaning_warnings(source.article) + outcome.warnings
    with stage("free"):
        _release_memory()
    outcome.stages = take()
    outcome.max_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return outcome


def _release_memory() -> None:
    """Give a rendered document's memory back before the next one.

    WeasyPrint's box trees are full of reference cycles, so without a collection a worker's
    heap keeps the last documents, and glibc keeps freed arenas: measured on 24 synthetic
    articles × 2 editions in one process, peak memory went from ~500 MB to ~315 MB and the
    resident size between documents from ~250 MB to ~120 MB with this.
    """
    import ctypes

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the collection alone still helps
        pass


def _warm(tags: tuple[str, ...]) -> None:
    """Worker start-up: import and patch WeasyPrint, load OpenCC and jieba's dictionary (for
    statistics labels) once, not per target."""
    from paiban import editions
    from paiban.render.pdf import _weasyprint
    from paiban.stats import words

    words.warm()
    try:
        _weasyprint()
        editions.warm(tags)
    except PaibanError:  # a missing library: each target reports it, in one clear line
        pass
    # What start-up loaded lives as long as the process: keep it out of the collections
    # _release_memory runs after every document (halves their cost, ~35 → ~17 ms).
    gc.freeze()


def _run(todo: list[tuple[Target, str, str]], cfg: Config, jobs: int, progress) -> list[Outcome]:
    """Render ``todo`` serially (jobs == 1) or in worker processes; same bytes either way."""
    outcomes: list[Outcome] = []
    tags = tuple(dict.fromkeys(t.edition for t, _key, _content in todo))
    if jobs <= 1 or len(todo) <= 1:
        _warm(tags)
        for target, _key, content in todo:
            outcome = _work(target, cfg, content)
            outcomes.append(outcome)
            progress.done(outcome)
        return outcomes
    # Targets go out in text order, so a text's editions often land on different workers and
    # each cleans it once (cleaning is ~1 % of a build; _source keeps it per process).
    with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), initializer=_warm,
                             initargs=(tags,)) as pool:
        futures = {pool.submit(_work, target, cfg, content): target
                   for target, _key, content in todo}
        for future in as_completed(futures):
            target = futures[future]
            try:
                outcome = future.result()
            except Exception as exc:  # a worker died (killed, out of memory): report, go on
                outcome = Outcome(target, error=f"{target.text.name}: worker process failed: "
                                                f"{type(exc).__name__}: {exc}")
            outcomes.append(outcome)
            progress.done(outcome)
    return outcomes


def _layouts_for(text: Path, cfg: Config) -> tuple[str, ...]:
    """The sidecar's ``[layout] name`` when it sets one, else the configured layout."""
    from paiban import sidecar

    try:
        return (sidecar.load(text).layout or cfg.layout,)
    except PaibanError:
        return (cfg.layout,)  # the bad sidecar is reported when the text is built


def _clashes(texts: list[Path]) -> dict[Path, str]:
    """Texts whose name another text already has (a/x.txt, b/x.txt): both would be written to
    dist/x/, the second over the first. The first is built; each later one gets this error."""
    first: dict[str, Path] = {}
    out: dict[Path, str] = {}
    for text in texts:
        if text.stem in first:
            out[text] = str(PaibanError(f"has the same name as {first[text.stem]}, whose PDFs "
                                        f"go to the same folder; rename one", path=str(text)))
        else:
            first[text.stem] = text
    return out


def run(cfg: Config, inputs: tuple[Path, ...], *, layouts: tuple[str, ...] | None = None,
        force: bool = False, progress=None) -> Summary:
    """Build every target that is out of date, write the index and the record; print nothing.

    ``layouts`` None: each text in its sidecar's layout, or the configured one. ``progress``
    (a ``paiban.report.Progress``) hears of each target as it finishes.
    """
    from paiban.report import Progress, previous_warnings, write_index, write_record

    started = time.perf_counter()
    texts, refused, unreadable = scan(inputs, cfg.root)
    targets = [Target(t, e, lay) for t in texts for e in cfg.editions
               for lay in (layouts or _layouts_for(t, cfg))]
    shared = fingerprint(cfg)
    cache = Cache(cfg.out)
    keys = {t: target_key(t, shared, cfg) for t in targets}
    summary = Summary(texts=len(texts) + len(refused), cfg=cfg, unreadable=unreadable)
    summary.outcomes.extend(Outcome(Target(path, edition, cfg.layout), error=str(error))
                            for path, error in refused.items() for edition in cfg.editions[:1])
    todo: list[tuple[Target, str, str]] = []
    clashes = _clashes(texts)
    earlier = previous_warnings(cfg)
    for t in targets:
        if t.text in clashes:
            summary.outcomes.append(Outcome(t, error=clashes[t.text]))
            continue
        key, content = keys[t]
        pages = None if force else cache.fresh(t.pdf(cfg), t.html(cfg), key)
        if pages is None:
            todo.append((t, key, content))
        else:  # its warnings, from the build that made it, still hold
            summary.outcomes.append(Outcome(t, pages=pages, cached=True,
                                            warnings=earlier.get(_record_key(t), ())))
    if todo:
        from paiban.render.pdf import harfbuzz_subset_available

        _prepare_out(cfg.out)
        if not harfbuzz_subset_available():
            print("paiban: warning: libharfbuzz-subset is missing; font subsetting falls back to "
                  "fontTools (~10 s per PDF). Install it: apt-get install libharfbuzz-subset0",
                  file=sys.stderr)
        publish_assets(cfg)
        jobs = cfg.jobs or os.cpu_count() or 1
        with (progress or Progress(len(todo), quiet=True)) as bar:
            bar.start(len(todo))
            outcomes = _run(todo, cfg, jobs, bar)
        cache.record([(o.target.pdf(cfg), o.target.html(cfg), keys[o.target][0], o.pages)
                      for o in outcomes if not o.error])
        summary.outcomes.extend(outcomes)
    order = {t: i for i, t in enumerate(targets)}
    summary.outcomes.sort(key=lambda o: order.get(o.target, -1))  # refused texts first
    summary.seconds = time.perf_counter() - started
    try:
        write_index(cfg, summary)
        write_record(cfg, summary, summary.seconds)
    except OSError as exc:  # the PDFs are written; only the index or the record is not
        summary.problems.append(f"{exc.filename}: cannot write: {exc.strerror or exc}")
    return summary


def _record_key(target: Target) -> tuple[str, str, str]:
    return (str(target.text), target.edition, target.layout)


def build(cfg: Config, inputs: tuple[Path, ...], *, layouts: tuple[str, ...] | None = None,
          quiet: bool = False, force: bool = False, verbose: bool = False,
          strict: bool = False, as_json: bool = False) -> int:
    """``paiban build``: ``run`` with progress on stderr and the summary; the exit code.

    On a terminal a progress bar, otherwise one line per finished target; ``verbose`` prints
    each warning as it comes; ``strict`` fails the build on any warning; ``as_json`` prints
    the summary as JSON on stdout instead of a line.
    """
    from paiban.report import Progress

    progress = Progress(0, quiet=quiet, verbose=verbose)
    summary = run(cfg, inputs, layouts=layouts, force=force, progress=progress)
    if verbose:
        progress.cached_warnings(summary)
    for problem in summary.problems:
        print(f"paiban: {problem}", file=sys.stderr)
    for message in dict.fromkeys(o.error for o in summary.failed):
        print(f"paiban: {message}", file=sys.stderr)
    failed = bool(summary.failed or summary.problems or (strict and summary.warnings))
    if as_json:
        import json

        print(json.dumps(summary.to_dict(strict=strict), ensure_ascii=False, indent=1))
    else:
        _print_summary(summary, cfg, verbose, strict, failed)
    return 1 if failed else 0


def _print_summary(summary: Summary, cfg: Config, verbose: bool = False, strict: bool = False,
                   failed: bool = False) -> None:
    if summary.unreadable:
        names = [p.name for p in summary.unreadable]
        print(f"paiban: skipped {len(names)} file(s) paiban cannot read (it reads .txt, .docx, "
              f".md): {_first(names, 10)}", file=sys.stderr)
    ok = [o for o in summary.outcomes if not o.error]
    cached = sum(o.cached for o in ok)
    pages = sum(o.pages for o in ok)
    line = (f"built {len(ok)} of {len(summary.outcomes)} PDFs ({pages} page{'s' * (pages != 1)}) "
            f"from {summary.texts} text{'s' * (summary.texts != 1)} into {_display(cfg.out)} "
            f"in {summary.seconds:.1f} s")
    # A photo too coarse for its placed size: named once per text, however many editions.
    for message in dict.fromkeys(f"{o.target.text.name}: {w}" for o in ok if not o.cached
                                 for w in o.warnings if w.startswith("low-resolution photo")):
        print(f"paiban: warning: {message}", file=sys.stderr)
    if cached:
        line += f"; {cached} up to date"
    if summary.failed:
        line += f"; {len(summary.failed)} failed"
    if n := len(summary.warnings):
        line += f"; {n} warning{'s' * (n != 1)}"
        line += " (--strict: the build fails)" if strict else ("" if verbose else " (-v shows them)")
    print(line, file=sys.stderr if failed else sys.stdout)


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd())) + "/"
    except ValueError:
        return str(path) + "/"
