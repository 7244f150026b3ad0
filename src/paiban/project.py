"""``paiban init``: a new publication folder.

In: a folder (new or empty of the files below), a publication name, whether to eject the theme.
Out: the files written::

    DIR/paiban.toml                the publication's config (every key, commented)
    DIR/seeds/sample.txt           a short sample feature, to build at once
    DIR/images/                    photos the sidecars place
    DIR/layout/ styles/ fonts/     with ``eject``: copies of the built-in theme to edit

Nothing is overwritten: if any of these exists, nothing is written and ``InitError`` says which.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from paiban.errors import PaibanError
from paiban.theme import KINDS, Theme, builtin_root


class InitError(PaibanError):
    """The folder already holds a file ``paiban init`` would write."""


SAMPLE = """\
山村书屋亮起夜灯

——一位乡村教师和她的三十个“周末学生”

每到周五傍晚，青禾村小学旁那间不足四十平方米的旧仓库就亮起了灯。几张拼起来的课桌、两排刷了漆的旧书架，还有墙上孩子们画的水彩画，构成了村里人口中的“夜灯书屋”。

书屋的主人叫林晓梅，是青禾村小学的语文教师。2019年，她发现村里不少孩子的父母在外打工，周末常常无人照看，便向村委会借来这间空置多年的仓库，自己动手收拾，办起了免费的周末阅读班。

从一个书架开始

“刚开始只有十几本书，都是我从家里搬来的。”林晓梅说。消息传开后，县图书馆送来了第一批320册图书，在外工作的老乡也陆续寄来包裹。如今，书屋的藏书已超过2600册，登记在册的“周末学生”有30名。

每个周六上午是固定的共读时间。孩子们围坐在一起，轮流朗读，再说说自己最喜欢的句子。林晓梅还请来退休老教师、驻村干部给孩子们讲家乡的故事，讲农业技术，讲外面的世界。

书屋带来的变化

变化是一点一点发生的。三年级的小宇过去说话总是低着头，现在能在全班面前完整地讲完一个故事；五年级的阿芳开始写日记，已经写满了4个本子。村小的期末阅读测评中，参加书屋活动的学生平均成绩提高了12分。

“书屋不只是读书的地方，更是孩子们周末有人陪伴的地方。”青禾村党支部书记说。去年，村里把书屋纳入村级公共服务项目，每年安排1.5万元用于添置图书和水电开支。

林晓梅的心愿很简单：让书屋的灯一直亮下去。她正和几所城里学校的老师商量，准备开通线上共读课，让山里的孩子也能和城里的同龄人一起读同一本书。

（本刊记者 周远）
"""

CONFIG = """\
# {publication}: paiban's settings for this publication. Every key is optional; the command
# line's flags override them. `paiban --help` lists the flags.

publication = "{publication}"   # running header and PDF metadata
issue = ""                      # issue line, e.g. "2026年第3期"
seeds = "seeds"                 # folder of texts built by default
out = "dist"                    # output folder
editions = ["zh-Hans", "zh-Hant"]   # zh-Hans, zh-Hant, zh-Hant-TW, zh-Hant-HK
layout = "feature"              # feature (magazine, two columns) or report (A4, one column)
# corner_quotes = ["zh-Hant-TW", "zh-Hant-HK"]   # editions quoted with 「」『』
# marks = false                 # crop and cross marks
# jobs = 0                      # worker processes; 0 = one per core
# time_budget = 600             # seconds one article may take before it fails
# end_matter = true             # print 来源/责任编辑… small after the end mark
# makeup = true                 # lay articles out again to close holes, level last pages
"""


def init_project(folder: Path, publication: str = "职工之家", eject: bool = False) -> list[Path]:
    """Create a publication in ``folder``; return the files and folders written."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InitError("exists and is not a folder", path=str(folder))
    if '"' in publication or "\\" in publication or "\n" in publication:
        raise InitError(f"a publication name cannot contain quotes, backslashes or line breaks: "
                        f"{publication!r}", exit_code=2)
    planned = [folder / "paiban.toml", folder / "seeds" / "sample.txt", folder / "images"]
    theme = Theme((builtin_root(),))
    copies: list[tuple[Path, Path]] = []
    if eject:
        for kind in KINDS:
            for name, src in theme.files(kind).items():
                copies.append((src, folder / kind / name))
    taken = [p for p in (*planned, *(dest for _src, dest in copies)) if p.exists()]
    if taken:
        more = f" and {len(taken) - 1} more" if len(taken) > 1 else ""
        raise InitError(f"already exists{more}; paiban init overwrites nothing", path=str(taken[0]))
    written: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "paiban.toml").write_text(CONFIG.format(publication=publication), "utf-8")
        (folder / "seeds").mkdir(exist_ok=True)
        (folder / "seeds" / "sample.txt").write_text(SAMPLE, "utf-8")
        (folder / "images").mkdir()
        written = list(planned)
        for src, dest in copies:
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
            written.append(dest)
    except OSError as exc:
        raise InitError(f"cannot write: {exc.strerror or exc}", path=str(exc.filename or folder)) from None
    return written
