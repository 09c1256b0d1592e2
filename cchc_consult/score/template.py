"""A blank score sheet for an office: every leaf with its bands, as commented YAML or an Excel workbook."""

from __future__ import annotations

import json

from ..fileio import safe_name, text_cells_only
from ..model import Node, Rubric
from ..render.escape import OfficeNotes, office_row
from ..render.xlsx_form import POINTS_FORMAT, finish_table, form_sheet
from ..vn import format_points
from .sheet import FORMAT_TAG, INFO_SHEET, XLSX_COLUMNS, XLSX_FIRST_ROW


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def how_to_answer(node: Node) -> str:
    """The keys a clerk may use for this leaf, in words."""
    if node.scoring == "deduction":
        return f"failed: [số thứ tự nội dung không đạt] (mỗi nội dung trừ {format_points(node.per_item)} điểm)"
    if node.scoring == "checklist":
        return "checked: [số thứ tự các nội dung đạt] (cộng điểm)"
    measures = {b.condition.measure for b in node.bands if b.condition is not None}
    ways = ["band: N"]
    if "percent" in measures:
        ways.append('value: "92%"')
    if "yes_no" in measures and "percent" not in measures:
        ways.append("value: có/không")
    if "days_late" in measures:
        ways.append("days_late: N")
    if "count" in measures or any(b.per_unit for b in node.bands):
        ways.append("count: N" + (" (kèm band: N)" if any(b.per_unit for b in node.bands) else ""))
    return " | ".join(ways)


def band_lines(node: Node) -> list[str]:
    """One line per band: index, points, words, and the machine condition where there is one."""
    out = []
    for i, band in enumerate(node.bands, 1):
        extra = []
        if band.condition is not None:
            extra.append(band.condition.describe())
        if band.per_unit is not None:
            extra.append(f"01 {band.per_unit.unit} = {format_points(band.per_unit.points)} điểm, "
                         f"tối đa {format_points(band.points)}")
        suffix = f" [{'; '.join(extra)}]" if extra else ""
        out.append(f"mức {i}: {format_points(band.points)} điểm — {band.text}{suffix}")
    return out


def sheet_template_yaml(rubric: Rubric, office: str, kind: str = "self", today: str | None = None) -> str:
    """The commented YAML of a blank sheet: fill one answer per leaf."""
    office = safe_name(office)
    version = rubric.meta.version or "v1"
    lines = [
        f"# Phiếu {'tự chấm điểm' if kind == 'self' else 'thẩm định'} chỉ số CCHC"
        f"{f' năm {rubric.meta.year}' if rubric.meta.year else ''} — cơ quan {office}",
        f"# Bộ tiêu chí: {rubric.meta.title or version} ({version}). Hướng dẫn: docs/scoring.md",
        "# Mỗi tiêu chí ghi MỘT cách chấm: band (số thứ tự mức như in bên dưới), value (tỷ lệ %),",
        "# days_late (số ngày chậm), count (số lượng), failed (nội dung không đạt), checked (nội dung đạt),",
        "# points (số điểm), hoặc khong_phat_sinh: true. Thêm evidence (tài liệu kiểm chứng) và note.",
    ]
    if kind == "appraisal":
        lines.append("# Phiếu thẩm định: chỉ giữ các tiêu chí điều chỉnh; mỗi mục BẮT BUỘC có reason (lý do).")
    lines += [
        f"format: {FORMAT_TAG}",
        f"office: {office}",
        f"rubric: {_q(version)}",
        f"kind: {kind}",
        f"date: {_q(today or '')}",  # the office's own date, never the computer's clock
        "scores:",
    ]
    for node in rubric.leaves():
        path_title = node.title
        lines.append(f"  # {node.id} {path_title} — tối đa {format_points(node.max)} điểm")
        for text in band_lines(node):
            lines.append(f"  #   {text}")
        for i, item in enumerate(node.items, 1):
            lines.append(f"  #   nội dung {i}: {item}")
        lines.append(f"  #   cách ghi: {how_to_answer(node)} | khong_phat_sinh: true")
        lines.append(f"  - id: {_q(node.id)}")
        key = {"deduction": "failed", "checklist": "checked"}.get(node.scoring, "band")
        lines.append(f"    {key}:")
        lines.append("    evidence: []")
        if kind == "appraisal":
            lines.append('    reason: ""')
        lines.append('    note: ""')
    return "\n".join(lines) + "\n"


def sheet_template_xlsx(rubric: Rubric, office: str, kind: str = "self", today: str | None = None,
                        notes: OfficeNotes | None = None) -> bytes:
    """An Excel sheet to fill by hand, one row per leaf, band choices validated; `read_sheet` reads it back.

    With `notes`, each criterion whose control characters were replaced is noted.
    """
    import io

    from openpyxl import Workbook
    from openpyxl.styles import PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    office = safe_name(office)
    version = rubric.meta.version or "v1"
    wb = Workbook()
    ws = wb.active
    ws.title = "Tự chấm" if kind == "self" else "Thẩm định"
    widths = [width for _, _, width in XLSX_COLUMNS]
    title = (f"PHIẾU {'TỰ CHẤM ĐIỂM' if kind == 'self' else 'THẨM ĐỊNH'} CHỈ SỐ CCHC"
             f"{f' NĂM {rubric.meta.year}' if rubric.meta.year else ''} — {office} — bộ tiêu chí {version}. "
             "Điền một cách chấm cho mỗi dòng; xem docs/scoring.md")
    # one title line: the header must stay on row XLSX_FIRST_ROW - 1, where read_sheet looks for it
    header = form_sheet(ws, [title], [h for _, h, _ in XLSX_COLUMNS], widths, landscape=True)
    assert header == XLSX_FIRST_ROW - 1
    ws.row_dimensions[1].height = 36
    for cell in ws[header]:
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for node in rubric.leaves():
        items = "\n".join(f"nội dung {i}: {item}" for i, item in enumerate(node.items, 1))
        ws.append(office_row([node.id, node.title, float(node.max or 0), "\n".join(band_lines(node)) + (
            "\n" + items if items else ""), None, None, None, None, None, None, None, None, None, node.scoring],
            notes, f"tiêu chí {node.id}"))
        row = ws.max_row
        ws.cell(row, 3).number_format = POINTS_FORMAT
        if node.bands and node.scoring == "choice":
            rule = DataValidation(type="whole", operator="between", formula1="1", formula2=str(len(node.bands)),
                                  allow_blank=True, showErrorMessage=True, errorTitle="Mức không tồn tại",
                                  error=f"Tiêu chí {node.id} có các mức 1 đến {len(node.bands)}")
            ws.add_data_validation(rule)
            rule.add(ws.cell(row, 5))
    last = ws.max_row
    percent = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True,
                             showErrorMessage=True, error="Tỷ lệ từ 0 đến 100")
    whole = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                           showErrorMessage=True, error="Số nguyên không âm")
    kps = DataValidation(type="list", formula1='"x"', allow_blank=True)
    for rule, cells in ((percent, f"F{XLSX_FIRST_ROW}:F{last}"), (whole, f"G{XLSX_FIRST_ROW}:H{last}"),
                        (kps, f"J{XLSX_FIRST_ROW}:J{last}")):
        ws.add_data_validation(rule)
        rule.add(cells)
    finish_table(ws, header, widths)
    ws.column_dimensions["N"].hidden = True
    ws.freeze_panes = f"C{XLSX_FIRST_ROW}"
    info = wb.create_sheet(INFO_SHEET)
    for key, value in (("format", FORMAT_TAG), ("office", office), ("rubric", version), ("kind", kind),
                       ("date", today or ""), ("assessor", "")):  # dated by the office, not the clock
        info.append([key, value])
    text_cells_only(wb)  # a title starting with "=" stays text, never an Excel formula
    stream = io.BytesIO()
    wb.save(stream)
    return stream.getvalue()
