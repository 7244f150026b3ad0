"""What paiban's WeasyPrint patches share: the version they were written against,
recompiling one of WeasyPrint's functions from its own source with a few exact edits, and
installing replacements so that they can be taken out again.

In: the patch's name (for errors), a WeasyPrint function, ``(old, new)`` source edits.
Out: ``require_version`` raises ``RuntimeError`` unless WeasyPrint is exactly
``WEASYPRINT_VERSION``; ``recompile`` returns the edited function, compiled in the original's
module namespace (plus ``extra`` names), or raises ``RuntimeError`` when an edit's ``old`` text
is not in the source exactly once. The caller decides where to install it: a ``Patch`` sets
each replacement and restores what each attribute held before.
"""

from __future__ import annotations

import inspect
import textwrap
from typing import Any, Callable, Iterable

_MISSING = object()

WEASYPRINT_VERSION = "70.0"
"""The only WeasyPrint the patches (justify, columns, memory, subset, tags, textops) have been
checked against."""


def require_version(who: str) -> None:
    """Refuse to patch any WeasyPrint but ``WEASYPRINT_VERSION``."""
    import weasyprint

    if weasyprint.__version__ != WEASYPRINT_VERSION:
        raise RuntimeError(f"{who} patches WeasyPrint {WEASYPRINT_VERSION}, found "
                           f"{weasyprint.__version__}: review the patch against the new source")


def recompile(function: Callable, edits: Iterable[tuple[str, str]], who: str,
              extra: dict[str, Any] | None = None) -> Callable:
    """``function`` rebuilt from its source with each edit applied. Edits match the source
    after dedenting: its ``def`` line at the margin, its body indented by 4.

    The new function lives in the original's module namespace (not a copy), so it sees later
    changes to that module's names as the original would; ``extra`` names are added to that
    module (prefix them ``_paiban_``). Its code keeps the original's line numbers, so a
    traceback through it points at WeasyPrint's source (lines after an edit that adds lines
    are off by those lines)."""
    source = textwrap.dedent(inspect.getsource(function))
    for old, new in edits:
        if source.count(old) != 1:
            raise RuntimeError(f"{who}: {function.__qualname__} does not contain "
                               f"{old.strip().splitlines()[0]!r} once")
        source = source.replace(old, new)
    source = "\n" * (function.__code__.co_firstlineno - 1) + source
    module = function.__globals__
    module.update(extra or {})
    name = function.__name__
    missing = object()
    previous = module.get(name, missing)
    try:
        exec(compile(source, inspect.getsourcefile(function), "exec"), module)
        return module[name]
    finally:  # the caller installs the new function; the module's own name is left as it was
        if previous is missing:
            module.pop(name, None)
        else:
            module[name] = previous


class Patch:
    """One patch module's replacements in WeasyPrint: ``install`` runs ``apply`` once, which
    calls ``set`` for each attribute it replaces; ``uninstall`` puts every one back.

    A patch module exposes ``install, uninstall, installed`` as its own functions. ``apply``
    may set nothing (the patch does not apply here): the patch then counts as not installed,
    and the next ``install`` tries again. When ``apply`` raises, what it had set is restored,
    so WeasyPrint is never left half patched."""

    def __init__(self, who: str, apply: Callable[[Patch], None]) -> None:
        self.who = who
        self.apply = apply
        self._saved: list[tuple[Any, str, Any]] = []

    def installed(self) -> bool:
        """True once ``install()`` has patched WeasyPrint in this process."""
        return bool(self._saved)

    def install(self) -> None:
        """Patch WeasyPrint (idempotent). RuntimeError for another WeasyPrint version."""
        if self._saved:
            return
        require_version(self.who)
        try:
            self.apply(self)
        except BaseException:
            self.uninstall()
            raise

    def uninstall(self) -> None:
        """Undo ``install()`` (for tests that compare against plain WeasyPrint)."""
        while self._saved:
            owner, name, value = self._saved.pop()  # last set first: the oldest value wins
            if value is _MISSING:
                delattr(owner, name)
            else:
                setattr(owner, name, value)

    def set(self, owner: Any, name: str, value: Any) -> None:
        """``owner.name = value``, remembering what ``owner`` itself held (a class attribute
        it only inherited is deleted again, not copied onto it)."""
        self._saved.append((owner, name, vars(owner).get(name, _MISSING)))
        setattr(owner, name, value)
