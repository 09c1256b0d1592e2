"""Import a rubric from a Word (.docx) document: its table TT | Nội dung | Điểm chuẩn | Tài liệu kiểm chứng.

The document's XML is read directly (python-docx opens the package): a cell
merged across columns counts once, the lower parts of a cell merged down
several rows read as empty (so evidence spanning a criterion and its bands
stays with the criterion), and every table whose header matches is read, in
document order. Paragraphs above the first table give the title; a "Ghi chú"
paragraph below gives the note.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from .. import fileio
from .columns import EXPECTED_HEADERS, column_notes, find_columns, is_column_number_row, row_from_cells
from ..errors import ImportFormatError, damage_reason
from .rows import ImportResult, Row, build_rubric, clean_cell
from ..zipguard import check_package
from .text import meta_from_lines

_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _paragraph_text(p) -> str:
    out = []
    for el in p.xpath(".//w:t | .//w:br | .//w:cr | .//w:tab"):
        tag = el.tag.rsplit("}", 1)[-1]
        out.append(el.text or "" if tag == "t" else ("\n" if tag in ("br", "cr") else " "))
    return "".join(out)


def _cell_paragraphs(tc) -> list[str]:
    lines: list[str] = []
    for p in tc.xpath("./w:p"):
        lines.extend(_paragraph_text(p).split("\n"))
    return lines


def _row_cells(tr) -> list[tuple[list[str], int, int]]:
    """(paragraphs, first grid column, span) of each cell; a vertical-merge continuation reads as empty."""
    col = tr.grid_before
    out = []
    for tc in tr.tc_lst:
        span = tc.grid_span
        continued = tc.vMerge == "continue"
        out.append(([] if continued else _cell_paragraphs(tc), col, span))
        col += span
    return out


def open_document(path: str | Path):
    """A python-docx Document, or a clear Vietnamese error for a file that is not a readable .docx."""
    data = fileio.read_bytes(path)
    fix = "mở tệp bằng Word hoặc LibreOffice rồi Lưu thành… kiểu Word (.docx)"
    if data.startswith(_OLE_SIGNATURE):
        raise ImportFormatError("đây là tệp Word 97-2003 (.doc), chỉ đọc được tệp .docx", path=str(path), fix=fix)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportFormatError("tệp không phải tệp Word .docx hợp lệ (hỏng hoặc sai đuôi tệp)",
                                path=str(path), fix=fix)
    check_package(data, str(path), "tệp Word")
    from docx import Document

    try:
        return Document(io.BytesIO(data))
    except Exception as exc:  # python-docx/lxml raise many unrelated types for a damaged package
        raise ImportFormatError(f"tệp .docx bị hỏng, không mở được: {damage_reason(exc)}",
                                path=str(path), fix=fix) from exc


def import_docx(path: str | Path) -> ImportResult:
    """A rubric from the first table(s) of a .docx whose header has TT, Nội dung and Điểm chuẩn columns."""
    document = open_document(path)
    name = Path(path).name
    body = document.element.body
    before: list[str] = []
    after: list[str] = []
    rows: list[Row] = []
    notes: list[str] = []
    table_number = 0
    found = False
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = clean_cell(_paragraph_text(child))
            if text:
                (after if found else before).append(text)
            continue
        if tag != "tbl":
            continue
        table_number += 1
        trs = child.tr_lst
        columns, header_at = None, -1
        for i, tr in enumerate(trs[:6]):
            columns = find_columns([(" ".join(p), c, s) for p, c, s in _row_cells(tr)])
            if columns:
                header_at = i
                break
        if columns is None:
            notes.append(f"{name}, bảng {table_number}: không có dòng tiêu đề {EXPECTED_HEADERS}, đã bỏ qua")
            continue
        found = True
        after = []  # paragraphs between two rubric tables belong to neither end
        notes.extend(column_notes(f"{name}, bảng {table_number}", columns))
        for number, tr in enumerate(trs[header_at + 1:], start=header_at + 2):
            cells = _row_cells(tr)
            if is_column_number_row([" ".join(p) for p, _, _ in cells]):
                continue
            rows.append(row_from_cells(cells, columns, f"{name}, bảng {table_number}, hàng {number}"))
    if not found:
        raise ImportFormatError(
            f"không tìm thấy bảng bộ tiêu chí trong tệp (cần dòng tiêu đề {EXPECTED_HEADERS}; "
            f"tệp có {table_number} bảng)", path=str(path),
            fix="kiểm tra bảng có dòng tiêu đề với các cột TT/STT, Nội dung/Tiêu chí, Điểm chuẩn/Điểm tối đa")
    meta = meta_from_lines(before)
    result = build_rubric(rows, meta)
    note = [t for t in after if t.lstrip("* ").lower().startswith("ghi chú")]
    if note and not result.rubric.meta.note:
        result.rubric.meta.note = note[0]
    result.notes = notes + result.notes
    result.rubric.source = str(path)
    return result
