"""Every file a clerk can ask for goes through the one write guard: the same three Chinese messages everywhere.

Each writer (summary, templates, chasing list and notice, indicator table and chart, the meeting material as PDF
and Word, the circular as PDF and Word, the Gantt chart as PDF and PNG, backups to the backup folder and to a
file the clerk chose) is made to fail at the moment the finished file replaces the old one, the way Windows
fails it: a sharing violation (winerror 32: Excel, WPS or a PDF reader holds the file), access denied (a
read-only folder), a full disk. The message must name the file and give the one reason; the old file must be
untouched and no temporary file left beside it.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from app.storage import files
from app.storage.db import Database
from app.storage.errors import KnownError
from app.storage.files import DENIED, DISK_FULL, LOCKED

PERIOD = "2025-Q3"


def _sharing_violation() -> OSError:
    exc = PermissionError(errno.EACCES, "The process cannot access the file because it is being used")
    exc.winerror = 32  # type: ignore[attr-defined]  # ERROR_SHARING_VIOLATION
    return exc


FAILURES: dict[str, tuple[Callable[[], OSError], str]] = {
    "locked": (_sharing_violation, LOCKED),
    "denied": (lambda: PermissionError(errno.EACCES, "Permission denied"), DENIED),
    "disk-full": (lambda: OSError(errno.ENOSPC, "No space left on device"), DISK_FULL),
}


def _summary(db: Database, db_path: Path, out: Path) -> Path:
    from app.services.summary import export_summary

    export_summary(db, PERIOD, out / "汇总表.xlsx")
    return out / "汇总表.xlsx"


def _templates(db: Database, db_path: Path, out: Path) -> Path:
    from app.services.templates import export_templates

    written = export_templates(db, PERIOD, out, overwrite=True)
    return written[0].path


def _chasing_list(db: Database, db_path: Path, out: Path) -> Path:
    from app.services.chasing import chasing_report

    chasing_report(db, PERIOD, xlsx_path=out / "催报名单.xlsx")
    return out / "催报名单.xlsx"


def _chasing_notice(db: Database, db_path: Path, out: Path) -> Path:
    from app.services.chasing import chasing_report

    chasing_report(db, PERIOD, notice_path=out / "催报通知.txt")
    return out / "催报通知.txt"


def _indicator_table(db: Database, db_path: Path, out: Path) -> Path:
    from app.services.indicators import export_indicator_table

    export_indicator_table(db, out / "指标表.xlsx", as_of=PERIOD)
    return out / "指标表.xlsx"


def _indicator_chart(db: Database, db_path: Path, out: Path) -> Path:
    from app.cli import main

    db.dispose()
    target = out / "指标图.png"
    code = main(["indicators", "chart", "--db", str(db_path), "--code", "ZB01", "--out", str(target)])
    if code != 0:  # main() prints a KnownError in Chinese and returns non-zero; raise it for the assertions
        raise KnownError(f"退出码 {code}")
    return target


def _report_pdf(db: Database, db_path: Path, out: Path) -> Path:
    from app.services.report import build_report
    from app.ui.report_render import export_pdf

    export_pdf(build_report(db, PERIOD, None), out / "会议材料.pdf")
    return out / "会议材料.pdf"


def _report_docx(db: Database, db_path: Path, out: Path) -> Path:
    from app.reports.docx_render import export_docx
    from app.services.report import build_report

    export_docx(build_report(db, PERIOD, None), out / "会议材料.docx")
    return out / "会议材料.docx"


def _circular_pdf(db: Database, db_path: Path, out: Path) -> Path:
    from app.services.circular import build_circular
    from app.ui.circular_render import export_circular_pdf

    export_circular_pdf(build_circular(db, PERIOD), out / "情况通报.pdf")
    return out / "情况通报.pdf"


def _circular_docx(db: Database, db_path: Path, out: Path) -> Path:
    from app.reports.circular_docx import export_circular_docx
    from app.services.circular import build_circular

    export_circular_docx(build_circular(db, PERIOD), out / "情况通报.docx")
    return out / "情况通报.docx"


_GANTT_READY: set[Path] = set()


def _gantt(kind: str) -> Callable[[Database, Path, Path], Path]:
    def write(db: Database, db_path: Path, out: Path) -> Path:
        from app.services import gantt as service
        from app.ui.gantt_export import PrintOptions, export_pdf, export_png
        from tests.gantt_sample import TODAY, add_sample_schedules

        if db_path not in _GANTT_READY:  # the second write (the failing one) reuses the schedules
            add_sample_schedules(db)
            _GANTT_READY.add(db_path)
        data = service.load_gantt(db, today=TODAY)
        target = out / f"甘特图.{kind}"
        if kind == "pdf":
            export_pdf(target, data, PrintOptions(printed_on=TODAY))
        else:
            export_png(target, data, PrintOptions(printed_on=TODAY), scale=0.3)  # small: only the file matters
        return target

    return write


def _backup_to_chosen_file(db: Database, db_path: Path, out: Path) -> Path:
    from app.services.file_backup import backup_database

    return backup_database(db, out / "台账备份.db")


def _backup_to_backup_folder(db: Database, db_path: Path, out: Path) -> Path:
    from app.storage.backup import backup_database

    return backup_database(db_path, "manual").path


WRITERS: dict[str, Callable[[Database, Path, Path], Path]] = {
    "summary.xlsx": _summary,
    "template.xlsx": _templates,
    "chasing-list.xlsx": _chasing_list,
    "chasing-notice.txt": _chasing_notice,
    "indicator-table.xlsx": _indicator_table,
    "indicator-chart.png": _indicator_chart,
    "report.pdf": _report_pdf,
    "report.docx": _report_docx,
    "circular.pdf": _circular_pdf,
    "circular.docx": _circular_docx,
    "gantt.pdf": _gantt("pdf"),
    "gantt.png": _gantt("png"),
    "backup-chosen.db": _backup_to_chosen_file,
    "backup-folder.db": _backup_to_backup_folder,
}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# The slow writers (a few seconds each on a loaded machine) are failed one way each, in turn; the rest every way.
SLOW = ["summary.xlsx", "template.xlsx", "indicator-chart.png", "report.pdf", "report.docx", "gantt.png"]
CASES = [(w, f) for w in WRITERS if w not in SLOW for f in FAILURES] + [
    (w, list(FAILURES)[n % len(FAILURES)]) for n, w in enumerate(SLOW)
]


@pytest.mark.parametrize(("writer", "failure"), CASES)
def test_a_failed_write_says_why_in_chinese_and_keeps_the_old_file(
    qapp,  # type: ignore[no-untyped-def]
    db: Database,
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    writer: str,
    failure: str,
) -> None:
    from app.paths import backup_dir

    make, reason = FAILURES[failure]
    out = tmp_path / "输出 文件夹"
    out.mkdir()
    write = WRITERS[writer]
    target = write(db, db_path, out)  # first a write that works: the "old" file a failure must not touch
    watched = backup_dir() if target.is_relative_to(backup_dir()) else out
    before = _snapshot(watched)
    assert target.is_file() and before
    real_replace = os.replace

    def failing_replace(src: str | os.PathLike[str], dst: str | os.PathLike[str], *args: object) -> None:
        if Path(dst).parent in (out, target.parent):
            raise make()
        real_replace(src, dst, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(files, "_is_windows", lambda: False)  # "access denied" is a folder's, not a lock
    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(KnownError) as caught:
        write(Database(db_path) if writer == "indicator-chart.png" else db, db_path, out)
    message = caught.value.message
    if writer == "indicator-chart.png":
        message = capsys.readouterr().err  # the CLI printed it
    if writer == "backup-folder.db":  # a new file each time: the name is not known before
        assert f"：{reason}" in message and ".db”" in message
    else:
        assert f"无法写入“{target.name}”：{reason}" in message
    assert "Permission denied" not in message and "No space" not in message and "Errno" not in message
    assert message.count("无法写入") == 1
    assert _snapshot(watched) == before, "the old file changed or a temporary file was left behind"
