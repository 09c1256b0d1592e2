"""Import a rubric from a PDF with a text layer, its tables found by pdfplumber (loaded only here).

The tables of every page are read as one table, since a long rubric's table
runs on over pages with the header on the first only. A scanned PDF (pages
without text) is refused with what to do instead.
"""

from __future__ import annotations

import io
from pathlib import Path

from .. import fileio
from ..errors import ImportFormatError, damage_reason
from .columns import EXPECTED_HEADERS, rows_from_table
from .rows import ImportResult, build_rubric, clean_cell
from .text import meta_from_lines

def _unwrap(text: str) -> list[str]:
    """A PDF cell's lines, the ones the layout wrapped joined back; a line opening with a bullet starts anew."""
    out: list[str] = []
    for line in text.split("\n"):
        if out and not line.lstrip().startswith(("-", "+", "•", "*")):
            out[-1] = f"{out[-1]} {line.strip()}"
        else:
            out.append(line.strip())
    return out


def _title_lines(lines: list[str]) -> list[str]:
    """Lines above the table, a capitalised title wrapped over two lines joined back."""
    out: list[str] = []
    for line in lines:
        if out and out[-1].isupper() and line.isupper() and len(out[-1]) > 40:
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


_FIX = "mở tệp Word gốc (.docx) nếu có; với bản quét, dùng phần mềm nhận dạng chữ (OCR) rồi lưu thành .docx"


def import_pdf(path: str | Path) -> ImportResult:
    """A rubric from the tables of a PDF that has a text layer."""
    data = fileio.read_bytes(path)
    if not data.startswith(b"%PDF"):
        raise ImportFormatError("tệp không phải tệp PDF hợp lệ (hỏng hoặc sai đuôi tệp)", path=str(path), fix=_FIX)
    try:
        import pdfplumber
    except ImportError:  # an optional dependency: a PDF is the only thing that needs it
        raise ImportFormatError("chưa cài thư viện đọc PDF (pdfplumber)", path=str(path),
                                fix="chạy: pip install pdfplumber, hoặc lưu tệp thành .docx rồi nhập") from None
    name = Path(path).name
    table: list = []
    above: list[str] = []
    text_pages = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
            for number, page in enumerate(pdf.pages, start=1):
                if page.chars:
                    text_pages += 1
                found = page.extract_tables()
                if not table and not found:
                    above.extend(clean_cell(t) for t in (page.extract_text() or "").split("\n") if clean_cell(t))
                elif not table:
                    top = page.find_tables()[0].bbox[1]
                    words = page.crop((0, 0, page.width, max(top, 1))).extract_text() or ""
                    above.extend(clean_cell(t) for t in words.split("\n") if clean_cell(t))
                for t_number, rows in enumerate(found, start=1):
                    for r_number, raw in enumerate(rows, start=1):
                        cells = [(_unwrap(cell or ""), col, 1) for col, cell in enumerate(raw)]
                        table.append((cells, f"{name}, trang {number}, bảng {t_number}, hàng {r_number}"))
    except ImportFormatError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types for a damaged file
        raise ImportFormatError(f"tệp PDF bị hỏng, không đọc được: {damage_reason(exc)}",
                                path=str(path), fix=_FIX) from exc
    if text_pages == 0:
        raise ImportFormatError(f"tệp PDF là bản quét ({pages} trang chỉ có hình, không có lớp chữ)",
                                path=str(path), fix=_FIX)
    notes: list[str] = []
    rows = rows_from_table(table, name, notes)
    if rows is None:
        raise ImportFormatError(f"không tìm thấy bảng bộ tiêu chí trong tệp PDF (cần dòng tiêu đề {EXPECTED_HEADERS})",
                                path=str(path), fix=_FIX)

    result = build_rubric(rows, meta_from_lines(_title_lines(above)))
    result.notes = notes + result.notes
    result.rubric.source = str(path)
    return result
