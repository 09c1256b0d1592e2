"""The text layer of a PDF reply; a scanned PDF (pictures only) is refused with what to do instead.

pdfplumber (the importer's PDF library: one PDF library in the project) is imported here only, when a PDF
is read.
"""

from __future__ import annotations

import io
from pathlib import Path

from ..errors import FileReadError, damage_reason

SCANNED_FIX = ("tệp PDF là ảnh chụp, không có chữ: xin cơ quan gửi bản Word (.docx), hoặc nhập nội dung góp ý "
               "vào phiếu góp ý (cchc comments template MÃ_CƠ_QUAN) rồi đặt vào comments/")


def pdf_text(data: bytes, path: str | Path) -> str:
    """All the text of a PDF, page after page; a FileReadError when there is none or the file is damaged."""
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    except Exception as exc:  # pdfminer raises many kinds of error for a damaged (or password-protected) file
        raise FileReadError(f"tệp PDF bị hỏng hoặc có mật khẩu, không đọc được: {damage_reason(exc)}", path=str(path),
                            fix="xin cơ quan gửi lại tệp, hoặc bản Word (.docx)") from exc
    text = "\n\n".join(pages)
    if not text.strip():
        raise FileReadError("tệp PDF không có lớp chữ (bản scan hoặc ảnh chụp)", path=str(path), fix=SCANNED_FIX)
    return text
