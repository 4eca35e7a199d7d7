"""Fixtures of the packaging tests: the client frozen once per session (the slow part,
about 4 minutes here) and the .deb built from that one frozen folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
APPID = "cn.windowdesk.client"


def _tool_env() -> dict[str, str]:
    """The test's own interpreter runs PyInstaller and the build script's Python steps."""
    env = dict(os.environ)
    env["PYTHON"] = sys.executable
    env["DEB_COMPRESSION"] = "gzip"  # xz over the 250 MB bundle takes minutes here
    return env


@pytest.fixture(scope="session")
def frozen_bundle(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("pyinstaller")
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(work / "dist"), "--workpath", str(work / "work"),
         str(REPO / "installer" / "windowdesk.spec")],
        cwd=REPO, check=True, env=_tool_env(), capture_output=True, text=True,
    )
    bundle = work / "dist" / "windowdesk"
    assert (bundle / "windowdesk").is_file()
    return bundle


def build_deb(bundle: Path, out: Path, build_number: int) -> Path:
    result = subprocess.run(
        ["bash", str(REPO / "installer" / "build-deb.sh"), "--bundle", str(bundle),
         "--build", str(build_number), "--out", str(out)],
        cwd=REPO, check=True, env=_tool_env(), capture_output=True, text=True,
    )
    deb = Path(result.stdout.strip().splitlines()[-1])
    assert deb.is_file(), result.stdout
    return deb


@pytest.fixture(scope="session")
def client_deb(frozen_bundle, tmp_path_factory) -> Path:
    return build_deb(frozen_bundle, tmp_path_factory.mktemp("deb"), build_number=1)


def run_smoke_test(command: list[str], home: Path, png: Path, *, extra_env=None,
                   timeout: int = 240) -> subprocess.CompletedProcess:
    """Starts the app offscreen with a clean environment, as a counter PC would: no
    PYTHONPATH, no test keyring, no D-Bus session (so no Secret Service)."""
    env = {
        "PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.update(extra_env or {})
    return subprocess.run([*command, "--smoke-test", str(png)], env=env, capture_output=True,
                          text=True, timeout=timeout)


def png_size(path: Path) -> tuple[int, int]:
    """Width and height read from the PNG's IHDR chunk (a real image, not just a file)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def have(tool: str) -> bool:
    return shutil.which(tool) is not None
