"""Golden snapshots: the cleaned model of each seed equals tests/snapshots/<stem>.json.

Regenerate with ``python -m paiban.snapshots`` (``make snapshots``) only after a deliberate
change to cleaning, and review the diff. Besides the snapshot, the seeds' key facts are
asserted by name, so a regenerated snapshot cannot silently lose them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from paiban.clean import read
from paiban.model import Figure, Heading, Paragraph, Quote
from paiban.snapshots import SEEDS, SNAPSHOTS, snapshot

SEED_FILES = sorted(SEEDS.glob("*.txt"))
S000 = SEEDS / "000_0015acbaf8d5143e.txt"
S002 = SEEDS / "002_cac0cc1532234b7e.txt"


@pytest.mark.parametrize("seed", SEED_FILES, ids=[s.stem for s in SEED_FILES])
def test_snapshot(seed: Path):
    golden = SNAPSHOTS / f"{seed.stem}.json"
    assert golden.exists(), "run `python -m paiban.snapshots` to write it"
    assert json.loads(snapshot(read(seed))) == json.loads(golden.read_text("utf-8"))


def test_seed_000_facts():
    a = read(S000)
    assert (a.title, a.subtitle_marker, a.subtitle) == (
        "与时代同步 与社会共进", "——", "福建省三明市总工会5年工作巡礼")
    assert a.byline == ""
    r = a.report
    assert [(j.line, j.next_line) for j in r.joins] == [(57, 59)]
    assert [(x.line, x.reason, x.original_line) for x in r.removed] == [
        (37, "duplicate", 25), (69, "duplicate", 65), (71, "duplicate", 67),
        (73, "duplicate", 65), (77, "truncated-repeat", 75)]
    assert [(f.line, f.reason) for f in r.fragments] == [(31, "starts-mid-sentence")]
    assert [f.caption for f in a.figures] == [
        "三明市总工会举办的“庆五一万名职工健康跑活动”，已经成为一项品牌活动"]
    assert [h.text for h in a.sections] == [
        "“责任工会”： 带领职工听党的话、跟党走", "“服务工会”： 着力打通服务职工“最后一公里”"]
    subheads = [b for b in a.blocks if isinstance(b, Heading) and b.level == 2]
    assert [h.text for h in subheads][:2] == ["注重工会源头参与", "大力弘扬劳模精神"]
    assert all(h.marker == "——" and not h.run_in for h in subheads)
    assert [q.text for q in a.blocks if isinstance(q, Quote)] == [
        "责任立基，成就天地人和；厚德载物，创造价值无限。"]
    paragraphs = [b for b in a.blocks if isinstance(b, Paragraph)]
    assert paragraphs[0].lede and paragraphs[0].line == 7
    assert "全市工会始终把困难职工的冷暖放在心上" in paragraphs[[p.line for p in paragraphs].index(57)].text


def test_seed_002_facts():
    a = read(S002)
    assert a.title == "聆听历史足音 书写时代新篇"
    assert a.subtitle == "福建省龙岩市总工会5年工作巡礼"
    assert a.byline == "黄秀珍 郑飞飞" and a.byline_line == 103
    r = a.report
    assert [(j.line, j.next_line) for j in r.joins] == [
        (25, 27), (29, 31), (39, 41), (49, 51), (61, 63), (65, 67)]
    assert r.removed == ()
    assert [(f.line, f.reason) for f in r.fragments] == [(55, "truncated"), (69, "truncated")]
    assert [(f.number, f.line) for f in a.figures] == [(1, 11), (2, 15), (3, 19), (4, 107),
                                                       (5, 111)]
    assert [h.line for h in a.sections] == [21, 35, 57, 71, 89]
    run_in = [b for b in a.blocks if isinstance(b, Heading) and b.run_in]
    assert len(run_in) == 17 and run_in[0].text == "源头参与全面畅通。"
    assert all(h.marker == "——" and h.level == 2 for h in run_in)
    texts = {b.line: b.text for b in a.blocks if isinstance(b, Paragraph)}
    assert "联席会议制度》，畅通了" in texts[25]
    assert "制订完善《龙岩市总工会党组工作规则》" in texts[29]
    assert "发明创造等活动，激发了职工劳动热情" in texts[39]
    assert texts[55].endswith("在中心城区重点公交站点")  # kept apart from the heading after it
    assert texts[103].endswith("被市委、市政府评为脱贫攻坚工作先进单位。")
    lede = next(b for b in a.blocks if isinstance(b, Paragraph))
    assert lede.lede and lede.line == 7
    assert isinstance(a.blocks[1], Figure)  # captions follow the lede


def test_snapshots_leave_out_what_later_stages_fill():
    data = json.loads(snapshot(read(S002)))
    assert "stats" not in data
    assert not any(b["kind"] == "callout" for b in data["blocks"])
