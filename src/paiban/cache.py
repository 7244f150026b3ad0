"""The build's content cache: skip targets whose inputs have not changed.

In: a target (text, edition, layout), the config, the files of layout/, styles/, fonts/ and of
paiban itself.
Out: a key per target — a SHA-256 over everything that affects its output: the text (a .docx
with its embedded photos), the photos a Markdown text links (their bytes), its sidecar,
the photos the sidecar places (by path, size and modification time), templates, stylesheets,
font configuration, edition, layout, the config values used in the output, and the versions
of paiban (its source files), WeasyPrint and OpenCC — and a manifest in
``<out>/.paiban-cache.json`` recording, per output file, the key it was built from and the file's
size and modification time. A target is fresh only if its key matches *and* its PDF and HTML are
still the files paiban wrote, so the cache never serves a stale or hand-edited PDF. ``--force``
ignores it.

Two builds into one folder at once: the manifest is merged under an exclusive lock and written
atomically; the worst a race costs is a rebuild next time.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from paiban.theme import KINDS
from paiban import readers

if TYPE_CHECKING:
    from paiban.build import Target
    from paiban.config import Config

_PACKAGE = Path(__file__).resolve().parent


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "-"


def _hash_tree(h: "hashlib._Hash", folder: Path) -> None:
    if not folder.is_dir():
        return
    for file in sorted(folder.rglob("*")):
        if file.is_file() and "__pycache__" not in file.parts:
            h.update(str(file.relative_to(folder)).encode() + b"\0")
            h.update(file.read_bytes() + b"\0")


def fingerprint(cfg: Config) -> str:
    """Hash of what every target shares: layout/, styles/, fonts/, paiban and library versions."""
    h = hashlib.sha256()
    for name in ("weasyprint", "opencc", "opencc-python-reimplemented", "jinja2", "jieba"):
        h.update(f"{name}={_version(name)}\0".encode())
    theme = cfg.theme
    for kind in KINDS:  # the theme files that win, each by name: an override changes the key
        for name, file in theme.files(kind).items():
            h.update(f"{kind}/{name}\0".encode() + file.read_bytes() + b"\0")
    _hash_tree(h, _PACKAGE)
    for value in (cfg.publication, cfg.issue, cfg.marks, cfg.source_date_epoch,
                  os.environ.get("SOURCE_DATE_EPOCH", ""), cfg.layout, cfg.press):
        h.update(repr(value).encode() + b"\0")
    # The output profile by content: a rebuilt or replaced profile rebuilds every PDF.
    h.update(_profile_stamp(cfg).encode())
    return h.hexdigest()


def _profile_stamp(cfg: Config) -> str:
    from paiban.errors import PaibanError
    from paiban.press import _profile

    try:
        profile = _profile(cfg.press.profile, cfg.root)
    except PaibanError as exc:  # the build reports it
        return f"no profile: {exc}"
    st = profile.path.stat()
    return f"{profile.path}:{st.st_size}:{st.st_mtime_ns}"


def target_key(target: Target, shared: str, cfg: Config) -> tuple[str, str]:
    """(key of the target's output, key of its text + sidecar content)."""
    content = hashlib.sha256()
    content.update(target.text.read_bytes() if target.text.is_file() else b"")
    sidecar = target.text.with_suffix(".toml")
    content.update(b"\0sidecar\0" + (sidecar.read_bytes() if sidecar.is_file() else b""))
    for linked in readers.inputs(target.text):  # a Markdown text's photos (a .docx holds its own)
        content.update(b"\0photo\0" + str(linked).encode() + b"\0")
        content.update(linked.read_bytes() if linked.is_file() else b"-")
    content_key = content.hexdigest()
    key = hashlib.sha256(
        f"{shared}\0{content_key}\0{_photos(target.text, cfg)}\0{target.edition}\0"
        f"{target.layout}".encode()
    ).hexdigest()
    return key, content_key


def _photos(text: Path, cfg: Config) -> str:
    """The photos the text's sidecar puts in its frames and those named for it by convention
    (``images/<stem>-<n>.jpg``), each by path, size and modification time: a photo replaced
    or edited under the same name rebuilds the text. (Hashing their bytes on every build
    would cost seconds for an issue's hundreds of photos.)"""
    import glob
    from paiban import sidecar
    from paiban.errors import PaibanError

    try:
        options = sidecar.load(text)
    except PaibanError:  # reported when the text is built
        return ""
    stamps = []
    # Photos named by convention (images/<stem>-<n>.jpg, paiban.photos) fill figures too.
    named = sorted(p.relative_to(cfg.root).as_posix() for p in (cfg.root / "images").glob(
        f"{glob.escape(text.stem)}-*") if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    for number, image in list(options.images) + [(0, n) for n in named]:
        try:
            st = (cfg.root / image).stat()
            stamps.append(f"{number}:{image}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            stamps.append(f"{number}:{image}:-")
    return "\n".join(stamps)


class Cache:
    """The manifest of what is in the output folder and what it was built from."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.path = out / ".paiban-cache.json"
        self.entries = self._read()

    def _read(self) -> dict[str, dict]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _stat(self, path: Path) -> list[int] | None:
        try:
            st = path.stat()
        except OSError:
            return None
        return [st.st_size, st.st_mtime_ns]

    def fresh(self, pdf: Path, html: Path, key: str) -> int | None:
        """The page count when ``pdf`` and ``html`` are up to date for ``key``, else None."""
        entry = self.entries.get(str(pdf.relative_to(self.out)))
        if not entry or entry.get("key") != key:
            return None
        if entry.get("pdf") != self._stat(pdf) or entry.get("html") != self._stat(html):
            return None
        return int(entry.get("pages", 0))

    def record(self, built: list[tuple[Path, Path, str, int]]) -> None:
        """Remember (pdf, html, key, pages) for freshly written outputs."""
        if not built:
            return
        with self._locked():
            self.entries = self._read()
            for pdf, html, key, pages in built:
                self.entries[str(pdf.relative_to(self.out))] = {
                    "key": key, "pages": pages, "pdf": self._stat(pdf), "html": self._stat(html),
                }
            from paiban.build import write_atomic

            write_atomic(self.path, json.dumps(self.entries, indent=1, sort_keys=True).encode())

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.out.mkdir(parents=True, exist_ok=True)
        with open(self.out / ".paiban-cache.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
