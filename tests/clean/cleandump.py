"""Helpers for the cleaning tests: a compact, exact text form of a cleaned Article, the
fixture-file reader, and the source-order stream used by the no-loss property.

``dump(article)`` lists the title, deck and byline, then one line per block (full text),
then the report: joins, removals, fragments, changes and warnings. It is what the fixture
files under ``fixtures/`` spell out as expected output.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from paiban.model import Article, Figure, Heading, ListBlock, Note, Paragraph, Quote, Turn

FIXTURES = Path(__file__).parent / "fixtures"

ESCAPES = {"<CR>": "\r", "<SP>": " ", "<IS>": "\u3000", "<TAB>": "\t"}
"""Invisible characters in fixture inputs, written visibly."""


def dump(article: Article, report: bool = True) -> str:
    """The compact text form of ``article`` (see module docstring)."""
    out: list[str] = []
    if article.kicker:
        out.append(f"kicker {article.kicker}"
                   + (f" ｜label {article.kicker_marker.strip()}" if article.kicker_marker else ""))
    if article.title:
        out.append(f"title {article.title}")
    if article.subtitle:
        out.append(f"deck {article.subtitle_marker}{article.subtitle}")
    if article.byline:
        out.append(f"byline {article.byline}")
    if article.dateline:
        out.append(f"dateline {article.dateline}")
    for b in article.blocks:
        if isinstance(b, Heading):
            out.append(f"H{b.level}{'*' if b.run_in else ''} {b.marker}{b.text}{b.marker_end}")
        elif isinstance(b, ListBlock):
            out += [f"L{'' if n else '['}{'  ' * (i.level - 1)} {i.marker}{i.text}"
                    for n, i in enumerate(b.items)]
        elif isinstance(b, Turn):
            out.append(f"{'Q?' if b.question else 'A!'} {b.speaker}{b.text}")
        elif isinstance(b, Paragraph):
            flags = ("[lede]" if b.lede else "") + ("[fragment]" if b.fragment else "")
            out.append(f"P{flags} {b.text}")
        elif isinstance(b, Figure):
            out.append(f"F{b.number} {b.caption}" + (f" ｜credit {b.credit}" if b.credit else ""))
        elif isinstance(b, Quote):
            out.append(f"Q {b.text}")
        elif isinstance(b, Note):
            out.append(f"N[{b.label}] {b.text}")
    out += [f"end {e.label}: {e.text}" for e in article.end_matter]
    if report:
        r = article.report
        out += [f"join {j.line}+{j.next_line}" for j in r.joins]
        out += [f"removed {x.line} {x.reason} of {x.original_line}" for x in r.removed]
        out += [f"fragment {f.line} {f.reason}" for f in r.fragments]
        out += [f"change {c.rule}: {c.message}" for c in r.changes]
        out += [f"warning {w}" for w in r.warnings]
    return "\n".join(out)


@dataclass(frozen=True)
class Case:
    """One fixture: what it shows, the input text, the expected dump, rules switched off."""

    name: str
    text: str
    expected: str
    disable: tuple[str, ...]
    where: str
    overrides: tuple[tuple[int, str], ...] = ()
    """Sidecar ``[lines]`` roles (``lines: 5=caption, 7=heading``)."""


def read_fixtures(path: Path) -> list[Case]:
    """The cases of a fixture file (markdown-it-py style).

    Each case is a description (one or more lines; ``disable: rule, rule`` switches rules off),
    a line with a single ``.``, the input, ``.``, the expected dump, ``.``. Lines starting with
    ``#`` between cases are comments.
    """
    lines = path.read_text("utf-8").split("\n")
    cases: list[Case] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip() or lines[i].startswith("#"):
            i += 1
            continue
        start = i
        desc: list[str] = []
        while lines[i] != ".":
            desc.append(lines[i])
            i += 1
        parts: list[list[str]] = [[], []]
        for part in parts:
            i += 1
            while lines[i] != ".":
                part.append(lines[i])
                i += 1
        i += 1
        text = "\n".join(parts[0])
        for mark, char in ESCAPES.items():
            text = text.replace(mark, char)
        disable = tuple(r.strip() for d in desc if d.startswith("disable:")
                        for r in d.split(":", 1)[1].split(",") if r.strip())
        overrides = tuple((int(k), v.strip()) for d in desc if d.startswith("lines:")
                          for k, v in (r.split("=") for r in d.split(":", 1)[1].split(",")))
        name = " ".join(d for d in desc if not d.startswith(("disable:", "lines:")))
        cases.append(Case(name, text + "\n", "\n".join(parts[1]), disable,
                          f"{path.name}:{start + 1}", overrides))
    return cases


def stream(article: Article) -> str:
    """Every character the model holds, in source order: captions before the title, kicker,
    title, deck (with its marker), the dateline and a byline written after it, blocks
    (headings, notes and list items with their markers, turns with their speakers, figures
    with their credits), the byline at its line, the end matter. This is what the no-loss
    property compares with the input."""
    items: list[tuple[int, float, str]] = []
    if article.kicker:
        items.append((article.kicker_line, 0, article.kicker_marker + article.kicker))
    if article.title:
        items.append((article.title_line, 0, article.title))
    if article.subtitle or article.subtitle_marker:
        items.append((article.title_line, 1, article.subtitle_marker + article.subtitle))
    if article.dateline:
        items.append((article.dateline_line, 5, article.dateline))
    for n, b in enumerate(article.blocks):
        text = b.caption if isinstance(b, Figure) else b.text
        if isinstance(b, Heading):
            text = b.marker + text + b.marker_end
        if isinstance(b, ListBlock):
            text = "".join(i.marker + i.text for i in b.items)
        if isinstance(b, Turn):
            text = b.speaker + b.text
        if isinstance(b, Note):
            items.append((b.label_line, 10 + n - 0.5, b.marker))
        items.append((b.line, 10 + n, text))
        if isinstance(b, Figure) and b.credit:
            line = b.credit_line or b.line
            items.append((line, 10 + n + 0.5 if line == b.line else 0, b.credit))
    if article.byline:
        # On the dateline's line, the byline opened the paragraph, unless the report says it
        # was cut off its end (a one-paragraph brief).
        end = any(c.rule == "byline" and "off the end" in c.message
                  and c.line == article.byline_line for c in article.report.changes)
        head = article.dateline and article.byline_line == article.dateline_line and not end
        items.append((article.byline_line, 6 if head else 1 << 30, article.byline))
    for e in article.end_matter:
        items.append((e.line, 1 << 31, e.text))
    return "".join(t for _, _, t in sorted(items, key=lambda x: (x[0], x[1])))
