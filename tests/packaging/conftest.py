"""Fixtures of the packaging tests: the client frozen once per session (the slow part,
about 4 minutes here) and the .deb built from that one frozen folder; the hub's .deb built
once (about a minute: its virtualenv)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
APPID = "cn.windowdesk.client"
HUB_APPID = "cn.windowdesk.hub"


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
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "work"),
            str(REPO / "installer" / "windowdesk.spec"),
        ],
        cwd=REPO,
        check=True,
        env=_tool_env(),
        capture_output=True,
        text=True,
    )
    bundle = work / "dist" / "windowdesk"
    assert (bundle / "windowdesk").is_file()
    return bundle


def build_deb(bundle: Path, out: Path, build_number: int) -> Path:
    result = subprocess.run(
        [
            "bash",
            str(REPO / "installer" / "build-deb.sh"),
            "--bundle",
            str(bundle),
            "--build",
            str(build_number),
            "--out",
            str(out),
        ],
        cwd=REPO,
        check=True,
        env=_tool_env(),
        capture_output=True,
        text=True,
    )
    deb = Path(result.stdout.strip().splitlines()[-1])
    assert deb.is_file(), result.stdout
    return deb


@pytest.fixture(scope="session")
def client_deb(frozen_bundle, tmp_path_factory) -> Path:
    return build_deb(frozen_bundle, tmp_path_factory.mktemp("deb"), build_number=1)


@pytest.fixture(scope="session")
def hub_deb(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("hub-deb")
    result = subprocess.run(
        ["bash", str(REPO / "installer" / "build-hub-deb.sh"), "--build", "1", "--out", str(out)],
        cwd=REPO,
        env=_tool_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    deb = Path(result.stdout.strip().splitlines()[-1])
    assert deb.is_file(), result.stdout
    return deb


def rebuilt_with_version(deb: Path, out: Path, version: str) -> Path:
    """The same package under a newer version: what a newer build of it is to dpkg, made
    in seconds from the session's one build instead of another virtualenv."""
    tree = out / "tree"
    subprocess.run(["dpkg-deb", "-R", str(deb), str(tree)], check=True)
    control = tree / "DEBIAN" / "control"
    lines = control.read_text().splitlines()
    control.write_text(
        "\n".join(f"Version: {version}" if line.startswith("Version:") else line for line in lines) + "\n"
    )
    newer = out / deb.name.replace(deb.name.split("_")[1], version)
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zgzip", "--build", str(tree), str(newer)], check=True, capture_output=True
    )
    return newer


def run_smoke_test(
    command: list[str], home: Path, png: Path, *, extra_env=None, timeout: int = 240
) -> subprocess.CompletedProcess:
    """Starts the app offscreen with a clean environment, as a counter PC would: no
    PYTHONPATH, no test keyring, no D-Bus session (so no Secret Service)."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.update(extra_env or {})
    return subprocess.run(
        [*command, "--smoke-test", str(png)], env=env, capture_output=True, text=True, timeout=timeout
    )


def png_size(path: Path) -> tuple[int, int]:
    """Width and height read from the PNG's IHDR chunk (a real image, not just a file)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def have(tool: str) -> bool:
    return shutil.which(tool) is not None
