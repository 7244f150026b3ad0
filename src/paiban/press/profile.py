"""The CMYK output profile a print PDF names in its OutputIntent.

In: ``press.profile`` from the config: ``"fogra39"``, ``"newsprint"`` or the path of an ICC file.
Out: a ``Profile``: the ICC bytes as read (a target is rendered from these, wherever it runs:
a Dask worker needs neither the project's profile nor ArgyllCMS), where they were read from,
and what the OutputIntent says about the condition (OutputConditionIdentifier, RegistryName,
Info).

No profile is downloaded, ever. The two named conditions are built from characterisation data
Debian ships (``icc-profiles-free``: ``FOGRA39L.ti3``, ``TR002.ti3``) with ArgyllCMS's
``colprof`` (``argyll``), once, into a cache folder (``make setup`` does it; otherwise the first
build that needs it). colprof stamps the creation date into the header, so the header date is
set to a fixed one and the profile ID (an MD5 of the profile, ICC.1:2010 7.2.18) recomputed:
the same data and options give the same bytes on every machine, and the PDFs stay
byte-identical.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from paiban.errors import ConfigError

ICC_DATA = Path("/usr/share/color/icc")
"""Where Debian's icc-profiles-free puts the characterisation data."""

REGISTRY = "http://www.color.org"


@dataclass(slots=True, frozen=True)
class Condition:
    """A printing condition paiban can build a profile for."""

    name: str
    """The ``press.profile`` value."""
    data: str
    """Characterisation data file in ``ICC_DATA``."""
    identifier: str
    """OutputConditionIdentifier: the condition's name in the ICC characterisation registry."""
    info: str
    """OutputIntent /Info: the condition in words."""
    colprof: tuple[str, ...]
    """colprof options: quality, black generation, total and black ink limits."""


CONDITIONS = {
    # ISO 12647-2 sheet-fed offset on coated paper (paper type 1/2), the magazine default.
    # Ink limit 300 %, as ECI's "ISO Coated v2 300%" for the same FOGRA39 data.
    "fogra39": Condition(
        "fogra39", "FOGRA39L.ti3", "FOGRA39",
        "Coated FOGRA39 (ISO 12647-2:2004/Amd 1), offset, paper type 1/2, 300 % ink limit",
        ("-ql", "-kr", "-l300", "-L98")),
    # Coldset offset on newsprint: CGATS/SNAP TR 002 (SNAP 2007), 240 % ink limit.
    "newsprint": Condition(
        "newsprint", "TR002.ti3", "CGATS TR 002",
        "Coldset offset on newsprint (SNAP, CGATS TR 002), 240 % ink limit",
        ("-ql", "-kr", "-l240", "-L95")),
}

HEADER_DATE = (2026, 1, 1, 0, 0, 0)
"""Creation date written into every profile paiban builds (colprof writes the current time)."""


@dataclass(slots=True, frozen=True)
class Profile:
    """An output profile and the OutputIntent entries naming its condition."""

    path: Path
    """Where it was read from (for messages)."""
    icc: bytes
    """The profile's bytes, as read once."""
    identifier: str
    info: str
    registry: str = REGISTRY

    def data(self) -> bytes:
        return self.icc


def cache_dir() -> Path:
    """``$PAIBAN_ICC_DIR``, else ``$XDG_CACHE_HOME/paiban/icc``, else ``~/.cache/paiban/icc``."""
    if env := os.environ.get("PAIBAN_ICC_DIR"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "paiban" / "icc"


def _cached_name(cond: Condition, data: bytes) -> str:
    digest = hashlib.sha256(data + "\0".join(cond.colprof).encode()).hexdigest()[:12]
    return f"{cond.name}-{digest}.icc"


def resolve(value: str, root: Path) -> Profile:
    """The profile ``press.profile = value`` names, building a named one if needed."""
    cond = CONDITIONS.get(value)
    if cond is None:
        path = Path(value)
        path = path if path.is_absolute() else root / path
        if not path.is_file():
            raise ConfigError(f"press.profile {value!r}: no such file; use fogra39, newsprint "
                              "or the path of a CMYK ICC profile")
        data = path.read_bytes()
        if data[16:20] != b"CMYK" or data[36:40] != b"acsp":
            raise ConfigError(f"press.profile {value!r} is not a CMYK ICC output profile")
        desc = _description(data) or path.stem
        return Profile(path, data, identifier=desc, info=desc, registry="")
    path = build(cond)
    return Profile(path, path.read_bytes(), cond.identifier, cond.info)


def build(cond: Condition, *, into: Path | None = None) -> Path:
    """The cached profile for ``cond``; built with colprof when missing."""
    source = ICC_DATA / cond.data
    colprof = shutil.which("colprof")
    if not source.is_file() or colprof is None:
        missing = "icc-profiles-free" if not source.is_file() else "argyll"
        raise ConfigError(
            f"press.profile {cond.name!r} needs {source} and ArgyllCMS colprof to build it: "
            f"apt-get install argyll icc-profiles-free (missing: {missing}), or set "
            "press.profile = PATH to a CMYK ICC profile")
    data = source.read_bytes()
    folder = into or cache_dir()
    target = folder / _cached_name(cond, data)
    if target.is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="paiban-icc-") as tmp:
        (Path(tmp) / "data.ti3").write_bytes(data)
        args = [colprof, *cond.colprof, "-nc",
                "-D", f"{cond.identifier} (paiban, ArgyllCMS colprof)",
                "-C", f"No copyright. Built from {cond.data} (icc-profiles-free, zlib licence)",
                "-O", "out.icc", "data"]
        done = subprocess.run(args, cwd=tmp, capture_output=True, text=True)
        if done.returncode != 0:
            raise ConfigError(f"colprof failed building {cond.name}: "
                              f"{(done.stderr or done.stdout).strip().splitlines()[-1:]}")
        icc = normalise((Path(tmp) / "out.icc").read_bytes())
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(icc)
        os.replace(partial, target)
    return target


def normalise(icc: bytes) -> bytes:
    """``icc`` with a fixed header date and its profile ID recomputed (ICC.1:2010 7.2.18:
    MD5 of the profile with the flags, rendering intent and ID fields zeroed)."""
    b = bytearray(icc)
    b[24:36] = struct.pack(">6H", *HEADER_DATE)
    b[84:100] = bytes(16)
    zeroed = bytearray(b)
    zeroed[44:48] = bytes(4)
    zeroed[64:68] = bytes(4)
    b[84:100] = hashlib.md5(bytes(zeroed)).digest()
    return bytes(b)


def _description(icc: bytes) -> str:
    """The profile's ``desc`` tag text (ICC v2 textDescription or v4 mluc), or ''."""
    try:
        (count,) = struct.unpack(">I", icc[128:132])
        for i in range(count):
            sig, offset, size = struct.unpack(">4sII", icc[132 + 12 * i:144 + 12 * i])
            if sig != b"desc":
                continue
            tag = icc[offset:offset + size]
            if tag[:4] == b"desc":
                (n,) = struct.unpack(">I", tag[8:12])
                return tag[12:12 + n].rstrip(b"\0").decode("latin-1")
            if tag[:4] == b"mluc":
                length, start = struct.unpack(">II", tag[20:28])
                return tag[start:start + length].decode("utf-16-be")
    except struct.error:
        pass
    return ""


def main(argv: list[str] | None = None) -> int:
    """``python -m paiban.press.profile [NAME...]``: build the named profiles (set-up time)."""
    import sys

    names = (argv if argv is not None else sys.argv[1:]) or list(CONDITIONS)
    for name in names:
        try:
            print(build(CONDITIONS[name]))
        except ConfigError as exc:
            print(f"paiban: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
