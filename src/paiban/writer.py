"""What the coordinator writes for a target: its PDF and HTML, and the photos its HTML links.

In: a task's ``Result`` (the PDF and HTML bytes, the photos a .docx or .md brought) and the
text's inputs as read (``paiban.inputs.TextInputs``: the photos its sidecar places or its name
calls for, with their bytes). Out: the files under ``cfg.out``, each written atomically, and the
target's ``Outcome``, carrying the identity of the PDF and HTML written (what the cache records)
or one line naming the file that could not be written. Tasks never write; ``paiban build``,
``paiban issue`` and the preview write through here.
"""

from __future__ import annotations

import os
from pathlib import Path

from paiban.config import Config
from paiban.errors import PaibanError
from paiban.targets import ASSETS_NAME, Outcome, Target, write_atomic


def write_result(result, cfg: Config, found=None) -> Outcome:
    """Write a result's PDF and HTML, after the photos its HTML links (``found``: its text's
    inputs as read, whose photos are published; None: published already); the outcome."""
    outcome = result.outcome()
    if result.error:
        return outcome
    target = result.target
    try:
        if found is not None:
            publish_photos(found, cfg)  # a sidecar's photos, where its HTML links them
        write_brought(result.photos)  # a .docx's or .md's photos, where its HTML links them
        outcome.written = (write_atomic(target.pdf(cfg), result.pdf),
                           write_atomic(target.html(cfg), result.html))
    except OSError as exc:  # a full disk, a folder made read-only meanwhile…
        outcome.error = cannot_write(exc, target)
    return outcome


def cannot_write(exc: OSError, target: Target) -> str:
    """The one line for a file of ``target`` that could not be written."""
    return str(PaibanError(f"cannot write {exc.filename}: {exc.strerror or exc}",
                           path=str(target.text)))


def publish_photos(found, cfg: Config) -> None:
    """Write the photos a text's sidecar places (or its name calls for), as the build read
    them (``found.photos``), under dist/_assets/ at their project path (``images/x.jpg`` ->
    ``dist/_assets/images/x.jpg``), where the HTML links them relatively (see
    ``render.html``): a browser shows them over HTTP and from disk alike, where a ``file://``
    link is refused. The copy keeps the photo's modification time, so a copy whose size and
    time match the photo read is left alone."""
    from paiban.render.html import _project_relative

    built = (cfg.out / ASSETS_NAME).resolve()
    for rel, data in sorted((found.photos or {}).items()):
        src = cfg.root / rel
        real = src.resolve()
        if real.is_relative_to(built) or not real.is_relative_to(cfg.root.resolve()):
            continue  # a reader's photo, written under the assets already
        dest = cfg.out / ASSETS_NAME / _project_relative(cfg.root, rel)
        stamp = found.stamps.get(str(src))
        mtime = stamp[3] if stamp else None
        try:
            copy = dest.stat()
            if copy.st_size == len(data) and mtime is not None and copy.st_mtime_ns == mtime:
                continue
        except OSError:
            pass
        write_atomic(dest, data)
        if mtime is not None:
            os.utime(dest, ns=(mtime, mtime))


def write_brought(photos: tuple[tuple[Path, bytes], ...]) -> None:
    """Write the photos a text brought (a .docx's, a .md's: ``(path, bytes)``, where its
    figures link them); unchanged files are left alone: their names hold their content's
    hash."""
    for path, data in photos:
        if not path.is_file() or path.stat().st_size != len(data):
            write_atomic(path, data)
