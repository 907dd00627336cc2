"""The circular (情况通报) as an editable Word file, in the meeting report's fonts and page setup.

Real Word structure a clerk can restyle: the title in the Title style, 一、… in Heading 1, body text in
Normal with a two-character first-line indent, the per-department table in Table Grid, the issuing office
and date right-aligned at the end, page numbers as PAGE fields. Fonts and table drawing come from the
report's .docx renderer (``app.reports.docx_render``), so both documents change together.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document as new_document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from app.reports import docx_render
from app.reports.circular import CircularContent, circular_blocks
from app.reports.content import Heading, PageBreak, Paragraph, Table

PAGE_W_CM, LEFT_CM, RIGHT_CM = 21.0, 2.8, 2.6


def export_circular_docx(content: CircularContent, path: str | Path) -> None:
    """Write the circular as an A4 .docx."""
    doc = new_document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(PAGE_W_CM), Cm(29.7)
    section.left_margin, section.right_margin = Cm(LEFT_CM), Cm(RIGHT_CM)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    normal = doc.styles["Normal"]
    docx_render._set_font(normal, docx_render.BODY_FONT, 16)  # 三号仿宋, as circulars are typeset
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)
    heading = doc.styles["Heading 1"]
    docx_render._set_font(heading, docx_render.HEADING_FONT, 16, bold=False)
    heading.font.color.rgb = RGBColor(0, 0, 0)
    heading.paragraph_format.space_before = Pt(6)
    heading.paragraph_format.space_after = Pt(0)
    heading.paragraph_format.first_line_indent = Pt(32)
    heading.paragraph_format.keep_with_next = True
    title_style = doc.styles["Title"]
    docx_render._set_font(title_style, "方正小标宋简体", 22, bold=False)
    title_style.font.color.rgb = RGBColor(0, 0, 0)
    title_style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_style.paragraph_format.space_after = Pt(18)
    # The default Title style draws a blue rule under the paragraph: a circular has none.
    ppr = title_style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in ("— ", "PAGE", " —"):
        if part == "PAGE":
            docx_render._field(footer, part)
        else:
            docx_render._set_font(footer.add_run(part), docx_render.BODY_FONT, 14)

    if content.internal_line:
        p = doc.add_paragraph()
        docx_render._set_font(p.add_run(content.internal_line), docx_render.HEADING_FONT, 14)
    title = doc.add_paragraph(style="Title")
    for n, line in enumerate(content.title_lines):
        run = title.add_run(line)
        if n < len(content.title_lines) - 1:
            run.add_break()
    body_width = PAGE_W_CM - LEFT_CM - RIGHT_CM
    for block in circular_blocks(content):
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=1)
        elif isinstance(block, Paragraph):
            para = doc.add_paragraph(block.text)
            if not block.text.endswith("："):
                para.paragraph_format.first_line_indent = Pt(32)
        elif isinstance(block, Table):
            docx_render._table(doc, block, body_width)
        elif isinstance(block, PageBreak):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph()
    for line in (f"{content.organisation}办公室", content.date_text):
        para = doc.add_paragraph(line)
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        para.paragraph_format.right_indent = Pt(32)
    doc.core_properties.title = content.title
    doc.core_properties.author = "台账"
    doc.save(str(path))
