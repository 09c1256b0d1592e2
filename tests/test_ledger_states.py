"""The ledger's states and their precedence (consult/ledger.py docstring; docs/consultation.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc_consult.consult.comments import Comment, CommentFile, CommentSet
from cchc_consult.consult.ledger import STATUS_TEXT, silence_ledger
from cchc_consult.consult.round import Round
from cchc_consult.errors import FileReadError
from cchc_consult.offices import Office

OFFICES = [Office("NV", "Phòng Nội vụ", "Nội vụ"), Office("TP", "Phòng Tư pháp", "Tư pháp"),
           Office("YT", "Phòng Y tế", "Y tế")]
AFTER = dt.date(2023, 8, 30)
BEFORE = dt.date(2023, 8, 1)


def _round() -> Round:
    return Round(version="v1", deadline=dt.date(2023, 8, 18), deadline_rule="before", drafter="NV",
                 consulted=["TP", "YT"])


def _reply(path: str, office: str = "TP", *, comments: int = 1, agree_all: bool = False,
           date: dt.date = dt.date(2023, 8, 10)) -> CommentFile:
    f = CommentFile(path=path, office=office, declared_office=office, filename_office=office, date_sent=date,
                    agree_all=agree_all, late=date >= dt.date(2023, 8, 18))
    f.comments = [Comment(f"{office}-{i}", office, "II.1", "nội dung", f"ý kiến {i}") for i in range(comments)]
    return f


def _unreadable(path: str, office: str = "TP") -> CommentFile:
    f = CommentFile(path=path, office=office, filename_office=office, readable=False, addressed=False)
    f.errors = [FileReadError("tệp PDF không có lớp chữ (bản scan hoặc ảnh chụp)", path=path)]
    f.comments = [Comment("", office, "", "", "(không đọc được tệp)")]
    return f


def _misaddressed(path: str) -> CommentFile:
    f = _reply(path, "YT")
    f.declared_office, f.addressed = "YT", False  # file name of TP, heading of YT
    f.filename_office = "TP"
    return f


def _status(files: list[CommentFile], as_of: dt.date = AFTER, resolved=None) -> str:
    cs = CommentSet(files=files, comments=[c for f in files for c in f.comments])
    entries = silence_ledger(_round(), OFFICES, cs, as_of, resolved)
    return next(e for e in entries if e.office.code == "TP").status_text


@pytest.mark.parametrize("files, as_of, expected", [
    ([], AFTER, "Đồng ý do không có ý kiến"),
    ([], BEFORE, "Chưa có ý kiến (còn trong hạn)"),
    (["blank"], AFTER, "Phiếu chưa điền"),
    (["blank"], BEFORE, "Phiếu chưa điền"),
    (["agree"], AFTER, "Đồng ý toàn bộ"),
    (["blank", "reply"], AFTER, "Có ý kiến, đúng hạn"),
    (["misaddressed"], AFTER, "Đã gửi, cần kiểm tra"),
    (["misaddressed", "blank"], AFTER, "Đã gửi, cần kiểm tra"),
    (["misaddressed", "reply"], AFTER, "Có ý kiến, đúng hạn"),
    (["unreadable"], AFTER, "Đã gửi, chưa đọc được"),
    (["unreadable"], BEFORE, "Đã gửi, chưa đọc được"),
    (["unreadable", "blank"], AFTER, "Đã gửi, chưa đọc được"),
    (["unreadable", "reply"], AFTER, "Đã gửi, chưa đọc được"),  # the unread file may hold more comments
    (["late"], AFTER, "Có ý kiến, quá hạn"),
])
def test_precedence(files, as_of, expected):
    made = {"blank": lambda: _reply("comments/TP-phieu.xlsx", comments=0),
            "agree": lambda: _reply("comments/TP-dongy.yaml", comments=0, agree_all=True),
            "reply": lambda: _reply("comments/TP-2023-08-10.docx"),
            "late": lambda: _reply("comments/TP-2023-08-20.docx", date=dt.date(2023, 8, 20)),
            "misaddressed": lambda: _misaddressed("comments/TP-nham.yaml"),
            "unreadable": lambda: _unreadable("comments/TP-scan.pdf")}
    assert _status([made[name]() for name in files], as_of) == expected


def test_a_resolved_file_no_longer_holds_the_office():
    files = [_unreadable("comments/TP/scan.pdf"), _reply("comments/TP-2023-08-10.docx")]
    assert _status(files, resolved={"TP/scan.pdf": "bản chụp của công văn đã nhập"}) == "Có ý kiến, đúng hạn"
    assert _status([_unreadable("comments/TP/scan.pdf")], resolved={"comments/TP/scan.pdf": "không phải góp ý"}) \
        == "Đồng ý do không có ý kiến"
    assert _status([_misaddressed("comments/TP-nham.yaml")], resolved={"TP-nham.yaml": "là của YT"}) \
        == "Đồng ý do không có ý kiến"


def test_only_silence_is_agreement():
    deemed = {status for status in STATUS_TEXT if status == "silent"}
    for files in (["blank"], ["unreadable"], ["misaddressed"]):
        cs = CommentSet(files=[{"blank": lambda: _reply("comments/TP-p.xlsx", comments=0),
                                "unreadable": lambda: _unreadable("comments/TP-s.pdf"),
                                "misaddressed": lambda: _misaddressed("comments/TP-n.yaml")}[files[0]]()],
                        comments=[])
        entry = next(e for e in silence_ledger(_round(), OFFICES, cs, AFTER) if e.office.code == "TP")
        assert not entry.deemed_agreeing and entry.status not in deemed
