"""Command line: ``paiban init | inspect | build | preview | check | clean``.

In: argv. Out: an exit code (0 ok, 1 some input or output failed, 2 usage error, 141 the
reader of stdout went away, as for ``paiban inspect … | head -1``). User errors
(``PaibanError``) print as one line ``paiban: <file>: <problem>``; nothing prints a traceback
unless ``PAIBAN_DEBUG=1``. The work itself is done by the Python API (``paiban.api``).
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
  paiban init mag --publication 职工之家                 a new publication in mag/
  paiban inspect seeds/002_cac0cc1532234b7e.txt          outline and cleaning report
  paiban inspect seeds/002_cac0cc1532234b7e.txt --json   the document model as JSON
  paiban build                                           all of seeds/ into dist/
  paiban build seeds/000_0015acbaf8d5143e.txt --edition all --layout report
  paiban build --pdf x-1a --proof                         PDF/X-1a proofs (placeholders allowed)
  paiban check --preflight dist/*/zh-Hans.pdf            what a print shop's preflight checks
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
    p.add_argument("--config", type=Path, help=CONFIG_HELP)
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    ini = sub.add_parser("init", help="start a publication: paiban.toml, seeds/ with a sample, images/")
    ini.add_argument("dir", type=Path, help="the publication's folder (created if missing)")
    ini.add_argument("--publication", default="职工之家", help="publication name (running header, PDF metadata)")
    ini.add_argument("--eject", action="store_true",
                     help="also copy the built-in layout/, styles/, fonts/ to edit")

    ins = sub.add_parser("inspect", help="clean one text and show its structure and cleaning report")
    ins.add_argument("file", type=Path, help="a raw text file")
    ins.add_argument("--json", action="store_true", help="print the document model as JSON")
    ins.add_argument("--edition", choices=EDITIONS, help="show the model converted to this edition")

    b = sub.add_parser("build", help="typeset texts into PDF and HTML")
    _add_build_args(b)
    b.add_argument("--quiet", "-q", action="store_true", help="print only errors and the summary")
    b.add_argument("--force", action="store_true", help="rebuild even when the output is up to date")
    b.add_argument("--jobs", "-j", type=int, help="worker processes (default: one per core)")
    b.add_argument("--executor", metavar="local|dask://HOST:PORT",
                   help="render in local worker processes (default) or on a Dask cluster "
                        "(needs pip install 'paiban[dask]')")
    b.add_argument("--verbose", "-v", action="store_true",
                   help="print each warning as it happens (CSS, cleaning fragments, images)")
    b.add_argument("--strict", action="store_true", help="any warning fails the build (exit 1)")
    b.add_argument("--json", action="store_true", help="print the summary as JSON on stdout")

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

    ck = sub.add_parser("check", help="measure a PDF against the typography rules, or preflight it")
    ck.add_argument("pdf", type=Path, nargs="+", help="PDF files built by paiban")
    ck.add_argument("--json", action="store_true", help="print the measurements as JSON")
    ck.add_argument("--preflight", action="store_true",
                    help="check what a print shop checks (PDF/X, colour, fonts, boxes, bleed, "
                         "image resolution, ink coverage, hairlines, placeholders); one line "
                         "per finding, exit 1 on any error")

    cl = sub.add_parser("clean", help="remove stale outputs from the output folder")
    cl.add_argument("--stale", action="store_true", required=True,
                    help="remove PDFs (and their HTML) of editions no longer configured, or "
                         "with names paiban no longer makes")
    cl.add_argument("--out", type=Path, help="output folder (default: dist/)")

    for command in sub.choices.values():  # --config after the subcommand too
        command.add_argument("--config", type=Path, default=argparse.SUPPRESS, help=CONFIG_HELP)
    return p


CONFIG_HELP = ("config file: paiban.toml, or a pyproject.toml with [tool.paiban] (default: the "
               "nearest one in this folder or a parent)")


def _add_build_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", type=Path, nargs="*", metavar="FILE|DIR",
                   help="texts (.txt, .docx, .md) or folders of them (default: the configured "
                        "seeds folder)")
    p.add_argument("--edition", action="append", metavar="TAG",
                   help=f"edition to build, repeatable, or 'all' ({', '.join(EDITIONS)})")
    p.add_argument("--layout", action="append", metavar="NAME",
                   help="layout from layout/ (feature, report); repeatable")
    p.add_argument("--out", type=Path, help="output folder (default: dist/)")
    p.add_argument("--marks", action="store_true", default=None,
                   help="add crop marks and registration targets in a slug around the bleed")
    p.add_argument("--pdf", choices=("x-4", "x-1a", "screen"), default=None,
                   help="PDF variant: x-4 (default; PDF/X-4, send this to the printer), x-1a "
                        "(PDF/X-1a for older RIPs: all CMYK, no transparency), screen (sRGB, web)")
    p.add_argument("--proof", action="store_true", default=None,
                   help="a proof: placeholder frames allowed, 校样 / PROOF stamped in the slug")
    p.add_argument("--no-makeup", dest="makeup", action="store_false", default=None,
                   help="lay each article out once, without the make-up pass (drafts, archive "
                        "runs; config: makeup = false)")


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
        code = _run(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
        return code
    except BrokenPipeError:
        # The reader left (`paiban inspect … | head -1`): not an error of ours. Point stdout at
        # /dev/null so the interpreter's own flush at exit does not complain either.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 141
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
    if args.command == "check" and args.preflight:
        from paiban.press.preflight import main as preflight_main

        return preflight_main(args.pdf, as_json=args.json)
    if args.command == "check":
        from paiban.check import main as check_main

        return check_main(args.pdf, as_json=args.json)
    if args.command == "init":
        from paiban.project import init_project

        written = init_project(args.dir, publication=args.publication, eject=args.eject)
        print(f"paiban: created {args.dir}/ ({len(written)} files and folders): paiban.toml, "
              f"seeds/sample.txt, images/{', layout/, styles/, fonts/' if args.eject else ''}")
        print(f"next: cd {args.dir} && paiban build   (or paiban preview)")
        return 0

    overrides = {}
    if args.command in ("build", "preview", "issue", "clean"):
        overrides = dict(out=args.out)
    if args.command in ("build", "preview", "issue"):
        overrides.update(editions=_editions(args.edition), marks=args.marks,
                         pdf=getattr(args, "pdf", None), proof=getattr(args, "proof", None),
                         makeup=getattr(args, "makeup", None))
        if args.command in ("build", "issue"):
            overrides["jobs"] = args.jobs
            overrides["executor"] = getattr(args, "executor", None)
    cfg = load(args.config, **overrides)

    if args.command == "clean":
        from paiban.outputs import remove_stale

        removed = remove_stale(cfg)
        for path in removed:
            print(f"removed {path}")
        print(f"removed {len(removed)} stale file{'s' * (len(removed) != 1)} from {cfg.out}")
        if removed:
            _refresh_index(cfg)
        return 0

    if args.command == "inspect":
        from paiban.api import inspect_text
        from paiban.model import to_dict

        article = inspect_text(args.file, edition=args.edition, config=cfg)
        if args.json:
            print(json.dumps(to_dict(article), ensure_ascii=False, indent=2))
        else:
            from paiban.outline import outline

            print(visible(outline(article), lines=True))
        return 0

    if args.command == "issue":
        from paiban.issue import build_issue
        from paiban.issue.run import default_manifest

        manifest = args.manifest or default_manifest(cfg)
        return build_issue(cfg, manifest, cfg.editions, jobs=cfg.jobs, force=args.force,
                           quiet=args.quiet)

    inputs = tuple(args.inputs) or (cfg.seeds,)
    layouts = _layouts(args.layout, cfg)
    if args.command == "build":
        from paiban.build import build

        return build(cfg, inputs, layouts=layouts, quiet=args.quiet, force=args.force,
                     verbose=args.verbose, strict=args.strict, as_json=args.json)
    from paiban.preview import serve

    return serve(cfg, inputs, layouts=layouts or (cfg.layout,), host=args.host, port=args.port)


def _layouts(values: list[str] | None, cfg) -> tuple[str, ...] | None:
    """The layouts asked for, each checked before anything is built (usage error otherwise)."""
    if not values:
        return None
    from paiban.render.html import layouts

    available = layouts(cfg)
    asked = tuple(dict.fromkeys(n.strip() for v in values for n in v.split(",") if n.strip()))
    for name in asked:
        if name not in available:
            raise PaibanError(f"unknown layout {name!r} (choose from {', '.join(available)})",
                              exit_code=2)
    return asked


def _refresh_index(cfg) -> None:
    from paiban.report import write_index
    from paiban.targets import Summary

    if cfg.out.is_dir():
        write_index(cfg, Summary(cfg=cfg))
