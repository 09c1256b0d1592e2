"""Scoring after a version is issued: the issued rubric is the default, any other version says so."""

from __future__ import annotations

import shutil

from cchc_consult.cli import main
from cchc_consult.publish import issued_record, publish
from cchc_consult.workspace import Workspace
from tests.conftest import REPO


def issued_workspace(workspace, tmp_path) -> Workspace:
    shutil.copy(REPO / "decision.yaml", workspace / "decision.yaml")
    ws = Workspace(workspace)
    publish(ws, "v2", "125/QĐ-UBND", "2023-09-01", out_dir=tmp_path / "qd", pdf=False)
    return ws


def test_no_issued_version_means_no_notice(workspace, capsys):
    assert issued_record(Workspace(workspace).history()) is None
    main(["-w", str(workspace), "score"])
    assert "Lưu ý: " not in capsys.readouterr().out


def sheets_on(ws: Workspace, version: str) -> None:
    """Every sheet of the example rewritten as if scored on `version` (the ids of v1 and v2 answer both)."""
    for path in ws.scores.glob("*/*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('rubric: "v2"', f'rubric: "{version}"'), encoding="utf-8")


def test_the_bundled_v2_is_issued_without_an_override_and_its_sheets_score_on_it(workspace, tmp_path, capsys):
    ws = issued_workspace(workspace, tmp_path)
    assert issued_record(ws.history()).name == "v2"
    main(["-w", str(ws.root), "score"])
    out = capsys.readouterr().out
    assert out.startswith("KẾT QUẢ CHẤM ĐIỂM CHỈ SỐ CCHC NĂM 2023 — bộ tiêu chí v2")
    assert "Lưu ý: " not in out and "ẢNH HƯỞNG ĐẾN ĐIỂM" not in out


def test_sheets_on_another_version_are_previewed_on_the_issued_one(workspace, tmp_path, capsys):
    ws = issued_workspace(workspace, tmp_path)
    sheets_on(ws, "v1")
    main(["-w", str(ws.root), "score"])
    out = capsys.readouterr().out
    assert out.startswith("Lưu ý: phiếu chấm ghi theo v1; bộ tiêu chí đã ban hành là v2 (Quyết định số 125/QĐ-UBND)")
    assert "Chỉ số v2" in out  # the preview on the issued rubric is shown without --rubric


def test_scoring_on_another_version_says_so(workspace, tmp_path, capsys):
    ws = issued_workspace(workspace, tmp_path)
    main(["-w", str(ws.root), "score", "--rubric", "v1", "--format", "json", "-o", str(tmp_path / "s.json")])
    err = capsys.readouterr().err
    assert "bộ tiêu chí đang có hiệu lực là v2" in err and "tính theo v1" in err


def test_every_bundled_office_has_an_explicit_appraisal_state(workspace):
    from cchc_consult.score import score_sheets

    ws = Workspace(workspace)
    report = score_sheets(ws.rubric("v2"), ws.sheets(), ws.settings())
    states = {o.office: o.appraisal_state for o in report.offices}
    assert {s.office for s in ws.sheets("appraisal")} == {s.office for s in ws.sheets("self")} == set(states)
    # both kinds of "appraised" are in the example; nobody is left to appraise
    assert set(states.values()) == {"đã thẩm định (không điều chỉnh)", "đã thẩm định (có điều chỉnh)"}
    assert states["GDDT"] == "đã thẩm định (không điều chỉnh)" and states["TP"] == "đã thẩm định (có điều chỉnh)"


def test_appraisal_states_are_explicit_and_the_ranking_marks_offices_not_appraised(workspace, capsys):
    import json

    from cchc_consult.score import score_sheets

    ws = Workspace(workspace)
    for office in ("GDDT", "TTR"):  # one without changes, one with: both become "not appraised"
        (ws.scores / "appraisal" / f"{office}.yaml").unlink()
    report = score_sheets(ws.rubric("v2"), ws.sheets(), ws.settings())
    states = {o.office: o.appraisal_state for o in report.offices}
    appraised = {s.office for s in ws.sheets("appraisal")}
    assert {o for o in states if o not in appraised} == {"GDDT", "TTR"}
    assert all(states[o] == "chưa thẩm định" for o in ("GDDT", "TTR"))
    assert {states[o] for o in appraised} == {"đã thẩm định (không điều chỉnh)", "đã thẩm định (có điều chỉnh)"}
    main(["-w", str(ws.root), "score"])
    out = capsys.readouterr().out
    assert "* chưa thẩm định (2 cơ quan: GDDT, TTR)" in out
    for office in ("GDDT", "TTR"):
        row = next(line for line in out.splitlines() if f"  {office} " in line)
        assert "*" in row
    main(["-w", str(ws.root), "score", "--format", "json"])
    rows = json.loads(capsys.readouterr().out)["offices"]
    assert {r["office"]: r["appraisal"] for r in rows} == states


def test_an_appraisal_sheet_without_changes_is_no_change_not_missing(workspace):
    from cchc_consult.score import score_sheets

    ws = Workspace(workspace)
    sheet = ws.scores / "appraisal" / "VP.yaml"
    assert "scores: []" in sheet.read_text(encoding="utf-8")
    report = score_sheets(ws.rubric("v2"), ws.sheets(), ws.settings())
    assert next(o for o in report.offices if o.office == "VP").appraisal_state == "đã thẩm định (không điều chỉnh)"
    sheet.unlink()
    report = score_sheets(ws.rubric("v2"), ws.sheets(), ws.settings())
    assert next(o for o in report.offices if o.office == "VP").appraisal_state == "chưa thẩm định"


def test_the_score_workbook_and_page_say_when_they_are_not_on_the_issued_rubric(workspace, tmp_path, capsys):
    from openpyxl import load_workbook

    ws = issued_workspace(workspace, tmp_path)
    target = tmp_path / "kq.xlsx"
    main(["-w", str(ws.root), "score", "--format", "xlsx", "-o", str(target)])
    assert not load_workbook(target)["Xếp hạng"]["A3"].value  # on the issued v2: nothing to say
    sheets_on(ws, "v1")
    main(["-w", str(ws.root), "score", "--format", "xlsx", "-o", str(target)])
    main(["-w", str(ws.root), "score", "--format", "html", "-o", str(tmp_path / "kq.html")])
    capsys.readouterr()
    for name in ("Xếp hạng", "Điểm từng tiêu chí", "Điều chỉnh thẩm định"):
        assert load_workbook(target)[name]["A3"].value.startswith("Lưu ý: phiếu chấm ghi theo v1; bộ tiêu chí đã ban hành là v2")
    assert "Lưu ý: phiếu chấm ghi theo v1; bộ tiêu chí đã ban hành là v2" in (tmp_path / "kq.html").read_text(
        encoding="utf-8")
