"""Comment files from the offices: reading, validating, numbering, and what a points proposal does.

Every file under comments/ (any depth) is a reply: the YAML form
(`cchc-comments/1`, the layout `cchc comments template` writes), the Excel or
Word form with the same columns, a CSV table, or a free-form letter in Word,
PDF or plain text whose paragraphs cite criteria. Old formats (.doc, .xls,
.odt) go through LibreOffice when it is installed. Nothing a clerk wrote is
ever dropped: a comment with a problem keeps its text and is marked unmatched,
with an error naming the file and the line (the row, in Excel); a file that
cannot be read is listed with the reason and the fix.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from ..errors import CchcError, FileReadError, PointsError, ValidationError, damage_reason
from ..model import ZERO, Rubric, parse_points
from ..offices import Office
from ..schema import FieldReader, line_of
from ..vn import date_hint, fold, format_date_short, format_points, nfc, parse_date
from ..zipguard import bounded_rows, check_package
from . import intake_docx, intake_letter, intake_office, intake_pdf
from .round import Round
from .. import fileio
from ..yamlio import LINE_KEY, cached, read_yaml

COMMENTS_FORMAT = "cchc-comments/1"
#: The criterion id of a comment about the whole draft; written "toàn bộ" in files.
WHOLE = "*"
WHOLE_WORDS = {"*", "toàn bộ", "toan bo", "toàn bộ dự thảo", "chung", "all"}
#: Kinds of comment, as written on paper.
KINDS = ("nội dung", "điểm", "câu chữ")
_KIND_ALIASES = {
    "nội dung": "nội dung", "noi dung": "nội dung", "content": "nội dung",
    "điểm": "điểm", "diem": "điểm", "points": "điểm", "điểm số": "điểm",
    "câu chữ": "câu chữ", "cau chu": "câu chữ", "wording": "câu chữ", "từ ngữ": "câu chữ", "chính tả": "câu chữ",
}
DISPOSITIONS_FILE = "dispositions.yaml"
#: Files the system leaves in a folder, never a reply (compared lower-case).
NOT_REPLIES = {"thumbs.db", "desktop.ini"}
#: Endings of editors' temporary and backup files.
TEMPORARY_ENDINGS = ("~", ".tmp", ".temp", ".bak", ".swp", ".part", ".crdownload")
#: The hints the Excel form writes beside its header fields (template.py writes them; reading skips them).
XLSX_HINTS = {"date_sent": "ghi ngày của văn bản góp ý (ngày/tháng/năm)",
              "agree_all": "ghi x nếu đồng ý toàn bộ dự thảo, không có ý kiến"}


@dataclass(slots=True)
class Comment:
    """One comment of one office: on a criterion (or the whole draft), with its proposal and its date."""

    id: str
    office: str
    criterion: str
    kind: str
    text: str
    proposal: str = ""
    proposed_points: Decimal | None = None
    #: The proposed points exactly as written, kept when they could not be read ("một").
    proposed_points_text: str = ""
    received: dt.date | None = None
    source: str = ""
    line: int = 0
    #: Why the comment could not be matched to the draft; empty for a matched comment.
    errors: list[str] = field(default_factory=list)
    late: bool = False
    #: The id of a later comment of the same office on the same criterion that replaces this one.
    superseded_by: str = ""
    #: What the proposed points do to the sums, in words ("" when no points are proposed).
    impact: str = ""
    #: The id as written in the file (`id:`), if any.
    explicit_id: str = ""
    #: The criterion exactly as the office wrote it ("2.1", "toàn bộ"; "" when none).
    criterion_written: str = ""
    #: What answers are bound to: it does not move when another letter of the office is read (`comment_key`).
    key: str = ""
    #: Cells of the office's own extra columns in this row, (column header, text): printed under the comment.
    extra: list[tuple[str, str]] = field(default_factory=list)

    @property
    def matched(self) -> bool:
        return not self.errors

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line else self.source

    @property
    def criterion_label(self) -> str:
        return "Toàn bộ dự thảo" if self.criterion == WHOLE else (self.criterion or "(không ghi)")


@dataclass(slots=True)
class CommentFile:
    """One file an office sent: its header and its comments, with every problem found in it."""

    path: str
    office: str
    declared_office: str = ""
    filename_office: str = ""
    version: str = ""
    date_sent: dt.date | None = None
    received: dt.date | None = None
    agree_all: bool = False
    comments: list[Comment] = field(default_factory=list)
    errors: list[CchcError] = field(default_factory=list)
    warnings: list[CchcError] = field(default_factory=list)
    readable: bool = True
    #: False when the file names another office or version: it cannot count as that office's reply.
    addressed: bool = True
    late: bool = False

    @property
    def reply_date(self) -> dt.date | None:
        return self.received or self.date_sent

    @property
    def blank(self) -> bool:
        """A form sent back with nothing in it: no comment and no "đồng ý toàn bộ" — not a reply."""
        return self.readable and not self.comments and not self.agree_all

    @property
    def reason(self) -> CchcError | None:
        """Why an unreadable file could not be read (its first error)."""
        return None if self.readable or not self.errors else self.errors[0]


@dataclass(slots=True)
class CommentSet:
    """Every comment file of a round and every comment in them, numbered and checked."""

    files: list[CommentFile]
    comments: list[Comment]

    @property
    def errors(self) -> list[CchcError]:
        return [e for f in self.files for e in f.errors]

    @property
    def warnings(self) -> list[CchcError]:
        return [w for f in self.files for w in f.warnings]

    def by_id(self) -> dict[str, Comment]:
        return {c.id: c for c in self.comments}

    def for_criterion(self, criterion: str) -> list[Comment]:
        """Every comment on one criterion (matched or not), in reading order; WHOLE for the whole draft."""
        return [c for c in self.comments if c.criterion == criterion]

    def matched(self) -> list[Comment]:
        return [c for c in self.comments if c.matched]

    def unmatched(self) -> list[Comment]:
        return [c for c in self.comments if not c.matched]

    def written(self) -> list[Comment]:
        """Every comment an office wrote: all but the placeholder entry of each file that could not be read."""
        unread = {id(c) for f in self.files if not f.readable for c in f.comments}
        return [c for c in self.comments if id(c) not in unread]


# --------------------------------------------------------------------------- points

def points_impact(rubric: Rubric, criterion: str, proposed: Decimal) -> str:
    """What proposing `proposed` points for a criterion does to its parents and to the total, in words.

    The proposal is read as the criterion's new maximum; every ancestor's
    maximum and the sum of the sections move by the same amount.
    """
    index = rubric.index()
    node = index.get(criterion)
    if node is None or node.max is None:
        return ""
    delta = proposed - node.max
    top = max((b.points for b in node.bands), default=None)
    if delta == ZERO:
        text = f"bằng điểm chuẩn hiện tại của {criterion} ({format_points(node.max)}): tổng điểm không đổi"
        if top is not None and top != proposed:
            text += f"; mức cao nhất hiện là {format_points(top)} điểm, sẽ phải nâng lên {format_points(proposed)}"
        return text
    parents = rubric.parents()
    steps = [f"{criterion}: {format_points(node.max)} → {format_points(proposed)} "
             f"({'+' if delta > 0 else '−'}{format_points(abs(delta))})"]
    current = parents.get(criterion)
    while current is not None:
        if current.max is not None:
            steps.append(f"{current.id}: {format_points(current.max)} → {format_points(current.max + delta)}")
        current = parents.get(current.id)
    total = rubric.computed_total()
    declared = (f" (tổng cộng ghi {format_points(rubric.declared_total)})"
                if rubric.declared_total is not None else "")
    steps.append(f"tổng các phần: {format_points(total)} → {format_points(total + delta)}{declared}")
    return "; ".join(steps)


# --------------------------------------------------------------------------- reading

def office_from_filename(path: str | Path, offices: list[Office]) -> str:
    """The office a file's name says it comes from: "TCKH-2023-08-15.yaml" → "TCKH" ("" if none)."""
    stem = Path(path).stem
    head = re.split(r"[-_. ]", stem, maxsplit=1)[0].upper()
    codes = {o.code.upper(): o.code for o in offices}
    return codes.get(head, "")


def comment_files(folder: Path) -> list[Path]:
    """Every file an office may have sent, at any depth, in name order.

    Left out: the tool's own dispositions.yaml, hidden files and folders (our
    locks, LibreOffice's ".~lock.…#"), Office's "~$…" owner files, editors'
    temporaries and backups, and the system's Thumbs.db / desktop.ini.
    """
    if not folder.is_dir():
        return []
    out = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if any(part.startswith((".", "~$")) for part in relative.parts):
            continue
        name = path.name.lower()
        if (not path.is_file() or relative.as_posix() == DISPOSITIONS_FILE or name in NOT_REPLIES
                or name.endswith(TEMPORARY_ENDINGS)):
            continue
        out.append(path)
    return sorted(out, key=lambda p: p.relative_to(folder).as_posix())


def office_from_text(lines: Iterable[str], offices: Iterable[Office]) -> str:
    """The office a letter heading names ("PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" → "GDDT"), matched without accents."""
    names = [(" ".join(fold(n).replace("–", "-").split()), o.code) for o in offices for n in [o.name, *o.aliases]]
    names.sort(key=lambda item: -len(item[0]))  # the longest name first: "phòng tài chính - kế hoạch" over "phòng"
    for line in lines:
        folded = " ".join(fold(line).replace("–", "-").split())
        for name, code in names:
            if name and name in folded:
                return code
    return ""


def comment_key(office: str, criterion: str, text: str) -> str:
    """A comment's stable identity: 12 hex digits of SHA-256 over office, criterion and its NFC text.

    Answers are bound to it, so a back-dated letter that renumbers an office's
    ids (OFFICE-n) moves no answer to another comment.
    """
    return hashlib.sha256("\x1f".join((office, criterion, nfc(text))).encode("utf-8")).hexdigest()[:12]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        value = value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value)).strip()


def _flatten(value: Any) -> str:
    """Any value as text, lists one item a line and mappings as "key: value": nothing written is lost."""
    if isinstance(value, dict):
        parts = [f"{_text(k)}: {_flatten(v)}" for k, v in value.items()
                 if k != LINE_KEY and not str(k).endswith("__line") and _flatten(v)]
        return "; ".join(parts)
    if isinstance(value, (list, tuple)):
        return "\n".join(t for t in (_flatten(v) for v in value) if t)
    return _text(value)


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return _text(value).lower() in {"x", "có", "co", "true", "yes", "1", "đồng ý", "dong y", "đồng ý toàn bộ"}


def _file_error(path: str, line: int, message: str, fix: str = "") -> ValidationError:
    return FieldReader(path).fail(message, fix=fix, line=line)


class _FileBuilder:
    """Checks one file's header and rows (from YAML or Excel alike) and builds its CommentFile."""

    def __init__(self, path: str, rubric: Rubric, offices: list[Office], round_: Round, line_word: str = "dòng"):
        self.path = path
        self.rubric = rubric
        self.index = rubric.index()
        self.offices = {o.code: o for o in offices}
        self.round = round_
        self.line_word = line_word
        self.file = CommentFile(path=path, office="", filename_office=office_from_filename(path, offices))
        #: The "no date" warning, taken back by `finished` when the file turns out to be a blank form.
        self.undated: CchcError | None = None

    def error(self, line: int, message: str, fix: str = "") -> str:
        self.file.errors.append(_file_error(self.path, line, message, fix))
        return message

    def header(self, raw: dict[str, Any], line: int) -> None:
        f = self.file
        f.declared_office = _text(raw.get("office"))
        f.version = _text(raw.get("version"))
        f.agree_all = _truthy(raw.get("agree_all"))
        for key in ("date_sent", "received"):
            value = raw.get(key)
            if _text(value) or isinstance(value, (dt.date, dt.datetime)):
                try:
                    setattr(f, key, parse_date(value))
                except ValidationError as exc:
                    self.error(raw.get(f"{key}__line", line), f"'{key}': {exc.message}", date_hint())
        declared, from_name = f.declared_office, f.filename_office
        office_line = raw.get("office__line", line)
        if declared and declared not in self.offices:
            f.addressed = False
            self.error(office_line, f"mã cơ quan '{declared}' không có trong danh sách cơ quan",
                       f"dùng một trong: {', '.join(self.offices)}")
        elif declared and from_name and declared != from_name:
            f.addressed = False
            self.error(office_line, f"tệp ghi là của cơ quan {declared} nhưng tên tệp là của {from_name}",
                       "kiểm tra lại tệp này là của cơ quan nào, rồi sửa dòng 'office' hoặc đổi tên tệp")
        f.office = declared if declared in self.offices else from_name
        if not f.office:
            f.addressed = False
            self.error(office_line, "không xác định được tệp là của cơ quan nào",
                       "ghi 'office: MÃ' ở đầu tệp và đặt tên tệp bắt đầu bằng mã cơ quan, như TCKH-15-8.yaml")
        elif f.office not in self.round.consulted and f.addressed:
            f.addressed = False
            self.error(office_line, f"cơ quan {f.office} không nằm trong danh sách được lấy ý kiến của đợt này",
                       "kiểm tra lại mã cơ quan, hoặc thêm cơ quan vào 'consulted' trong round.yaml")
        if f.version and f.version != self.round.version:
            f.addressed = False
            self.error(raw.get("version__line", line),
                       f"tệp góp ý cho phiên bản {f.version}, nhưng dự thảo đang lấy ý kiến là {self.round.version}",
                       f"kiểm tra lại; nếu đúng là góp ý cho {self.round.version}, sửa 'version'")
        if f.reply_date is None:
            self.undated = _file_error(self.path, raw.get("date_sent__line", line),
                                       "tệp không ghi ngày gửi: không xác định được đúng hạn hay trễ hạn",
                                       "ghi 'date_sent:' theo ngày trên văn bản góp ý — " + date_hint())
            f.warnings.append(self.undated)
        f.late = self.round.is_late(f.reply_date)

    def row(self, raw: dict[str, Any], line: int) -> Comment | None:
        """A comment from one row, or None for a template row nobody filled in."""
        criterion = _text(raw.get("criterion"))
        kind_text = _text(raw.get("kind"))
        text = _text(raw.get("comment"))
        proposal = _text(raw.get("proposal"))
        points_raw = raw.get("proposed_points")
        points_text = _text(points_raw)
        received_raw = raw.get("received")
        is_template_row = raw.get("title") is not None or raw.get("points") is not None
        if not (text or proposal or points_text or kind_text) and (is_template_row or not criterion):
            return None  # a template row nobody filled in (a hand-written bare criterion is kept below)
        errors: list[str] = []
        comment = Comment(id="", office=self.file.office, criterion=criterion, kind="", text=text, proposal=proposal,
                          proposed_points_text=points_text, source=self.path, line=line,
                          explicit_id=_text(raw.get("id")), criterion_written=criterion)
        if not criterion:
            errors.append(self.error(line, "ý kiến không ghi mã tiêu chí",
                                     "ghi mã tiêu chí (như II.5.1) hoặc 'toàn bộ' nếu góp ý chung cho dự thảo"))
        elif criterion.lower() in WHOLE_WORDS:
            comment.criterion = WHOLE
        elif criterion not in self.index:
            # numbering restarts in every section: "1.1" may be I.1.1 or II.1.1
            close = [i for i in self.index if "." in i and i.split(".", 1)[1] == criterion.strip(".")]
            hint = f" (có phải {' hoặc '.join(close[:3])}?)" if close else ""
            errors.append(self.error(line, f"mã tiêu chí '{criterion}' không có trong dự thảo "
                                           f"{self.round.version}{hint}",
                                     "sửa mã theo cột TT của dự thảo, ví dụ II.6.3"))
        if not text:
            errors.append(self.error(line, "ý kiến để trống nội dung góp ý",
                                     "ghi nội dung góp ý vào cột 'comment' (Nội dung góp ý)"))
        if kind_text:
            kind = _KIND_ALIASES.get(kind_text.lower())
            if kind is None:
                errors.append(self.error(line, f"loại ý kiến '{kind_text}' không hợp lệ",
                                         f"dùng một trong: {', '.join(KINDS)}"))
            comment.kind = kind or kind_text
        if points_text:
            try:
                comment.proposed_points = parse_points(points_raw)
            except PointsError as exc:
                errors.append(self.error(line, f"điểm đề xuất: {exc}", "viết số điểm bằng chữ số: 2 hoặc 1,5"))
        if not comment.kind:
            comment.kind = "điểm" if points_text else "nội dung"
        if _text(received_raw) or isinstance(received_raw, (dt.date, dt.datetime)):
            try:
                comment.received = parse_date(received_raw)
            except ValidationError as exc:
                errors.append(self.error(line, f"ngày nhận: {exc.message}", date_hint()))
        if comment.received is None:
            comment.received = self.file.reply_date
        comment.late = self.round.is_late(comment.received)
        if not self.file.addressed:
            errors.append("tệp không xác định đúng cơ quan hoặc phiên bản (xem lỗi ở đầu tệp)")
        comment.errors = errors
        if comment.matched and comment.proposed_points is not None and comment.criterion != WHOLE:
            comment.impact = points_impact(self.rubric, comment.criterion, comment.proposed_points)
        return comment

    def kept(self, criterion: str, text: str, line: int, why: str) -> Comment:
        """Words that fit no field of the form, kept verbatim as an unmatched comment: nothing is dropped."""
        c = Comment(id="", office=self.file.office, criterion=criterion, kind="nội dung", text=text,
                    source=self.path, line=line, criterion_written=criterion, errors=[why])
        c.received = self.file.reply_date
        c.late = self.round.is_late(c.received)
        self.file.comments.append(c)
        return c

    def warn(self, line: int, message: str, fix: str = "") -> None:
        self.file.warnings.append(_file_error(self.path, line, message, fix))

    def resolve_cited(self, written: str, line: int) -> str:
        """A criterion cited loosely as an id of the draft: a bare "6.3" found in one section only is II.6.3."""
        if written in self.index or "." not in written or written[0].isalpha():
            return written
        close = [i for i in self.index if "." in i and i.split(".", 1)[1] == written]
        if len(close) == 1:
            self.warn(line, f"'{written}' được hiểu là tiêu chí {close[0]} (chỉ một phần có số {written})",
                      "kiểm tra lại; nếu sai, ghi rõ phần (số La Mã) trước số tiêu chí")
            return close[0]
        return written

    def finished(self) -> CommentFile:
        """The file as read; a blank form (phiếu chưa điền) is not a reply, so it needs no date."""
        f = self.file
        if f.blank and self.undated is not None:
            f.warnings = [w for w in f.warnings if w is not self.undated]
        return f

    def unreadable(self, error: CchcError) -> CommentFile:
        """A file that could not be read at all: kept as one unmatched entry so it is not lost."""
        f = self.file
        f.readable = False
        f.addressed = False
        f.office = f.filename_office
        f.errors.append(error)
        f.comments = [Comment(id="", office=f.office, criterion="", kind="",
                              text=f"(không đọc được tệp {Path(self.path).name})",
                              source=self.path, line=error.line, errors=[error.message])]
        return f


def _is_meta(key: Any) -> bool:
    """A key the fast YAML reader or `_key_lines` added (line numbers), not one the office wrote."""
    return key == LINE_KEY or str(key).endswith("__line")


def _key_lines(data: dict, path: Path) -> None:
    """Add KEY__line for every top-level key, so a header error or a kept key names its own line."""
    for number, text in enumerate(fileio.read_text(path).splitlines(), start=1):
        m = re.match(r"^([^\s#:'\"-][^:#]*):", text)
        if m:
            data.setdefault(f"{m.group(1).strip()}__line", number)


#: The fields of a YAML comment row and of a file's header; any other key is kept as text.
_ROW_KEYS = {"criterion", "title", "points", "kind", "comment", "proposal", "proposed_points", "received", "id"}
_HEADER_KEYS = {"format", "office", "version", "deadline", "date_sent", "received", "agree_all", "comments"}
_KEPT_FIX = "chuyển nội dung vào 'Nội dung góp ý' (comment) của đúng tiêu chí, hoặc để nguyên cho cơ quan soạn thảo gắn"


def _row_with_extras(builder: _FileBuilder, known: dict[str, Any], extras: list[tuple[str, str, str]],
                     line: int, columns: list[tuple[str, str]] | None = None) -> None:
    """A row's comment from its known fields, and everything else it holds kept as an unmatched comment.

    `columns` are the row's cells under the office's own extra headers ("Người góp ý", "Ghi chú của
    phòng"): attached to the row's comment as its `extra` (an office's note is not a comment to answer);
    kept as an unmatched comment, like any other stray words, when the row has no comment of its own.
    """
    own = any(_text(known.get(k)) for k in ("comment", "proposal", "proposed_points", "kind"))
    if own or not (extras or columns):
        comment = builder.row(known, line)
        if comment is not None:
            builder.file.comments.append(comment)
            if columns:
                comment.extra = list(columns)
                names = ", ".join(f"'{label}'" for label, _ in columns)
                builder.warn(line, f"cột {names} không có trong mẫu phiếu: nội dung được giữ kèm ý kiến của dòng "
                                   "này (in dưới nội dung góp ý), không thành ý kiến riêng",
                             "không cần sửa; muốn đó là góp ý thì chép vào cột 'Nội dung góp ý'")
            columns = None
    extras = extras + [(label, text, f"cột '{label}' không có trong mẫu phiếu") for label, text in columns or ()]
    if extras:
        why = "; ".join(w for _, _, w in extras)
        builder.kept(_text(known.get("criterion")), "\n".join(t for _, t, _ in extras), line,
                     f"{why}: giữ nguyên văn, chờ gắn vào tiêu chí")
        builder.warn(line, f"{why}: nội dung được giữ lại thành ý kiến chưa khớp", _KEPT_FIX)


def _yaml_file(builder: _FileBuilder, path: Path) -> CommentFile:

    try:
        data = read_yaml(path)
    except CchcError as exc:
        return builder.unreadable(exc)
    read = FieldReader(builder.path)
    try:
        data = read.mapping(data, what="tệp góp ý phải có phần đầu (office, version, date_sent) và danh sách "
                            "'comments'", fix="tạo tệp mẫu bằng: cchc comments template MÃ_CƠ_QUAN")
    except ValidationError as exc:
        return builder.unreadable(exc)
    line = line_of(data, 1)
    _key_lines(data, path)
    fmt = data.get("format")
    if fmt not in (None, COMMENTS_FORMAT):
        builder.file.warnings.append(_file_error(builder.path, line, f"định dạng '{fmt}' lạ; đọc như "
                                                 f"{COMMENTS_FORMAT}"))
    builder.header(data, line)
    for key, value in list(data.items()):
        text = "" if _is_meta(key) or key in _HEADER_KEYS else _flatten(value)
        if text:
            _row_with_extras(builder, {}, [(str(key), text, f"khóa '{key}' không có trong mẫu phiếu")],
                             data.get(f"{key}__line", line))
    rows: list[Any] = []
    if isinstance(data.get("comments"), list) or "comments" not in data or data.get("comments") is None:
        rows = data.get("comments") or []
    else:
        text = _flatten(data.get("comments"))
        if text:
            _row_with_extras(builder, {}, [("comments", text, "'comments' không phải danh sách các ý kiến")],
                             data.get("comments__line", line))
    for raw in rows:
        if not isinstance(raw, dict):
            # a bare line or a list under comments: keep its words as an unmatched comment
            text = _flatten(raw)
            if text:
                builder.kept("", text, line, builder.error(line, "ý kiến không theo mẫu (thiếu mã tiêu chí)",
                                                           "viết thành '- criterion: …' và 'comment: …'"))
            continue
        row_line = line_of(raw, line)
        known: dict[str, Any] = {}
        extras: list[tuple[str, str, str]] = []
        for key, value in raw.items():
            if _is_meta(key):
                continue
            if key in _ROW_KEYS and not isinstance(value, (list, dict)):
                known[key] = value
                continue
            text = _flatten(value)
            if text:
                extras.append((str(key), text, f"khóa '{key}' viết thành danh sách, không phải một đoạn chữ"
                               if key in _ROW_KEYS else f"khóa '{key}' không có trong mẫu phiếu"))
        _row_with_extras(builder, known, extras, row_line)
    return builder.file


# --------------------------------------------------------------------------- tables and letters

#: Column headers of a comment table (folded, without words in brackets) → field.
_COLUMN_LABELS = {
    "ma tieu chi": "criterion", "tieu chi": "criterion", "muc": "criterion", "ma so": "criterion",
    "criterion": "criterion",
    "noi dung tieu chi": "title", "ten tieu chi": "title", "title": "title",
    "diem chuan": "points", "diem toi da": "points", "points": "points",
    "loai y kien": "kind", "loai": "kind", "kind": "kind",
    "noi dung gop y": "comment", "y kien": "comment", "gop y": "comment", "y kien gop y": "comment",
    "noi dung y kien": "comment", "comment": "comment",
    "de xuat sua doi": "proposal", "de xuat": "proposal", "de xuat sua": "proposal", "noi dung de xuat": "proposal",
    "de xuat sua doi, bo sung": "proposal", "proposal": "proposal",
    "diem de xuat": "proposed_points", "proposed_points": "proposed_points",
    "ngay nhan": "received", "received": "received",
    "ma y kien": "id", "id": "id",
    "stt": "stt", "tt": "stt", "so tt": "stt", "so thu tu": "stt",
}
#: Labels of a form's header fields (a row "Cơ quan | TCKH", a paragraph "Ngày gửi: 15/8") → field.
_FIELD_LABELS = {
    "co quan": "office", "co quan gop y": "office", "ten co quan": "office", "don vi": "office",
    "don vi gop y": "office", "office": "office",
    "phien ban": "version", "phien ban du thao": "version", "version": "version",
    "ngay gui": "date_sent", "ngay van ban": "date_sent", "date_sent": "date_sent",
    "ngay nhan": "received", "received": "received",
    "dong y toan bo": "agree_all", "agree_all": "agree_all",
    "han gui": "deadline", "han gui y kien": "deadline", "deadline": "deadline",
}
_LEADING_ID = re.compile(r"^(?:tiêu\s+chí\s+|mục\s+)?((?:[IVX]+\.)?\d+(?:\.\d+)*)\.?(?:\s*[:\-–]?\s+|$)(.*)$",
                         re.IGNORECASE | re.DOTALL)
#: One row of a table or one paragraph: its position in the file, the line shown in messages, its cells.
Row = tuple[int, int, list[Any]]


def _column_label(value: Any) -> str:
    text = re.sub(r"\([^)]*\)", " ", fold(_text(value)))
    return " ".join(text.replace("*", " ").split()).rstrip(":").strip()


def _header_columns(cells: list[Any]) -> bool:
    """Whether a row is a comment table's header: it names the criterion column and a comment column."""
    fields = {_COLUMN_LABELS.get(_column_label(c)) for c in cells if _text(c)}
    return "criterion" in fields and bool(fields & {"comment", "proposal", "proposed_points"})


def _column_letter(col: int) -> str:
    from string import ascii_uppercase as letters

    return letters[col] if col < 26 else letters[col // 26 - 1] + letters[col % 26]


def _is_empty_value(text: str) -> bool:
    """A placeholder left in a form: "……", "....", "___"."""
    return not text.strip(" .…_-–\t")


def _header_field(cells: list[Any], builder: _FileBuilder) -> tuple[str, str, list[str]] | None:
    """A form's header field in a row or paragraph: (field, value, other words beside it), or None."""
    texts = [_text(c) for c in cells]
    first = next((i for i, t in enumerate(texts) if t), None)
    if first is None:
        return None
    label, value, rest = texts[first], (texts[first + 1] if first + 1 < len(texts) else ""), texts[first + 2:]
    if len([t for t in texts if t]) == 1 and ":" in label:  # a paragraph "Ngày gửi: 15/8"
        label, _, value = label.partition(":")
    field = _FIELD_LABELS.get(" ".join(fold(label).rstrip(": ").split()))
    if field is None:
        return None
    value = "" if _is_empty_value(value) else value.strip()
    if field == "office" and value:
        token = re.split(r"[\s–\-—:,(]+", value)[0].upper()
        value = token if token in builder.offices else (office_from_text([value], builder.offices.values()) or value)
    names = {fold(n) for o in builder.offices.values() for n in (o.name, o.code, *o.aliases)}
    # a hint of this or an older form ("ghi ngày của văn bản góp ý, ví dụ …"): its first words say so
    hints = tuple(fold(h)[:24] for h in XLSX_HINTS.values())
    others = [t for t in rest if t and fold(t) not in names and not fold(t).startswith(hints)]
    return field, value, others


def _split_criterion(builder: _FileBuilder, known: dict[str, Any], extras: list[tuple[str, str, str]],
                     line: int) -> None:
    """A criterion cell written "II.6.3. Tên tiêu chí" or "tiêu chí 2.1": the id, and its words kept."""
    raw = _text(known.get("criterion"))
    if not raw or raw in builder.index or raw.lower() in WHOLE_WORDS:
        return
    m = _LEADING_ID.match(raw)
    if m:
        written, words = m.group(1), m.group(2).strip()
    else:
        cited = intake_letter.cited_criteria(raw)
        if not cited:
            return
        written, words = cited[0], raw
    written = written.upper() if written[0].isalpha() else written
    criterion = builder.resolve_cited(written, line)
    known["criterion"] = criterion
    node = builder.index.get(criterion)
    own = any(_text(known.get(k)) for k in ("comment", "proposal", "proposed_points", "kind"))
    if words and (node is not None and fold(words).rstrip(". ") == fold(node.title).rstrip(". ")):
        known.setdefault("title", words)  # the form's own row: id and title, nothing written
    elif words and not own:
        extras.append(("Tiêu chí", words, "ô tiêu chí có thêm chữ nhưng không có nội dung góp ý"))


def _table_body(builder: _FileBuilder, table: list[Row], positions: dict[int, int]) -> None:
    """The comments of a table whose first row is its header; cells under unknown headers or outside are kept."""
    _, _, header_cells = table[0]
    columns: dict[int, str] = {}
    unknown: dict[int, str] = {}
    for col, value in enumerate(header_cells):
        label = _text(value)
        if not label:
            continue
        name = _COLUMN_LABELS.get(_column_label(label))
        if name and name not in columns.values():
            columns[col] = name
        else:
            unknown[col] = label
    signature = [_column_label(v) for v in header_cells]
    for position, line, cells in table[1:]:
        if [_column_label(v) for v in cells] == signature:
            continue  # the header repeated at the top of a new page
        known: dict[str, Any] = {}
        extras: list[tuple[str, str, str]] = []
        office_columns: list[tuple[str, str]] = []
        for col, value in enumerate(cells):
            text = _text(value)
            if not text:
                continue
            name = columns.get(col)
            if name == "stt":
                if not re.fullmatch(r"\d+\.?", text):
                    extras.append((unknown.get(col, "STT"), text, f"cột '{_text(header_cells[col])}' ghi chữ, "
                                                                  "không phải số thứ tự"))
            elif name:
                known[name] = value
            elif col in unknown:
                office_columns.append((unknown[col], text))
            else:
                extras.append((_column_letter(col), text, f"ô ở cột {_column_letter(col)} nằm ngoài bảng góp ý"))
        if not known and not extras:
            continue
        _split_criterion(builder, known, extras, line)
        before = len(builder.file.comments)
        _row_with_extras(builder, known, extras, line, office_columns)
        for c in builder.file.comments[before:]:
            positions[id(c)] = position


def _segments_file(builder: _FileBuilder, segments: list[tuple[str, list[Row]]]) -> CommentFile:
    """A reply made of tables and loose rows or paragraphs: form tables read by column, the rest as a letter.

    A segment is ("table", rows) — a comment table from its header row on when
    it has one, else loose rows — or ("loose", rows). Header fields ("Cơ quan",
    "Ngày gửi") are taken from loose rows; the letter's heading gives the office
    and the date when the form does not.
    """
    loose: list[Row] = []
    tables: list[list[Row]] = []
    for kind, rows in segments:
        at = next((i for i, (_, _, cells) in enumerate(rows) if _header_columns(cells)), None) \
            if kind == "table" else None
        if at is None:
            loose += rows
        else:
            loose += rows[:at]
            tables.append(rows[at:])
    header: dict[str, Any] = {}
    blocks: list[tuple[int, list[str]]] = []
    for position, line, cells in loose:
        found = _header_field(cells, builder)
        if found is None:
            blocks.append((position, [_text(c) for c in cells]))
            continue
        name, value, others = found
        if name not in header:
            header[name], header[f"{name}__line"] = value, line
        if others:
            blocks.append((position, others))
    names = [n for o in builder.offices.values() for n in (o.name, *o.aliases)]
    reading = intake_letter.read_letter(blocks, names)
    if not header.get("office"):
        header["office"] = office_from_text(reading.heading, builder.offices.values())
    if not _text(header.get("date_sent")) and reading.date_sent:
        header["date_sent"] = reading.date_sent
    if reading.agree_all and not _truthy(header.get("agree_all")):
        header["agree_all"] = True
    builder.header(header, 1)
    positions: dict[int, int] = {}
    for table in tables:
        _table_body(builder, table, positions)
    lines = {position: line for position, line, _ in loose}
    for item in reading.items:
        line = lines[item.position]
        before = len(builder.file.comments)
        if item.criterion:
            criterion = builder.resolve_cited(item.criterion, line)
            if item.also_cited:
                builder.warn(line, f"đoạn văn nhắc nhiều tiêu chí ({', '.join([item.criterion, *item.also_cited])}): "
                                   f"ý kiến được gắn vào {criterion}", "tách mỗi tiêu chí một đoạn nếu cần")
            comment = builder.row({"criterion": criterion, "comment": item.text}, line)
            if comment is not None:
                comment.criterion_written = item.criterion
                builder.file.comments.append(comment)
        else:
            builder.kept("", item.text, line, "đoạn văn không ghi tiêu chí nào: giữ nguyên văn, chờ gắn vào tiêu chí")
        for c in builder.file.comments[before:]:
            positions[id(c)] = item.position
    plain = sum(1 for item in reading.items if not item.criterion)
    if plain:
        builder.warn(1, f"{plain} đoạn không ghi tiêu chí nào: giữ nguyên văn thành ý kiến chưa khớp",
                     "đọc và ghi mã tiêu chí (hoặc 'toàn bộ') cho các đoạn này")
    if reading.skipped:
        builder.warn(1, "đã bỏ qua phần đầu và cuối văn bản (không phải ý kiến): " + " · ".join(reading.skipped))
    if reading.agree_all:
        builder.warn(1, "văn bản được hiểu là đồng ý toàn bộ dự thảo (không nhắc tiêu chí nào)")
    builder.file.comments.sort(key=lambda c: positions.get(id(c), 0))
    return builder.file


def _numbered(rows: list[list[Any]], start: int = 0) -> list[Row]:
    return [(start + i, i + 1, cells) for i, cells in enumerate(rows)]


def xlsx_sheets(data: bytes, path: str | Path) -> list[list[Any]]:
    """Every sheet of a workbook as [name, rows of cell values], cached by the file's SHA-256.

    openpyxl costs ~0.4 s to import here (it pulls in numpy when present), so a
    second read of an unchanged workbook comes from a small JSON file instead.
    """
    return cached(data, lambda: _read_xlsx_sheets(data, path), kind="xlsx-", version="2")


def _read_xlsx_sheets(data: bytes, path: str | Path) -> list[list[Any]]:
    from openpyxl import load_workbook

    check_package(data, str(path), "tệp Excel")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a damaged workbook
        raise FileReadError(f"không mở được tệp Excel: {damage_reason(exc)}", path=str(path),
                            fix="mở bằng Excel và lưu lại dạng .xlsx (Excel Workbook)") from exc
    sheets = []
    try:
        for sheet in workbook.worksheets:
            rows = [[v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v for v in values]
                    for values in bounded_rows(sheet.iter_rows(values_only=True), str(path))]
            sheets.append([sheet.title, rows])
    except CchcError:
        raise
    except Exception as exc:  # openpyxl reads rows lazily: a damaged sheet fails here, not on opening
        raise FileReadError(f"tệp Excel bị hỏng, không đọc được các hàng: {damage_reason(exc)}", path=str(path),
                            fix="mở bằng Excel và lưu lại dạng .xlsx (Excel Workbook)") from exc
    finally:
        workbook.close()
    return sheets


def _sheets_segments(sheets: list[list[Any]]) -> list[tuple[str, list[Row]]]:
    out = []
    for i, (_, rows) in enumerate(sheets):
        out.append(("table", _numbered(rows, start=i * 1_000_000)))
    return out


def _csv_rows(data: bytes, path: str) -> list[list[Any]]:

    text = fileio.decode_bytes(data, path).lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _docx_segments(blocks: list[list[Any]]) -> list[tuple[str, list[Row]]]:
    """Paragraphs and tables of a Word file as segments; each paragraph and each table row is one "đoạn"."""
    segments: list[tuple[str, list[Row]]] = []
    position = 0
    for kind, content in blocks:
        if kind == "p":
            position += 1
            segments.append(("loose", [(position, position, [content])]))
            continue
        rows = []
        for cells in content:
            position += 1
            rows.append((position, position, cells))
        segments.append(("table", rows))
    return segments


def _text_segments(text: str) -> list[tuple[str, list[Row]]]:
    """A plain-text letter (a .txt, a PDF's text layer) as paragraphs."""
    return [("loose", [(i, i, [block]) for i, block in enumerate(intake_letter.blocks_from_lines(text), start=1)])]


#: What a clerk can do with a file of a kind no reader knows.
_OTHER_FIX = ("lưu lại dưới dạng .docx (Word), .xlsx (Excel) hoặc .pdf có chữ; ảnh chụp thì nhập nội dung góp ý vào "
              "phiếu góp ý (cchc comments template MÃ_CƠ_QUAN)")
TABLE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")


def _segments_of(path: Path, shown: str) -> list[tuple[str, list[Row]]]:
    """The rows and paragraphs of any reply that is not YAML; a CchcError when it cannot be read."""
    suffix = path.suffix.lower()
    data = fileio.read_bytes(path)
    if suffix in (".xlsx", ".xlsm"):
        return _sheets_segments(xlsx_sheets(data, shown))
    if suffix in (".xls", ".ods"):
        return _sheets_segments(cached(data, lambda: _read_xlsx_sheets(intake_office.convert(data, shown), shown),
                                       kind="soffice-xlsx-", version="1"))
    if suffix == ".csv":
        return _sheets_segments([["", _csv_rows(data, shown)]])
    if suffix == ".docx":
        return _docx_segments(cached(data, lambda: intake_docx.docx_blocks(data, shown), kind="docx-", version="1"))
    if suffix in (".doc", ".odt", ".rtf"):
        return _docx_segments(cached(data, lambda: intake_docx.docx_blocks(intake_office.convert(data, shown), shown),
                                     kind="soffice-docx-", version="1"))
    if suffix == ".pdf":
        return _text_segments(cached(data, lambda: intake_pdf.pdf_text(data, shown), kind="pdf-", version="1"))
    if suffix in (".txt", ".text", ".md"):
        return _text_segments(fileio.decode_bytes(data, shown))
    raise FileReadError(f"tệp dạng {suffix or '(không có đuôi)'} không phải dạng góp ý chương trình đọc được",
                        path=shown, fix=_OTHER_FIX)


def read_comment_file(path: str | Path, rubric: Rubric, offices: list[Office], round_: Round,
                      shown_as: str | None = None) -> CommentFile:
    """One reply of any kind, every problem recorded in it rather than raised (ids are given by `read_comments`)."""
    path = Path(path)
    shown = shown_as or str(path)
    suffix = path.suffix.lower()
    builder = _FileBuilder(shown, rubric, offices, round_, "hàng" if suffix in TABLE_SUFFIXES else "dòng")
    if suffix in (".yaml", ".yml"):
        _yaml_file(builder, path)
        return builder.finished()
    try:
        segments = _segments_of(path, shown)
    except CchcError as exc:
        if exc.path in (str(path), ""):
            exc.path = shown
        return builder.unreadable(exc)
    file = _segments_file(builder, segments)
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods") and not file.comments and not file.agree_all \
            and not any(_header_columns(cells) for _, rows in segments for _, _, cells in rows):
        builder.error(1, "không tìm thấy dòng tiêu đề bảng (ô ghi 'Mã tiêu chí' và 'Nội dung góp ý')",
                      "dùng tệp mẫu: cchc comments template MÃ_CƠ_QUAN --to xlsx")
    return builder.finished()


def number_comments(files: list[CommentFile]) -> list[Comment]:
    """Give every comment a stable id OFFICE-n, in the order of each office's files (date, then name).

    An `id:` written in the file wins, so a clerk can pin an id — but only one
    of the file's own office: another office's id is refused. A duplicate id is
    an error and the later comment gets a fresh number. Every comment also gets
    its `key`, which answers are bound to and which no renumbering moves.
    """
    ordered = sorted(files, key=lambda f: (f.office or "~", f.reply_date or dt.date.max, f.path))
    counters: dict[str, int] = {}
    taken: set[str] = set()
    out: list[Comment] = []
    for f in ordered:
        prefix = f.office or "KHONGRO"
        for c in f.comments:
            c.key = comment_key(c.office, c.criterion if c.matched else c.criterion_written, c.text)
            pinned = c.explicit_id
            if pinned and pinned.rsplit("-", 1)[0].upper() != prefix.upper():
                f.errors.append(_file_error(
                    f.path, c.line, f"mã ý kiến '{pinned}' không thuộc cơ quan của tệp ({prefix}): không nhận, ý kiến "
                                    f"được đánh số theo cơ quan {prefix}",
                    f"xóa dòng 'id', hoặc ghi mã bắt đầu bằng {prefix}-"))
                pinned = ""
            if pinned and pinned not in taken:
                c.id = pinned
            else:
                if pinned:
                    c.errors.append(f"mã ý kiến '{c.explicit_id}' bị trùng")
                    f.errors.append(_file_error(f.path, c.line, f"mã ý kiến '{c.explicit_id}' bị trùng",
                                                "xóa dòng 'id' để chương trình tự đánh số"))
                while True:
                    counters[prefix] = counters.get(prefix, 0) + 1
                    candidate = f"{prefix}-{counters[prefix]}"
                    if candidate not in taken:
                        break
                c.id = candidate
            taken.add(c.id)
            out.append(c)
    return out


def mark_superseded(files: list[CommentFile]) -> None:
    """Where an office sent several files, its later file wins on each criterion both discuss.

    Both comments stay; the earlier one records which comment replaced it.
    """
    latest: dict[tuple[str, str], CommentFile] = {}
    ordered = sorted((f for f in files if f.addressed), key=lambda f: (f.reply_date or dt.date.min, f.path))
    for f in ordered:
        for c in f.comments:
            if c.matched:
                latest[(f.office, c.criterion)] = f
    for f in ordered:
        for c in f.comments:
            if not c.matched:
                continue
            winner = latest[(f.office, c.criterion)]
            if winner is not f:
                replacement = next(x for x in winner.comments if x.matched and x.criterion == c.criterion)
                c.superseded_by = replacement.id


def read_comments(folder: str | Path, rubric: Rubric, offices: list[Office], round_: Round,
                  relative_to: Path | None = None) -> CommentSet:
    """Every comment file in a folder, validated, numbered, with later files superseding earlier ones."""
    files = []
    for path in comment_files(Path(folder)):
        shown = str(path)
        if relative_to is not None:
            try:
                shown = str(path.resolve().relative_to(relative_to.resolve()))
            except ValueError:
                pass
        files.append(read_comment_file(path, rubric, offices, round_, shown))
    comments = number_comments(files)
    mark_superseded(files)
    order = {id(c): i for i, c in enumerate(comments)}
    comments.sort(key=lambda c: order[id(c)])
    return CommentSet(files=files, comments=comments)


def criteria_order(rubric: Rubric) -> dict[str, int]:
    """Each criterion id's position in the rubric (the whole draft first), for sorting comments."""
    out = {WHOLE: -1}
    for i, node in enumerate(rubric.walk()):
        out.setdefault(node.id, i)
    return out


def sorted_by_criterion(comments: Iterable[Comment], rubric: Rubric) -> list[Comment]:
    order = criteria_order(rubric)
    return sorted(comments, key=lambda c: (order.get(c.criterion, 10 ** 9), c.received or dt.date.min, c.id))


__all__ = [
    "COMMENTS_FORMAT", "WHOLE", "KINDS", "Comment", "CommentFile", "CommentSet", "points_impact",
    "read_comment_file", "read_comments", "office_from_filename", "office_from_text", "comment_files",
    "comment_key", "format_date_short",
    "sorted_by_criterion", "criteria_order",
]
