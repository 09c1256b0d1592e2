"""Recognising the columns of a rubric table in Word or Excel, and reading one row by them.

Headers vary from unit to unit: "TT"/"STT", "Nội dung"/"Tiêu chí",
"Điểm chuẩn"/"Điểm tối đa", "Tài liệu kiểm chứng"/"Hồ sơ minh chứng". Any
other column ("Điểm tự chấm", "Điểm thẩm định", "Ghi chú") is not part of the
rubric: it is ignored, and the import says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .rows import Row, clean_cell, is_roman, is_number, split_numbered

TT, CONTENT, POINTS, EVIDENCE, METHOD, EXTRA = "tt", "content", "points", "evidence", "method", "extra"
REQUIRED = (TT, CONTENT, POINTS)
EXPECTED_HEADERS = "TT | Nội dung | Điểm chuẩn | Tài liệu kiểm chứng"

_TT_HEADER = re.compile(r"^(?:s\.?\s?tt|tt|số\s*tt|số thứ tự)\.?$")
_EXTRA_WORDS = ("tự chấm", "thẩm định", "tự đánh giá", "ghi chú", "đạt được", "được chấm", "chấm điểm")
_METHOD_WORDS = ("cách tính", "cách chấm", "phương pháp", "mức điểm", "hướng dẫn chấm")
#: Columns whose values are an office's scores: the start of a score sheet.
SCORE_WORDS = ("tự chấm", "thẩm định", "tự đánh giá", "đạt được", "được chấm")
_COLUMN_NUMBER = re.compile(r"^\(?(\d+)\)?$")


def classify_header(text: str) -> str:
    """The role of a header cell: tt, content, points, evidence, method, extra — or "" for an empty cell."""
    t = clean_cell(text).lower().replace("\n", " ")
    if not t:
        return ""
    if _TT_HEADER.match(t):
        return TT
    if any(word in t for word in _METHOD_WORDS):
        return METHOD
    if any(word in t for word in _EXTRA_WORDS):
        return EXTRA
    if "điểm" in t and (any(w in t for w in ("chuẩn", "tối đa", "thang", "số điểm")) or t == "điểm"):
        return POINTS
    if any(w in t for w in ("kiểm chứng", "minh chứng", "hồ sơ")) or t.startswith("tài liệu"):
        return EVIDENCE
    if any(w in t for w in ("nội dung", "tiêu chí", "lĩnh vực", "yêu cầu")):
        return CONTENT
    return EXTRA


@dataclass(slots=True)
class Columns:
    """Grid column index → role, and the header text of each ignored column."""

    roles: dict[int, str]
    ignored: dict[int, str]


def find_columns(cells: list[tuple[str, int, int]]) -> Columns | None:
    """The columns of a header row given as (text, first grid column, span), or None if it is not a header."""
    roles: dict[int, str] = {}
    ignored: dict[int, str] = {}
    seen: set[str] = set()
    for text, start, span in cells:
        role = classify_header(text)
        if not role:
            continue
        if role in seen:  # a second "Điểm …" column: the first one is the maximum
            role = EXTRA
        if role == EXTRA:
            ignored[start] = clean_cell(text).replace("\n", " ")
        else:
            seen.add(role)
        for col in range(start, start + span):
            roles[col] = role
    if not all(r in seen for r in REQUIRED):
        return None
    return Columns(roles, ignored)


def is_column_number_row(texts: list[str]) -> bool:
    """The row of column numbers under some headers: "1 | 2 | 3 | 4" or "(1) | (2) | (3)"."""
    first = next((t for t in texts if t and not t.isspace()), "")
    if not first.lstrip()[:1] in ("(", *"0123456789"):
        return False  # nearly every row: a quick no before cleaning each cell
    numbers = [m.group(1) for m in (_COLUMN_NUMBER.match(clean_cell(t)) for t in texts if clean_cell(t)) if m]
    filled = [t for t in texts if clean_cell(t)]
    return len(filled) >= 3 and len(numbers) == len(filled) and [int(n) for n in numbers] == list(
        range(int(numbers[0]), int(numbers[0]) + len(numbers)))


def _looks_like_tt(text: str) -> bool:
    t = text.rstrip(".")
    return t == "" or is_roman(t) or is_number(t)


def row_from_cells(cells: list[tuple[list[str], int, int]], columns: Columns, where: str) -> Row:
    """A Row from a body row's cells given as (paragraphs, first grid column, span).

    A cell merged across several columns counts once: for Nội dung if it covers
    it (with a leading "I." or "1.2." split off into TT), else for the first
    column it covers.
    """
    parts: dict[str, list[str]] = {TT: [], CONTENT: [], POINTS: [], EVIDENCE: [], METHOD: []}
    extras: dict[str, str] = {}
    for paragraphs, start, span in cells:
        covered = [columns.roles[c] for c in range(start, start + span) if c in columns.roles]
        if covered and all(r == EXTRA for r in covered):
            if start in columns.ignored and any(p.strip() for p in paragraphs):
                extras[columns.ignored[start]] = "\n".join(p for p in paragraphs if p.strip())
            continue
        covered = [r for r in covered if r != EXTRA]
        if not covered:
            continue
        text = ("\n" if covered[0] in (CONTENT, METHOD) else " ").join(p for p in paragraphs if p.strip())
        if CONTENT in covered:
            if TT in covered:
                number, text = split_numbered(clean_cell(text))
                if number:
                    parts[TT].append(number)
            parts[CONTENT].append(text)
        elif covered[0] == EVIDENCE:
            parts[EVIDENCE].extend(p for p in paragraphs if p.strip())
        else:
            parts[covered[0]].append(text)
    tt = clean_cell(" ".join(parts[TT]))
    content = clean_cell("\n".join(parts[CONTENT]))
    if not _looks_like_tt(tt) and not content:
        # "I. CÔNG TÁC …" or "Tổng cộng" typed in the TT column of a merged section row
        number, rest = split_numbered(tt)
        tt, content = number, rest
    return Row(tt=tt, content=content, points=clean_cell(" ".join(parts[POINTS])),
               evidence=parts[EVIDENCE], where=where, method=clean_cell("\n".join(parts[METHOD])), extras=extras)


def column_notes(source: str, columns: Columns) -> list[str]:
    """What the import says about columns outside the rubric: kept beside it, and scores start a score sheet."""
    out = []
    for header in columns.ignored.values():
        if any(word in header.lower() for word in SCORE_WORDS):
            out.append(f"{source}: cột '{header}' là điểm chấm của cơ quan — giữ lại ở đầu tệp YAML, "
                       f"là khởi đầu của một phiếu chấm điểm (cchc score)")
        else:
            out.append(f"{source}: cột '{header}' không thuộc bộ tiêu chí — giữ lại ở đầu tệp YAML")
    return out


#: How far down a table the header row may sit.
HEADER_SEARCH_ROWS = 6


def rows_from_table(table: list[tuple[list[tuple[list[str], int, int]], str]], label: str,
                    notes: list[str]) -> list[Row] | None:
    """Rows of one table given as (cells as (paragraphs, first column, span), where) per table row.

    None when no header row with TT, Nội dung and Điểm columns is found in its first rows.
    """
    for at, (cells, _) in enumerate(table[:HEADER_SEARCH_ROWS]):
        columns = find_columns([(" ".join(p), c, s) for p, c, s in cells])
        if columns is not None:
            break
    else:
        return None
    notes.extend(column_notes(label, columns))
    rows: list[Row] = []
    for cells, where in table[at + 1:]:
        if is_column_number_row([" ".join(p) for p, _, _ in cells]):
            continue
        if not any(p.strip() for paragraphs, _, _ in cells for p in paragraphs):
            continue
        rows.append(row_from_cells(cells, columns, where))
    return rows
