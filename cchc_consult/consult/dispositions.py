"""The drafting office's answer to each comment (tiếp thu / tiếp thu một phần / không tiếp thu), with its history.

Stored in `comments/dispositions.yaml`, one mapping entry per comment (so answers
to different comments merge cleanly in git), keyed by the comment's id when it
was first answered and bound by its `key` (office, criterion and text hashed:
it does not move when a back-dated letter renumbers the ids):

    format: cchc-dispositions/2
    dispositions:
      TCKH-1:
        key: "5d0f3c2a9b1e"
        criterion: "II.5.1.2"
        status: tiếp thu
        reason: ""
        version: "v2"
        by: "hoa"
        at: "2023-08-24 09:15:02"
        history:      # earlier answers, oldest first; `undone_*` when taken back by `undo`
          - {status: không tiếp thu, reason: "…", version: "", by: "hoa", at: "…"}
    initiatives:
      - {criterion: "II.6", reason: Tính lại điểm chuẩn theo tổng các tiêu chí thành phần}
    report:           # the lines of the Bảng tổng hợp that come from no other file
      submission: "45/TTr-NV"
      submission_date: "2023-08-28"
      date: "2023-08-28"
      signer: {authority: "", title: TRƯỞNG PHÒNG, name: "…"}
    files:            # Phòng Nội vụ's note on a file that could not be read or names another office
      "TCKH-scan.pdf": {note: "Đã nhập nội dung vào TCKH-2023-08-15.yaml", by: "hoa", at: "…"}

A file listed under `files:` (its path inside comments/) no longer holds its
office at "đã gửi, chưa đọc được" or "cần kiểm tra" in the ledger; the note is
shown instead (`cchc comments resolve`).

Reading binds an entry by its key first, then (an entry written by hand or by
format 1, without a key) by its id; an entry whose key matches no comment is
an orphan, listed, never re-bound to another comment. Writes go through the
round-trip editor (only the changed lines change), every free text through
`yamlio.text_scalar`, atomically under a lock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import CchcError, NotFoundError, ValidationError
from ..schema import FieldReader, fields, line_of
from ..vn import fold, nfc, parse_date
from ..yamlio import read_yaml, text_scalar
from .comments import DISPOSITIONS_FILE
from ..fileio import atomic_write, file_lock
from .yamledit import dump_round_trip, load_round_trip

if TYPE_CHECKING:
    from .comments import Comment, CommentSet
    from ..workspace import Workspace

DISPOSITIONS_FORMAT = "cchc-dispositions/2"
ACCEPTED, PARTLY, REJECTED = "tiếp thu", "tiếp thu một phần", "không tiếp thu"
STATUSES = (ACCEPTED, PARTLY, REJECTED)
#: The three statuses as typed without accents or with the usual "giải trình" tail; nothing else is guessed.
_STATUS_FOLDED = {fold(s): s for s in STATUSES} | {
    fold("không tiếp thu, giải trình"): REJECTED, fold("không tiếp thu (giải trình)"): REJECTED}
#: The fields of one answer, as stored (the entry itself and each item of its history).
ANSWER_FIELDS = ("status", "reason", "version", "by", "at")


def comment_key(office: str, criterion: str, text: str) -> str:
    """A comment's stable identity: 12 hex digits of sha256("office\x1fcriterion\x1fNFC text")."""
    raw = "\x1f".join((str(office or ""), str(criterion or ""), nfc(str(text or ""))))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:12]


def key_of(comment: Comment) -> str:
    """The comment's key (`Comment.key` once the reader sets it; the same hash computed here until then)."""
    return getattr(comment, "key", "") or comment_key(comment.office, comment.criterion, comment.text)


def normalize_status(text: str) -> str:
    """The canonical status for what a clerk typed ("tiep thu", "Không tiếp thu"); ValidationError otherwise.

    Only the three statuses are accepted: "đồng ý" or "giải trình" alone are refused, never guessed.
    """
    status = _STATUS_FOLDED.get(" ".join(fold(str(text or "")).split()))
    if status is None:
        raise ValidationError(f"ý kiến xử lý '{text}' không hợp lệ",
                              fix="dùng một trong ba: " + ", ".join(f"'{s}'" for s in STATUSES))
    return status


@dataclass(slots=True)
class PastAnswer:
    """An earlier answer to a comment, replaced by a later one or taken back by `undo`."""

    status: str
    reason: str = ""
    version: str = ""
    by: str = ""
    at: str = ""
    undone_by: str = ""
    undone_at: str = ""


@dataclass(slots=True)
class Disposition:
    """What the drafting office decided about one comment, why, the version where it was applied, who and when."""

    comment_id: str
    status: str
    reason: str = ""
    version: str = ""
    #: The criterion the comment was on when it was answered (to notice renumbered comments).
    criterion: str = ""
    line: int = 0
    key: str = ""
    by: str = ""
    at: str = ""
    history: list[PastAnswer] = field(default_factory=list)
    #: The entry's name in the file (the comment's id when it was first answered).
    entry: str = ""

    @property
    def accepted(self) -> bool:
        return self.status in (ACCEPTED, PARTLY)

    @property
    def answered(self) -> bool:
        """False for an entry whose last answer was taken back (only its history remains)."""
        return bool(self.status)

    def describe(self) -> str:
        """The answer in one line, for the screen: "Tiếp thu một phần: … (đã sửa ở v2)"."""
        if not self.status:
            return "Chưa có ý kiến xử lý (câu trả lời đã được rút lại)"
        text = self.status[0].upper() + self.status[1:]
        if self.reason:
            text += f": {self.reason}"
        if self.version:
            text += f" (đã sửa ở {self.version})" if self.accepted else f" ({self.version})"
        return text


@dataclass(slots=True)
class Initiative:
    """A change the drafting office made on its own, not asked for by any comment."""

    criterion: str
    reason: str
    line: int = 0


@dataclass(slots=True)
class ReportData:
    """The lines of the consolidated table that no other file holds: the tờ trình it goes with, date, signer."""

    submission: str = ""
    submission_date: dt.date | None = None
    date: dt.date | None = None
    signer_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""


@dataclass(slots=True)
class Dispositions:
    """The whole dispositions file, with the problems found in it.

    `items` holds the answers by the current id of the comment each is bound to
    (by id alone until `bind` is called with the comments); `orphans` the
    answers whose comment is gone.
    """

    items: dict[str, Disposition] = field(default_factory=dict)
    initiatives: list[Initiative] = field(default_factory=list)
    errors: list[CchcError] = field(default_factory=list)
    source: str = ""
    entries: list[Disposition] = field(default_factory=list)
    orphans: list[Disposition] = field(default_factory=list)
    report: ReportData = field(default_factory=ReportData)
    #: A file's path inside comments/ → Phòng Nội vụ's note on it (the ledger's "resolved").
    resolved_files: dict[str, str] = field(default_factory=dict)

    def bind(self, comments: CommentSet) -> Dispositions:
        """The answers bound to `comments`: by key first, then (entries without a key) by id; the rest orphans."""
        by_key: dict[str, Comment] = {}
        for c in comments.comments:
            by_key.setdefault(key_of(c), c)
        ids = {c.id for c in comments.comments}
        items: dict[str, Disposition] = {}
        orphans: list[Disposition] = []
        for d in self.entries:
            target = by_key.get(d.key) if d.key else (d.entry if d.entry in ids else None)
            cid = target.id if d.key and target is not None else target
            if cid is None or cid in items:
                if d.answered:
                    orphans.append(d)
                continue
            if d.answered:
                items[cid] = _rebound(d, cid)
        return Dispositions(items, self.initiatives, self.errors, self.source, self.entries, orphans, self.report,
                            self.resolved_files)


def _rebound(d: Disposition, comment_id: str) -> Disposition:
    if d.comment_id == comment_id:
        return d
    return Disposition(comment_id, d.status, d.reason, d.version, d.criterion, d.line, d.key, d.by, d.at,
                       d.history, d.entry)


def _past(read: FieldReader, item: Any) -> PastAnswer:
    if not isinstance(item, dict):
        raise read.fail("mỗi mục của 'history' phải là một khối {status, reason, version, by, at}", item)
    return PastAnswer(*(read.text(item, k) for k in ANSWER_FIELDS + ("undone_by", "undone_at")))


def _report_data(read: FieldReader, data: dict, out: Dispositions) -> None:
    try:
        section = read.mapping(data, "report", what="'report' phải là một khối các trường")
        signer = read.mapping(section, "signer", what="'signer' phải là một khối authority, title, name")
        dates = {}
        for key in ("submission_date", "date"):
            text = read.text(section, key, strip=True)
            try:
                dates[key] = parse_date(text) if text else None
            except ValidationError as exc:
                raise read.fail(f"report.{key}: {exc.message}", section, exc.fix) from None
        out.report = ReportData(read.text(section, "submission", strip=True), dates["submission_date"],
                                dates["date"], read.text(signer, "authority", strip=True),
                                read.text(signer, "title", strip=True), read.text(signer, "name", strip=True))
    except ValidationError as exc:
        out.errors.append(exc)


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
        comment_id = str(comment_id)
        try:
            if not isinstance(value, dict):
                raise read.fail(f"ý kiến {comment_id}: cần status, reason, version", items)
            history = [_past(read, item) for item in read.sequence(value, "history",
                                                                   what="'history' phải là danh sách")]
            status = ""
            if value.get("status") not in (None, "") or not history:
                try:
                    status = normalize_status(value.get("status"))
                except ValidationError as exc:
                    raise read.fail(f"ý kiến {comment_id}: {exc.message}", value, exc.fix) from None
            reason = read.text(value, "reason", strip=True)
            if status and status != ACCEPTED and not reason:
                out.errors.append(read.fail(f"ý kiến {comment_id} '{status}' nhưng chưa ghi lý do", value,
                                            "ghi lý do giải trình vào 'reason'"))
            d = Disposition(read.text(value, "id") or comment_id, status, reason, read.text(value, "version"),
                            read.text(value, "criterion"), line_of(value), read.text(value, "key", strip=True),
                            read.text(value, "by"), read.text(value, "at"), history, comment_id)
            out.entries.append(d)
            if status:
                out.items.setdefault(comment_id, d)
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
            out.errors.append(read.fail("mỗi sửa đổi tự đề xuất cần 'criterion' và 'reason'", item))
    _report_data(read, data, out)
    _resolved_files(read, data, out)
    return out


def _resolved_files(read: FieldReader, data: dict, out: Dispositions) -> None:
    try:
        section = read.mapping(data, "files", what="'files' phải là một khối TỆP: {note: …}")
    except ValidationError as exc:
        out.errors.append(exc)
        return
    for name, value in fields(section):
        note = read.text(value, "note", strip=True) if isinstance(value, dict) else nfc(str(value or "")).strip()
        if not note:
            out.errors.append(read.fail(f"tệp {name}: cần ghi 'note' (đã xử lý thế nào)", section,
                                        "ghi như: note: \"Đã nhập nội dung vào phiếu TCKH.yaml\""))
            continue
        out.resolved_files[nfc(str(name))] = note


def dispositions_path(ws: Workspace):
    return ws.comments_dir / DISPOSITIONS_FILE


def load_dispositions(ws: Workspace, comments: CommentSet | None = None) -> Dispositions:
    """The workspace's dispositions (empty when the file does not exist yet), bound to `comments` when given."""
    path = dispositions_path(ws)
    if not path.exists():
        return Dispositions(source=str(path))
    loaded = dispositions_from_data(read_yaml(path), str(path))
    return loaded.bind(comments) if comments is not None else loaded


_NEW_FILE = """# Ý kiến tiếp thu, giải trình đối với từng ý kiến góp ý (mỗi ý kiến một khối, theo mã ý kiến).
# status: tiếp thu | tiếp thu một phần | không tiếp thu; reason bắt buộc trừ khi tiếp thu;
# version: dự thảo đã sửa theo ý kiến; by, at: ai trả lời, lúc nào; history: các câu trả lời trước.
# initiatives: các sửa đổi do cơ quan soạn thảo tự đề xuất. report: số, ngày tờ trình và người ký bảng tổng hợp.
# Sửa bằng lệnh: cchc comments answer MÃ_Ý_KIẾN TRẠNG_THÁI --reason "…" (--replace để thay), cchc comments undo
format: cchc-dispositions/2
dispositions: {}
initiatives: []
"""


def _misshaped(tree: Any, key: str, kind: type, what: str, path) -> ValidationError | None:
    value = tree.get(key)
    if value is None or isinstance(value, kind):
        return None
    line = tree.lc.key(key)[0] + 1 if hasattr(tree, "lc") and key in tree else 0
    return ValidationError(f"'{key}' {what}: tệp chưa được sửa, để không mất dữ liệu đang có", path=str(path),
                           line=line, fix=f"sửa lại khối '{key}:' ở dòng {line} theo mẫu trong docs/consultation.md")


def _edit(ws: Workspace, change) -> None:
    """Open dispositions.yaml round-trip, apply `change(tree)`, save atomically under the file's lock.

    A mis-shaped `dispositions:` or `initiatives:` is refused, naming its line — never replaced by an
    empty one (that would wipe what the clerk wrote).
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq


    path = dispositions_path(ws)
    with file_lock(path):
        if not path.exists():
            atomic_write(path, _NEW_FILE, lock=False)
        tree = load_round_trip(path)
        if not isinstance(tree, CommentedMap):
            raise ValidationError("tệp tiếp thu phải là một khối các trường (format, dispositions, initiatives)",
                                  path=str(path), line=1, fix="sửa lại tệp theo mẫu trong docs/consultation.md")
        for key, kind, what in (("dispositions", CommentedMap, "phải là một khối MÃ_Ý_KIẾN: {…}"),
                                ("initiatives", CommentedSeq, "phải là danh sách các mục {criterion, reason}"),
                                ("files", CommentedMap, "phải là một khối TỆP: {note: …}")):
            error = _misshaped(tree, key, kind, what, path)
            if error is not None:
                raise error
        if tree.get("dispositions") is None:
            tree["dispositions"] = CommentedMap()
        if tree.get("initiatives") is None:
            tree["initiatives"] = CommentedSeq()
        change(tree)
        atomic_write(path, dump_round_trip(tree), lock=False)


def _who(by: str | None) -> str:
    if by:
        return nfc(by).strip()
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name on this machine (no USER, no password entry): leave it blank
        return ""


def _now(at: dt.datetime | None) -> str:
    return (at or dt.datetime.now()).strftime("%Y-%m-%d %H:%M:%S")


def _find_entry(items: Any, comment: Comment, key: str) -> tuple[str | None, Any]:
    """The entry bound to `comment`: the one with its key, else its id's entry when that has no key."""
    for name, entry in items.items():
        if isinstance(entry, dict) and str(entry.get("key") or "") == key:
            return str(name), entry
    entry = items.get(comment.id)
    if isinstance(entry, dict) and not entry.get("key"):
        return comment.id, entry
    return None, None


def _answer_of(entry: Any) -> dict:
    return {k: str(entry.get(k) or "") for k in ANSWER_FIELDS}


def _flow(values: dict) -> Any:
    from ruamel.yaml.comments import CommentedMap


    item = CommentedMap()
    for k, v in values.items():
        item[k] = text_scalar(v)
    item.fa.set_flow_style()
    return item


def _set_answer(entry: Any, values: dict) -> None:
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    for k in ANSWER_FIELDS:
        value = values.get(k, "")
        if k not in entry and not value and k in ("by", "at"):
            continue
        if (str(entry.get(k) or "")) != value or k not in entry:
            # versions and times quoted, like every id: "2" or a time never reads back as a number
            entry[k] = DoubleQuotedScalarString(value) if k in ("version", "at") else text_scalar(value)


def _resolve(ws: Workspace, comment: Comment | str) -> Comment:
    if not isinstance(comment, str):
        return comment
    found = ws.comments().by_id().get(comment)
    if found is None:
        raise NotFoundError(f"không có ý kiến mã '{comment}'", fix="xem các mã bằng: cchc comments list")
    return found


def set_disposition(ws: Workspace, comment: Comment | str, status: str, reason: str = "", version: str = "",
                    *, criterion: str | None = None, replace: bool = False, by: str | None = None,
                    at: dt.datetime | None = None) -> Disposition:
    """Record the answer to one comment; `cchc comments answer` and the TUI call this.

    Refuses an unknown status, a missing reason when the comment is not fully
    accepted, and a comment that already has an answer unless `replace` —
    then the earlier answer (status, reason, version, who, when) goes into the
    entry's `history`. Only this comment's lines change in the file.
    """
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    status = normalize_status(status)
    reason = nfc(reason or "").strip()
    if status != ACCEPTED and not reason:
        raise ValidationError(f"'{status}' phải có lý do",
                              fix="ghi lý do giải trình (vì sao không tiếp thu hoặc chỉ tiếp thu một phần): "
                                  "--reason \"…\"")
    version = nfc(version or "").strip()
    existing = ws.versions() if version else []
    comment = _resolve(ws, comment)
    key = key_of(comment)
    values = {"status": status, "reason": reason, "version": version, "by": _who(by),
              "at": _now(at)}
    result = Disposition(comment.id, status, reason, values["version"], criterion or comment.criterion, key=key,
                         by=values["by"], at=values["at"])

    def change(tree) -> None:
        items = tree["dispositions"]
        name, entry = _find_entry(items, comment, key)
        if entry is None:
            name = comment.id if comment.id not in items else f"{comment.id}~{key[:6]}"
            entry = CommentedMap()
            items[name] = entry
        current = _answer_of(entry)
        # "đã sửa ở v2" before v2 exists would be false on paper; an answer keeping the version it had is no new claim
        if version and version not in existing and version != current["version"]:
            raise _no_such_version(ws, version, existing)
        if current["status"]:
            same = all(current[k] == values[k] for k in ("status", "reason", "version"))
            if same:
                return
            if not replace:
                old = Disposition(comment.id, normalize_status(current["status"]), current["reason"],
                                  current["version"])
                who = f" ({current['by']}, {current['at']})" if current["by"] or current["at"] else ""
                raise ValidationError(f"ý kiến {comment.id} đã có ý kiến xử lý{who}: {old.describe()}",
                                      fix="thêm --replace để thay (câu trả lời cũ được giữ trong 'history'), "
                                          f"hoặc rút lại bằng: cchc comments undo {comment.id}")
            history = entry.get("history")
            if history is None:
                from ruamel.yaml.comments import CommentedSeq

                history = entry["history"] = CommentedSeq()
            history.append(_flow(current))
        if entry.get("key") != key:
            if "key" in entry:
                entry["key"] = DoubleQuotedScalarString(key)
            else:
                entry.insert(0, "key", DoubleQuotedScalarString(key))
        if str(entry.get("criterion") or "") != comment.criterion:
            entry["criterion"] = DoubleQuotedScalarString(comment.criterion)
        _set_answer(entry, values)
        if "history" in entry:  # keep the history last, under the answer it led to
            entry.move_to_end("history")

    _edit(ws, change)
    return result


def _no_such_version(ws: Workspace, version: str, existing: list[str]) -> NotFoundError:
    newest = f" --from {existing[-1]}" if existing else ""
    return NotFoundError(f"không có phiên bản '{version}' để ghi 'đã sửa ở {version}' (hiện có: "
                         f"{', '.join(existing) or 'chưa có phiên bản nào'})", path=str(ws.drafts),
                         fix=f"tạo bản sửa trước (cchc draft new{newest}) rồi ghi --version với tên của nó, "
                             "hoặc bỏ --version")


@dataclass(slots=True)
class Undone:
    """What `undo_disposition` did: the answer taken back and the one restored (None: the comment is unanswered)."""

    comment_id: str
    taken_back: Disposition
    restored: Disposition | None


def undo_disposition(ws: Workspace, comment: Comment | str | None = None, *, by: str | None = None,
                     at: dt.datetime | None = None) -> Undone:
    """Take back the last answer — of one comment, or the most recent one in the file — restoring the previous.

    The answer taken back stays in the entry's history with who took it back and when.
    """
    target = _resolve(ws, comment) if comment is not None else None
    who, when = _who(by), _now(at)
    done: list[Undone] = []

    def change(tree) -> None:
        items = tree["dispositions"]
        if target is not None:
            name, entry = _find_entry(items, target, key_of(target))
            if entry is None or not entry.get("status"):
                raise NotFoundError(f"ý kiến {target.id} chưa có ý kiến xử lý nào để rút lại",
                                    fix="xem các câu trả lời bằng: cchc comments list")
        else:
            answered = [(str(e.get("at") or ""), i, str(n), e) for i, (n, e) in enumerate(items.items())
                        if isinstance(e, dict) and e.get("status") and e.get("at")]
            if not answered:
                raise NotFoundError("không có câu trả lời nào (ghi bằng lệnh, có thời điểm) để rút lại",
                                    fix="chỉ rõ mã ý kiến: cchc comments undo MÃ_Ý_KIẾN")
            _, _, name, entry = max(answered)
        current = _answer_of(entry)
        cid = str(entry.get("id") or name)
        taken = Disposition(cid, normalize_status(current["status"]), current["reason"], current["version"],
                            by=current["by"], at=current["at"])
        history = entry.get("history")
        if history is None:
            from ruamel.yaml.comments import CommentedSeq

            history = entry["history"] = CommentedSeq()
        restore = next((i for i in range(len(history) - 1, -1, -1)
                        if isinstance(history[i], dict) and not history[i].get("undone_at")), None)
        restored = None
        if restore is not None:
            previous = _answer_of(history[restore])
            del history[restore]
            _set_answer(entry, previous)
            restored = Disposition(cid, normalize_status(previous["status"]), previous["reason"],
                                   previous["version"], by=previous["by"], at=previous["at"])
        else:
            for k in ANSWER_FIELDS:
                if k in entry:
                    del entry[k]
        history.append(_flow(current | {"undone_by": who, "undone_at": when}))
        entry.move_to_end("history")
        done.append(Undone(target.id if target is not None else cid, taken, restored))

    _edit(ws, change)
    return done[0]


def resolve_file(ws: Workspace, name: str, note: str, *, by: str | None = None,
                 at: dt.datetime | None = None) -> str:
    """Record how Phòng Nội vụ dealt with a file that could not be read (or names another office).

    `name` is the file's path inside comments/ (a path starting with
    "comments/" is accepted too); the file must exist there. Returns the name recorded.
    """
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString


    note = nfc(note or "").strip()
    name = nfc(name or "").strip().replace("\\", "/")
    if name.startswith("comments/"):
        name = name[len("comments/"):]
    if not note:
        raise ValidationError("cần ghi đã xử lý tệp thế nào", fix='thêm --note "Đã nhập nội dung vào …"')
    if not name or not (ws.comments_dir / name).is_file():
        raise ValidationError(f"không có tệp '{name}' trong thư mục comments/",
                              fix="ghi đường dẫn như trong cchc comments list (trong thư mục comments/)")
    who, when = _who(by), _now(at)

    def change(tree) -> None:
        if tree.get("files") is None:
            tree["files"] = CommentedMap()
        entry = CommentedMap()
        entry["note"] = text_scalar(note)
        entry["by"] = text_scalar(who)
        entry["at"] = DoubleQuotedScalarString(when)
        entry.fa.set_flow_style()
        tree["files"][DoubleQuotedScalarString(name)] = entry

    _edit(ws, change)
    return name


def add_initiative(ws: Workspace, criterion: str, reason: str) -> Initiative:
    """Mark a change on a criterion as the drafting office's own (so closing the loop does not flag it)."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString


    reason = nfc(reason or "").strip()
    criterion = nfc(criterion or "").strip()
    if not reason:
        raise ValidationError("sửa đổi do cơ quan soạn thảo tự đề xuất cần ghi lý do", fix="thêm --reason \"…\"")

    def change(tree) -> None:
        items = tree["initiatives"]
        for item in items:
            if isinstance(item, dict) and str(item.get("criterion")) == criterion:
                if item.get("reason") != reason:
                    item["reason"] = text_scalar(reason)
                return
        entry = CommentedMap()
        entry["criterion"] = DoubleQuotedScalarString(criterion)
        entry["reason"] = text_scalar(reason)
        entry.fa.set_flow_style()
        items.append(entry)

    _edit(ws, change)
    return Initiative(criterion, reason)
