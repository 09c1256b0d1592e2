"""Import the text of a web page whose table cells are separated by blank lines.

This is how the district portal's page (../shared/seed/) reads once copied:
one cell a line, a blank line between cells, a non-breaking space for an empty
cell, and several lines in one evidence cell.
"""

from __future__ import annotations

import re

from .. import fileio
from ..model import RubricMeta
from ..vn import nfc
from .columns import (CONTENT, EVIDENCE, EXTRA, METHOD, POINTS, TT, classify_header, column_notes, find_columns,
                      is_column_number_row, row_from_cells)
from .rows import (ImportResult, Row, build_rubric, clean_cell, inline_band, is_number, is_roman, is_tt,
                   plain_number, read_points_cell)

_HEADER = ("tt", "stt")
_LETTER = re.compile(r"(?:Công văn|Quyết định)\s+(?:số\s+)?([\w/.-]+)\s+ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_YEAR = re.compile(r"NĂM\s+(\d{4})", re.IGNORECASE)
#: The letterhead above a title: the issuing body ("UBND HUYỆN PHONG ĐIỀN") and the national motto.
_LETTERHEAD = re.compile(r"^(?:UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|CỘNG HÒA|CỘNG HOÀ|ĐỘC LẬP)\b")
_ISSUER_LINE = re.compile(r"^(?:UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\s+(HUYỆN|THỊ XÃ|THÀNH PHỐ|QUẬN|TỈNH|XÃ|PHƯỜNG|THỊ TRẤN)"
                          r"\s+(.+)$")


def _cells(text: str) -> list[tuple[str, int]]:
    """Each non-blank line as a cell with its line number; a line holding only a non-breaking space is an empty cell."""
    out = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip(" \t\r") == "":
            continue
        out.append((clean_cell(line), number))
    return out


def meta_from_lines(lines: list[str]) -> RubricMeta:
    """Title, subtitle, year, issuer and covering letter from the lines above a rubric's table."""
    meta = RubricMeta()
    head = "\n".join(lines)
    m = _LETTER.search(head)
    if m:
        meta.letter = m.group(1)
        meta.letter_date = f"{m.group(4)}-{int(m.group(3)):02d}-{int(m.group(2)):02d}"
    titles = [c for c in lines if c.isupper() and len(c) > 20 and not _LETTERHEAD.match(c)]
    if titles:
        meta.title = titles[-2] if len(titles) >= 2 else titles[-1]
        meta.subtitle = titles[-1] if len(titles) >= 2 else ""
        y = _YEAR.search(" ".join(titles))
        meta.year = int(y.group(1)) if y else 0
    issuer = re.search(r"của\s+(UBND\s+huyện\s+[^)]+)\)", head)
    meta.issuer = issuer.group(1).strip() if issuer else ""
    letterhead = next((m for m in map(_ISSUER_LINE.match, lines) if m), None)
    if not meta.issuer and letterhead:
        meta.issuer = f"UBND {letterhead.group(1).lower()} {letterhead.group(2).strip().title()}"
    return meta


def _header_at(cells: list[tuple[str, int]]) -> tuple[int, int] | None:
    """(index, width) of a one-cell-a-line header: TT/STT, then the cells that name columns."""
    for i, (text, _) in enumerate(cells[:-2]):
        if text.lower() not in _HEADER:
            continue
        width = 1
        while i + width < len(cells) and classify_header(cells[i + width][0]) not in ("", TT) and \
                not is_tt(cells[i + width][0]) and len(cells[i + width][0]) < 60:
            width += 1
        roles = [classify_header(c) for c, _ in cells[i:i + width]]
        if CONTENT in roles and POINTS in roles:
            return i, width
    return None


def _next_numbers(last: str) -> set[str]:
    """The numbers a row may carry after `last` when numbering continues: 1.2 → 1.2.1, 1.3, 2."""
    if not is_number(last):
        return {"1"}
    parts = [int(x) for x in last.rstrip(".").split(".")]
    out = {".".join(map(str, parts + [1]))}
    for depth in range(len(parts), 0, -1):
        out.add(".".join(map(str, parts[:depth - 1] + [parts[depth - 1] + 1])))
    return out


def _one_cell_a_line_rows(cells: list[tuple[str, int]], roles: list[str], source: str,
                          absent_empties: bool) -> list[Row]:
    """Rows from cells read one a line, typed: a TT (or empty), the texts before Điểm, the points, then the rest.

    Where empty cells were left out altogether, a text followed by points starts a band row, and a number
    starts a row only where the numbering continues (1.2 → 1.2.1, 1.3, 2; a Roman numeral always).
    """
    before = roles.index(POINTS) - roles.index(TT) - 1 if TT in roles else roles.index(POINTS) - 1
    after = roles[roles.index(POINTS) + 1:]
    rows: list[Row] = []
    last_number = ""

    def is_points(k: int) -> bool:
        return k < len(cells) and bool(cells[k][0]) and read_points_cell(cells[k][0]) is not None

    def is_text(k: int) -> bool:
        return k < len(cells) and bool(cells[k][0]) and read_points_cell(cells[k][0]) is None

    def starts_at(j: int) -> int:
        """How many leading cells (TT included) the row starting at j has before its points; 0 if none starts."""
        if j >= len(cells):
            return 0
        text = cells[j][0]
        if j + 1 < len(cells) and cells[j + 1][0].lstrip().startswith("*") and is_tt(text):
            return -1  # the note row under the table: TT empty, then "* Ghi chú"
        if is_tt(text) and (not text or is_roman(text) or not absent_empties or
                            plain_number(text) in _next_numbers(last_number)):
            if all(is_text(j + 1 + k) for k in range(before)) and is_points(j + 1 + before):
                return 1 + before
        if absent_empties and all(is_text(j + k) for k in range(before)) and is_points(j + before) \
                and not is_roman(text):
            return before
        return 0

    i = 0
    while i < len(cells):
        width = starts_at(i)
        if width == 0:
            if rows and cells[i][0]:
                target = rows[-1]
                target.evidence.append(cells[i][0])
            i += 1
            continue
        line = cells[i][1]
        if width == -1:
            rows.append(Row(cells[i][0], cells[i + 1][0], "", [], f"{source}:{line}"))
            break  # the note closes the table
        has_tt = width == 1 + before
        tt = cells[i][0] if has_tt else ""
        texts = [c for c, _ in cells[i + (1 if has_tt else 0): i + width]]
        points = cells[i + width][0]
        row = Row(tt, texts[0] if texts else "", points, [], f"{source}:{line}")
        if is_number(plain_number(tt)):
            last_number = plain_number(tt)
        elif is_roman(tt):
            last_number = ""
        i += width + 1
        # Cells after the points go to the columns after Điểm, in order; empty ones just take their place.
        for role in after:
            if i >= len(cells) or starts_at(i):
                break
            value = cells[i][0]
            if role == EVIDENCE:
                if value:
                    row.evidence.append(value)
            elif role == METHOD:
                row.method = value
            elif value:
                row.extras[role] = value
            i += 1
        rows.append(row)
    return rows


_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _split_row(line: str, separator: str, edges: tuple[bool, bool] = (True, True)) -> list[str]:
    """A line's cells; `edges` says whether the table's rows open and close with a "|" (Markdown does)."""
    if separator == "|":
        line = line.strip()
        if edges[0] and line.startswith("|"):
            line = line[1:]
        if edges[1] and line.endswith("|"):
            line = line[:-1]
    return [c.strip() for c in line.split(separator)]


def _separated_rows(lines: list[str], separator: str, source: str) -> tuple[list[str], list[tuple[list[str], int]]]:
    """(lines above the table, rows of cells with their line numbers) of a pipe, Markdown or tab-separated table.

    A row broken over several lines (fewer separators than the header has) is joined back; a row that only
    continues the cells above (no TT, no points) is a wrapped cell, added to the row above.
    """
    header_at = next((n for n, line in enumerate(lines) if separator in line and
                      _split_row(line, separator)[0].lower().strip(" *") in _HEADER), None)
    if header_at is None:
        return lines, []
    head = lines[header_at].strip()
    edges = (head.startswith("|"), head.endswith("|"))
    width = len(_split_row(head, separator, edges))
    out: list[tuple[list[str], int]] = []
    n = header_at
    while n < len(lines):
        line = lines[n]
        number = n + 1
        n += 1
        if not line.strip() or _PIPE_RULE.match(line) or separator not in line:
            if out and line.strip() and separator not in line and separator == "|" and len(out[-1][0]) < width:
                pass
            elif not line.strip() or _PIPE_RULE.match(line):
                continue
            else:
                out.append(([line.strip()], number))  # a line outside the table's grid (a note below it)
                continue
        cells = _split_row(line, separator, edges)
        while len(cells) < width and n < len(lines) and lines[n].strip() and not _PIPE_RULE.match(lines[n]):
            more = _split_row(lines[n], separator, (False, edges[1])) if separator in lines[n] else [lines[n].strip()]
            cells[-1] = cells[-1] + "\n" + more[0]
            cells.extend(more[1:])
            n += 1
        out.append((cells, number))
    return lines[:header_at], out


def _grid_rows(grid: list[tuple[list[str], int]], source: str, notes: list[str]) -> list[Row] | None:
    """Rows of a table given cell by cell, its first row the header; wrapped cells joined to the row above."""
    columns = find_columns([(c, i, 1) for i, c in enumerate(grid[0][0])])
    if columns is None:
        return None
    notes.extend(column_notes(source, columns))
    rows: list[Row] = []
    for cells, number in grid[1:]:
        if is_column_number_row(cells):
            continue
        row = row_from_cells([(c.split("\n"), i, 1) for i, c in enumerate(cells)], columns, f"{source}:{number}")
        if rows and not row.tt and not clean_cell(row.points) and row.content and len(cells) > 1 \
                and not row.content.lstrip().startswith("*") and inline_band(row.content) is None:
            above = rows[-1]  # a wrapped cell: the text goes on under the row above
            above.content = f"{above.content} {row.content}"
            above.evidence.extend(row.evidence)
            continue
        rows.append(row)
    return rows


def parse_page_text(text: str, source: str = "") -> ImportResult:
    """A rubric from text: a page copied one cell a line, or a pipe, Markdown or tab-separated table."""
    text = nfc(text).replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    notes: list[str] = []
    for separator in ("\t", "|"):
        if sum(1 for line in lines if line.count(separator) >= 2) < 3:
            continue
        above, grid = _separated_rows(lines, separator, source)
        rows = _grid_rows(grid, source, notes) if grid else None
        if rows:
            result = build_rubric(rows, meta_from_lines([clean_cell(x.lstrip("# ")) for x in above
                                                         if clean_cell(x.lstrip("# "))]))
            result.notes = notes + result.notes
            return result
    return _parse_one_cell_a_line(text, source)


def _bar_cells(text: str) -> list[tuple[str, int]]:
    """Cells between lines holding only "|": a cell may run over several lines; one with no text is empty."""
    out: list[tuple[str, int]] = []
    lines: list[str] = []
    first = 0
    opened = False  # above the first "|" line every line is its own cell (the title lines)
    for number, line in enumerate(text.split("\n"), start=1):
        if not opened and line.strip() != "|":
            if line.strip(" \t"):
                out.append((clean_cell(line), number))
            continue
        opened = True
        if line.strip() == "|":
            if lines or first:
                out.append((clean_cell("\n".join(lines)), first or number))
            lines, first = [], 0
            continue
        if line.strip(" \t"):
            lines.append(line)
            first = first or number
    if lines:
        out.append((clean_cell("\n".join(lines)), first))
    return out


def _parse_one_cell_a_line(text: str, source: str) -> ImportResult:
    """The page-text layouts with one cell a line: blank lines between cells, or every line a cell.

    The layout the header suggests is read first; when that reading leaves rows unplaced or sums that do
    not add up, the other reading is tried too and the one the table's own arithmetic agrees with is kept.
    """
    bars = sum(1 for line in text.split("\n") if line.strip() == "|")
    separated = _bar_cells(text) if bars >= 3 else _cells(text)
    found = _header_at(separated)
    readings = [(separated, found)]
    if found is not None and found[1] > 1:
        every_line = [(clean_cell(line), n) for n, line in enumerate(text.split("\n"), start=1)]
        at = next(k for k, (_, n) in enumerate(every_line) if n == separated[found[0]][1])
        again = _header_at(every_line[at:])
        if again is not None and again[0] == 0:
            # the header's cells on consecutive lines: every line a cell, a blank line an empty one, first
            consecutive = separated[found[0] + 1][1] == separated[found[0]][1] + 1
            other = (every_line, (at, again[1]))
            readings = [other, readings[0]] if consecutive else [readings[0], other]
    best: tuple[tuple[int, int, int], ImportResult] | None = None
    for cells, header in readings:
        result = _read_cells(cells, header, separated, source)
        score = _disagreement(result)
        if best is None or score < best[0]:
            best = (score, result)
        if score[:2] == (0, 0):
            break  # every row placed, every sum adds up: no need to try the other reading
    return best[1]  # type: ignore[index]


def _disagreement(result: ImportResult) -> tuple[int, int, int]:
    """How much a reading disagrees with its table: no node at all; rows not placed, numbers met twice and sums
    that do not add up; fewer nodes. A misread layout shifts cells, and the table's own arithmetic shows it."""
    rubric = result.rubric
    ids = [n.id for n in rubric.walk()]
    sums = sum(1 for n in rubric.walk() if n.children and n.max is not None and n.children_sum() != n.max)
    if rubric.declared_total is not None and rubric.declared_total != rubric.computed_total():
        sums += 1
    faults = len(result.warnings) + len(result.unplaced) + len(ids) - len(set(ids)) + sums
    return int(not ids), faults, -len(ids)


def _read_cells(cells: list[tuple[str, int]], found: tuple[int, int] | None, separated: list,
                source: str) -> ImportResult:
    """One reading of the cells: the header at `found`, then the rows."""
    meta = meta_from_lines([c for c, _ in cells[: found[0] if found else 0] if c])
    if found is None:
        result = build_rubric([], meta)
        result.warnings.append(f"{source}: không tìm thấy dòng tiêu đề bảng 'TT | Nội dung | Điểm chuẩn'")
        return result
    start, width = found
    roles = [classify_header(c) for c, _ in cells[start:start + width]]
    roles = [r if r != EXTRA else cells[start + k][0] for k, r in enumerate(roles)]
    body = cells[start + width:]
    if cells is not separated:
        while body and not body[0][0]:
            body = body[1:]  # the blank line under the header
    if body and is_column_number_row([c for c, _ in body[:width]]):
        body = body[width:]
    # blank lines in the one-line-a-cell reading, non-breaking spaces in the other, mark empty cells;
    # where neither appears, empty cells were left out and the rows are read by type and numbering
    absent = cells is separated and not any(c == "" for c, _ in body)
    rows = _one_cell_a_line_rows(body, roles, source, absent_empties=absent)
    result = build_rubric(rows, meta)
    notes = [f"{source}: cột '{r}' không thuộc bộ tiêu chí, giữ riêng bên cạnh" for r in roles
             if r not in (TT, CONTENT, POINTS, EVIDENCE, METHOD)]
    result.notes = notes + result.notes
    return result


def import_text(path: str) -> ImportResult:
    """Import a saved page text file (UTF-8, BOM or UTF-16 accepted)."""
    return parse_page_text(fileio.read_text(path), str(path))
