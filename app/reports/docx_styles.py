"""GB/T 9704-2012 styling for Word documents (python-docx), reusable by every document type the app writes.

Real styles carry the fonts, so a clerk's edits stay in style: Normal (3号 仿宋_GB2312, first-line indent of two
characters, fixed 22-lines-a-page pitch), Title (2号 方正小标宋简体), Heading 1 (3号 黑体), Heading 2 (3号
楷体_GB2312), Heading 3/4 (3号 仿宋 bold). Fonts are named with w:eastAsia; Word and WPS on the office's PCs find
them, elsewhere they substitute and the text is unchanged. Page numbers are "— 1 —" in 4号 宋体 at the outer
corner (odd right, even left); the cover and contents carry none and the body starts at 1.
"""

from __future__ import annotations

from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from app.reports import typography as ty


def set_fonts(target: object, east_asia: str, size_pt: float | None = None, bold: bool | None = None) -> None:
    """Name the east-Asian (and Latin) font of a style or run, dropping theme fonts that would win over it."""
    font = target.font  # type: ignore[attr-defined]
    font.name = ty.LATIN
    if size_pt is not None:
        font.size = Pt(size_pt)
    if bold is not None:
        font.bold = bold
    rpr = target.element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
        if fonts.get(qn(theme)) is not None:
            del fonts.attrib[qn(theme)]
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), ty.LATIN)
    fonts.set(qn("w:hAnsi"), ty.LATIN)


def page_setup(section: Section, landscape: bool = False) -> None:
    """A4 with the GB/T margins (the page turned for landscape, margins kept at the same edges of the text)."""
    left, top, right, bottom = ty.MARGINS_MM
    width, height = Mm(ty.PAGE_MM[0]), Mm(ty.PAGE_MM[1])
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.header_distance = Mm(18)
    # The page number's baseline sits about 7 mm below the text block.
    section.footer_distance = Mm(bottom - ty.PAGE_NUMBER_GAP_MM - 5)


def text_width_cm(section: Section) -> float:
    """The width of the text block of ``section`` in cm."""
    width = int(section.page_width or 0) - int(section.left_margin or 0) - int(section.right_margin or 0)
    return width / 360000  # EMU per cm


def apply_styles(doc: Document) -> None:
    """Normal, Title, Heading 1–4 and Table text per GB/T 9704 (styles, so edits keep the look)."""
    pitch = Pt(ty.LINE_PITCH_PT)
    normal = doc.styles["Normal"]
    set_fonts(normal, ty.DOCX_NAMES["body"], ty.BODY_PT)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = pitch
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.first_line_indent = Pt(2 * ty.BODY_PT)
    pf.widow_control = True
    title = doc.styles["Title"]
    set_fonts(title, ty.DOCX_NAMES["title"], ty.TITLE_PT, bold=False)
    title.font.color.rgb = RGBColor(0, 0, 0)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    title.paragraph_format.space_after = Pt(ty.BODY_PT)
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    title.paragraph_format.line_spacing = Pt(ty.TITLE_PT * 1.5)
    _no_border(title.element)
    for level, (name, bold) in enumerate(
        ((ty.DOCX_NAMES["h1"], False), (ty.DOCX_NAMES["h2"], False), (ty.DOCX_NAMES["body"], True),
         (ty.DOCX_NAMES["body"], True)),
        start=1,
    ):  # fmt: skip
        style = doc.styles[f"Heading {level}"]
        set_fonts(style, name, ty.HEADING_PT, bold=bold)
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        hf = style.paragraph_format
        hf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        hf.line_spacing = pitch
        hf.space_before = Pt(0)
        hf.space_after = Pt(0)
        hf.keep_with_next = True
        # 一、 starts at the margin like the body's first line (two characters in); so do the lower levels.
        hf.first_line_indent = Pt(2 * ty.BODY_PT)


def _no_border(element: object) -> None:
    """The default template's Title has a bottom border; official titles have none."""
    ppr = element.find(qn("w:pPr"))  # type: ignore[attr-defined]
    if ppr is not None:
        border = ppr.find(qn("w:pBdr"))
        if border is not None:
            ppr.remove(border)


def add_field(paragraph: Paragraph, instruction: str, shown: str = "1") -> None:
    """Append a Word field (PAGE, NUMPAGES, TOC …) that Word fills in when it lays out the pages."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    result = OxmlElement("w:t")
    result.text = shown
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for el in (begin, text, separate, result, end):
        run._r.append(el)


def page_number_footers(doc: Document, section: Section, start_at: int | None = 1) -> None:
    """The "— n —" footers in 4号 宋体, odd pages right and even pages left; numbering restarts at ``start_at``."""
    doc.settings.odd_and_even_pages_header_footer = True
    sides = ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT))
    for footer, align in sides:
        footer.is_linked_to_previous = False
        para = footer.paragraphs[0]
        para.text = ""
        para.alignment = align
        para.paragraph_format.first_line_indent = Pt(0)
        indent = Pt(ty.PAGE_NUMBER_PT)  # one character in from the outer edge
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            para.paragraph_format.right_indent = indent
        else:
            para.paragraph_format.left_indent = indent
        set_fonts(para.add_run("— "), ty.DOCX_NAMES["song"], ty.PAGE_NUMBER_PT)
        add_field(para, "PAGE")
        for run in para.runs[-1:]:
            set_fonts(run, ty.DOCX_NAMES["song"], ty.PAGE_NUMBER_PT)
        set_fonts(para.add_run(" —"), ty.DOCX_NAMES["song"], ty.PAGE_NUMBER_PT)
    sect_pr = section._sectPr
    num = sect_pr.find(qn("w:pgNumType"))
    if start_at is not None:
        if num is None:
            num = OxmlElement("w:pgNumType")
            sect_pr.append(num)
        num.set(qn("w:start"), str(start_at))
    elif num is not None and num.get(qn("w:start")) is not None:
        # A new section copies the one before it, restart included: continue the numbering instead.
        del num.attrib[qn("w:start")]


def blank_footers(section: Section) -> None:
    """No page number (cover, contents)."""
    for footer in (section.footer, section.even_page_footer, section.first_page_footer):
        footer.is_linked_to_previous = False
        for para in footer.paragraphs:
            para.text = ""


def new_section(doc: Document, landscape: bool = False) -> Section:
    """Start a new page as its own section (its own orientation and footers)."""
    section: Section = doc.add_section(WD_SECTION.NEW_PAGE)
    page_setup(section, landscape)
    return section


def add_toc(doc: Document, headings: list[tuple[int, str]], title: str = "目　录") -> None:
    """A contents page: a TOC field over Heading 1–2, pre-filled with the headings (Word refreshes the numbers)."""
    para = doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.first_line_indent = Pt(0)
    set_fonts(para.add_run(title), ty.DOCX_NAMES["h1"], ty.TITLE_PT)
    toc = doc.add_paragraph()
    toc.paragraph_format.first_line_indent = Pt(0)
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")  # Word updates the field (page numbers) when the file is opened
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = ' TOC \\o "1-2" \\h \\z \\u '
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run = toc.add_run()
    for el in (begin, instr, sep):
        run._r.append(el)
    last = toc
    for level, text in headings:
        line = doc.add_paragraph()
        pf = line.paragraph_format
        pf.first_line_indent = Pt(0)
        pf.left_indent = Pt(2 * ty.TOC_PT * (level - 1))
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        pf.space_after = Pt(4)
        set_fonts(line.add_run(text), ty.DOCX_NAMES["body"], ty.TOC_PT)
        last = line
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    last.add_run()._r.append(end)
    settings = doc.settings.element
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        settings.append(update)
    update.set(qn("w:val"), "true")


def header_line(section: Section, left: str, right: str, width_cm: float) -> None:
    """The running header: ``left`` at the margin, ``right`` at the right edge of the text block (小5-ish 宋体)."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Inches

    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False
        para = header.paragraphs[0]
        para.text = ""
        para.paragraph_format.first_line_indent = Pt(0)
        tabs = para.paragraph_format.tab_stops
        # The Header style's own stops (centre 3.25", right 6.5") are for Letter paper.
        for inches in (3.25, 6.5):
            tabs.add_tab_stop(Inches(inches), WD_TAB_ALIGNMENT.CLEAR)
        tabs.add_tab_stop(Cm(width_cm), WD_TAB_ALIGNMENT.RIGHT)
        set_fonts(para.add_run(f"{left}\t{right}"), ty.DOCX_NAMES["song"], ty.SMALL_TABLE_PT)


def blank_headers(section: Section) -> None:
    """No running header (cover, contents)."""
    for header in (section.header, section.even_page_header, section.first_page_header):
        header.is_linked_to_previous = False
        for para in header.paragraphs:
            para.text = ""
