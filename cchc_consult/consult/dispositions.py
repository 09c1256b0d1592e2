"""Phòng Nội vụ's answer to each comment (tiếp thu / tiếp thu một phần / không tiếp thu) and its own initiatives.

Stored in `comments/dispositions.yaml`:

    format: cchc-dispositions/1
    dispositions:
      TCKH-1: {criterion: "II.5.1.2", status: tiếp thu, reason: "", version: v2}
    initiatives:
      - {criterion: "II.6", reason: Tính lại điểm chuẩn theo tổng các tiêu chí thành phần}

Reading uses the fast loader; `set_disposition` and `add_initiative` edit the
file with ruamel's round-trip parser, so only the changed lines change, and
save it atomically under a lock (the TUI and the CLI may both write it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import CchcError, ValidationError
from ..model import nfc
from ..schema import FieldReader, fields, line_of
from .comments import DISPOSITIONS_FILE

if TYPE_CHECKING:
    from ..workspace import Workspace

DISPOSITIONS_FORMAT = "cchc-dispositions/1"
ACCEPTED, PARTLY, REJECTED = "tiếp thu", "tiếp thu một phần", "không tiếp thu"
STATUSES = (ACCEPTED, PARTLY, REJECTED)
_STATUS_ALIASES = {
    "tiếp thu": ACCEPTED, "tiep thu": ACCEPTED, "accepted": ACCEPTED, "đồng ý": ACCEPTED,
    "tiếp thu một phần": PARTLY, "tiep thu mot phan": PARTLY, "partly": PARTLY, "một phần": PARTLY,
    "không tiếp thu": REJECTED, "khong tiep thu": REJECTED, "rejected": REJECTED, "giải trình": REJECTED,
    "không tiếp thu, giải trình": REJECTED,
}


def normalize_status(text: str) -> str:
    """The canonical status for what a clerk typed ("tiep thu", "giải trình"); ValidationError otherwise."""
    status = _STATUS_ALIASES.get(" ".join(nfc(str(text or "")).lower().split()))
    if status is None:
        raise ValidationError(f"ý kiến xử lý '{text}' không hợp lệ", fix=f"dùng một trong: {', '.join(STATUSES)}")
    return status


@dataclass(slots=True)
class Disposition:
    """What Nội vụ decided about one comment, why, and the version where it was applied."""

    comment_id: str
    status: str
    reason: str = ""
    version: str = ""
    #: The criterion the comment was on when it was answered (to notice renumbered comments).
    criterion: str = ""
    line: int = 0

    @property
    def accepted(self) -> bool:
        return self.status in (ACCEPTED, PARTLY)

    def describe(self) -> str:
        """The answer as printed in the table: "Tiếp thu một phần: … (đã sửa ở v2)"."""
        text = self.status[0].upper() + self.status[1:]
        if self.reason:
            text += f": {self.reason}"
        if self.version:
            text += f" (đã sửa ở {self.version})" if self.accepted else f" ({self.version})"
        return text


@dataclass(slots=True)
class Initiative:
    """A change Phòng Nội vụ made on its own, not asked for by any comment."""

    criterion: str
    reason: str
    line: int = 0


@dataclass(slots=True)
class Dispositions:
    """The whole dispositions file, with the problems found in it."""

    items: dict[str, Disposition] = field(default_factory=dict)
    initiatives: list[Initiative] = field(default_factory=list)
    errors: list[CchcError] = field(default_factory=list)
    source: str = ""


def dispositions_from_data(data: Any, source: str = "") -> Dispositions:
    """Dispositions from loaded YAML; a bad entry is an error in the list, the others still load."""
    out = Dispositions(source=source)
    if data is None:
        return out
    read = FieldReader(source)
    try:
        data = read.mapping(data, what="tệp tiếp thu phải có 'dispositions:' và 'initiatives:'")
    except ValidationError as exc:
        out.errors.append(exc)
        return out
    try:
        items = read.mapping(data, "dispositions", what="'dispositions' phải là một khối MÃ_Ý_KIẾN: {…}")
    except ValidationError as exc:
        out.errors.append(exc)
        items = {}
    for comment_id, value in fields(items):
        try:
            if not isinstance(value, dict):
                raise read.fail(f"ý kiến {comment_id}: cần status, reason, version", items)
            try:
                status = normalize_status(value.get("status"))
            except ValidationError as exc:
                raise read.fail(f"ý kiến {comment_id}: {exc.message}", value, exc.fix) from None
            reason = read.text(value, "reason", strip=True)
            if status != ACCEPTED and not reason:
                out.errors.append(read.fail(f"ý kiến {comment_id} '{status}' nhưng chưa ghi lý do", value,
                                            "ghi lý do giải trình vào 'reason'"))
            out.items[str(comment_id)] = Disposition(str(comment_id), status, reason, read.text(value, "version"),
                                                     read.text(value, "criterion"), line_of(value))
        except ValidationError as exc:
            out.errors.append(exc)
    try:
        initiatives = read.sequence(data, "initiatives", what="'initiatives' phải là danh sách")
    except ValidationError as exc:
        out.errors.append(exc)
        initiatives = []
    for item in initiatives:
        if isinstance(item, dict) and item.get("criterion"):
            out.initiatives.append(Initiative(read.text(item, "criterion"), read.text(item, "reason"),
                                              line_of(item)))
        else:
            out.errors.append(read.fail("mỗi sáng kiến sửa đổi cần 'criterion' và 'reason'", item))
    return out


def dispositions_path(ws: Workspace):
    return ws.comments_dir / DISPOSITIONS_FILE


def load_dispositions(ws: Workspace) -> Dispositions:
    """The workspace's dispositions (empty when the file does not exist yet)."""
    from ..yamlio import read_yaml

    path = dispositions_path(ws)
    if not path.exists():
        return Dispositions(source=str(path))
    return dispositions_from_data(read_yaml(path), str(path))


_NEW_FILE = """# Ý kiến tiếp thu, giải trình của cơ quan soạn thảo đối với từng ý kiến góp ý.
# status: tiếp thu | tiếp thu một phần | không tiếp thu; reason bắt buộc trừ khi tiếp thu;
# version: dự thảo đã sửa theo ý kiến. initiatives: các sửa đổi do cơ quan soạn thảo tự đề xuất.
format: cchc-dispositions/1
dispositions: {}
initiatives: []
"""


def _edit(ws: Workspace, change) -> None:
    """Open dispositions.yaml round-trip, apply `change(tree)`, save atomically under the file's lock."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from ..fileio import atomic_write, file_lock
    from .yamledit import dump_round_trip, load_round_trip

    path = dispositions_path(ws)
    with file_lock(path):
        if not path.exists():
            atomic_write(path, _NEW_FILE, lock=False)
        tree = load_round_trip(path)
        if not isinstance(tree.get("dispositions"), CommentedMap):
            tree["dispositions"] = CommentedMap()
        if not isinstance(tree.get("initiatives"), CommentedSeq):
            tree["initiatives"] = CommentedSeq()
        change(tree)
        atomic_write(path, dump_round_trip(tree), lock=False)


def set_disposition(ws: Workspace, comment_id: str, status: str, reason: str = "", version: str = "",
                    *, criterion: str | None = None) -> Disposition:
    """Record (or change) Nội vụ's answer to one comment; the TUI and `cchc comments answer` call this.

    Refuses an unknown status and a missing reason when the comment is not
    fully accepted. Only the lines of this comment change in the file.
    """
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    status = normalize_status(status)
    reason = nfc(reason or "").strip()
    if status != ACCEPTED and not reason:
        raise ValidationError(f"ý kiến {comment_id} '{status}' phải có lý do",
                              fix="ghi lý do giải trình (vì sao không tiếp thu hoặc chỉ tiếp thu một phần)")
    if not comment_id or not str(comment_id).strip():
        raise ValidationError("thiếu mã ý kiến", fix="mã ý kiến như TCKH-1 (xem: cchc comments list)")
    result = Disposition(comment_id, status, reason, version or "", criterion or "")

    def change(tree) -> None:
        items = tree["dispositions"]
        entry = items.get(comment_id)
        if not isinstance(entry, CommentedMap):
            entry = CommentedMap()
            items[comment_id] = entry
        if criterion and entry.get("criterion") != criterion:
            entry["criterion"] = DoubleQuotedScalarString(criterion)
        for key, value in (("status", status), ("reason", reason), ("version", version or "")):
            if (entry.get(key) or "") != value:
                # versions are quoted, like everywhere else, so "2" never reads back as a number
                entry[key] = DoubleQuotedScalarString(value) if key == "version" else value

    _edit(ws, change)
    return result


def add_initiative(ws: Workspace, criterion: str, reason: str) -> Initiative:
    """Mark a change on a criterion as Nội vụ's own initiative (so closing the loop does not flag it)."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    reason = nfc(reason or "").strip()
    if not reason:
        raise ValidationError("sửa đổi do cơ quan soạn thảo tự đề xuất cần ghi lý do", fix="thêm --reason \"…\"")

    def change(tree) -> None:
        items = tree["initiatives"]
        for item in items:
            if isinstance(item, dict) and str(item.get("criterion")) == criterion:
                if item.get("reason") != reason:
                    item["reason"] = reason
                return
        entry = CommentedMap()
        entry["criterion"] = DoubleQuotedScalarString(criterion)
        entry["reason"] = reason
        entry.fa.set_flow_style()
        items.append(entry)

    _edit(ws, change)
    return Initiative(criterion, reason)
