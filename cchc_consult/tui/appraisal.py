"""Entering or correcting one appraised score (thẩm định) in scores/appraisal/<OFFICE>.yaml.

No Textual here. This belongs with the score module; the scoring screen calls
`score.set_appraisal` when that module provides one and this function until
then. The file is edited round-trip, so only the entry of that criterion
changes (or one entry is appended), and written atomically.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from .. import fileio
from ..errors import ValidationError
from ..model import format_points, nfc, parse_points
from ..workspace import Workspace

SCORING_KEYS = ("band", "value", "days_late", "count", "failed", "checked", "points", "khong_phat_sinh")
NOT_ARISING = "KPS"


def appraisal_path(ws: Workspace, office: str) -> Path:
    return ws.scores / "appraisal" / f"{fileio.safe_name(office)}.yaml"


def set_appraisal(ws: Workspace, office: str, criterion: str, points: Any, reason: str, *,
                  rubric_version: str = "v1", assessor: str = "Phòng Nội vụ", today: date | None = None) -> Path:
    """Record the appraised points of one leaf for one office ("KPS": the task did not arise), with the reason.

    Replaces whatever answer the appraisal had for that leaf (band, value, …) by the points; the
    office's self-assessment is never touched. Returns the appraisal file's path.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    from ..consult.yamledit import dump_round_trip, load_round_trip

    reason = nfc(reason or "").strip()
    if not reason:
        raise ValidationError(f"điểm thẩm định {criterion} của {office} phải có lý do",
                              fix="ghi lý do điều chỉnh (vd: thiếu tài liệu kiểm chứng)")
    not_arising = str(points).strip().upper() == NOT_ARISING
    value = None if not_arising else parse_points(points)
    path = appraisal_path(ws, office)
    if path.exists():
        tree = load_round_trip(path)
    else:
        tree = CommentedMap()
        for key, item in (("format", "cchc-score/1"), ("office", office),
                          ("rubric", DoubleQuotedScalarString(rubric_version)), ("kind", "appraisal"),
                          ("date", DoubleQuotedScalarString((today or date.today()).isoformat())),
                          ("assessor", assessor)):
            tree[key] = item
        path.parent.mkdir(parents=True, exist_ok=True)
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
