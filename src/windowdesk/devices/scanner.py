"""Flatbed and document-feeder scanners through SANE, by its own command-line front end
``scanimage`` (Debian's sane-utils): one subprocess per scan, so a driver that crashes or
hangs takes the scan with it, never the window. A page comes back as a PNM image (grey,
300 dpi by default); the caller turns it into the stored form (imaging/page_image.py).

SANE's ``test`` device gives pages without hardware: the tests scan through it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass

from windowdesk.errors import WindowdeskError

SCANIMAGE = "scanimage"
LIST_TIMEOUT_SECONDS = 30
SCAN_TIMEOUT_SECONDS = 120
DEFAULT_DPI = 300
# One line per device; SANE prints the fields this way with ``--formatted-device-list``.
_DEVICE_FORMAT = "%d\t%v\t%m\t%t%n"


class ScannerError(WindowdeskError):
    """The scanner could not give a page; the message says what to do."""


@dataclass(frozen=True)
class ScannerDevice:
    name: str  # SANE's device name, e.g. "genesys:libusb:001:004" or "test:0"
    vendor: str
    model: str
    kind: str

    @property
    def label(self) -> str:
        return " ".join(part for part in (self.vendor, self.model) if part) or self.name


def _program() -> str:
    from windowdesk.i18n import _

    found = shutil.which(SCANIMAGE)
    if found is None:
        raise ScannerError(
            _("Scanning is not installed"),
            _(
                "The scanner program (scanimage, from SANE) is not on this computer. Administrator: "
                "install SANE (Debian: sane-utils), then try again."
            ),
        )
    return found


def list_scanners() -> list[ScannerDevice]:
    """The scanners SANE finds now (network scanners may take a few seconds)."""
    from windowdesk.i18n import _

    try:
        done = subprocess.run(
            [_program(), f"--formatted-device-list={_DEVICE_FORMAT}"],
            capture_output=True,
            timeout=LIST_TIMEOUT_SECONDS,
            check=False,
            env=_environment(),
        )
    except subprocess.TimeoutExpired as exc:
        raise ScannerError(
            _("No answer from the scanners"), _("Looking for scanners took too long. Check the cables and try again.")
        ) from exc
    devices = []
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        parts = line.split("\t")
        if len(parts) == 4 and parts[0]:
            devices.append(ScannerDevice(*parts))
    return devices


def scan_page(device: str, *, dpi: int = DEFAULT_DPI, area_mm: tuple[int, int] | None = None) -> bytes:
    """One grey page from ``device`` as a PNM image: the scanner's whole bed, or the
    ``area_mm`` (width, height) from its top left corner."""
    from windowdesk.i18n import _

    area = ["-x", str(area_mm[0]), "-y", str(area_mm[1])] if area_mm else []
    try:
        done = subprocess.run(
            [_program(), "--device-name", device, "--format=pnm", "--mode", "Gray", "--resolution", str(dpi), *area],
            capture_output=True,
            timeout=SCAN_TIMEOUT_SECONDS,
            check=False,
            env=_environment(),
        )
    except subprocess.TimeoutExpired as exc:
        raise ScannerError(
            _("The scanner did not finish"),
            _("The scan took more than two minutes. Check the scanner, then scan again."),
        ) from exc
    if done.returncode != 0 or not done.stdout.startswith(b"P"):
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ScannerError(
            _("The scanner gave no page"),
            _(
                "Scanning with {device} failed: {reason}. Check that it is switched on, has paper and is "
                "not used by another program, then scan again."
            ).format(device=device, reason=reason[-1] if reason else _("no reason given")),
        )
    return done.stdout


def _environment() -> dict[str, str]:
    # scanimage's messages in English whatever the machine's language: they are quoted, not shown alone.
    return {**os.environ, "LC_ALL": "C"}
