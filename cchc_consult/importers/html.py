"""Import a rubric from a web page saved as .html: its tables read as tables by the standard HTML parser.

Every <table> whose header row names TT, Nội dung and Điểm columns is read, in
page order; colspan is honoured, rowspan continuations read as empty (as in
Word). Text above the first table gives the title.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from .. import fileio
from ..errors import ImportFormatError
from ..model import nfc
from .columns import EXPECTED_HEADERS, rows_from_table
from .rows import ImportResult, Row, build_rubric, clean_cell

_BREAKS = {"br", "p", "div", "li", "tr"}


class _Tables(HTMLParser):
    """Collects tables as rows of (paragraphs, first column, span), and the text outside tables."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[tuple[list[tuple[list[str], int, int]], int]]] = []
        self.outside: list[str] = []
        self._depth = 0
        self._row: list[tuple[list[str], int, int]] | None = None
        self._cell: list[str] | None = None
        self._col = 0
        self._span = 1
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "table":
            self._depth += 1
            if self._depth == 1:
                self.tables.append([])
        elif self._depth == 1 and tag == "tr":
            self._row, self._col = [], 0
        elif self._depth == 1 and tag in ("td", "th") and self._row is not None:
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.strip().isdigit() and int(span) > 0 else 1
            self._cell = [""]
        elif tag in _BREAKS:
            self._newline()

    def _newline(self) -> None:
        if self._cell is not None:
            self._cell.append("")
        else:
            self.outside.append("")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag == "table":
            self._depth = max(0, self._depth - 1)
        elif self._depth == 1 and tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(([clean_cell(p) for p in self._cell if clean_cell(p)], self._col, self._span))
            self._col += self._span
            self._cell = None
        elif self._depth == 1 and tag == "tr" and self._row is not None:
            self.tables[-1].append((self._row, self.getpos()[0]))
            self._row = None
        elif tag in _BREAKS:
            self._newline()

    def handle_data(self, data):
        if self._skip:
            return
        if self._cell is not None:
            self._cell[-1] += data
        elif self._depth == 0:
            if not self.outside:
                self.outside.append("")
            self.outside[-1] += data


def parse_html(text: str, source: str = "") -> ImportResult:
    """A rubric from the tables of an HTML page."""
    parser = _Tables()
    parser.feed(nfc(text))
    parser.close()
    name = Path(source).name or "trang"
    rows: list[Row] = []
    notes: list[str] = []
    found = False
    for number, table in enumerate(parser.tables, start=1):
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
            f"trang có {len(parser.tables)} bảng)", path=source,
            fix="kiểm tra trang có bảng với các cột TT/STT, Nội dung/Tiêu chí, Điểm chuẩn/Điểm tối đa")
    from .text import meta_from_lines

    result = build_rubric(rows, meta_from_lines([clean_cell(t) for t in parser.outside if clean_cell(t)]))
    result.notes = notes + result.notes
    result.rubric.source = source
    return result


def import_html(path: str | Path) -> ImportResult:
    """Import a saved web page (.html / .htm)."""
    return parse_html(fileio.read_text(path), str(path))
