"""The Word feedback report fills its pages: short rows are kept whole, a tall one may continue on the next page."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from cchc_consult.cli import main
from cchc_consult.render.feedback_docx import KEEP_WHOLE_MM, LINE_MM, TEXT_HEIGHT_MM, _wrapped_lines, row_height_mm


def test_lines_are_counted_as_text_wraps_at_spaces():
    # 66 mm inside the cell margins at 1.7 mm a character: 38 characters a line
    assert _wrapped_lines("", 70) == 1
    assert _wrapped_lines("x" * 38, 70) == 1
    assert _wrapped_lines("x" * 39, 70) == 2  # one word longer than the line is broken
    assert _wrapped_lines(" ".join(["abcd"] * 7), 70) == 1  # 34 characters with the spaces
    assert _wrapped_lines(" ".join(["abcd"] * 8), 70) == 2  # 39: the last word goes to the next line
    assert _wrapped_lines("ab " + "x" * 39, 70) == 3
    assert _wrapped_lines("một\nhai\nba", 70) == 3


def test_a_row_is_as_tall_as_its_tallest_cell():
    assert row_height_mm(["1", "ngắn", ["dòng một", "dòng hai", "dòng ba"]], (14, 31, 70)) == 3 * LINE_MM
    assert row_height_mm(["1", "chữ " * 60], (14, 70)) == 7 * LINE_MM  # 240 characters, 38 a line


def _rows(path):
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(path))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "STT" and len(t.columns) == 6)
    return [(row, row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None)
            for row in table.rows[1:]], document


def test_short_comment_rows_are_kept_whole_and_tall_ones_may_split(workspace, tmp_path):
    assert main(["-w", str(workspace), "report", "feedback", "-o", str(tmp_path / "fb.docx")]) == 0
    rows, document = _rows(tmp_path / "fb.docx")
    widths = (14, 31, 41, 70, 66, 30)
    kept = [whole for _, whole in rows]
    heights = [row_height_mm([c.text for c in row.cells], widths) for row, _ in rows]
    assert kept == [h <= KEEP_WHOLE_MM for h in heights]
    assert True in kept and False in kept  # the example has both kinds
    assert KEEP_WHOLE_MM < TEXT_HEIGHT_MM / 3  # a row kept whole can leave less than a third of a page empty
    from docx.oxml.ns import qn

    sign = document.tables[-1].rows[0]._tr
    assert sign.trPr.find(qn("w:cantSplit")) is not None  # the signer's title never parts from the name


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="cần LibreOffice (soffice) và poppler (pdftotext) để dàn trang thành PDF")
def test_no_page_of_the_example_report_is_left_a_quarter_empty(workspace, tmp_path):
    import re

    assert main(["-w", str(workspace), "report", "feedback", "-o", str(tmp_path / "fb.docx")]) == 0
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "fb.docx")], check=True, capture_output=True, timeout=180)
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(tmp_path / "fb.pdf")], text=True,
                                                           capture_output=True).stdout).group(1))
    bottom_mm = 210 - 20
    for page in range(1, pages):  # the last page ends where the report ends
        box = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(tmp_path / "fb.pdf"), "-"],
                             text=True, capture_output=True).stdout
        lowest = max(float(y) for y in re.findall(r'yMax="([0-9.]+)"', box)) * 25.4 / 72
        # before: page 1 ended 49 mm above the margin (the first comment kept whole went to page 2)
        assert bottom_mm - lowest < TEXT_HEIGHT_MM / 4, f"trang {page}: {bottom_mm - lowest:.0f} mm để trống"
