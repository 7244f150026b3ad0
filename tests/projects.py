"""Throwaway projects for tests that build: a copy of the repository's theme and config, small
texts that build, and an editor's save made at the worst moment, just after a read.

In: a folder; texts as str. Out: the folder as a project (``copy_project``); the save armed for
the duration of a ``with`` block (``saved_just_after_read``).
"""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[1]

BODY = ("五年来，全市各级工会组织开展技能竞赛和创新活动，帮扶困难职工，推进企业单位建设发展。"
        "职工服务阵地遍布城乡，劳动者的获得感不断增强。")
"""A paragraph of ordinary text, every character in the fonts."""

OLD, NEW = "与时代同步", "与时俱进"
"""A title before and after an editor's save."""


def text_of(title: str) -> str:
    """A small text that builds: ``title`` and two paragraphs."""
    return f"{title} 与社会共进\n\n{BODY}\n\n{BODY}\n"


GOOD = text_of(OLD)
"""A small text that builds."""


def copy_project(dest: Path, texts: dict[str, str] | None = None) -> Path:
    """layout/, styles/, fonts/ and pyproject.toml copied to ``dest``, and a seeds/ folder
    holding ``texts`` (file name: content), empty without them."""
    for name in ("layout", "styles", "fonts"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "pyproject.toml", dest / "pyproject.toml")
    (dest / "seeds").mkdir()
    for name, content in (texts or {}).items():
        (dest / "seeds" / name).write_text(content, "utf-8")
    return dest


@contextmanager
def saved_just_after_read(text: Path, content: str,
                          *readers: tuple[object, str]) -> Iterator[list[Path]]:
    """Inside the block, the first read of ``text`` through any of ``readers`` (module, name of
    a function whose first argument is the path) is followed at once by an editor's save of
    ``content`` over it. Yields the paths saved, for the test to check the save happened.

    Without ``readers``: ``paiban.inputs.read_text`` and ``paiban.cache``'s, which imported it
    by name."""
    import paiban.cache as cache_module
    import paiban.inputs as inputs_module

    readers = readers or ((inputs_module, "read_text"), (cache_module, "read_text"))
    saved: list[Path] = []
    with pytest.MonkeyPatch.context() as patch:
        for owner, name in readers:
            def read_then_save(path, *args, _real=getattr(owner, name), **kwargs):
                found = _real(path, *args, **kwargs)
                if not saved and Path(path).resolve() == text.resolve():
                    saved.append(Path(path))
                    text.write_text(content, "utf-8")
                return found

            patch.setattr(owner, name, read_then_save)
        yield saved
