"""The frozen one-folder client: it starts on its own, carries what it needs, leaves out
what it does not use, and asks no newer glibc than the build machine's (2.36 here)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.packaging.conftest import REPO, png_size, run_smoke_test

pytestmark = pytest.mark.slow

sys.path.insert(0, str(REPO / "installer"))
import elf_report  # noqa: E402  (installer/ is scripts, not a package)

# The build machine's glibc (Debian 12), which the current UOS and Kylin releases have
# (README, "Which systems it runs on"): a build asking for more would not start there.
GLIBC_CEILING = (2, 36)


def test_bundle_starts_offscreen_and_renders_the_main_window(frozen_bundle, tmp_path):
    png = tmp_path / "main.png"
    result = run_smoke_test([str(frozen_bundle / "windowdesk"), "--demo"], tmp_path, png)
    assert result.returncode == 0, result.stderr
    width, height = png_size(png)
    assert width >= 800 and height >= 500
    # The catalog, the calendar and the translations came from inside the bundle.
    assert (tmp_path / ".local/share/windowdesk/windowdesk.sqlite3").is_file()


def test_bundle_prints_a_document_with_the_cjk_font(frozen_bundle, tmp_path):
    """reportlab, the bundled font and pypdfium2 (print preview) all work frozen."""
    result = subprocess.run(
        [str(frozen_bundle / "windowdesk"), "print-samples", "--out", str(tmp_path / "pdf")],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr
    pdfs = sorted((tmp_path / "pdf").glob("*.pdf"))
    assert pdfs and all(pdf.read_bytes()[:5] == b"%PDF-" for pdf in pdfs)


def test_without_a_keyring_the_bundle_names_the_package_to_install(frozen_bundle, tmp_path):
    result = run_smoke_test([str(frozen_bundle / "windowdesk"), "--locale", "en"], tmp_path, tmp_path / "never.png")
    assert result.returncode == 2
    assert "apt install gnome-keyring" in result.stderr
    assert not (tmp_path / "never.png").exists()


def test_with_gnome_keyring_the_bundle_keeps_its_key_in_the_secret_service(frozen_bundle, tmp_path):
    """A UOS or Kylin counter's keyring is the Secret Service (GNOME Keyring here): the frozen
    window must load that backend (secretstorage encrypts its session with cryptography, which
    the bundle once left out), keep the database key there at the first start and read it back
    at the next. Without the backend a demo start falls back to a key file beside the data."""
    (tmp_path / ".local/share/keyrings").mkdir(parents=True)
    window = frozen_bundle / "windowdesk"
    script = (
        'eval "$(printf ci | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null || exit 10\n'
        f'"{window}" --demo --smoke-test "{tmp_path}/first.png" || exit 11\n'
        f'"{window}" --demo --smoke-test "{tmp_path}/second.png" || exit 12\n'
    )
    result = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", script],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=480,
    )
    assert result.returncode == 0, result.stderr
    for png in ("first.png", "second.png"):
        width, height = png_size(tmp_path / png)
        assert width >= 800 and height >= 500
    data = tmp_path / ".local/share/windowdesk"
    assert (data / "windowdesk.sqlite3").is_file()
    assert not (data / "demo-database.key").exists(), "the key went to a file, not to the keyring"
    assert (tmp_path / ".local/share/keyrings/login.keyring").is_file()


def test_bundle_carries_its_data_and_leaves_out_what_the_app_never_loads(frozen_bundle):
    inside = frozen_bundle / "_internal"
    for needed in (
        "resources/catalog/items.json",
        "resources/calendar/cn_working_calendar.json",
        "resources/fonts/DroidSansFallbackFull.ttf",
        "translations/zh_CN/LC_MESSAGES/windowdesk.mo",
        "translations/en/LC_MESSAGES/windowdesk.mo",
        "windowdesk/storage/migrations/env.py",
    ):
        assert (inside / needed).is_file(), needed
    assert any(inside.rglob("libQt6Charts.so*"))
    names = [str(path.relative_to(inside)) for path in inside.rglob("*")]
    for pruned in (
        "Qt6Qml",
        "Qt6Quick",
        "Qt6WebEngine",
        "Qt6VirtualKeyboard",
        "Qt63D",
        "libqgtk3",
        "libgtk-3",
        "fastapi",
        "uvicorn",
        "windowdesk/hub",
        "keyrings",
    ):
        assert not [name for name in names if pruned in name], pruned


def test_highest_glibc_symbol_version_is_the_build_machines(frozen_bundle):
    highest, per_file = elf_report.glibc_needed(frozen_bundle)
    assert per_file, "objdump found no ELF file asking for glibc symbols"
    as_tuple = tuple(int(part) for part in highest.split("."))
    offenders = {name: v for name, v in per_file.items() if tuple(int(p) for p in v.split(".")) > GLIBC_CEILING}
    assert as_tuple <= GLIBC_CEILING, offenders


def test_every_library_the_bundle_needs_is_inside_or_a_declared_dependency(frozen_bundle):
    depends = elf_report.depends_line(frozen_bundle)
    assert depends.startswith("libc6 (>= ")
    # Only the C runtime, the display server's client libraries and the GPU drivers' GL/EGL
    # front ends stay outside: these must match the machine's kernel, display and drivers.
    outside = elf_report.external_libraries(frozen_bundle)
    assert outside <= set(elf_report.SYSTEM_PACKAGES), outside - set(elf_report.SYSTEM_PACKAGES)
