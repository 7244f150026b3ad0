"""[tool.paiban.press], the --pdf/--proof flags, and the output profiles."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from paiban.config import Press, load
from paiban.errors import ConfigError
from paiban.press import profile as icc
from paiban.press.colour import palette, to_srgb


def _project(tmp_path: Path, table: str) -> Path:
    path = tmp_path / "pyproject.toml"
    path.write_text("[project]\nname='x'\n\n[tool.paiban]\n" + table, "utf-8")
    return path


def test_press_table_and_flags(tmp_path):
    path = _project(tmp_path, '[tool.paiban.press]\nprofile = "newsprint"\npdf = "x-1a"\n')
    cfg = load(path)
    assert cfg.press == Press(profile="newsprint", pdf="x-1a", proof=False)
    cfg = load(path, pdf="screen", proof=True)
    assert cfg.press == Press(profile="newsprint", pdf="screen", proof=True)
    assert load(_project(tmp_path, "")).press == Press()


@pytest.mark.parametrize("table, key", [
    ('[tool.paiban.press]\nprofle = "fogra39"\n', "profle"),
    ('[tool.paiban.press]\npdf = "x-3"\n', "pdf"),
    ('[tool.paiban.press]\nproof = "yes"\n', "proof"),
])
def test_bad_press_values_name_the_key(tmp_path, table, key):
    with pytest.raises(ConfigError, match=key):
        load(_project(tmp_path, table))


def test_named_profiles_are_cmyk_with_registry_names():
    for name, identifier in (("fogra39", "FOGRA39"), ("newsprint", "CGATS TR 002")):
        profile = icc.resolve(name, Path.cwd())
        data = profile.data()
        assert data[16:20] == b"CMYK" and data[12:16] == b"prtr" and data[36:40] == b"acsp"
        assert profile.identifier == identifier and profile.registry == "http://www.color.org"
        # The header date is fixed, the profile ID is the MD5 the ICC spec defines.
        assert struct.unpack(">6H", data[24:36]) == icc.HEADER_DATE
        assert icc.normalise(data) == data


def test_normalise_fixes_the_date_and_recomputes_the_id():
    data = icc.resolve("fogra39", Path.cwd()).data()
    changed = bytearray(data)
    changed[24:36] = struct.pack(">6H", 2031, 5, 6, 7, 8, 9)
    assert icc.normalise(bytes(changed)) == data


def test_a_profile_path_is_used_as_given_and_an_rgb_one_refused(tmp_path):
    source = icc.resolve("fogra39", Path.cwd()).path
    (tmp_path / "shop.icc").write_bytes(source.read_bytes())
    profile = icc.resolve("shop.icc", tmp_path)
    assert profile.path == tmp_path / "shop.icc" and "FOGRA39" in profile.identifier
    with pytest.raises(ConfigError, match="not a CMYK"):
        icc.resolve("/usr/share/color/icc/sRGB.icc", tmp_path)
    with pytest.raises(ConfigError, match="no such file"):
        icc.resolve("missing.icc", tmp_path)


def test_missing_colprof_or_data_is_one_line_naming_the_debian_packages(tmp_path, monkeypatch):
    monkeypatch.setattr(icc.shutil, "which", lambda name: None)
    with pytest.raises(ConfigError) as info:
        icc.build(icc.CONDITIONS["fogra39"], into=tmp_path)
    message = str(info.value)
    assert "apt-get install argyll icc-profiles-free" in message
    assert "press.profile = PATH" in message and "\n" not in message


def test_the_palette_is_defined_once_in_cmyk_and_shown_through_the_profile():
    css = (Path(__file__).resolve().parents[2] / "styles" / "base.css").read_text("utf-8")
    colours = palette(css)
    assert colours["--ink"] == (0, 0, 0, 1) and colours["--paper"] == (0, 0, 0, 0)
    assert "#" not in css.split(":root")[1].split("}")[0]  # no RGB value in the palette
    profile = icc.resolve("fogra39", Path.cwd()).path
    assert to_srgb((0, 0, 0, 0), profile) == "#ffffff"
    # Black ink on coated paper is not #000000: the preview shows the print.
    assert to_srgb((0, 0, 0, 1), profile) != "#000000"
    accent = to_srgb(colours["--accent"], profile)
    r, g, b = (int(accent[i:i + 2], 16) for i in (1, 3, 5))
    assert r > 150 and g < 80 and b < 80
