"""A small stand-in for paiban's pipeline, so the preview can be tested on its own.

In: a target; the project folder holding ``layout/<layout>.html.j2`` and ``styles/<layout>.css``.
Out: a real PDF (WeasyPrint, A5 with 3 mm bleed, so TrimBox and BleedBox differ) and the HTML it
was made from, written where ``paiban build`` writes them; a ``Problem`` for a broken template
or a sidecar with an unknown key, like the real builder.
"""

from __future__ import annotations

import html
import time
import tomllib
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError

from paiban.targets import Target, write_atomic
from paiban.config import Config
from paiban.preview.builder import describe
from paiban.preview.model import Problem, Result

TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ title }}</title>
<link rel="stylesheet" href="../_assets/styles/{{ layout }}.css"></head>
<body><h1>{{ title }}</h1>
{% for p in paragraphs %}<p>{{ p }}</p>
{% endfor %}</body></html>
"""

STYLE = """@page { size: 148mm 210mm; bleed: 3mm; margin: 15mm; background: #ffffff; }
body { font-family: "Noto Serif CJK SC"; font-size: 11pt; line-height: 1.7; }
h1 { font-size: 18pt; }
"""


def make_project(root: Path, texts: dict[str, str], layout: str = "fake") -> None:
    """A minimal project: pyproject.toml, a template, a stylesheet, fonts/, texts in seeds/."""
    (root / "pyproject.toml").write_text('[tool.paiban]\nseeds = "seeds"\nout = "dist"\n'
                                         f'layout = "{layout}"\n', "utf-8")
    for name in ("layout", "styles", "fonts", "seeds"):
        (root / name).mkdir(exist_ok=True)
    (root / "layout" / f"{layout}.html.j2").write_text(TEMPLATE, "utf-8")
    (root / "styles" / f"{layout}.css").write_text(STYLE, "utf-8")
    (root / "fonts" / "fonts.toml").write_text("# fonts\n", "utf-8")
    for name, text in texts.items():
        (root / "seeds" / name).write_text(text, "utf-8")


class FakeBuilder:
    """``builder(target) -> Result`` with a Jinja template and WeasyPrint, nothing else."""

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self.built: list[Target] = []

    def __call__(self, target: Target) -> Result:
        import weasyprint

        from paiban.build import publish_assets

        started = time.perf_counter()
        self.built.append(target)
        try:
            _check_sidecar(target.text.with_suffix(".toml"))
            env = Environment(loader=FileSystemLoader(str(self.cfg.layout_dir)),
                              autoescape=True, undefined=StrictUndefined)
            lines = [l.strip() for l in target.text.read_text("utf-8").splitlines() if l.strip()]
            page = env.get_template(f"{target.layout}.html.j2").render(
                lang=target.edition, title=lines[0], paragraphs=lines[1:], layout=target.layout)
        except (TemplateError, OSError, ValueError) as exc:
            return Result(problem=describe(exc), seconds=time.perf_counter() - started)
        except Problemish as exc:
            return Result(problem=exc.problem, seconds=time.perf_counter() - started)
        publish_assets(self.cfg)
        html_path = target.html(self.cfg)
        doc = weasyprint.HTML(string=page, base_url=str(html_path)).render()
        write_atomic(target.pdf(self.cfg), doc.write_pdf())
        write_atomic(html_path, page.encode("utf-8"))
        return Result(pages=len(doc.pages), seconds=time.perf_counter() - started,
                      title=html.unescape(lines[0]))


class Problemish(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _check_sidecar(path: Path) -> None:
    """Like the real sidecar reader: only known keys, reported with their line."""
    if not path.is_file():
        return
    text = path.read_text("utf-8")
    for key in tomllib.loads(text):
        if key not in ("title", "callouts"):
            line = next((i for i, l in enumerate(text.splitlines(), 1) if l.startswith(key)), None)
            raise Problemish(Problem(f"unknown key {key!r}", str(path), line))
