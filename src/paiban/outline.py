"""A readable outline of an article and its cleaning report, for ``paiban inspect``.

In: an ``Article`` (cleaned, maybe with statistics). Out: plain text, one block per line,
indented under its section, with source line numbers, then the cleaning report, then every
source line's number and role (what a sidecar's ``[lines]`` can override). Long texts
are cut to ``WIDTH`` characters with their full length noted, so a whole feature fits on a
screen or two.
"""

from __future__ import annotations

from paiban.model import (Article, Block, Callout, Figure, Heading, LineRole, ListBlock, Note,
                          Paragraph, Quote, Report, Turn)

WIDTH = 36
"""Characters of a paragraph shown in the outline."""


def outline(article: Article) -> str:
    """The outline of ``article`` followed by its cleaning report (see module docstring)."""
    lines = _head(article) + [""] + _blocks(article.blocks) + _end(article) + [""] \
        + report_lines(article.report)
    if article.lines:
        lines += [""] + line_roles(article.lines)
    return "\n".join(lines)


def line_roles(roles: tuple[LineRole, ...]) -> list[str]:
    """Each source line's number and role, as a sidecar's ``[lines]`` names them."""
    out = ["Source lines: number, role, first characters. A sidecar's [lines] sets a role "
           "(heading subhead paragraph caption credit byline end drop),",
           "  pinned to the line's first characters: "
           + (f'{roles[0].line} = {{ role = "heading", text = "{roles[0].text[:6]}" }}'
              if roles else "")]
    for r in roles:
        forced = "  (sidecar)" if r.forced else ""
        out.append(f"  {r.line:>4}  {r.role:<9} {r.text}{forced}")
    return out


def _head(article: Article) -> list[str]:
    out = []
    if article.kicker:
        label = f"  (label {article.kicker_marker.strip()})" if article.kicker_marker else ""
        out.append(f"  kicker  {article.kicker}{label}" + _at(article.kicker_line))
    out.append(f"《{article.title or '(no title)'}》" + _at(article.title_line))
    if article.subtitle:
        out.append(f"  deck    {article.subtitle_marker}{article.subtitle}")
    if article.byline:
        out.append(f"  byline  {article.byline}" + _at(article.byline_line))
    if article.dateline:
        out.append(f"  dateline {article.dateline}" + _at(article.dateline_line))
    counts = _counts(article.blocks)
    out.append(f"  source  {article.source or '-'} · {article.lang} · {counts}")
    if article.stats:
        out.append(f"  stats   {len(article.stats)} quantities found")
    return out


def _end(article: Article) -> list[str]:
    return [f"  end     {e.text}" + _at(e.line) for e in article.end_matter]


def _counts(blocks: tuple[Block, ...]) -> str:
    kinds = [b.kind for b in blocks]
    names = ("paragraph", "heading", "note", "list", "turn", "figure", "quote", "callout")
    return ", ".join(f"{kinds.count(k)} {k}{'' if kinds.count(k) == 1 else 's'}"
                     for k in names if kinds.count(k))


def _blocks(blocks: tuple[Block, ...]) -> list[str]:
    out: list[str] = []
    indent = ""
    for block in blocks:
        if isinstance(block, Heading):
            if block.level == 1:
                out.append(f"§ {block.marker}{block.text}{block.marker_end}" + _at(block.line))
                indent = "  "
            else:
                style = "run-in subhead" if block.run_in else "subhead"
                mark = block.marker or "▸ "
                out.append(f"{indent}{mark}{block.text}{block.marker_end}  ({style})"
                           + _at(block.line))
        else:
            out += [indent + "  " + line for line in _block(block).split("\n")]
    return out


def _block(block: Block) -> str:
    if isinstance(block, Paragraph):
        flags = "".join(f" [{f}]" for f, on in (("lede", block.lede),
                                                 ("fragment", block.fragment)) if on)
        return f"¶{flags} {short(block.text)}" + _at(block.line)
    if isinstance(block, Figure):
        credit = f"  〔{block.credit}〕" if block.credit else ""
        return f"图{block.number}  {short(block.caption)}{credit}" + _at(block.line)
    if isinstance(block, Note):
        return f"✎ {block.label}: {short(block.text)}" + _at(block.line)
    if isinstance(block, Quote):
        return f"❝ {block.text}" + _at(block.line)
    if isinstance(block, ListBlock):
        return "\n".join("  " * (i.level - 1) + f"• {i.marker}{short(i.text)}" + _at(i.line)
                         for i in block.items)
    if isinstance(block, Turn):
        role = "问" if block.question else "答"
        return f"{role} {block.speaker}{short(block.text)}" + _at(block.line)
    if isinstance(block, Callout):
        return f"▣ {block.title or 'callout'} ({block.placement}): {short(block.text)}"
    return repr(block)


def report_lines(report: Report) -> list[str]:
    """The cleaning report, one finding per line."""
    out = [f"Cleaning report (encoding {report.encoding})"]
    out += _section("joined across a page break", [
        f"l.{j.line} + l.{j.next_line}: …{j.before}｜{j.after}…" for j in report.joins])
    out += _section("removed", [
        f"l.{r.line} {r.reason}" + (f" of l.{r.original_line}" if r.original_line else
                                    " by the sidecar" if r.reason == "dropped" else "")
        + f": {short(r.text)}"
        for r in report.removed])
    out += _section("fragments kept as written", [
        f"l.{f.line} {f.reason}: {short(f.text, tail=f.reason == 'truncated')}" for f in report.fragments])
    out += _section("other changes", [
        (f"l.{c.line} " if c.line else "") + f"{c.rule}: {c.message}" for c in report.changes])
    if report.replaced:
        out.append(f"  half-width marks set full-width: {len(report.replaced)}")
    out += _section("warnings", list(report.warnings))
    return out


def _section(title: str, items: list[str]) -> list[str]:
    if not items:
        return [f"  {title}: none"]
    return [f"  {title} ({len(items)}):"] + [f"    {item}" for item in items]


def short(text: str, tail: bool = False) -> str:
    """``text`` cut to ``WIDTH`` characters; ``tail`` keeps the end instead of the start (for
    truncated fragments, where the end is the point)."""
    if len(text) <= WIDTH:
        return text
    cut = "…" + text[-WIDTH:] if tail else text[:WIDTH] + "…"
    return f"{cut} ({len(text)} chars)"


def _at(line: int) -> str:
    return f"  ·l.{line}" if line else ""
