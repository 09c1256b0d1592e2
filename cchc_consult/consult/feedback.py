"""The "Bảng tổng hợp, tiếp thu, giải trình ý kiến góp ý": its content as data, ready for any format.

`build_feedback` is pure over a `Consultation` and, when there is one, the
draft that followed (`next_rubric`): every comment becomes exactly one row with
the office's words verbatim; the answer says in words what changed and where,
from the rubric diff (`diff.diff_rubrics`); every change no accepted comment
asked for goes to the drafting office's own changes, with its initiative's
reason. Nothing tool-made goes on the paper: file paths, line numbers, fixes and
the loop's findings are in `problems`, for the screen. The documents (HTML,
Markdown, Word) are laid out in `render.feedback` and `render.feedback_docx`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..errors import CchcError
from ..model import Rubric
from ..vn import format_date_long, format_date_short, format_points
from .comments import WHOLE, Comment, sorted_by_criterion
from .consultation import Consultation
from .dispositions import ACCEPTED, PARTLY, REJECTED, STATUSES, Disposition, ReportData
from .ledger import BLANK, LATE, ON_TIME, SILENT, STATUS_TEXT, UNREADABLE, LedgerEntry, ReviewerGap, \
    criterion_acceptance, reviewer_gaps
from ..diff import diff_rubrics

TITLE = "BẢNG TỔNG HỢP, TIẾP THU, GIẢI TRÌNH Ý KIẾN GÓP Ý"
NO_ANSWER = "Chưa có ý kiến tiếp thu, giải trình"


@dataclass(slots=True)
class FeedbackRow:
    """One comment as a row of the table: who, on what, what they said, and what was answered."""

    stt: int
    comment_id: str
    office: str
    criterion: str
    #: The office's words: the comment, then its proposal and proposed points as written.
    said: list[str]
    answer: str
    status: str
    late: bool = False
    superseded: bool = False
    #: A short note beside the office's words: the letter's date, late, replaced by a later comment.
    note: str = ""
    #: For the screen only: where the comment is and why it did not match the draft.
    where: str = ""
    problems: list[str] = field(default_factory=list)


@dataclass(slots=True)
class OwnChange:
    """A change of the draft no accepted comment asked for: what it is, in words, and why (an initiative)."""

    stt: int
    criterion: str
    changes: list[str]
    reason: str


@dataclass(slots=True)
class FeedbackReport:
    """Everything the consolidated table shows, ready for any format."""

    title: str
    subtitle: str
    issuer: str
    as_of: dt.date | None
    summary: list[tuple[str, str]]
    counts: dict[str, int]
    rows: list[FeedbackRow]
    unmatched: list[FeedbackRow]
    ledger: list[LedgerEntry]
    #: Criterion id → how many consulted offices accepted it by not commenting (for commented criteria).
    others_agree: dict[str, int]
    uncommented: list[str]
    reviewer_gaps: list[tuple[str, str]]
    #: For the screen (stderr), never the paper: file errors, orphaned answers, the loop's findings.
    problems: list[str]
    loop_findings: list[str] = field(default_factory=list)
    drafter: str = ""
    own_changes: list[OwnChange] = field(default_factory=list)
    next_version: str = ""
    #: "(Kèm theo Tờ trình số … ngày … của …)"; "" when the data is missing.
    attached_to: str = ""
    #: "Quảng Điền, ngày 28 tháng 8 năm 2023"; "" without a date.
    place_date: str = ""
    signer_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""
    #: What the paper lacks (no tờ trình number, no date, no signer), in words: the command refuses or warns.
    missing: list[str] = field(default_factory=list)


def _criterion_label(c: Comment, index) -> str:
    if c.criterion == WHOLE:
        return "Toàn bộ dự thảo"
    node = index.get(c.criterion)
    if node is None:
        return f"{c.criterion} (dự thảo không có tiêu chí này)" if c.criterion else "(không ghi tiêu chí)"
    points = f" ({format_points(node.max)} điểm)" if node.max is not None else ""
    return f"{c.criterion}. {node.title}{points}"


def _said(c: Comment) -> list[str]:
    """The office's own words, verbatim: nothing the tool computed is mixed in."""
    lines = [c.text] if c.text else []
    if c.proposal:
        lines.append(f"Đề xuất: {c.proposal}")
    if c.proposed_points is not None:
        lines.append(f"Điểm đề xuất: {format_points(c.proposed_points)}")
    elif c.proposed_points_text:
        lines.append(f"Điểm đề xuất: {c.proposed_points_text}")
    lines += [f"{label}: {text}" for label, text in c.extra]  # the office's own extra columns, never dropped
    return lines or ["(văn bản không ghi nội dung)"]


def _note(c: Comment, stt_of: dict[str, int]) -> str:
    parts = [f"Ý kiến {c.id}"]
    if c.received:
        parts.append(f"văn bản ngày {format_date_short(c.received)}")
    if c.late:
        parts.append("gửi quá hạn")
    if c.superseded_by:
        later = stt_of.get(c.superseded_by)
        parts.append(f"được thay bằng ý kiến {c.superseded_by}" + (f" (STT {later})" if later else ""))
    return "; ".join(parts)


# --------------------------------------------------------------------------- the diff, in words

def _quote(text: str) -> str:
    return f"“{' '.join(str(text).split())}”"


def _band_label(node, index: int) -> str:
    """A band as clerks cite it: "mức 1 điểm", or "mức thứ 2" when two bands earn the same points."""
    if node is None or not (0 <= index < len(node.bands)):
        return f"mức thứ {index + 1}"
    points = node.bands[index].points
    if points is not None and sum(1 for b in node.bands if b.points == points) == 1:
        return f"mức {format_points(points)} điểm"
    return f"mức thứ {index + 1}"


def change_words(change, old: Rubric, new: Rubric) -> str:
    """One change of the draft as a clause a reader of the paper understands: what it now says."""
    old_node = old.index().get(change.old_id or "")
    new_node = new.index().get(change.new_id or "")
    kind, d = change.kind, change.detail
    if kind in ("band-reworded", "band-condition-changed"):
        return f"{_band_label(new_node, d.get('band', 0))} ghi {_quote(change.after)}"
    if kind == "band-points-changed":
        text = new_node.bands[d["band"]].text if new_node and d.get("band", -1) < len(new_node.bands) else ""
        return f"mức {_quote(text)} từ {change.before} thành {change.after} điểm" if text else \
            f"điểm của mức thứ {d.get('band', 0) + 1} từ {change.before} thành {change.after}"
    if kind == "band-added":
        return f"thêm mức {_quote(change.after)} ({d.get('points', '')} điểm)"
    if kind == "band-removed":
        return f"bỏ mức {_quote(change.before)}"
    if kind == "title-changed":
        return f"nội dung tiêu chí ghi {_quote(change.after)}"
    if kind == "evidence-changed":
        added, removed = d.get("added") or [], d.get("removed") or []
        if added:
            return "tài liệu kiểm chứng ghi " + "; ".join(_quote(a) for a in added)
        return "bỏ " + "; ".join(_quote(r) for r in removed) + " ở cột tài liệu kiểm chứng"
    if kind == "scoring-changed":
        return f"cách chấm ghi {_quote(change.after)}" if change.before == change.after else \
            f"cách chấm từ {_quote(change.before)} thành {_quote(change.after)}"
    if kind == "max-changed":
        return f"điểm chuẩn từ {change.before} thành {change.after} điểm"
    if kind == "total-changed":
        return f"tổng cộng từ {change.before} thành {change.after} điểm"
    if kind == "added":
        title = new_node.title if new_node else change.after
        return f"thêm tiêu chí {change.new_id} {_quote(title)} ({d.get('max', '')} điểm)"
    if kind == "removed":
        title = old_node.title if old_node else change.before
        return f"bỏ tiêu chí {change.old_id} {_quote(title)} ({d.get('max', '')} điểm)"
    if kind == "moved":
        title = new_node.title if new_node else ""
        return f"tiêu chí {change.old_id} {_quote(title)} đánh số lại thành {change.new_id}"
    return change.message


def describe_changes(changes, old: Rubric, new: Rubric) -> list[str]:
    """The changes grouped by criterion, each group a sentence: "Đã sửa tiêu chí II.1.2: mức 1 điểm ghi “…”."""
    groups: dict[str, list[str]] = {}
    alone: list[str] = []
    for ch in changes:
        words = change_words(ch, old, new)
        if ch.kind == "moved":
            alone.append(f"{words[0].upper()}{words[1:]}.")
        elif ch.kind in ("added", "removed", "split", "merged", "total-changed"):
            alone.append(f"Đã {words}.")
        else:
            groups.setdefault(ch.node_id, []).append(words)
    return [f"Đã sửa tiêu chí {node}: {'; '.join(parts)}." for node, parts in groups.items()] + alone


def _inside(x: str, c: str) -> bool:
    return x == c or x.startswith(c + ".")


def attribute_changes(diff, comments: list[Comment], answers: dict[str, Disposition]):
    """(changes of each accepted comment by id, changes no accepted comment asked for).

    A change belongs to the accepted comments on the most specific criterion
    containing it (by its old or its renumbered id); a parent's maximum moving
    belongs to a comment only when the comment's own maximum moved too.
    """
    id_map = diff.id_map()
    live = [c for c in comments if c.criterion not in ("", WHOLE) and not c.superseded_by
            and answers.get(c.id) is not None and answers[c.id].accepted]
    names = {c.id: {c.criterion, id_map.get(c.criterion, c.criterion)} for c in live}

    def depth(c, ch) -> int:
        ids = [x for x in (ch.old_id, ch.new_id) if x]
        return max((n.count(".") + 1 for n in names[c.id] for x in ids if _inside(x, n)), default=0)

    asked: dict[str, list] = {c.id: [] for c in live}
    unasked = []
    for ch in diff.changes:
        scored = [(depth(c, ch), c) for c in live]
        best = max((d for d, _ in scored), default=0)
        owners = [c for d, c in scored if d and d == best]
        if not owners and ch.kind == "max-changed":
            owners = [c for c in live if any(_inside(n, ch.node_id) for n in names[c.id])
                      and any(o.kind == "max-changed" and any(_inside(x, n) for n in names[c.id]
                                                              for x in (o.old_id, o.new_id) if x)
                              for o in diff.changes)]
        for c in owners:
            asked[c.id].append(ch)
        if not owners:
            unasked.append(ch)
    return asked, unasked


def _answer(c: Comment, d: Disposition | None, changes: list[str], stt_of: dict[str, int]) -> tuple[str, str]:
    if d is None:
        if c.superseded_by:
            later = stt_of.get(c.superseded_by)
            return ("Cơ quan đã thay ý kiến này bằng ý kiến gửi sau" + (f" (STT {later})" if later else ""), "")
        return NO_ANSWER, ""
    text = d.status[0].upper() + d.status[1:] + "."
    if d.reason:
        text += f" {d.reason.rstrip('.')}."
    if d.status != REJECTED and changes:
        text += " " + " ".join(changes)
    return text, d.status


def _own_changes(changes, initiatives, old: Rubric, new: Rubric,
                 answered_with_changes: set[str] = frozenset()) -> list[OwnChange]:
    """The drafting office's own changes: each initiative with the changes it covers, then the uncovered ones.

    A change goes to the most specific initiative covering it; a parent's maximum to an initiative below it.
    An initiative left with no change of its own says where its change is told instead
    (`answered_with_changes`: criteria whose accepted comments carry changes in part II), or
    that the new draft has none there — never an empty cell.
    """
    def covers(item, ch) -> int:
        ids = [x for x in (ch.old_id, ch.new_id) if x]
        if any(_inside(x, item.criterion) for x in ids):
            return 2 + item.criterion.count(".")
        # a parent's maximum follows the nearest initiative below it
        return 1 - item.criterion.count(".") / 100 if ch.kind == "max-changed" and any(
            _inside(item.criterion, x) for x in ids) else 0

    mine: dict[int, list] = {i: [] for i in range(len(initiatives))}
    left = []
    for ch in changes:
        scores = [(covers(item, ch), -i) for i, item in enumerate(initiatives)]  # a tie: the first listed
        best = max(scores, default=(0, 1))
        if best[0]:
            mine[-best[1]].append(ch)
        else:
            left.append(ch)
    out = []
    for i, item in enumerate(initiatives):
        words = describe_changes(mine[i], old, new)
        sibling = next((j for j, other in enumerate(initiatives)
                        if j != i and mine[j] and other.criterion == item.criterion), None)
        if not words and sibling is not None:
            words = [f"Nội dung sửa ở tiêu chí {item.criterion} đã nêu tại STT {sibling + 1} của phần này."]
        elif not words:
            told = any(_inside(c, item.criterion) or _inside(item.criterion, c) for c in answered_with_changes)
            words = [f"Nội dung sửa ở tiêu chí {item.criterion} đã nêu tại phần II, cùng ý kiến góp ý được tiếp thu."
                     if told else f"Dự thảo {new.meta.version or 'mới'} không có thay đổi ở tiêu chí {item.criterion}."]
        out.append(OwnChange(i + 1, item.criterion, words, item.reason))
    by_node: dict[str, list] = {}
    for ch in left:
        by_node.setdefault(ch.node_id, []).append(ch)
    for node, group in by_node.items():
        out.append(OwnChange(len(out) + 1, node, describe_changes(group, old, new), ""))
    return out


def build_feedback(consultation: Consultation, as_of: dt.date | None = None,
                   loop_findings: list[str] | None = None, *, next_rubric: Rubric | None = None,
                   data: ReportData | None = None, drafter: str = "", place: str = "") -> FeedbackReport:
    """The consolidated table's content; every comment appears exactly once.

    `as_of` dates the paper and the ledger (default: the report data's date,
    then the tờ trình's); never the system clock. `data` defaults to the
    round's own: dispositions.yaml's `report:` with the tờ trình of decision.yaml.
    """
    cs = consultation
    if data is None:
        data, _ = paper_data(cs.dispositions.report, _decision_of(cs))
    as_of = as_of or data.date or data.submission_date
    index = cs.rubric.index()
    by_id = cs.comments.by_id()
    answers = cs.dispositions.items
    office_name = {o.code: o.name for o in cs.offices}
    drafter = drafter or office_name.get(cs.round.drafter, cs.round.drafter or "")
    diff = diff_rubrics(cs.rubric, next_rubric) if next_rubric is not None else None
    asked, unasked = attribute_changes(diff, cs.comments.comments, answers) if diff else ({}, [])
    # an unreadable file's placeholder is no office's words: the ledger and the summary report the file
    written = cs.comments.written()
    ordered = sorted_by_criterion([c for c in written if c.matched], cs.rubric) + [c for c in written
                                                                                   if not c.matched]
    stt_of = {c.id: i for i, c in enumerate(ordered, start=1)}
    rows: list[FeedbackRow] = []
    for c in ordered:
        words = describe_changes(asked.get(c.id, []), cs.rubric, next_rubric) if diff else []
        answer, status = _answer(c, answers.get(c.id), words, stt_of)
        rows.append(FeedbackRow(len(rows) + 1, c.id, office_name.get(c.office, c.office or "—"),
                                _criterion_label(c, index), _said(c), answer, status, c.late,
                                bool(c.superseded_by), _note(c, stt_of), c.where, list(c.errors)))
    unmatched = [r for r in rows if r.problems]
    answered_with_changes = {by_id[cid].criterion for cid, changed in asked.items() if changed and cid in by_id}
    own = _own_changes(unasked, cs.dispositions.initiatives, cs.rubric, next_rubric, answered_with_changes) if diff \
        else \
        [OwnChange(i, item.criterion, [], item.reason) for i, item in enumerate(cs.dispositions.initiatives, 1)]
    ledger = cs.ledger(as_of)
    acceptance = criterion_acceptance(cs.rubric, cs.round, cs.comments)
    others = {a.criterion: len(a.accepted) for a in acceptance if a.commented}
    uncommented = [a.criterion for a in acceptance if not a.commented and a.criterion != WHOLE]
    gaps = [(office_name.get(g.office, g.office), _gap_text(g)) for g in
            reviewer_gaps(cs.rubric, cs.round, cs.comments, cs.owners())]
    counts = _counts(cs, ledger)
    problems = [str(e) for e in cs.comments.errors] + [str(e) for e in cs.dispositions.errors]
    problems += [f"{cs.dispositions.source}:{d.line}: câu trả lời '{d.entry}' (mã {d.key or d.comment_id}) không "
                 "còn ý kiến góp ý nào tương ứng (tệp góp ý đã đổi hoặc bị xóa): kiểm tra lại, câu trả lời không "
                 "được gắn sang ý kiến khác" for d in cs.dispositions.orphans]
    problems += [f"{cs.dispositions.source}:{d.line}: ý kiến {d.comment_id} được trả lời khi nằm ở tiêu chí "
                 f"{d.criterion}, nay ở {by_id[d.comment_id].criterion}: kiểm tra lại"
                 for d in answers.values()
                 if d.comment_id in by_id and d.criterion and by_id[d.comment_id].criterion not in ("", d.criterion)]
    problems += list(loop_findings or [])
    r = cs.round
    # the letterhead's upper line: decision.yaml's issuer, as on the tờ trình this table is attached to
    decision = _decision_of(cs)
    issuer = (decision.issuer_short if decision is not None else "") or cs.rubric.meta.issuer or ""
    letter = f"Công văn số {r.letter}" + (f" ngày {format_date_short(r.letter_date)}" if r.letter_date else "") \
        if r.letter else ""
    subtitle = (f"Dự thảo Bộ tiêu chí chấm điểm chỉ số cải cách hành chính năm {cs.rubric.meta.year or ''}"
                + (f" gửi lấy ý kiến kèm theo {letter}" if letter else "") + (f" của {issuer}" if issuer else ""))
    missing = []
    attached = ""
    if data.submission and data.submission_date:
        attached = (f"(Kèm theo Tờ trình số {data.submission} ngày {format_date_short(data.submission_date)}"
                    + (f" của {drafter}" if drafter else "") + ")")
    else:
        missing.append("số và ngày Tờ trình kèm theo (submission: number, date trong decision.yaml)")
    if as_of is None:
        missing.append("ngày lập bảng (report.date hoặc --date)")
    if not (data.signer_title and data.signer_name):
        missing.append("chức vụ và họ tên người ký (submission.signer.title, submission.signer.name trong "
                       "decision.yaml, hoặc report.signer của dispositions.yaml)")
    place_date = (f"{place}, {format_date_long(as_of)}" if place else format_date_long(as_of)[0].upper()
                  + format_date_long(as_of)[1:]) if as_of else ""
    return FeedbackReport(
        title=TITLE, subtitle=subtitle, issuer=issuer, as_of=as_of,
        summary=_summary(cs, counts, ledger), counts=counts, rows=rows, unmatched=unmatched, ledger=ledger,
        others_agree=others, uncommented=uncommented, reviewer_gaps=gaps, problems=problems,
        loop_findings=list(loop_findings or []), drafter=drafter, own_changes=own,
        next_version=(next_rubric.meta.version or "") if next_rubric is not None else "",
        attached_to=attached, place_date=place_date, signer_authority=data.signer_authority,
        signer_title=data.signer_title, signer_name=data.signer_name, missing=missing,
    )


def paper_data(report: ReportData, decision, decision_source: str = "decision.yaml") -> tuple[ReportData, list[str]]:
    """The report data with the tờ trình taken from its one home, decision.yaml's `submission:`.

    `decision` is the workspace's `DecisionText` (None when it cannot be read).
    An older dispositions.yaml that still carries `report.submission` is read
    when decision.yaml has no number yet; when both have one and they differ,
    decision.yaml wins and the returned warnings say so. The signer of the tờ
    trình (and of the table attached to it) is `submission.signer` when set
    there, else dispositions.yaml's `report.signer`.
    """
    from dataclasses import replace

    warnings: list[str] = []
    report = _signer_from(report, decision, decision_source, warnings)
    number = (decision.submission_number or "").strip() if decision is not None else ""
    if not number or "…" in number:
        if report.submission:
            warnings.append(f"số tờ trình {report.submission} lấy từ report.submission của dispositions.yaml (cách "
                            f"ghi cũ): nên ghi vào submission.number của {decision_source}, nơi Quyết định cũng đọc")
        return report, warnings
    text = (decision.submission_date or "").strip()
    try:
        date = dt.date.fromisoformat(text) if text else None
    except ValueError:
        date = None
    if report.submission and (report.submission, report.submission_date) != (number, date or report.submission_date):
        warnings.append(f"dispositions.yaml ghi tờ trình {report.submission}, {decision_source} ghi {number}: "
                        f"dùng {number}; xóa report.submission khỏi dispositions.yaml")
    return replace(report, submission=number, submission_date=date or report.submission_date), warnings


def _signer_from(report: ReportData, decision, decision_source: str, warnings: list[str]) -> ReportData:
    """`report` with decision.yaml's submission.signer (title, name) over report.signer where it is written."""
    from dataclasses import replace

    name = (decision.submission_signer_name or "").strip() if decision is not None else ""
    title = (decision.submission_signer_title or "").strip() if decision is not None else ""
    if name and report.signer_name and report.signer_name != name:
        warnings.append(f"dispositions.yaml ghi người ký {report.signer_name}, {decision_source} ghi {name} "
                        f"(submission.signer): dùng {name}")
    if name:
        report = replace(report, signer_name=name)
    if title and title != report.signer_title:  # KT. above another title would no longer be true
        report = replace(report, signer_title=title, signer_authority="")
    return report


def _decision_of(cs: Consultation):
    """The workspace's decision.yaml, or None when it cannot be read (publish reports that, not this table)."""
    try:
        return cs.workspace.decision()
    except CchcError:
        return None


def _gap_text(gap: ReviewerGap) -> str:
    how = ("đã gửi ý kiến đồng ý toàn bộ" if gap.agree_all else
           "đã gửi ý kiến nhưng không nói đến các tiêu chí này" if gap.replied else "không có ý kiến")
    return f"{how}: {', '.join(gap.criteria)}"


def _counts(cs: Consultation, ledger: list[LedgerEntry]) -> dict[str, int]:
    by_status: dict[str, int] = {}
    for e in ledger:
        by_status[e.status] = by_status.get(e.status, 0) + 1
    answered = {s: 0 for s in STATUSES}
    written = cs.comments.written()
    for c in written:
        d = cs.dispositions.items.get(c.id)
        if d is not None:
            answered[d.status] += 1
    unanswered = sum(1 for c in written if c.id not in cs.dispositions.items and not c.superseded_by)
    out = {"consulted": len(ledger), "on_time": by_status.get(ON_TIME, 0), "late": by_status.get(LATE, 0),
           "silent": by_status.get(SILENT, 0)}
    out |= {s: n for s, n in by_status.items() if s not in out}
    return out | {
        "files": len(cs.comments.files), "comments": len(written),
        "matched": sum(1 for c in written if c.matched), "unmatched": sum(1 for c in written if not c.matched),
        "superseded": sum(1 for c in cs.comments.comments if c.superseded_by),
        "accepted": answered[ACCEPTED], "partly": answered[PARTLY],
        "rejected": answered[REJECTED], "unanswered": unanswered,
    }


#: Summary lines for the ledger's statuses, in the order the paper gives them; always shown.
SUMMARY_LINES = [(ON_TIME, "Có ý kiến đúng hạn ({deadline})"),
                 (LATE, "Có ý kiến nhưng gửi quá hạn (vẫn được tổng hợp)"),
                 (BLANK, "Phiếu chưa điền (không phải ý kiến trả lời)"),
                 (UNREADABLE, "Đã gửi, chưa đọc được"),
                 (SILENT, "Không có ý kiến, được coi là đồng ý")]


def _summary(cs: Consultation, n: dict[str, int], ledger: list[LedgerEntry]) -> list[tuple[str, str]]:
    """The summary lines: offices consulted, then each status of SUMMARY_LINES, then any other status present."""
    out = [("Số cơ quan được lấy ý kiến", str(n["consulted"]))]
    shown = {status for status, _ in SUMMARY_LINES}
    for status, label in SUMMARY_LINES:
        if status == SILENT:  # a status the paper has no fixed line for, just before the deemed agreement
            for other in dict.fromkeys([*STATUS_TEXT, *(e.status for e in ledger)]):
                if other not in shown and n.get(other, 0):
                    shown.add(other)
                    out.append((STATUS_TEXT.get(other, other), str(n[other])))
        out.append((label.format(deadline=cs.round.deadline_text), str(n.get(status, 0))))
    out += [
        ("Tổng số ý kiến góp ý", str(n["comments"])),
        ("Tiếp thu / tiếp thu một phần / không tiếp thu", f"{n['accepted']} / {n['partly']} / {n['rejected']}"),
    ]
    if n["superseded"]:
        out.append(("Ý kiến được cơ quan thay bằng ý kiến gửi sau", str(n["superseded"])))
    if n["unanswered"]:
        out.append(("Chưa có ý kiến tiếp thu, giải trình", str(n["unanswered"])))
    return out
