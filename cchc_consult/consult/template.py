"""The blank comment form an office fills in: YAML for those who edit text, Excel for everyone else.

Both list every criterion of the circulated version (id, title, points) with
empty fields, under a header that names the office, the version and the
deadline, and offer a single switch for "đồng ý toàn bộ".
"""

from __future__ import annotations

import json

from ..errors import ValidationError
from ..fileio import safe_name
from ..model import Rubric, format_points
from ..offices import Office
from ..render.escape import office_row
from .comments import COMMENTS_FORMAT, KINDS
from ..vn import format_date_short
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


def comment_template_xlsx(rubric: Rubric, round_: Round, office: Office) -> bytes:
    """The Excel form for one office, as the bytes of an .xlsx file."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "Góp ý"
    font = Font(name="Times New Roman", size=12)
    bold = Font(name="Times New Roman", size=12, bold=True)
    ws.append(office_row([f"PHIẾU GÓP Ý DỰ THẢO {rubric.meta.title or 'BỘ TIÊU CHÍ CHẤM ĐIỂM CHỈ SỐ CCHC'} "
               f"(bản {round_.version})"]))
    ws.append(["Cơ quan", office.code, office.name])
    ws.append(["Phiên bản", round_.version])
    ws.append(["Hạn gửi", round_.deadline_text])
    ws.append(["Ngày gửi", None, "ghi ngày của văn bản góp ý (ngày/tháng/năm)"])
    ws.append(["Đồng ý toàn bộ", None, "ghi x nếu đồng ý toàn bộ dự thảo, không có ý kiến"])
    ws.append([])
    header_row = ws.max_row + 1
    ws.append([name for name, _ in XLSX_COLUMNS])
    ws.append(["toàn bộ", "Toàn bộ dự thảo (ý kiến chung)"])
    for node in rubric.walk():
        ws.append(office_row([node.id, node.title, format_points(node.max) if node.max is not None else ""]))
    thin = Side(style="thin")
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
        for cell in row:
            cell.font = font
            if cell.row >= header_row:
                cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = bold
    for cell in ws[header_row]:
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, (_, width) in enumerate(XLSX_COLUMNS):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    kinds = DataValidation(type="list", formula1='"' + ",".join(KINDS) + '"', allow_blank=True)
    ws.add_data_validation(kinds)
    kinds.add(f"D{header_row + 1}:D{ws.max_row}")
    from ..fileio import text_cells_only

    text_cells_only(wb)  # a rubric title starting with "=" stays text, never an Excel formula
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
