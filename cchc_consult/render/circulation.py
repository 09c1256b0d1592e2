"""The công văn circulating a draft, as Word and as HTML (cong-van.html.j2): NĐ 30 header with the "V/v" line,
body, signer, PHỤ LỤC DỰ THẢO."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model import Rubric
from .appendix import HEADERS, appendix_rows
from .decision import _borderless_table, _keep_row_on_one_page, _para, _short_rule, nd30_document, note_paper_words
from .docx_table import add_rubric_table, docx_bytes
from .env import render_template
from .escape import OfficeNotes


def letter_docx(letter: Any, rubric: Rubric, notes: OfficeNotes | None = None) -> Any:
    """The letter as a python-docx Document, the circulated rubric as its appendix.

    With `notes`, what Word cannot hold is noted: the letter's words once, the appendix per criterion.
    """
    if notes is not None:
        note_paper_words(letter, notes, "lời văn công văn (decision.yaml, round.yaml, tên cơ quan)")
    document = nd30_document()
    header = _borderless_table(document, (62, 103))
    left, right = header.rows[0].cells
    _para(left, letter.issuer_parent, bold=letter.issuer_parent_bold, size=13, reuse_first=True)
    _para(left, letter.issuer_name, bold=True, size=13)
    _short_rule(left, 19)
    _para(left, letter.number_line, size=13, before=6)
    _para(left, letter.subject, size=12)  # trích yếu of a công văn: under the number, regular
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12.5, reuse_first=True)
    _para(right, "Độc lập - Tự do - Hạnh phúc", bold=True, underline=True, size=13.5)
    _para(right, letter.place_date, italic=True, size=14, before=8)
    _para(document, letter.addressee, before=18, after=10)
    for text in letter.paragraphs:
        last = _para(document, text, align="justify", first_line_mm=12.7, after=6)
    last.paragraph_format.keep_with_next = True  # the signature never stands alone on a page
    sign = _borderless_table(document, (80, 85))
    _keep_row_on_one_page(sign.rows[0])
    cell_left, cell_right = sign.rows[0].cells
    _para(cell_left, "Nơi nhận:", align="left", bold=True, italic=True, size=12, before=12, reuse_first=True)
    for line in letter.recipients:
        _para(cell_left, line, align="left", size=11)
    _para(cell_right, letter.signer_authority, bold=True, before=12, reuse_first=True)
    _para(cell_right, letter.signer_title, bold=True)
    for _ in range(4):
        _para(cell_right, "")
    if letter.signer_name:
        _para(cell_right, letter.signer_name, bold=True)
    _para(document, letter.appendix_heading, bold=True).paragraph_format.page_break_before = True
    _para(document, letter.appendix_title, bold=True)
    _para(document, letter.appendix_attached, italic=True, after=10)
    add_rubric_table(document, rubric, notes)
    if rubric.meta.note:
        _para(document, rubric.meta.note, align="justify", italic=True, size=13, before=6)
    return document


def letter_docx_bytes(letter: Any, rubric: Rubric, notes: OfficeNotes | None = None) -> bytes:
    return docx_bytes(letter_docx(letter, rubric, notes))


def letter_html(letter: Any, rubric: Rubric, workspace_templates: str | Path | None = None) -> str:
    """The letter as one HTML page (autoescaped), from cong-van.html.j2 (the workspace's own first)."""
    return render_template("html", "cong-van.html.j2", workspace_templates, d=letter, headers=HEADERS,
                           rows=appendix_rows(rubric), note=rubric.meta.note)
