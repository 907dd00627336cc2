"""A quarter of task supervision from a fresh install, through the CLI: templates for the departments the 2018
plan names, a department's own-layout task return imported, then 催报, the summary and the report carry it."""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from app.cli import main
from app.services.supervision import load_parts
from app.storage.db import Database

PERIOD, LABEL = "2025-Q3", "2025年第三季度"
MIIT = "省工业和信息化厅"
TRANSPORT = "省交通运输厅"
CAR_PROGRESS = "一汽智能网联示范区二期道路完成改造"
SAT_PROBLEM = "卫星数据接口标准尚未统一"


def _cli(db: Path, *argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*argv[:1], "--db", str(db), *argv[1:]])
    return code, out.getvalue() + err.getvalue()


def own_layout_return(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    """工信厅's own form: a title, a 填报单位 line, its own column titles, tasks typed as clerks type them."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Sheet1"
    ws.append([f"{MIIT}落实信息消费实施意见重点任务推进情况"])
    ws.merge_cells("A1:F1")
    ws.append([f"填报单位（盖章）：{MIIT}", None, None, f"报告期：{LABEL}"])
    ws.append(["序号", "工作任务", "工作推进情况", "存在困难", "下一步打算", "完成状态"])
    for n, (task, progress, problem, state) in enumerate(rows, start=1):
        ws.append([n, task, progress, problem, "继续推进" if progress else None, state])
    wb.save(path)
    return path


MIIT_ROWS = [
    ("（二（一）1）推进智能网联汽车发展", CAR_PROGRESS, "", "正常推进"),
    ("推进吉林一号大数据综合应用", "完成两颗卫星数据接入", SAT_PROBLEM, "滞后"),  # no quotes, no code
    ("二(一)3", "光电显示基地一期投产", "", "已完成"),  # the code alone
    ("4.发展数字家庭产品", "推广数字家庭产品2万套", "", "按时推进"),
    ("“发展工业互联网”", "NB-IoT 基站新增300个", "", "按时推进"),
]


@pytest.fixture(scope="module")
def quarter(tmp_path_factory: pytest.TempPathFactory, seeded_template: Path) -> dict[str, object]:
    root = tmp_path_factory.mktemp("supervision")
    db = root / "taizhang.db"
    db.write_bytes(seeded_template.read_bytes())
    steps: dict[str, object] = {"root": root, "db": db}
    steps["init"] = _cli(db, "init")
    steps["template"] = _cli(db, "template", "--period", PERIOD, "--out", str(root / "模板"))
    bad = own_layout_return(root / "工信厅_错填.xlsx", [*MIIT_ROWS, ("推进区块链产业发展", "已调研", "", "按时推进")])
    steps["strict"] = _cli(db, "import", str(bad), "--strict")
    good = own_layout_return(root / "工信厅_重点任务.xlsx", MIIT_ROWS)
    steps["import"] = _cli(db, "import", str(good))
    steps["missing"] = _cli(db, "missing", "--period", PERIOD)
    steps["summary"] = _cli(db, "summary", "--period", PERIOD, "--out", str(root / "汇总.xlsx"))
    steps["report"] = _cli(db, "report", "--period", PERIOD, "--out", str(root / "report.pdf"))
    return steps


def test_template_is_written_for_every_department_the_2018_plan_names(quarter: dict[str, object]) -> None:
    code, text = quarter["template"]  # type: ignore[misc]
    assert code == 0, text
    folder = Path(str(quarter["root"])) / "模板"
    # 20 bodies named in the plan, answering since the 2018 reform as 18 (省卫生健康委员会, 省文化和旅游厅 …).
    assert len(list(folder.glob("*.xlsx"))) == 18
    wb = openpyxl.load_workbook(folder / f"{MIIT}_{LABEL}.xlsx")
    ws = wb["重点任务进展"]
    titles = [ws.cell(row=r, column=2).value for r in range(4, ws.max_row + 1)]
    assert len(titles) == 15 and titles[0] == "推进智能网联汽车发展"
    headers = [c.value for c in ws[3]]
    assert headers[3:5] == ["年度任务目标", "工作责任人及联系人"]
    assert headers[5:] == ["本期进展情况", "存在问题", "需协调解决的问题", "下步工作计划", "完成情况"]
    (validation,) = [v for v in ws.data_validations.dataValidation if v.type == "list"]
    assert validation.formula1 == '"按时推进,滞后,已完成"'


def test_a_row_matching_none_of_the_departments_tasks_is_shown_with_candidates_and_strict_refuses(
    quarter: dict[str, object],
) -> None:
    code, text = quarter["strict"]  # type: ignore[misc]
    assert code == 1
    assert "任务“推进区块链产业发展”不是省工业和信息化厅负责的任务" in text
    assert "本单位最相近的任务" in text


def test_own_layout_task_return_is_matched_to_the_departments_parts(quarter: dict[str, object]) -> None:
    code, text = quarter["import"]  # type: ignore[misc]
    assert code == 0, text
    assert "重点任务 5 项" in text
    db = Database(Path(str(quarter["db"])))
    try:
        parts = {p.task_code: p for p in load_parts(db, PERIOD, department=MIIT)}
        transport = {p.task_code: p for p in load_parts(db, PERIOD, department=TRANSPORT)}
    finally:
        db.dispose()
    assert parts["二(一)1"].progress is not None and parts["二(一)1"].progress.progress_text == CAR_PROGRESS
    assert (parts["二(一)1"].state, parts["二(一)2"].state, parts["二(一)3"].state) == ("按时推进", "滞后", "已完成")
    assert parts["二(二)1"].progress is not None  # “发展工业互联网” with the document's quotes
    assert parts["二(一)5"].state == "未报送"
    # 交通运输厅 shares 二(一)1 but reported nothing: the row stayed 工信厅's.
    assert transport["二(一)1"].state == "未报送"


def test_missing_names_the_2018_departments_that_have_not_returned(quarter: dict[str, object]) -> None:
    code, text = quarter["missing"]  # type: ignore[misc]
    assert code == 0, text
    assert "应报 18 个单位，已报 1 个" in text
    assert TRANSPORT in text and "重点任务 1 项" in text
    assert f"{MIIT}：尚未报送" not in text


def test_summary_carries_the_task_ledger(quarter: dict[str, object]) -> None:
    code, text = quarter["summary"]  # type: ignore[misc]
    assert code == 0, text
    wb = openpyxl.load_workbook(Path(str(quarter["root"])) / "汇总.xlsx")
    ws = wb["重点任务推进台账"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    car = [r for r in rows if r[3] == MIIT and r[6] == CAR_PROGRESS]
    assert car and car[0][10] == "按时推进"
    assert any(r[3] == TRANSPORT and r[6] == "（本期未报送）" for r in rows)


def test_report_prints_each_departments_progress_on_the_tasks(quarter: dict[str, object]) -> None:
    code, text = quarter["report"]  # type: ignore[misc]
    assert code == 0, text
    pdf = Path(str(quarter["root"])) / "report.pdf"
    raw = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    flat = "".join(unicodedata.normalize("NFKC", raw).split())
    assert "分工任务推进情况" in flat
    assert CAR_PROGRESS in flat
    # A sentence may run over a page break: read it without the running header and the page numbers.
    body = re.sub(r"—\d+—|内部资料注意保存|吉林省互联网经济与信息消费联席会议2025年第三季度", "", flat)
    assert "本期未报送:省交通运输厅" in body
    assert SAT_PROBLEM in flat
