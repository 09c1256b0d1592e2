"""Bugs found by the new-year walkthrough: each fixed, each held by a test here."""

from __future__ import annotations

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
