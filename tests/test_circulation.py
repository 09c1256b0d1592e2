"""The công văn circulating a draft: written by `cchc draft circulate`, the draft as PHỤ LỤC DỰ THẢO."""

from __future__ import annotations

import datetime as dt
import shutil

from cchc_consult.circulation import build_letter
from cchc_consult.cli import main
from cchc_consult.workspace import Workspace
from tests.conftest import REPO
from tests.test_publish import docx_texts


def test_the_letter_says_deadline_silence_and_reviewers_from_the_round(workspace):
    shutil.copy(REPO / "decision.yaml", workspace / "decision.yaml")
    ws = Workspace(workspace)
    offices = ws.offices()
    round_ = ws.round(offices)
    letter = build_letter(round_, offices, ws.rubric("v1"), ws.decision(), round_.letter, round_.letter_date)
    body = " ".join(letter.paragraphs)
    assert letter.number_line == f"Số: {round_.letter}" and letter.subject.startswith("V/v lấy ý kiến góp ý dự thảo")
    assert f"trước ngày {round_.deadline.day:02d}/{round_.deadline.month}/{round_.deadline.year}" in body
    assert "xem như đã đồng ý" in body
    names = {o.code: o.name for o in offices}
    assert all(names[code] in body for code in round_.reviewers)
    assert letter.appendix_heading == "PHỤ LỤC DỰ THẢO" and letter.appendix_attached.startswith(
        f"(Kèm theo Công văn số {round_.letter} ngày") and letter.issuer_parent_bold


def test_draft_circulate_writes_the_letter(workspace, capsys):
    shutil.copy(REPO / "decision.yaml", workspace / "decision.yaml")
    ws = Workspace(workspace)
    assert main(["-w", str(ws.root), "draft", "new", "--from", "v2", "--name", "v3"]) == 0
    day = dt.date.today().isoformat()
    code = main(["-w", str(ws.root), "draft", "circulate", "v3", "--letter", "1700/UBND", "--date", day, "--no-pdf"])
    assert code == 0 and "Công văn gửi lấy ý kiến" in capsys.readouterr().out
    document, paragraphs, cells = docx_texts(ws.output / "cong-van" / "CV-1700-UBND-v3.docx")
    assert "PHỤ LỤC DỰ THẢO" in paragraphs and "Số: 1700/UBND" in cells
    assert any(p.startswith("(Kèm theo Công văn số 1700/UBND ngày") for p in paragraphs)
    assert document.sections[0].different_first_page_header_footer
