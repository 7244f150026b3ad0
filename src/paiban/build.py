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

import os
import sys
import tempfile
import time
from pathlib import Path

from paiban.cache import Cache, fingerprint, target_key
from paiban.config import Config
from paiban.errors import ConfigError, InputError, PaibanError  # noqa: F401 (re-exported)
from paiban.executor import (MAX_PARAGRAPH, Result, Task, _epoch,  # noqa: F401 (re-exported)
                             _first, _release_memory, _warm, allowed_roots, render_target,
                             run_local, task_for)
from paiban.targets import (ASSETS_NAME, CLEANING, RESERVED, Outcome,  # noqa: F401
                            Summary, Target, Theme, cleaning_warnings, read_theme,
                            reserved_folder, set_aside, write_atomic)
from paiban.writer import write_result


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
    sweep_temp(out)


def sweep_temp(out: Path) -> list[Path]:
    """Remove the temporary files no live build owns: a killed build's ``.<name>.<pid>.*.tmp``
    whose process is gone (one whose process lives may be a concurrent build's and is kept,
    unless older than an hour: a pid can be reused); the removed files."""
    from paiban.targets import temp_owner

    cutoff = time.time() - 3600
    removed = []
    for tmp in out.glob("**/.*.tmp"):
        try:
            pid = temp_owner(tmp.name)
            if (pid is not None and not _alive(pid)) or tmp.stat().st_mtime < cutoff:
                tmp.unlink()
                removed.append(tmp)
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def publish_assets(cfg: Config, theme: Theme | None = None) -> Path:
    """Copy styles/ (as read into ``theme``) into dist/_assets/styles/ (what the HTML links to);
    return dist/_assets."""
    theme = theme or read_theme(cfg)
    assets = cfg.out / ASSETS_NAME
    for rel, data in theme.files:
        if rel.startswith("styles/") and not rel.endswith(".py"):
            dest = assets / rel
            if not dest.is_file() or dest.read_bytes() != data:
                write_atomic(dest, data)
    return assets


def _layouts_for(found, cfg: Config) -> tuple[str, ...]:
    """The sidecar's ``[layout] name`` when it sets one, else the configured layout.
    ``found``: the text's ``TextInputs`` as read, or its path (read now)."""
    from paiban import sidecar

    try:
        if isinstance(found, Path):
            return (sidecar.load(found).layout or cfg.layout,)
        return (sidecar.from_bytes(found.path, found.sidecar, found.text).layout or cfg.layout,)
    except PaibanError:
        return (cfg.layout,)  # the bad sidecar is reported when the text is built


def _clashes(texts: list[Path], cfg: Config) -> dict[Path, str]:
    """Texts that cannot have their folder: one whose name another text already has (a/x.txt,
    b/x.txt: both would be written to dist/x/, the second over the first; the first is
    built), or whose name is one paiban keeps for its own files (index.html.txt)."""
    first: dict[str, Path] = {}
    out: dict[Path, str] = {}
    for text in texts:
        if reserved_folder(text.stem):
            out[text] = str(PaibanError(f"its PDFs would go to {cfg.out / text.stem}, a name "
                                        f"paiban keeps for its own files; rename the text",
                                        path=str(text)))
        elif text.stem in first:
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

    Each text, its sidecar, its photos and the theme (its files that win, the project's over
    the built-in ones) are read once, here; the cache key is computed from those bytes and the
    target is rendered from them, so a PDF always is what its key describes. A text that
    changed while it was being built is reported and not recorded as up to date.
    """
    from paiban.inputs import read_text
    from paiban.press import task_profile
    from paiban.report import Progress, previous_warnings, write_index, write_record
    from paiban.targets import read_theme

    started = time.perf_counter()
    texts, refused, unreadable = scan(inputs, cfg.root)
    theme = read_theme(cfg)
    try:
        profile, no_profile = task_profile(cfg.press, cfg.root), None
    except PaibanError as exc:  # a print variant without its profile: every target fails
        profile, no_profile = None, str(exc)
    shared = fingerprint(cfg, theme, profile)
    found = {t: read_text(t, cfg) for t in texts}
    targets = [Target(t, e, lay) for t in texts for e in cfg.editions
               for lay in (layouts or _layouts_for(found[t], cfg))]
    lines = _reclaim(cfg.out)
    cache = Cache(cfg.out)
    summary = Summary(texts=len(texts) + len(refused), cfg=cfg, unreadable=unreadable)
    summary.notices.extend(lines)
    summary.notices.extend(cache.problems)
    summary.outcomes.extend(Outcome(Target(path, edition, cfg.layout), error=str(error))
                            for path, error in refused.items() for edition in cfg.editions[:1])
    stale: list[Target] = []
    clashes = _clashes(texts, cfg)
    earlier = previous_warnings(cfg)
    for t in targets:
        if t.text in clashes:
            summary.outcomes.append(Outcome(t, error=clashes[t.text]))
            continue
        if found[t.text].error or no_profile:
            summary.outcomes.append(Outcome(t, error=found[t.text].error or no_profile))
            continue
        key, _content = target_key(t, shared, cfg, found[t.text])
        pages = None if force else cache.fresh(t.pdf(cfg), t.html(cfg), key)
        if pages is None:
            stale.append(t)
        else:  # its warnings, from the build that made it, still hold
            summary.outcomes.append(Outcome(t, pages=pages, cached=True,
                                            warnings=earlier.get(_record_key(t), ())))
    if stale:
        from paiban.render.pdf import harfbuzz_subset_available

        _prepare_out(cfg.out)
        if not harfbuzz_subset_available():
            print("paiban: warning: libharfbuzz-subset is missing; font subsetting falls back to "
                  "fontTools (~10 s per PDF). Install it: apt-get install libharfbuzz-subset0",
                  file=sys.stderr)
        publish_assets(cfg, theme)
        tasks = [_task(t, found[t.text], shared, theme, cfg, profile) for t in stale]
        jobs = cfg.jobs or os.cpu_count() or 1
        outcomes: list[Outcome] = []
        with (progress or Progress(len(tasks), quiet=True)) as bar:
            bar.start(len(tasks))

            def done(result: Result) -> None:
                outcome = write_result(result, cfg, found[result.target.text])
                result.pdf = result.html = None  # written: the coordinator keeps no documents
                outcomes.append(outcome)
                bar.done(outcome)

            if cfg.executor == "local":
                run_local(tasks, jobs, done)
            else:
                from dataclasses import replace

                from paiban.dask_executor import run_dask
                from paiban.render.fonts import worker_fingerprint

                expected = worker_fingerprint(cfg.fonts_toml, theme)
                run_dask([replace(t, fonts=expected) for t in tasks], cfg.executor, done)
        keys = {task.target: task.key for task in tasks}
        changed = {text: f.changed() for text, f in found.items()}
        record = []
        for o in outcomes:
            if o.error or o.written is None:
                continue
            if changed[o.target.text]:
                o.warnings += (f"{_names(changed[o.target.text])} changed while it was being "
                               f"built: not recorded as up to date",)
                continue
            record.append((o.target.pdf(cfg), o.target.html(cfg), keys[o.target], o.pages,
                           o.written))
        reported = len(cache.problems)
        try:
            cache.record(record)
        except OSError as exc:  # a full disk: the PDFs are written, the cache is not
            summary.problems.append(f"{exc.filename or cache.path}: cannot write: "
                                    f"{exc.strerror or exc} (the PDFs are written; the next "
                                    f"build makes them again)")
        summary.notices.extend(cache.problems[reported:])
        for text, files in changed.items():
            if files and any(o.target.text == text and not o.error for o in outcomes):
                summary.notices.append(
                    f"{_names(files)} changed while it was being built: its PDFs are of the "
                    f"version read at the start and are not marked up to date; the next build "
                    f"makes them again")
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


def _reclaim(out: Path) -> list[str]:
    """Move aside whatever stands where paiban keeps its own files in the output folder in
    the wrong shape (a folder named index.html or .paiban-cache.json, a file named _assets),
    so that no leftover breaks every later build; one line for each."""
    lines = []
    for name in sorted(RESERVED):
        path = out / name
        want_dir = name == ASSETS_NAME
        if not os.path.lexists(path) or path.is_dir() == want_dir:
            continue
        try:
            dest = set_aside(path)
        except OSError as exc:
            lines.append(f"{path} is in the way of paiban's own and cannot be moved: "
                         f"{exc.strerror or exc}")
            continue
        what, wanted = ("a file", "folder") if want_dir else ("a folder", "file")
        lines.append(f"{path} was {what}, not paiban's {wanted}; moved it to {dest}")
    return lines


def _names(paths: list[Path]) -> str:
    return ", ".join(str(p) for p in paths)


def _task(target: Target, found, shared: str, theme, cfg: Config, profile=None) -> Task:
    """The task of one stale target, from its text's inputs, the theme and the output
    profile as read (photos read now)."""
    from paiban.inputs import load_photos

    load_photos(found, cfg)
    key, content = target_key(target, shared, cfg, found)
    return task_for(target, found, cfg, theme, key, content, profile=profile)


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
    for line in summary.notices:
        print(f"paiban: warning: {line}", file=sys.stderr)
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
