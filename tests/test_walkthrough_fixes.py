"""Bugs found by the new-year walkthrough: each fixed, each held by a test here."""

from __future__ import annotations

import json

import pytest

from cchc_consult.cli import main
from cchc_consult.consult.dispositions import set_disposition
from cchc_consult.errors import NotFoundError
from cchc_consult.workspace import Workspace


def test_an_answer_naming_a_version_that_does_not_exist_is_refused(workspace, capsys):
    path = workspace / "comments" / "dispositions.yaml"
    before = path.read_bytes()
    with pytest.raises(NotFoundError) as err:
        set_disposition(Workspace(workspace), "TP-1", "tiếp thu", version="v3", replace=True)
    assert "v3" in err.value.message and "v1, v2" in err.value.message
    assert main(["-w", str(workspace), "comments", "answer", "TP-1", "tiếp thu", "--version", "v3",
                 "--replace"]) != 0
    out, error = capsys.readouterr()
    assert "Đã ghi" not in out and "v1, v2" in error and "Traceback" not in error
    assert path.read_bytes() == before
    assert main(["-w", str(workspace), "comments", "answer", "TP-1", "tiếp thu", "--version", "v2",
                 "--replace"]) == 0


def test_score_templates_and_a_new_appraisal_are_not_dated_by_the_clock(workspace, tmp_path):
    import datetime as dt

    from cchc_consult.score.edit import set_appraisal
    from cchc_consult.score.sheet import read_sheet
    from cchc_consult.score.template import sheet_template_xlsx, sheet_template_yaml
    from cchc_consult.yamlio import read_yaml

    ws = Workspace(workspace)
    rubric = ws.rubric("v2")
    clock = dt.date.today().isoformat()
    text = sheet_template_yaml(rubric, "TP")
    assert 'date: ""' in text and clock not in text
    assert 'date: "2024-01-05"' in sheet_template_yaml(rubric, "TP", today="2024-01-05")
    path = tmp_path / "TP.xlsx"
    path.write_bytes(sheet_template_xlsx(rubric, "TP"))
    sheet = read_sheet(path)
    assert sheet.date == "" and sheet.office == "TP"
    for old in (ws.scores / "appraisal").glob("*"):
        old.unlink()
    written = set_appraisal(ws, "TP", next(rubric.leaves()).id, "0", "Không có tài liệu kiểm chứng")
    assert read_yaml(written)["date"] == ""


def test_announce_without_the_results_submission_is_refused_until_decision_set_fills_it(workspace, tmp_path, capsys):
    import shutil

    from tests.conftest import REPO
    from tests.test_announce import appraise_everyone
    from tests.test_publish import docx_texts

    path = workspace / "decision.yaml"
    shutil.copy(REPO / "decision.yaml", path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("results:")], encoding="utf-8")  # a new year's decision.yaml: no results yet
    ws = Workspace(workspace)
    appraise_everyone(ws)
    announce_args = ["-w", str(workspace), "announce", "--number", "130", "--date", "15/01/2024",
                     "-o", str(tmp_path / "kq"), "--no-pdf"]
    assert main(announce_args) == 2
    error = capsys.readouterr().err
    assert "decision.yaml" in error and "cchc decision set results.submission.number" in error
    assert "results.submission.date" in error and not (tmp_path / "kq").exists()
    assert main(["-w", str(workspace), "decision", "set", "results.submission.number", "08/TTr-NV"]) == 0
    assert main(announce_args) == 2  # the date still missing
    assert "results.submission.date" in capsys.readouterr().err
    assert main(["-w", str(workspace), "decision", "set", "results.submission.date", "10/01/2024"]) == 0
    assert main(announce_args) == 0
    _, paragraphs, _ = docx_texts(next((tmp_path / "kq").glob("*.docx")))
    assert "Xét đề nghị của Trưởng phòng Nội vụ tại Tờ trình số 08/TTr-NV ngày 10 tháng 01 năm 2024." in paragraphs
    assert "Xét đề nghị của Trưởng phòng Nội vụ." not in paragraphs


def _new_year_blanks(workspace):
    """The example as a new round leaves it: no tờ trình number or date, no signer of the table yet."""
    import shutil

    from tests.conftest import REPO

    decision = workspace / "decision.yaml"
    shutil.copy(REPO / "decision.yaml", decision)
    text = decision.read_text(encoding="utf-8")
    decision.write_text(text.replace("  number: 95/TTr-NV\n", '  number: ""\n')
                        .replace('  date: "2023-08-30"\n', '  date: ""\n'), encoding="utf-8")
    dispositions = workspace / "comments" / "dispositions.yaml"
    text = dispositions.read_text(encoding="utf-8")
    dispositions.write_text(text.replace("name: Nguyễn Văn An", 'name: ""'), encoding="utf-8")
    return decision


def test_submit_refuses_blanks_and_a_draft_leaves_them_blank_never_dated_by_the_clock(workspace, tmp_path, capsys):
    import datetime as dt

    from tests.test_publish import docx_texts

    decision = _new_year_blanks(workspace)
    out = tmp_path / "tt"
    args = ["-w", str(workspace), "submit", "v2", "-o", str(out), "--no-pdf"]
    assert main(args) == 2
    error = capsys.readouterr().err
    for field in ("submission.number", "submission.date", "submission.signer.name", "--draft"):
        assert field in error
    assert "Traceback" not in error and not out.exists()
    assert main(args + ["--draft"]) == 0
    assert "CẢNH BÁO bản nháp: thiếu số tờ trình" in capsys.readouterr().err
    _, paragraphs, cells = docx_texts(out / "To-trinh-v2.docx")
    words = paragraphs + cells
    assert "Số:" in cells and not any("…" in w for w in words)
    today = dt.date.today()
    assert not any(f"ngày {today.day:02d} tháng {today.month:02d} năm {today.year}" in w for w in words)
    for key, value in (("submission.number", "10/TTr-NV"), ("submission.date", "25/8/2023"),
                       ("submission.signer.name", "Trần Văn B")):
        assert main(["-w", str(workspace), "decision", "set", key, value]) == 0
    assert main(args) == 0
    _, paragraphs, cells = docx_texts(out / "To-trinh-v2.docx")
    assert "Số: 10/TTr-NV" in cells and "Trần Văn B" in cells
    assert any(c.endswith("ngày 25 tháng 8 năm 2023") for c in cells)


def test_report_feedback_saves_the_submission_it_is_given_for_submit_and_publish(workspace, tmp_path, capsys):
    from cchc_consult.yamlio import read_yaml
    from tests.test_publish import docx_texts

    decision = _new_year_blanks(workspace)
    before = decision.read_bytes()
    table = tmp_path / "bang.docx"
    feedback = ["-w", str(workspace), "report", "feedback", "-o", str(table), "--submission", "10/TTr-NV",
                "--signer", "Trần Văn B"]
    assert main(feedback + ["--submission-date", "31/2/2023"]) == 2  # a bad date: nothing saved
    assert decision.read_bytes() == before
    capsys.readouterr()
    assert main(feedback + ["--submission-date", "25/8/2023"]) == 0
    error = capsys.readouterr().err
    assert "Đã lưu vào" in error and "decision.yaml" in error and "10/TTr-NV" in error
    saved = read_yaml(decision)["submission"]
    assert (saved["number"], saved["date"], saved["signer"]["name"]) == ("10/TTr-NV", "2023-08-25", "Trần Văn B")
    assert "# tờ trình của Phòng Nội vụ" in decision.read_text(encoding="utf-8")  # the clerk's comments kept
    _, paragraphs, cells = docx_texts(table)
    assert any("Tờ trình số 10/TTr-NV ngày 25/8/2023" in p for p in paragraphs)
    assert "Trần Văn B" in paragraphs + cells
    out = tmp_path / "tt"
    assert main(["-w", str(workspace), "submit", "v2", "-o", str(out), "--no-pdf"]) == 0  # submit sees them
    _, paragraphs, cells = docx_texts(out / "To-trinh-v2.docx")
    assert "Số: 10/TTr-NV" in cells and "Trần Văn B" in cells
    assert any(c.endswith("ngày 25 tháng 8 năm 2023") for c in cells)


def test_an_offices_own_excel_columns_stay_with_the_rows_comment_never_a_comment_of_their_own(workspace, tmp_path, capsys):
    import io

    from openpyxl import load_workbook

    from cchc_consult.consult.comments import read_comment_file
    from cchc_consult.consult.feedback import build_feedback
    from tests.test_intake_forms import EXPECTED, _context, _fill_xlsx
    from cchc_consult.consult.template import comment_template_xlsx

    rubric, offices, round_, office = _context(workspace)
    book = load_workbook(io.BytesIO(_fill_xlsx(comment_template_xlsx(rubric, round_, office), "15/8/2023", False)))
    sheet = book.active
    header = next(i for i in range(1, sheet.max_row + 1)
                  if any(str(c.value or "").startswith("Nội dung góp ý") for c in sheet[i]))
    who, note = sheet.max_column + 1, sheet.max_column + 2
    sheet.cell(header, who).value, sheet.cell(header, note).value = "Người góp ý", "Ghi chú của phòng"
    rows = {sheet.cell(i, 1).value: i for i in range(header + 1, sheet.max_row + 1)}
    sheet.cell(rows["II.1.2"], who).value = "Nguyễn Thị C"
    sheet.cell(rows["II.1.2"], note).value = "Đã thống nhất trong phòng"
    lonely = next(k for k in rows if k and k not in ("II.1.2", "toàn bộ") and k in rubric.index()
                  and not rubric.index()[k].children)
    sheet.cell(rows[lonely], note).value = "Phòng không có ý kiến mục này"  # no comment on the row: kept, unmatched
    path = tmp_path / "TNMT-2023-08-15.xlsx"
    book.save(path)

    f = read_comment_file(path, rubric, offices, round_)
    matched = [c for c in f.comments if c.matched]
    assert [(c.criterion, c.text, c.proposal, c.proposed_points) for c in matched] == EXPECTED
    commented = next(c for c in matched if c.criterion == "II.1.2")
    assert commented.extra == [("Người góp ý", "Nguyễn Thị C"), ("Ghi chú của phòng", "Đã thống nhất trong phòng")]
    assert not any("Nguyễn Thị C" in c.text for c in f.comments)  # not a separate comment to answer
    assert any("Người góp ý" in w.message and "Ghi chú của phòng" in w.message for w in f.warnings)
    kept = [c for c in f.comments if not c.matched]
    assert [(c.criterion, c.text) for c in kept] == [(lonely, "Phòng không có ý kiến mục này")]

    target = workspace / "comments" / path.name
    target.write_bytes(path.read_bytes())
    report = build_feedback(Workspace(workspace).consultation())
    said = next(r.said for r in report.rows if r.office and "thiếu chữ “đến”" in " ".join(r.said))
    assert "Người góp ý: Nguyễn Thị C" in said and "Ghi chú của phòng: Đã thống nhất trong phòng" in said
    # and `cchc comments list` shows them under the comment, in text and in JSON
    assert main(["-w", str(workspace), "comments", "list", "--office", "TNMT"]) in (0, 1)
    listed = capsys.readouterr().out.splitlines()
    line = next(i for i, text in enumerate(listed) if "II.1.2" in text and "thiếu chữ “đến”" in text)
    assert listed[line + 1].startswith(f"{'':12s}→ điểm: II.1.2")
    assert listed[line + 2:line + 4] == [f"{'':12s}Người góp ý: Nguyễn Thị C",
                                         f"{'':12s}Ghi chú của phòng: Đã thống nhất trong phòng"]
    main(["-w", str(workspace), "comments", "list", "--office", "TNMT", "--format", "json"])
    shown = next(c for c in json.loads(capsys.readouterr().out)["comments"] if c["criterion"] == "II.1.2")
    assert shown["extra"] == [{"column": "Người góp ý", "text": "Nguyễn Thị C"},
                              {"column": "Ghi chú của phòng", "text": "Đã thống nhất trong phòng"}]


def test_the_feedback_table_has_the_letterhead_of_the_submission_it_attaches(workspace, tmp_path):
    import io
    import shutil

    from docx import Document
    from docx.oxml.ns import qn

    from tests.conftest import REPO

    decision = workspace / "decision.yaml"
    shutil.copy(REPO / "decision.yaml", decision)
    # the letterhead comes from decision.yaml (as on the tờ trình), not from the rubric's own title lines
    decision.write_text(decision.read_text(encoding="utf-8").replace("short: UBND huyện Quảng Điền",
                                                                     "short: UBND huyện Phong Điền"), encoding="utf-8")
    table = tmp_path / "bang.docx"
    assert main(["-w", str(workspace), "report", "feedback", "-o", str(table)]) == 0
    document = Document(io.BytesIO(table.read_bytes()))
    left = document.tables[0].rows[0].cells[0]
    lines = [p.text for p in left.paragraphs]
    assert lines[:2] == ["UBND HUYỆN PHONG ĐIỀN", "PHÒNG NỘI VỤ"]
    rule = left.paragraphs[2]._p.find(qn("w:pPr")).find(qn("w:pBdr"))  # the short line under the office's name
    assert rule is not None and rule.find(qn("w:bottom")).get(qn("w:val")) == "single"
    assert document.tables[0].rows[0].cells[1].paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def test_score_template_takes_its_date_from_the_command_line(workspace, capsys):
    assert main(["-w", str(workspace), "score", "template", "TP", "--date", "5/1/2024"]) == 0
    assert 'date: "2024-01-05"' in capsys.readouterr().out
    assert main(["-w", str(workspace), "score", "template", "TP"]) == 0
    assert 'date: ""' in capsys.readouterr().out
