"""``paiban issue``: render the issue's pieces, make it up, assemble one PDF per edition.

In: the config, a manifest path, the editions. Out: ``<out>/<slug>/`` holding the issue PDFs
(``<slug>.<edition>.pdf``), each article's own PDF with its real folios (as ``paiban build``
names them, under ``<out>/<slug>/``), the cover and contents pages, and ``.paiban-issue.json``,
the record that lets the next build skip what did not change.

Make-up needs each article's page count, and an article's folios depend on the pages before it,
so rendering goes in rounds: every article whose (content, first folio) has no fresh PDF is
rendered in worker processes; the plan is made again from the real page counts; an article whose
first folio moved is rendered again. A rebuild after one article changed renders that article,
the contents page, and only the articles whose folios moved. An article's PDF is reused only when
its key matches *and* the file is still the one written (its SHA-256 is in the record).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from paiban.build import (Outcome, Target, _epoch, _layouts_for, _prepare_out, _warm,
                          allowed_roots, publish_assets, render_target, write_atomic)
from paiban.cache import fingerprint, target_key
from paiban.config import Config
from paiban.errors import ConfigError, PaibanError
from paiban.issue import makeup
from paiban.issue.manifest import Manifest, load

RECORD = ".paiban-issue.json"
MAX_ROUNDS = 4


@dataclass(slots=True)
class Piece:
    """One rendered part of the issue in one edition."""

    path: Path
    pages: int
    key: str


def build_issue(cfg: Config, manifest_path: Path, editions: tuple[str, ...], *,
                jobs: int = 0, force: bool = False, quiet: bool = False) -> int:
    """Build the issue in each edition; print one line per edition; 0 when all were made."""
    started = time.perf_counter()
    manifest = load(manifest_path, cfg)
    icfg = replace(cfg, out=cfg.out / manifest.slug, issue=manifest.name)
    _prepare_out(icfg.out)
    publish_assets(icfg)
    record_path = icfg.out / RECORD
    record = {} if force else _read_record(record_path)
    shared = fingerprint(icfg)
    failed = 0
    made: dict[str, object] = {}
    for edition in editions:
        try:
            result = _edition(icfg, manifest, edition, shared, record, jobs or os.cpu_count() or 1,
                              quiet)
        except PaibanError as exc:
            print(f"paiban: {exc}", file=sys.stderr)
            failed += 1
            continue
        made[edition] = result
        write_atomic(record_path, json.dumps(record, ensure_ascii=False, indent=1,
                                             sort_keys=True).encode())
        if not quiet:
            print(f"{_display(result['pdf'])}: {result['pages']} pages "
                  f"({result['rendered']} article PDF(s) rendered, {result['reused']} reused)")
    elapsed = time.perf_counter() - started
    line = (f"issue {manifest.name}: {len(made)} of {len(editions)} edition(s) into "
            f"{_display(icfg.out)} in {elapsed:.1f} s")
    print(line + (f"; {failed} failed" if failed else ""),
          file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0


def _edition(icfg: Config, manifest: Manifest, edition: str, shared: str,
             record: dict, jobs: int, quiet: bool) -> dict[str, object]:
    from paiban.issue import assemble, pages

    targets = [Target(e.text, edition, _layouts_for(e.text, icfg)[0]) for e in manifest.entries]
    keys = [target_key(t, shared, icfg)[0] for t in targets]
    articles: dict[int, Piece] = {}
    counts = [_known_pages(record, t, k) or 1 for t, k in zip(targets, keys)]
    contents_pages = record.get(f"contents/{edition}", {}).get("pages", 1) if manifest.contents else 0
    rendered = 0
    for _round in range(MAX_ROUNDS):
        plan = makeup.plan(counts, cover=1, contents=contents_pages, start=manifest.start,
                           binding=manifest.binding)
        todo = []
        for i, (target, key) in enumerate(zip(targets, keys)):
            folio = plan.starts[i]
            piece = _fresh(record, target, key, folio, icfg)
            if piece is not None:
                articles[i] = piece
            else:
                todo.append((i, target, key, folio))
        for (i, target, key, folio), outcome in zip(todo, _render(todo, icfg, jobs)):
            if outcome.error:
                raise PaibanError(f"the issue cannot be made up: {outcome.error}")
            path = target.pdf(icfg)
            articles[i] = Piece(path, outcome.pages, key)
            record[_slot(target)] = {"key": key, "folio": folio, "pages": outcome.pages,
                                     "sha256": _sha(path)}
            rendered += 1
        counts = [articles[i].pages for i in range(len(targets))]
        items = pages.contents_items(icfg, manifest, edition, plan)
        contents = (pages.contents(icfg, manifest, edition, items, record, shared)
                    if manifest.contents else None)
        new_contents = contents.pages if contents else 0
        final = makeup.plan(counts, cover=1, contents=new_contents, start=manifest.start,
                            binding=manifest.binding)
        if final.starts == plan.starts and new_contents == contents_pages:
            break
        contents_pages = new_contents
    else:
        raise PaibanError("the make-up did not settle (page counts kept changing)",
                          path=str(manifest.path))
    cover = pages.cover(icfg, manifest, edition, record, shared)
    fill = pages.fill(icfg, manifest, edition, record, shared) if manifest.fill else None
    data = assemble.assemble(final, manifest, icfg, edition, cover=cover.path,
                             contents=contents.path if contents else None,
                             articles=[articles[i].path for i in range(len(targets))],
                             fill=fill.path if fill else None, epoch=_epoch(icfg),
                             titles=[item.title for item in items])
    pdf = issue_pdf(icfg.out.parent, manifest.slug, edition, out=icfg.out)
    write_atomic(pdf, data)
    return {"pdf": pdf, "pages": final.pages, "rendered": rendered,
            "reused": len(targets) - rendered if rendered <= len(targets) else 0}


def issue_pdf(cfg: Config | Path, slug: str, edition: str, *, out: Path | None = None) -> Path:
    """Where the issue PDF of ``edition`` is written: ``<out>/<slug>/<slug>.<edition>.pdf``."""
    base = out if out is not None else (cfg.out if isinstance(cfg, Config) else cfg) / slug
    return base / f"{slug}.{edition}.pdf"


def _render(todo: list, icfg: Config, jobs: int) -> list[Outcome]:
    """Render ``todo`` ((index, target, key, folio)) in worker processes, in order."""
    if not todo:
        return []
    args = [(target, icfg, folio) for _i, target, _key, folio in todo]
    if jobs <= 1 or len(todo) == 1:
        _warm(tuple({t.edition for t, _c, _f in args}))
        return [_work(*a) for a in args]
    with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), initializer=_warm,
                             initargs=(tuple({t.edition for t, _c, _f in args}),)) as pool:
        futures = [pool.submit(_work, *a) for a in args]
        out = []
        for (target, _c, _f), future in zip(args, futures):
            try:
                out.append(future.result())
            except Exception as exc:  # a worker died
                out.append(Outcome(target, error=f"{target.text.name}: worker process failed: "
                                                 f"{type(exc).__name__}: {exc}"))
        return out


def _work(target: Target, icfg: Config, folio: int) -> Outcome:
    """Clean, convert and render one article with its first folio; never raises."""
    from paiban import editions
    from paiban.build import _release_memory
    from paiban.pipeline import load_source, write_photos

    try:
        source = load_source(target.text, icfg)
        write_photos(source)  # a .docx's or .md's photos, where its figures link them
        article = editions.convert_article(source.article, target.edition,
                                           icfg.corner_quotes)
    except PaibanError as exc:
        return Outcome(target, error=str(exc))
    except Exception as exc:
        return Outcome(target, error=f"{target.text.name}: internal error: "
                                     f"{type(exc).__name__}: {exc}")
    outcome = render_target(target, article, icfg, first_folio=folio)
    _release_memory()
    return outcome


def _slot(target: Target) -> str:
    return f"article/{target.text.stem}/{target.edition}/{target.layout}"


def _known_pages(record: dict, target: Target, key: str) -> int | None:
    """The article's page count from the last build: exact when its key matches, and still the
    best guess for an edited article (guessing 1 moved every later folio, so each later article
    was rendered twice)."""
    entry = record.get(_slot(target))
    pages = entry.get("pages") if isinstance(entry, dict) else None
    return pages if isinstance(pages, int) and pages > 0 else None


def _fresh(record: dict, target: Target, key: str, folio: int, icfg: Config) -> Piece | None:
    entry = record.get(_slot(target))
    path = target.pdf(icfg)
    if not entry or entry.get("key") != key or entry.get("folio") != folio:
        return None
    if not path.is_file() or _sha(path) != entry.get("sha256"):
        return None  # not the file paiban wrote: render it again
    return Piece(path, int(entry["pages"]), key)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_record(path: Path) -> dict:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def default_manifest(cfg: Config) -> Path:
    from paiban.issue.manifest import default_path

    path = default_path(cfg)
    if not path.is_file():
        raise ConfigError("no issue manifest here: write issue.toml (see README, 'A whole "
                          "issue') or name one: paiban issue FILE", path=str(path))
    return path
