"""The rubric as a Word table, and as a whole A4 Word document around it.

`add_rubric_table(document, rubric)` appends the appendix table to any
python-docx Document (the export command and the published decision's Phụ lục
both use it). Rows are added with `table.add_row().cells`: addressing cells
through `table.cell(r, c)` is quadratic (298 s for 1,000 rows, MEASURED.md).
"""

from __future__ import annotations

import copy
import io
import re
from typing import Any

from ..model import Rubric
from .appendix import HEADERS, appendix_rows, document_title
from .escape import OfficeNotes, office_text

FONT_NAME = "Times New Roman"
#: A font that has the control pictures (␂, ␋, ␛): Times New Roman has none (a blank or a box on paper). Every
#: Windows has Segoe UI Symbol; LibreOffice elsewhere takes them from any font that has them (FreeSerif, Symbola).
PICTURE_FONT = "Segoe UI Symbol"
#: The Unicode control pictures `office_text` puts where a control character was (U+2400 … U+2426).
_PICTURES = re.compile("([\u2400-\u2426]+)")
FONT_SIZE_PT = 13
#: Column widths in mm for a 160 mm text width (A4 210 mm − left 30 − right 20).
COLUMN_WIDTHS_MM = (16, 78, 18, 48)  # TT fits "6.7.2" at 13 pt with the cell margins
#: Left indent of a band's text per level below its criterion, in mm.
BAND_INDENT_MM = 5


def _set_font(run: Any, *, bold: bool = False, italic: bool = False, size: float = FONT_SIZE_PT) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = FONT_NAME
    run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    if italic:
        run.font.italic = True
    # Word takes the font for Vietnamese letters from the eastAsia/cs slots when they are set elsewhere.
    rfonts = run._element.rPr.rFonts
    rfonts.set(qn("w:eastAsia"), FONT_NAME)
    rfonts.set(qn("w:cs"), FONT_NAME)


def set_font_everywhere(element: Any, name: str) -> None:
    """Name a font in every rFonts slot of a style's or run's element: Word takes the font for
    Vietnamese letters from the eastAsia/cs slots, so naming only ascii leaves them in Calibri."""
    from docx.oxml.ns import qn

    rfonts = element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(slot), name)


def _fill(cell: Any, lines: list[str], *, bold: bool = False, align: Any = None, indent_mm: float = 0) -> None:
    """Write lines into a cell, one paragraph each, in the appendix font."""
    from docx.shared import Mm

    first = True
    for line in lines or [""]:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        fmt = paragraph.paragraph_format
        fmt.space_before = fmt.space_after = 0
        if align is not None:
            paragraph.alignment = align
        if indent_mm:
            fmt.left_indent = Mm(indent_mm)
        if line:
            _set_font(paragraph.add_run(office_text(line)), bold=bold)


def _row_flag(row: Any, tag: str) -> None:
    """Set a row property such as w:tblHeader (repeat on each page) or w:cantSplit (keep on one page)."""
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement(tag))


_PLACEHOLDER = "\u2063"  # an invisible separator: never in user text, replaced in every copy


def _prototype_row(table: Any, kind: str, bold: bool) -> Any:
    """A formatted row for one kind of appendix row, built once with python-docx and then detached.

    Every table row is a deep copy of its prototype with the texts set: python-docx's
    per-element calls (fonts, spacing, widths) cost ~5 ms a row, a copy ~0.1 ms.
    """
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    center = WD_ALIGN_PARAGRAPH.CENTER
    new_row = table.add_row()
    _row_flag(new_row, "w:cantSplit")  # a band's words never break across two pages
    cells = new_row.cells
    _fill(cells[0], [_PLACEHOLDER], bold=bold, align=center)
    _fill(cells[1], [_PLACEHOLDER], bold=bold, align=center if kind == "total" else None,
          indent_mm=BAND_INDENT_MM if kind == "band" else 0)
    _fill(cells[2], [_PLACEHOLDER], bold=bold, align=center)
    _fill(cells[3], [_PLACEHOLDER])
    tr = new_row._tr
    tr.getparent().remove(tr)
    return tr


def _set_lines(tc: Any, lines: list[str], notes: OfficeNotes | None = None, where: str = "") -> None:
    """Put lines into a copied prototype cell: one paragraph each, line breaks inside a line as w:br."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    lines = [line for line in lines if line] or [""]
    template = copy.deepcopy(tc.p_lst[0])
    for number, line in enumerate(lines):
        if number == 0:
            paragraph = tc.p_lst[0]
        else:
            paragraph = copy.deepcopy(template)
            tc.append(paragraph)
        run = paragraph.r_lst[0]
        if not line:
            paragraph.remove(run)
            continue
        first_t = run.t_lst[0]
        for index, part in enumerate(line.split("\n")):
            t = first_t if index == 0 else copy.deepcopy(first_t)
            if index:
                run.append(OxmlElement("w:br"))
                run.append(t)
            t.text = office_text(part, notes, where)
            t.set(qn("xml:space"), "preserve")


def _row_name(row: Any) -> str:
    """The appendix row as a warning names it: "tiêu chí 1.2", "mức điểm của tiêu chí 1.2"."""
    return {"section": f"mục {row.tt or row.node_id}", "band": f"mức điểm của tiêu chí {row.node_id}",
            "total": "dòng tổng cộng"}.get(row.kind, f"tiêu chí {row.node_id}")


def add_rubric_table(document: Any, rubric: Rubric, notes: OfficeNotes | None = None) -> Any:
    """Append the appendix table TT | Nội dung | Điểm chuẩn | Tài liệu kiểm chứng to a Document.

    Sections and parent criteria are bold, bands are indented rows with an
    empty TT, points use the decimal comma, the declared grand total is the
    last row. Returns the python-docx Table. Page setup is the caller's:
    see `new_a4_document`. With `notes`, a control character replaced is noted under its row.
    """
    from docx.enum.table import WD_TABLE_ALIGNMENT, WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    center = WD_ALIGN_PARAGRAPH.CENTER
    table = document.add_table(rows=1, cols=len(HEADERS))
    try:
        table.style = "Table Grid"
    except (KeyError, ValueError):  # a template without the style: borders are then the template's
        pass
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, COLUMN_WIDTHS_MM):
        column.width = Mm(width)  # sets the grid; add_row() copies it to each new cell
    header = table.rows[0]
    _row_flag(header, "w:tblHeader")
    _row_flag(header, "w:cantSplit")
    for cell, title in zip(header.cells, HEADERS):
        _fill(cell, [title], bold=True, align=center)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    prototypes: dict[tuple[str, bool], Any] = {}
    tbl = table._tbl
    for row in appendix_rows(rubric):
        key = (row.kind, row.bold)
        if key not in prototypes:
            prototypes[key] = _prototype_row(table, row.kind, row.bold)
        tr = copy.deepcopy(prototypes[key])
        for tc, lines in zip(tr.tc_lst, ([row.tt], [row.content], [row.points], row.evidence)):
            _set_lines(tc, lines, notes, _row_name(row))
        tbl.append(tr)
    return table


def new_a4_document() -> Any:
    """An empty Word document set up the Vietnamese administrative way (Nghị định 30/2020/NĐ-CP).

    A4 portrait; margins top 20, bottom 20, left 30, right 20 mm; Times New
    Roman 13 pt for the Normal style.
    """
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    document = Document()
    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(20)
    normal = document.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = Pt(FONT_SIZE_PT)
    set_font_everywhere(normal.element, FONT_NAME)
    normal.paragraph_format.space_after = Pt(0)
    return document


def rubric_to_docx(rubric: Rubric, notes: OfficeNotes | None = None) -> Any:
    """A whole Word document: the rubric's title lines, the appendix table, and the note under it."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = new_a4_document()
    for line in document_title(rubric):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_font(paragraph.add_run(office_text(line, notes, "tên bộ tiêu chí")), bold=True)
    if document_title(rubric):
        document.paragraphs[-1].paragraph_format.space_after = Pt(12)
    add_rubric_table(document, rubric, notes)
    if rubric.meta.note:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_before = Pt(6)
        _set_font(paragraph.add_run(office_text(rubric.meta.note, notes, "ghi chú cuối bảng")), italic=True)
    return document


def rubric_to_docx_bytes(rubric: Rubric, notes: OfficeNotes | None = None) -> bytes:
    """The Word document's bytes, ready for `fileio.atomic_write`."""
    return docx_bytes(rubric_to_docx(rubric, notes))


def show_control_pictures(document: Any) -> int:
    """Put every control picture ("␋", "␂") in a run of its own in PICTURE_FONT, so it shows on paper.

    The run keeps the rest of its formatting (size, bold, italic). Returns how many runs were split.
    """
    from docx.oxml.ns import qn

    part_roots = [document.element] + [h._element for s in document.sections
                                       for h in (s.header, s.first_page_header, s.footer)
                                       if not h.is_linked_to_previous]
    split = 0
    for root in part_roots:
        for run in [r for r in root.iter(qn("w:r"))
                    if any(t.text and _PICTURES.search(t.text) for t in r.iter(qn("w:t")))]:
            _split_pictures(run)
            split += 1
    return split


def _split_pictures(run: Any) -> None:
    """One run made into several: its plain text in its own font, each group of pictures in PICTURE_FONT."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = run.find(qn("w:rPr"))
    pieces: list[tuple[bool, Any]] = []  # (is a picture, content element)
    for child in list(run):
        if child is props:
            continue
        if child.tag == qn("w:t") and child.text:
            for number, text in enumerate(_PICTURES.split(child.text)):
                if text:
                    t = OxmlElement("w:t")
                    t.text = text
                    t.set(qn("xml:space"), "preserve")
                    pieces.append((number % 2 == 1, t))
        else:
            pieces.append((False, child))
    parent = run.getparent()
    at = parent.index(run)
    parent.remove(run)
    current, current_kind = None, None
    for is_picture, element in pieces:
        if current is None or is_picture != current_kind:
            current, current_kind = OxmlElement("w:r"), is_picture
            if props is not None:
                current.append(copy.deepcopy(props))
            if is_picture:
                set_font_everywhere(current, PICTURE_FONT)
            parent.insert(at, current)
            at += 1
        current.append(element)


def docx_bytes(document: Any) -> bytes:
    """The bytes of a finished Word document (the control pictures in a font that has them): every Word
    writer's last step."""
    show_control_pictures(document)
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()
