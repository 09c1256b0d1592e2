"""Import a rubric from an Excel (.xlsx) workbook: the sheet whose header has TT, Nội dung, Điểm chuẩn.

openpyxl in read-only mode with cached values (`data_only`): a formula cell
gives the value Excel last computed, never the formula text. A merged range
holds its value in its top-left cell only, so the rest read as empty: evidence
merged down a criterion's rows stays with the criterion.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from .. import fileio
from ..errors import CchcError, ImportFormatError, damage_reason
from ..vn import format_date_short
from ..zipguard import bounded_rows, check_package
from .columns import EXPECTED_HEADERS, column_notes, TT, find_columns, is_column_number_row, row_from_cells
from .rows import ImportResult, Row, build_rubric, clean_cell, points_text, tt_text
from .text import meta_from_lines

#: How far down a sheet the header row may sit (title lines above it).
HEADER_SEARCH_ROWS = 30


def _text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):  # a date typed into a text cell
        return format_date_short(value)
    return points_text(value) if isinstance(value, (int, float)) else str(value)


def open_workbook(path: str | Path):
    """An openpyxl workbook (read-only, values), or a clear Vietnamese error for a file that is not one."""
    data = fileio.read_bytes(path)
    fix = "mở tệp bằng Excel hoặc LibreOffice rồi Lưu thành… kiểu Excel Workbook (.xlsx)"
    if not zipfile.is_zipfile(io.BytesIO(data)):
        old = data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
        raise ImportFormatError("đây là tệp Excel 97-2003 (.xls), chỉ đọc được tệp .xlsx" if old
                                else "tệp không phải tệp Excel .xlsx hợp lệ (hỏng hoặc sai đuôi tệp)",
                                path=str(path), fix=fix)
    check_package(data, str(path), "tệp Excel")
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a damaged package
        raise ImportFormatError(f"tệp .xlsx bị hỏng, không mở được: {damage_reason(exc)}",
                                path=str(path), fix=fix) from exc


def import_xlsx(path: str | Path) -> ImportResult:
    """A rubric from the first sheet of a workbook whose header has TT, Nội dung and Điểm chuẩn columns."""
    workbook = open_workbook(path)
    name = Path(path).name
    notes: list[str] = []
    rows: list[Row] = []
    before: list[str] = []
    after: list[str] = []
    used = ""
    try:
        for sheet in workbook.worksheets:
            values = bounded_rows(sheet.iter_rows(min_row=1, min_col=1, values_only=True), str(path))
            head: list[tuple] = []
            columns = None
            for raw in values:
                head.append(raw)
                columns = find_columns([(_text(v), i, 1) for i, v in enumerate(raw)])
                if columns or len(head) >= HEADER_SEARCH_ROWS:
                    break
            if columns is None:
                continue
            if used:
                notes.append(f"{name}, trang '{sheet.title}': có bảng tiêu chí nhưng chỉ trang '{used}' được nhập")
                continue
            used = sheet.title
            before = [clean_cell(_text(v)) for raw in head[:-1] for v in raw if clean_cell(_text(v))]
            notes.extend(column_notes(f"{name}, trang '{sheet.title}'", columns))
            for number, raw in enumerate(values, start=len(head) + 1):
                texts = [tt_text(v) if columns.roles.get(i) == TT else _text(v) for i, v in enumerate(raw)]
                if not any(clean_cell(t) for t in texts) or is_column_number_row(texts):
                    continue
                row = row_from_cells([(t.split("\n"), i, 1) for i, t in enumerate(texts)], columns,
                                     f"{name}, trang '{sheet.title}', hàng {number}")
                if not row.tt and not row.points and row.content and not row.evidence and rows and \
                        row.content.lstrip("* ").lower().startswith("ghi chú"):
                    after.append(row.content)
                    continue
                rows.append(row)
    except CchcError:
        raise
    except Exception as exc:  # openpyxl reads rows lazily: a damaged sheet fails here, not on opening
        raise ImportFormatError(f"tệp .xlsx bị hỏng, không đọc được các hàng: {damage_reason(exc)}",
                                path=str(path), fix="mở tệp bằng Excel hoặc LibreOffice rồi Lưu thành… "
                                                    "kiểu Excel Workbook (.xlsx)") from exc
    finally:
        workbook.close()
    if not used:
        raise ImportFormatError(
            f"không tìm thấy bảng bộ tiêu chí trong tệp (cần dòng tiêu đề {EXPECTED_HEADERS} "
            f"trong {HEADER_SEARCH_ROWS} hàng đầu của một trang)", path=str(path),
            fix="kiểm tra bảng có dòng tiêu đề với các cột TT/STT, Nội dung/Tiêu chí, Điểm chuẩn/Điểm tối đa")
    result = build_rubric(rows, meta_from_lines(before))
    if after and not result.rubric.meta.note:
        result.rubric.meta.note = after[0]
    result.notes = notes + result.notes
    result.rubric.source = str(path)
    return result
