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


def test_the_bundled_v2_is_issued_without_an_override_and_becomes_the_default(workspace, tmp_path, capsys):
    ws = issued_workspace(workspace, tmp_path)
    assert issued_record(ws.history()).name == "v2"
    main(["-w", str(ws.root), "score"])
    out = capsys.readouterr().out
    assert out.startswith("Lưu ý: phiếu chấm ghi theo v1; bộ tiêu chí đã ban hành là v2 (Quyết định số 125/QĐ-UBND)")
    assert "Chỉ số v2" in out  # the preview on the issued rubric is shown without --rubric


def test_scoring_on_another_version_says_so(workspace, tmp_path, capsys):
    ws = issued_workspace(workspace, tmp_path)
    main(["-w", str(ws.root), "score", "--rubric", "v1", "--format", "json", "-o", str(tmp_path / "s.json")])
    err = capsys.readouterr().err
    assert "bộ tiêu chí đang có hiệu lực là v2" in err and "tính theo v1" in err


def test_appraisal_states_are_explicit_and_the_ranking_marks_offices_not_appraised(workspace, capsys):
    import json

    from cchc_consult.score import score_sheets

    ws = Workspace(workspace)
    report = score_sheets(ws.rubric("v1"), ws.sheets(), ws.settings())
    states = {o.office: o.appraisal_state for o in report.offices}
    appraised = {s.office for s in ws.sheets("appraisal")}
    assert all(states[o] == "chưa thẩm định" for o in states if o not in appraised)
    assert {states[o] for o in appraised} <= {"đã thẩm định (không điều chỉnh)", "đã thẩm định (có điều chỉnh)"}
    assert "đã thẩm định (có điều chỉnh)" in states.values()
    main(["-w", str(ws.root), "score"])
    out = capsys.readouterr().out
    waiting = sorted(set(states) - appraised)
    assert f"* chưa thẩm định ({len(waiting)} cơ quan" in out
    first = next(line for line in out.splitlines() if f"  {waiting[0]} " in line)
    assert "*" in first
    main(["-w", str(ws.root), "score", "--format", "json"])
    rows = json.loads(capsys.readouterr().out)["offices"]
    assert {r["office"]: r["appraisal"] for r in rows} == states


def test_an_appraisal_sheet_without_changes_is_no_change_not_missing(workspace):
    from cchc_consult.score import score_sheets
    from cchc_consult.score.compute import score_office  # noqa: F401  (the same rule the report uses)

    ws = Workspace(workspace)
    selves = {s.office: s for s in ws.sheets("self")}
    office = next(o for o in selves if o not in {s.office for s in ws.sheets("appraisal")})
    text = (f'format: cchc-score/1\noffice: {office}\nrubric: "v1"\nkind: appraisal\ndate: "2023-11-01"\n'
            'assessor: "Tổ thẩm định"\nscores: []\n')
    (ws.scores / "appraisal" / f"{office}.yaml").write_text(text, encoding="utf-8")
    report = score_sheets(ws.rubric("v1"), ws.sheets(), ws.settings())
    assert next(o for o in report.offices if o.office == office).appraisal_state == "đã thẩm định (không điều chỉnh)"
