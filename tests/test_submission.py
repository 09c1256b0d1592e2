"""The tờ trình: how the round went, the accepted findings listed, the proposal; Word through `cchc submit`."""

from __future__ import annotations

import shutil

from cchc_consult.accepted import accept_finding
from cchc_consult.check import check
from cchc_consult.cli import main
from cchc_consult.submission import build_submission
from cchc_consult.workspace import Workspace
from tests.conftest import REPO
from tests.test_publish import docx_texts


def ws_with_decision(workspace) -> Workspace:
    shutil.copy(REPO / "decision.yaml", workspace / "decision.yaml")
    return Workspace(workspace)


def test_the_submission_tells_the_round_from_the_data(workspace):
    ws = ws_with_decision(workspace)
    consultation = ws.consultation()
    s = build_submission(consultation, ws.decision(), "v2", ws.accepted())
    assert s.number_line == "Số: 95/TTr-NV" and s.place_date.endswith("ngày 30 tháng 8 năm 2023")
    assert s.subject.startswith("Đề nghị ban hành Bộ tiêu chí") and s.addressee.startswith("Kính gửi: Chủ tịch")
    body = " ".join(s.paragraphs)
    consulted = len(consultation.round.consulted)
    assert f"lấy ý kiến {consulted} cơ quan" in body and "Công văn số 1632/UBND ngày 26 tháng 7 năm 2023" in body
    answers = [d.status for d in consultation.dispositions.items.values()]
    assert f"Đã tiếp thu {answers.count('tiếp thu')} ý kiến" in body
    assert f"sửa {len(consultation.dispositions.initiatives)} nội dung" in body
    assert "không còn lỗi kiểm tra" in body and s.accepted == []
    assert "ký Quyết định ban hành Bộ tiêu chí" in s.proposal and s.proposal.endswith("./.")


def test_accepted_findings_are_listed_with_their_reasons(workspace):
    ws = ws_with_decision(workspace)
    accept_finding(ws, "v1", "coverage-gap", "I.7", "Giữ như dự thảo theo ý kiến Ban Chỉ đạo", check(ws.rubric("v1")))
    s = build_submission(ws.consultation(), ws.decision(), "v1", ws.accepted())
    assert s.accepted == ["- Tiêu chí I.7 (coverage-gap): Giữ như dự thảo theo ý kiến Ban Chỉ đạo"]
    assert "còn 1 nội dung chưa thống nhất" in " ".join(s.paragraphs)
    assert build_submission(ws.consultation(), ws.decision(), "v2", ws.accepted()).accepted == []


def test_cchc_submit_writes_the_word_file(workspace, tmp_path, capsys):
    ws = ws_with_decision(workspace)
    code = main(["-w", str(ws.root), "submit", "v2", "--signer", "Trần Văn B", "-o", str(tmp_path), "--no-pdf"])
    assert code == 0 and "Đã ghi tờ trình" in capsys.readouterr().out
    document, paragraphs, cells = docx_texts(tmp_path / "To-trinh-v2.docx")
    assert "TỜ TRÌNH" in paragraphs and "Trần Văn B" in cells and "Số: 95/TTr-NV" in cells
    assert document.sections[0].different_first_page_header_footer


def test_the_submission_is_signed_by_the_signer_of_the_table_it_attaches_unless_told(workspace):
    ws = ws_with_decision(workspace)
    report = ws.consultation().dispositions.report
    assert report.signer_name  # the example names the head of Phòng Nội vụ in dispositions.yaml
    s = build_submission(ws.consultation(), ws.decision(), "v2", ws.accepted())
    assert (s.signer_title, s.signer_name) == (report.signer_title, report.signer_name)
    s = build_submission(ws.consultation(), ws.decision(), "v2", ws.accepted(), signer_name="Trần Văn B")
    assert (s.signer_title, s.signer_name, s.signer_authority) == ("TRƯỞNG PHÒNG", "Trần Văn B", "")
