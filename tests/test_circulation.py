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


def test_a_rerun_writes_the_letter_a_failed_run_left_out(workspace, monkeypatch, capsys):
    """round.yaml written, then the letter failed (a full disk): the same command again writes the letter."""
    import errno
    import os
    from pathlib import Path

    shutil.copy(REPO / "decision.yaml", workspace / "decision.yaml")
    ws = Workspace(workspace)
    command = ["-w", str(ws.root), "draft", "circulate", "v2", "--letter", "1700/UBND", "--date", "25/8/2023",
               "--deadline", "5/9/2023", "--no-pdf"]
    real = os.replace

    def replace(source, target, *args, **kwargs):
        if "cong-van" in Path(target).parts:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
        return real(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    assert main(command) == 2
    monkeypatch.undo()
    assert "ổ đĩa đã đầy" in capsys.readouterr().err
    assert ws.history()["v2"].status == "circulated" and ws.round().version == "v2"  # frozen, round recorded
    letter = ws.output / "cong-van" / "CV-1700-UBND-v2.docx"
    assert not letter.exists()
    history, round_file = ws.history_file.read_bytes(), ws.round_file.read_bytes()

    assert main(command) == 0
    out = capsys.readouterr().out
    assert "Đã đóng băng từ trước v2" in out and "Công văn gửi lấy ý kiến" in out
    _, paragraphs, _ = docx_texts(letter)
    assert "PHỤ LỤC DỰ THẢO" in paragraphs
    assert ws.history_file.read_bytes() == history and ws.round_file.read_bytes() == round_file  # nothing re-frozen

    assert main(command) == 2  # all done: a third run is refused, as a second circulation is
    assert "đã ở trạng thái" in capsys.readouterr().err


def test_another_letter_for_a_circulated_version_is_still_refused(workspace, capsys):
    shutil.copy(REPO / "decision.yaml", workspace / "decision.yaml")
    ws = Workspace(workspace)
    base = ["-w", str(ws.root), "draft", "circulate", "v2", "--date", "25/8/2023", "--no-pdf"]
    assert main(base + ["--letter", "1700/UBND"]) == 0
    (ws.output / "cong-van" / "CV-1700-UBND-v2.docx").unlink()
    capsys.readouterr()
    assert main(base + ["--letter", "1800/UBND"]) == 2  # not the same circulation: no re-run
    assert "đã ở trạng thái" in capsys.readouterr().err
