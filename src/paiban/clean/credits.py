"""Rule ``credits``: who took or supplied a photo, and captions left at a paragraph's end.

In: ``State.units`` after ``notes``. Out: lines that are only a photo credit (``张三 摄``,
``新华社记者 张三 摄``, ``通讯员供图``, ``受访者供图``, ``资料图片``, ``（资料图）``) become
``credit`` units, which ``structure`` gives to the nearest figure (never a figure of their
own); a paragraph ending with a ``图为…`` sentence is split in two, the ``图为…`` part a unit of
its own that ``captions`` takes for a caption. ``split_credit`` cuts a credit off the end of a
caption line.
"""

from __future__ import annotations

import re

from .endmatter import cut_tail
from .variants import hant
from .state import State, Unit
from .text import visible_len

NAMES = r"[\u4e00-\u9fff·]{2,4}(?:\s*[、，,\s]\s*[\u4e00-\u9fff·]{2,4})*"
CREDIT = hant(
    rf"(?:(?:新华社|中新社|本报|本刊|人民日报|特约|实习|见习)?(?:记者|通讯员|摄影记者)?\s*{NAMES}\s*[/／]?\s*摄(?:影|于[^。]{{0,12}})?"
    rf"|(?:摄影|摄|图片|图)\s*[/／：:｜|]\s*{NAMES}"
    r"|[\u4e00-\u9fff]{0,12}供图|资料(?:图片|照片|图)|图片来源\s*[：:]\s*[^。！？（）()]{1,24}"
    r"|(?:新华社|中新社)发(?:\s*[（(][^（）()]{2,20}[）)])?|图片由[^。！？]{1,20}提供)"
)
CREDITS = rf"{CREDIT}(?:[\s；;、]+{CREDIT})*"
"""One credit or several (``张三 摄 资料图``: a photo credited on its line and again)."""
OWN_CREDIT = re.compile(rf"^[（(【\[]?\s*(?P<credit>{CREDITS})\s*[）)】\]]?$")
TAIL_CREDIT = re.compile(
    rf"(?:(?<=[。！？!?，,；;])|\s+|(?=[（(【\[]))[（(【\[]?\s*(?P<credit>{CREDITS})\s*[）)】\]]?$")
PHOTO_NOTE = re.compile(hant(r"(?<=[。！？!?])\s*(图为[^。！？]{2,80}[。！？]?)$"))
"""A caption written as the last sentence of a paragraph: ``…。图为活动现场。``"""

PROSE_MIN = 40
"""A paragraph this long before 图为 is prose, not a caption that happens to have two parts."""


def credits(state: State) -> None:
    """Mark credit lines; split 图为… captions off paragraph ends."""
    out: list[Unit] = []
    for unit in state.units:
        if unit.kind != "text" or unit.forced:  # a sidecar's [lines] role is final
            pass
        elif own_credit(unit.text):
            unit.kind = "credit"
        else:
            m = PHOTO_NOTE.search(unit.text)
            if m and visible_len(unit.text[:m.start()]) >= PROSE_MIN:
                caption = m.group(1)
                cut_tail(unit, len(unit.text) - m.start(1))
                unit.text = unit.text[:m.start(1)].rstrip()
                out.append(unit)
                out.append(Unit(text=caption, line=unit.line, gap_after=unit.gap_after,
                                gap_before=2, sources=[(unit.line, caption)]))
                unit.gap_after = 2
                state.change("credits", f"caption 「{short(caption)}」 split off the end of "
                             "the paragraph", unit.line)
                continue
        out.append(unit)
    state.units = out


def own_credit(text: str) -> str | None:
    """The credit when ``text`` is only a photo credit, else None."""
    m = OWN_CREDIT.match(text.strip())
    return m.group("credit").strip() if m else None


def split_credit(caption: str) -> tuple[str, str]:
    """``(caption, credit)``: a credit at the end of a caption line cut off it."""
    m = TAIL_CREDIT.search(caption)
    if m is None or not caption[:m.start()].strip():
        return caption, ""
    return caption[:m.start()].rstrip(), " ".join(m.group("credit").split())


def short(text: str, width: int = 16) -> str:
    return text if len(text) <= width else text[:width] + "…"
