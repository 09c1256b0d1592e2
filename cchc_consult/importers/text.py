"""Import the text of a web page whose table cells are separated by blank lines.

This is how the district portal's page (../shared/seed/) reads once copied:
one cell a line, a blank line between cells, a non-breaking space for an empty
cell, and several lines in one evidence cell.
"""

from __future__ import annotations

import re

from .. import fileio
from ..model import RubricMeta, nfc
from .rows import ImportResult, Row, build_rubric, clean_cell, is_tt, read_points

_HEADER = ("tt", "stt")
_LETTER = re.compile(r"(?:Công văn|Quyết định)\s+(?:số\s+)?([\w/.-]+)\s+ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_YEAR = re.compile(r"NĂM\s+(\d{4})", re.IGNORECASE)


def _cells(text: str) -> list[tuple[str, int]]:
    """Each non-blank line as a cell with its line number; a line holding only a non-breaking space is an empty cell."""
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip(" \t\r") == "":
            continue
        out.append((clean_cell(line), number))
    return out


def _is_row_start(cells: list[tuple[str, int]], j: int) -> bool:
    if j + 1 >= len(cells) or not is_tt(cells[j][0]):
        return False
    if cells[j + 1][0].lstrip().startswith("*"):
        return True  # the note row under the table: TT empty, then "* Ghi chú"
    if j + 2 >= len(cells) or not cells[j + 1][0]:
        return False
    return read_points(cells[j + 2][0]) is not None and read_points(cells[j + 1][0]) is None


def meta_from_lines(lines: list[str]) -> RubricMeta:
    """Title, subtitle, year, issuer and covering letter from the lines above a rubric's table."""
    meta = RubricMeta()
    head = "\n".join(lines)
    m = _LETTER.search(head)
    if m:
        meta.letter = m.group(1)
        meta.letter_date = f"{m.group(4)}-{int(m.group(3)):02d}-{int(m.group(2)):02d}"
    titles = [c for c in lines if c.isupper() and len(c) > 20]
    if titles:
        meta.title = titles[-2] if len(titles) >= 2 else titles[-1]
        meta.subtitle = titles[-1] if len(titles) >= 2 else ""
        y = _YEAR.search(" ".join(titles))
        meta.year = int(y.group(1)) if y else 0
    issuer = re.search(r"của\s+(UBND\s+huyện\s+[^)]+)\)", head)
    meta.issuer = issuer.group(1).strip() if issuer else ""
    return meta


def parse_page_text(text: str, source: str = "") -> ImportResult:
    """A rubric from the page text: finds the TT | NỘI DUNG | Điểm | Tài liệu header, reads rows to the note."""
    text = nfc(text)
    cells = _cells(text)
    start = next((i for i in range(len(cells) - 3)
                  if cells[i][0].lower() in _HEADER and "điểm" in cells[i + 2][0].lower()), None)
    meta = meta_from_lines([c for c, _ in cells[: start or 0]])
    if start is None:
        result = build_rubric([], meta)
        result.warnings.append(f"{source}: không tìm thấy dòng tiêu đề bảng 'TT | Nội dung | Điểm chuẩn'")
        return result
    i = start + 4 if cells[start + 3][0] else start + 3
    rows: list[Row] = []
    while i < len(cells):
        if not _is_row_start(cells, i):
            if rows:
                rows[-1].evidence.append(cells[i][0]) if cells[i][0] else None
            i += 1
            continue
        tt, line = cells[i]
        content = cells[i + 1][0]
        if content.lstrip().startswith("*"):
            rows.append(Row(tt, content, "", [], f"{source}:{line}"))
            break  # the note closes the table
        points = cells[i + 2][0]
        rows.append(Row(tt, content, points, [], f"{source}:{line}"))
        i += 3
    return build_rubric(rows, meta)


def import_text(path: str) -> ImportResult:
    """Import a saved page text file (UTF-8, BOM or UTF-16 accepted)."""
    return parse_page_text(fileio.read_text(path), str(path))
