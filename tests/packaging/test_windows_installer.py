"""The Windows installer, checked where no Windows machine is: Debian's makensis compiles
installer/windows/windowdesk.nsi around a stand-in folder of the PyInstaller build's shape,
warnings refused, and the installer's version resource is read back from the .exe; the
version file PyInstaller gives windowdesk.exe says the same version."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pefile
import pytest

from tests.packaging.conftest import REPO
from windowdesk import __version__

pytestmark = pytest.mark.slow

sys.path.insert(0, str(REPO / "installer" / "windows"))
import version_info  # noqa: E402  (installer/ is scripts, not a package)

NSI = REPO / "installer" / "windows" / "windowdesk.nsi"


def _stand_in_bundle(folder: Path) -> Path:
    """dist\\windowdesk as PyInstaller leaves it: the program and its _internal folder."""
    (folder / "_internal" / "PySide6" / "plugins" / "platforms").mkdir(parents=True)
    (folder / "windowdesk.exe").write_bytes(b"MZ stand-in for the frozen program")
    (folder / "_internal" / "python311.dll").write_bytes(b"stand-in")
    (folder / "_internal" / "PySide6" / "plugins" / "platforms" / "qwindows.dll").write_bytes(b"stand-in")
    return folder


def _icon(path: Path) -> Path:
    subprocess.run(
        [sys.executable, str(REPO / "installer" / "icons" / "render_icons.py"), "--ico", str(path)],
        check=True,
        capture_output=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
    )
    return path


def _version_strings(exe: Path) -> dict[str, str]:
    pe = pefile.PE(str(exe))
    strings: dict[str, str] = {}
    for info in pe.FileInfo[0]:
        if info.Key == b"StringFileInfo":
            for table in info.StringTable:
                strings.update({k.decode(): v.decode() for k, v in table.entries.items()})
    fixed = pe.VS_FIXEDFILEINFO[0]
    strings["fixed"] = ".".join(
        str(part)
        for part in (
            fixed.FileVersionMS >> 16,
            fixed.FileVersionMS & 0xFFFF,
            fixed.FileVersionLS >> 16,
            fixed.FileVersionLS & 0xFFFF,
        )
    )
    return strings


def test_makensis_compiles_the_installer_with_its_version_resource(tmp_path):
    version = f"{__version__}.7"
    out = tmp_path / f"windowdesk-{version}-setup.exe"
    result = subprocess.run(
        [
            "makensis",
            "-WX",
            "-V2",
            f"-DVERSION={version}",
            f"-DBUNDLE={_stand_in_bundle(tmp_path / 'windowdesk')}",
            f"-DOUTFILE={out}",
            f"-DICON={_icon(tmp_path / 'windowdesk.ico')}",
            str(NSI),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.read_bytes()[:2] == b"MZ"
    strings = _version_strings(out)
    assert strings["fixed"] == version
    assert strings["ProductVersion"] == version and strings["ProductName"] == "windowdesk"


def test_the_installer_needs_its_version_and_its_folder(tmp_path):
    result = subprocess.run(
        ["makensis", "-V2", f"-DBUNDLE={tmp_path}", f"-DOUTFILE={tmp_path / 'x.exe'}", str(NSI)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "/DVERSION=" in result.stdout + result.stderr


def test_the_uninstaller_removes_only_what_it_installed():
    """No Windows here to run it: the script's uninstall section is read instead. It names
    what it deletes, never deletes $INSTDIR whole (a folder the user chose may hold other
    things), and never touches the users' data folders."""
    text = NSI.read_text(encoding="utf-8")
    uninstall = text[text.index('Section "Uninstall"') :]
    uninstall = uninstall[: uninstall.index("SectionEnd")]
    commands = [
        line.strip() for line in uninstall.splitlines()[1:] if line.strip() and not line.strip().startswith(";")
    ]
    assert 'RMDir "$INSTDIR"' in commands  # only if empty
    assert not [c for c in commands if re.fullmatch(r'RMDir /r "\$INSTDIR"', c)]
    assert not re.search(r"APPDATA|PROFILE|DOCUMENTS", uninstall)


def test_pyinstallers_version_file_carries_the_same_four_part_version(tmp_path):
    path = version_info.write(tmp_path / "version_info.txt", build=7)
    tree = ast.parse(path.read_text(encoding="utf-8"), mode="eval").body
    assert isinstance(tree, ast.Call) and tree.func.id == "VSVersionInfo"
    fixed = next(k.value for k in tree.keywords if k.arg == "ffi")
    versions = {k.arg: ast.literal_eval(k.value) for k in fixed.keywords if k.arg in ("filevers", "prodvers")}
    expected = (*(int(part) for part in __version__.split(".")), 7)
    assert versions == {"filevers": expected, "prodvers": expected}
    strings = {
        ast.literal_eval(call.args[0]): ast.literal_eval(call.args[1])
        for call in ast.walk(tree)
        if isinstance(call, ast.Call) and call.func.id == "StringStruct"
    }
    assert strings["FileVersion"] == strings["ProductVersion"] == f"{__version__}.7"
    assert strings["OriginalFilename"] == "windowdesk.exe"
