"""``paiban issue``: render the issue's pieces, make it up, assemble one PDF per edition.

In: the config, a manifest path, the editions. Out: ``<out>/<slug>/`` holding the issue PDFs
(``<slug>.<edition>.pdf``), each article's own PDF with its real folios (as ``paiban build``
names them, under ``<out>/<slug>/``), the cover and contents pages, and ``.paiban-issue.json``,
the record that lets the next build skip what did not change.

Make-up needs each article's page count, and an article's folios depend on the pages before it,
so rendering goes in rounds: every article whose (content, first folio) has no fresh PDF is
rendered in worker processes (the build's task function, from its text, sidecar, photos, theme
and output profile as read once here, the key computed from the same bytes); the plan is made again from the real page counts; an article whose
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
from dataclasses import dataclass, replace
from pathlib import Path

from paiban.build import (Outcome, Target, _epoch, _layouts_for, _prepare_out, _task,
                          publish_assets, run_local, write_atomic)
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
    read = _Inputs.read(icfg, manifest)
    failed = 0
    made: dict[str, object] = {}
    for edition in editions:
        try:
            result = _edition(icfg, manifest, edition, read, record,
                              jobs or os.cpu_count() or 1, quiet)
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


@dataclass(slots=True)
class _Inputs:
    """What every article of the issue is made from, read once: the theme, the output profile
    and each text's inputs (``TextInputs``), and the key they share."""

    theme: object
    profile: object
    shared: str
    found: dict
    no_profile: str | None = None

    @classmethod
    def read(cls, icfg: Config, manifest: Manifest) -> "_Inputs":
        from paiban.inputs import read_text
        from paiban.press import task_profile
        from paiban.targets import read_theme

        theme = read_theme(icfg)
        try:
            profile, no_profile = task_profile(icfg.press, icfg.root), None
        except PaibanError as exc:  # every article fails with this line
            profile, no_profile = None, str(exc)
        found = {e.text: read_text(e.text, icfg) for e in manifest.entries}
        return cls(theme, profile, fingerprint(icfg, theme, profile), found, no_profile)


def _edition(icfg: Config, manifest: Manifest, edition: str, read: _Inputs,
             record: dict, jobs: int, quiet: bool) -> dict[str, object]:
    from paiban.issue import assemble, pages

    shared = read.shared
    targets = [Target(e.text, edition, _layouts_for(read.found[e.text], icfg)[0])
               for e in manifest.entries]
    keys = [target_key(t, shared, icfg, read.found[t.text])[0] for t in targets]
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
        for (i, target, _key, folio), (key, outcome) in zip(todo, _render(todo, icfg, read,
                                                                            jobs)):
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


def _render(todo: list, icfg: Config, read: _Inputs, jobs: int) -> list[tuple[str, Outcome]]:
    """Render ``todo`` ((index, target, key, folio)) from the inputs as read, in worker
    processes, each with its first folio; write each PDF here, as it comes back. In order:
    (the key of what was rendered, its outcome)."""
    from paiban.writer import write_result

    done: dict[Target, tuple[str, Outcome]] = {}
    tasks = []
    for _i, target, key, folio in todo:
        found = read.found[target.text]
        if found.error or read.no_profile:
            done[target] = (key, Outcome(target, error=found.error or read.no_profile))
            continue
        task = _task(target, found, read.shared, read.theme, icfg, read.profile)
        tasks.append(replace(task, first_folio=folio))

    def write(result) -> None:
        found = read.found[result.target.text]
        done[result.target] = (result.key, write_result(result, icfg, found))
        result.pdf = result.html = None  # written: keep no documents

    if tasks:
        run_local(tasks, jobs, write)
    return [done[target] for _i, target, _key, _folio in todo]


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
