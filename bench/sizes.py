"""PDF sizes and PDF-writing time: paiban with and without its font-subset patch, and Typst.

Run: ``.venv/bin/python bench/sizes.py [--repeat 5] [--editions zh-Hans zh-Hant-HK]``.
Needs the ``typst`` Python package for the Typst column: it is not a paiban dependency, so
install it beside, not into, the project (``python3 -m venv /tmp/typst && /tmp/typst/bin/pip
install typst``) and pass ``--typst-python /tmp/typst/bin/python``; without it the column is
left out. Not a test: sizes are exact, times on a shared machine are noisy (medians of
``--repeat`` interleaved runs).

In: the seeds, the project's layout/, styles/, fonts/.
Out: a table on stdout, and the same as JSON with ``--json PATH``. For each seed × edition:

- paiban's PDF bytes with ``paiban.render.subset`` (as built) and without it (WeasyPrint's own
  RETAIN_GIDS subsets), and the font programs' share of each;
- Typst's PDF bytes for the same text set in the same four Noto CJK faces from fonts-noto-cjk
  (title, deck, headings, captions and callouts in the sans, body in the serif, as paiban's
  feature layout does; two columns on the same trim), untagged like paiban's PDF, and the ratio;
- the median seconds of WeasyPrint's ``write_pdf`` (the PDF-writing stage, which subsets the
  fonts) with and without the patch, each on a freshly laid-out document.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTO = Path("/usr/share/fonts/opentype/noto")

TYPST_RUNNER = r"""
import json, sys, typst
job = json.load(sys.stdin)
pdf = typst.compile(job["source"].encode(), font_paths=[job["fonts"]], ignore_system_fonts=True,
                    pdf_tags=job["tags"])
sys.stdout.buffer.write(pdf)
"""


def typst_source(article, faces: dict[str, str]) -> str:
    """The article as a Typst document: same text, same faces per role as the feature layout."""
    from paiban.model import Callout, Figure, Heading, Paragraph, Quote

    def s(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    serif, sans = s(faces["serif"]), s(faces["sans"])
    out = [
        '#set page(width: 210mm, height: 285mm, margin: (x: 18mm, top: 20mm, bottom: 22mm), '
        'columns: 2)',
        f'#set text(font: {serif}, size: 10pt, lang: "zh")',
        '#set par(justify: true, first-line-indent: (amount: 2em, all: true), leading: 0.8em)',
        f'#place(top, scope: "parent", float: true, block(width: 100%)['
        f'#text(font: {sans}, weight: "bold", size: 26pt, {s(article.title)})'
        + (f'\\ #text(font: {sans}, size: 13pt, {s(article.subtitle)})' if article.subtitle
           else "")
        + (f'\\ #text(font: {sans}, size: 9pt, {s(article.byline)})' if article.byline else "")
        + "])",
    ]
    for block in article.blocks:
        if isinstance(block, Heading) and block.level == 1:
            out.append(f'#block(text(font: {sans}, weight: "bold", size: 14pt, {s(block.text)}))')
        elif isinstance(block, Heading):
            out.append(f'#par(text(font: {serif}, weight: "bold", {s(block.text)}))')
        elif isinstance(block, Paragraph):
            out.append(f"#par({s(block.text)})")
        elif isinstance(block, Quote):
            out.append(f'#block(text(font: {serif}, weight: "bold", size: 13pt, {s(block.text)}))')
        elif isinstance(block, Figure):
            out.append(f"#block(height: 40mm, width: 100%, fill: luma(230))"
                       f"#text(font: {sans}, size: 8pt, {s(block.caption)})")
        elif isinstance(block, Callout):
            figures = " ".join(f'#text(font: {sans}, weight: "bold", size: 16pt, {s(x.value)})'
                               f' #text(font: {sans}, size: 8pt, {s(x.label)}) \\ '
                               for x in block.stats)
            out.append(f'#block(fill: luma(240), inset: 6pt)[#text(font: {sans}, '
                       f'weight: "bold", {s(block.title)}) \\ {figures}]')
    return "\n".join(out) + "\n"


def typst_pdf(python: str, source: str, tags: bool) -> bytes:
    job = json.dumps({"source": source, "fonts": str(NOTO), "tags": tags})
    done = subprocess.run([python, "-c", TYPST_RUNNER], input=job.encode(), capture_output=True,
                          check=True)
    return done.stdout


def pages(pdf: bytes) -> int:
    import pypdf

    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def font_bytes(pdf: bytes) -> int:
    """Bytes of the embedded font programs, as stored (compressed) in the file."""
    import pypdf

    total = 0
    seen = set()
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in descriptor and descriptor.raw_get(key).idnum not in seen:
                        seen.add(descriptor.raw_get(key).idnum)
                        total += len(descriptor[key].get_object()._data)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--editions", nargs="+", default=["zh-Hans", "zh-Hant", "zh-Hant-HK"])
    parser.add_argument("--typst-python", help="a Python with the typst package installed")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    import weasyprint

    from paiban.build import allowed_roots, publish_assets
    from paiban.config import load
    from paiban.pipeline import prepare
    from paiban.render import fonts as paiban_fonts
    from paiban.render import subset
    from paiban.render.html import render_html
    from paiban.render.pdf import _weasyprint, locked_fetcher, shared_font_config

    _weasyprint()
    out = Path(tempfile.mkdtemp(prefix="paiban-sizes-"))
    cfg = load(ROOT / "pyproject.toml", out=out)
    publish_assets(cfg)
    font_config = shared_font_config(cfg.fonts_dir)
    meta = ('<meta name="dcterms.created" content="2026-01-01T00:00:00Z">'
            '<meta name="dcterms.modified" content="2026-01-01T00:00:00Z">')

    def write(html: str, patched: bool) -> tuple[bytes, float]:
        document = weasyprint.HTML(string=html, base_url=str(out / "x" / "a.html"),
                                   url_fetcher=locked_fetcher(allowed_roots(cfg))
                                   ).render(font_config=font_config)
        if not patched:
            subset.uninstall()
        try:
            started = time.perf_counter()
            pdf = document.write_pdf(pdf_identifier=b"paiban")
            return pdf, time.perf_counter() - started
        finally:
            subset.install()

    rows = []
    for seed in sorted(cfg.seeds.glob("*.txt")):
        for edition in args.editions:
            article = prepare(seed, cfg, edition)
            html = render_html(article, "feature", cfg, assets="../_assets/")
            html = html.replace("</head>", meta + "</head>", 1)
            times: dict[bool, list[float]] = {True: [], False: []}
            pdfs: dict[bool, bytes] = {}
            write(html, True)  # warm: fonts opened, caches filled
            for _ in range(args.repeat):
                for patched in (False, True):  # interleaved: the machine's drift hits both
                    pdfs[patched], seconds = write(html, patched)
                    times[patched].append(seconds)
            row = {
                "seed": seed.stem[:3], "edition": edition,
                "pages": pages(pdfs[True]),
                "before": len(pdfs[False]), "before_fonts": font_bytes(pdfs[False]),
                "after": len(pdfs[True]), "after_fonts": font_bytes(pdfs[True]),
                "write_before_s": statistics.median(times[False]),
                "write_after_s": statistics.median(times[True]),
            }
            if args.typst_python:
                faces = paiban_fonts.faces(cfg.fonts_dir, edition)
                source = typst_source(article, {"serif": faces.serif, "sans": faces.sans})
                for tags in (False, True):
                    pdf = typst_pdf(args.typst_python, source, tags)
                    key = "typst_tagged" if tags else "typst"
                    row[key] = len(pdf)
                    row[key + "_fonts"] = font_bytes(pdf)
                    row[key + "_pages"] = pages(pdf)
                row["ratio"] = row["after"] / row["typst"]
            rows.append(row)
            print(_line(row), flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", "utf-8")
    return 0


def _line(row: dict) -> str:
    kb = lambda n: f"{n / 1000:.0f} KB"  # noqa: E731
    text = (f"{row['seed']} {row['edition']:<10} {row['pages']} p  "
            f"before {kb(row['before'])} (fonts {kb(row['before_fonts'])})  "
            f"after {kb(row['after'])} (fonts {kb(row['after_fonts'])})  ")
    if "typst" in row:
        text += (f"typst {kb(row['typst'])} ({row['typst_pages']} p, fonts "
                 f"{kb(row['typst_fonts'])}; tagged {kb(row['typst_tagged'])})  "
                 f"after/typst {row['ratio']:.2f}  ")
    return text + (f"write {row['write_before_s'] * 1000:.0f} → "
                   f"{row['write_after_s'] * 1000:.0f} ms")


if __name__ == "__main__":
    sys.exit(main())
