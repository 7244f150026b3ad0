"""Types the build, the cache, the executor and the report share, below all of them.

In: nothing of paiban's but the config. Out: ``Target`` (one output), ``Outcome`` (what became
of it), ``Summary`` (the build's outcomes), ``write_atomic`` (how every output file is written)
and the names paiban reserves in the output folder. Nothing here imports build, cache or
report, so none of them imports another for these.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from paiban.config import Config
from paiban.outputs import output_path

CACHE_NAME = ".paiban-cache.json"
LOCK_NAME = ".paiban-cache.lock"
RECORD_NAME = ".paiban-build.json"
INDEX_NAME = "index.html"
ASSETS_NAME = "_assets"
RESERVED = frozenset({CACHE_NAME, LOCK_NAME, RECORD_NAME, INDEX_NAME, ASSETS_NAME})
"""Names paiban writes at the top of the output folder: no text's folder may take one."""


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
    written: tuple[Written, Written] | None = None
    """The PDF and HTML files as written (what the cache records), when written."""


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
    notices: list[str] = field(default_factory=list)
    """Warnings about the build as a whole (a leftover moved aside, a damaged cache set aside,
    a text changed while it was built…), one line each; ``build`` prints them."""

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


def reserved_folder(stem: str) -> bool:
    """True when a text of this stem would write its folder over one of paiban's own files
    (``index.html.txt``, ``.paiban-cache.json.txt``) or a name paiban may give one."""
    return stem in RESERVED or stem.startswith(".paiban") or ".set-aside-" in stem


def set_aside(path: Path) -> Path:
    """Rename ``path`` (a file or a folder in the way of one of paiban's own) to
    ``<name>.set-aside-<n>`` beside it, keeping it for a person to look at; return where."""
    n = 1
    while True:
        dest = path.with_name(f"{path.name}.set-aside-{n}")
        if not os.path.lexists(dest):
            os.rename(path, dest)
            return dest
        n += 1


_UMASK = os.umask(0o022)
os.umask(_UMASK)

TMP_MARK = ".tmp"


def temp_prefix(path: Path) -> str:
    """``.<name>.<pid>.``: a temporary file of ``path`` names the process writing it, so a later
    build can tell a live build's file from one a killed build left (``sweep_temp``)."""
    return f".{path.name}.{os.getpid()}."


def temp_owner(name: str) -> int | None:
    """The pid in a temporary file's name made with ``temp_prefix`` (None for another name)."""
    parts = name.removesuffix(TMP_MARK).rsplit(".", 2)
    if len(parts) == 3 and parts[1].isascii() and parts[1].isdigit():
        return int(parts[1])
    return None


@dataclass(slots=True, frozen=True)
class Written:
    """The identity of a file as paiban wrote it: device, inode, size and modification time,
    taken from the open file before it was renamed into place. Another process's file renamed
    over it later has another inode, so the cache can tell "the file I wrote" from "a file at
    that name"."""

    dev: int
    ino: int
    size: int
    mtime_ns: int

    def as_list(self) -> list[int]:
        return [self.dev, self.ino, self.size, self.mtime_ns]

    @classmethod
    def of(cls, st: os.stat_result) -> "Written":
        return cls(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def write_atomic(path: Path, data: bytes) -> Written:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one; return
    the identity of the file written. An error names ``path``, never the temporary file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TMP_MARK, dir=path.parent)
    except OSError as exc:
        exc.filename, exc.filename2 = str(path), None
        raise
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are shared with people
            written = Written.of(os.fstat(fh.fileno()))
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            exc.filename, exc.filename2 = str(path), None  # the output, not the temp file
        raise
    return written


THEME_FOLDERS = ("layout", "styles", "fonts")


@dataclass(slots=True, frozen=True)
class Theme:
    """The theme's files (layout/, styles/, fonts/: the project's over paiban's built-in ones,
    file by file, as ``paiban.theme`` resolves them) as the coordinator read them once: what a
    target is rendered from, wherever it runs, and what its cache key names."""

    files: tuple[tuple[str, bytes], ...]
    """(``<kind>/<name>``, e.g. ``styles/base.css``; bytes), sorted."""
    digest: str
    """SHA-256 over every name and its bytes."""
    origins: tuple[tuple[str, str], ...] = ()
    """(``<kind>/<name>``, the absolute path it was read from): where the document links it."""

    def get(self, rel: str) -> bytes | None:
        return dict(self.files).get(rel)

    def names(self, folder: str) -> list[str]:
        """Names of the files directly in ``folder`` (``layout``, ``styles``…), sorted."""
        prefix = folder + "/"
        return sorted(rel[len(prefix):] for rel, _ in self.files
                      if rel.startswith(prefix) and "/" not in rel[len(prefix):])


def read_theme(cfg: Config) -> Theme:
    """Read the theme's layout/, styles/ and fonts/ files that win (no Python, no caches) once."""
    import hashlib

    h = hashlib.sha256()
    files: list[tuple[str, bytes]] = []
    origins: list[tuple[str, str]] = []
    resolver = cfg.theme
    for kind in THEME_FOLDERS:
        for name, file in resolver.files(kind).items():
            if file.suffix == ".py":
                continue
            rel = f"{kind}/{name}"
            data = file.read_bytes()
            files.append((rel, data))
            origins.append((rel, str(file)))
            h.update(rel.encode() + b"\0" + data + b"\0")
    return Theme(tuple(files), h.hexdigest(), tuple(origins))
