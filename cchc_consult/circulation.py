"""The công văn that circulates a draft for comments, with the draft as "PHỤ LỤC DỰ THẢO".

Words from the workspace: the round (letter, deadline, offices consulted, the
reviewers and their criteria), the offices' names and decision.yaml's issuer,
place and signer. `build_letter` is pure; `write_letter` renders Word (and PDF).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import fileio
from .render.escape import OfficeNotes
from .vn import format_date_long, format_date_nd30


@dataclass(slots=True)
class Letter:
    """Everything printed on the công văn and its appendix heading, resolved."""

    issuer_parent: str
    issuer_name: str
    number_line: str
    subject: str
    place_date: str
    addressee: str
    paragraphs: list[str]
    recipients: list[str] = field(default_factory=list)
    signer_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""
    issuer_parent_bold: bool = False
    appendix_heading: str = "PHỤ LỤC DỰ THẢO"
    appendix_title: str = ""
    appendix_attached: str = ""


def build_letter(round_, offices, rubric, text, letter: str, letter_date: dt.date) -> Letter:
    """The letter circulating `rubric` by `letter` of `letter_date`. Pure."""
    names = {o.code: o.name for o in offices}
    year = rubric.meta.year or letter_date.year
    drafter = names.get(round_.drafter, "cơ quan soạn thảo")
    deadline = f"trước ngày {format_date_nd30(round_.deadline)}" if round_.deadline else "đúng hạn"
    paragraphs = [
        f"Để có cơ sở đánh giá, xếp hạng kết quả thực hiện công tác cải cách hành chính năm {year} đối với các cơ "
        f"quan chuyên môn, {text.issuer_short} gửi kèm theo Công văn này dự thảo Bộ tiêu chí chấm điểm chỉ số "
        "cải cách hành chính (Phụ lục dự thảo kèm theo).",
        f"Đề nghị Thủ trưởng các cơ quan chuyên môn nghiên cứu, góp ý dự thảo; văn bản góp ý gửi về {drafter} "
        f"{deadline} để tổng hợp. Quá thời hạn trên, cơ quan nào không có ý kiến xem như đã đồng ý với dự thảo.",
    ]
    if round_.reviewers:
        listed = "; ".join(f"{names.get(code, code)}: {', '.join(ids)}" for code, ids in round_.reviewers.items())
        paragraphs.append("Ngoài việc góp ý, các cơ quan sau rà soát kỹ các tiêu chí thuộc lĩnh vực mình tham mưu, "
                          f"theo dõi và thẩm định hằng năm: {listed}.")
    paragraphs.append("Đề nghị các cơ quan quan tâm, phối hợp thực hiện./.")
    number = f"{letter} {format_date_long(letter_date)}"
    return Letter(
        issuer_parent=text.issuer_parent.upper(), issuer_name=text.issuer_name.upper(),
        number_line=f"Số: {letter}",
        subject=f"V/v lấy ý kiến góp ý dự thảo Bộ tiêu chí chấm điểm chỉ số CCHC năm {year}",
        place_date=f"{text.place}, {format_date_long(letter_date)}",
        addressee=f"Kính gửi: Các cơ quan chuyên môn thuộc {text.issuer_short}.",
        paragraphs=paragraphs, recipients=["- Như trên;", f"- {drafter};", "- Lưu: VT."],
        signer_authority=text.signer_authority, signer_title=text.signer_title, signer_name=text.signer_name,
        issuer_parent_bold=" ".join(f"{text.issuer_parent} {text.issuer_name}".upper().split())
        == " ".join(text.authority.upper().split()),
        appendix_title=f"BỘ TIÊU CHÍ CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}",
        appendix_attached=f"(Kèm theo Công văn số {number} của {text.issuer_short})")


def letter_files(ws, version: str, letter: str, out_dir: str | os.PathLike | None = None) -> dict[str, Path]:
    """Where the letter of `version` circulated by `letter` is written: {"docx": …, "html": …} (the PDF beside)."""
    from .publish import output_stem

    target = Path(out_dir) if out_dir else ws.output / "cong-van"
    stem = output_stem(letter, version).replace("QD-", "CV-", 1)
    return {"docx": target / f"{stem}.docx", "html": target / f"{stem}.html"}


def letter_written(ws, version: str, letter: str) -> bool:
    """Whether the letter of this circulation is on disk (a re-run of `draft circulate` writes it when not)."""
    return all(path.is_file() for path in letter_files(ws, version, (letter or "").strip()).values())


def write_letter(ws, version: str, letter: str, letter_date: str, out_dir: str | os.PathLike | None = None, *,
                 pdf: bool = True, notes: OfficeNotes | None = None) -> tuple[dict[str, Path], str]:
    """Render the circulation letter of `version` to .docx, .html (and .pdf): ({kind: path}, why no PDF).

    With `notes`, each item whose control characters were replaced in the Word (and PDF) file is noted.

    The HTML comes from cong-van.html.j2, the workspace's own (templates/) first.
    """
    from .publish import convert_to_pdf
    from .render.circulation import letter_docx_bytes, letter_html
    from .vn import parse_date

    rubric = ws.rubric(version)
    offices = ws.offices()
    built = build_letter(ws.round(offices), offices, rubric, ws.decision(), letter, parse_date(letter_date))
    files = letter_files(ws, version, letter, out_dir)
    target = files["docx"].parent
    html = letter_html(built, rubric, ws.root / "templates")  # a broken template fails before anything is written
    fileio.atomic_write(files["docx"], letter_docx_bytes(built, rubric, notes), lock=False)
    fileio.atomic_write(files["html"], html, lock=False)
    note = ""
    if pdf:
        made, note = convert_to_pdf(files["docx"], target)
        if made is not None:
            files["pdf"] = made
    return files, note
