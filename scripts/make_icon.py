"""Draw the application icon: resources/icons/taizhang.png (256 px) and taizhang.ico (16–256 px).

Run from the repository root after changing the design: `.venv/bin/python scripts/make_icon.py`; commit both files.
Each size is drawn by Qt on its own pixel grid (small sizes get a bolder glyph and no ruling), then Pillow packs
them into one .ico for the executables, the installer and the window.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image  # noqa: E402
from PySide6.QtCore import QBuffer, QIODevice, QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QImage, QPainter, QPen  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "icons"
SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
RED = QColor("#B22222")  # the red of official documents' headers
PAPER = QColor("#FFF8E7")
FONTS = ("Microsoft YaHei", "SimHei", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC")


def cjk_family() -> str:
    chinese = set(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))
    return next((f for f in FONTS if f in chinese), sorted(chinese)[0] if chinese else "sans-serif")


def draw(size: int, family: str) -> QImage:
    """A red ledger book with a cream page and the character 账."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    s = float(size)
    margin = max(0.5, s * 0.04)
    body = QRectF(margin, margin, s - 2 * margin, s - 2 * margin)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(RED)
    p.drawRoundedRect(body, s * 0.16, s * 0.16)
    if size >= 40:
        # The page: cream, with the ledger's ruled lines on the left.
        page = body.adjusted(s * 0.12, s * 0.10, -s * 0.10, -s * 0.10)
        p.setBrush(PAPER)
        p.drawRoundedRect(page, s * 0.05, s * 0.05)
        pen = QPen(QColor(178, 34, 34, 90))
        pen.setWidthF(max(1.0, s / 96))
        p.setPen(pen)
        for i in range(1, 6):
            y = page.top() + page.height() * i / 6
            p.drawLine(int(page.left() + s * 0.04), int(y), int(page.left() + s * 0.16), int(y))
        glyph_rect = page.adjusted(s * 0.12, 0, 0, 0)
        colour = RED
        scale = 0.56
    else:
        glyph_rect = body
        colour = QColor("white")
        scale = 0.78
    font = QFont(family)
    font.setPixelSize(max(8, int(s * scale)))
    font.setBold(True)
    font.setHintingPreference(QFont.HintingPreference.PreferFullHinting)
    p.setFont(font)
    p.setPen(colour)
    p.drawText(glyph_rect, Qt.AlignmentFlag.AlignCenter, "账")
    p.end()
    return image


def to_pillow(image: QImage) -> Image.Image:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(buffer.data()))).convert("RGBA")


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    family = cjk_family()
    images = {size: to_pillow(draw(size, family)) for size in SIZES}
    OUT.mkdir(parents=True, exist_ok=True)
    images[256].save(OUT / "taizhang.png")
    largest = images[256]
    largest.save(
        OUT / "taizhang.ico",
        sizes=[(s, s) for s in SIZES],
        append_images=[images[s] for s in SIZES if s != 256],
    )
    print(f"{OUT / 'taizhang.ico'}: {', '.join(str(s) for s in SIZES)} px, font {family}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
