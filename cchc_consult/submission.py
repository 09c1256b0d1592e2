"""The tờ trình: the drafting office asks the Chairman to issue the rubric, saying how the round went.

Its sentences are data: to-trinh.yaml (the workspace's, else the package's; one mechanism
with decision.yaml, see wording.py), filled from the round (letter, deadline, offices consulted),
the replies and the answers to them, the drafting office's own corrections, the
findings accepted one by one (accepted.yaml), decision.yaml's `submission`
(number, date, signer — else the signer of the Bảng tổng hợp it attaches, dispositions.yaml
`report.signer`; or --signer). `build_submission` is pure and never reads the clock; `write_submission`
refuses a paper with a blank number, date or signer unless asked for a draft, and renders Word (and PDF
when LibreOffice is installed).
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import fileio
from .accepted import AcceptedFinding
from .consult.feedback import paper_data
from .errors import ValidationError
from .wording import TEMPLATES, Wording, has_placeholder, listed, load_wording
from .vn import format_date_long, format_date_nd30, nfc
from .publish import convert_to_pdf
from .render.submission import submission_docx_bytes, submission_html


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
    #: What the paper lacks to be signed (the fields named as decision.yaml writes them); [] when complete.
    missing: list[str] = field(default_factory=list)

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


SUBMISSION_WORDING = "to-trinh.yaml"
#: What a tờ trình may lack, as `Submission.missing` names it, and the command that fills it.
MISSING = {"number": "số tờ trình (submission.number)", "date": "ngày tờ trình (submission.date)",
           "signer": "họ tên người ký (submission.signer.name, hoặc --signer)"}
_FILL = {MISSING["number"]: 'cchc decision set submission.number "SỐ/TTr-NV"',
         MISSING["date"]: "cchc decision set submission.date NGÀY/THÁNG/NĂM",
         MISSING["signer"]: 'cchc decision set submission.signer.name "HỌ TÊN" (hoặc --signer)'}
#: The placeholders of the tờ trình's wording and what each becomes.
SUBMISSION_PLACEHOLDERS = {
    "nam": "năm của bộ tiêu chí", "co_quan": "cơ quan ban hành viết trong câu",
    "co_quan_soan_thao": "cơ quan trình", "ban_hanh": "việc đề nghị (theo trích yếu của decision.yaml)",
    "cong_van": "số và ngày công văn lấy ý kiến", "han": "hạn góp ý (trước ngày …)",
    "so_co_quan": "số cơ quan được lấy ý kiến", "co_y_kien": "số cơ quan có ý kiến", "dung_han": "đúng hạn",
    "sau_han": "sau hạn", "khong_y_kien": "số cơ quan không có ý kiến", "so_y_kien": "số ý kiến",
    "tiep_thu": "số ý kiến tiếp thu", "tiep_thu_mot_phan": "số ý kiến tiếp thu một phần",
    "khong_tiep_thu": "số ý kiến không tiếp thu", "so_sua_doi": "số nội dung tự sửa",
    "phien_ban": "phiên bản trình", "so_loi_giu": "số lỗi kiểm tra được chấp nhận"}


def submission_wording(root: str | Path | None = None) -> Wording:
    """The tờ trình's words: the workspace's to-trinh.yaml, else the package's; refused while a field holds
    "…" or a placeholder the tờ trình does not fill."""
    return load_wording(root if root is not None else TEMPLATES, SUBMISSION_WORDING, SUBMISSION_PLACEHOLDERS,
                        required=("subject", "addressee", "paragraphs", "findings_kept", "findings_clear",
                                  "proposal", "recipients"), optional=("own_changes",))


def build_submission(consultation, text, version: str, accepted: list[AcceptedFinding], *,
                     signer_name: str = "", words: Wording | None = None) -> Submission:
    """The tờ trình for issuing `version`, from a loaded Consultation and the decision's wording, in `words`
    (the package's by default). Pure."""
    words = words or submission_wording()
    round_ = consultation.round
    year = consultation.rubric.meta.year or (round_.letter_date.year if round_.letter_date else "")
    drafter = consultation.office(round_.drafter) if round_.drafter else None
    office_name = drafter.name if drafter else "Cơ quan soạn thảo"
    office = office_name.upper()
    signer, _ = paper_data(consultation.dispositions.report, text, text.source or "decision.yaml")
    typed_signer = nfc(signer_name or "").strip()
    signer_name = typed_signer or signer.signer_name
    number = "" if has_placeholder(text.submission_number) else text.submission_number
    try:
        on_day = dt.date.fromisoformat(text.submission_date) if text.submission_date else None
    except ValueError:
        on_day = None
    missing = [what for what, absent in (
        (MISSING["number"], not number), (MISSING["date"], on_day is None),
        (MISSING["signer"], not signer_name or has_placeholder(signer_name))) if absent]
    # papers are dated from data, never the clock: a draft without a date counts replies as of the round's own dates
    ledger = consultation.ledger(on_day or signer.date or round_.decision_due or round_.deadline)
    status = Counter(e.status for e in ledger)
    answers = Counter(d.status for d in consultation.dispositions.items.values())
    live = [c for c in consultation.comments.comments if not c.superseded_by]
    kept = [a for a in accepted if a.version == version]
    initiatives = consultation.dispositions.initiatives
    values = {
        "nam": str(year), "co_quan": text.issuer_short, "co_quan_soan_thao": office_name,
        "ban_hanh": text.subject.replace("{nam}", str(year)).removeprefix("Về việc ").strip(),
        "cong_van": f"{round_.letter} {format_date_long(round_.letter_date)}" if round_.letter_date else round_.letter,
        "han": f"trước ngày {format_date_nd30(round_.deadline)}" if round_.deadline else "đúng hạn",
        "so_co_quan": str(len(round_.consulted)), "co_y_kien": str(status["on_time"] + status["late"]),
        "dung_han": str(status["on_time"]), "sau_han": str(status["late"]), "khong_y_kien": str(status["silent"]),
        "so_y_kien": str(len(live)), "tiep_thu": str(answers["tiếp thu"]),
        "tiep_thu_mot_phan": str(answers["tiếp thu một phần"]), "khong_tiep_thu": str(answers["không tiếp thu"]),
        "so_sua_doi": str(len(initiatives)), "phien_ban": version, "so_loi_giu": str(len(kept))}
    paragraphs = words.lines("paragraphs", values)
    if initiatives and words.texts.get("own_changes"):
        paragraphs.append(words.text("own_changes", values))
    paragraphs.append(words.text("findings_kept" if kept else "findings_clear", values))
    return Submission(
        parent=text.issuer_short.upper(), office=office,
        number_line=f"Số: {number}" if number else "Số:",  # a draft's blank is blank, never "…"
        place_date=f"{text.place}, {format_date_long(on_day)}" if on_day else
        f"{text.place}, ngày      tháng      năm {year}",  # for the date to be written by hand
        subject=words.text("subject", values), addressee=words.text("addressee", values),
        paragraphs=paragraphs,
        accepted=[f"- Tiêu chí {a.node} ({a.code}): {a.reason}" for a in kept],
        proposal=words.text("proposal", values),
        recipients=listed(words.lines("recipients", values)),
        # the drafting office's head signs both the tờ trình and the Bảng tổng hợp it attaches (report.signer)
        signer_authority=signer.signer_authority if not typed_signer else "",
        signer_title=(signer.signer_title if not typed_signer else "") or (
            "TRƯỞNG PHÒNG" if office.startswith("PHÒNG") else "THỦ TRƯỞNG CƠ QUAN"),
        signer_name="" if has_placeholder(signer_name) else signer_name, missing=missing)


def write_submission(ws, version: str, out_dir: str | os.PathLike | None = None, *, signer_name: str = "",
                     pdf: bool = True, draft: bool = False) -> tuple[dict[str, Path], str, list[str]]:
    """Render the tờ trình for `version` to .docx, .html (and .pdf): ({kind: path}, why no PDF, what a draft lacks).

    Refused while its number, date or signer is missing (a leader signs nothing with blanks),
    unless `draft`: then those lines are left blank. The HTML comes from to-trinh.html.j2, the
    workspace's own (templates/) first.
    """
    text = ws.decision()
    submission = build_submission(ws.consultation(), text, version, ws.accepted(), signer_name=signer_name,
                                  words=submission_wording(ws.root))
    if submission.missing and not draft:
        raise ValidationError(f"tờ trình chưa đủ để trình ký: thiếu {'; '.join(submission.missing)}",
                              path=text.source or str(ws.root / "decision.yaml"),
                              fix=f"điền: {'; '.join(_FILL[m] for m in submission.missing)}; hoặc in bản nháp "
                                  f"để trống các dòng đó: cchc submit {version} --draft")
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
    return files, note, submission.missing
