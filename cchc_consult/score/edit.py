"""Writing one appraised score (thẩm định) into an office's appraisal sheet, checked before it is written.

The sheet is edited round-trip: only that criterion's entry changes (or one is
appended) and every comment a clerk wrote stays. The points are checked against
the rubric first, so a wrong entry is refused with a message instead of making
the whole sheet invalid (which would take the office out of the ranking).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from .. import fileio
from ..errors import PointsError, ValidationError
from ..model import parse_points
from ..vn import format_points, nfc
from .sheet import SCORING_KEYS, Entry, _Refuse, entry_points, load_sheets
from ..consult.yamledit import dump_round_trip, load_round_trip

NOT_ARISING_WORDS = ("KPS", "KHÔNG PHÁT SINH", "KHONG PHAT SINH")


def _sheets_of(workspace, office: str):
    return [s for s in load_sheets(workspace.scores) if s.office == office]


def _drafter_name(workspace) -> str:
    """The name of the round's drafting office (who appraises by default), "" when the round names none."""
    if not workspace.round_file.exists():
        return ""
    code = workspace.round().drafter
    return next((o.name for o in workspace.offices() if o.code == code), code)


def set_appraisal(workspace, office: str, criterion: str, points: Any, reason: str, *,
                  rubric_version: str | None = None, assessor: str = "",
                  today: date | None = None) -> Path:
    """Record the appraised points of one leaf for one office ("KPS": the task did not arise), with the reason.

    Replaces whatever answer the appraisal had for that leaf; the self-assessment
    is never touched. The version is the one the office's sheets name unless
    given. Returns the appraisal file's path.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString


    office = fileio.safe_name(office)
    reason = nfc(reason or "").strip()
    if not reason:
        raise ValidationError(f"điểm thẩm định {criterion} của {office} phải có lý do",
                              fix="ghi lý do điều chỉnh (ví dụ: thiếu tài liệu kiểm chứng)")
    sheets = _sheets_of(workspace, office)
    existing = next((s for s in sheets if s.kind == "appraisal"), None)
    own = next((s for s in sheets if s.kind == "self"), None)
    version = rubric_version or (existing.rubric if existing else "") or (own.rubric if own else "") or None
    rubric = workspace.rubric_file(version)
    node = rubric.index().get(criterion)
    if node is None or node.children:
        raise ValidationError(f"'{criterion}' không phải tiêu chí lá của bộ tiêu chí {rubric.meta.version}",
                              fix="chọn một tiêu chí lá, ví dụ II.6.3")
    not_arising = nfc(str(points)).strip().upper() in NOT_ARISING_WORDS
    value = None
    if not not_arising:
        try:
            value = parse_points(points)
            entry_points(node, Entry(criterion, 0, points=value))
        except (PointsError, _Refuse) as exc:
            raise ValidationError(f"{criterion}: {getattr(exc, 'message', exc)}",
                                  fix=f"ghi số điểm từ 0 đến {format_points(node.max)}, hoặc KPS") from None
    path = Path(existing.source) if existing else workspace.scores / "appraisal" / f"{office}.yaml"
    if path.suffix.lower() != ".yaml":
        raise ValidationError("phiếu thẩm định là tệp Excel: sửa trực tiếp trong Excel", path=str(path))
    if path.exists():
        tree = load_round_trip(path)
    else:
        tree = CommentedMap()
        for key, item in (("format", "cchc-score/1"), ("office", office),
                          ("rubric", DoubleQuotedScalarString(rubric.meta.version or "v1")), ("kind", "appraisal"),
                          ("date", DoubleQuotedScalarString(today.isoformat() if today else "")),  # not the clock
                          ("assessor", assessor or _drafter_name(workspace))):
            tree[key] = item
    if tree.get("scores") is None:
        tree["scores"] = CommentedSeq()
    entries = tree["scores"]
    entry = next((e for e in entries if isinstance(e, dict) and str(e.get("id")) == criterion), None)
    if entry is None:
        entry = CommentedMap()
        entry["id"] = DoubleQuotedScalarString(criterion)
        entry.fa.set_flow_style()
        entries.append(entry)
    for key in SCORING_KEYS:
        entry.pop(key, None)
    if not_arising:
        entry.insert(1, "khong_phat_sinh", True)
    else:
        entry.insert(1, "points", DoubleQuotedScalarString(format_points(value)))
    entry["reason"] = reason
    fileio.atomic_write(path, dump_round_trip(tree))
    return path
