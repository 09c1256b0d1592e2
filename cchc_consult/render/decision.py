"""The Quyết định (Nghị định 30/2020) as Word and as HTML (decision.html.j2), the rubric as its Phụ lục.

The decision's words are resolved in `publish.build_decision` (a `publish.Decision`);
this module only lays them out. python-docx and Jinja2 are imported on first use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model import Rubric
from .appendix import HEADERS, appendix_rows
from .docx_table import add_rubric_table, docx_bytes, new_a4_document, set_font_everywhere
from .env import render_template
from .escape import OfficeNotes, office_text

FONT = "Times New Roman"
BODY_PT = 14


# --------------------------------------------------------------------------- Word

def _run(paragraph: Any, text: str, *, bold: bool = False, italic: bool = False, underline: bool = False,
         size: float = BODY_PT) -> Any:
    from docx.shared import Pt

    run = paragraph.add_run(office_text(text))
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold or None
    run.font.italic = italic or None
    run.font.underline = underline or None
    set_font_everywhere(run._element, FONT)
    return run


def _para(container: Any, text: str = "", *, align: str = "center", bold: bool = False, italic: bool = False,
          underline: bool = False, size: float = BODY_PT, before: float = 0, after: float = 0,
          first_line_mm: float = 0, reuse_first: bool = False) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    paragraph = container.paragraphs[0] if reuse_first else container.add_paragraph()
    paragraph.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                           "justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if first_line_mm:
        fmt.first_line_indent = Mm(first_line_mm)
    if text:
        _run(paragraph, text, bold=bold, italic=italic, underline=underline, size=size)
    return paragraph


def _short_rule(container: Any, inset_mm: float) -> None:
    """The short solid line NĐ 30 draws under the issuer's name and under the subject line."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Mm(inset_mm)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(2)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def _borderless_table(document: Any, widths_mm: tuple[float, float]) -> Any:
    """A two-column layout table with no borders: header and signature blocks."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
    for cell, width in zip(table.rows[0].cells, widths_mm):
        cell.width = Mm(width)
    return table


def _keep_row_on_one_page(row: Any) -> None:
    """A table row Word may not break across pages: the signer's title never parts from the name."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def nd30_document() -> Any:
    """A blank A4 document with NĐ 30/2020's margins (20/20/30/15 mm) and page numbers from page 2."""
    from docx.shared import Mm

    document = new_a4_document()
    section = document.sections[0]
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    add_page_numbers(section)
    return document


def add_page_numbers(section: Any, size: float = 13) -> None:
    """Page numbers as NĐ 30 wants them: Arabic, centred in the top margin, from page 2 (a PAGE field)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section.different_first_page_header_footer = True
    section.header_distance = section.top_margin // 2
    paragraph = _para(section.header, reuse_first=True)
    run = _run(paragraph, "", size=size)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            # the instruction, then a cached value Word replaces when it lays the pages out
            element = OxmlElement("w:instrText" if text == " PAGE " else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    section.first_page_header.is_linked_to_previous = False  # an empty header on page 1


def note_paper_words(paper: Any, notes: OfficeNotes,
                     where: str = "lời văn Quyết định (decision.yaml, tên bộ tiêu chí)") -> None:
    """Note, once under `where`, a control character in a paper's own words (every text field of a
    Decision, Letter or Submission: decision.yaml, the rubric's title, the offices' names)."""
    for value in (getattr(paper, name) for name in paper.__slots__):
        for text in value if isinstance(value, (list, tuple)) else [value]:
            for part in text if isinstance(text, (list, tuple)) else [text]:
                if isinstance(part, str):
                    office_text(part, notes, where)


def decision_docx(decision: Any, rubric: Rubric | None, appendix: Any = None,
                  notes: OfficeNotes | None = None) -> Any:
    """The decision as a python-docx Document: A4, Times New Roman, NĐ 30 layout, the rubric as Phụ lục.

    `appendix(document)` draws another Phụ lục table instead (the ranking of a results decision).
    With `notes`, what Word cannot hold is noted: the decision's words once, the Phụ lục per criterion.
    """
    if notes is not None:
        note_paper_words(decision, notes)
    document = nd30_document()
    # header: issuer left, national motto right
    header = _borderless_table(document, (62, 103))
    left, right = header.rows[0].cells
    # NĐ 30: a UBND has no parent body, so both lines of its name are bold
    _para(left, decision.issuer_parent, bold=decision.issuer_parent_bold, size=13, reuse_first=True)
    _para(left, decision.issuer_name, bold=True, size=13)
    _short_rule(left, 19)
    _para(left, decision.number_line, size=13, before=6)
    _para(right, decision.motto_country, bold=True, size=12.5, reuse_first=True)
    _para(right, decision.motto, bold=True, underline=True, size=13.5)
    _para(right, decision.place_date, italic=True, size=14, before=8)
    # title, subject, authority
    _para(document, decision.title, bold=True, before=18)
    _para(document, decision.subject, bold=True)
    _short_rule(document, 60)
    _para(document, decision.authority, bold=True, before=12, after=6)
    for line in decision.bases:
        _para(document, line, align="justify", italic=True, first_line_mm=12.7, after=4)
    _para(document, decision.decides, bold=True, before=6, after=6)
    for label, words in decision.articles:
        paragraph = _para(document, align="justify", first_line_mm=12.7, after=6)
        _run(paragraph, label + " ", bold=True)
        _run(paragraph, words)
    paragraph.paragraph_format.keep_with_next = True  # the signature never stands alone on a page
    # Nơi nhận left (small), signer right
    sign = _borderless_table(document, (80, 85))
    _keep_row_on_one_page(sign.rows[0])
    cell_left, cell_right = sign.rows[0].cells
    _para(cell_left, decision.recipients_label, align="left", bold=True, italic=True, size=12, before=12,
          reuse_first=True)
    for line in decision.recipients:
        _para(cell_left, line, align="left", size=11)
    _para(cell_right, decision.signer_authority, bold=True, before=12, reuse_first=True)
    _para(cell_right, decision.signer_title, bold=True)
    for _ in range(4):
        _para(cell_right, "")
    if decision.signer_name:
        _para(cell_right, decision.signer_name, bold=True)
    # appendix on its own page
    # page_break_before rather than a break run: a full first page would otherwise leave a blank one
    _para(document, decision.appendix_heading, bold=True).paragraph_format.page_break_before = True
    _para(document, decision.appendix_title, bold=True)
    if decision.appendix_subtitle:
        _para(document, decision.appendix_subtitle, bold=True)
    _para(document, decision.appendix_attached, italic=True, after=10)
    if appendix is not None:
        appendix(document)
    else:
        add_rubric_table(document, rubric, notes)
    if decision.note:
        _para(document, decision.note, align="justify", italic=True, size=13, before=6)
    return document


def decision_docx_bytes(decision: Any, rubric: Rubric | None, appendix: Any = None,
                        notes: OfficeNotes | None = None) -> bytes:
    """The decision as the bytes of a .docx file."""
    return docx_bytes(decision_docx(decision, rubric, appendix, notes))


# --------------------------------------------------------------------------- HTML

def decision_html(decision: Any, rubric: Rubric, workspace_templates: str | Path | None = None) -> str:
    """The decision as one HTML page (autoescaped), from decision.html.j2 (the workspace's own first)."""
    return render_template("html", "decision.html.j2", workspace_templates, d=decision, headers=HEADERS,
                           rows=appendix_rows(rubric))


RANKING_HEADERS = ("Hạng", "Cơ quan", "Tự chấm", "Thẩm định", "Điểm tối đa", "Chỉ số", "Xếp loại")
RANKING_WIDTHS_MM = (14, 58, 18, 20, 18, 17, 20)


def results_html(decision: Any, rows: list[tuple[str, ...]], workspace_templates: str | Path | None = None) -> str:
    """The results decision as one HTML page, from ket-qua.html.j2 (the workspace's own first): the ranking as Phụ lục."""
    return render_template("html", "ket-qua.html.j2", workspace_templates, d=decision, headers=RANKING_HEADERS,
                           rows=rows)


def ranking_table(rows: list[tuple[str, ...]], notes: OfficeNotes | None = None) -> Any:
    """An appendix drawer for a results decision: the ranking, one office a row, header repeated on each page.

    With `notes`, an office name whose control characters are replaced is noted under its row.
    """
    if notes is not None:
        for values in rows:
            for value in values:
                office_text(value, notes, f"bảng xếp hạng, cơ quan {values[1]}")

    def draw(document: Any) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.oxml import OxmlElement
        from docx.shared import Mm

        table = document.add_table(rows=1, cols=len(RANKING_HEADERS))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, RANKING_WIDTHS_MM):
            column.width = Mm(width)
        table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for cell, title in zip(table.rows[0].cells, RANKING_HEADERS):
            _para(cell, title, bold=True, size=12, reuse_first=True)
        for values in rows:
            cells = table.add_row().cells
            for i, (cell, value) in enumerate(zip(cells, values)):
                _para(cell, value, align="left" if i == 1 else "center", size=12, reuse_first=True)

    return draw
