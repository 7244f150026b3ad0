"""Rule ``lines``: the editor's roles for source lines (a sidecar's ``[lines]``).

In: ``State.units`` after ``split`` and ``State.overrides`` (source line -> role, already
checked against the text by ``paiban.sidecar``). Out: those units classified as the editor
said and marked ``forced``, so that no later rule reclassifies, joins or removes them; each
override is a reported change.

Roles: ``heading`` (a section heading, level 1), ``subhead`` (level 2), ``paragraph`` (body
text, never a heading or caption), ``caption`` (a photo's caption), ``credit`` (a photo
credit: ``structure`` gives it to the nearest figure, ``Figure.credit``), ``byline`` (the article's byline; brackets dropped),
``end`` (end matter: one
``EndNote`` in ``Article.end_matter``, labelled as ``endmatter`` would), ``drop`` (left out, listed in the report as removed).
"""

from __future__ import annotations

from paiban.model import EndNote, Removal

from .byline import match_byline
from .endmatter import parse
from .marked import marked_heading
from .state import State

ROLES = ("heading", "subhead", "paragraph", "caption", "credit", "byline", "end", "drop")


def lines(state: State) -> None:
    """Apply the sidecar's line roles."""
    if not state.overrides:
        return
    kept = []
    where = state.override_source or "sidecar"
    for unit in state.units:
        role = state.overrides.get(unit.line)
        if role is None:
            kept.append(unit)
            continue
        unit.forced = role
        state.change("lines", f"{role} (set by {where}: lines.{unit.line})", unit.line)
        if role == "drop":
            state.removed.append(Removal(line=unit.line, text=unit.text, reason="dropped"))
            continue
        kept.append(unit)
        if role in ("heading", "subhead"):
            found = marked_heading(unit.text)
            marker, body = (found[1], found[2]) if found else ("", unit.text)
            unit.kind, unit.level, unit.marker, unit.body = \
                "heading", 1 if role == "heading" else 2, marker, body
        elif role == "paragraph":
            unit.kind = "text"
        elif role == "caption":
            unit.kind = "caption"
        elif role == "credit":
            unit.kind = "credit"  # given to the nearest figure by ``structure``
        elif role == "end":
            unit.kind = "end"
            items = parse(unit.text)
            label = items[0][0] if items else ""
            state.end_matter.append(EndNote(text=unit.text.strip(), label=label, line=unit.line))
        elif role == "byline":
            unit.kind = "byline"
            found = match_byline(unit.text)
            names = found[0] if found and found[1] == 0 else unit.text.strip("（）() ")
            state.byline = f"{state.byline} {names}".strip()
            state.byline_line = state.byline_line or unit.line
    state.units = kept
