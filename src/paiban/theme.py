"""The theme: where layout/, styles/ and fonts/ files come from.

In: a project root.
Out: for each kind of theme file, the folders to look in, project first, then paiban's
built-in theme; and for each file name the one that wins. A project that changes one
stylesheet copies that one file into its own styles/; everything else comes from the built-in
theme. Every reader of theme files (templates, stylesheets, fonts.toml, the cache key, the
preview's watcher, the assets copied into dist/) goes through ``Theme``.

The built-in theme is the repository's top-level layout/, styles/, fonts/ (the one copy). The
wheel ships them as ``paiban/theme/…`` (see setup.py); a source checkout or an editable install
reads the repository's folders directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

KINDS = ("layout", "styles", "fonts")
"""The theme's folders, as named in a project and in the package."""

_PACKAGE = Path(__file__).resolve().parent


def builtin_root() -> Path:
    """The folder holding the built-in layout/, styles/, fonts/."""
    packaged = _PACKAGE / "theme"
    if (packaged / "layout").is_dir():
        return packaged
    checkout = _PACKAGE.parent.parent  # src/paiban -> the repository
    if (checkout / "layout").is_dir() and (checkout / "pyproject.toml").is_file():
        return checkout
    return packaged


@dataclass(slots=True, frozen=True)
class Theme:
    """Theme folders in lookup order: the project's own, then the built-in ones."""

    roots: tuple[Path, ...]

    @classmethod
    def for_project(cls, root: Path) -> Theme:
        roots = [root.resolve(), builtin_root()]
        return cls(tuple(dict.fromkeys(roots)))

    def folders(self, kind: str) -> tuple[Path, ...]:
        """The existing ``kind`` folders (``layout``, ``styles``, ``fonts``), project first."""
        return tuple(r / kind for r in self.roots if (r / kind).is_dir())

    def file(self, kind: str, name: str) -> Path | None:
        """The ``kind/name`` that wins (the project's when it has one), or None."""
        for folder in self.folders(kind):
            if (folder / name).is_file():
                return folder / name
        return None

    def files(self, kind: str, pattern: str = "*") -> dict[str, Path]:
        """Every ``kind`` file matching ``pattern`` (recursively), by relative name, each the
        one that wins; sorted by name."""
        found: dict[str, Path] = {}
        for folder in reversed(self.folders(kind)):  # later (project) entries win
            for path in folder.rglob(pattern):
                if path.is_file() and "__pycache__" not in path.parts:
                    found[path.relative_to(folder).as_posix()] = path
        return dict(sorted(found.items()))

    def all_folders(self) -> tuple[Path, ...]:
        return tuple(f for kind in KINDS for f in self.folders(kind))
