"""Editions: OpenCC conversion of the model, Taiwan quotation marks, backend choice."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from paiban import editions
from paiban.model import Article, Callout, Figure, Heading, Paragraph, Quote, Stat

PURE = Path(sys.prefix) / "opencc-pure"


def _article() -> Article:
    stat = Stat(value="8070万元", number=80700000.0, unit="元", label="筹集送温暖慰问金",
                sentence="各级工会共筹集送温暖慰问金8070万元。", section="暖心的职工之家")
    return Article(
        title="与时代同步 与社会共进", subtitle="福建省三明市总工会5年工作巡礼", byline="记者 张华",
        blocks=(
            Heading(text="“服务工会”：着力打通服务职工“最后一公里”", level=1),
            Heading(text="源头参与全面畅通。", level=2, marker="——", run_in=True),
            Paragraph(text="干部发放慰问金，‘审议通过’。", lede=True),
            Figure(caption="图为职工健康跑活动", number=1),
            Quote(text="责任立基，成就天地人和。"),
            Callout(stats=(stat,), title="数说", placement="opener"),
        ),
        stats=(stat,), source="x.txt", stem="x",
    )


def test_phrase_level_conversions_come_out_right():
    text = editions.convert("有效打通了服务职工的“最后一公里”，干部发放慰问金", "zh-Hant")
    assert "最後一公里" in text and "公裏" not in text
    assert "幹部" in text and "乾部" not in text
    assert "發放" in text


def test_taiwan_edition_uses_corner_brackets_and_taiwan_phrasing():
    text = editions.convert("经市委常委会审议通过，“再上新台阶，‘建设新三明’”", "zh-Hant-TW")
    assert "審議通過" in text  # the pure-Python dictionaries give 審議透過
    assert "「再上新臺階，『建設新三明』」" in text or "「再上新台階，『建設新三明』」" in text
    assert not set("“”‘’") & set(text)


def test_hong_kong_edition_uses_corner_brackets_like_taiwan():
    text = editions.convert("他说：“再上新台阶，‘建设新三明’”", "zh-Hant-HK")
    assert "「再上新臺階，『建設新三明』」" in text or "「再上新台階，『建設新三明』」" in text
    assert not set("“”‘’") & set(text)


def test_standard_traditional_keeps_curly_quotes():
    assert "“" in editions.convert("“最后一公里”", "zh-Hant")


def test_a_desk_can_keep_curly_quotes_in_an_edition():
    only_tw = ("zh-Hant-TW",)
    assert "“" in editions.convert("“最后一公里”", "zh-Hant-HK", corner_quotes=only_tw)
    art = editions.convert_article(_article(), "zh-Hant-HK", only_tw)
    assert art.lang == "zh-Hant-HK"


def test_zh_hans_is_the_source_unchanged():
    art = _article()
    assert editions.convert_article(art, "zh-Hans") == art


def test_every_visible_text_is_converted_and_nothing_else():
    art = editions.convert_article(_article(), "zh-Hant")
    assert art.lang == "zh-Hant"
    assert art.title == "與時代同步 與社會共進"
    assert art.subtitle == "福建省三明市總工會5年工作巡禮"
    assert art.byline == "記者 張華"
    heading, runin, para, fig, quote, callout = art.blocks
    assert "服務" in heading.text and "最後一公里" in heading.text
    assert runin.text == "源頭參與全面暢通。" and runin.marker == "——" and runin.run_in
    assert para.text.startswith("幹部發放") and para.lede
    assert fig.caption == "圖爲職工健康跑活動" or fig.caption == "圖為職工健康跑活動"
    assert fig.number == 1
    assert quote.text.startswith("責任")
    assert callout.title == "數說"
    stat = callout.stats[0]
    assert stat.value == "8070萬元" and stat.number == 80700000.0 and stat.unit == "元"
    assert stat.label == "籌集送溫暖慰問金"
    assert art.source == "x.txt" and art.stem == "x"


def test_hong_kong_edition_uses_hk_variants():
    # s2hk differs from s2t on characters such as 着/著 and 为/爲
    assert editions.convert("着力", "zh-Hant-HK") == "着力"
    assert editions.convert("着力", "zh-Hant-TW") == "著力"


def test_unknown_edition_is_an_error():
    with pytest.raises(Exception, match="unknown edition"):
        editions.convert_article(_article(), "zh-Latn")


def test_official_binding_is_the_one_installed():
    assert editions.backend() == "official"


@pytest.mark.skipif(not (PURE / "opencc").is_dir(), reason="pure-Python OpenCC not installed in .venv/opencc-pure")
def test_pure_python_fallback_converts_the_same_way():
    """opencc-python-reimplemented, put first on the path, is a drop-in replacement."""
    code = (
        "from paiban import editions\n"
        "assert editions.backend() == 'pure-python', editions.backend()\n"
        "print(editions.convert('有效打通了服务职工的“最后一公里”，干部发放', 'zh-Hant'))\n"
        "print(editions.convert('“再上新台阶”', 'zh-Hant-TW'))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PURE), *sys.path[1:]])}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out[0] == "有效打通了服務職工的“最後一公里”，幹部發放"
    assert out[1].startswith("「") and out[1].endswith("」")
