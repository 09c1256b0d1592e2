"""Silence as acceptance: who replied on time, who late, who said nothing and is deemed to agree.

Pure functions over a Round, the office list and a CommentSet. Nothing here
reads a file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..model import Rubric
from ..offices import Office
from .comments import WHOLE, CommentSet
from ..vn import format_date_short
from .round import Round

ON_TIME, LATE, SILENT, PENDING, UNREADABLE = "on_time", "late", "silent", "pending", "unreadable"
#: How each ledger status reads on paper.
STATUS_TEXT = {
    ON_TIME: "Có ý kiến, đúng hạn",
    LATE: "Có ý kiến, quá hạn",
    SILENT: "Đồng ý do không có ý kiến",
    PENDING: "Chưa có ý kiến (còn trong hạn)",
    UNREADABLE: "Có gửi tệp nhưng không đọc được",
}


@dataclass(slots=True)
class LedgerEntry:
    """One consulted office's standing in the round, as an explicit record."""

    office: Office
    status: str
    #: The reply's date; for a silent office, the day from which it is deemed to agree.
    date: dt.date | None
    files: list[str] = field(default_factory=list)
    comments: int = 0
    agree_all: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def status_text(self) -> str:
        text = STATUS_TEXT[self.status]
        if self.status in (ON_TIME, LATE) and self.agree_all and not self.comments:
            text = "Đồng ý toàn bộ" + (" (quá hạn)" if self.status == LATE else "")
        return text

    @property
    def deemed_agreeing(self) -> bool:
        return self.status == SILENT

    def describe(self) -> str:
        """The entry as one sentence: "Phòng Y tế: đồng ý do không có ý kiến (từ ngày 18/8/2023)"."""
        if self.status == SILENT:
            when = f" (từ ngày {format_date_short(self.date)})" if self.date else ""
        elif self.date:
            when = f" (văn bản ngày {format_date_short(self.date)})"
        else:
            when = ""
        return f"{self.office.name}: {self.status_text.lower()}{when}"


def silence_ledger(round_: Round, offices: list[Office], comments: CommentSet, as_of: dt.date) -> list[LedgerEntry]:
    """Every consulted office with what it did: replied on time, late, unreadably, or nothing.

    On and after the silence date (the deadline day itself, for "trước ngày"),
    an office with no reply is recorded as agreeing, with that date; before it,
    the office is still pending. A file that names another office does not
    count as a reply from either office: both entries say so in a note.
    """
    by_code = {o.code: o for o in offices}
    entries: list[LedgerEntry] = []
    for code in round_.consulted:
        office = by_code.get(code) or Office(code, code, code)
        own = [f for f in comments.files if f.office == code and f.addressed]
        unreadable = [f for f in comments.files if not f.readable and f.filename_office == code]
        misaddressed = [f for f in comments.files if f.readable and not f.addressed
                        and code in (f.filename_office, f.declared_office)]
        on_time = [f for f in own if not f.late]
        late = [f for f in own if f.late]
        dates = sorted(d for d in (f.reply_date for f in (on_time or late)) if d)
        first = dates[0] if dates else None
        if on_time:
            status = ON_TIME
        elif late:
            status = LATE
        elif unreadable:
            status = UNREADABLE
        elif round_.deadline_passed(as_of):
            status, first = SILENT, round_.silence_date
        else:
            status = PENDING
        entry = LedgerEntry(office, status, first, files=[f.path for f in own + unreadable],
                            comments=sum(1 for f in own for c in f.comments),
                            agree_all=any(f.agree_all for f in own))
        if late and on_time:
            entry.notes.append(f"có thêm {len(late)} tệp gửi quá hạn")
        if status == LATE:
            entry.notes.append(f"gửi sau hạn ({round_.deadline_text}): đã được coi là đồng ý từ ngày "
                               f"{format_date_short(round_.silence_date)}, ý kiến vẫn được tổng hợp")
        for f in misaddressed:
            entry.notes.append(f"tệp {f.path} ghi cơ quan {f.declared_office or '—'}, tên tệp của "
                               f"{f.filename_office or '—'}: chưa tính là ý kiến, cần kiểm tra")
        for f in unreadable:
            entry.notes.append(f"không đọc được tệp {f.path}")
        entries.append(entry)
    return entries


@dataclass(slots=True)
class CriterionAcceptance:
    """For one criterion: the offices that commented on it and those that, by not commenting, accepted it."""

    criterion: str
    commented: list[str]
    accepted: list[str]


def criterion_acceptance(rubric: Rubric, round_: Round, comments: CommentSet) -> list[CriterionAcceptance]:
    """Per criterion, in rubric order: who commented, and every other consulted office as accepting it."""
    said: dict[str, set[str]] = {}
    for c in comments.matched():
        said.setdefault(c.criterion, set()).add(c.office)
    out = []
    for node_id in [WHOLE, *(n.id for n in rubric.walk())]:
        commented = [o for o in round_.consulted if o in said.get(node_id, set())]
        out.append(CriterionAcceptance(node_id, commented, [o for o in round_.consulted if o not in commented]))
    return out


@dataclass(slots=True)
class ReviewerGap:
    """An assigned reviewer and the criteria it reviews or owns on which it said nothing."""

    office: str
    criteria: list[str]
    replied: bool
    agree_all: bool


def _inside(node_id: str, other: str) -> bool:
    """Whether a node is `other` or lies below it ("II.6.3" inside "II.6")."""
    return node_id == other or node_id.startswith(other + ".")


def reviewer_gaps(rubric: Rubric, round_: Round, comments: CommentSet,
                  owners: dict[str, str] | None = None) -> list[ReviewerGap]:
    """Assigned reviewers that said nothing about criteria they review or own.

    Each office is checked on the criteria it owns and on every assigned
    criterion in which it owns nothing more specific. A comment on a criterion
    covers its sub-criteria and its parents: a reviewer who wrote about II.5
    is not listed for II.5.1.1.
    """
    owners = owners or {}
    said: dict[str, set[str]] = {}
    replied: dict[str, bool] = {}
    agree_all: dict[str, bool] = {}
    for f in comments.files:
        if f.addressed:
            replied[f.office] = True
            agree_all[f.office] = agree_all.get(f.office, False) or f.agree_all
    for c in comments.matched():
        said.setdefault(c.office, set()).add(c.criterion)
    out = []
    order = {n.id: i for i, n in enumerate(rubric.walk())}
    index = rubric.index()
    for code in round_.reviewers:
        # what it owns, plus each assigned criterion in which it owns nothing more specific
        owned = [cid for cid, owner in owners.items() if owner == code and cid in index]
        assigned = [cid for cid in round_.reviewers[code]
                    if cid in index and not any(_inside(o, cid) for o in owned)]
        spoken = [s for s in said.get(code, set()) if s != WHOLE]  # the whole draft is no one criterion
        silent = sorted({cid for cid in owned + assigned
                         if not any(_inside(cid, s) or _inside(s, cid) for s in spoken)},
                        key=lambda x: order.get(x, 10 ** 9))
        if silent:
            out.append(ReviewerGap(code, silent, replied.get(code, False), agree_all.get(code, False)))
    return out
