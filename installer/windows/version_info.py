"""Writes the version resource of windowdesk.exe (Explorer's Details tab, inventory tools)
for PyInstaller, from windowdesk.__version__ and a build number: the same four-part version
as the .deb's and the NSIS installer's. installer/windowdesk.spec calls it on Windows.

    python installer/windows/version_info.py [--build N] OUT.txt
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def four_part_version(build: int) -> tuple[int, int, int, int]:
    """windowdesk.__version__ (read from its file: the build may not import the package)
    and the build number, e.g. 0.9.0 and 1 -> (0, 9, 0, 1)."""
    source = (ROOT / "src" / "windowdesk" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "(\d+)\.(\d+)\.(\d+)"$', source, re.MULTILINE)
    if match is None:
        raise SystemExit("windowdesk.__version__ is not three numbers")
    if build < 0:
        raise SystemExit("the build number is a number from 0")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch, build


def render(version: tuple[int, int, int, int]) -> str:
    """PyInstaller's version file: a VSVersionInfo expression (the format pyi-grab_version
    writes), US English in Unicode (0409, 04B0)."""
    dotted = ".".join(str(part) for part in version)
    strings = {
        "CompanyName": "windowdesk",
        "FileDescription": "windowdesk counter client",
        "FileVersion": dotted,
        "InternalName": "windowdesk",
        "LegalCopyright": "Apache-2.0",
        "OriginalFilename": "windowdesk.exe",
        "ProductName": "windowdesk",
        "ProductVersion": dotted,
    }
    string_structs = ",\n".join(f"          StringStruct({key!r}, {value!r})" for key, value in strings.items())
    return f"""# The version resource of windowdesk.exe, made by installer/windows/version_info.py.
VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={version!r},
    prodvers={version!r},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo(
      [
        StringTable(
          '040904B0',
          [
{string_structs}
          ])
      ]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
"""


def write(path: Path, *, build: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(four_part_version(build)), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=int, default=0, help="the fourth part of the version (default 0)")
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    print(write(args.out, build=args.build))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
