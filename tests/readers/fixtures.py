"""Source files for the readers' tests, made here (no binaries committed): a Word file with
python-docx and real JPEG photos from Pillow, a Markdown file with its photo, and a
Traditional-Chinese text. Each comes with the text an editor reads in it (``EXPECTED``)."""

from __future__ import annotations

import io
from pathlib import Path

TITLE = "职工之家温暖人心"
DECK = "——记一个基层工会的服务日常"
LEDE = "市总工会坚持以职工为中心，把服务送到职工身边。广大职工感受到了实实在在的温暖。"
SECTION_1 = "源头参与全面畅通"
RUN_IN_HEAD = "民主管理走深走实。"
RUN_IN_REST = "企业普遍建立职工代表大会制度，职工的意见得到充分表达。"
CAPTION_1 = "图为职工代表在会上发言。"
ITEMS = ("建立联系制度，定期走访企业。", "完善服务网络，延伸服务触角。")
SECTION_2 = "服务职工暖心贴心"
BODY_2 = "工会干部走进车间，倾听职工心声，解决急难愁盼问题。职工们说，工会就是自己的家。"
CAPTION_2 = "图为工会干部走访慰问一线职工。"
QUOTE = "职工有所呼，工会有所应。"
BODY_3 = "下一步，工会将继续深化服务，让职工获得感成色更足。"
BYLINE = "（黄秀珍 郑飞飞）"


def jpeg(color: tuple[int, int, int], size: tuple[int, int] = (1800, 1200)) -> bytes:
    """A real, small JPEG photo of one colour with a stripe (so it is not blank)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, color)
    ImageDraw.Draw(image).rectangle((0, size[1] // 3, size[0], size[1] // 2), fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


RED, BLUE = (200, 40, 40), (40, 60, 200)


def make_docx(path: Path) -> Path:
    """A feature as an editor gets it in Word: Title, Heading 1 styles, a run-in subhead in
    bold, two embedded photos each followed by its caption, a numbered list, a byline."""
    import docx
    from docx.shared import Cm

    d = docx.Document()
    d.add_paragraph(TITLE, style="Title")
    d.add_paragraph(DECK)
    d.add_paragraph(LEDE)
    d.add_paragraph(SECTION_1, style="Heading 1")
    p = d.add_paragraph()
    p.add_run("——")
    p.add_run(RUN_IN_HEAD).bold = True
    p.add_run(RUN_IN_REST)
    d.add_paragraph().add_run().add_picture(io.BytesIO(jpeg(RED)), width=Cm(4))
    d.add_paragraph(CAPTION_1)
    for item in ITEMS:
        d.add_paragraph(item, style="List Number")
    d.add_paragraph(SECTION_2, style="Heading 1")
    d.add_paragraph(BODY_2)
    d.add_paragraph().add_run().add_picture(io.BytesIO(jpeg(BLUE)), width=Cm(4))
    d.add_paragraph(CAPTION_2, style="Caption")
    d.add_paragraph(QUOTE, style="Quote")
    d.add_paragraph(BODY_3 + BYLINE)
    d.save(path)
    return path


DOCX_EXPECTED = (TITLE, DECK, LEDE, SECTION_1, "——" + RUN_IN_HEAD + RUN_IN_REST, CAPTION_1,
                 "1. " + ITEMS[0], "2. " + ITEMS[1], SECTION_2, BODY_2, CAPTION_2, QUOTE,
                 BODY_3 + BYLINE)
"""The Word file's text as Word shows it (List Number numbers its items 1. 2.)."""


MARKDOWN = f"""# {TITLE}

{DECK}

{LEDE}

## {SECTION_1}

——**{RUN_IN_HEAD}**{RUN_IN_REST[:12]}
{RUN_IN_REST[12:]}

![{CAPTION_1}](images/red.jpg)

1. {ITEMS[0]}
2. {ITEMS[1]}

## {SECTION_2}

{BODY_2}

![{CAPTION_2}](images/blue.jpg)

> {QUOTE}

{BODY_3}{BYLINE}
"""

MD_EXPECTED = DOCX_EXPECTED


def make_md(folder: Path, name: str = "feature.md") -> Path:
    """A Markdown feature with its two photos in ``images/`` beside it."""
    (folder / "images").mkdir(parents=True, exist_ok=True)
    (folder / "images" / "red.jpg").write_bytes(jpeg(RED))
    (folder / "images" / "blue.jpg").write_bytes(jpeg(BLUE))
    path = folder / name
    path.write_text(MARKDOWN, "utf-8")
    return path


TRADITIONAL = """職工之家溫暖人心

——記一個基層工會的服務日常

市總工會堅持以職工爲中心，把服務送到職工身邊。廣大職工感受到了實實在在的溫暖。

源頭參與全面暢通

——**民主管理走深走實。**企業普遍建立職工代表大會制度，職工的意見得到充分表達。


圖爲職工代表在會上發言

工會幹部走進車間，傾聽職工心聲，解決急難愁盼問題。職工們說，工會就是自己的家。

下一步，工會將繼續深化服務，讓職工獲得感成色更足。（記者 黃秀珍）
"""

TRADITIONAL_EXPECTED = tuple(line.replace("**", "") for line in TRADITIONAL.split("\n") if line)
