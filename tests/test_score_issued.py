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
