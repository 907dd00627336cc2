"""Returns that are really HTML tables or Excel 2003 XML, saved under an .xls name."""

from __future__ import annotations

from pathlib import Path

from app.returns.parse import parse_return
from app.returns.parsed import Severity
from app.returns.read import Limits, read_workbook

HTML = """<html xmlns:x="urn:schemas-microsoft-com:office:excel">
<head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>
<table border=1>
<tr><td colspan=4>2025年第三季度重点项目进展情况表</td></tr>
<tr><td colspan=2>填报单位：省工业和信息化厅（盖章）</td><td colspan=2>报告期：2025年第三季度</td></tr>
<tr><td rowspan=2>项目名称</td><td colspan=2>投资情况（亿元）</td><td rowspan=2>形象进度</td></tr>
<tr><td>总投资</td><td>累计完成</td></tr>
<tr><td>长春数据中心</td><td>1.2</td><td>0.35</td><td>60%</td></tr>
<tr style="display:none"><td>吉林云平台</td><td>2</td><td>0.5</td><td>30%</td></tr>
<tr><td>合计</td><td>3.2</td><td>0.85</td><td></td></tr>
</table></body></html>"""

SPREADSHEETML = """<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="项目进展">
  <Table>
   <Row><Cell ss:MergeAcross="2"><Data ss:Type="String">填报单位：省发展改革委</Data></Cell></Row>
   <Row><Cell><Data ss:Type="String">项目名称</Data></Cell>
        <Cell><Data ss:Type="String">累计完成投资（万元）</Data></Cell>
        <Cell><Data ss:Type="String">形象进度</Data></Cell></Row>
   <Row><Cell><Data ss:Type="String">数据中心</Data></Cell><Cell><Data ss:Type="Number">1200</Data></Cell>
        <Cell ss:Index="3"><Data ss:Type="Number">0.6</Data></Cell></Row>
   <Row ss:Hidden="1"><Cell><Data ss:Type="String">云平台</Data></Cell>
        <Cell><Data ss:Type="Number">300</Data></Cell></Row>
  </Table>
 </Worksheet>
</Workbook>"""


def test_html_table_saved_as_xls_is_read_with_spans_and_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_bytes(HTML.encode("gbk"))
    parsed = parse_return(path)
    assert [p.message for p in parsed.problems if p.severity is Severity.ERROR] == []
    assert parsed.department == "省工业和信息化厅" and parsed.period_key == "2025-Q3"
    values = [r.values for r in parsed.rows["progress"]]
    assert values == [
        {
            "project_name": "长春数据中心",
            "planned_investment": 12000.0,
            "investment_cumulative": 3500.0,
            "progress_pct": 60.0,
        },
        {
            "project_name": "吉林云平台",
            "planned_investment": 20000.0,
            "investment_cumulative": 5000.0,
            "progress_pct": 30.0,
        },
    ]
    messages = [p.message for p in parsed.warnings]
    assert any("网页（HTML）格式" in m for m in messages)
    assert any("隐藏行" in m for m in messages)


def test_spreadsheetml_saved_as_xls_is_read(tmp_path: Path) -> None:
    path = tmp_path / "省发改委_2025年三季度.xls"
    path.write_text(SPREADSHEETML, encoding="utf-8")
    result = read_workbook(path)
    assert result.workbook is not None and result.workbook.reader == "spreadsheetml"
    assert result.workbook.sheets[0].merged == [(0, 0, 0, 2)]
    parsed = parse_return(path)
    assert parsed.department == "省发展改革委"
    assert [r.values for r in parsed.rows["progress"]] == [
        {"project_name": "数据中心", "investment_cumulative": 1200.0, "progress_pct": 60.0},
        {"project_name": "云平台", "investment_cumulative": 300.0},
    ]


def test_spreadsheetml_with_a_dtd_is_refused_not_expanded(tmp_path: Path) -> None:
    path = tmp_path / "laughs.xls"
    bomb = SPREADSHEETML.replace(
        '<?mso-application progid="Excel.Sheet"?>', '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
    ).replace("数据中心", "&b;")
    path.write_text(bomb, encoding="utf-8")
    result = read_workbook(path)
    assert result.workbook is None and "损坏" in result.problems[0].message


def test_html_with_huge_spans_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wide.xls"
    path.write_text("<html><table>" + "<tr><td colspan=100 rowspan=100>x</td></tr>" * 20 + "</table></html>")
    result = read_workbook(path, Limits(max_cells=100_000))
    assert result.workbook is None and "范围过大" in result.problems[0].message
