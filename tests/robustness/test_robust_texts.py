"""Bad and hostile texts through ``paiban build``: one line naming the file and the problem,
exit 1, no traceback, and the PDF a previous build left is still there; or a good PDF.

tests/clean/test_clean_input.py checks ``clean.read`` refuses these files; here the same files
go through the whole command, as a user runs it.
"""

from __future__ import annotations

import codecs
import random
import time
import unicodedata
from pathlib import Path

import pytest

from paiban.build import MAX_PARAGRAPH, Target, render_target
from paiban.clean import clean
from paiban import stats
from paiban.outputs import output_path

from robust_helpers import (BODY, GOOD, assert_one_error_line, cli_build, copy_project,
                            pdf_text, project_config, render, squash, write_text)

OLD_PDF = b"%PDF-1.7 the previous good build\n%%EOF\n"


@pytest.fixture(scope="module")
def proj(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("robust"))


def refused(proj: Path, capsys, name: str, data: bytes | str, *words: str) -> str:
    """Build the text ``data`` alone over an older PDF of it; check the refusal."""
    path = write_text(proj, name, data)
    old = output_path(proj / "dist", path.stem, "zh-Hans")
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_bytes(OLD_PDF)
    run = cli_build(proj, capsys, str(path))
    problem = assert_one_error_line(run, path, *words)
    assert old.read_bytes() == OLD_PDF
    assert not list(old.parent.glob(".*.tmp"))
    return problem


T = "与时代同步 与社会共进\n\n" + BODY + "\n"


def test_empty_text(proj, capsys):
    refused(proj, capsys, "empty.txt", b"", "empty")


def test_white_space_only(proj, capsys):
    refused(proj, capsys, "blank.txt", " \n\t\r\n\u3000\u3000\n\n", "white space")


def test_binary_image_bytes(proj, capsys):
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06"
           + bytes(range(256)) * 16)
    refused(proj, capsys, "image.txt", png, "binary")


@pytest.mark.parametrize("name, data, words", [
    ("utf-8", T.encode() + b"\xc3\x28" + T.encode(), "save it as UTF-8"),
    ("utf-8-cesu-surrogate", T.encode() + b"\xed\xa0\x80" + T.encode(), "save it as UTF-8"),
    ("utf-8-sig", codecs.BOM_UTF8 + T.encode() + b"\xff", "not valid utf-8"),
    ("utf-16-le-lone-low-surrogate",
     codecs.BOM_UTF16_LE + T.encode("utf-16-le") + b"\x00\xdc" + T.encode("utf-16-le"),
     "not valid utf-16"),
    ("utf-16-be-lone-high-surrogate",
     codecs.BOM_UTF16_BE + T.encode("utf-16-be") + b"\xd8\x00\x00A", "not valid utf-16"),
    ("utf-16-odd-length", codecs.BOM_UTF16_LE + T.encode("utf-16-le") + b"A", "not valid utf-16"),
    ("utf-32-beyond-unicode", codecs.BOM_UTF32_LE + T.encode("utf-32-le") + b"\x00\x00\x11\x00",
     "not valid utf-32"),
    ("utf-32-surrogate", codecs.BOM_UTF32_BE + T.encode("utf-32-be") + b"\x00\x00\xd8\x00",
     "not valid utf-32"),
    ("gb18030-truncated", T.encode("gb18030") + b"\x81\x30", "save it as UTF-8"),
    ("gb18030-bad-trail", T.encode("gb18030") + b"\x81\x7f" + T.encode("gb18030"),
     "save it as UTF-8"),
    ("big5", T.encode("big5", "replace") * 3, "save it as UTF-8"),
])
def test_invalid_in_each_supported_encoding(proj, capsys, name, data, words):
    """Invalid UTF-8, UTF-8/16/32 with a BOM, GB18030 (lone surrogates among them): refused,
    never decoded into mojibake or replacement characters."""
    refused(proj, capsys, f"bad-{name}.txt", data, words)


def test_one_bad_byte_in_a_utf8_text_is_located(proj, capsys):
    """The offset and line are where UTF-8 fails, not where the GB18030 fallback does (at the
    first Chinese character)."""
    data = T.encode() + b"\n" + T.encode() + b"\xff" + T.encode()
    offset = len(T.encode()) * 2 + 1
    refused(proj, capsys, "one-bad-byte.txt", data,
            f"UTF-8 (bad byte at offset {offset}, line {2 * T.count(chr(10)) + 2})",
            "save it as UTF-8")


def test_twenty_megabytes(proj, capsys):
    path = proj / "seeds" / "huge.txt"
    with path.open("wb") as fh:  # sparse: nothing written to disk
        fh.truncate(20 * 1024 * 1024)
    started = time.perf_counter()
    old = output_path(proj / "dist", "huge", "zh-Hans")
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_bytes(OLD_PDF)
    run = cli_build(proj, capsys, str(path))
    assert_one_error_line(run, path, "too large", "20.0 MB")
    assert time.perf_counter() - started < 10
    assert old.read_bytes() == OLD_PDF


def test_nul_bytes_in_a_text(proj, capsys):
    refused(proj, capsys, "nul.txt", T.replace("全市", "全\x00市"), "NUL")


@pytest.mark.parametrize("char", ["\x07", "\x1b", "\x0c", "\x7f", "\x85", "\x9b", "\u2028"])
def test_a_control_character_is_not_printed_as_a_box(proj, capsys, char):
    """One control character in a page of text (too few to look binary): either the cleaner
    takes it out and the PDF is good, or the build refuses it naming its code point."""
    text = T + BODY.replace("技能", f"技{char}能") + "\n" + BODY * 3 + "\n"
    path = write_text(proj, f"control-{ord(char):04x}.txt", text)
    run = cli_build(proj, capsys, "--edition", "zh-Hans", str(path))
    if run.code == 0:
        pdf = output_path(proj / "dist", path.stem, "zh-Hans")
        assert char not in pdf_text(pdf)
        assert squash(BODY) in squash(pdf_text(pdf))
    else:
        assert_one_error_line(run, path, f"U+{ord(char):04X}", "boxes")


def test_a_lone_surrogate_in_text_is_named_not_crashed_on(proj):
    """Text decoded elsewhere with surrogateescape carries lone surrogates; the writer would
    crash encoding them as UTF-8. The build names them instead."""
    cfg = project_config(proj)
    raw = T.encode("utf-8").replace("全市".encode(), b"\xff\xfe")
    text = raw.decode("utf-8", "surrogateescape")
    article = stats.apply(clean(text, "surrogate.txt"))
    path = write_text(proj, "surrogate.txt", "x")
    outcome = render_target(Target(path, "zh-Hans", "feature"), article, cfg)
    assert outcome.error and "internal error" not in outcome.error
    assert outcome.error.startswith(f"{path}: ")
    assert "U+DCFF" in outcome.error and "U+DCFE" in outcome.error
    assert not (proj / "dist" / "surrogate").exists()


@pytest.mark.parametrize("char", ["\U0001F600", "\U0010FFFD", "\u0600"])
def test_characters_missing_from_the_fonts_are_named(proj, capsys, char):
    """An emoji, a private-use character, an Arabic number sign (a format character that needs
    a glyph): refused by code point and name, not printed as an empty box."""
    path = write_text(proj, f"glyph-{ord(char):x}.txt", T.replace("全市", f"全{char}市"))
    problem = refused(proj, capsys, path.name, path.read_bytes(), f"U+{ord(char):04X}", "boxes")
    name = unicodedata.name(char, "")
    if name:
        assert name in problem
    else:
        assert "<private use>" in problem


def test_a_500_character_title_builds(proj, capsys):
    title = ("聆听历史足音书写时代新篇章" * 40)[:500]
    path = write_text(proj, "long-title.txt", f"{title}\n\n{BODY}\n\n{BODY}\n")
    run = cli_build(proj, capsys, "--edition", "zh-Hans", str(path))
    assert run.code == 0, run.err
    pdf = output_path(proj / "dist", path.stem, "zh-Hans")
    text = squash(pdf_text(pdf)).replace("职工之家特别报道", "")  # the running head
    assert squash(title) in text and squash(BODY) in text
    import pdfplumber

    with pdfplumber.open(pdf) as doc:  # set, not pushed off the page
        for page in doc.pages:
            x0, top, x1, bottom = page.bbox
            assert all(x0 <= c["x0"] and c["x1"] <= x1 and top <= c["top"] and c["bottom"] <= bottom
                       for c in page.chars)


def _varied(n: int) -> str:
    """``n`` characters of varied sentences (repeating text lays out much faster)."""
    rnd = random.Random(n)
    han = "工会职工服务全市建设发展帮扶活动技能创新劳动企业单位组织开展推进岩明龙三省总家之"
    out: list[str] = []
    while len(out) < n - 1:
        out += rnd.choices(han, k=rnd.randint(5, 15)) + [rnd.choice("，，，。")]
    return "".join(out[: n - 1]) + "。"


def test_one_200000_character_paragraph_is_refused_at_once(proj, capsys):
    """WeasyPrint's line breaking is quadratic in a paragraph's length: 100,000 characters of
    varied text took 2 minutes, a million did not finish in 10. So paiban refuses paragraphs
    over MAX_PARAGRAPH, in one line, before laying anything out."""
    paragraph = _varied(200_000)
    path = write_text(proj, "long-paragraph.txt", f"长段落\n\n{BODY}\n\n{paragraph}\n")
    started = time.perf_counter()
    problem = refused(proj, capsys, path.name, path.read_bytes(), "line 5", "200,000 characters",
                      f"{MAX_PARAGRAPH:,}", "break it into paragraphs")
    assert time.perf_counter() - started < 10, problem


def test_a_paragraph_at_the_limit_builds_in_bounded_time(proj):
    """Measured: about 7 s and 10 pages on one core."""
    cfg = project_config(proj)
    path = write_text(proj, "limit.txt", f"长段落\n\n{_varied(MAX_PARAGRAPH)}\n")
    started = time.perf_counter()
    outcome = render(cfg, path)
    seconds = time.perf_counter() - started
    print(f"{MAX_PARAGRAPH:,}-character paragraph: {outcome.pages} pages in {seconds:.1f} s")
    assert outcome.error is None and outcome.pages >= 5
    assert seconds < 120


def test_good_text_still_builds(proj, capsys):
    """The fixture project itself is sound: the refusals above are about their texts."""
    path = write_text(proj, "good.txt", GOOD)
    run = cli_build(proj, capsys, "--edition", "zh-Hans", str(path))
    assert run.code == 0, run.err
    assert "1 of 1" in run.out


def test_escape_sequences_never_reach_the_terminal(proj, capsys):
    """A text's control characters (an OSC title change, a screen clear) and a file name's are
    shown as \\x1b…, in ``inspect`` and in error lines, which stay one line each."""
    from paiban import cli

    text = f"标题\x1b]0;pwned\x07\n\n{BODY}\x1b[2J{BODY * 15}\n"
    path = write_text(proj, "escapes.txt", text)
    assert cli.main(["inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\\x1b]0;pwned\\x07" in out
    weird = write_text(proj, "a\x1b[2J\nb.txt", b"")
    run = cli_build(proj, capsys, str(weird))
    assert run.code == 1 and "\x1b" not in run.err
    assert len(run.lines) == 2 and "a\\x1b[2J\\x0ab.txt: is empty" in run.lines[0]


def test_a_box_drawn_for_a_character_from_a_stylesheet_fails_the_build(tmp_path, capsys):
    """The check on the text cannot see characters a stylesheet adds (content: "\\E000"); the
    PDF WeasyPrint drew with an empty box for it is refused, naming the code point."""
    proj = copy_project(tmp_path / "p")
    sheet = proj / "styles" / "print.css"
    sheet.write_text(sheet.read_text("utf-8") + '\n.title::after { content: "\\E000" }\n', "utf-8")
    path = write_text(proj, "t.txt", GOOD)
    run = cli_build(proj, capsys, "--edition", "zh-Hans", str(path))
    assert_one_error_line(run, path, "U+E000 <private use>", "in no font", "boxes")
    assert not (output_path(proj / "dist", "t", "zh-Hans")).exists()
