"""dist/index.html links every output, URL-encoded, and shows failures."""

from __future__ import annotations

from pathlib import Path

from paiban.targets import Outcome, Summary, Target
from paiban.config import Config
from paiban.report import write_index

ROOT = Path(__file__).resolve().parents[2]


def test_index_links_are_url_encoded_and_failures_shown(tmp_path):
    cfg = Config(root=ROOT, out=tmp_path)
    summary = Summary([
        Outcome(Target(tmp_path / "50% a#b.txt", "zh-Hans", "feature"), pages=4),
        Outcome(Target(tmp_path / "bad.txt", "zh-Hant", "feature"), error="bad.txt: empty file"),
    ])
    write_index(cfg, summary)
    html = (tmp_path / "index.html").read_text("utf-8")
    assert 'href="50%25%20a%23b/zh-Hans.pdf"' in html
    assert "failed: bad.txt: empty file" in html
