"""Helpers for the robustness tests: a throwaway copy of the project, builds run in-process.

In: texts as bytes or str. Out: what a user sees (exit code, stderr lines, the files in dist/),
or the ``Outcome`` of ``paiban.build.render_target`` for the faster in-process checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from paiban import cli, config, editions
from paiban.build import Outcome, Target, _prepare_out, publish_assets, render_target
from paiban.pipeline import load_source
from projects import BODY, GOOD, ROOT, copy_project  # noqa: F401 (the robustness tests' names)


def project_config(proj: Path) -> config.Config:
    return config.load(proj / "pyproject.toml")


def write_text(proj: Path, name: str, data: bytes | str) -> Path:
    path = proj / "seeds" / name
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.err.strip().splitlines()


def cli_build(proj: Path, capsys, *args: str) -> Run:
    """``paiban --config proj/pyproject.toml build --quiet --jobs 1 ARGS`` in this process."""
    capsys.readouterr()
    code = cli.main(["--config", str(proj / "pyproject.toml"), "build", "--quiet", "--jobs", "1",
                     *args])
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def assert_one_error_line(run: Run, path: Path, *words: str) -> str:
    """Exit 1; stderr is one ``paiban: <path>: <problem>`` line per failed edition (the same
    problem) and the summary; no traceback. Returns the problem."""
    assert run.code == 1, run.err
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    *errors, summary = run.lines
    assert errors, run.err
    assert "failed" in summary, summary
    prefix = f"paiban: {path}: "
    problems = set()
    for line in errors:
        assert line.startswith(prefix), line
        # Editions differ only in their tag and face (Noto Serif CJK SC / TC).
        problems.add(re.sub(r"\b(zh-Hans|zh-Hant(-TW|-HK)?|SC|TC|HK)\b", "", line[len(prefix):]))
    assert len(problems) == 1, errors
    problem = errors[0][len(prefix):]
    for word in words:
        assert word in problem, problem
    return problem


def render(cfg: config.Config, path: Path, edition: str = "zh-Hans",
           layout: str = "feature") -> Outcome:
    """Clean, convert and render one target in this process (as a build worker does)."""
    _prepare_out(cfg.out)
    publish_assets(cfg)
    source = load_source(path, cfg)
    article = editions.convert_article(source.article, edition)
    return render_target(Target(path, edition, layout), article, cfg)


def squash(text: str) -> str:
    return "".join(text.split())


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(path).pages)
