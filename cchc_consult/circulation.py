"""The công văn that circulates a draft for comments, with the draft as "PHỤ LỤC DỰ THẢO".

The sentences are data: cong-van.yaml (the workspace's, else the package's; one
mechanism with decision.yaml, see wording.py), filled from the round (letter,
deadline, offices consulted, the reviewers and their criteria), the offices' names and
decision.yaml's issuer, place and signer. `build_letter` is pure; `write_letter`
renders Word (and PDF).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import fileio
from .render.escape import OfficeNotes
from .wording import TEMPLATES, Wording, listed, load_wording
from .vn import format_date_long, format_date_nd30, parse_date
from .publish import convert_to_pdf, output_stem
from .render.circulation import letter_docx_bytes, letter_html


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


LETTER_WORDING = "cong-van.yaml"
#: The placeholders of the letter's wording and what each becomes.
LETTER_PLACEHOLDERS = {
    "nam": "năm của bộ tiêu chí", "co_quan": "cơ quan ban hành viết trong câu", "so": "số công văn",
    "ngay": "ngày công văn (ngày/tháng/năm)", "cong_van": "số và ngày công văn", "han": "hạn góp ý (trước ngày …)",
    "co_quan_soan_thao": "cơ quan soạn thảo", "ra_soat": "các cơ quan rà soát và tiêu chí của họ"}


def letter_wording(root: str | Path | None = None) -> Wording:
    """The letter's words: the workspace's cong-van.yaml, else the package's; refused while a field holds
    "…" or a placeholder the letter does not fill."""
    return load_wording(root if root is not None else TEMPLATES, LETTER_WORDING, LETTER_PLACEHOLDERS,
                        required=("subject", "addressee", "paragraphs", "closing", "recipients", "appendix_heading",
                                  "appendix_title", "appendix_attached"), optional=("reviewers",))


def build_letter(round_, offices, rubric, text, letter: str, letter_date: dt.date,
                 words: Wording | None = None) -> Letter:
    """The letter circulating `rubric` by `letter` of `letter_date`, in `words` (the package's by default). Pure."""
    words = words or letter_wording()
    names = {o.code: o.name for o in offices}
    year = rubric.meta.year or letter_date.year
    drafter = names.get(round_.drafter, "cơ quan soạn thảo")
    values = {
        "nam": str(year), "co_quan": text.issuer_short, "so": letter, "ngay": format_date_nd30(letter_date),
        "cong_van": f"{letter} {format_date_long(letter_date)}",
        "han": f"trước ngày {format_date_nd30(round_.deadline)}" if round_.deadline else "đúng hạn",
        "co_quan_soan_thao": drafter,
        "ra_soat": "; ".join(f"{names.get(code, code)}: {', '.join(ids)}" for code, ids in round_.reviewers.items())}
    paragraphs = words.lines("paragraphs", values)
    if round_.reviewers and words.texts.get("reviewers"):
        paragraphs.append(words.text("reviewers", values))
    paragraphs.append(words.text("closing", values))
    return Letter(
        issuer_parent=text.issuer_parent.upper(), issuer_name=text.issuer_name.upper(),
        number_line=f"Số: {letter}", subject=words.text("subject", values),
        place_date=f"{text.place}, {format_date_long(letter_date)}",
        addressee=words.text("addressee", values),
        paragraphs=paragraphs, recipients=listed(words.lines("recipients", values)),
        signer_authority=text.signer_authority, signer_title=text.signer_title, signer_name=text.signer_name,
        issuer_parent_bold=" ".join(f"{text.issuer_parent} {text.issuer_name}".upper().split())
        == " ".join(text.authority.upper().split()),
        appendix_heading=words.text("appendix_heading", values),
        appendix_title=words.text("appendix_title", values),
        appendix_attached=words.text("appendix_attached", values))


def letter_files(ws, version: str, letter: str, out_dir: str | os.PathLike | None = None) -> dict[str, Path]:
    """Where the letter of `version` circulated by `letter` is written: {"docx": …, "html": …} (the PDF beside)."""
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
    rubric = ws.rubric(version)
    offices = ws.offices()
    built = build_letter(ws.round(offices), offices, rubric, ws.decision(), letter, parse_date(letter_date),
                         letter_wording(ws.root))
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
