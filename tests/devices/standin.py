"""The stand-in sdtapi library (sdtapi_standin.c), built with the C compiler into a test's
folder, and the control file that says what the "reader" has on it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SOURCE = Path(__file__).with_name("sdtapi_standin.c")
CONTROL_VARIABLE = "SDTAPI_STANDIN_CONTROL"
# The card the stand-in returns unless told otherwise.
DEFAULT_CARD = {
    "name": "王小明",
    "id": "110101198001010010",
    "birth": "19800101",
    "sex": "1",
    "nation": "01",
    "address": "北京市东城区东华门街道南池子大街1号",
    "authority": "北京市公安局东城分局",
    "from": "20160301",
    "until": "20360301",
}
PHOTO = b"WLT\x00\x01\x7f\x80\xff"


def c_compiler() -> str:
    """The C compiler. Its absence fails the test: the ctypes path must run in CI, never
    be skipped."""
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        pytest.fail(
            "A C compiler (gcc) is needed to build the stand-in ID card reader library; "
            "installer/run-tests.sh installs it."
        )
    return compiler


def build_shared_library(source: Path, target: Path) -> Path:
    subprocess.run(
        [c_compiler(), "-shared", "-fPIC", "-O1", "-Wall", "-Werror", "-o", str(target), str(source)],
        check=True,
        capture_output=True,
    )
    return target


def build_standin(directory: Path) -> Path:
    """Compile the stand-in into ``directory``."""
    return build_shared_library(SOURCE, directory / "libsdtapi.so")


class ReaderControl:
    """Lays cards on the stand-in reader, takes them away, unplugs it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.set("absent")

    def set(self, mode: str, **fields: str | int) -> None:
        lines = [mode] + [f"{key}={value}" for key, value in fields.items()]
        # Written whole and renamed, so a poll never reads half a file.
        partial = self.path.with_suffix(".partial")
        partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
        partial.replace(self.path)
