"""The Quyết định công bố kết quả chỉ số CCHC: the ranking, appraised, issued as a decision with it as Phụ lục.

The wording reuses decision.yaml (issuer, place, legal bases, recipients, signer)
and its optional `results:` block (subject, proposal, articles); the ranking comes
from the score sheets on the issued rubric. Refused while an office is not yet
appraised: the results are official only after appraisal.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date as Date
from pathlib import Path

from .. import fileio
from ..errors import PublishRefusedError
from ..render.escape import OfficeNotes
from ..vn import format_index, format_points, parse_date
from ..wording import has_placeholder
from . import score_sheets, sheets_version
from ..publish import _cited, build_decision, convert_to_pdf, issued_record, output_stem, unfilled_fields
from ..render.decision import decision_docx_bytes, ranking_table, results_html

RESULTS_SUBJECT = ("Về việc công bố kết quả chỉ số cải cách hành chính năm {nam} của các cơ quan chuyên môn "
                   "thuộc {co_quan}")
RESULTS_ARTICLES = (
    "Công bố kết quả chỉ số cải cách hành chính năm {nam} của các cơ quan chuyên môn thuộc {co_quan} "
    "(Phụ lục kèm theo)",
    "Quyết định này có hiệu lực thi hành kể từ ngày ký",
)


def results_rows(report, names: dict[str, str]) -> list[tuple[str, ...]]:
    """The appendix rows: rank, office name, self, appraised, maximum, index, class."""
    return [(str(o.rank), names.get(o.office, o.office), format_points(o.self.total),
             format_points(o.appraised.total), format_points(o.appraised.max), format_index(o.appraised.index),
             o.klass) for o in report.offices]


def build_results_decision(text, report, number: str, date_iso: str, issued, signer: str | None = None):
    """The resolved results decision (a publish.Decision): the issuing decision cited, NĐ 30 punctuation."""
    year = str(report.rubric.meta.year or Date.fromisoformat(date_iso).year)
    basis = []
    if issued is not None:
        basis = [f"Căn cứ Quyết định số {_cited(issued.decision, issued.decision_date)} của {text.issuer_short} "
                 f"ban hành Bộ tiêu chí chấm điểm chỉ số cải cách hành chính năm {year}"]
    # the results have their own tờ trình (results.submission); {to_trinh} cites it, never the issuing one's
    proposal = text.results_proposal or ("Xét đề nghị của Trưởng phòng Nội vụ tại Tờ trình số {to_trinh}"
                                         if text.results_submission_number else "Xét đề nghị của Trưởng phòng Nội vụ")
    worded = replace(
        text, subject=text.results_subject or RESULTS_SUBJECT,
        legal_bases=[b for b in text.legal_bases] + basis,
        proposal=proposal, submission_number=text.results_submission_number,
        submission_date=text.results_submission_date,
        articles=list(RESULTS_ARTICLES) + [text.articles[-1]],
        appendix_title=f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}",
        appendix_subtitle=f"Của các cơ quan chuyên môn thuộc {text.issuer_short}")
    decision = build_decision(worded, report.rubric, number, date_iso, signer)
    decision.note = ""
    return decision


def results_submission_gaps(text) -> list[str]:
    """What the results decision lacks to cite its tờ trình (results.submission number and date in decision.yaml).

    Without them the paper would say only "Xét đề nghị của Trưởng phòng Nội vụ." — a proposal nobody wrote.
    A `results.proposal` of the office's own that cites no {to_trinh} needs neither.
    """
    if text.results_proposal and "{to_trinh}" not in text.results_proposal:
        return []
    missing = [(key, what, example) for key, what, example, value in (
        ("number", "số tờ trình đề nghị công bố kết quả", "08/TTr-NV", text.results_submission_number),
        ("date", "ngày tờ trình", "NGÀY/THÁNG/NĂM", text.results_submission_date)) if not value.strip()]
    if not missing:
        return []
    fields = ", ".join(f"results.submission.{key} ({what})" for key, what, _ in missing)
    how = " && ".join(f'cchc decision set results.submission.{key} "{example}"' for key, _, example in missing)
    return [f"chưa có {fields} trong decision.yaml — điền bằng: {how}"]


def announce(ws, number: str, date: str, *, signer: str | None = None, out_dir: str | os.PathLike | None = None,
             pdf: bool = True, notes: OfficeNotes | None = None) -> tuple[dict[str, Path], str]:
    """Write the results decision (.docx, .html, .pdf) for the workspace's appraised scores: (files, why no PDF).

    With `notes`, each item whose control characters were replaced in the Word (and PDF) file is noted.

    The HTML comes from ket-qua.html.j2, the workspace's own (templates/) first.
    """
    iso = parse_date(date).isoformat()
    sheets = ws.sheets()
    if not sheets:
        raise PublishRefusedError(f"chưa có phiếu chấm nào trong {ws.scores}", fix="cchc score template MÃ_CƠ_QUAN")
    issued = issued_record(ws.history())
    version = sheets_version(sheets) or (issued.name if issued else None)
    if issued is not None and version != issued.name:
        raise PublishRefusedError(
            f"phiếu chấm theo {version}, nhưng bộ tiêu chí đã ban hành là {issued.name} (Quyết định số "
            f"{issued.decision}): kết quả công bố phải chấm theo bản đã ban hành", path=str(ws.scores),
            fix=f"tạo phiếu theo {issued.name} (cchc score template MÃ_CƠ_QUAN --rubric {issued.name}) và chấm lại; "
                f"xem trước ảnh hưởng: cchc score --rubric {issued.name}")
    report = score_sheets(ws.rubric(version), sheets, ws.settings())
    if report.failures:
        raise PublishRefusedError(f"{len(report.failures)} cơ quan có phiếu lỗi, chưa công bố được: "
                                  + ", ".join(f.office for f in report.failures), fix="sửa phiếu (cchc score)")
    waiting = [o.office for o in report.offices if not o.appraised_by_sheet]
    if waiting:
        raise PublishRefusedError(
            f"còn {len(waiting)} cơ quan chưa thẩm định ({', '.join(waiting)}): kết quả chưa chính thức",
            path=str(ws.scores / "appraisal"),
            fix="thêm phiếu thẩm định cho từng cơ quan (không điều chỉnh gì thì ghi 'scores: []')")
    text = ws.decision()
    # the issuing decision's tờ trình and predecessor are not cited here; the results' own tờ trình is
    gaps = [g for g in unfilled_fields(text, signer) if not g.startswith(("submission", "replaces"))]
    if has_placeholder(text.results_submission_number + text.results_submission_date):
        gaps.append(f"results.submission: “{text.results_submission_number} {text.results_submission_date}”")
    gaps += results_submission_gaps(text)
    if gaps:
        raise PublishRefusedError("lời văn quyết định còn chỗ chưa điền: " + "; ".join(gaps), path=text.source,
                                  fix="điền các trường trên trong decision.yaml")
    names = {o.code: o.name for o in ws.offices()}
    decision = build_results_decision(text, report, number, iso, issued, signer)
    target = Path(out_dir) if out_dir else ws.output / "ket-qua"
    stem = output_stem(decision.number_line.removeprefix("Số: "), "ket-qua")
    files = {"docx": target / f"{stem}.docx", "html": target / f"{stem}.html"}
    rows = results_rows(report, names)
    html = results_html(decision, rows, ws.root / "templates")  # a broken template fails before anything is written
    fileio.atomic_write(files["docx"], decision_docx_bytes(decision, None, ranking_table(rows, notes), notes), lock=False)
    fileio.atomic_write(files["html"], html, lock=False)
    note = ""
    if pdf:
        made, note = convert_to_pdf(files["docx"], target)
        if made is not None:
            files["pdf"] = made
    return files, note



