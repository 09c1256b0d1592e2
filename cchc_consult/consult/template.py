"""The blank comment form an office fills in: YAML for those who edit text, Excel or Word for everyone else.

All three list every criterion of the circulated version (id, title, points)
with empty fields, under a header that names the office, the version and the
deadline, and offer a single switch for "đồng ý toàn bộ". The comment readers
(consult/comments.py) read each back to the same comments.
"""

from __future__ import annotations

import json

from ..errors import ValidationError
from ..fileio import safe_name, text_cells_only
from ..model import Rubric
from ..offices import Office
from ..render import feedback_docx as word
from ..render.docx_table import docx_bytes
from ..render.escape import OfficeNotes, office_row
from .comments import COMMENTS_FORMAT, KINDS, XLSX_HINTS
from ..vn import format_date_short, format_points
from .round import Round


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def check_office(code: str, offices: list[Office]) -> Office:
    """The office for a code typed by a user; refuses a code that could escape a folder or is unknown."""
    safe_name(code)
    for office in offices:
        if office.code == code or office.code.upper() == code.upper():
            return office
    raise ValidationError(f"không có cơ quan mã '{code}'",
                          fix=f"dùng một trong: {', '.join(o.code for o in offices)} (xem offices.yaml)")


def comment_template_yaml(rubric: Rubric, round_: Round, office: Office) -> str:
    """The YAML form for one office, every criterion listed with empty fields."""
    lines = [
        f"# PHIẾU GÓP Ý dự thảo {rubric.meta.title or 'Bộ tiêu chí chấm điểm chỉ số CCHC'} (bản {round_.version})",
        f"# Gửi kèm Công văn số {round_.letter or '…'} ngày {format_date_short(round_.letter_date) or '…'}. "
        f"Hạn gửi ý kiến về cơ quan soạn thảo: {round_.deadline_text}.",
        "# Quá hạn mà không có ý kiến thì được coi là đồng ý với dự thảo.",
        "#",
        "# Cách điền: chỉ điền vào tiêu chí có ý kiến; tiêu chí để trống được coi là đồng ý.",
        f"#   kind: {' | '.join(KINDS)}",
        "#   comment: nội dung góp ý (bắt buộc);  proposal: đề xuất sửa thành;",
        "#   proposed_points: điểm chuẩn đề xuất, nếu góp ý về điểm (viết 2 hoặc 1,5).",
        "# Đồng ý toàn bộ, không có ý kiến: đổi agree_all thành true và ghi ngày gửi.",
        f"format: {COMMENTS_FORMAT}",
        f"office: {_q(office.code)}  # {office.name}",
        f"version: {_q(round_.version)}",
        f"deadline: {_q(round_.deadline.isoformat() if round_.deadline else '')}  # {round_.deadline_text}",
        'date_sent: ""  # ngày của văn bản góp ý: ngày/tháng/năm hoặc năm-tháng-ngày',
        "agree_all: false  # true = đồng ý toàn bộ dự thảo",
        "comments:",
        '  - criterion: "toàn bộ"  # ý kiến chung cho cả dự thảo',
        '    title: "Toàn bộ dự thảo"',
        '    kind: ""',
        '    comment: ""',
        '    proposal: ""',
    ]
    for node in rubric.walk():
        lines += [
            f"  - criterion: {_q(node.id)}",
            f"    title: {_q(node.title)}",
            f"    points: {_q(format_points(node.max) if node.max is not None else '')}",
            '    kind: ""',
            '    comment: ""',
            '    proposal: ""',
            '    proposed_points: ""',
        ]
    return "\n".join(lines) + "\n"


#: Columns of the Excel form: header, width (characters).
XLSX_COLUMNS = [
    ("Mã tiêu chí", 11), ("Nội dung tiêu chí", 50), ("Điểm chuẩn", 9), ("Loại ý kiến", 12),
    ("Nội dung góp ý", 50), ("Đề xuất sửa đổi", 40), ("Điểm đề xuất", 9), ("Ngày nhận", 12),
]


def _form_title(rubric: Rubric, round_: Round) -> str:
    return f"PHIẾU GÓP Ý DỰ THẢO {(rubric.meta.title or 'BỘ TIÊU CHÍ CHẤM ĐIỂM CHỈ SỐ CCHC').upper()} (bản {round_.version})"


def _form_subtitle(round_: Round) -> str:
    """"(Gửi kèm Công văn số … ngày …; hạn gửi ý kiến: …)" — a line the readers recognise and skip."""
    return (f"(Gửi kèm Công văn số {round_.letter or '…'} ngày {format_date_short(round_.letter_date) or '…'}; "
            f"hạn gửi ý kiến về cơ quan soạn thảo: {round_.deadline_text})")


def comment_template_xlsx(rubric: Rubric, round_: Round, office: Office, notes: OfficeNotes | None = None) -> bytes:
    """The Excel form for one office, as the bytes of an .xlsx file (with `notes`, each title whose control
    characters were replaced is noted).

    Laid out as a form: a merged title block, the office's fields, then the
    table with its header frozen and repeated on every printed page, landscape
    A4 fitted to one page wide.
    """
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation


    wb = Workbook()
    ws = wb.active
    ws.title = "Góp ý"
    font = Font(name="Times New Roman", size=12)
    bold = Font(name="Times New Roman", size=12, bold=True)
    last = get_column_letter(len(XLSX_COLUMNS))
    ws.append(office_row([_form_title(rubric, round_)], notes, "tên bộ tiêu chí"))
    ws.append(office_row([_form_subtitle(round_)], notes, "dòng công văn, hạn góp ý"))
    ws.append(office_row(["Cơ quan", office.code, office.name], notes, f"tên cơ quan {office.code}"))
    ws.append(["Phiên bản", round_.version])
    ws.append(["Hạn gửi", round_.deadline_text])
    ws.append(["Ngày gửi", None, XLSX_HINTS["date_sent"]])
    ws.append(["Đồng ý toàn bộ", None, XLSX_HINTS["agree_all"]])
    ws.append([None])  # a blank row that counts: append([]) leaves max_row (and header_row) one short
    header_row = ws.max_row + 1
    ws.append([name for name, _ in XLSX_COLUMNS])
    ws.append(["toàn bộ", "Toàn bộ dự thảo (ý kiến chung)"])
    for node in rubric.walk():
        ws.append(office_row([node.id, node.title, format_points(node.max) if node.max is not None else ""],
                             notes, f"tiêu chí {node.id}"))
    thin = Side(style="thin")
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
        for cell in row:
            cell.font = font
            if cell.row >= header_row:
                cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row_number, size, italic in ((1, 14, False), (2, 12, True)):
        ws.merge_cells(f"A{row_number}:{last}{row_number}")
        cell = ws[f"A{row_number}"]
        cell.font = Font(name="Times New Roman", size=size, bold=not italic, italic=italic)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = 36
    ws.row_dimensions[2].height = 20
    for row_number in range(3, header_row - 1):
        ws[f"A{row_number}"].font = bold
        ws[f"C{row_number}"].alignment = Alignment(wrap_text=False)
    for column in ("B",):
        for row_number in (6, 7):  # the two fields the office fills in: boxed, pale yellow
            cell = ws[f"{column}{row_number}"]
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.fill = PatternFill("solid", start_color="FFF2CC")
    # Excel and LibreOffice do not grow a row for wrapped text written by a program: give each its height
    title_width = XLSX_COLUMNS[1][1]
    for row_number in range(header_row + 1, ws.max_row + 1):
        title = str(ws.cell(row_number, 2).value or "")
        ws.row_dimensions[row_number].height = 16 * max(1, -(-len(title) // (title_width - 4)))
    ws.row_dimensions[header_row].height = 32
    for cell in ws[header_row]:
        cell.font = bold
        cell.fill = PatternFill("solid", start_color="D9E1F2")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, (_, width) in enumerate(XLSX_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    kinds = DataValidation(type="list", formula1='"' + ",".join(KINDS) + '"', allow_blank=True)
    ws.add_data_validation(kinds)
    kinds.add(f"D{header_row + 1}:D{ws.max_row}")
    text_cells_only(wb)  # a rubric title starting with "=" stays text, never an Excel formula
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


#: Columns of the Word form: header, width (mm). "Tiêu chí" holds "II.6.3. Tên tiêu chí", read back as the id.
DOCX_COLUMNS = [("Tiêu chí", 80), ("Điểm chuẩn", 18), ("Nội dung góp ý", 70), ("Đề xuất", 58),
                ("Điểm đề xuất", 20)]


def comment_template_docx(rubric: Rubric, round_: Round, office: Office, notes: OfficeNotes | None = None) -> bytes:
    """The Word form for one office: a letter heading, the fields, and a table of every criterion.

    The table is Tiêu chí | Điểm chuẩn | Nội dung góp ý | Đề xuất | Điểm đề xuất,
    one row per criterion (and one for the whole draft); the office writes in
    the rows it has something to say about. Read back like the Excel form.
    """
    from docx.shared import Mm

    document, cell_style = word.landscape_document()
    head = document.add_table(rows=1, cols=2)
    head.autofit = False
    left, right = head.rows[0].cells
    for column, cell, width in zip(head.columns, (left, right), (110, word.TEXT_MM - 110)):
        column.width = cell.width = Mm(width)
    word.paragraph(left, "UBND HUYỆN …" if not rubric.meta.issuer else rubric.meta.issuer.upper(), size=13,
                   align="center", first=True, space_after=0)
    word.paragraph(left, office.name.upper(), size=13, bold=True, align="center", space_after=0, notes=notes,
                   where=f"tên cơ quan {office.code}")
    word.paragraph(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=13, bold=True, align="center", first=True,
                   space_after=0)
    word.paragraph(right, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True, align="center", space_after=0)
    word.paragraph(document, "", space_after=6)
    word.paragraph(document, _form_title(rubric, round_), size=14, bold=True, align="center", space_after=2,
                   notes=notes, where="tên bộ tiêu chí")
    word.paragraph(document, _form_subtitle(round_), italic=True, align="center", space_after=8, notes=notes,
                   where="dòng công văn, hạn góp ý")
    for label, value in (("Cơ quan", f"{office.code} - {office.name}"), ("Phiên bản", round_.version),
                         ("Hạn gửi", round_.deadline_text), ("Ngày gửi", "……………………"),
                         ("Đồng ý toàn bộ", "……")):
        word.paragraph(document, f"{label}: {value}", space_after=2, notes=notes,
                       where=f"tên cơ quan {office.code}" if label == "Cơ quan" else f"dòng “{label}”")
    word.paragraph(document, "Cách điền: ghi ngày của văn bản góp ý sau 'Ngày gửi:' (ngày/tháng/năm); đồng ý "
                             "toàn bộ dự thảo, không có ý kiến thì ghi x sau 'Đồng ý toàn bộ:'; có ý kiến thì ghi "
                             "vào dòng của tiêu chí (điểm đề xuất viết 2 hoặc 1,5); dòng để trống được coi là "
                             "đồng ý.", italic=True, size=12, space_after=6)
    table = word.grid_table(document, [name for name, _ in DOCX_COLUMNS], [w for _, w in DOCX_COLUMNS], cell_style)
    word.grid_row(table, ["Toàn bộ dự thảo", "—", "", "", ""], centre=(1,))  # "—": a form row, not a comment
    for node in rubric.walk():
        word.grid_row(table, [f"{node.id}. {node.title}", format_points(node.max) if node.max is not None else "",
                              "", "", ""], centre=(1, 4), notes=notes, where=f"tiêu chí {node.id}")
    return docx_bytes(document)
