"""The tờ trình as Word and as HTML (to-trinh.html.j2), laid out like the decision (Nghị định 30/2020): same
header, fonts and page numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .decision import _borderless_table, _keep_row_on_one_page, _para, _short_rule, nd30_document
from .docx_table import docx_bytes
from .env import render_template


def submission_docx(submission: Any) -> Any:
    """The tờ trình as a python-docx Document: issuer and motto, title, Kính gửi, body, signer."""
    document = nd30_document()
    header = _borderless_table(document, (62, 103))
    left, right = header.rows[0].cells
    _para(left, submission.parent, size=12, reuse_first=True)  # the parent body: regular, one line
    _para(left, submission.office, bold=True, size=13)
    _short_rule(left, 19)
    _para(left, submission.number_line, size=13, before=6)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12.5, reuse_first=True)
    _para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, underline=True, size=13.5)
    _para(right, submission.place_date, italic=True, size=14, before=8)
    _para(document, "TỜ TRÌNH", bold=True, before=18)
    _para(document, submission.subject, bold=True)
    _short_rule(document, 60)
    _para(document, submission.addressee, before=10, after=10)
    for text in submission.paragraphs:
        _para(document, text, align="justify", first_line_mm=12.7, after=6)
    for text in submission.accepted:
        _para(document, text, align="justify", first_line_mm=12.7, after=3)
    proposal = _para(document, submission.proposal, align="justify", first_line_mm=12.7, before=3, after=6)
    proposal.paragraph_format.keep_with_next = True  # the signature never stands alone on a page
    sign = _borderless_table(document, (80, 85))
    _keep_row_on_one_page(sign.rows[0])
    cell_left, cell_right = sign.rows[0].cells
    _para(cell_left, "Nơi nhận:", align="left", bold=True, italic=True, size=12, before=12, reuse_first=True)
    for line in submission.recipients:
        _para(cell_left, line, align="left", size=11)
    if submission.signer_authority:  # KT. TRƯỞNG PHÒNG above PHÓ TRƯỞNG PHÒNG
        _para(cell_right, submission.signer_authority, bold=True, before=12, reuse_first=True)
        _para(cell_right, submission.signer_title, bold=True)
    else:
        _para(cell_right, submission.signer_title, bold=True, before=12, reuse_first=True)
    for _ in range(4):
        _para(cell_right, "")
    if submission.signer_name:
        _para(cell_right, submission.signer_name, bold=True)
    return document


def submission_docx_bytes(submission: Any) -> bytes:
    return docx_bytes(submission_docx(submission))


def submission_html(submission: Any, workspace_templates: str | Path | None = None) -> str:
    """The tờ trình as one HTML page (autoescaped), from to-trinh.html.j2 (the workspace's own first)."""
    return render_template("html", "to-trinh.html.j2", workspace_templates, d=submission)
