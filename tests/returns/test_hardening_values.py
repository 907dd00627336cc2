"""Values read the way the department meant them: percent scale by column, merged amounts, formulas, hidden columns."""

from __future__ import annotations

from pathlib import Path

from app.returns.parse import parse_return
from app.returns.parsed import Severity
from tests.returns.workbooks import simple_return


def _progress(path: Path) -> dict[str, object]:
    parsed = parse_return(path)
    return {r.values.get("project_name"): r.values.get("progress_pct") for r in parsed.rows["progress"]}


def test_a_progress_column_in_points_reads_a_stray_half_as_half_a_percent_with_a_warning(tmp_path: Path) -> None:
    rows = [["P1", "一", 1, 1, 1, 30, None], ["P2", "二", 1, 1, 1, 60, None], ["P3", "三", 1, 1, 1, 99.5, None],
            ["P4", "四", 1, 1, 1, 0.5, None]]  # fmt: skip
    path = simple_return(tmp_path / "points.xlsx", rows)
    assert _progress(path) == {"一": 30.0, "二": 60.0, "三": 99.5, "四": 0.5}
    parsed = parse_return(path)
    [warning] = [p for p in parsed.problems if "百分点" in p.message]
    assert warning.severity is Severity.WARNING and (warning.row, warning.column) == (5, "F")


def test_a_progress_column_of_fractions_reads_every_value_as_a_fraction(tmp_path: Path) -> None:
    rows = [["P1", "一", 1, 1, 1, 0.3, None], ["P2", "二", 1, 1, 1, 1, None], ["P3", "三", 1, 1, 1, 0.5, None]]
    path = simple_return(tmp_path / "fractions.xlsx", rows)
    assert _progress(path) == {"一": 30.0, "二": 100.0, "三": 50.0}
    assert not [p for p in parse_return(path).problems if "百分点" in p.message]


def test_sums_and_arithmetic_over_cells_are_computed_exactly() -> None:
    from app.returns.formulas import evaluate

    cells = {(0, 0): 1.5, (1, 0): 2.25, (2, 0): 4.0, (0, 1): 10.0}

    def value_at(r: int, c: int) -> float | None:
        return cells.get((r, c), 0.0)

    assert evaluate("=SUM(A1:A3)", value_at) == 7.75
    assert evaluate("SUM(A1:A3)-B1/4+$A$1*2", value_at) == 7.75 - 2.5 + 3.0
    assert evaluate("=(A1+A2)*-2", value_at) == -7.5
    assert evaluate("=A1/0", value_at) is None
    assert evaluate("=AVERAGE(A1:A3)", value_at) is None
    assert evaluate("=Sheet2!A1", value_at) is None


def test_an_amount_merged_over_two_projects_is_a_warning_naming_the_cells(tmp_path: Path) -> None:
    import openpyxl

    rows = [["P1", "一", 100, 10, 50, 30, None], ["P2", "二", 100, None, 50, 30, None]]
    path = simple_return(tmp_path / "merged.xlsx", rows)
    wb = openpyxl.load_workbook(path)
    wb.active.merge_cells("D2:D3")  # type: ignore[union-attr]
    wb.save(path)
    parsed = parse_return(path)
    [warning] = [p for p in parsed.problems if "合并单元格" in p.message]
    assert "D2:D3" in warning.message and (warning.row, warning.column) == (2, "D")


def test_a_hidden_column_is_read_with_a_warning(tmp_path: Path) -> None:
    import openpyxl

    path = simple_return(tmp_path / "hidden.xlsx", [["P1", "一", 100, 10, 50, 30, None]])
    wb = openpyxl.load_workbook(path)
    wb.active.column_dimensions["E"].hidden = True  # type: ignore[union-attr]
    wb.save(path)
    parsed = parse_return(path)
    [warning] = [p for p in parsed.problems if "隐藏列" in p.message]
    assert warning.column == "E" and warning.severity is Severity.WARNING
    assert parsed.rows["progress"][0].values["investment_cumulative"] == 50.0


def _ods(path: Path, rows: list[list[object]]) -> Path:
    """A minimal OpenDocument spreadsheet written by hand (what LibreOffice and WPS save as .ods)."""
    import zipfile

    def cell(v: object) -> str:
        if isinstance(v, int | float):
            return (
                f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p>'
                "</table:table-cell>"
            )
        return f'<table:table-cell office:value-type="string"><text:p>{v}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>" for r in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
        f'<office:spreadsheet><table:table table:name="项目进展">{body}</table:table></office:spreadsheet>'
        "</office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            '<manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
    return path


def test_an_ods_return_is_read_and_a_folder_lists_every_file_it_did_not_read(tmp_path: Path) -> None:
    from app.services.returns import collect_files, unread_files

    folder = tmp_path / "returns"
    folder.mkdir()
    _ods(folder / "省工信厅_2025年三季度.ods", [["项目编号", "项目名称", "累计完成投资（万元）"], ["P1", "一", 50]])
    (folder / "省商务厅.et").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    (folder / "说明.pdf").write_bytes(b"%PDF-1.4")
    (folder / "~$省工信厅.xlsx").write_bytes(b"x")
    (folder / "旧报表").mkdir()
    files, missing = collect_files([folder])
    assert sorted(p.name for p in files) == ["省商务厅.et", "省工信厅_2025年三季度.ods"] and missing == []
    lines = unread_files([folder])
    assert len(lines) == 3 and all(line.startswith("未读取：") for line in lines)
    assert any("说明.pdf" in line and "PDF" in line for line in lines)
    assert any("旧报表" in line and "子文件夹" in line for line in lines)
    ods = parse_return(folder / "省工信厅_2025年三季度.ods")
    assert ods.rows["progress"][0].values["investment_cumulative"] == 50.0
    et = parse_return(folder / "省商务厅.et")
    assert et.has_errors and "WPS" in et.problems[0].message


def test_a_coordination_column_under_an_unknown_title_is_read_by_meaning(tmp_path: Path) -> None:
    header = ["项目编号", "项目名称", "累计完成投资（万元）", "请省里帮忙协调的事"]
    path = simple_return(tmp_path / "meaning.xlsx", [["P1", "一", 5, "电力增容"]], header=header)
    parsed = parse_return(path)
    assert parsed.rows["progress"][0].values["coordination_needed"] == "电力增容"
    assert any("按含义读作" in p.message and p.column == "D" for p in parsed.problems)
    for title in ("需协调解决事项", "需省级协调事项", "需协调解决的问题", "需要协调的困难"):
        other = simple_return(tmp_path / f"{title}.xlsx", [["P1", "一", 5, "用地"]], header=[*header[:3], title])
        assert parse_return(other).rows["progress"][0].values["coordination_needed"] == "用地"


def test_an_unknown_column_with_content_waits_for_the_clerk_and_an_ignored_one_does_not(tmp_path: Path) -> None:
    from app.returns.parsed import UNMAPPED_COLUMN

    header = ["项目编号", "项目名称", "累计完成投资（万元）", "联系人", "空白列"]
    path = simple_return(tmp_path / "unknown.xlsx", [["P1", "一", 5, "张三", None]], header=header)
    parsed = parse_return(path)
    assert parsed.unmapped_columns == [("项目进展", "联系人", "progress", "D")]
    [problem] = [p for p in parsed.problems if p.code == UNMAPPED_COLUMN]
    assert problem.severity is Severity.WARNING and problem.column == "D"
    ignored = parse_return(path, column_choices={("项目进展", "联系人"): ""})
    assert ignored.unmapped_columns == [] and not [p for p in ignored.problems if p.code == UNMAPPED_COLUMN]
    mapped = parse_return(path, column_choices={("项目进展", "联系人"): "problems"})
    assert mapped.rows["progress"][0].values["problems"] == "张三"
