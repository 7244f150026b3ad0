"""dist/index.html lists everything in dist/ (not only the last build's targets), URL-encoded,
with titles, editions, pages and build time; stale outputs marked; failures shown.
`paiban clean --stale` removes the stale ones."""

from __future__ import annotations

from pathlib import Path

from paiban.build import Outcome, Summary, Target
from paiban.cli import main
from paiban.config import Config
from paiban.outputs import output_path, scan
from paiban.report import write_index

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.7\n1 0 obj << /Type /Pages >> endobj 2 0 obj << /Type /Page >> endobj\n%%EOF\n"


def _output(out: Path, stem: str, edition: str, title: str) -> Path:
    pdf = output_path(out, stem, edition)
    pdf.parent.mkdir(parents=True, exist_ok=True)
    pdf.write_bytes(PDF)
    pdf.with_suffix(".html").write_text(f"<html><head><title>{title}</title></head></html>", "utf-8")
    return pdf


def test_index_lists_all_of_dist_with_titles_and_marks_stale(tmp_path):
    out = tmp_path / "dist"
    cfg = Config(root=ROOT, out=out, editions=("zh-Hans", "zh-Hant"))
    _output(out, "50% a#b", "zh-Hans", "书屋 &amp; 夜灯")
    _output(out, "older", "zh-Hant", "旧文")            # built by an earlier build, still listed
    stale = _output(out, "older", "zh-Hant-HK", "旧文")  # edition no longer configured
    (out / "older" / "zh-Hans.pdf").write_bytes(PDF)     # an old paiban's name
    summary = Summary([
        Outcome(Target(tmp_path / "50% a#b.txt", "zh-Hans", "feature"), pages=1),
        Outcome(Target(tmp_path / "bad.txt", "zh-Hant", "feature"), error="bad.txt: empty file"),
    ])
    write_index(cfg, summary)
    html = (out / "index.html").read_text("utf-8")
    assert 'href="50%25%20a%23b/50%25%20a%23b.zh-Hans.pdf"' in html
    assert "书屋 &amp; 夜灯" in html and "旧文" in html
    assert "failed: bad.txt: empty file" in html
    assert "stale: edition zh-Hant-HK is not configured" in html
    assert "2 stale file(s)" in html
    found = {o.pdf.name: o for o in scan(cfg)}
    assert found["older.zh-Hant.pdf"].pages == 1 and not found["older.zh-Hant.pdf"].stale
    assert found["zh-Hans.pdf"].stale and found[stale.name].stale


def test_clean_stale_removes_only_stale_outputs(tmp_path, monkeypatch):
    (tmp_path / "paiban.toml").write_text('editions = ["zh-Hans"]\n', "utf-8")
    out = tmp_path / "dist"
    keep = _output(out, "a", "zh-Hans", "甲")
    gone = _output(out, "a", "zh-Hant", "甲")
    monkeypatch.chdir(tmp_path)
    assert main(["clean", "--stale"]) == 0
    assert keep.is_file() and keep.with_suffix(".html").is_file()
    assert not gone.exists() and not gone.with_suffix(".html").exists()
    assert "zh-Hant" not in (out / "index.html").read_text("utf-8")
