"""What paiban's WeasyPrint patches share: the version they were written against, and
recompiling one of WeasyPrint's functions from its own source with a few exact edits.

In: the patch's name (for errors), a WeasyPrint function, ``(old, new)`` source edits.
Out: ``require_version`` raises ``RuntimeError`` unless WeasyPrint is exactly
``WEASYPRINT_VERSION``; ``recompile`` returns the edited function, compiled in a copy of the
original's module namespace (plus ``extra`` names), or raises ``RuntimeError`` when an edit's
``old`` text is not in the source exactly once. The caller decides where to install it.
"""

from __future__ import annotations

import inspect
import textwrap
from typing import Any, Callable, Iterable

WEASYPRINT_VERSION = "70.0"
"""The only WeasyPrint the patches (justify, columns, memory) have been checked against."""


def require_version(who: str) -> None:
    """Refuse to patch any WeasyPrint but ``WEASYPRINT_VERSION``."""
    import weasyprint

    if weasyprint.__version__ != WEASYPRINT_VERSION:
        raise RuntimeError(f"{who} patches WeasyPrint {WEASYPRINT_VERSION}, found "
                           f"{weasyprint.__version__}: review the patch against the new source")


def recompile(function: Callable, edits: Iterable[tuple[str, str]], who: str,
              extra: dict[str, Any] | None = None) -> Callable:
    """``function`` rebuilt from its source with each edit applied. Edits match the source
    after dedenting: its ``def`` line at the margin, its body indented by 4."""
    source = textwrap.dedent(inspect.getsource(function))
    for old, new in edits:
        if source.count(old) != 1:
            raise RuntimeError(f"{who}: {function.__qualname__} does not contain "
                               f"{old.strip().splitlines()[0]!r} once")
        source = source.replace(old, new)
    namespace = dict(function.__globals__, **(extra or {}))
    exec(compile(source, inspect.getsourcefile(function), "exec"), namespace)
    return namespace[function.__name__]
