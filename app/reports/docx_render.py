"""The meeting report as an editable Word file (python-docx): same content and order as the PDF.

Clerks edit the report before a meeting, so everything stays real Word structure: styled headings, real
tables (header rows repeat on each page), charts as PNG pictures, and PAGE / NUMPAGES fields in the footer.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Inches, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from app.reports.charts import chart_png
from app.reports.content import Chart, Heading, PageBreak, Paragraph, ReportContent, Table, layout
from app.storage.files import atomic_write

Progress = Callable[[int, int, str], None]

BODY_FONT = "仿宋"  # Word substitutes an installed font when 仿宋 is missing; the text stays the same
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
CHART_DPI = 200


def _set_font(run_or_style: object, east_asia: str, size_pt: float | None = None, bold: bool | None = None) -> None:
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name = LATIN_FONT
    if size_pt is not None:
        font.size = Pt(size_pt)
    if bold is not None:
        font.bold = bold
    element = run_or_style.element if isinstance(run_or_style, Run) else run_or_style.element  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    # Theme fonts (Heading styles of the default template use them) win over named ones: drop them.
    for theme in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
        if fonts.get(qn(theme)) is not None:
            del fonts.attrib[qn(theme)]
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)


def _field(paragraph: DocxParagraph, instruction: str) -> None:
    """Append a Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for el in (begin, text, separate, shown, end):
        run._r.append(el)


def _setup(doc: Document, content: ReportContent) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.header_distance, section.footer_distance = Cm(1.8), Cm(2.0)
    section.different_first_page_header_footer = True
    normal = doc.styles["Normal"]
    _set_font(normal, BODY_FONT, 14)
    normal.paragraph_format.line_spacing = 1.5
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Heading 1", 16), ("Heading 2", 14)):
        style = doc.styles[name]
        _set_font(style, HEADING_FONT, size, bold=False)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(12 if name == "Heading 1" else 6)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    header = section.header.paragraphs[0]
    header.text = ""
    tabs = header.paragraph_format.tab_stops
    # The Header style's own stops (centre 3.25", right 6.5") are for Letter paper: clear them, right-align
    # the date at the A4 text edge.
    for inches in (3.25, 6.5):
        tabs.add_tab_stop(Inches(inches), WD_TAB_ALIGNMENT.CLEAR)
    tabs.add_tab_stop(Cm(21.0 - 2.8 - 2.6), WD_TAB_ALIGNMENT.RIGHT)
    # The organisation's name (a setting) heads every page after the cover, as the cover does.
    run = header.add_run(f"{content.cover.internal_line}\t{content.cover.organisation}  {content.period_label}")
    _set_font(run, BODY_FONT, 10.5)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in ("第 ", "PAGE", " 页 共 ", "NUMPAGES", " 页"):
        if part in ("PAGE", "NUMPAGES"):
            _field(footer, part)
        else:
            _set_font(footer.add_run(part), BODY_FONT, 10.5)
    first_footer = section.first_page_footer.paragraphs[0]
    first_footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in ("第 ", "PAGE", " 页 共 ", "NUMPAGES", " 页"):
        if part in ("PAGE", "NUMPAGES"):
            _field(first_footer, part)
        else:
            _set_font(first_footer.add_run(part), BODY_FONT, 10.5)


def _cover(doc: Document, content: ReportContent) -> None:
    c = content.cover
    p = doc.add_paragraph()
    _set_font(p.add_run(c.internal_line), BODY_FONT, 14)
    for _ in range(5):
        doc.add_paragraph()

    def centred(text: str, font: str, size: float, colour: RGBColor | None = None) -> None:
        para = doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = para.add_run(text)
        _set_font(run, font, size)
        if colour is not None:
            run.font.color.rgb = colour

    red = RGBColor(0xC0, 0, 0)
    centred(c.organisation, HEADING_FONT, 22, red)
    if c.meeting_line:
        centred(c.meeting_line, HEADING_FONT, 22, red)
    doc.add_paragraph()
    centred(c.kind_line, HEADING_FONT, 36)
    if c.meeting_title:
        centred(c.meeting_title, BODY_FONT, 16)
    for _ in range(4):
        doc.add_paragraph()
    if c.period_line:
        centred(c.period_line, BODY_FONT, 16)
    centred(c.date_text, BODY_FONT, 16)
    if content.attendees:
        centred("参会单位：" + "、".join(content.attendees), BODY_FONT, 10.5)


def _repeat_header(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _table(doc: Document, table: Table, width_cm: float) -> None:
    if table.caption:
        cap = doc.add_paragraph()
        cap.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _set_font(cap.add_run(table.caption), BODY_FONT, 9)
    size = 10.5 * table.font_scale
    t = doc.add_table(rows=1, cols=len(table.columns))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    total = sum(table.widths) or 1
    widths = [Cm(width_cm * w / total) for w in table.widths]
    for column, width in zip(t.columns, widths, strict=True):
        column.width = width  # the table grid: LibreOffice sizes columns from it, Word from the cells
    head = t.rows[0]
    _repeat_header(head)
    for i, name in enumerate(table.columns):
        cell = head.cells[i]
        cell.width = widths[i]
        para = cell.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.line_spacing = 1.0
        _set_font(para.add_run(name), HEADING_FONT, size)
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), "E8E8E8")
        cell._tc.get_or_add_tcPr().append(shading)
    for values in table.rows:
        cells = t.add_row().cells
        for i, value in enumerate(values):
            cells[i].width = widths[i]
            para = cells[i].paragraphs[0]
            para.paragraph_format.line_spacing = 1.0
            para.paragraph_format.space_after = Pt(0)
            if i in table.numeric:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _set_font(para.add_run(value), BODY_FONT, size)
    doc.add_paragraph()


def export_docx(content: ReportContent, path: str | Path, progress: Progress | None = None) -> None:
    """Write the report as an A4 .docx that a clerk can edit."""
    doc = new_document()
    _setup(doc, content)
    _cover(doc, content)
    body_width = 21.0 - 2.8 - 2.6
    blocks = layout(content)
    charts = sum(1 for b in blocks if isinstance(b, Chart))
    drawn = 0
    pending: list[Chart] = []

    def flush() -> None:
        if not pending:
            return
        if len(pending) == 1:
            para = doc.add_paragraph()
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _picture(para, pending[0])
        else:
            # Side by side in a borderless table: two pictures in one paragraph wrap unpredictably.
            grid = doc.add_table(rows=1, cols=len(pending))
            grid.alignment = WD_TABLE_ALIGNMENT.CENTER
            for cell, chart in zip(grid.rows[0].cells, pending, strict=True):
                cell.width = Cm(body_width / len(pending))
                para = cell.paragraphs[0]
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                para.paragraph_format.line_spacing = 1.0
                _picture(para, chart)
        pending.clear()

    for block in blocks:
        if isinstance(block, Chart):
            drawn += 1
            if progress is not None:
                progress(drawn, charts + 1, "绘制图表")
            pending.append(block)
            if block.width_cm > body_width / 2 or len(pending) == 2:
                flush()
            continue
        flush()
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            para = doc.add_paragraph()
            run = para.add_run(block.text)
            if block.style == "note":
                _set_font(run, BODY_FONT, 10.5)
                run.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
            else:
                para.paragraph_format.first_line_indent = Pt(28)
        elif isinstance(block, PageBreak):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif isinstance(block, Table):
            _table(doc, block, body_width)
    flush()
    doc.core_properties.title = (
        f"{content.cover.organisation}{content.cover.meeting_line}材料（{content.period_label}）"
    )
    doc.core_properties.author = "台账"
    with atomic_write(path) as tmp:
        doc.save(str(tmp))
    if progress is not None:
        progress(charts + 1, charts + 1, "完成")


def _picture(para: DocxParagraph, chart: Chart) -> None:
    png = chart_png(chart.spec, chart.width_cm, chart.height_cm, CHART_DPI)
    para.add_run().add_picture(_stream(png), width=Cm(chart.width_cm))


def _stream(png: bytes) -> io.BytesIO:
    return io.BytesIO(png)
