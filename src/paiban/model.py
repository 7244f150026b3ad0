"""The document model: what every stage after cleaning reads and writes.

In: nothing (this module only defines types).
Out: frozen dataclasses. ``Article`` is the whole cleaned feature; its ``blocks`` are in
document order and each is one of ``Heading``, ``Paragraph``, ``Note``, ``Figure``,
``Quote``, ``ListBlock``, ``Turn`` or ``Callout``; the article's frame (kicker, title, deck,
dateline, byline, end matter) are fields of ``Article``. HTML exists only after rendering; no
stage passes dicts around.

Every field that a reader sees is text in the article's language; ``Article.map_text``
applies one function to all of them (this is how editions are made) and to nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from typing import Callable, Literal, Union

TextFn = Callable[[str], str]


@dataclass(slots=True, frozen=True)
class Heading:
    """A section heading (level 1) or a subhead (level 2)."""

    text: str
    """The heading as written, without its leading marker or ``**`` emphasis."""
    level: int
    """1 for a section heading, 2 for a subhead inside a section."""
    marker: str = ""
    """Leading marker as written in the source, e.g. ``——`` or ``一、``; kept so no text is lost."""
    run_in: bool = False
    """True when the subhead was written run-in (``——**…。**正文``): the layout sets it at the
    start of the following paragraph instead of on a line of its own."""
    line: int = 0
    """1-based line number in the source text (0 when generated)."""
    marker_end: str = ""
    """Closing half of a bracket marker as written (``】`` of ``【…】``), kept so no text is
    lost; the layout styles the heading instead of printing the brackets."""
    kind: Literal["heading"] = "heading"


@dataclass(slots=True, frozen=True)
class Paragraph:
    """A body paragraph."""

    text: str
    """The paragraph text, rejoined if a page break had split it."""
    lede: bool = False
    """True for the article's opening paragraph (set larger, drop cap or lead-in)."""
    fragment: bool = False
    """True when cleaning could not make the paragraph whole (truncated or starting
    mid-sentence); it is kept as written and listed in the report."""
    line: int = 0
    """1-based line number of the paragraph's first line in the source."""
    kind: Literal["paragraph"] = "paragraph"


@dataclass(slots=True, frozen=True)
class Figure:
    """A photo that was left out of the text; only its caption survives.

    The layout draws an image placeholder frame of ``ratio`` with the caption under it.
    """

    caption: str
    """The caption as written."""
    number: int
    """1-based figure number in document order (图1, 图2…)."""
    ratio: float = 1.5
    """Placeholder width / height."""
    image: str | None = None
    """Path of a real image relative to the project (set by a sidecar, or found as
    ``images/<stem>-<n>.jpg``); None for a placeholder."""
    focus: str | None = None
    """Which point of the photo stays in the frame when it is cropped to it (CSS
    ``object-position``, e.g. ``30% 40%``); None centres it."""
    line: int = 0
    """1-based line number of the caption in the source."""
    credit: str = ""
    """Who took or supplied the photo, as written without brackets (``新华社记者 张三 摄``,
    ``受访者供图``, ``资料图片``); "" when none. Set small beside the caption."""
    credit_line: int = 0
    """1-based source line of the credit (the caption's own line, or a line of its own)."""
    kind: Literal["figure"] = "figure"

    @property
    def text(self) -> str:
        """The caption, so every block has a ``text``."""
        return self.caption


@dataclass(slots=True, frozen=True)
class Quote:
    """A short standalone motto, set as a pull quote."""

    text: str
    line: int = 0
    kind: Literal["quote"] = "quote"


@dataclass(slots=True, frozen=True)
class Item:
    """One item of a list."""

    text: str
    """The item as written, without its marker."""
    marker: str = ""
    """The item's marker as written: ``1.``, ``（1）``, ``①``."""
    line: int = 0
    level: int = 1
    """1, or 2 for an item of a list nested in another (``（1）`` items under ``1.`` ones)."""


@dataclass(slots=True, frozen=True)
class ListBlock:
    """A numbered list (``1.`` ``（1）`` ``①`` items on lines of their own): set as a list,
    never joined into one paragraph."""

    items: tuple[Item, ...]
    line: int = 0
    """Line of the first item."""
    kind: Literal["list"] = "list"

    @property
    def text(self) -> str:
        """The items' visible text, so every block has a ``text``."""
        return "\n".join(i.marker + i.text for i in self.items)


@dataclass(slots=True, frozen=True)
class Turn:
    """One turn of an interview: a question (记者：…, 问：…) or an answer (答：…, 王芳：…)."""

    text: str
    """What was said, without the speaker label."""
    speaker: str
    """The speaker label as written, with its colon (``记者：``, ``答：``, ``王芳：``)."""
    question: bool = False
    """True for the interviewer's turns, which the layout sets apart."""
    line: int = 0
    kind: Literal["turn"] = "turn"


@dataclass(slots=True, frozen=True)
class LineRole:
    """What one source line became (``paiban inspect`` lists these for the sidecar's
    ``[lines]`` overrides)."""

    line: int
    role: str
    """title, deck, paragraph, heading, subhead, caption, byline, item, question, answer,
    quote, removed…"""
    text: str = ""
    """The line's first characters, as written."""
    forced: bool = False
    """True when a sidecar ``[lines]`` entry set the role."""


@dataclass(slots=True, frozen=True)
class Stat:
    """One quantitative fact found in the article."""

    value: str
    """The figure exactly as written, e.g. ``8070万元``, ``1.2亿多元``, ``80%``."""
    number: float
    """The figure in base units: ``8070万元`` -> 80700000.0."""
    unit: str
    """Unit or classifier as written: 元, 人次, 名, 家, 个, 项, %…"""
    label: str
    """Short label of what it counts, from its clause, e.g. ``走访慰问职工``."""
    sentence: str
    """The sentence the figure came from."""
    section: str
    """Text of the section heading it falls under ("" before the first heading)."""
    approximate: bool = False
    """True when written with 多/余/近/超/约… (approximate)."""


@dataclass(slots=True, frozen=True)
class Callout:
    """A statistics box of a few key figures."""

    stats: tuple[Stat, ...]
    title: str = ""
    """Box title, e.g. ``数说`` for the opener box; "" for a plain box."""
    placement: Literal["opener", "section"] = "section"
    """``opener``: the headline figures box on the first page; ``section``: inside the text."""
    kind: Literal["callout"] = "callout"

    @property
    def text(self) -> str:
        """The box's visible text, so every block has a ``text``."""
        return " ".join(s.value + s.label for s in self.stats)


@dataclass(slots=True, frozen=True)
class Note:
    """An editor's note (编者按, 阅读提示, 导读, 开栏的话, 摘要): set apart from the body, never
    the lede and never with a drop cap."""

    text: str
    """The note without its label."""
    label: str
    """The label without brackets or colon: ``编者按``, ``阅读提示``…"""
    marker: str = ""
    """The label as written (``编者按：``, ``【编者按】``), kept so no text is lost."""
    line: int = 0
    """1-based source line of the note's text (or of its label, when on the same line)."""
    label_line: int = 0
    """1-based source line of the label (the text's line when written on it)."""
    kind: Literal["note"] = "note"


@dataclass(slots=True, frozen=True)
class EndNote:
    """One item of end matter: source, editors, proof-readers, ``（完）``; not body text.
    Shown small after the end mark, or left out of print (``end_matter = false``)."""

    text: str
    """The item as written (``来源：工人日报``, ``责任编辑：王芳``, ``（完）``)."""
    label: str
    """What it is: ``来源``, ``编辑``, ``责任编辑``, ``责编``, ``审核``, ``校对``, ``完``…"""
    line: int = 0
    """1-based source line."""


Block = Union[Heading, Paragraph, Note, Figure, Quote, Callout, ListBlock, Turn]


@dataclass(slots=True, frozen=True)
class Join:
    """Two source paragraphs joined because a page break had split a sentence."""

    line: int
    """Line of the first part."""
    next_line: int
    """Line of the second part."""
    before: str
    """Last characters of the first part."""
    after: str
    """First characters of the second part."""


@dataclass(slots=True, frozen=True)
class Removal:
    """Text removed: a repeat, scraped-page clutter, an image file name."""

    line: int
    text: str
    """The removed text: the whole line, or the part of it removed (a file name in a caption,
    the 报道： after a dateline's byline)."""
    reason: str
    """``duplicate`` (repeats an earlier paragraph or caption), ``truncated-repeat`` (a cut-off
    copy of the start of an earlier paragraph), ``clutter`` (web-page furniture: 字号, 分享到,
    打印本页, ICP numbers…), ``file-name`` (an image file name) or ``byline-mark`` (words
    around a byline that are neither names nor roles)."""
    original_line: int = 0
    """Line of the occurrence that was kept."""


@dataclass(slots=True, frozen=True)
class Fragment:
    """A paragraph that could not be made whole; kept as written."""

    line: int
    text: str
    reason: str
    """``truncated`` (ends mid-sentence) or ``starts-mid-sentence``."""


@dataclass(slots=True, frozen=True)
class Change:
    """Any other change a cleaning rule made (decoding, normalising…)."""

    rule: str
    message: str
    line: int = 0


@dataclass(slots=True, frozen=True)
class Replacement:
    """One character of the source replaced by another (a half-width mark between Chinese
    characters set full-width): where, what was written and what is printed."""

    line: int
    column: int
    """1-based column in the source line."""
    old: str
    new: str


@dataclass(slots=True, frozen=True)
class Report:
    """Everything cleaning changed or could not fix."""

    encoding: str = "utf-8"
    joins: tuple[Join, ...] = ()
    removed: tuple[Removal, ...] = ()
    fragments: tuple[Fragment, ...] = ()
    changes: tuple[Change, ...] = ()
    warnings: tuple[str, ...] = ()
    replaced: tuple[Replacement, ...] = ()
    """Every half-width mark set full-width, one entry each."""


@dataclass(slots=True, frozen=True)
class Article:
    """A cleaned, structured feature."""

    title: str
    """Display title."""
    subtitle: str = ""
    """The deck under the title (the ``——…`` line), without the dash marker."""
    subtitle_marker: str = ""
    """The deck's leading marker as written (``——``), kept so no text is lost."""
    byline: str = ""
    """Names and roles, without brackets or ornaments: ``黄秀珍 郑飞飞``, ``记者 王芳 通讯员
    李强``, ``文/图 王芳``, ``作者：王芳``."""
    dateline: str = ""
    """News dateline that opened the first paragraph: ``本报讯``, ``新华社北京6月12日电``
    (layouts set it bold, run into the first paragraph); "" when none."""
    kicker: str = ""
    """The kicker (引题) printed above the title; "" when none."""
    end_matter: tuple[EndNote, ...] = ()
    """Source, editors, ``（完）``… in source order."""
    lang: str = "zh-Hans"
    """BCP 47 tag of the edition."""
    blocks: tuple[Block, ...] = ()
    """Body in document order."""
    stats: tuple[Stat, ...] = ()
    """Every figure found in the text (filled by the statistics stage)."""
    report: Report = field(default_factory=Report)
    """What cleaning changed."""
    source: str = ""
    """File name of the source text."""
    stem: str = ""
    """Source file name without suffix; the output folder name."""
    hero: int = 0
    """Number of the figure set large on the opener (a sidecar's ``[layout] hero``); 0 lets
    the layout take the first figure."""
    keep_boxes: bool = False
    """A sidecar's ``[layout] keep_boxes``: the make-up pass never leaves a section box out to
    save a page."""
    title_line: int = 0
    """1-based source line of the title (0 when there is none). Captions can come before the
    title in the source; this keeps the source order recoverable."""
    byline_line: int = 0
    """1-based source line the byline was written on (0 when there is none); it may be the
    last paragraph's line, when the byline was written at its end, or the first's, when it
    opened it after the dateline."""
    dateline_line: int = 0
    """1-based source line of the dateline (0 when there is none)."""
    kicker_line: int = 0
    """1-based source line of the kicker (0 when there is none)."""
    kicker_marker: str = ""
    """The kicker's label as written (``引题：``, ``【肩题】``); "" when it had none. Not shown."""
    lines: tuple[LineRole, ...] = ()
    """What each non-empty source line became, in source order."""

    @property
    def byline_has_role(self) -> bool:
        """True when the byline names its roles itself (记者, 文/图, 作者…), so a layout adds
        no ``文`` label of its own."""
        return bool(re.search(r"[记記]者|通[讯訊][员員]|[实實][习習]生|撰稿|[摄攝]|作者|[编編][辑輯]|特[约約]"
                              r"|供稿|(?:^|\s)[文图圖]\s*[/／｜|:：]", self.byline))

    @property
    def sections(self) -> list[Heading]:
        """The level-1 headings, in order."""
        return [b for b in self.blocks if isinstance(b, Heading) and b.level == 1]

    @property
    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]

    def texts(self) -> list[str]:
        """Every reader-visible text, in the order ``map_text`` visits them."""
        out: list[str] = []
        self.map_text(lambda t: out.append(t) or t)
        return out

    def map_text(self, fn: TextFn, lang: str | None = None) -> Article:
        """Return a copy with ``fn`` applied to every reader-visible text, and ``lang`` set.

        Figures' numbers, units' numbers, file names and report entries are left alone; units
        and labels of statistics are text and are converted.
        """
        return replace(
            self,
            title=fn(self.title),
            subtitle=fn(self.subtitle),
            byline=fn(self.byline),
            dateline=fn(self.dateline),
            kicker=fn(self.kicker),
            end_matter=tuple(replace(e, text=fn(e.text), label=fn(e.label))
                             for e in self.end_matter),
            lang=lang or self.lang,
            blocks=tuple(_map_block(b, fn) for b in self.blocks),
            stats=tuple(_map_stat(s, fn) for s in self.stats),
        )


def _map_stat(s: Stat, fn: TextFn) -> Stat:
    return replace(
        s, value=fn(s.value), unit=fn(s.unit), label=fn(s.label), sentence=fn(s.sentence),
        section=fn(s.section),
    )


def _map_block(b: Block, fn: TextFn) -> Block:
    if isinstance(b, ListBlock):
        return replace(b, items=tuple(replace(i, text=fn(i.text)) for i in b.items))
    if isinstance(b, Turn):
        return replace(b, text=fn(b.text), speaker=fn(b.speaker))
    if isinstance(b, Figure):
        return replace(b, caption=fn(b.caption), credit=fn(b.credit))
    if isinstance(b, Note):
        return replace(b, text=fn(b.text), label=fn(b.label))
    if isinstance(b, Callout):
        return replace(b, title=fn(b.title), stats=tuple(_map_stat(s, fn) for s in b.stats))
    return replace(b, text=fn(b.text))


def to_dict(obj: object) -> object:
    """JSON-ready form of any model object (``kind`` kept; ``text`` added to figures)."""
    if isinstance(obj, (list, tuple)):
        return [to_dict(o) for o in obj]
    if hasattr(obj, "__dataclass_fields__"):
        out = {f.name: to_dict(getattr(obj, f.name)) for f in fields(obj)}
        if isinstance(obj, (Figure, Callout, ListBlock)):
            out["text"] = obj.text  # every block has a "text" in the JSON
        return out
    return obj
