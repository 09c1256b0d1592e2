"""The consolidated comment table as a Word document (A4 landscape, Times New Roman), through python-docx.

Text goes into runs, never interpreted: a comment containing "<script>" or
"{{ 7*7 }}" is printed as those characters. Rows are added with
`table.add_row().cells` (addressing cells by `table.cell(r, c)` is quadratic).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..vn import format_date_short
from .decision import _short_rule
from .docx_table import docx_bytes, set_font_everywhere
from .escape import OfficeNotes, office_text

FONT = "Times New Roman"
BODY_PT = 13
TABLE_PT = 12
#: A4 landscape (the table needs the width), margins in the ranges of Nghị định 30/2020: text 252 mm wide.
MARGINS_MM = {"top": 20, "bottom": 20, "left": 25, "right": 20}
TEXT_MM = 297 - MARGINS_MM["left"] - MARGINS_MM["right"]
TEXT_HEIGHT_MM = 210 - MARGINS_MM["top"] - MARGINS_MM["bottom"]
#: Table text at TABLE_PT in Times New Roman, measured on the example's report in LibreOffice: 39 characters
#: fill a 70 mm column (66 mm inside the cell margins), a line is 4.9 mm high.
CHAR_MM = 1.7
LINE_MM = 4.9
CELL_MARGINS_MM = 3.8
#: A row up to this tall is kept on one page; a taller one may continue on the next, so the page before is not
#: left part empty. A sixth of the page (5 lines): the example's first comment (8 lines) kept whole left a
#: third of page 1 empty, and half a page would keep it whole still.
KEEP_WHOLE_MM = TEXT_HEIGHT_MM / 6


def _font(run: Any, size: float | None = None, bold: bool = False, italic: bool = False) -> None:
    """Bold, italic or a size different from the paragraph style's; the font itself comes from the style."""
    from docx.shared import Pt

    if size is not None:
        run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    if italic:
        run.font.italic = True


def _set_styles(document: Any) -> tuple[Any, Any]:
    """Normal in Times New Roman 13 (every script slot, so Vietnamese letters never fall back), and a
    12-point, no-spacing style for table cells. Setting the font once on the styles, not on each of
    thousands of runs, keeps a 1,000-comment table fast."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    set_font_everywhere(normal.element, FONT)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(3)
    cell_style = document.styles.add_style("Ô bảng", WD_STYLE_TYPE.PARAGRAPH)
    cell_style.base_style = normal
    cell_style.font.size = Pt(TABLE_PT)
    cell_style.paragraph_format.space_after = Pt(0)
    return normal, cell_style


def _paragraph(container: Any, text: str, *, size: float | None = None, bold: bool = False,
               italic: bool = False, align: str = "", first: bool = False, space_after: float | None = None,
               style: Any = None, notes: OfficeNotes | None = None, where: str = "") -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = container.paragraphs[0] if first else container.add_paragraph()
    if style is not None:
        p._p.style = style.style_id  # by id: `p.style = style` looks the style up again each time (quadratic)
    if space_after is not None:
        p.paragraph_format.space_after = Pt(space_after)
    if align:
        p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
                       "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    if text:
        _font(p.add_run(office_text(text, notes, where or "bảng tổng hợp")), size, bold, italic)
    return p


def _cell(cell: Any, lines: list[str] | str, style: Any, *, bold: bool = False, align: str = "",
          notes: OfficeNotes | None = None, where: str = "") -> None:
    for i, line in enumerate([lines] if isinstance(lines, str) else (lines or [""])):
        _paragraph(cell, line, bold=bold, align=align, first=i == 0, style=style, notes=notes, where=where)


@dataclass(slots=True)
class _Grid:
    """A Word table, the paragraph style of its cells and its column widths."""

    table: Any
    style: Any
    widths_mm: tuple[float, ...] = ()


def _wrapped_lines(text: str, width_mm: float) -> int:
    """How many lines `text` takes in a column `width_mm` wide, wrapped at spaces as Word and LibreOffice do."""
    per_line = max(1, int((width_mm - CELL_MARGINS_MM) / CHAR_MM))
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0
        for word in paragraph.split():
            while len(word) > per_line:  # a word longer than the line is broken
                lines += used > 0
                word, used = word[per_line:], 0
                lines += 1
            needed = len(word) + (used > 0)
            if used and used + needed > per_line:
                lines += 1
                used = len(word)
            else:
                used += needed
    return lines


def row_height_mm(values: list[Any], widths_mm: tuple[float, ...] | list[float]) -> float:
    """An estimate of a table row's height: its tallest cell, from the text length and the column widths."""
    tallest = 0
    for value, width in zip(values, widths_mm):
        texts = value if isinstance(value, list) else [str(value)]
        tallest = max(tallest, sum(_wrapped_lines(str(t), width) for t in texts or [""]))
    return tallest * LINE_MM


def _table(document: Any, headers: list[str], widths_mm: list[float], style: Any) -> _Grid:
    from docx.oxml.ns import qn
    from docx.shared import Mm

    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)  # the grid widths are what LibreOffice and Word lay out by
    row = table.rows[0]
    trpr = row._tr.get_or_add_trPr()
    trpr.append(trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))  # repeat the header on every page
    for cell, title, width in zip(row.cells, headers, widths_mm):
        cell.width = Mm(width)
        _cell(cell, title, style, bold=True, align="center")
    return _Grid(table, style, tuple(widths_mm))


def _add_row(grid: _Grid, values: list[Any], centre: tuple[int, ...] = (0,), notes: OfficeNotes | None = None,
             where: str = "") -> None:
    # add_row() gives each new cell the grid column's width, so no per-cell width is set here
    from docx.oxml.ns import qn

    row = grid.table.add_row()
    if not grid.widths_mm or row_height_mm(values, grid.widths_mm) <= KEEP_WHOLE_MM:
        trpr = row._tr.get_or_add_trPr()
        trpr.append(trpr.makeelement(qn("w:cantSplit"), {qn("w:val"): "true"}))  # a short row is never cut
    for i, (cell, value) in enumerate(zip(row.cells, values)):
        _cell(cell, value if isinstance(value, list) else str(value), grid.style,
              align="center" if i in centre else "", notes=notes, where=where)


def landscape_document() -> tuple[Any, Any]:
    """A new A4 landscape document in Times New Roman (NĐ 30 margins) and its table-cell style.

    Shared by this report and the Word comment form (`consult.template.comment_template_docx`).
    """
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    _normal, cell_style = _set_styles(document)
    return document, cell_style


#: The helpers the Word comment form lays itself out with (one home for the Word page of the round).
paragraph = _paragraph
grid_table = _table
grid_row = _add_row


def feedback_docx(report: Any, notes: OfficeNotes | None = None) -> bytes:
    """The report (a `consult.feedback.FeedbackReport`) as the bytes of a .docx file.

    With `notes`, a control character replaced is noted under its comment ("ý kiến TCKH-2"),
    criterion or office; elsewhere under "bảng tổng hợp".
    """
    from docx.oxml.ns import qn
    from docx.shared import Mm

    document, cell_style = landscape_document()

    # Heading block: the issuing office on the left, the national motto and the place and date on the right.
    head = document.add_table(rows=1, cols=2)
    head.autofit = False
    left, right = head.rows[0].cells
    for column, cell, width in zip(head.columns, (left, right), (100, TEXT_MM - 100)):
        column.width = cell.width = Mm(width)
    _paragraph(left, (report.issuer or "").upper(), size=13, align="center", first=True, space_after=0, notes=notes)
    _paragraph(left, (report.drafter or "").upper(), size=13, bold=True, align="center", space_after=0, notes=notes)
    if report.issuer or report.drafter:
        _short_rule(left, 35)  # NĐ 30: the short line under the issuing office's name, as on the tờ trình
    _paragraph(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=13, bold=True, align="center", first=True,
               space_after=0)
    motto = _paragraph(right, "", align="center", space_after=4)
    run = motto.add_run("Độc lập - Tự do - Hạnh phúc")
    _font(run, 14, bold=True)
    run.font.underline = True
    if report.place_date:
        _paragraph(right, report.place_date, italic=True, align="center", space_after=0, notes=notes)

    _paragraph(document, "", space_after=6)
    _paragraph(document, report.title, size=14, bold=True, align="center", space_after=2, notes=notes)
    _paragraph(document, report.subtitle, italic=True, align="center", space_after=2, notes=notes)
    if report.attached_to:
        _paragraph(document, report.attached_to, italic=True, align="center", space_after=2, notes=notes)
    _paragraph(document, "", space_after=4)

    _section_heading(document, "I. TỔNG HỢP CHUNG")
    summary = _table(document, ["Nội dung", "Số lượng"], [150, 50], cell_style)
    for label, value in report.summary:
        _add_row(summary, [label, value], centre=(1,))

    _paragraph(document, "", space_after=4)
    _section_heading(document, "II. Ý KIẾN GÓP Ý VÀ Ý KIẾN TIẾP THU, GIẢI TRÌNH")
    if report.rows:
        table = _table(document, ["STT", "Cơ quan góp ý", "Tiêu chí", "Nội dung góp ý",
                                  "Ý kiến tiếp thu, giải trình", "Ghi chú"], [14, 31, 41, 70, 66, 30], cell_style)
        for row in report.rows:
            _add_row(table, [row.stt, row.office, row.criterion, row.said, row.answer, row.note], notes=notes,
                     where=f"ý kiến {row.comment_id}")
    else:
        _paragraph(document, "Không có ý kiến góp ý.")
    note = "Các cơ quan không góp ý về một tiêu chí được coi là đồng ý với tiêu chí đó."
    if report.uncommented:
        note += f" Không có cơ quan nào góp ý (tất cả đồng ý): {len(report.uncommented)} tiêu chí."
    _paragraph(document, note, size=TABLE_PT, italic=True)

    _paragraph(document, "", space_after=4)
    _section_heading(document, f"III. {(report.drafter or 'Cơ quan soạn thảo').upper()} TỰ ĐIỀU CHỈNH")
    if report.own_changes:
        heading = "Nội dung điều chỉnh" + (f" (dự thảo {report.next_version})" if report.next_version else "")
        table = _table(document, ["STT", "Tiêu chí", heading, "Lý do"], [14, 24, 134, 80], cell_style)
        for item in report.own_changes:
            _add_row(table, [item.stt, item.criterion, item.changes or [""], item.reason], centre=(0, 1),
                     notes=notes, where=f"điều chỉnh tiêu chí {item.criterion}")
    else:
        _paragraph(document, "Không có.")

    _paragraph(document, "", space_after=4)
    _section_heading(document, "IV. TÌNH HÌNH GÓP Ý CỦA CÁC CƠ QUAN")
    table = _table(document, ["STT", "Cơ quan", "Tình trạng", "Ngày", "Số ý kiến"], [14, 90, 83, 35, 30],
                   cell_style)
    for i, entry in enumerate(report.ledger, start=1):
        _add_row(table, [i, entry.office.name, entry.status_text, format_date_short(entry.date), entry.comments],
                 centre=(0, 3, 4), notes=notes, where=f"cơ quan {entry.office.name}")

    if report.reviewer_gaps:
        _paragraph(document, "", space_after=4)
        _section_heading(document, "V. CƠ QUAN ĐƯỢC GIAO RÀ SOÁT CHƯA CÓ Ý KIẾN VỀ TIÊU CHÍ THUỘC LĨNH VỰC MÌNH")
        for office, text in report.reviewer_gaps:
            last = _paragraph(document, f"- {office}: {text}", align="justify", notes=notes,
                              where=f"cơ quan {office}")
        last.paragraph_format.keep_with_next = True  # the signature never stands alone on a page

    if report.signer_title:
        _paragraph(document, "", space_after=6).paragraph_format.keep_with_next = True
        sign = document.add_table(rows=1, cols=2)
        sign.autofit = False
        trpr = sign.rows[0]._tr.get_or_add_trPr()
        trpr.append(trpr.makeelement(qn("w:cantSplit"), {qn("w:val"): "true"}))  # title and name on one page
        left, right = sign.rows[0].cells
        for column, cell, width in zip(sign.columns, (left, right), (TEXT_MM - 110, 110)):
            column.width = cell.width = Mm(width)
        first = True
        if report.signer_authority:
            _paragraph(right, report.signer_authority, size=14, bold=True, align="center", first=True,
                       space_after=0, notes=notes)
            first = False
        _paragraph(right, report.signer_title, size=14, bold=True, align="center", first=first, space_after=60,
                   notes=notes)
        if report.signer_name:
            _paragraph(right, report.signer_name, size=14, bold=True, align="center", space_after=0, notes=notes)

    return docx_bytes(document)


def _section_heading(document: Any, text: str) -> None:
    """A bold section heading kept on the page of the table that follows it."""
    _paragraph(document, text, bold=True).paragraph_format.keep_with_next = True
