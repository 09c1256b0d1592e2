"""Bounded reading of Word and Excel packages: caps on what a .docx/.xlsx inflates to, and on rows and cells.

A .xlsx or .docx is a zip. The file-size limit of `fileio.read_bytes` applies to the
compressed bytes only: a 0,34 MB workbook whose sheet inflates to 100 MB took 88 s and
1,4 GB, a 0,5 MB one ended in MemoryError. Every reader of such a package calls
`check_package` on its bytes first (zipfile stops reading a member at its declared size,
so the declared sizes bound the work) and walks sheet rows through `bounded_rows`.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Iterable, Iterator

from .controls import visible
from .errors import FileReadError, LimitError

#: Most bytes one part a reader parses (a sheet, document.xml, styles) may inflate to; read at call time
#: (tests lower it). Measured on the example workspace and bench/generate.py's rubrics: the largest part
#: of a real file is 0,44 MB (the stylesWithEffects.xml every Word file carries; the example's sheets are
#: under 0,1 MB); of the bench's, 3,7 MB (document.xml of the 1.000-criteria rubric exported to Word; its
#: score sheet 0,9 MB). python-docx holds about 13 times a part in memory: 16 MB is ~210 MB, under 1 s.
MAX_PART_BYTES = 16 * 1024 * 1024
#: Most bytes one picture or embedded object may inflate to: not parsed, only held (a photographed page
#: in an office's reply is a few MB; JPEG and PNG do not shrink in a zip, so a bomb needs a huge ratio).
MAX_MEDIA_BYTES = 64 * 1024 * 1024
#: Most bytes all parts together may inflate to (the real files: about 1 MB; the bench's 1.000 criteria: 4,5 MB).
MAX_TOTAL_BYTES = 128 * 1024 * 1024
#: Most rows, and cells, read from one sheet: a rubric has hundreds of rows, the 10.000-criteria bench
#: rubric's score sheet 7.393; a sheet whose used range is declared A1:XFD1048576 yields empty cells
#: by the million.
MAX_ROWS = 20_000
MAX_CELLS = 500_000
#: Most parts a package may hold (a real workbook or document has a few dozen).
MAX_PARTS = 2_000

#: Where Office keeps pictures and embedded files: held as bytes, never parsed.
_MEDIA = re.compile(r"^(?:word|xl|ppt)/(?:media|embeddings)/", re.IGNORECASE)

_FIX = "kiểm tra xem có đúng tệp không; mở bằng Word/Excel, xóa phần thừa (hàng, cột, ảnh) rồi lưu lại"


def _mb(size: int) -> str:
    return f"{size / (1 << 20):.1f}".rstrip("0").rstrip(".").replace(".", ",") + " MB"


def check_package(data: bytes, path: str = "", what: str = "tệp") -> None:
    """Refuse a zip package whose parts inflate past the caps; a file that is not a zip is left to the caller."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # the caller says "not a .docx/.xlsx" in its own words
    except Exception:  # noqa: BLE001 - zipfile raises odd types (struct.error…) on a damaged directory
        raise FileReadError(f"{what} bị hỏng (thư mục nén không đọc được)", path=str(path), fix=_FIX) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_PARTS:
            raise LimitError(f"{what} có {len(members)} phần nén, quá giới hạn {MAX_PARTS}", path=str(path), fix=_FIX)
        total = 0
        for member in members:
            cap = MAX_MEDIA_BYTES if _MEDIA.match(member.filename) else MAX_PART_BYTES
            if member.file_size > cap:
                raise LimitError(f"{what} có phần '{visible(member.filename[:80], keep='')}' bung ra "
                                 f"{_mb(member.file_size)}, quá giới hạn {_mb(cap)} cho một phần", path=str(path),
                                 fix=_FIX)
            total += member.file_size
        if total > MAX_TOTAL_BYTES:
            raise LimitError(f"{what} bung ra tổng cộng {_mb(total)}, quá giới hạn {_mb(MAX_TOTAL_BYTES)}",
                             path=str(path), fix=_FIX)


def bounded_rows(rows: Iterable[tuple], path: str = "", what: str = "trang tính") -> Iterator[tuple]:
    """The rows of a sheet, refused past `MAX_ROWS` rows or `MAX_CELLS` cells (a sheet declared A1:XFD1048576)."""
    cells = 0
    for number, row in enumerate(rows, 1):
        cells += len(row)
        if number > MAX_ROWS or cells > MAX_CELLS:
            raise LimitError(f"{what} có quá nhiều hàng hoặc ô (giới hạn {MAX_ROWS} hàng, {MAX_CELLS} ô)",
                             path=str(path), line=number, fix=_FIX)
        yield row
