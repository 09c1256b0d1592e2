"""Silence as acceptance: who replied on time, who late, who said nothing and is deemed to agree.

Pure functions over a Round, the office list and a CommentSet. Nothing here
reads a file.

An office's status, the first that applies (docs/consultation.md, "Sổ theo dõi"):

1. UNREADABLE "Đã gửi, chưa đọc được": it sent a file that could not be read
   and Phòng Nội vụ has not resolved it (`files:` in dispositions.yaml) — even
   beside a readable reply, since the unread file may hold more comments;
2. ON_TIME / LATE: a reply with a comment or "đồng ý toàn bộ";
3. CHECK "Đã gửi, cần kiểm tra": a readable file names it by its file name or
   its heading but also names another office or version, not yet resolved;
4. BLANK "Phiếu chưa điền": only forms sent back with nothing in them;
5. SILENT (deemed to agree) from the silence date, PENDING before it.

Only an office with no file at all — or whose files were all resolved as not
its reply — can be deemed to agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Mapping

from ..model import Rubric
from ..offices import Office
from .comments import WHOLE, CommentSet
from ..vn import format_date_short
from .round import Round

ON_TIME, LATE, SILENT, PENDING = "on_time", "late", "silent", "pending"
UNREADABLE, CHECK, BLANK = "unreadable", "check", "blank"
#: How each ledger status reads on paper, in order of precedence after UNREADABLE (see the module docstring).
STATUS_TEXT = {
    ON_TIME: "Có ý kiến, đúng hạn",
    LATE: "Có ý kiến, quá hạn",
    UNREADABLE: "Đã gửi, chưa đọc được",
    CHECK: "Đã gửi, cần kiểm tra",
    BLANK: "Phiếu chưa điền",
    SILENT: "Đồng ý do không có ý kiến",
    PENDING: "Chưa có ý kiến (còn trong hạn)",
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


def silence_ledger(round_: Round, offices: list[Office], comments: CommentSet, as_of: dt.date,
                   resolved: Mapping[str, str] | None = None) -> list[LedgerEntry]:
    """Every consulted office with what it did: replied on time, late, unreadably, blank, or nothing.

    On and after the silence date (the deadline day itself, for "trước ngày"),
    an office with no file is recorded as agreeing, with that date; before it,
    the office is still pending. A file that names another office does not
    count as a reply from either office, and neither may be deemed to agree
    until it is resolved: both entries say so in a note. `resolved` maps a
    file (its path, or its path inside comments/) to Phòng Nội vụ's note on it.
    """
    resolved = dict(resolved or {})
    by_code = {o.code: o for o in offices}
    entries: list[LedgerEntry] = []
    for code in round_.consulted:
        office = by_code.get(code) or Office(code, code, code)
        addressed = [f for f in comments.files if f.office == code and f.addressed]
        own = [f for f in addressed if not f.blank]
        blank = [f for f in addressed if f.blank]
        unreadable = [f for f in comments.files if not f.readable and code in (f.office, f.filename_office)]
        misaddressed = [f for f in comments.files if f.readable and not f.addressed
                        and code in (f.filename_office, f.declared_office)]
        open_unreadable = [f for f in unreadable if resolution(f.path, resolved) is None]
        open_misaddressed = [f for f in misaddressed if resolution(f.path, resolved) is None]
        on_time = [f for f in own if not f.late]
        late = [f for f in own if f.late]
        dates = sorted(d for d in (f.reply_date for f in (on_time or late)) if d)
        first = dates[0] if dates else None
        if open_unreadable:
            status = UNREADABLE
            first = first or min((f.reply_date for f in open_unreadable if f.reply_date), default=None)
        elif on_time:
            status = ON_TIME
        elif late:
            status = LATE
        elif open_misaddressed:
            status = CHECK
        elif blank:
            status = BLANK
            first = min((f.reply_date for f in blank if f.reply_date), default=None)
        elif round_.deadline_passed(as_of):
            status, first = SILENT, round_.silence_date
        else:
            status = PENDING
        entry = LedgerEntry(office, status, first, files=[f.path for f in addressed + unreadable],
                            comments=sum(1 for f in own for c in f.comments),
                            agree_all=any(f.agree_all for f in own))
        if late and on_time:
            entry.notes.append(f"có thêm {len(late)} tệp gửi quá hạn")
        if status == LATE:
            entry.notes.append(f"gửi sau hạn ({round_.deadline_text}): đã được coi là đồng ý từ ngày "
                               f"{format_date_short(round_.silence_date)}, ý kiến vẫn được tổng hợp")
        if open_unreadable and own:
            entry.notes.append(f"có ý kiến {'đúng hạn' if on_time else 'quá hạn'} trong các tệp đọc được; tình "
                               "trạng chờ xử lý tệp không đọc được")
        for f in misaddressed:
            entry.notes.append(_resolved_note(f, resolved) or
                               f"tệp {f.path} ghi cơ quan {f.declared_office or '—'}, tên tệp của "
                               f"{f.filename_office or '—'}: chưa tính là ý kiến, cần kiểm tra")
        for f in unreadable:
            reason = f": {f.reason.message}" if f.reason is not None else ""
            entry.notes.append(_resolved_note(f, resolved) or f"không đọc được tệp {f.path}{reason}")
        for f in blank:
            entry.notes.append(f"tệp {f.path} là phiếu chưa điền (không có ý kiến, không ghi đồng ý toàn bộ)")
        entries.append(entry)
    return entries


def resolution(path: str, resolved: Mapping[str, str]) -> str | None:
    """Phòng Nội vụ's note on a file, looked up by its shown path or its path inside comments/ (None: none)."""
    posix = path.replace("\\", "/")
    inside = posix.split("comments/", 1)[1] if posix.startswith("comments/") else posix
    for candidate in (posix, inside):
        if candidate in resolved:
            return resolved[candidate]
    return None


def _resolved_note(f, resolved: Mapping[str, str]) -> str:
    note = resolution(f.path, resolved)
    return "" if note is None else f"tệp {f.path} đã được cơ quan soạn thảo xử lý: {note}"


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
