"""The bundled example's Word reply: Phòng Văn hóa và Thông tin's letter 158/VHTT of 14/8/2023."""

from __future__ import annotations

import datetime as dt

from cchc_consult.consult.comments import read_comment_file
from cchc_consult.workspace import Workspace
from tests.conftest import REPO

LETTER = REPO / "comments" / "VHTT-2023-08-14.docx"


def test_the_bundled_word_letter_reads_as_two_comments():
    ws = Workspace(REPO)
    offices = ws.offices()
    round_ = ws.round(offices)
    f = read_comment_file(LETTER, ws.round_rubric(round_), offices, round_)
    assert f.readable and f.addressed and not f.blank and f.errors == []
    assert (f.office, f.declared_office, f.date_sent, f.late) == ("VHTT", "VHTT", dt.date(2023, 8, 14), False)
    assert [(c.criterion, c.text, c.proposal) for c in f.comments] == [
        ("I.3.2", "Tài liệu kiểm chứng viết tắt “Phòng VH và TT”.",
         "Báo cáo kết quả tuyên truyền CCHC của cơ quan; Kết quả theo dõi của Phòng Văn hóa và Thông tin"),
        ("II.6.1.1", "Chưa có mức điểm cho trường hợp ban hành kế hoạch chậm từ 10 ngày trở lên (mức 0 điểm "
                     "chỉ ghi “Không ban hành kế hoạch”).",
         "Mức 0 điểm: Không ban hành kế hoạch hoặc ban hành chậm từ 10 ngày trở lên"),
    ]
    skipped = " ".join(str(w) for w in f.warnings)
    assert "Kính gửi" in skipped and "TRƯỞNG PHÒNG" in skipped  # the letter's frame is named as left out


def test_its_comments_are_answered_and_the_office_replied_on_time(workspace):
    consultation = Workspace(workspace).consultation()
    vhtt = [c for c in consultation.comments.comments if c.office == "VHTT"]
    assert [c.id for c in vhtt] == ["VHTT-1", "VHTT-2"]
    assert all(c.source.endswith(".docx") for c in vhtt)
    assert [consultation.dispositions.items[c.id].status for c in vhtt] == ["tiếp thu", "tiếp thu"]
    entry = next(e for e in consultation.ledger(dt.date(2023, 8, 30)) if e.office.code == "VHTT")
    assert (entry.status, entry.date, entry.comments) == ("on_time", dt.date(2023, 8, 14), 2)
