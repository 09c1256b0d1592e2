"""The three comment forms (YAML, Excel, Word) read back to the same comments; a form sent back unchanged is blank."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest

from cchc_consult.consult.comments import read_comment_file
from cchc_consult.consult.template import (check_office, comment_template_docx, comment_template_xlsx,
                                           comment_template_yaml)
from cchc_consult.workspace import Workspace

ROWS = {"II.1.2": ("Mức 1 điểm thiếu chữ “đến”.", "Từ 80% đến dưới 100%", "1,5"),
        "toàn bộ": ("Đề nghị thống nhất mốc chốt số liệu.", "", "")}
EXPECTED = [("*", "Đề nghị thống nhất mốc chốt số liệu.", "", None),
            ("II.1.2", "Mức 1 điểm thiếu chữ “đến”.", "Từ 80% đến dưới 100%", Decimal("1.5"))]


def _context(workspace):
    ws = Workspace(workspace)
    offices = ws.offices()
    round_ = ws.round(offices)
    return ws.round_rubric(round_), offices, round_, check_office("TNMT", offices)


def _fill_yaml(text: str, date: str, agree: bool) -> str:
    import re

    text = text.replace('date_sent: ""', f'date_sent: "{date}"')
    if agree:
        text = text.replace("agree_all: false", "agree_all: true")
    for criterion, (comment, proposal, points) in ROWS.items():
        block = re.search(rf'  - criterion: "{re.escape(criterion)}".*?(?=\n  - |\Z)', text, re.S).group(0)
        filled = block.replace('comment: ""', f'comment: "{comment}"', 1).replace(
            'proposal: ""', f'proposal: "{proposal}"', 1).replace('proposed_points: ""', f'proposed_points: "{points}"', 1)
        text = text.replace(block, filled)
    return text


def _fill_xlsx(data: bytes, date: str, agree: bool) -> bytes:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    for i in range(1, sheet.max_row + 1):
        label = sheet.cell(i, 1).value
        if label == "Ngày gửi":
            sheet.cell(i, 2).value = date
        elif label == "Đồng ý toàn bộ" and agree:
            sheet.cell(i, 2).value = "x"
        elif label in ROWS:
            comment, proposal, points = ROWS[label]
            sheet.cell(i, 5).value, sheet.cell(i, 6).value, sheet.cell(i, 7).value = comment, proposal or None, \
                points or None
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill_docx(data: bytes, date: str, agree: bool) -> bytes:
    from docx import Document

    document = Document(io.BytesIO(data))
    for p in document.paragraphs:
        for label, value in (("Ngày gửi:", date), ("Đồng ý toàn bộ:", "x" if agree else "")):
            if p.text.startswith(label) and value:
                for run in p.runs[1:]:
                    run.text = ""
                p.runs[0].text = f"{label} {value}"
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Tiêu chí")
    for row in table.rows[1:]:
        first = row.cells[0].text
        key = "toàn bộ" if first == "Toàn bộ dự thảo" else first.split(". ", 1)[0]
        if key in ROWS:
            for cell, text in zip(row.cells[2:], ROWS[key]):
                cell.paragraphs[0].text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


FORMS = {
    "yaml": (lambda *a: comment_template_yaml(*a).encode("utf-8"),
             lambda data, date, agree: _fill_yaml(data.decode("utf-8"), date, agree).encode("utf-8")),
    "xlsx": (comment_template_xlsx, _fill_xlsx),
    "docx": (comment_template_docx, _fill_docx),
}


@pytest.mark.parametrize("kind", FORMS)
def test_a_form_sent_back_unchanged_is_blank(workspace, tmp_path, kind):
    rubric, offices, round_, office = _context(workspace)
    path = tmp_path / f"TNMT-phieu.{kind}"
    path.write_bytes(FORMS[kind][0](rubric, round_, office))
    f = read_comment_file(path, rubric, offices, round_)
    assert f.readable and f.addressed and f.blank and f.comments == [] and f.errors == []
    assert f.office == "TNMT"
    # a blank form is no reply: it needs no date, so none is asked for
    assert not any("ngày gửi" in w.message for w in f.warnings), f.warnings


@pytest.mark.parametrize("kind", FORMS)
def test_a_filled_form_without_a_date_is_still_warned(workspace, tmp_path, kind):
    rubric, offices, round_, office = _context(workspace)
    make, fill = FORMS[kind]
    path = tmp_path / f"TNMT-khong-ngay.{kind}"
    path.write_bytes(fill(make(rubric, round_, office), "", False))
    f = read_comment_file(path, rubric, offices, round_)
    assert not f.blank and f.date_sent is None
    undated = [w.message for w in f.warnings if "ngày gửi" in w.message]
    assert undated == ["tệp không ghi ngày gửi: không xác định được đúng hạn hay trễ hạn"]


def test_comments_list_prints_no_date_warning_for_a_blank_form(workspace, capsys):
    from cchc_consult import cli

    rubric, offices, round_, office = _context(workspace)
    (workspace / "comments" / "TNMT-phieu.yaml").write_text(comment_template_yaml(rubric, round_, office),
                                                             encoding="utf-8")
    cli.main(["-w", str(workspace), "comments", "list"])
    captured = capsys.readouterr()
    lines = [line for line in (captured.out + captured.err).splitlines() if "TNMT-phieu" in line]
    assert lines and not any("không ghi ngày gửi" in line for line in lines), lines


@pytest.mark.parametrize("kind", FORMS)
def test_a_filled_form_reads_back_the_same_comments(workspace, tmp_path, kind):
    rubric, offices, round_, office = _context(workspace)
    make, fill = FORMS[kind]
    path = tmp_path / f"TNMT-2023-08-15.{kind}"
    path.write_bytes(fill(make(rubric, round_, office), "15/8/2023", False))
    f = read_comment_file(path, rubric, offices, round_)
    assert f.errors == [] and not f.blank and f.date_sent == dt.date(2023, 8, 15) and not f.agree_all
    assert [(c.criterion, c.text, c.proposal, c.proposed_points) for c in f.comments] == EXPECTED
    assert all(c.office == "TNMT" and c.matched for c in f.comments)


@pytest.mark.parametrize("kind", FORMS)
def test_agreeing_with_everything_on_a_form(workspace, tmp_path, kind, monkeypatch):
    rubric, offices, round_, office = _context(workspace)
    make, fill = FORMS[kind]
    monkeypatch.setitem(globals(), "ROWS", {})  # no comment written: only the date and "đồng ý toàn bộ"
    path = tmp_path / f"TNMT-dong-y.{kind}"
    path.write_bytes(fill(make(rubric, round_, office), "12/8/2023", True))
    f = read_comment_file(path, rubric, offices, round_)
    assert f.agree_all and not f.blank and f.comments == [] and f.errors == []
    assert f.date_sent == dt.date(2023, 8, 12)


def test_the_excel_form_prints_as_a_form(workspace):
    from openpyxl import load_workbook

    rubric, offices, round_, office = _context(workspace)
    sheet = load_workbook(io.BytesIO(comment_template_xlsx(rubric, round_, office))).active
    header = next(i for i in range(1, 20) if sheet.cell(i, 1).value == "Mã tiêu chí")
    assert sheet.freeze_panes == f"A{header + 1}"
    assert sheet.print_title_rows.replace("$", "") == f"{header}:{header}"  # repeated on every printed page
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert "A1:H1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet.column_dimensions["B"].width >= 40 and sheet.column_dimensions["E"].width >= 40
