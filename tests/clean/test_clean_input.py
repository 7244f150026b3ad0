"""Bad and unusual input files: each gives a one-line ``InputError`` naming the file, or a
valid model; never a traceback, never mojibake. Also the encodings and line endings that
``read`` must accept, checked against the seed read as UTF-8."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from paiban import cli
from paiban.clean import MAX_BYTES, clean, read
from paiban.errors import InputError
from paiban.snapshots import SEEDS

SEED = SEEDS / "002_cac0cc1532234b7e.txt"
TEXT = SEED.read_text("utf-8")


def _refused(path: Path, words: str) -> InputError:
    with pytest.raises(InputError) as info:
        read(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message
    assert words in message
    return info.value


def _write(tmp_path: Path, data: bytes, name: str = "t.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_empty_file(tmp_path):
    _refused(_write(tmp_path, b""), "empty")


def test_whitespace_only(tmp_path):
    _refused(_write(tmp_path, " \n\r\n\t\u3000\n".encode()), "white space")


def test_binary_file(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    _refused(_write(tmp_path, png), "binary")


def test_binary_without_nul_bytes(tmp_path):
    junk = bytes(b for b in range(1, 256) if b not in b"\n\r\t") * 40
    _refused(_write(tmp_path, junk), "save it as UTF-8")


def test_twenty_megabyte_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.txt"
    with path.open("wb") as f:
        f.truncate(20 * 1024 * 1024)  # sparse: no 20 MB written to disk
    error = _refused(path, "too large")
    assert "20.0 MB" in str(error) and f"{MAX_BYTES // 1024 // 1024} MB" in str(error)


def test_directory(tmp_path):
    _refused(tmp_path, "directory")


def test_missing_file(tmp_path):
    _refused(tmp_path / "nope.txt", "no such file")


def test_only_a_title(tmp_path):
    article = read(_write(tmp_path, "与时代同步 与社会共进\n".encode()))
    assert article.title == "与时代同步 与社会共进" and article.blocks == ()
    assert article.report.warnings == ("the text is only a title: no body",)


def test_clean_refuses_text_without_characters():
    with pytest.raises(InputError):
        clean(" \n\u3000\n")


@pytest.mark.parametrize("encoding,bom,name", [
    ("utf-8-sig", b"", "utf-8-sig"),
    ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16"),
    ("utf-32-le", codecs.BOM_UTF32_LE, "utf-32"),
    ("gb18030", b"", "gb18030"),
    ("gbk", b"", "gb18030"),
])
def test_encodings_give_the_same_model(tmp_path, encoding, bom, name):
    article = read(_write(tmp_path, bom + TEXT.encode(encoding), SEED.name))
    assert article.report.encoding == name
    assert article.blocks == read(SEED).blocks
    assert article.title == read(SEED).title
    assert any(c.rule == "decode" and name in c.message for c in article.report.changes)


def test_crlf_file_gives_the_same_model(tmp_path):
    article = read(_write(tmp_path, TEXT.replace("\n", "\r\n").encode(), SEED.name))
    assert article.blocks == read(SEED).blocks
    assert any("CRLF" in c.message for c in article.report.changes)


def test_big5_is_refused_not_mojibake(tmp_path):
    big5 = "聆聽歷史足音，書寫時代新篇。龍巖市總工會五年工作巡禮。".encode("big5") * 20
    _refused(_write(tmp_path, big5), "GB18030")


def test_latin1_is_refused(tmp_path):
    _refused(_write(tmp_path, "Café crème, déjà vu. Ça va?\n".encode("latin-1") * 10), "UTF-8")


def test_bad_utf16_after_bom(tmp_path):
    _refused(_write(tmp_path, codecs.BOM_UTF16_LE + b"\x00\xd8"), "utf-16")


@pytest.mark.parametrize("data", [b"", b"\x00\x01\x02binary\xff"])
def test_inspect_prints_one_line_and_fails(tmp_path, capsys, data):
    code = cli.main(["inspect", str(_write(tmp_path, data))])
    err = capsys.readouterr().err
    assert code != 0 and err.count("\n") == 1 and err.startswith("paiban: ")
    assert "Traceback" not in err


def test_long_text_is_cleaned_quickly(tmp_path):
    import time

    big = _write(tmp_path, (TEXT * 300).encode())  # about 3 MB, 30,000 lines
    start = time.perf_counter()
    article = read(big)
    assert time.perf_counter() - start < 20
    assert len(article.report.removed) > 1000
