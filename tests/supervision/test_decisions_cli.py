"""`taizhang decisions` and `taizhang circular` as a clerk types them: output, Chinese refusals, exit codes."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.cli import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_add_prints_the_new_id_and_list_shows_its_light(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    soon = (date.today() + timedelta(days=3)).isoformat()
    code, out, _ = run(
        capsys, "decisions", "add", "--db", str(db_path), "--text", "制定5G覆盖方案",
        "--department", "省通信管理局", "--department", "省工信厅", "--due", soon,
    )  # fmt: skip
    assert code == EXIT_OK and out.strip() == "1"
    code, out, _ = run(capsys, "decisions", "list", "--db", str(db_path), "--open")
    assert code == EXIT_OK
    assert "[1] 黄灯 办理中" in out and "省通信管理局、省工业和信息化厅" in out and "制定5G覆盖方案" in out


def test_overdue_list_and_close_then_close_again(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    past = (date.today() - timedelta(days=5)).isoformat()
    run(capsys, "decisions", "add", "--db", str(db_path), "--text", "甲", "--department", "省商务厅", "--due", past)
    code, out, _ = run(capsys, "decisions", "list", "--db", str(db_path), "--overdue", "--department", "省商务厅")
    assert code == EXIT_OK and "红灯" in out and "逾期 5 天" in out
    code, out, _ = run(
        capsys, "decisions", "close", "1", "--db", str(db_path), "--note", "已办结", "--evidence", "文号"
    )
    assert code == EXIT_OK and "已办结销号" in out
    code, _, err = run(capsys, "decisions", "close", "1", "--db", str(db_path), "--note", "再次")
    assert code == EXIT_REFUSED and "未作改动" in err
    code, out, _ = run(capsys, "decisions", "list", "--db", str(db_path), "--overdue")
    assert code == EXIT_OK and "没有符合条件的议定事项" in out


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--text", "甲", "--due", "2025-12-01"], "至少一个责任单位"),
        (["--text", "甲", "--department", "省商务厅"], "完成时限"),
        (["--text", "甲", "--department", "通信局", "--due", "2025-12-01"], "相近的单位有：省通信管理局"),
        (["--text", "甲", "--department", "省商务厅", "--due", "下个月"], "完成时限无法识别"),
    ],
)
def test_bad_decisions_are_refused_in_chinese(
    db_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], said: str
) -> None:
    code, out, err = run(capsys, "decisions", "add", "--db", str(db_path), *args)
    assert code == EXIT_REFUSED and said in err and out == ""


def test_usage_errors_exit_2(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "decisions", "close", "1", "--db", str(db_path))
    assert code == EXIT_USAGE and "--note" in err
    code, _, err = run(capsys, "decisions", "close", "99", "--db", str(db_path), "--note", "x")
    assert code == EXIT_REFUSED and "不存在" in err


def test_circular_refuses_other_file_types(db_path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(
        capsys, "circular", "--db", str(db_path), "--period", "2025-Q3", "--out", str(tmp_path / "a.txt")
    )
    assert code == EXIT_REFUSED and ".docx 或 .pdf" in err
    code, _, err = run(capsys, "circular", "--db", str(db_path), "--period", "2025Q9", "--out", str(tmp_path / "a.pdf"))
    assert code == EXIT_REFUSED and "报告期" in unicodedata.normalize("NFKC", err)
