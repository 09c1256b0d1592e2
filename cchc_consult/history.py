"""The version history file, rubric/history.yaml: its records, how they are read and written.

Kept apart from the lifecycle (`versions`), which edits rubric files: reading a
version only needs the records, so `cchc check` never loads the editing code.
"""

from __future__ import annotations

import re

from . import fileio
from .model import STATUSES, Record
from .schema import FieldReader
from .yamlio import dump_yaml

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start-up (~4 ms of `cchc check`)
if TYPE_CHECKING:
    from typing import Any

    from .workspace import Workspace

HISTORY_FORMAT = "cchc-history/1"
STATUS_LABELS = {"draft": "dự thảo", "circulated": "đã gửi lấy ý kiến", "final": "đã ban hành"}
#: The statuses whose file may no longer change: its hash is recorded in the history.
FROZEN_STATUSES = ("circulated", "final")
_HEADER = ("Lịch sử các phiên bản bộ tiêu chí — do lệnh `cchc draft` ghi, không sửa tay.\n"
           "sha256 là mã băm nội dung tệp lúc phiên bản được đóng băng (gửi lấy ý kiến / ban hành).")


class VersionEvent(Record):
    """Something that happened to a version: created, circulated, finalized… with when and why."""

    __slots__ = ("what", "when", "reason")

    def __init__(self, what: str, when: str, reason: str = "") -> None:
        self.what = what
        self.when = when
        self.reason = reason


class VersionRecord(Record):
    """What the history file says about one version."""

    __slots__ = ("name", "status", "sha256", "letter", "letter_date", "decision", "decision_date", "created_from",
                 "events")

    def __init__(self, name: str, status: str = "draft", sha256: str = "", letter: str = "", letter_date: str = "",
                 decision: str = "", decision_date: str = "", created_from: str = "",
                 events: list[VersionEvent] | None = None) -> None:
        self.name = name
        self.status = status
        self.sha256 = sha256
        self.letter = letter
        self.letter_date = letter_date
        self.decision = decision
        self.decision_date = decision_date
        self.created_from = created_from
        self.events = [] if events is None else events

    @property
    def frozen(self) -> bool:
        return self.status in FROZEN_STATUSES


_VERSION_NAME = re.compile(r"^v(\d+)$")


def natural_key(name: str) -> tuple:
    """Sort key putting v2 before v10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name))


def history_from_data(data: Any, path: str) -> dict[str, VersionRecord]:
    """The version records of a history file's data, by name ({} for an empty file)."""
    if data is None:
        return {}
    read, fix = FieldReader(path), "khôi phục tệp từ bản sao lưu hoặc git"
    out: dict[str, VersionRecord] = {}
    top = read.mapping(data, what="tệp lịch sử phải có danh sách 'versions'", fix=fix)
    for item in read.sequence(top, "versions", what="tệp lịch sử phải có danh sách 'versions'", fix=fix):
        item = read.mapping(item, what="mỗi phiên bản trong lịch sử phải là một khối có 'name'", fix=fix)
        name = read.text(item, "name", required=True, label="tên phiên bản", fix=fix)
        status = read.choice(item, "status", STATUSES, default="draft")
        events = [VersionEvent(what=str(e.get("what", "")), when=str(e.get("when", "")),
                               reason=str(e.get("reason") or ""))
                  for e in item.get("events") or [] if isinstance(e, dict)]
        record = VersionRecord(
            name=name, status=status, sha256=read.text(item, "sha256"),
            letter=read.text(item, "letter"), letter_date=read.text(item, "letter_date"),
            decision=read.text(item, "decision"), decision_date=read.text(item, "decision_date"),
            created_from=read.text(item, "created_from"), events=events)
        out[record.name] = record
    return out


def write_history(ws: Workspace, records: dict[str, VersionRecord]) -> None:
    """Write the history file atomically, versions in natural order, empty fields left out."""
    versions = []
    for name in sorted(records, key=natural_key):
        item = {k: v for k, v in records[name].as_dict().items() if v not in ("", [], None)}
        item["events"] = [{k: v for k, v in e.items() if v} for e in item.get("events", [])]
        versions.append(item)
    fileio.atomic_write(ws.history_file, dump_yaml({"format": HISTORY_FORMAT, "versions": versions}, _HEADER))


def next_name(ws: Workspace, records: dict[str, VersionRecord] | None = None) -> str:
    """The next free version name vN after every vN on disk or in the history."""
    names = set(ws.versions()) | set(records if records is not None else ws.history())
    numbers = [int(m[1]) for m in map(_VERSION_NAME.match, names) if m]
    return f"v{max(numbers, default=0) + 1}"
