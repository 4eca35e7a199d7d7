"""Renders installer/icons/windowdesk.svg to the PNG sizes of the hicolor theme, and to a
Windows .ico, with Qt (already a dependency): no image tool needed on the build machine.
    python installer/icons/render_icons.py OUT_DIR NAME   ->  OUT_DIR/<size>x<size>/apps/NAME.png
    python installer/icons/render_icons.py --ico FILE.ico
"""

from __future__ import annotations

import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256)
SVG = Path(__file__).resolve().parent / "windowdesk.svg"


def render(size: int):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(SVG)).render(painter)
    painter.end()
    return image


def main(argv: list[str]) -> int:
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication(["render_icons", "-platform", "offscreen"])  # noqa: F841 (Qt needs one)
    if argv[:1] == ["--ico"]:
        if not render(256).save(argv[1], "ICO"):
            raise SystemExit(f"could not write {argv[1]}")
        return 0
    out, name = Path(argv[0]), argv[1]
    for size in SIZES:
        folder = out / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        if not render(size).save(str(folder / f"{name}.png"), "PNG"):
            raise SystemExit(f"could not write the {size} px icon")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
