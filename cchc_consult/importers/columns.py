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

TT, CONTENT, POINTS, EVIDENCE, EXTRA = "tt", "content", "points", "evidence", "extra"
REQUIRED = (TT, CONTENT, POINTS)
EXPECTED_HEADERS = "TT | Nội dung | Điểm chuẩn | Tài liệu kiểm chứng"

_TT_HEADER = re.compile(r"^(?:s\.?\s?tt|tt|số\s*tt|số thứ tự)\.?$")
_EXTRA_WORDS = ("tự chấm", "thẩm định", "tự đánh giá", "ghi chú", "đạt được", "được chấm", "chấm điểm")
_COLUMN_NUMBER = re.compile(r"^\(?(\d+)\)?$")


def classify_header(text: str) -> str:
    """The role of a header cell: tt, content, points, evidence, extra — or "" for an empty cell."""
    t = clean_cell(text).lower().replace("\n", " ")
    if not t:
        return ""
    if _TT_HEADER.match(t):
        return TT
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
    parts: dict[str, list[str]] = {TT: [], CONTENT: [], POINTS: [], EVIDENCE: []}
    for paragraphs, start, span in cells:
        covered = [columns.roles[c] for c in range(start, start + span) if c in columns.roles]
        covered = [r for r in covered if r != EXTRA]
        if not covered:
            continue
        text = " ".join(p for p in paragraphs if p.strip())
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
    content = clean_cell(" ".join(parts[CONTENT]))
    if not _looks_like_tt(tt) and not content:
        # "I. CÔNG TÁC …" or "Tổng cộng" typed in the TT column of a merged section row
        number, rest = split_numbered(tt)
        tt, content = number, rest
    return Row(tt=tt, content=content, points=clean_cell(" ".join(parts[POINTS])),
               evidence=parts[EVIDENCE], where=where)
