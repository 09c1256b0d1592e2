"""Closing the loop: does the next draft do what Phòng Nội vụ answered?

Compared with the circulated version (by the rubric-aware diff):
every accepted comment must match a change on its criterion, a rejected
comment's criterion must be unchanged, and every change must cite a comment or
be recorded as Nội vụ's own initiative. Anything else is a finding.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Rubric
from .comments import WHOLE, CommentSet
from .dispositions import REJECTED, Dispositions
from ..diff import diff_rubrics

#: Finding codes with their meaning.
LOOP_CODES = {
    "accepted-unchanged": "ý kiến đã tiếp thu nhưng tiêu chí không thay đổi trong dự thảo mới",
    "rejected-changed": "ý kiến không tiếp thu nhưng tiêu chí đã thay đổi",
    "change-uncited": "thay đổi không gắn với ý kiến góp ý nào và không ghi là đề xuất của cơ quan soạn thảo",
    "unanswered": "ý kiến chưa có ý kiến tiếp thu, giải trình",
}


@dataclass(slots=True)
class LoopFinding:
    """One gap between the answers given and the draft that followed."""

    code: str
    node: str
    message: str
    comment_id: str = ""

    def __str__(self) -> str:
        return self.message


def _inside(x: str, c: str) -> bool:
    return x == c or x.startswith(c + ".")


def close_loop(old: Rubric, new: Rubric, comments: CommentSet, dispositions: Dispositions,
               new_name: str = "") -> list[LoopFinding]:
    """The findings of comparing the answers with the change from `old` (circulated) to `new` (next draft)."""
    diff = diff_rubrics(old, new)
    id_map = diff.id_map()
    old_index = old.index()
    new_name = new_name or new.meta.version or "dự thảo mới"
    answers = dispositions.items
    findings: list[LoopFinding] = []

    def ids_of(change) -> list[str]:
        return [i for i in (change.old_id, change.new_id) if i] + list(change.detail.get("parts", ()))

    def names(criterion: str) -> list[str]:
        """A criterion's id in the old draft and, if renumbered, in the new one."""
        return [criterion] + ([id_map[criterion]] if id_map.get(criterion, criterion) != criterion else [])

    live = [c for c in comments.comments if not c.superseded_by]
    accepted = [c for c in live if c.id in answers and answers[c.id].accepted
                and (c.criterion in old_index or c.criterion == WHOLE)]
    rejected = [c for c in live if c.id in answers and answers[c.id].status == REJECTED
                and c.criterion in old_index]

    for c in live:
        if c.id not in answers:
            findings.append(LoopFinding("unanswered", c.criterion, f"{c.id} ({c.criterion_label}): chưa có ý kiến "
                                        "tiếp thu, giải trình", c.id))

    for c in accepted:
        if c.criterion == WHOLE:
            continue  # a comment on the whole draft names no criterion to look at
        d = answers[c.id]
        if d.version and d.version != new_name:
            continue  # to be applied in another version
        if not any(_inside(i, n) for ch in diff.changes for i in ids_of(ch) for n in names(c.criterion)):
            findings.append(LoopFinding(
                "accepted-unchanged", c.criterion,
                f"{c.id}: đã {d.status} ý kiến về {c.criterion} nhưng {c.criterion} không thay đổi trong {new_name}",
                c.id))

    initiatives = [i.criterion for i in dispositions.initiatives]
    cited = [n for o in accepted if o.criterion != WHOLE for n in names(o.criterion)]
    any_points = any(o.kind == "điểm" for o in accepted)

    def explained(ch) -> bool:
        """A change inside a cited criterion or an initiative; or a parent's maximum moving with one."""
        if ch.kind == "total-changed":
            return any_points or "total" in initiatives
        return any(_inside(i, n) or (ch.kind == "max-changed" and _inside(n, i))
                   for i in ids_of(ch) for n in cited + initiatives)

    for c in rejected:
        touched = [ch for ch in diff.changes if any(_inside(i, n) for i in ids_of(ch) for n in names(c.criterion))
                   and not explained(ch)]
        if touched:
            findings.append(LoopFinding(
                "rejected-changed", c.criterion,
                f"{c.id}: không tiếp thu ý kiến về {c.criterion} nhưng {c.criterion} đã thay đổi trong {new_name} "
                f"({touched[0].message})", c.id))

    for ch in diff.changes:
        if not explained(ch):
            findings.append(LoopFinding(
                "change-uncited", ch.node_id,
                f"{ch.message} — không có ý kiến góp ý nào được tiếp thu cho thay đổi này và chưa ghi là "
                "đề xuất của cơ quan soạn thảo (initiatives)"))
    return findings


def close_loop_for(consultation, new: Rubric, new_name: str = "") -> list[LoopFinding]:
    """`close_loop` for a loaded Consultation (its circulated draft, comments and dispositions)."""
    return close_loop(consultation.rubric, new, consultation.comments, consultation.dispositions, new_name)
