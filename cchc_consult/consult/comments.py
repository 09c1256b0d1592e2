"""Comment files from the offices: reading, validating, numbering, and what a points proposal does.

A comment file is YAML (`cchc-comments/1`, the layout `cchc comments template`
writes) or an Excel workbook with the same columns. Nothing a clerk wrote is
ever dropped: a comment with a problem keeps its text and is marked unmatched,
with an error naming the file and the line (the row, in Excel).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from ..errors import CchcError, FileReadError, PointsError, ValidationError
from ..model import ZERO, Rubric, format_points, nfc, parse_points
from ..offices import Office
from ..schema import FieldReader, line_of
from ..vn import date_hint, format_date_short, parse_date
from ..zipguard import bounded_rows, check_package
from .round import Round

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
COMMENT_SUFFIXES = (".yaml", ".yml", ".xlsx")


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
    """The comment files in a folder: *.yaml, *.yml, *.xlsx, except dispositions.yaml and Excel lock files."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in COMMENT_SUFFIXES and p.name != DISPOSITIONS_FILE
                  and not p.name.startswith((".", "~$")))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value)).strip()


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
            f.warnings.append(_file_error(self.path, raw.get("date_sent__line", line),
                                          "tệp không ghi ngày gửi: không xác định được đúng hạn hay trễ hạn",
                                          "ghi 'date_sent:' theo ngày trên văn bản góp ý — " + date_hint()))
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
                          explicit_id=_text(raw.get("id")))
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

    def unreadable(self, error: CchcError) -> CommentFile:
        """A file that could not be read at all: kept as one unmatched entry so it is not lost."""
        f = self.file
        f.readable = False
        f.addressed = False
        f.office = f.filename_office
        f.errors.append(error)
        f.comments = [Comment(id="", office=f.office, criterion="", kind="", text="(không đọc được tệp)",
                              source=self.path, line=error.line, errors=[error.message])]
        return f


def _header_lines(data: dict, path: Path) -> None:
    """Add KEY__line for the header fields, so a header error names its own line."""
    from .. import fileio

    wanted = ("office", "version", "date_sent", "received")
    for number, text in enumerate(fileio.read_text(path).splitlines(), start=1):
        for key in wanted:
            if text.startswith(f"{key}:"):
                data.setdefault(f"{key}__line", number)


def _yaml_file(builder: _FileBuilder, path: Path) -> CommentFile:
    from ..yamlio import read_yaml

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
    _header_lines(data, path)
    fmt = data.get("format")
    if fmt not in (None, COMMENTS_FORMAT):
        builder.file.warnings.append(_file_error(builder.path, line, f"định dạng '{fmt}' lạ; đọc như "
                                                 f"{COMMENTS_FORMAT}"))
    builder.header(data, line)
    try:
        rows = read.sequence(data, "comments", what="'comments' phải là danh sách các ý kiến (mỗi ý kiến bắt đầu "
                             "bằng '- ')")
    except ValidationError as exc:
        builder.file.errors.append(exc)
        rows = []
    for raw in rows:
        if not isinstance(raw, dict):
            # a bare line of text under comments: keep it as an unmatched comment
            text = _text(raw)
            if text:
                c = Comment(id="", office=builder.file.office, criterion="", kind="nội dung", text=text,
                            source=builder.path, line=line)
                c.errors = [builder.error(line, "ý kiến không theo mẫu (thiếu mã tiêu chí)",
                                          "viết thành '- criterion: …' và 'comment: …'")]
                builder.file.comments.append(c)
            continue
        comment = builder.row(raw, line_of(raw, line))
        if comment is not None:
            builder.file.comments.append(comment)
    return builder.file


#: Excel column headers (lower-case, Vietnamese or field name) → field.
_XLSX_COLUMNS = {
    "mã tiêu chí": "criterion", "tiêu chí": "criterion", "criterion": "criterion",
    "nội dung tiêu chí": "title", "tên tiêu chí": "title", "title": "title",
    "điểm chuẩn": "points", "points": "points",
    "loại ý kiến": "kind", "kind": "kind",
    "nội dung góp ý": "comment", "ý kiến": "comment", "comment": "comment",
    "đề xuất sửa đổi": "proposal", "đề xuất": "proposal", "proposal": "proposal",
    "điểm đề xuất": "proposed_points", "proposed_points": "proposed_points",
    "ngày nhận": "received", "received": "received",
    "mã ý kiến": "id", "id": "id",
}
_XLSX_HEADER = {
    "cơ quan": "office", "office": "office", "phiên bản": "version", "version": "version",
    "ngày gửi": "date_sent", "date_sent": "date_sent", "ngày nhận": "received",
    "đồng ý toàn bộ": "agree_all", "agree_all": "agree_all", "hạn gửi": "deadline",
}


def xlsx_rows(path: Path) -> list[list[Any]]:
    """The cell values of a workbook's first sheet, row by row, cached by the file's SHA-256.

    openpyxl costs ~0.4 s to import here (it pulls in numpy when present), so a
    second read of an unchanged workbook comes from a small JSON file instead.
    """
    from .. import fileio
    from ..yamlio import cached

    data = fileio.read_bytes(path)
    return cached(data, lambda: _read_xlsx_rows(data, path), kind="xlsx-", version="1")


def _read_xlsx_rows(data: bytes, path: Path) -> list[list[Any]]:
    import io

    from openpyxl import load_workbook

    check_package(data, str(path), "tệp Excel")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a damaged workbook
        raise FileReadError(f"không mở được tệp Excel ({type(exc).__name__})", path=str(path),
                            fix="mở bằng Excel và lưu lại dạng .xlsx (Excel Workbook)") from None
    rows = []
    try:
        for values in bounded_rows(workbook.active.iter_rows(values_only=True), str(path)):
            rows.append([v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v for v in values])
    except CchcError:
        raise
    except Exception as exc:  # openpyxl reads rows lazily: a damaged sheet fails here, not on opening
        raise FileReadError(f"tệp Excel bị hỏng, không đọc được các hàng ({type(exc).__name__})", path=str(path),
                            fix="mở bằng Excel và lưu lại dạng .xlsx (Excel Workbook)") from None
    finally:
        workbook.close()
    return rows


def _xlsx_file(builder: _FileBuilder, path: Path) -> CommentFile:
    try:
        rows = xlsx_rows(path)
    except CchcError as exc:
        if isinstance(exc, FileReadError) and exc.path == str(path):
            exc.path = builder.path
        return builder.unreadable(exc)
    header: dict[str, Any] = {}
    columns: dict[int, str] = {}
    header_row = 0
    for number, values in enumerate(rows, start=1):
        cells = list(values)
        if not columns:
            first = _text(cells[0] if cells else "").lower().rstrip(":")
            if first in ("mã tiêu chí", "criterion"):
                for col, value in enumerate(cells):
                    key = _XLSX_COLUMNS.get(_text(value).lower().rstrip(":"))
                    if key:
                        columns[col] = key
                header_row = number
                builder.header(header, 1)
                continue
            label = next((v for k, v in _XLSX_HEADER.items() if first.startswith(k)), None)
            if label and len(cells) > 1:
                header[label] = cells[1]
                header[f"{label}__line"] = number
            continue
        raw = {key: cells[col] for col, key in columns.items() if col < len(cells)}
        if not any(_text(v) for v in raw.values()):
            continue
        comment = builder.row(raw, number)
        if comment is not None:
            builder.file.comments.append(comment)
    if not header_row:
        builder.header(header, 1)
        builder.error(1, "không tìm thấy dòng tiêu đề bảng (ô đầu ghi 'Mã tiêu chí')",
                      "dùng tệp mẫu: cchc comments template MÃ_CƠ_QUAN --to xlsx")
    return builder.file


def read_comment_file(path: str | Path, rubric: Rubric, offices: list[Office], round_: Round,
                      shown_as: str | None = None) -> CommentFile:
    """One comment file, every problem recorded in it rather than raised (ids are given by `read_comments`)."""
    path = Path(path)
    shown = shown_as or str(path)
    if path.suffix.lower() == ".xlsx":
        return _xlsx_file(_FileBuilder(shown, rubric, offices, round_, "hàng"), path)
    return _yaml_file(_FileBuilder(shown, rubric, offices, round_), path)


def number_comments(files: list[CommentFile]) -> list[Comment]:
    """Give every comment a stable id OFFICE-n, in the order of each office's files (date, then name).

    An `id:` written in the file wins, so a clerk can pin an id; a duplicate id
    is an error and the later comment gets a fresh number.
    """
    ordered = sorted(files, key=lambda f: (f.office or "~", f.reply_date or dt.date.max, f.path))
    counters: dict[str, int] = {}
    taken: set[str] = set()
    out: list[Comment] = []
    for f in ordered:
        prefix = f.office or "KHONGRO"
        for c in f.comments:
            if c.explicit_id and c.explicit_id not in taken:
                c.id = c.explicit_id
            else:
                if c.explicit_id:
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
    "read_comment_file", "read_comments", "office_from_filename", "comment_files", "format_date_short",
    "sorted_by_criterion", "criteria_order",
]
