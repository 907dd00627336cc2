"""A clerk's reporting period end to end through the CLI: templates out, messy returns in, every output checked."""

from __future__ import annotations

import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import docx
import openpyxl
import pytest

from tests.e2e.journey import (
    CAC,
    COORDINATION,
    LAGGING_PROBLEM,
    MIIT,
    NDRC,
    TELECOM,
    Journey,
    copy_summary_sheet,
    run_journey,
)


@pytest.fixture(scope="module")
def journey(tmp_path_factory: pytest.TempPathFactory, qapp: object) -> Iterator[Journey]:
    """The whole period, run once for this module (qapp first: the PDF renderers then reuse the QApplication)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TAIZHANG_HOME", str(tmp_path_factory.mktemp("home")))
        yield run_journey(tmp_path_factory.mktemp("journey"))


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", out)


def squeeze(text: str) -> str:
    """Drop layout whitespace so words broken across table lines still match."""
    return "".join(text.split())


def docx_text(path: Path) -> str:
    """Paragraphs and table cells in the order a reader meets them."""
    document = docx.Document(str(path))
    parts: list[str] = []
    for block in document.element.body.iterchildren():
        if block.tag.endswith("}p"):
            parts.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
        elif block.tag.endswith("}tbl"):
            parts.extend(t.text or "" for t in block.iter() if t.tag.endswith("}t"))
    return "\n".join(parts)


# --- setting up ----------------------------------------------------------------------------------------------


def test_init_creates_the_database(journey: Journey) -> None:
    assert journey.steps["init"].code == 0
    assert "已就绪" in journey.steps["init"].out


def test_templates_go_to_every_department_that_owes_a_return(journey: Journey) -> None:
    step = journey.steps["template"]
    assert step.code == 0
    names = sorted(p.name for p in journey.templates.glob("*.xlsx"))
    assert names == sorted(f"{d}_2025年第三季度.xlsx" for d in (MIIT, NDRC, TELECOM, CAC))
    assert "共导出模板 4 份" in step.out


def test_indicator_only_department_gets_an_indicator_sheet_and_no_project_rows(journey: Journey) -> None:
    wb = openpyxl.load_workbook(journey.templates / f"{CAC}_2025年第三季度.xlsx")
    assert "指标数据" in wb.sheetnames
    assert "项目进展" not in wb.sheetnames  # nothing to report there: no empty sheet to puzzle over


# --- returns in ----------------------------------------------------------------------------------------------


def test_dry_run_reports_the_credit_code_slip_with_its_place(journey: Journey) -> None:
    step = journey.steps["dry_run"]
    assert step.code == 1
    line = next(line for line in step.out.splitlines() if "校验位不符" in line)
    assert "工作表 新增计划成员" in line and "第 5 行" in line and "C 列" in line and "吉林省乙信息有限公司" in line


def test_dry_run_writes_nothing(journey: Journey) -> None:
    assert "数据库未作改动" in journey.steps["dry_run"].out
    assert journey.counts["after_dry_run"] == journey.counts["before"]


def test_import_takes_the_good_file_and_refuses_the_bad_one_whole(journey: Journey) -> None:
    step = journey.steps["import"]
    assert step.code == 1
    assert f"{TELECOM}_2025年第三季度.xlsx：已导入" in step.out
    assert f"{MIIT}_2025年第三季度.xlsx：未导入" in step.out
    before, after = journey.counts["before"], journey.counts["after_import"]
    assert after["returns"] - before["returns"] == 1
    assert after["programme_members"] == before["programme_members"]  # the good member of the refused file too


def test_chase_list_says_a_refused_return_must_be_sent_again(journey: Journey) -> None:
    out = journey.steps["missing_after_refusal"].out
    refused = out[out.index("报表未通过校验（") :]
    assert MIIT in refused and "校验位" in refused
    assert MIIT not in out[out.index("未报送（") : out.index("报表未通过校验（")]


def test_corrected_messy_return_imports_with_its_values_converted(journey: Journey) -> None:
    step = journey.steps["import_fixed"]
    assert step.code == 0, step.text
    assert "已导入" in step.out and "项目 2 行、计划成员 2 个" in step.out
    assert journey.counts["after_fixed"]["progress_entries"] == journey.counts["after_import"]["progress_entries"] + 2


def test_same_file_again_changes_nothing_and_says_so(journey: Journey) -> None:
    step = journey.steps["import_again"]
    assert step.code == 0
    assert "已导入过" in step.out and "不会重复导入" in step.out
    assert journey.counts["after_again"] == journey.counts["after_fixed"]


def test_corrected_return_supersedes_and_shows_what_changed(journey: Journey) -> None:
    step = journey.steps["corrected"]
    assert step.code == 0, step.text
    assert "已替换此前导入的报表" in step.out
    assert "累计完成投资 3000 → 3600" in step.out
    assert "形象进度 30 → 35" in step.out


# --- who has not returned ------------------------------------------------------------------------------------


def test_missing_lists_exactly_the_departments_that_did_not_return(journey: Journey) -> None:
    step = journey.steps["missing"]
    assert step.code == 0
    listed = [line for line in step.out.splitlines() if line.startswith("  ")]
    assert any(NDRC in line for line in listed) and any(CAC in line for line in listed)
    assert not any(MIIT in line or TELECOM in line for line in listed)
    assert "应报 4 个单位，已报 2 个" in step.out


# --- outputs -------------------------------------------------------------------------------------------------


def test_summary_shows_the_returned_figures(journey: Journey) -> None:
    assert journey.steps["summary"].code == 0
    rows = {r[1]: r for r in copy_summary_sheet(journey.root / "汇总.xlsx") if len(r) > 1 and r[1]}
    assert list(rows["ZD01"][4:8]) == [50000, 1200, 3500, 60]
    assert list(rows["ZD02"][5:8]) == [800, 5000, 45]
    assert list(rows["ZD06"][6:8]) == [3600, 35]  # the corrected return, not the superseded one
    assert rows["ZD01"][13] == COORDINATION


def test_summary_subtotals_add_up_each_task_and_the_total_adds_up_all(journey: Journey) -> None:
    sheet = copy_summary_sheet(journey.root / "汇总.xlsx")
    labels = [r[2] for r in sheet if isinstance(r[2], str) and r[2].startswith(("小计", "合计"))]
    assert len(labels) == 3, labels  # two task groups and the grand total
    rows = {r[2]: list(r[4:7]) for r in sheet if r[2] in labels}
    platform, cloud, total = rows["小计（1 个项目）"], rows["小计（7 个项目）"], rows["合计（8 个项目）"]
    assert cloud == [50000 + 12000 + 8000, 1200 + 800, 3500 + 5000]
    assert platform[2] == 3600  # ZD06, moved to 三(三)1; only its corrected cumulative figure
    assert total == [50000 + 12000 + 8000, 1200 + 800, 3500 + 5000 + 3600]


def test_indicator_list_judges_the_returned_figure_against_both_documents(journey: Journey) -> None:
    step = journey.steps["indicators"]
    assert step.code == 0
    lines = [line for line in step.out.splitlines() if "2025年第三季度" in line]
    # The documents' own words (达到 / 达…以上), and the 2015 target listed beside the one reported against.
    assert any("目标 2020年达到75%" in line and "不作报告口径" in line and "【滞后】" in line for line in lines)
    assert any("目标 2020年达55%以上" in line and "【达标】" in line for line in lines)


def test_report_pdf_carries_problems_lagging_project_and_missing_departments(journey: Journey) -> None:
    assert journey.steps["report_pdf"].code == 0, journey.steps["report_pdf"].text
    text = squeeze(pdf_text(journey.root / "r.pdf"))
    # rindex: the contents page names the sections first
    lagging = text[text.rindex("四、滞后项目") : text.rindex("五、需协调解决的问题")]
    # Table cells wrap, so look for the codes and the first words of the reason the department gave.
    assert "ZD02" in lagging and LAGGING_PROBLEM[:6] in lagging
    assert "ZD03" in lagging and "主体完工" in lagging  # the overdue milestone
    assert COORDINATION in text
    missing = text[text.rindex("六、未报送单位") :]
    assert NDRC in missing and CAC in missing and MIIT not in missing.split("附录")[0]


def test_report_docx_says_the_same(journey: Journey) -> None:
    assert journey.steps["report_docx"].code == 0
    text = squeeze(docx_text(journey.root / "r.docx"))
    assert squeeze(LAGGING_PROBLEM) in text and COORDINATION in text
    missing = text[text.rindex("六、未报送单位") :].split("附录")[0]
    assert NDRC in missing and CAC in missing


def test_report_counts_the_same_departments_as_missing(journey: Journey) -> None:
    text = squeeze(pdf_text(journey.root / "r.pdf"))
    assert "本期应报送单位4个,已报送2个" in text


def test_gantt_pdf_shows_the_lead_projects(journey: Journey) -> None:
    step = journey.steps["gantt"]
    assert step.code == 0, step.text
    text = pdf_text(journey.root / "g.pdf")
    assert "中石油吉林数据中心" in text and "第 1 页" in text.replace("第1页", "第 1 页")


def test_restore_brings_back_the_backup(journey: Journey) -> None:
    assert journey.steps["backup"].code == 0
    assert journey.steps["record_after_backup"].code == 0
    assert journey.steps["restore"].code == 0, journey.steps["restore"].text
    assert journey.counts["before_restore"]["indicator_actuals"] == journey.counts["at_backup"]["indicator_actuals"] + 1
    assert journey.counts["after_restore"] == journey.counts["at_backup"]
