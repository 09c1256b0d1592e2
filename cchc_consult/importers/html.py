"""Import a rubric from a web page saved as .html: its tables read as tables by lxml's HTML parser.

Every outermost <table> whose header row names TT, Nội dung and Điểm columns
is read, in page order; colspan is honoured; <br>, <p>, <div>, <li> start a
new line inside a cell (so "- Có ban hành…: 2 điểm" lines stay lines). The
headings and paragraphs outside the tables give the title. lxml's C parser
(already installed for python-docx) reads a 1,000-criterion page in a fifth
of the standard library parser's time.
"""

from __future__ import annotations

from pathlib import Path

from .. import fileio
from ..errors import ImportFormatError, damage_reason
from ..vn import nfc
from .columns import EXPECTED_HEADERS, rows_from_table
from .rows import ImportResult, Row, build_rubric, clean_cell
from .text import meta_from_lines

#: Elements that start a new line inside a cell.
_LINE_TAGS = {"br", "p", "div", "li"}
_HEADINGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6")


def _cell_lines(td) -> list[str]:
    """A cell's text, a line per <br>, <p>, <div> or <li>."""
    lines = [td.text or ""]
    for piece in td.iterdescendants():
        if piece.tag in _LINE_TAGS:
            lines.append("")
        if piece.text and piece.tag != "br" and isinstance(piece.tag, str):
            lines[-1] += piece.text
        if piece.tail:
            lines[-1] += piece.tail
    return [line for line in map(clean_cell, lines) if line]


def _tables(root) -> list[list[tuple[list[tuple[list[str], int, int]], int]]]:
    """Each outermost table as rows of (cells as (lines, first column, span), source line)."""
    out = []
    for table in root.iter("table"):
        if any(a.tag == "table" for a in table.iterancestors()):
            continue  # a table inside a cell belongs to that cell
        rows = []
        for tr in table.iter("tr"):
            cells, col = [], 0
            for td in tr:
                if td.tag not in ("td", "th"):
                    continue
                span = (td.get("colspan") or "1").strip()
                span = int(span) if span.isdigit() and int(span) > 0 else 1
                cells.append((_cell_lines(td), col, span))
                col += span
            rows.append((cells, tr.sourceline or 0))
        out.append(rows)
    return out


def parse_html(text: str, source: str = "") -> ImportResult:
    """A rubric from the tables of an HTML page."""
    from lxml import html as lxml_html

    try:
        root = lxml_html.document_fromstring(nfc(text))
    except Exception as exc:  # lxml raises its own types for an empty or broken page
        raise ImportFormatError(f"không đọc được trang HTML: {damage_reason(exc)}", path=source,
                                fix="mở trang bằng trình duyệt rồi Lưu thành… trang web (.html)") from exc
    tables = _tables(root)
    outside = [el.text_content() for el in root.iter(*_HEADINGS)
               if not any(a.tag == "table" for a in el.iterancestors())]
    name = Path(source).name or "trang"
    rows: list[Row] = []
    notes: list[str] = []
    found = False
    for number, table in enumerate(tables, start=1):
        label = f"{name}, bảng {number}"
        read = rows_from_table([(cells, f"{label}, hàng {k} (dòng {line})") for k, (cells, line)
                                in enumerate(table, start=1)], label, notes)
        if read is None:
            notes.append(f"{label}: không có dòng tiêu đề {EXPECTED_HEADERS}, đã bỏ qua")
            continue
        found = True
        rows.extend(read)
    if not found:
        raise ImportFormatError(
            f"không tìm thấy bảng bộ tiêu chí trong trang (cần dòng tiêu đề {EXPECTED_HEADERS}; "
            f"trang có {len(tables)} bảng)", path=source,
            fix="kiểm tra trang có bảng với các cột TT/STT, Nội dung/Tiêu chí, Điểm chuẩn/Điểm tối đa")

    result = build_rubric(rows, meta_from_lines([clean_cell(t) for t in outside if clean_cell(t)]))
    result.notes = notes + result.notes
    result.rubric.source = source
    return result


def import_html(path: str | Path) -> ImportResult:
    """Import a saved web page (.html / .htm)."""
    return parse_html(fileio.read_text(path), str(path))
