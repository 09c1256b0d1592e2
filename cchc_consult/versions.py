"""Drafts as versions: draft → circulated → final, each frozen version guarded by its SHA-256.

The history lives beside the drafts in `rubric/history.yaml`: for each
version its status, the content hash recorded when it was frozen, the letter
(circulated) or decision (final) with its date, the version it was copied
from, and a list of events with their reasons. A circulated or final version
whose bytes no longer match the recorded hash is refused by `load_version`,
never silently used.

Freezing first sets `meta.status` in the rubric file through `RubricDocument`
(so only that line changes), then hashes the file.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import fileio
from .errors import FrozenVersionError, ValidationError, WorkspaceError
from .model import STATUSES, Rubric
from .vn import parse_date
from .workspace import Workspace

HISTORY_FORMAT = "cchc-history/1"
STATUS_LABELS = {"draft": "dự thảo", "circulated": "đã gửi lấy ý kiến", "final": "đã ban hành"}
_HEADER = ("Lịch sử các phiên bản bộ tiêu chí — do lệnh `cchc draft` ghi, không sửa tay.\n"
           "sha256 là mã băm nội dung tệp lúc phiên bản được đóng băng (gửi lấy ý kiến / ban hành).")
_VERSION_NAME = re.compile(r"^v(\d+)$")


@dataclass
class VersionEvent:
    """Something that happened to a version: created, circulated, finalized… with when and why."""

    what: str
    when: str
    reason: str = ""


@dataclass
class VersionRecord:
    """What the history file says about one version."""

    name: str
    status: str = "draft"
    sha256: str = ""
    letter: str = ""
    letter_date: str = ""
    decision: str = ""
    decision_date: str = ""
    created_from: str = ""
    events: list[VersionEvent] = field(default_factory=list)

    @property
    def frozen(self) -> bool:
        return self.status in ("circulated", "final")


@dataclass
class VersionInfo:
    """One line of `cchc history`: the record plus what the file on disk says now."""

    record: VersionRecord
    path: Path
    exists: bool = True
    #: True when a frozen file still matches its hash, False when it was changed, None for a draft.
    intact: bool | None = None
    declared_total: Decimal | None = None
    computed_total: Decimal | None = None
    errors: int = 0
    warnings: int = 0
    #: Why the file could not be read or verified, in Vietnamese; "" when all is well.
    problem: str = ""
    title: str = ""

    @property
    def name(self) -> str:
        return self.record.name

    @property
    def status(self) -> str:
        return self.record.status

    @property
    def findings(self) -> int:
        return self.errors + self.warnings


# --------------------------------------------------------------------------- history file

def read_history(ws: Workspace) -> dict[str, VersionRecord]:
    """The version records of a workspace by name ({} when there is no history file yet)."""
    from .store import LINE_KEY, load_data

    path = ws.history_file
    if not path.exists():
        return {}
    data = load_data(path)
    if data is None:
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("versions", []), list):
        raise ValidationError("tệp lịch sử phải có danh sách 'versions'", path=str(path), line=1,
                              fix="khôi phục tệp từ bản sao lưu hoặc git")
    out: dict[str, VersionRecord] = {}
    for item in data.get("versions") or []:
        line = item.get(LINE_KEY, 0) if isinstance(item, dict) else 0
        if not isinstance(item, dict) or not item.get("name"):
            raise ValidationError("mỗi phiên bản trong lịch sử phải có 'name'", path=str(path), line=line,
                                  fix="khôi phục tệp từ bản sao lưu hoặc git")
        status = str(item.get("status") or "draft")
        if status not in STATUSES:
            raise ValidationError(f"trạng thái '{status}' không hợp lệ (draft, circulated, final)",
                                  path=str(path), line=line, fix="sửa lại thành một trong ba trạng thái")
        events = [VersionEvent(what=str(e.get("what", "")), when=str(e.get("when", "")),
                               reason=str(e.get("reason") or ""))
                  for e in item.get("events") or [] if isinstance(e, dict)]
        record = VersionRecord(
            name=str(item["name"]), status=status, sha256=str(item.get("sha256") or ""),
            letter=str(item.get("letter") or ""), letter_date=str(item.get("letter_date") or ""),
            decision=str(item.get("decision") or ""), decision_date=str(item.get("decision_date") or ""),
            created_from=str(item.get("created_from") or ""), events=events)
        out[record.name] = record
    return out


def write_history(ws: Workspace, records: dict[str, VersionRecord]) -> None:
    """Write the history file atomically, versions in natural order, empty fields left out."""
    from .store import dump_yaml
    from .workspace import _natural_key

    versions = []
    for name in sorted(records, key=_natural_key):
        item = {k: v for k, v in asdict(records[name]).items() if v not in ("", [], None)}
        item["events"] = [{k: v for k, v in e.items() if v} for e in item.get("events", [])]
        versions.append(item)
    fileio.atomic_write(ws.history_file, dump_yaml({"format": HISTORY_FORMAT, "versions": versions}, _HEADER))


def _history_lock(ws: Workspace):
    # A separate lock (".history-edit.lock") held across read-modify-write of history.yaml.
    return fileio.file_lock(ws.history_file.parent / "history-edit")


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


# --------------------------------------------------------------------------- lifecycle

def _require_file(ws: Workspace, name: str) -> Path:
    path = ws.version_path(name)
    if not path.exists():
        known = ", ".join(ws.versions()) or "không có"
        raise WorkspaceError(f"không có phiên bản '{name}' trong {ws.drafts} (hiện có: {known})",
                             path=str(path), fix="xem danh sách: cchc history")
    return path


def verify(ws: Workspace, name: str, record: VersionRecord | None = None) -> Path:
    """The path of a version, after checking that a frozen one still has its recorded bytes.

    Raises FrozenVersionError, naming the file and what to do, when a circulated
    or final version was changed on disk, or is marked frozen without a hash.
    """
    from .store import file_hash, load_data

    path = _require_file(ws, name)
    if record is None:
        record = read_history(ws).get(name)
    if record is not None and record.frozen:
        label = STATUS_LABELS[record.status]
        if not record.sha256:
            raise FrozenVersionError(f"phiên bản {name} {label} nhưng lịch sử không ghi mã băm", path=str(path),
                                     fix=f"khôi phục {ws.history_file.name} từ git hoặc bản sao lưu")
        if file_hash(path) != record.sha256:
            raise FrozenVersionError(
                f"phiên bản {name} {label} nhưng nội dung tệp đã bị sửa sau khi đóng băng "
                f"(mã băm không khớp với {ws.history_file.name}); không dùng bản này",
                path=str(path),
                fix=f"khôi phục tệp đúng như lúc {label} (git checkout, bản sao lưu); muốn sửa thì tạo "
                    f"dự thảo mới: cchc draft new --from {name}")
        return path
    if record is None:
        data = load_data(path)
        status = str(((data or {}).get("meta") or {}).get("status", "draft")) if isinstance(data, dict) else "draft"
        if status in ("circulated", "final"):
            raise FrozenVersionError(
                f"tệp ghi trạng thái '{status}' nhưng lịch sử không có phiên bản {name}: không kiểm tra được "
                "tệp có bị sửa hay không", path=str(path),
                fix=f"đặt 'status: draft' rồi đóng băng lại: cchc draft circulate {name} --letter … --date …")
    return path


def load_version(ws: Workspace, name: str) -> Rubric:
    """A version's rubric by name, refusing a frozen version whose bytes no longer match its hash."""
    from .store import load_rubric

    return load_rubric(verify(ws, name))


def load_spec(ws: Workspace, spec: str | None) -> tuple[Path, Rubric]:
    """(path, rubric) for a version name, a file path, or None (the newest version).

    Names, and paths of files in the workspace's drafts folder, go through the
    frozen-hash check; any other file is read as is.
    """
    from .store import load_rubric

    path = ws.resolve_rubric(spec)
    try:
        inside = path.resolve().parent == ws.drafts.resolve() and path.suffix == ".yaml"
    except OSError:
        inside = False
    if inside and path.stem != "history":
        return path, load_version(ws, path.stem)
    return path, load_rubric(path)


def _set_meta(path: Path, values: dict[str, Any]) -> None:
    """Change meta keys of a rubric file through the round-trip tree, so only those lines change."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    from .store import RubricDocument

    doc = RubricDocument.open(path)
    meta = doc.tree["meta"]
    for key, value in values.items():
        if value is None:
            meta.pop(key, None)
            continue
        current = meta.get(key)
        if current is not None and str(current) == value:
            continue
        meta[key] = DoubleQuotedScalarString(value) if key in ("version", "letter_date") else value
    # Not doc.save(): it refuses to write a frozen file, and writing the freeze itself is this module's job.
    fileio.atomic_write(path, doc.dumps())


def _freeze(ws: Workspace, name: str, status: str, meta: dict[str, Any], fill: dict[str, str],
            reason: str, when: str | None) -> VersionRecord:
    from .store import file_hash

    with _history_lock(ws):
        records = read_history(ws)
        record = records.get(name) or VersionRecord(name=name)
        path = verify(ws, name, record)
        if record.status == status or record.status == "final":
            raise FrozenVersionError(f"phiên bản {name} đã ở trạng thái {STATUS_LABELS[record.status]}",
                                     path=str(path), fix=f"tạo dự thảo mới: cchc draft new --from {name}")
        _set_meta(path, {"status": status, **meta})
        record.status = status
        record.sha256 = file_hash(path)
        for key, value in fill.items():
            setattr(record, key, value)
        record.events.append(VersionEvent(status, when or _now(), reason))
        records[name] = record
        write_history(ws, records)
        return record


def circulate(ws: Workspace, version: str, letter: str, date: str, *, reason: str = "",
              when: str | None = None) -> VersionRecord:
    """Freeze a draft as circulated for comments by letter `letter` of `date` ("1632/UBND", "2023-07-26")."""
    letter = (letter or "").strip()
    if not letter:
        raise ValidationError("thiếu số công văn gửi lấy ý kiến", fix='thêm --letter "1632/UBND"')
    iso = parse_date(date).isoformat()
    return _freeze(ws, version, "circulated", {"letter": letter, "letter_date": iso},
                   {"letter": letter, "letter_date": iso}, reason, when)


def finalize(ws: Workspace, version: str, number: str, date: str, reason: str | None = None, *,
             when: str | None = None) -> VersionRecord:
    """Freeze a version as final, issued by decision `number` of `date` ("125/QĐ-UBND", "2023-09-01").

    `reason` is recorded in the history, e.g. why it was published despite
    errors from `check`. The file's `meta.status` becomes `final`; the decision
    is recorded in the history only.
    """
    number = (number or "").strip()
    if not number:
        raise ValidationError("thiếu số quyết định ban hành", fix='ghi số quyết định, ví dụ "125/QĐ-UBND"')
    iso = parse_date(date).isoformat()
    return _freeze(ws, version, "final", {}, {"decision": number, "decision_date": iso}, reason or "", when)


def next_name(ws: Workspace, records: dict[str, VersionRecord] | None = None) -> str:
    """The next free version name vN after every vN on disk or in the history."""
    names = set(ws.versions()) | set(records if records is not None else read_history(ws))
    numbers = [int(m[1]) for m in map(_VERSION_NAME.match, names) if m]
    return f"v{max(numbers, default=0) + 1}"


def new_draft(ws: Workspace, from_version: str, name: str | None = None, *, reason: str = "",
              when: str | None = None) -> Path:
    """Start the next draft as a copy of `from_version` (comments kept); returns the new file's path.

    The copy has `meta.version` set to its name and `meta.status: draft`; the
    circulation letter of the source is dropped from its meta (it was not sent).
    """
    from .fileio import safe_name
    from .store import RubricDocument

    with _history_lock(ws):
        records = read_history(ws)
        source = verify(ws, from_version, records.get(from_version))
        name = safe_name(name, "tên phiên bản") if name else next_name(ws, records)
        target = ws.version_path(name)
        if target.exists() or name in records:
            raise WorkspaceError(f"phiên bản '{name}' đã có", path=str(target),
                                 fix=f"chọn tên khác, hoặc bỏ --name để dùng {next_name(ws, records)}")
        doc = RubricDocument.open(source)
        meta = doc.tree["meta"]
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString

        meta["version"] = DoubleQuotedScalarString(name)
        meta["status"] = "draft"
        for key in ("letter", "letter_date"):
            meta.pop(key, None)
        _note_copy(doc.tree, f"Dự thảo {name}, sao từ {from_version} bằng cchc draft new; "
                             "các dòng chú thích bên dưới là của bản gốc.")
        fileio.atomic_write(target, doc.dumps())
        records[name] = VersionRecord(name=name, created_from=from_version,
                                      events=[VersionEvent("created", when or _now(),
                                                           reason or f"sao từ {from_version}")])
        write_history(ws, records)
        return target


def _note_copy(tree: Any, text: str) -> None:
    """Put a first comment line on a copied file, so its inherited header is not mistaken for its own."""
    try:
        from ruamel.yaml.error import CommentMark
        from ruamel.yaml.tokens import CommentToken

        comment = tree.ca.comment
        if comment is None:
            tree.yaml_set_start_comment(text)
            return
        if comment[1] is None:
            comment[1] = []
        comment[1].insert(0, CommentToken(f"# {text}\n", CommentMark(0), None))
    except Exception:  # noqa: BLE001 - a missing note must never stop a copy
        pass


def add_event(ws: Workspace, version: str, what: str, reason: str = "", *, when: str | None = None) -> None:
    """Record an event on a version (e.g. "published-with-errors" and the user's reason)."""
    with _history_lock(ws):
        records = read_history(ws)
        record = records.setdefault(version, VersionRecord(name=version))
        record.events.append(VersionEvent(what, when or _now(), reason))
        write_history(ws, records)


def history(ws: Workspace) -> list[VersionInfo]:
    """Every version on disk or in the history, in natural order, with totals and findings."""
    from .check import check, summary
    from .errors import CchcError
    from .store import load_rubric
    from .workspace import _natural_key

    records = read_history(ws)
    out: list[VersionInfo] = []
    for name in sorted(set(ws.versions()) | set(records), key=_natural_key):
        record = records.get(name) or VersionRecord(name=name)
        path = ws.version_path(name)
        info = VersionInfo(record, path, exists=path.exists())
        if not info.exists:
            info.problem = "không tìm thấy tệp"
            out.append(info)
            continue
        try:
            verify(ws, name, record)
            info.intact = True if record.frozen else None
        except FrozenVersionError as exc:
            info.intact = False
            info.problem = exc.message
        try:
            rubric = load_rubric(path)
        except CchcError as exc:
            info.problem = info.problem or str(exc)
            out.append(info)
            continue
        if not records.get(name):
            record.status = rubric.meta.status  # a file the history does not know yet
        info.title = rubric.meta.title
        info.declared_total = rubric.declared_total
        info.computed_total = rubric.computed_total()
        info.errors, info.warnings = summary(check(rubric))
        out.append(info)
    return out
