"""The build's content cache: skip targets whose inputs have not changed.

In: a target (text, edition, layout) with its inputs as the build read them (``TextInputs``,
``Theme``), the config, paiban's own source.
Out: a key per target — a SHA-256 over everything that affects its output: the bytes of the
text (a .docx with its embedded photos) and its sidecar *as read*, the photos a Markdown text
links (their bytes) (the very bytes the target is rendered from), the photos the
sidecar places (by path, size and modification time around their read), the theme's files as
read (templates, stylesheets, font configuration), edition, layout, the config values used in
the output, and the versions of paiban (its source files), WeasyPrint and OpenCC — and a
manifest in ``<out>/.paiban-cache.json`` recording, per output file, the key it was built from
and the identity of the file written (device, inode, size, modification time, taken from the
open file before it was renamed into place). A target is fresh only if its key matches *and*
its PDF and HTML are still those very files, so the cache never serves a stale, hand-edited or
another build's PDF. ``--force`` ignores it.

Two builds into one folder at once: the manifest is merged under an exclusive lock and written
atomically; each build records only the files it wrote, so the worst a race costs is a rebuild.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import os
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from paiban.inputs import TextInputs, read_text
from paiban.press import CONFIGURED
from paiban.targets import (CACHE_NAME, LOCK_NAME, Theme, Written, read_theme, set_aside,
                            write_atomic)

if TYPE_CHECKING:
    from paiban.targets import Target
    from paiban.config import Config

_PACKAGE = Path(__file__).resolve().parent


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "-"


def fingerprint(cfg: Config, theme: Theme | None = None, profile=CONFIGURED) -> str:
    """Hash of what every target shares: the theme's files (layout/, styles/, fonts/) and the
    output profile as read (by default read now), paiban's source, the library versions and
    the config values used in the output."""
    theme = theme or read_theme(cfg)
    h = hashlib.sha256()
    for name in ("weasyprint", "opencc", "opencc-python-reimplemented", "jinja2", "jieba"):
        h.update(f"{name}={_version(name)}\0".encode())
    # The theme files that win (the project's over the built-in ones, file by file), as read.
    h.update(f"theme={theme.digest}\0".encode())
    h.update(f"paiban={_package_digest()}\0".encode())
    for value in (cfg.publication, cfg.issue, cfg.marks, cfg.source_date_epoch,
                  os.environ.get("SOURCE_DATE_EPOCH", ""), cfg.layout, cfg.press,
                  cfg.end_matter, cfg.corner_quotes, cfg.makeup):
        h.update(repr(value).encode() + b"\0")
    # The output profile by content: a rebuilt or replaced profile rebuilds every PDF.
    h.update(_profile_stamp(cfg, profile).encode())
    return h.hexdigest()


@functools.cache
def _package_digest() -> str:
    """paiban's own source files (read once per process)."""
    h = hashlib.sha256()
    for file in sorted(_PACKAGE.rglob("*")):
        if file.is_file() and "__pycache__" not in file.parts:
            h.update(str(file.relative_to(_PACKAGE)).encode() + b"\0" + file.read_bytes() + b"\0")
    return h.hexdigest()


def _profile_stamp(cfg: Config, profile=CONFIGURED) -> str:
    """The output profile's bytes as a target is rendered from them (``task_profile``)."""
    from paiban.errors import PaibanError
    from paiban.press import task_profile

    if profile is CONFIGURED:
        try:
            profile = task_profile(cfg.press, cfg.root)
        except PaibanError as exc:  # the build reports it
            return f"no profile: {exc}"
    if profile is None:
        return "no profile"
    return f"profile={hashlib.sha256(profile.icc).hexdigest()}"


def content_key(found: TextInputs) -> str:
    """Key of a text's and its sidecar's bytes as read."""
    content = hashlib.sha256()
    content.update(found.text)
    content.update(b"\0sidecar\0" + (found.sidecar or b""))
    # A Markdown text's photos (a .docx holds its own), as read: its reader is served them.
    for linked in found.linked:
        content.update(b"\0photo\0" + linked.src.encode() + b"\0")
        content.update(b"-" if linked.data is None else b"=" + linked.data)
    return content.hexdigest()


def target_key(target: Target, shared: str, cfg: Config,
               found: TextInputs | None = None) -> tuple[str, str]:
    """(key of the target's output, key of its text + sidecar content), computed from the
    bytes in ``found`` (read now when not given): the bytes the target is rendered from."""
    if found is None:
        found = read_text(target.text, cfg)
    content = content_key(found)
    # The photos the sidecar places, each by path, size and modification time, taken around
    # the read of the bytes the target is rendered from (hashing every photo's bytes on every
    # build would cost seconds for an issue's hundreds of photos).
    photos = "\n".join(f"{n}:{image}:{found.photo_stamps.get(image, '-')}"
                       for n, image in found.images)
    key = hashlib.sha256(
        f"{shared}\0{content}\0{photos}\0{target.edition}\0{target.layout}".encode()
    ).hexdigest()
    return key, content


class Cache:
    """The manifest of what is in the output folder and what it was built from."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.path = out / CACHE_NAME
        self.problems: list[str] = []
        """One line per cache file set aside (see ``_read``), for the build to print."""
        self.entries = self._read()

    def _read(self) -> dict[str, dict]:
        """The manifest; a missing one is empty. One that is not a manifest (a folder, invalid
        JSON, an entry of the wrong shape) is renamed aside, reported in ``problems`` and
        taken as empty: everything is built again, and the next build has a good cache."""
        try:
            raw = self.path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):  # none yet, or no output folder
            return {}
        except IsADirectoryError:
            return self._set_aside("it is a folder")
        except OSError as exc:
            return self._set_aside(exc.strerror or str(exc))
        try:
            data = json.loads(raw.decode("utf-8"))
        except ValueError as exc:
            return self._set_aside(f"invalid JSON: {exc}")
        problem = _invalid(data)
        return self._set_aside(problem) if problem else data

    def _set_aside(self, reason: str) -> dict[str, dict]:
        try:
            dest = set_aside(self.path)
        except OSError as exc:
            self.problems.append(f"{self.path} is not a cache paiban can read ({reason}) and "
                                 f"cannot be moved aside ({exc.strerror or exc}); building "
                                 f"everything")
            return {}
        self.problems.append(f"{self.path} is not a cache paiban can read ({reason}); moved it "
                             f"to {dest} and built everything again")
        return {}

    @staticmethod
    def _identity(path: Path) -> list[int] | None:
        try:
            return Written.of(path.stat()).as_list()
        except OSError:
            return None

    def fresh(self, pdf: Path, html: Path, key: str) -> int | None:
        """The page count when ``pdf`` and ``html`` are up to date for ``key``, else None: the
        entry's key matches and both are still the very files that build wrote (same inode,
        size and modification time as the file it wrote, not merely a file at that name)."""
        entry = self.entries.get(str(pdf.relative_to(self.out)))
        if not entry or entry.get("key") != key:
            return None
        if entry.get("pdf") != self._identity(pdf) or entry.get("html") != self._identity(html):
            return None
        return int(entry.get("pages", 0))

    def record(self, built: list[tuple[Path, Path, str, int, tuple[Written, Written]]]) -> None:
        """Remember (pdf, html, key, pages, (pdf written, html written)) for outputs this
        process wrote: each entry names the files as written, so a file another build renamed
        over one of them since is not taken for it."""
        if not built:
            return
        with self._locked():
            self.entries = self._read()
            for pdf, html, key, pages, (pdf_written, html_written) in built:
                self.entries[str(pdf.relative_to(self.out))] = {
                    "key": key, "pages": pages,
                    "pdf": pdf_written.as_list(), "html": html_written.as_list(),
                }
            write_atomic(self.path, json.dumps(self.entries, indent=1, sort_keys=True).encode())

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.out.mkdir(parents=True, exist_ok=True)
        path = self.out / LOCK_NAME
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        except IsADirectoryError:  # a folder in the way: keep it aside, lock a file
            dest = set_aside(path)
            self.problems.append(f"{path} was a folder, not paiban's file; moved it to {dest}")
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        with os.fdopen(fd, "r+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def _invalid(data: object) -> str | None:
    """What is wrong with a parsed manifest, or None when it has the shape ``record`` writes."""
    if not isinstance(data, dict):
        return f"a {type(data).__name__}, not an object"
    for name, entry in data.items():
        if not isinstance(entry, dict):
            return f"entry {name!r} is not an object"
        if not isinstance(entry.get("key"), str):
            return f"entry {name!r} has no key"
        pages = entry.get("pages")
        if not isinstance(pages, int) or isinstance(pages, bool) or pages < 0:
            return f"entry {name!r}: pages is {pages!r}, not a page count"
        for kind in ("pdf", "html"):
            stamp = entry.get(kind)
            if not (isinstance(stamp, list) and all(isinstance(v, int) for v in stamp)):
                return f"entry {name!r}: {kind} is {stamp!r}, not a file's identity"
    return None
