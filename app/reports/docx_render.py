"""The meeting report as an editable Word file (python-docx): same content, order and page furniture as the PDF.

Clerks edit the report before a meeting, so everything stays real Word structure: GB/T 9704 styles
(``app.reports.docx_styles``: Normal, Title, Heading 1–3 with their east-Asian fonts), a TOC field, real tables
(header rows repeat on each page, column widths from ``app.reports.table_layout``), charts as pictures and
"— n —" PAGE fields at the outer corners. Each section of the layout is its own Word section, so the wide
ledger appendix can turn landscape as in the PDF. The Gantt appendix's pictures are drawn by the app's own
Gantt painter, which lives with Qt: the caller passes ``gantt_pages`` (``app.ui.report_gantt.gantt_png_pages``).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from docx import Document as new_document
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from app.reports import docx_styles as ds
from app.reports import typography as ty
from app.reports.charts import chart_png
from app.reports.content import (
    Chart,
    GanttSpec,
    Heading,
    Paragraph,
    ReportContent,
    Table,
    estimate_pages,
    layout,
    sections,
)
from app.reports.table_layout import column_widths
from app.storage.files import atomic_write

Progress = Callable[[int, int, str], None]
# (spec, width_cm, page height_cm, first page's height_cm) → one PNG per page
GanttPages = Callable[[GanttSpec, float, float, float], list[bytes]]

BODY_FONT = ty.DOCX_NAMES["body"]
HEADING_FONT = ty.DOCX_NAMES["h1"]
LATIN_FONT = ty.LATIN
CHART_DPI = 200
TABLE_STYLE = "Table Text"
NOTE_STYLE = "Note"
CELL_MARGIN_TWIPS = 57  # 0.1 cm: about the PDF's cell padding, which table_layout's widths allow for
GANTT_HEAD_CM = 2.4  # the appendix heading and note above the chart on its first page


def _styles(doc: Document) -> None:
    ds.apply_styles(doc)
    for name, size in ((TABLE_STYLE, ty.TABLE_PT), (NOTE_STYLE, ty.NOTE_PT)):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        ds.set_fonts(style, BODY_FONT, size)
        pf = style.paragraph_format
        pf.first_line_indent = Pt(0)
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE if name == TABLE_STYLE else WD_LINE_SPACING.MULTIPLE
        if name == NOTE_STYLE:
            pf.line_spacing = 1.3
            pf.space_after = Pt(4)
            style.font.color.rgb = RGBColor(0x33, 0x33, 0x33)


def _cover(doc: Document, content: ReportContent) -> None:
    c = content.cover

    def para(text: str, font: str, size: float, centre: bool = True, colour: RGBColor | None = None) -> None:
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(0)
        if centre:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        ds.set_fonts(run, font, size)
        if colour is not None:
            run.font.color.rgb = colour

    para(c.internal_line, HEADING_FONT, ty.HEADING_PT, centre=False)
    for _ in range(4):
        doc.add_paragraph()
    red = RGBColor(0xC0, 0, 0)
    para(c.organisation, ty.DOCX_NAMES["title"], ty.TITLE_PT, colour=red)
    if c.meeting_line:
        para(c.meeting_line, ty.DOCX_NAMES["title"], ty.TITLE_PT, colour=red)
    doc.add_paragraph()
    para(c.kind_line, ty.DOCX_NAMES["title"], 36)
    if c.meeting_title:
        para(c.meeting_title, BODY_FONT, ty.BODY_PT)
    for _ in range(3):
        doc.add_paragraph()
    if c.period_line:
        para(c.period_line, BODY_FONT, ty.BODY_PT)
    para(c.date_text, BODY_FONT, ty.BODY_PT)
    if content.attendees:
        para("参会单位：" + "、".join(content.attendees), BODY_FONT, ty.SMALL_TABLE_PT)


def _repeat_header(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _cell_text(doc: Document, para: DocxParagraph, text: str, size: float, bold_font: str | None = None) -> None:
    para._p.style = _style_id(doc, TABLE_STYLE)
    run = para.add_run(text)
    if size != ty.TABLE_PT:
        run.font.size = Pt(size)
    if bold_font is not None:
        ds.set_fonts(run, bold_font)


def _style_id(doc: Document, name: str) -> str:
    """The id of a paragraph style (looking styles up by name walks them all: too slow per table cell)."""
    cache: dict[str, str] = doc.__dict__.setdefault("_taizhang_style_ids", {})
    if name not in cache:
        cache[name] = doc.styles[name].style_id
    return cache[name]


def _table(doc: Document, table: Table, width_cm: float) -> None:
    if table.caption:
        cap = doc.add_paragraph(style=TABLE_STYLE)
        cap.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        cap.add_run(table.caption).font.size = Pt(ty.SMALL_TABLE_PT)
    size = max(ty.SMALL_TABLE_PT, ty.TABLE_PT * table.font_scale)
    width_pt = width_cm / 2.54 * 72
    widths = [Pt(w) for w in column_widths(table, width_pt, size)]
    t = doc.add_table(rows=1 + len(table.rows), cols=len(table.columns))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    _cell_margins(t._tbl.tblPr, CELL_MARGIN_TWIPS)
    for column, width in zip(t.columns, widths, strict=True):
        column.width = width  # the table grid: LibreOffice sizes columns from it, Word from the cells
    head = t.rows[0]
    _repeat_header(head)
    for i, name in enumerate(table.columns):
        cell = head.cells[i]
        cell.width = widths[i]
        para = cell.paragraphs[0]
        _cell_text(doc, para, name, size, HEADING_FONT)
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), "E8E8E8")
        cell._tc.get_or_add_tcPr().append(shading)
    # Body cells straight on the XML: python-docx's row.cells resolves the grid (merges) with XPath per
    # call, which made a 200-row ledger take seconds.
    style_id = _style_id(doc, TABLE_STYLE)
    size_half_points = None if size == ty.TABLE_PT else int(round(size * 2))
    for tr, values in zip(t._tbl.tr_lst[1:], table.rows, strict=True):
        for i, (tc, value) in enumerate(zip(tr.tc_lst, values, strict=False)):
            tc.width = widths[i]
            p = tc.p_lst[0]
            p.style = style_id
            if i in table.numeric:
                p.get_or_add_pPr().jc_val = WD_ALIGN_PARAGRAPH.RIGHT
            r = p.add_r()
            r.text = value
            if size_half_points is not None:
                r.get_or_add_rPr().sz_val = Pt(size)
    doc.add_paragraph(style=doc.styles[TABLE_STYLE])


def _cell_margins(tbl_pr: object, twips: int) -> None:
    """Narrow left/right cell margins (Word's 0.19 cm each side would wrap the narrow columns' values)."""
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(twips))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tbl_pr.append(mar)  # type: ignore[attr-defined]


def _heading(doc: Document, block: Heading) -> None:
    if block.level == 0:
        doc.add_paragraph(block.text, style="Title")
    else:
        doc.add_paragraph(block.text, style=f"Heading {min(block.level, 4)}")


def export_docx(
    content: ReportContent,
    path: str | Path,
    progress: Progress | None = None,
    gantt_pages: GanttPages | None = None,
) -> None:
    """Write the report as an A4 .docx that a clerk can edit (same sections, order and pages as the PDF)."""
    doc = new_document()
    _styles(doc)
    first = doc.sections[0]
    ds.page_setup(first)
    ds.blank_headers(first)
    ds.blank_footers(first)
    _cover(doc, content)
    blocks = layout(content)
    parts = sections(blocks)
    if estimate_pages(blocks) > ty.CONTENTS_MIN_PAGES:
        section = ds.new_section(doc)
        ds.blank_headers(section)
        ds.blank_footers(section)
        headings = [(b.level, b.text) for part in parts for b in part if isinstance(b, Heading) and 1 <= b.level <= 2]
        ds.add_toc(doc, headings)
    charts = sum(1 for b in blocks if isinstance(b, Chart))
    drawn = 0
    c = content.cover
    for n, part in enumerate(parts):
        landscape = any(isinstance(b, Table) and b.landscape for b in part)
        section = ds.new_section(doc, landscape)
        body_width = ds.text_width_cm(section)
        # The organisation's name (a setting) heads every numbered page, with the period.
        ds.header_line(section, c.internal_line, f"{c.organisation}  {c.period_label}", body_width)
        ds.page_number_footers(doc, section, start_at=1 if n == 0 else None)
        pending: list[Chart] = []

        def flush(pending: list[Chart] = pending, body_width: float = body_width) -> None:
            if not pending:
                return
            if len(pending) == 1:
                para = doc.add_paragraph(style=TABLE_STYLE)
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                _picture(para, pending[0])
            else:
                # Side by side in a borderless table: two pictures in one paragraph wrap unpredictably.
                grid = doc.add_table(rows=1, cols=len(pending))
                grid.alignment = WD_TABLE_ALIGNMENT.CENTER
                for cell, chart in zip(grid.rows[0].cells, pending, strict=True):
                    cell.width = Cm(body_width / len(pending))
                    para = cell.paragraphs[0]
                    para.style = TABLE_STYLE
                    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    _picture(para, chart)
            pending.clear()

        for block in part:
            if isinstance(block, Chart):
                drawn += 1
                if progress is not None:
                    progress(drawn, charts + 1, "绘制图表")
                if isinstance(block.spec, GanttSpec):
                    flush()
                    _gantt(doc, block.spec, body_width, gantt_pages)
                    continue
                pending.append(block)
                if block.width_cm > body_width / 2 or len(pending) == 2:
                    flush()
                continue
            flush()
            if isinstance(block, Heading):
                _heading(doc, block)
            elif isinstance(block, Paragraph):
                doc.add_paragraph(block.text, style=NOTE_STYLE if block.style == "note" else None)
            elif isinstance(block, Table):
                _table(doc, block, body_width)
        flush()
    doc.core_properties.title = f"{c.organisation}{c.meeting_line}材料（{content.period_label}）"
    doc.core_properties.author = "台账"
    with atomic_write(path) as tmp:
        doc.save(str(tmp))
    if progress is not None:
        progress(charts + 1, charts + 1, "完成")


def _gantt(doc: Document, spec: GanttSpec, width_cm: float, gantt_pages: GanttPages | None) -> None:
    if gantt_pages is None:
        doc.add_paragraph("（甘特图由台账程序的甘特图绘制，请在程序中导出本材料。）", style=NOTE_STYLE)
        return
    height_cm = ty.TEXT_HEIGHT_MM / 10 - 0.3
    pngs = gantt_pages(spec, width_cm, height_cm, height_cm - GANTT_HEAD_CM)
    for i, png in enumerate(pngs):
        para = doc.add_paragraph(style=TABLE_STYLE)
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.page_break_before = i > 0
        para.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))


def _picture(para: DocxParagraph, chart: Chart) -> None:
    png = chart_png(chart.spec, chart.width_cm, chart.height_cm, CHART_DPI)
    para.add_run().add_picture(_stream(png), width=Cm(chart.width_cm))


def _stream(png: bytes) -> io.BytesIO:
    return io.BytesIO(png)
