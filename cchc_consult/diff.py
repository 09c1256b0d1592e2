"""Rubric-aware differences between two versions: criteria, points and bands, not YAML lines.

`diff_rubrics(a, b)` is a pure function over the model. Nodes are matched by
id first; only the pairs whose content differs, and the nodes left unmatched,
are compared further — never the whole tree — so two 1,000-criterion rubrics
diff in milliseconds. Unmatched nodes whose content is the same or nearly so
are paired as moves (renumbering), so a renumbered criterion is not reported
as removed and added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .model import ZERO, Rubric, format_points

#: Every kind of change, in the order a summary lists them, with its Vietnamese label.
KINDS: dict[str, str] = {
    "total-changed": "tổng cộng thay đổi",
    "added": "thêm tiêu chí",
    "removed": "bỏ tiêu chí",
    "moved": "đánh số lại / chuyển chỗ",
    "split": "tách tiêu chí",
    "merged": "gộp tiêu chí",
    "max-changed": "điểm chuẩn thay đổi",
    "title-changed": "sửa nội dung tiêu chí",
    "band-added": "thêm mức điểm",
    "band-removed": "bỏ mức điểm",
    "band-reworded": "sửa lời mức điểm",
    "band-condition-changed": "đổi điều kiện của mức",
    "band-points-changed": "đổi điểm của mức",
    "evidence-changed": "đổi tài liệu kiểm chứng",
    "scoring-changed": "đổi cách chấm",
    "owner-changed": "đổi cơ quan theo dõi",
}


@dataclass
class Change:
    """One difference, in rubric terms: what kind, which node (old and new id), and a Vietnamese sentence."""

    kind: str
    old_id: str | None
    new_id: str | None
    message: str
    before: str = ""
    after: str = ""
    detail: dict = field(default_factory=dict)
    #: Points this change adds to the sum of all maxima (B − A for the nodes it concerns); 0 when none.
    delta: Decimal = ZERO

    @property
    def node_id(self) -> str:
        """The id to show: the new one, or the old one for a removal."""
        return self.new_id or self.old_id or ""

    def as_dict(self) -> dict:
        """JSON-ready, with stable English keys and points as Vietnamese strings."""
        return {"kind": self.kind, "old_id": self.old_id, "new_id": self.new_id, "message": self.message,
                "before": self.before, "after": self.after, "delta": format_points(self.delta),
                "detail": self.detail}


@dataclass
class SectionTotal:
    """A section's points before and after: as written, and as its children add up."""

    old_id: str | None
    new_id: str | None
    title: str
    before: Decimal | None
    after: Decimal | None
    children_before: Decimal | None
    children_after: Decimal | None


@dataclass
class Totals:
    """The point arithmetic of a diff: declared and computed grand totals, sections, leaves."""

    declared_before: Decimal | None = None
    declared_after: Decimal | None = None
    computed_before: Decimal = ZERO
    computed_after: Decimal = ZERO
    leaves_before: Decimal = ZERO
    leaves_after: Decimal = ZERO
    #: The sum of every node's maximum at every level, the quantity `Change.delta` accounts for.
    all_before: Decimal = ZERO
    all_after: Decimal = ZERO
    sections: list[SectionTotal] = field(default_factory=list)


@dataclass
class RubricDiff:
    """The differences between two rubrics, and the matching of their nodes."""

    changes: list[Change]
    totals: Totals
    #: old id → new id for every matched node, moves included.
    matches: dict[str, str] = field(default_factory=dict)

    def id_map(self) -> dict[str, str]:
        """Old id → new id for every matched node (moves included; removed nodes are absent)."""
        return dict(self.matches)

    def changes_for(self, node_id: str) -> list[Change]:
        """The changes that concern a node, by its old or its new id."""
        return [c for c in self.changes if node_id in (c.old_id, c.new_id)
                or node_id in c.detail.get("parts", ())]

    def is_empty(self) -> bool:
        return not self.changes

    def counts(self) -> dict[str, int]:
        """Number of changes per kind, in the order of KINDS, kinds absent left out."""
        out = {kind: 0 for kind in KINDS}
        for change in self.changes:
            out[change.kind] = out.get(change.kind, 0) + 1
        return {k: v for k, v in out.items() if v}


def _p(value: Decimal | None) -> str:
    return format_points(value) if value is not None else "—"


def _signed(value: Decimal) -> str:
    return ("+" if value > 0 else "−" if value < 0 else "±") + format_points(abs(value))


def diff_rubrics(a: Rubric, b: Rubric) -> RubricDiff:
    """What changed from rubric `a` to rubric `b`, in rubric terms (pure; no I/O)."""
    old = a.index()
    new = b.index()
    changes: list[Change] = []
    matches: dict[str, str] = {}
    for node_id, node in old.items():
        other = new.get(node_id)
        if other is None:
            changes.append(Change("removed", node_id, None, f"{node_id}: bỏ tiêu chí “{node.title}”",
                                  before=node.title, delta=-(node.max or ZERO)))
            continue
        matches[node_id] = node_id
        if node.max != other.max:
            changes.append(Change("max-changed", node_id, node_id,
                                  f"{node_id}: điểm chuẩn {_p(node.max)} → {_p(other.max)}",
                                  before=_p(node.max), after=_p(other.max),
                                  delta=(other.max or ZERO) - (node.max or ZERO)))
    for node_id, node in new.items():
        if node_id not in old:
            changes.append(Change("added", None, node_id, f"{node_id}: thêm tiêu chí “{node.title}”",
                                  after=node.title, delta=node.max or ZERO))
    return RubricDiff(changes, _totals(a, b, matches), matches)


def _leaf_sum(rubric: Rubric) -> Decimal:
    return sum((n.max or ZERO for n in rubric.leaves()), ZERO)


def _all_sum(rubric: Rubric) -> Decimal:
    return sum((n.max or ZERO for n in rubric.walk()), ZERO)


def _totals(a: Rubric, b: Rubric, matches: dict[str, str]) -> Totals:
    new_sections = {s.id: s for s in b.sections}
    used: set[str] = set()
    sections: list[SectionTotal] = []
    for s in a.sections:
        t = new_sections.get(matches.get(s.id, ""))
        if t is not None:
            used.add(t.id)
        sections.append(SectionTotal(s.id, t.id if t else None, (t or s).title, s.max, t.max if t else None,
                                     s.children_sum(), t.children_sum() if t else None))
    for t in b.sections:
        if t.id not in used:
            sections.append(SectionTotal(None, t.id, t.title, None, t.max, None, t.children_sum()))
    return Totals(a.declared_total, b.declared_total, a.computed_total(), b.computed_total(),
                  _leaf_sum(a), _leaf_sum(b), _all_sum(a), _all_sum(b), sections)

