"""Rule ``clutter``: the furniture of a web page pasted with the text, and image file names.

In: ``State.units`` after ``split``. Out: the same without clutter lines; each removed line is
in the report (reason ``clutter`` or ``file-name``), never dropped silently.

A clutter line is made only of a web page's controls and notices: 字号：大 中 小, 分享到 (with
the platforms), 打印本页, 关闭窗口, a breadcrumb trail (首页 > 新闻中心), 返回顶部, 收藏本页, ICP and 公网安备 numbers, 版权所有, a view
count, or a lone close button ×. An image file name (``IMG_2034.JPG``, ``微信图片_2023.jpg``)
left in the text is removed too: alone on its line, or cut out of the line it is in.
"""

from __future__ import annotations

import re

from paiban.model import Removal

from .variants import hant
from .state import State, Unit

TOKENS = re.compile(hant(
    r"(?:字号|字体)\s*[：:]?\s*(?:[【\[(（]?\s*[大中小]\s*[】\])）]?\s*){2,3}"
    r"|[【\[(（]?\s*[大中小]\s*[】\])）]?(?=\s*[【\[(（]?\s*[大中小])"   # [大][中][小] without 字号
    r"|分享到\s*[：:]?(?:\s*(?:微信朋友圈|朋友圈|微信|新浪微博|腾讯微博|微博|QQ空间|QQ好友|QQ|人人网|豆瓣|"
    r"抖音|今日头条|更多))*"
    r"|打印本页|打印此页|打印文章|关闭本页|关闭窗口|返回顶部|回到顶部|返回首页|收藏本页|加入收藏|我要纠错|纠错|"
    r"扫一扫[^\s]{0,10}|在手机上(?:阅读|打开)|(?:【|\[)?(?:打印|关闭|收藏|顶部)(?:】|\])"
    r"|[\u4e00-\u9fff]{0,4}ICP\s*[备证]?\s*[\d\-]+号?(?:\s*-\s*\d+)?"
    r"|(?:ICP|网站)?\s*备案(?:编号|号)\s*[：:]?|ICP\s*备案\s*[：:]"
    r"|[\u4e00-\u9fff]{0,4}公网安备\s*\d+号?"
    r"|(?:浏览|阅读|点击)(?:次数|量|数)?\s*[：:]\s*\d*次?"
    r"|版权所有[^。！？]{0,40}|Copyright\s*(?:©|\(c\))?[^。！？]{0,60}|©\s*\d{4}[^。！？]{0,40}"),
    re.I,
)
"""The controls and notices of a web page."""

SEPARATORS = re.compile(r"[\s|｜/／【】\[\]（）()：:·•、,，;；>»\-]+")
CLOSE = {"×", "✕", "✖", "╳"}  # not a Latin X: a text may be just that
"""A close button left alone on a line (``X`` only when it is all the line)."""

FILE_NAME = re.compile(
    r"(?<![\w.])[\w\-\u4e00-\u9fff]*[A-Za-z0-9_\-]\.(?:jpe?g|png|gif|webp|bmp|heic|tiff?)(?![\w.])",
    re.I | re.A,
)
"""An image file name: ``IMG_2034.JPG``, ``DSC01234.jpg``, ``微信图片_20230612.jpg``."""

CLUTTER_MAX = 120
"""Longest line that is taken for page furniture."""


def clutter(state: State) -> None:
    """Remove clutter lines and image file names, reporting each."""
    kept: list[Unit] = []
    for unit in state.units:
        if unit.forced:  # a sidecar's [lines] role is final
            kept.append(unit)
            continue
        if is_clutter(unit.text):
            state.removed.append(Removal(line=unit.line, text=unit.text, reason="clutter"))
            continue
        names = list(FILE_NAME.finditer(unit.text))
        if names:
            rest = FILE_NAME.sub("", unit.text).strip()
            if not rest.strip("，,、；;:：（）()【】 "):
                state.removed.append(Removal(line=unit.line, text=unit.text, reason="file-name"))
                continue
            for m in names:
                state.removed.append(Removal(line=unit.line, text=m.group(), reason="file-name"))
            unit.text = re.sub(r"\s{2,}", " ", rest)
            unit.sources = [(unit.line, unit.text)]
            unit.photo = True
        kept.append(unit)
    state.units = kept


BREADCRUMB = re.compile(hant(r"^(?:当前位置|您的位置|你的位置|现在的位置)\s*[：:]|^(?:首页|主页|网站首页)\s*[>»＞/]"))
"""A page's breadcrumb trail: ``首页 > 新闻中心 > 工会动态``, ``当前位置：…``."""


def is_clutter(text: str) -> bool:
    """True when ``text`` is only web-page furniture (see module docstring)."""
    t = text.strip()
    if t in CLOSE:
        return True
    if len(t) <= CLUTTER_MAX and BREADCRUMB.match(t) and not re.search(r"[。！？]", t):
        return True
    if len(t) > CLUTTER_MAX or not TOKENS.search(t):
        return False
    return not SEPARATORS.sub("", TOKENS.sub("", t))
