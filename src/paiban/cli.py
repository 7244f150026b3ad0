"""Command line: ``paiban inspect | build | preview | check``.

In: argv. Out: an exit code (0 ok, 1 some input or output failed, 2 usage error). User errors
(``PaibanError``) print as one line ``paiban: <file>: <problem>``; nothing prints a traceback
unless ``PAIBAN_DEBUG=1``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from paiban import __version__
from paiban.config import EDITIONS, load
from paiban.errors import PaibanError, visible

EXAMPLES = """\
examples:
  paiban inspect seeds/002_cac0cc1532234b7e.txt          outline and cleaning report
  paiban inspect seeds/002_cac0cc1532234b7e.txt --json   the document model as JSON
  paiban build                                           all of seeds/ into dist/
  paiban build seeds/000_0015acbaf8d5143e.txt --edition all --layout report
  paiban preview                                         live preview on http://127.0.0.1:8000/
"""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="paiban",
        description="Typeset raw Chinese feature texts as magazine PDFs, with Traditional editions.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"paiban {__version__}")
    p.add_argument("--config", type=Path, help="TOML config file (default: [tool.paiban] in pyproject.toml)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    ins = sub.add_parser("inspect", help="clean one text and show its structure and cleaning report")
    ins.add_argument("file", type=Path, help="a raw text file")
    ins.add_argument("--json", action="store_true", help="print the document model as JSON")
    ins.add_argument("--edition", choices=EDITIONS, help="show the model converted to this edition")

    b = sub.add_parser("build", help="typeset texts into PDF and HTML")
    _add_build_args(b)
    b.add_argument("--quiet", "-q", action="store_true", help="print only errors and the summary")
    b.add_argument("--force", action="store_true", help="rebuild even when the output is up to date")
    b.add_argument("--jobs", "-j", type=int, help="worker processes (default: one per core)")

    pv = sub.add_parser("preview", help="serve a live browser preview that rebuilds on every save")
    _add_build_args(pv)
    pv.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    pv.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")

    iss = sub.add_parser("issue", help="make a whole issue: cover, contents, the articles with "
                                       "continuous folios, one PDF per edition")
    iss.add_argument("manifest", type=Path, nargs="?",
                     help="the issue manifest (default: issue.toml in the project)")
    iss.add_argument("--edition", action="append", metavar="TAG",
                     help=f"edition, repeatable, or 'all' ({', '.join(EDITIONS)})")
    iss.add_argument("--out", type=Path, help="output folder (default: dist/; the issue goes "
                                              "into a folder named by its slug)")
    iss.add_argument("--marks", action="store_true", default=None, help="add crop and cross marks")
    iss.add_argument("--force", action="store_true", help="render every piece again")
    iss.add_argument("--jobs", "-j", type=int, help="worker processes (default: one per core)")
    iss.add_argument("--quiet", "-q", action="store_true", help="print only errors and the summary")

    ck = sub.add_parser("check", help="measure a PDF against the typography rules")
    ck.add_argument("pdf", type=Path, nargs="+", help="PDF files built by paiban")
    ck.add_argument("--json", action="store_true", help="print the measurements as JSON")
    return p


def _add_build_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", type=Path, nargs="*", metavar="FILE|DIR",
                   help="texts (.txt, .docx, .md) or folders of them (default: the configured "
                        "seeds folder)")
    p.add_argument("--edition", action="append", metavar="TAG",
                   help=f"edition to build, repeatable, or 'all' ({', '.join(EDITIONS)})")
    p.add_argument("--layout", action="append", metavar="NAME",
                   help="layout from layout/ (feature, report); repeatable")
    p.add_argument("--out", type=Path, help="output folder (default: dist/)")
    p.add_argument("--marks", action="store_true", default=None, help="add crop and cross marks")


def _editions(values: list[str] | None) -> tuple[str, ...] | None:
    if not values:
        return None
    out: list[str] = []
    for value in values:
        for tag in value.split(","):
            tag = tag.strip()
            if tag == "all":
                out.extend(EDITIONS)
            elif tag in EDITIONS:
                out.append(tag)
            else:
                raise PaibanError(f"unknown edition {tag!r} (choose from {', '.join(EDITIONS)} or all)",
                                  exit_code=2)
    return tuple(dict.fromkeys(out))


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except PaibanError as exc:
        print(f"paiban: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("paiban: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: still one line, unless debugging
        if os.environ.get("PAIBAN_DEBUG"):
            raise
        print(visible(f"paiban: internal error: {type(exc).__name__}: {exc} "
                      "(PAIBAN_DEBUG=1 shows more)"), file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    if args.command == "check":
        from paiban.check import main as check_main

        return check_main(args.pdf, as_json=args.json)

    overrides = {}
    if args.command in ("build", "preview", "issue"):
        overrides = dict(out=args.out, editions=_editions(args.edition), marks=args.marks)
        if args.command in ("build", "issue"):
            overrides["jobs"] = args.jobs
    cfg = load(args.config, **overrides)

    if args.command == "inspect":
        from paiban.build import collect_checked
        from paiban.pipeline import prepare
        from paiban.outline import outline
        from paiban.model import to_dict

        if Path(args.file).is_file():  # the same refusal as build's (a link out of the project)
            _texts, refused = collect_checked((Path(args.file),), cfg.root)
            if refused:
                raise next(iter(refused.values()))
        article = prepare(args.file, cfg, edition=args.edition)
        if args.json:
            print(json.dumps(to_dict(article), ensure_ascii=False, indent=2))
        else:
            print(visible(outline(article), lines=True))
        return 0

    if args.command == "issue":
        from paiban.issue import build_issue
        from paiban.issue.run import default_manifest

        manifest = args.manifest or default_manifest(cfg)
        return build_issue(cfg, manifest, cfg.editions, jobs=cfg.jobs, force=args.force,
                           quiet=args.quiet)

    inputs = tuple(args.inputs) or (cfg.seeds,)
    if args.command == "build":
        from paiban.build import build

        return build(cfg, inputs, layouts=tuple(args.layout) if args.layout else None,
                     quiet=args.quiet, force=args.force)
    from paiban.preview import serve

    layouts = tuple(args.layout) if args.layout else (cfg.layout,)
    return serve(cfg, inputs, layouts=layouts, host=args.host, port=args.port)
