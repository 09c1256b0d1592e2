"""Drafts as versions: draft → circulated → final, each frozen version guarded by its SHA-256.

The history lives beside the drafts in `rubric/history.yaml`: for each
version its status, the content hash recorded when it was frozen, the letter
(circulated) or decision (final) with its date, the version it was copied
from, and a list of events with their reasons. A circulated or final version
whose bytes no longer match the recorded hash is refused by `Workspace.rubric`,
never silently used; this module writes the history and does the lifecycle.

Freezing first sets `meta.status` in the rubric file through `RubricDocument`
(so only that line changes), then hashes the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import fileio
from .check import check
from .findings import summary
from .errors import CchcError, FrozenVersionError, ValidationError, WorkspaceError
from .fileio import safe_name
from .document import RubricDocument
from .history import STATUS_LABELS, VersionEvent, VersionRecord, natural_key, next_name, write_history
from .vn import format_date_short, parse_date
from .yamlio import hash_bytes
from .consult.round import record_circulation

if TYPE_CHECKING:
    from .workspace import Workspace


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
    #: The refusal when a frozen version was changed or replaced by a link (its file is then not read).
    refusal: FrozenVersionError | None = None
    title: str = ""
    #: A disagreement between the file and the history (a change cut short), in Vietnamese; "" when none.
    disagreement: str = ""
    #: What `repair` would do about it; "" when nothing is provable and a person must decide.
    remedy: str = ""
    #: A file in rubric/drafts/ the history does not know (imported or copied by hand).
    orphan: bool = False

    @property
    def name(self) -> str:
        return self.record.name

    @property
    def status(self) -> str:
        return self.record.status

    @property
    def findings(self) -> int:
        return self.errors + self.warnings


def _history_lock(ws: Workspace):
    # A separate lock (".history-edit.lock") held across read-modify-write of history.yaml.
    return fileio.file_lock(ws.history_file.parent / "history-edit")


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


# --------------------------------------------------------------------------- lifecycle

def _set_meta(path: Path, values: dict[str, Any]) -> None:
    """Change meta keys of a rubric file through the round-trip tree, so only those lines change."""
    # Not doc.save(): it refuses to write a frozen file, and writing the freeze itself is this module's job.
    fileio.atomic_write(path, _with_meta(path, values))


def _with_meta(path: Path, values: dict[str, Any]) -> str:
    """The text of a rubric file with meta keys changed (None removes one), only those lines differing."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

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
    return doc.dumps()


def _freeze(ws: Workspace, name: str, status: str, meta: dict[str, Any], fill: dict[str, str],
            reason: str, when: str | None) -> VersionRecord:
    with _history_lock(ws):
        records = ws.history()
        before = _history_bytes(ws)
        record = records.get(name) or VersionRecord(name=name)
        path = ws.verify(name, records)
        if record.status == status or record.status == "final":
            raise FrozenVersionError(f"phiên bản {name} đã ở trạng thái {STATUS_LABELS[record.status]}",
                                     path=str(path), fix=f"tạo dự thảo mới: cchc draft new --from {name}")
        # History first, then the file: a kill in between leaves a history whose hash is exactly that of
        # the file with the new status, which `repair` can prove and finish (see `disagreements`).
        text = _with_meta(path, {"status": status, **meta})
        record.status = status
        record.sha256 = hash_bytes(text.encode("utf-8"))
        for key, value in fill.items():
            setattr(record, key, value)
        record.events.append(VersionEvent(status, when or _now(), reason))
        records[name] = record
        write_history(ws, records)
        _between_writes()
        _write_or_undo(ws, path, text, before)
        return record


def _round_records(ws: Workspace, version: str, letter: str, sent) -> bool:
    """Whether round.yaml already names this circulation (version, letter and its date)."""
    if not ws.round_file.exists():
        return False
    try:
        current = ws.round()
    except CchcError:
        return False  # a round.yaml that does not read records nothing
    return (current.version, current.letter, current.letter_date) == (version, letter, sent)


def circulate(ws: Workspace, version: str, letter: str, date: str, *, reason: str = "",
              deadline: str | None = None, decision_due: str | None = None,
              when: str | None = None, unfinished: bool = False) -> VersionRecord:
    """Freeze a draft as circulated by letter `letter` of `date`, and record the round in round.yaml.

    `deadline` (comments due) and `decision_due` (the decision's date at the latest) are
    written to round.yaml with the version, letter and date: the forms, the ledger, the
    report and the TUI read them from there. Dates are checked in order before anything changes.
    The same circulation again finishes what a failed run left out: round.yaml, or (when the
    caller says it is `unfinished`: its letter is missing) whatever the caller writes next.
    """
    letter = (letter or "").strip()
    if not letter:
        raise ValidationError("thiếu số công văn gửi lấy ý kiến", fix='thêm --letter "SỐ/UBND"')
    sent = parse_date(date)
    due = parse_date(deadline) if deadline else None
    decide = parse_date(decision_due) if decision_due else None
    if due is not None and due <= sent:
        raise ValidationError(f"hạn góp ý ({format_date_short(due)}) phải sau ngày công văn ({format_date_short(sent)})",
                              fix="kiểm tra --deadline và --date")
    if decide is not None and decide <= (due or sent):
        raise ValidationError(f"hạn ban hành quyết định ({format_date_short(decide)}) phải sau hạn góp ý "
                              f"({format_date_short(due or sent)})", fix="kiểm tra --decision-due")
    iso = sent.isoformat()
    done = ws.history().get(version)
    if done is not None and done.status == "circulated" and (done.letter, done.letter_date) == (letter, iso) \
            and (unfinished or not _round_records(ws, version, letter, sent)):
        # The same circulation again after round.yaml or the letter failed to be written (a full disk, a
        # locked file): the version stays as frozen (hash-checked), the round is recorded now.
        ws.verify(version)
        record = done
    else:
        record = _freeze(ws, version, "circulated", {"letter": letter, "letter_date": iso},
                         {"letter": letter, "letter_date": iso}, reason, when)
    record_circulation(ws, record.name, letter, sent, due, decide)
    return record


def decision_due_warning(ws: Workspace, decision_date: str) -> str:
    """A warning when a decision is dated after the round's decision-due date ("" when on time or none set)."""
    due = ws.round().decision_due
    day = parse_date(decision_date)
    if due is None or day <= due:
        return ""
    return (f"quyết định ký ngày {format_date_short(day)}, sau hạn ban hành {format_date_short(due)} "
            f"ghi trong {ws.round_file.name}")


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


def new_draft(ws: Workspace, from_version: str, name: str | None = None, *, reason: str = "",
              when: str | None = None) -> Path:
    """Start the next draft as a copy of `from_version` (comments kept); returns the new file's path.

    The copy has `meta.version` set to its name and `meta.status: draft`; the
    circulation letter of the source is dropped from its meta (it was not sent).
    """
    with _history_lock(ws):
        records = ws.history()
        source = ws.verify(from_version, records)
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
        records[name] = VersionRecord(name=name, created_from=from_version,
                                      events=[VersionEvent("created", when or _now(),
                                                           reason or f"sao từ {from_version}")])
        before = _history_bytes(ws)
        write_history(ws, records)  # first: a kill before the copy leaves a record `repair` removes
        _between_writes()
        _write_or_undo(ws, target, doc.dumps(), before)
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
        records = ws.history()
        record = records.setdefault(version, VersionRecord(name=version))
        record.events.append(VersionEvent(what, when or _now(), reason))
        write_history(ws, records)


def history(ws: Workspace) -> list[VersionInfo]:
    """Every version on disk or in the history, in natural order, with totals and findings.

    A frozen version whose file was changed (or replaced by a link) is listed with
    its problem and no totals: its changed bytes are never read.
    """
    records = ws.history()
    out: list[VersionInfo] = []
    for name in sorted(set(ws.versions()) | set(records), key=natural_key):
        record = records.get(name) or VersionRecord(name=name)
        path = ws.version_path(name)
        info = VersionInfo(record, path, exists=path.exists() or path.is_symlink())
        out.append(info)
        if not info.exists:
            info.problem = "không tìm thấy tệp"
            if name in records and _created_only(record):
                info.disagreement = "lịch sử ghi đã tạo dự thảo nhưng không có tệp (lệnh tạo bị ngắt giữa chừng)"
                info.remedy = "xóa mục này khỏi lịch sử (dự thảo chưa từng được tạo)"
            continue
        try:
            rubric = ws.rubric(name, records=records)
        except FrozenVersionError as exc:
            info.intact = False
            info.problem, info.refusal = exc.message, exc
            if name not in records:  # the file claims a freeze the history never recorded
                info.orphan = True
                info.disagreement = "tệp ghi trạng thái đã đóng băng nhưng không có trong lịch sử"
                info.remedy = "đưa trạng thái trong tệp về dự thảo và thêm vào lịch sử"
            elif _unfinished_freeze(path, record):
                info.disagreement = (f"lịch sử ghi {STATUS_LABELS[record.status]} nhưng tệp vẫn chưa đổi trạng thái "
                                     "(lệnh bị ngắt giữa hai lần ghi)")
                info.remedy = f"ghi trạng thái {STATUS_LABELS[record.status]} vào tệp, đúng mã băm đã lưu"
            continue
        except CchcError as exc:
            info.problem = str(exc)
            continue
        info.intact = True if record.frozen else None
        if name not in records:
            # An orphan draft (imported, copied by hand) is listed; one whose file claims a freeze disagrees.
            info.orphan = True
            info.remedy = "thêm vào lịch sử như một dự thảo"
            if rubric.meta.status != "draft":
                info.disagreement = (f"tệp ghi trạng thái {STATUS_LABELS.get(rubric.meta.status, rubric.meta.status)} "
                                     "nhưng không có trong lịch sử")
                info.remedy = "đưa trạng thái trong tệp về dự thảo và thêm vào lịch sử"
        elif rubric.meta.status != record.status and not record.frozen:
            info.disagreement = (f"tệp ghi trạng thái {STATUS_LABELS.get(rubric.meta.status, rubric.meta.status)} "
                                 f"nhưng lịch sử ghi {STATUS_LABELS[record.status]} và không có mã băm")
            info.remedy = f"đưa trạng thái trong tệp về {STATUS_LABELS[record.status]} (chạy lại lệnh gửi/ban hành sau)"
        if not records.get(name):
            record.status = rubric.meta.status  # a file the history does not know yet
        info.title = rubric.meta.title
        info.declared_total = rubric.declared_total
        info.computed_total = rubric.computed_total()
        info.errors, info.warnings = summary(check(rubric))
    return out


def _history_bytes(ws: Workspace) -> bytes | None:
    """The history file's bytes as they are before a change (None when there is none yet)."""
    try:
        return ws.history_file.read_bytes()
    except FileNotFoundError:
        return None


def _write_or_undo(ws: Workspace, path: Path, text: str, history_before: bytes | None) -> None:
    """Write the rubric file of a change whose history is written; on a write error put the history back."""
    try:
        fileio.atomic_write(path, text)
    except Exception:
        try:
            if history_before is None:
                ws.history_file.unlink(missing_ok=True)
            else:
                fileio.atomic_write(ws.history_file, history_before)
        except OSError:
            pass  # the history stays ahead of the file: `cchc history` reports it, `--repair` finishes it
        raise


def _between_writes() -> None:
    """The moment between the history write and the file write of one change (a test kills the process here)."""


def _created_only(record: VersionRecord) -> bool:
    return record.status == "draft" and all(e.what == "created" for e in record.events)


def _unfinished_freeze(path: Path, record: VersionRecord) -> bool:
    """True when the file is exactly the freeze the history records, minus the status change itself."""
    if not record.frozen or not record.sha256 or path.is_symlink():
        return False
    meta = {"status": record.status}
    if record.status == "circulated" and record.letter:
        meta.update(letter=record.letter, letter_date=record.letter_date)
    try:
        return hash_bytes(_with_meta(path, meta).encode("utf-8")) == record.sha256
    except (CchcError, KeyError, TypeError):
        return False


def repair(ws: Workspace) -> list[str]:
    """Finish or undo what a cut-short change left, where the files prove what to do; one line per fix.

    A freeze whose history was written but not its file gets the file written (its hash is
    checked first); a status written to a file the history does not confirm is set back; an
    orphan draft joins the history; a history record of a draft whose copy never happened goes.
    """
    done: list[str] = []
    with _history_lock(ws):
        infos = history(ws)
        records = ws.history()
        changed = False
        for info in infos:
            if not info.remedy:
                continue
            name, path, record = info.name, info.path, records.get(info.name)
            if record is not None and not info.exists:
                del records[name]
            elif record is not None and record.frozen:
                text = _with_meta(path, {"status": record.status, **(
                    {"letter": record.letter, "letter_date": record.letter_date}
                    if record.status == "circulated" and record.letter else {})})
                if hash_bytes(text.encode("utf-8")) != record.sha256:
                    continue
                fileio.atomic_write(path, text)
            elif record is not None:
                _set_meta(path, {"status": record.status})
            else:
                _set_meta(path, {"status": "draft"})  # a draft file comes back byte for byte
                records[name] = VersionRecord(name=name, events=[VersionEvent(
                    "created", _now(), "cchc history --repair: tệp có trên đĩa nhưng chưa có trong lịch sử")])
            changed = changed or record is None or not info.exists
            done.append(f"{name}: {info.remedy}")
        if changed:
            write_history(ws, records)
    return done
