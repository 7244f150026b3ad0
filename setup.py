"""Ships the default theme in the wheel without a second copy in the repository.

The top-level layout/, styles/ and fonts/ are the one copy of the default theme; building the
wheel copies them to paiban/theme/ inside it (``paiban.theme.builtin_root`` finds them there).
An editable install skips the copy: paiban then reads the repository's folders directly.
Everything else about the package is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

THEME = ("layout", "styles", "fonts")


class build_py_with_theme(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        here = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "paiban" / "theme"
        for name in THEME:
            src = here / name
            if not src.is_dir():
                raise SystemExit(f"setup.py: the theme folder {src} is missing")
            dest = target / name
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": build_py_with_theme})
