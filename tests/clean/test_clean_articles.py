"""Whole articles in the shapes real copy arrives in (tests/clean/articles/): a news brief
with 本报讯, a Xinhua dispatch, a feature with a kicker, deck, 本报记者 line and 编者按, a
scraped web page with clutter and 来源/责编. Each is read as UTF-8, GB18030 with CRLF, UTF-8
with a BOM and UTF-16, and must give the same model with its frame read right."""

from __future__ import annotations

from pathlib import Path

import pytest
from cleandump import dump
from test_clean_properties import assert_nothing_lost

from paiban.clean import read
from paiban.model import Figure, Note, Paragraph

ARTICLES = Path(__file__).parent / "articles"


def encodings(tmp_path: Path, name: str):
    text = (ARTICLES / name).read_text("utf-8")
    forms = {"utf-8": text.encode("utf-8"),
             "gb18030-crlf": text.replace("\n", "\r\n").encode("gb18030"),
             "utf-8-bom": b"\xef\xbb\xbf" + text.encode("utf-8"),
             "utf-16": text.encode("utf-16")}
    out = []
    for form, raw in forms.items():
        path = tmp_path / f"{form}-{name}"
        path.write_bytes(raw)
        out.append(read(path))
    assert len({dump(a, report=False) for a in out}) == 1
    assert_nothing_lost(text, out[0])
    return out[0]


def test_news_brief(tmp_path):
    a = encodings(tmp_path, "brief.txt")
    assert (a.title, a.dateline, a.byline) == ("高温下的“清凉驿站”", "本报讯",
                                               "记者 林晓燕 通讯员 陈志强")
    lede = a.blocks[0]
    assert isinstance(lede, Paragraph) and lede.lede and lede.text.startswith("连日来")
    (fig,) = a.figures
    assert (fig.caption, fig.credit) == ("环卫工人在爱心驿站休息", "林晓燕 摄")
    assert [e.text for e in a.end_matter] == ["（完）", "责任编辑：王芳"]


def test_xinhua_dispatch(tmp_path):
    a = encodings(tmp_path, "xinhua.txt")
    assert (a.dateline, a.byline) == ("新华社北京6月12日电", "记者 张伟 刘洋")
    (fig,) = a.figures
    assert fig.caption.startswith("6月11日") and fig.credit == "新华社记者 张伟 摄"
    assert [e.label for e in a.end_matter] == ["完"]


def test_feature_with_note_and_byline_line(tmp_path):
    a = encodings(tmp_path, "feature.txt")
    assert (a.kicker, a.title, a.subtitle, a.subtitle_marker) == (
        "喜迎五一国际劳动节", "匠心三十年", "记全国劳动模范、高级技师林海", "")
    assert a.byline == "本报记者 王芳 实习生 李强" and a.byline_has_role
    note, lede = a.blocks[:2]
    assert isinstance(note, Note) and note.label == "编者按"
    assert isinstance(lede, Paragraph) and lede.lede and lede.text.startswith("清晨")
    assert [f.credit for f in a.figures] == ["受访者供图"]
    assert [h.text for h in a.sections] == ["技术攻关"]


def test_scraped_page(tmp_path):
    a = encodings(tmp_path, "scraped.txt")
    assert a.title == "市总工会举办职工职业技能大赛" and not a.byline
    reasons = [(r.line, r.reason) for r in a.report.removed]
    assert reasons == [(1, "clutter"), (7, "clutter"), (9, "clutter"), (15, "file-name"),
                       (27, "clutter"), (29, "clutter"), (31, "clutter")]
    assert [e.label for e in a.end_matter] == ["来源", "发布时间", "责编", "审核", "校对"]
    assert all(not isinstance(b, Figure) or b.caption == "选手在焊工项目比赛中" for b in a.blocks)
    assert [f.credit for f in a.figures] == ["图片来源：福州工会网"]


def test_editions_convert_the_frame():
    from paiban.editions import convert_article

    a = convert_article(read(ARTICLES / "scraped.txt"), "zh-Hant")
    assert [e.text for e in a.end_matter][:1] == ["來源：福州工會網"]
    assert a.figures[0].credit == "圖片來源：福州工會網"
    b = convert_article(read(ARTICLES / "feature.txt"), "zh-Hant")
    assert b.kicker == "喜迎五一國際勞動節"
    assert isinstance(b.blocks[0], Note) and b.blocks[0].label == "編者按"


@pytest.mark.parametrize("name", ["brief.txt", "feature.txt"])
def test_texts_include_the_frame(name):
    a = read(ARTICLES / name)
    texts = a.texts()
    for wanted in (a.dateline, a.kicker, *(e.text for e in a.end_matter),
                   *(f.credit for f in a.figures), *(b.text for b in a.blocks
                                                      if isinstance(b, Note))):
        if wanted:
            assert wanted in texts
