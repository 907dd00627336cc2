"""The circular (情况通报) as an editable Word file, in the meeting report's fonts and page setup.

Real Word structure a clerk can restyle: the title in the Title style, 一、… in Heading 1, body text in
Normal with a two-character first-line indent, the per-department table, the issuing office and date
right-aligned at the end, page numbers "— n —" at the outer corners as PAGE fields. Fonts and table drawing
come from the report's .docx renderer and styles (``docx_render``, ``docx_styles``): both documents change together.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document as new_document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Pt

from app.reports import docx_render
from app.reports import docx_styles as ds
from app.reports import typography as ty
from app.reports.circular import CircularContent, circular_blocks
from app.reports.content import Heading, PageBreak, Paragraph, Table
from app.storage.files import atomic_write


def export_circular_docx(content: CircularContent, path: str | Path) -> None:
    """Write the circular as an A4 .docx in the meeting material's GB/T 9704 styles."""
    doc = new_document()
    docx_render._styles(doc)  # Normal 三号仿宋, Title 小标宋, Heading 1 黑体, the table text style
    section = doc.sections[0]
    ds.page_setup(section)
    ds.page_number_footers(doc, section, start_at=1)

    if content.internal_line:
        p = doc.add_paragraph(style=docx_render.TABLE_STYLE)
        ds.set_fonts(p.add_run(content.internal_line), docx_render.HEADING_FONT, ty.HEADING_PT)
    title = doc.add_paragraph(style="Title")
    for n, line in enumerate(content.title_lines):
        run = title.add_run(line)
        if n < len(content.title_lines) - 1:
            run.add_break()
    body_width = ds.text_width_cm(section)
    for block in circular_blocks(content):
        if isinstance(block, Heading):
            doc.add_paragraph(block.text, style="Heading 1")
        elif isinstance(block, Paragraph):
            para = doc.add_paragraph(block.text)
            if block.text.endswith("："):
                para.paragraph_format.first_line_indent = Pt(0)
        elif isinstance(block, Table):
            docx_render._table(doc, block, body_width)
        elif isinstance(block, PageBreak):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph()
    for line in (f"{content.organisation}办公室", content.date_text):
        para = doc.add_paragraph(line)
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        para.paragraph_format.first_line_indent = Pt(0)
        para.paragraph_format.right_indent = Pt(2 * ty.BODY_PT)
    doc.core_properties.title = content.title
    doc.core_properties.author = "台账"
    with atomic_write(path) as tmp:
        doc.save(str(tmp))
