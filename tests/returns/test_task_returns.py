"""Task rows of returns: matching as clerks write tasks, the template round trip, bad input, supersede, withdraw."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from app.returns.task_match import normalise_code, split_code, title_score
from app.returns.task_rows import completion_of
from app.services import returns as return_service
from app.services import supervision
from app.services.templates import export_templates
from app.storage.db import Database
from tests.e2e.test_supervision_quarter import MIIT, MIIT_ROWS, own_layout_return

PERIOD = "2025-Q3"


@pytest.mark.parametrize(
    ("written", "code"),
    [("二(一)1", "二(一)1"), ("（二（一）1）", "二(一)1"), (" 二 ( 一 ) 1 ", "二(一)1"), ("三(四)", "三(四)"),
     ("三网融合", ""), ("1.发展工业互联网", "")],
)  # fmt: skip
def test_codes_are_read_however_clerks_write_them(written: str, code: str) -> None:
    assert normalise_code(written) == code


def test_a_code_at_the_head_of_the_task_text_is_split_off() -> None:
    assert split_code("（二（一）1）推进智能网联汽车发展") == ("二(一)1", "推进智能网联汽车发展")


def test_titles_match_without_quotes_numbers_or_with_the_tasks_text() -> None:
    assert title_score("推进吉林一号大数据综合应用", "推进“吉林一号”大数据综合应用") == 1.0
    assert title_score("4.发展数字家庭产品", "发展数字家庭产品") == 1.0
    assert title_score("推进智能网联汽车发展，加快示范区建设", "推进智能网联汽车发展") == 0.95
    assert title_score("推进区块链产业发展", "推进光电显示产业发展") < 0.75


@pytest.mark.parametrize(
    ("written", "state"),
    [("按时推进", "按时推进"), ("正常推进", "按时推进"), ("进度滞后", "滞后"), ("已办结", "已完成"),
     ("未完成", None), ("", ""), ("见附件", None)],
)  # fmt: skip
def test_completion_is_folded_to_the_three_states(written: str, state: str | None) -> None:
    assert completion_of(written) == state


def _import(db: Database, path: Path, *, strict: bool = False) -> return_service.FilePreview:
    [item] = return_service.preview(db, [path], strict=strict)
    if item.importable:
        [outcome] = return_service.commit(db, [item])
        assert outcome.ok, outcome
    return item


def test_the_template_task_sheet_comes_back_filled_in(db: Database, tmp_path: Path) -> None:
    car = next(p for p in supervision.load_parts(db, department=MIIT) if p.task_code == "二(一)1")
    edit = supervision.PartEdit({"responsible_person": "张处长", "contact_person": "李科员"}, {2025: "示范区二期"})
    supervision.save_part(db, car.part_id, car.version, edit)
    [written] = export_templates(db, PERIOD, tmp_path, department=MIIT)
    assert written.tasks == 15
    wb = openpyxl.load_workbook(written.path)
    ws = wb["重点任务进展"]
    assert [ws.cell(row=4, column=c).value for c in (1, 4, 5)] == [
        "二(一)1",
        "示范区二期",
        "责任人：张处长\n联系人：李科员",
    ]
    ws.cell(row=4, column=6, value="示范区二期完成")
    ws.cell(row=4, column=10, value="按时推进")
    ws.cell(row=5, column=6, value="卫星接入推迟")
    ws.cell(row=5, column=10, value="滞后")
    wb.save(written.path)
    item = _import(db, written.path)
    assert item.validated.warnings == [] and len(item.validated.tasks) == 2
    states = {p.task_code: p.state for p in supervision.load_parts(db, PERIOD, department=MIIT)}
    assert (states["二(一)1"], states["二(一)2"], states["二(一)3"]) == ("按时推进", "滞后", "未报送")


def test_another_departments_task_is_shown_with_its_owner_and_not_attached(db: Database, tmp_path: Path) -> None:
    path = own_layout_return(
        tmp_path / "工信厅.xlsx", [*MIIT_ROWS, ("推动“互联网+民生服务”发展", "教育云平台上线", "", "按时推进")]
    )
    item = _import(db, path)
    [warning] = [w for w in item.validated.warnings if "不是省工业和信息化厅负责的任务" in w.message]
    assert "省教育厅" in warning.message and warning.row == 9 and warning.column == "B"
    owners = supervision.load_parts(db, PERIOD, task="二(二)3")
    assert all(p.state == "未报送" for p in owners)  # 省教育厅 and the others: nothing attached
    assert len(item.validated.tasks) == 5


def test_code_and_title_that_disagree_are_not_guessed(db: Database, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([f"填报单位：{MIIT}", None, "报告期：2025年第三季度"])
    ws.append(["任务编号", "重点任务", "本期进展情况", "完成情况"])
    ws.append(["二(一)1", "发展工业互联网", "新增基站", "按时推进"])
    wb.save(tmp_path / "冲突.xlsx")
    item = _import(db, tmp_path / "冲突.xlsx", strict=True)
    assert not item.importable
    assert any("编号 二(一)1 是“推进智能网联汽车发展”" in p.message for p in item.validated.problems)


def test_a_department_without_parts_sending_a_task_sheet_is_refused(db: Database, tmp_path: Path) -> None:
    from app.storage.models import Department

    with db.session() as s:  # every department the portfolio names has parts: a clerk added this one
        s.add(Department(name="省统计局", sort_order=999))
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["填报单位：省统计局", None, "报告期：2025年第三季度"])
    ws.append(["重点任务", "工作进展", "完成情况"])
    ws.append(["推进智能网联汽车发展", "配合统计", "按时推进"])
    wb.save(tmp_path / "统计局.xlsx")
    item = return_service.preview(db, [tmp_path / "统计局.xlsx"])[0]  # the 填报单位 line names it
    assert not item.importable
    assert item.validated.department is not None and item.validated.department.name == "省统计局"


def test_a_second_return_supersedes_the_task_rows_and_withdrawing_it_brings_the_first_back(
    db: Database, tmp_path: Path
) -> None:
    _import(db, own_layout_return(tmp_path / "工信厅_v1.xlsx", MIIT_ROWS))
    changed = [(t, "示范区三期启动" if t.startswith("（二（一）1）") else p, q, s) for t, p, q, s in MIIT_ROWS]
    second = _import(db, own_layout_return(tmp_path / "工信厅_v2.xlsx", changed))
    assert "任务 二(一)1 推进智能网联汽车发展：本期进展情况" in second.pending_changes
    car = next(p for p in supervision.load_parts(db, PERIOD, department=MIIT) if p.task_code == "二(一)1")
    assert car.progress is not None and car.progress.progress_text == "示范区三期启动"
    overview = return_service.period_overview(db, PERIOD)
    current = next(r for r in overview.history if r.file_name == "工信厅_v2.xlsx")
    return_service.withdraw(db, current.return_id)
    car = next(p for p in supervision.load_parts(db, PERIOD, department=MIIT) if p.task_code == "二(一)1")
    assert car.progress is not None and car.progress.file_name == "工信厅_v1.xlsx"


def test_heading_rows_of_a_departments_own_table_are_not_taken_for_tasks(db: Database, tmp_path: Path) -> None:
    rows = [("（一）提升信息消费供给能力", "", "", ""), *MIIT_ROWS[:2]]
    item = _import(db, own_layout_return(tmp_path / "工信厅.xlsx", rows))
    assert item.validated.warnings == [] and len(item.validated.tasks) == 2
