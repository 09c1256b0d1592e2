"""The "Bảng tổng hợp, tiếp thu, giải trình ý kiến góp ý": its content as data, and as HTML or Markdown.

`build_feedback` is pure over a `Consultation`: every comment becomes exactly
one row, in the table by criterion when it matched the draft, in the list of
unmatched comments otherwise. The documents (HTML, Markdown, Word) are laid out
in `render.feedback` and `render.feedback_docx`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..model import format_points
from ..vn import format_date_short
from .comments import WHOLE, Comment, sorted_by_criterion
from .consultation import Consultation
from .dispositions import STATUSES, Disposition
from .ledger import LATE, ON_TIME, PENDING, SILENT, UNREADABLE, LedgerEntry, ReviewerGap, criterion_acceptance, \
    reviewer_gaps

TITLE = "BẢNG TỔNG HỢP, TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý"
NO_ANSWER = "Chưa có ý kiến tiếp thu, giải trình"


@dataclass(slots=True)
class FeedbackRow:
    """One comment as a row of the table: who, on what, what they said, and what Nội vụ answered."""

    stt: int
    comment_id: str
    office: str
    criterion: str
    #: The comment's paragraphs: the comment, the proposal, the points and their effect, the notes.
    said: list[str]
    answer: str
    status: str
    late: bool = False
    superseded: bool = False
    #: For the unmatched table: where the comment is and why it did not match.
    where: str = ""
    problems: list[str] = field(default_factory=list)


@dataclass(slots=True)
class FeedbackReport:
    """Everything the consolidated table shows, ready for any format."""

    title: str
    subtitle: str
    issuer: str
    as_of: dt.date
    summary: list[tuple[str, str]]
    counts: dict[str, int]
    rows: list[FeedbackRow]
    unmatched: list[FeedbackRow]
    ledger: list[LedgerEntry]
    #: Criterion id → how many consulted offices accepted it by not commenting (for commented criteria).
    others_agree: dict[str, int]
    uncommented: list[str]
    reviewer_gaps: list[tuple[str, str]]
    problems: list[str]
    loop_findings: list[str] = field(default_factory=list)


def _criterion_label(c: Comment, index) -> str:
    if c.criterion == WHOLE:
        return "Toàn bộ dự thảo"
    node = index.get(c.criterion)
    if node is None:
        return c.criterion or "(không ghi mã)"
    points = f" ({format_points(node.max)} điểm)" if node.max is not None else ""
    return f"{c.criterion}. {node.title}{points}"


def _said(c: Comment, by_id: dict[str, Comment]) -> list[str]:
    text = c.text or "(để trống nội dung góp ý)"
    lines = [f"[{c.kind[0].upper() + c.kind[1:]}] {text}" if c.kind else text]
    if c.proposal:
        lines.append(f"Đề xuất: {c.proposal}")
    if c.proposed_points is not None:
        line = f"Điểm đề xuất: {format_points(c.proposed_points)}"
        lines.append(f"{line} — {c.impact}" if c.impact else line)
    elif c.proposed_points_text:
        lines.append(f"Điểm đề xuất (không đọc được): {c.proposed_points_text}")
    notes = []
    if c.received:
        notes.append(f"ngày {format_date_short(c.received)}")
    if c.late:
        notes.append("QUÁ HẠN")
    if c.superseded_by:
        later = by_id.get(c.superseded_by)
        when = f" ngày {format_date_short(later.received)}" if later and later.received else ""
        notes.append(f"đã được thay bằng ý kiến {c.superseded_by}{when}")
    lines.append(f"({c.id}; {'; '.join(notes)})" if notes else f"({c.id})")
    return lines


def _answer(c: Comment, disposition: Disposition | None) -> tuple[str, str]:
    if disposition is None:
        if c.superseded_by:
            return f"Xem ý kiến {c.superseded_by} (cơ quan đã gửi ý kiến sau thay thế)", ""
        return NO_ANSWER, ""
    return disposition.describe(), disposition.status


def build_feedback(consultation: Consultation, as_of: dt.date | None = None,
                   loop_findings: list[str] | None = None) -> FeedbackReport:
    """The consolidated table's content; every comment appears exactly once."""
    cs = consultation
    as_of = as_of or dt.date.today()
    index = cs.rubric.index()
    by_id = cs.comments.by_id()
    answers = cs.dispositions.items
    office_name = {o.code: o.name for o in cs.offices}
    rows: list[FeedbackRow] = []
    for c in sorted_by_criterion(cs.comments.matched(), cs.rubric):
        answer, status = _answer(c, answers.get(c.id))
        rows.append(FeedbackRow(len(rows) + 1, c.id, office_name.get(c.office, c.office),
                                _criterion_label(c, index), _said(c, by_id), answer, status, c.late,
                                bool(c.superseded_by)))
    unmatched: list[FeedbackRow] = []
    for c in cs.comments.unmatched():
        answer, status = _answer(c, answers.get(c.id))
        unmatched.append(FeedbackRow(len(unmatched) + 1, c.id, office_name.get(c.office, c.office or "—"),
                                     c.criterion or "(không ghi mã)", _said(c, by_id), answer, status, c.late,
                                     where=c.where, problems=list(c.errors)))
    ledger = cs.ledger(as_of)
    acceptance = criterion_acceptance(cs.rubric, cs.round, cs.comments)
    others = {a.criterion: len(a.accepted) for a in acceptance if a.commented}
    uncommented = [a.criterion for a in acceptance if not a.commented and a.criterion != WHOLE]
    gaps = [(office_name.get(g.office, g.office), _gap_text(g)) for g in
            reviewer_gaps(cs.rubric, cs.round, cs.comments, cs.owners())]
    counts = _counts(cs, ledger)
    problems = [str(e) for e in cs.comments.errors] + [str(e) for e in cs.dispositions.errors]
    known = set(by_id)
    problems += [f"{cs.dispositions.source}:{d.line}: có ý kiến tiếp thu cho mã ý kiến {d.comment_id} "
                 f"nhưng không có ý kiến góp ý nào mang mã này" for d in answers.values() if d.comment_id not in known]
    problems += [f"{cs.dispositions.source}:{d.line}: ý kiến {d.comment_id} được trả lời khi nằm ở tiêu chí "
                 f"{d.criterion}, nay ở {by_id[d.comment_id].criterion}: kiểm tra lại"
                 for d in answers.values()
                 if d.comment_id in by_id and d.criterion and by_id[d.comment_id].criterion not in ("", d.criterion)]
    r = cs.round
    subtitle = (f"Dự thảo Bộ tiêu chí chấm điểm chỉ số CCHC năm {cs.rubric.meta.year or ''} ({r.version}), "
                f"gửi lấy ý kiến kèm Công văn số {r.letter or '…'} ngày {format_date_short(r.letter_date) or '…'}")
    return FeedbackReport(
        title=TITLE, subtitle=subtitle, issuer=cs.rubric.meta.issuer or "", as_of=as_of,
        summary=_summary(cs, counts), counts=counts, rows=rows, unmatched=unmatched, ledger=ledger,
        others_agree=others, uncommented=uncommented, reviewer_gaps=gaps, problems=problems,
        loop_findings=list(loop_findings or []),
    )


def _gap_text(gap: ReviewerGap) -> str:
    how = ("đã gửi ý kiến đồng ý toàn bộ" if gap.agree_all else
           "đã gửi ý kiến nhưng không nói đến các tiêu chí này" if gap.replied else "không có ý kiến")
    return f"{how}: {', '.join(gap.criteria)}"


def _counts(cs: Consultation, ledger: list[LedgerEntry]) -> dict[str, int]:
    by_status = {s: sum(1 for e in ledger if e.status == s) for s in (ON_TIME, LATE, SILENT, PENDING, UNREADABLE)}
    answered = {s: 0 for s in STATUSES}
    for c in cs.comments.comments:
        d = cs.dispositions.items.get(c.id)
        if d is not None:
            answered[d.status] += 1
    unanswered = sum(1 for c in cs.comments.comments
                     if c.id not in cs.dispositions.items and not c.superseded_by)
    return {
        "consulted": len(ledger), "on_time": by_status[ON_TIME], "late": by_status[LATE],
        "silent": by_status[SILENT], "pending": by_status[PENDING], "unreadable": by_status[UNREADABLE],
        "files": len(cs.comments.files), "comments": len(cs.comments.comments),
        "matched": len(cs.comments.matched()), "unmatched": len(cs.comments.unmatched()),
        "superseded": sum(1 for c in cs.comments.comments if c.superseded_by),
        "accepted": answered["tiếp thu"], "partly": answered["tiếp thu một phần"],
        "rejected": answered["không tiếp thu"], "unanswered": unanswered,
    }


def _summary(cs: Consultation, n: dict[str, int]) -> list[tuple[str, str]]:
    r = cs.round
    out = [
        ("Số cơ quan được lấy ý kiến", str(n["consulted"])),
        (f"Có ý kiến đúng hạn ({r.deadline_text})", str(n["on_time"])),
        ("Có ý kiến quá hạn (vẫn được tổng hợp)", str(n["late"])),
        ("Không có ý kiến, được coi là đồng ý", str(n["silent"])),
    ]
    if n["pending"]:
        out.append(("Chưa có ý kiến, còn trong hạn", str(n["pending"])))
    if n["unreadable"]:
        out.append(("Có gửi tệp nhưng không đọc được", str(n["unreadable"])))
    out += [
        ("Tổng số ý kiến góp ý", f"{n['comments']} (khớp tiêu chí: {n['matched']}; chưa khớp: {n['unmatched']}; "
                                 f"được thay bằng ý kiến sau: {n['superseded']})"),
        ("Tiếp thu / tiếp thu một phần / không tiếp thu",
         f"{n['accepted']} / {n['partly']} / {n['rejected']}"),
        ("Chưa trả lời", str(n["unanswered"])),
    ]
    return out
