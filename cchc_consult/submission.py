"""The tờ trình: the drafting office asks the Chairman to issue the rubric, saying how the round went.

Its words come from the workspace: the round (letter, deadline, offices consulted),
the replies and the answers to them, the drafting office's own corrections, the
findings accepted one by one (accepted.yaml), decision.yaml's `submission`
(number, date) and the signer of the Bảng tổng hợp it attaches (dispositions.yaml `report.signer`,
or --signer). `build_submission` is pure; `write_submission` renders
Word (and PDF when LibreOffice is installed).
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import fileio
from .accepted import AcceptedFinding
from .vn import format_date_long, format_date_nd30


@dataclass(slots=True)
class Submission:
    """Everything printed on the tờ trình, resolved."""

    parent: str
    office: str
    number_line: str
    place_date: str
    subject: str
    addressee: str
    paragraphs: list[str]
    accepted: list[str] = field(default_factory=list)
    proposal: str = ""
    recipients: list[str] = field(default_factory=list)
    signer_title: str = ""
    signer_name: str = ""
    signer_authority: str = ""

    # the names the shared NĐ 30 layout (nd30.html.j2) reads: a tờ trình's parent body is printed regular
    @property
    def issuer_parent(self) -> str:
        return self.parent

    @property
    def issuer_name(self) -> str:
        return self.office

    @property
    def issuer_parent_bold(self) -> bool:
        return False


def build_submission(consultation, text, version: str, accepted: list[AcceptedFinding], *,
                     signer_name: str = "") -> Submission:
    """The tờ trình for issuing `version`, from a loaded Consultation and the decision's wording. Pure."""
    round_ = consultation.round
    year = consultation.rubric.meta.year or (round_.letter_date.year if round_.letter_date else "")
    drafter = consultation.office(round_.drafter) if round_.drafter else None
    office_name = drafter.name if drafter else "Cơ quan soạn thảo"
    office = office_name.upper()
    on_day = dt.date.fromisoformat(text.submission_date) if text.submission_date else dt.date.today()
    ledger = consultation.ledger(on_day)
    status = Counter(e.status for e in ledger)
    replied = status["on_time"] + status["late"]
    answers = Counter(d.status for d in consultation.dispositions.items.values())
    live = [c for c in consultation.comments.comments if not c.superseded_by]
    signer = consultation.dispositions.report
    issuing = text.subject.replace("{nam}", str(year)).removeprefix("Về việc ").strip()  # "ban hành Bộ tiêu chí …"
    subject = "Đề nghị " + issuing
    letter = (f"Công văn số {round_.letter} {format_date_long(round_.letter_date)}" if round_.letter_date
              else f"Công văn số {round_.letter}")
    deadline = f" trước {format_date_nd30(round_.deadline)}" if round_.deadline else ""
    paragraphs = [
        f"Thực hiện nhiệm vụ được giao, {office_name} đã tham mưu {text.issuer_short} ban hành "
        f"{letter} gửi dự thảo Bộ tiêu chí chấm điểm chỉ số cải cách hành chính năm {year} lấy ý kiến "
        f"{len(round_.consulted)} cơ quan chuyên môn, đề nghị góp ý{deadline}; cơ quan không có ý kiến xem như "
        "đã đồng ý với dự thảo.",
        f"Kết quả: {replied} cơ quan có ý kiến ({status['on_time']} đúng hạn, {status['late']} sau hạn), "
        f"{status['silent']} cơ quan không có ý kiến (xem như đồng ý), với {len(live)} ý kiến góp ý. Đã tiếp thu "
        f"{answers['tiếp thu']} ý kiến, tiếp thu một phần {answers['tiếp thu một phần']} ý kiến, không tiếp thu "
        f"{answers['không tiếp thu']} ý kiến; lý do từng ý kiến tại Bảng tổng hợp, tiếp thu, giải trình ý kiến "
        "góp ý kèm theo.",
    ]
    initiatives = consultation.dispositions.initiatives
    if initiatives:
        paragraphs.append(f"Ngoài các ý kiến góp ý, cơ quan soạn thảo rà soát và sửa {len(initiatives)} nội dung "
                          "của dự thảo (tổng điểm, khoảng điểm bỏ trống hoặc trùng nhau, lỗi đánh máy), mỗi nội dung "
                          "có lý do tại Bảng tổng hợp.")
    kept = [a for a in accepted if a.version == version]
    if kept:
        paragraphs.append(f"Kiểm tra bộ tiêu chí trình ban hành ({version}) còn {len(kept)} nội dung chưa thống "
                          "nhất, cơ quan soạn thảo đề nghị giữ nguyên với lý do sau:")
    else:
        paragraphs.append(f"Bộ tiêu chí trình ban hành ({version}) đã được kiểm tra: tổng điểm khớp tổng các tiêu "
                          "chí, các mức điểm không bỏ trống, không trùng nhau, không còn lỗi kiểm tra.")
    return Submission(
        parent=text.issuer_short.upper(), office=office,
        number_line=f"Số: {text.submission_number or '…'}",
        place_date=f"{text.place}, {format_date_long(on_day)}",
        subject=subject, addressee=f"Kính gửi: Chủ tịch {text.issuer_short}.",
        paragraphs=paragraphs,
        accepted=[f"- Tiêu chí {a.node} ({a.code}): {a.reason}" for a in kept],
        proposal=f"{office_name} kính trình Chủ tịch {text.issuer_short} xem xét, ký Quyết định {issuing} "
                 "(dự thảo Quyết định kèm theo)./.",
        recipients=["- Như trên;", "- Lưu: VT."],
        # the drafting office's head signs both the tờ trình and the Bảng tổng hợp it attaches (report.signer)
        signer_authority=signer.signer_authority if not signer_name else "",
        signer_title=(signer.signer_title if not signer_name else "") or (
            "TRƯỞNG PHÒNG" if office.startswith("PHÒNG") else "THỦ TRƯỞNG CƠ QUAN"),
        signer_name=signer_name or signer.signer_name)


def write_submission(ws, version: str, out_dir: str | os.PathLike | None = None, *, signer_name: str = "",
                     pdf: bool = True) -> tuple[dict[str, Path], str]:
    """Render the tờ trình for `version` to .docx, .html (and .pdf): ({kind: path}, why no PDF).

    The HTML comes from to-trinh.html.j2, the workspace's own (templates/) first.
    """
    from .publish import convert_to_pdf
    from .render.submission import submission_docx_bytes, submission_html

    submission = build_submission(ws.consultation(), ws.decision(), version, ws.accepted(), signer_name=signer_name)
    target = Path(out_dir) if out_dir else ws.output / "to-trinh"
    files = {"docx": target / f"To-trinh-{version}.docx", "html": target / f"To-trinh-{version}.html"}
    html = submission_html(submission, ws.root / "templates")  # a broken template fails before anything is written
    fileio.atomic_write(files["docx"], submission_docx_bytes(submission), lock=False)
    fileio.atomic_write(files["html"], html, lock=False)
    note = ""
    if pdf:
        made, note = convert_to_pdf(files["docx"], target)
        if made is not None:
            files["pdf"] = made
    return files, note
