"""Excel sheets that print like paper forms: a title block, a bold header frozen and repeated on every printed
page, column widths, thin borders, A4 fitted to the page width, wrapped rows given their height.

One home for the layout of every workbook the tool writes for people to print (the score workbook, the
blank score sheet). openpyxl is imported on first use; numbers stay numbers (`POINTS_FORMAT`, `INDEX_FORMAT`):
Excel and LibreOffice show them with the decimal comma on a Vietnamese system.
"""

from __future__ import annotations

from typing import Any, Sequence

FONT = "Times New Roman"
#: Points as Excel's General: 2 and 1,5 with no trailing separator ("0.##" would print "2,").
POINTS_FORMAT = "General"
#: An index with two decimals, as the ranking prints it (98,42).
INDEX_FORMAT = "0.00"
#: Printed height of one line of 12 pt text, in points.
LINE_HEIGHT = 15.5


def form_sheet(sheet: Any, titles: Sequence[str], headers: Sequence[str], widths: Sequence[float], *,
               landscape: bool = False) -> int:
    """Lay out the top of a sheet: the title lines (first bold), then the header row. Returns the header's row."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    last = get_column_letter(len(headers))
    for number, line in enumerate(titles, 1):
        sheet.append([line])
        sheet.merge_cells(f"A{number}:{last}{number}")
        cell = sheet.cell(number, 1)
        cell.font = Font(name=FONT, bold=number == 1, italic=number > 1, size=14 if number == 1 else 12)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.row_dimensions[number].height = (20 if number == 1 else LINE_HEIGHT) * _lines(line, sum(widths))
    sheet.append(list(headers))
    header = len(titles) + 1
    for cell in sheet[header]:
        cell.font = Font(name=FONT, bold=True, size=12)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    # the header's height: its longest title wrapped in its column (a width is about one character)
    sheet.row_dimensions[header].height = LINE_HEIGHT * max(
        _lines(str(title), width) for title, width in zip(headers, widths))
    sheet.freeze_panes = f"A{header + 1}"
    sheet.print_title_rows = f"{header}:{header}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "Trang &P / &N"
    return header


def finish_table(sheet: Any, header: int, widths: Sequence[float]) -> None:
    """Borders, the body font and wrapped text with its height for every row under `header`."""
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in sheet[header]:
        cell.border = box
    for row in sheet.iter_rows(min_row=header + 1, max_row=sheet.max_row, max_col=len(widths)):
        lines = 1
        for cell, width in zip(row, widths):
            cell.border = box
            cell.font = Font(name=FONT, size=12, bold=cell.font.bold)
            horizontal = cell.alignment.horizontal
            if isinstance(cell.value, str):
                lines = max(lines, _lines(cell.value, width))
                cell.alignment = Alignment(horizontal=horizontal, vertical="top", wrap_text=True)
            else:
                cell.alignment = Alignment(horizontal=horizontal or "right", vertical="top")
        # Excel sizes wrapped rows itself; LibreOffice's PDF export does not: give the lines their height
        sheet.row_dimensions[row[0].row].height = LINE_HEIGHT * lines


def _lines(text: str, width: float) -> int:
    """How many printed lines `text` takes in a column `width` characters wide (12 pt Times: ~1,1 char a unit)."""
    per_line = max(1, int(width * 1.1) - 1)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))
