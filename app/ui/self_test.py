"""`taizhang --self-test`: prove an installed copy works end to end, print 自检通过 and exit 0 (else 1).

Runs in a scratch folder: a seeded database from the shipped migrations and portfolio, an online backup,
Chinese fonts in Qt, a Qt-rendered PDF of the portfolio summary (QPdfWriter), an .xlsx read back, a
matplotlib chart and a .docx. The installer's CI runs it on the frozen build.
"""

from __future__ import annotations

import importlib
import logging
import os
import pkgutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from app.services.self_test import CJK_FONT_FAMILIES, SelfTest, SelfTestFailed

log = logging.getLogger(__name__)

PASSED = "自检通过"


def run_self_test() -> int:
    """Run every check; print one line per check and 自检通过 (exit 0) or 自检失败 with the reason (exit 1)."""
    if sys.platform != "win32" and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a self-test needs no screen
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "taizhang", "--self-test"])
    del app  # only needs to exist: fonts and QPdfWriter require a GUI application object
    log.info("self-test: frozen=%s utf8_mode=%s", getattr(sys, "frozen", False), sys.flags.utf8_mode)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="taizhang-selftest-") as tmp:
        test = SelfTest(Path(tmp))
        pdf = _PdfCheck(test)
        checks: list[tuple[str, Callable[[], str]]] = [
            ("程序模块齐全", check_modules),
            ("数据库（迁移与内置项目库）", test.check_database),
            ("在线备份", test.check_backup),
            ("中文字体", pdf.check_fonts),
            ("PDF 概况（QPdfWriter）", pdf.check_pdf),
            ("Excel 工作簿（openpyxl / calamine）", test.check_workbook),
            ("图表（matplotlib）", test.check_chart),
            ("Word 文档（python-docx）", test.check_docx),
        ]
        try:
            for name, check in checks:
                t0 = time.perf_counter()
                try:
                    detail = check()
                except Exception as exc:  # noqa: BLE001 - any failure is reported, with its reason
                    log.exception("self-test check %s failed", name)
                    reason = str(exc) if isinstance(exc, SelfTestFailed) else f"{type(exc).__name__}: {exc}"
                    _say(f"✗ {name}：{reason}")
                    _say(f"自检失败：{name}：{reason}")
                    return 1
                _say(f"✓ {name}：{detail}（{(time.perf_counter() - t0) * 1000:.0f} ms）")
        finally:
            test.close()
    _say(f"{PASSED}（用时 {time.perf_counter() - started:.1f} 秒）")
    return 0


def check_modules() -> str:
    """Import every module of the app: a bundle missing a library fails here, not when a clerk opens a view."""
    import app

    names = sorted(m.name for m in pkgutil.walk_packages(app.__path__, "app.") if m.name != "app.__main__")
    failed = []
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - collected and reported together
            failed.append(f"{name}（{type(exc).__name__}: {exc}）")
    if failed:
        raise SelfTestFailed("无法载入模块：" + "；".join(failed))
    return f"{len(names)} 个"


class _PdfCheck:
    """The Qt checks: a Chinese font is installed, and QPdfWriter renders the summary with it embedded."""

    def __init__(self, test: SelfTest) -> None:
        self.test = test
        self.family = ""

    def check_fonts(self) -> str:
        from PySide6.QtGui import QFont, QFontDatabase, QRawFont

        chinese = set(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))
        if not chinese:
            raise SelfTestFailed("系统中没有可显示简体中文的字体")
        self.family = next((f for f in CJK_FONT_FAMILIES if f in chinese), sorted(chinese)[0])
        raw = QRawFont.fromFont(QFont(self.family))
        # ord(): PySide6 converts a one-character str to QChar unreliably for some CJK characters.
        if not all(raw.supportsCharacter(ord(ch)) for ch in "台账重点项目"):
            raise SelfTestFailed(f"字体 {self.family} 缺少常用汉字")
        return self.family

    def check_pdf(self) -> str:
        from PySide6.QtCore import QMarginsF
        from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

        info = self.test._info()
        path = self.test.folder / "自检概况.pdf"
        writer = QPdfWriter(str(path))
        writer.setTitle("台账自检概况")
        writer.setPageLayout(
            QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(20, 20, 20, 20))
        )
        writer.setResolution(300)
        lines = [
            "台账 — 项目库概况（自检）",
            *(f"{d.short_title}（{d.issued}）：任务 {d.task_count} 项" for d in info.documents),
            f"部门 {info.departments} 个；重点项目 {info.key_projects} 个；定额计划 {info.programmes} 个",
            *info.key_project_names,
        ]
        painter = QPainter()
        if not painter.begin(writer):
            raise SelfTestFailed("无法创建 PDF 文件")
        try:
            painter.setFont(QFont(self.family or "sans-serif", 11))
            step = painter.fontMetrics().height() * 1.4
            y = step
            for line in lines:
                painter.drawText(0, int(y), line)
                y += step
        finally:
            painter.end()
        data = path.read_bytes()
        if not data.startswith(b"%PDF") or b"/FontFile" not in data:
            raise SelfTestFailed("PDF 未嵌入字体或文件不完整")
        return f"{len(lines)} 行，{len(data) // 1024} KB"


def _say(text: str) -> None:
    stream = sys.stdout
    if stream is None:  # windowed build started without a console
        return
    try:
        print(text, file=stream, flush=True)
    except UnicodeEncodeError:
        # A console or pipe in a legacy code page: still report, with the Chinese escaped.
        print(text.encode("ascii", "backslashreplace").decode("ascii"), file=stream, flush=True)
