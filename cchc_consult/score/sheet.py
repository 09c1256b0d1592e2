"""Score sheets: an office's self-assessment (tự chấm) or Nội vụ's appraisal (thẩm định), read and checked.

A sheet is YAML (`cchc-score/1`, see docs/scoring.md). Reading it is structural
only (`sheet_from_data`); turning an entry into points needs the rubric
(`entry_points`), and every problem becomes a `ValidationError` naming the
file and line, in Vietnamese.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import CchcError, PointsError, ValidationError, damage_reason
from ..fileio import read_bytes
from ..model import ZERO, Node, parse_points
from ..schema import FieldReader, line_of
from ..vn import format_points, nfc
from ..yamlio import LINE_KEY, paused_gc
from ..zipguard import bounded_rows, check_package

FORMAT_TAG = "cchc-score/1"
KINDS = ("self", "appraisal")
KIND_LABELS = {"self": "tự chấm", "appraisal": "thẩm định"}

#: Keys that say how a leaf was scored; besides these an entry has id, evidence, note, reason.
SCORING_KEYS = ("band", "value", "days_late", "count", "failed", "checked", "points", "khong_phat_sinh")
ENTRY_KEYS = frozenset(("id", *SCORING_KEYS, "evidence", "note", "reason", LINE_KEY))
HEADER_KEYS = frozenset(("format", "office", "rubric", "kind", "date", "assessor", "note", "scores", LINE_KEY))


@dataclass(slots=True)
class Entry:
    """What a sheet says about one leaf: the raw answer, still unchecked against the rubric."""

    id: str
    line: int
    band: Any = None
    value: Any = None
    days_late: Any = None
    count: Any = None
    failed: Any = None
    checked: Any = None
    points: Any = None
    not_arising: bool = False
    evidence: list[str] = field(default_factory=list)
    note: str = ""
    reason: str = ""

    def answer_keys(self) -> list[str]:
        """The scoring keys this entry used, in the documented order."""
        out = [k for k in SCORING_KEYS[:-1] if getattr(self, k) is not None]
        return out + (["khong_phat_sinh"] if self.not_arising else [])


@dataclass(slots=True)
class Sheet:
    """One office's sheet for one rubric version: its header and its entries by leaf id."""

    office: str
    rubric: str
    kind: str
    date: str
    source: str
    entries: dict[str, Entry]
    assessor: str = ""
    line: int = 1
    #: Problems found while reading (structure only); the rubric adds more in `check_sheet`.
    problems: list[ValidationError] = field(default_factory=list)


def _text(value: Any) -> str:
    """Text in NFC; ASCII (most ids and many notes) is already NFC and skips the normalizer."""
    if value is None:
        return ""
    text = value if value.__class__ is str else str(value)
    return text if text.isascii() else nfc(text)


def sheet_from_data(data: Any, source: str = "") -> Sheet:
    """A Sheet from loaded YAML data; structural problems are collected in `sheet.problems`, not raised."""
    problems: list[ValidationError] = []
    reader = FieldReader(source)

    def fail(message: str, line: int, fix: str = "") -> None:
        problems.append(reader.fail(message, fix=fix, line=line))

    if not isinstance(data, dict):
        sheet = Sheet("", "", "", "", source, {})
        fail("tệp không phải phiếu chấm điểm (thiếu 'office', 'kind', 'scores')", 1,
             "xem mẫu: cchc score template MÃ_CƠ_QUAN")
        sheet.problems = problems
        return sheet
    top = line_of(data, 1)
    fmt = data.get("format")
    if fmt not in (None, FORMAT_TAG):
        fail(f"định dạng '{fmt}' không phải phiếu chấm điểm (cần '{FORMAT_TAG}')", top)
    for key in data:
        if key not in HEADER_KEYS:
            fail(f"trường '{key}' không có trong phiếu chấm điểm", top,
                 "các trường đầu phiếu: office, rubric, kind, date, assessor, note, scores")
    office = nfc(str(data.get("office") or ""))
    if not office:
        fail("thiếu mã cơ quan 'office'", top, "thêm dòng 'office: TP' (mã trong danh sách cơ quan)")
    kind = str(data.get("kind") or "self")
    if kind not in KINDS:
        fail(f"'kind: {kind}' không hợp lệ; dùng 'self' (tự chấm) hoặc 'appraisal' (thẩm định)", top)
    sheet = Sheet(office=office, rubric=str(data.get("rubric") or ""), kind=kind,
                  date=str(data.get("date") or ""), source=source, entries={},
                  assessor=nfc(str(data.get("assessor") or "")), line=top)
    if not sheet.rubric:
        fail("thiếu phiên bản bộ tiêu chí 'rubric'", top, "thêm dòng 'rubric: v1'")
    scores = data.get("scores")
    if scores is None:
        scores = []
        if kind == "self":
            fail("thiếu danh sách 'scores'", top, "tạo phiếu mẫu: cchc score template " + (office or "MÃ"))
    if not isinstance(scores, list):
        fail("'scores' phải là danh sách, mỗi tiêu chí một mục bắt đầu bằng '- id:'", top)
        scores = []
    entries = sheet.entries
    get = dict.get
    for item in scores:
        if item.__class__ is not dict:
            fail(f"mục {item!r} trong 'scores' phải có dạng '- id: \"I.1.1\"' và cách chấm", top)
            continue
        line = get(item, LINE_KEY, top)
        node_id = _text(get(item, "id"))
        if not node_id:
            fail("mục chấm điểm thiếu 'id' (mã tiêu chí)", line, "thêm 'id: \"I.1.1\"'")
            continue
        if node_id in entries:
            fail(f"tiêu chí {node_id} được chấm hai lần (đã có ở dòng {entries[node_id].line})", line,
                 "xóa một trong hai mục")
            continue
        if not item.keys() <= ENTRY_KEYS:  # a subset test builds no set for the usual, clean entry
            unknown = item.keys() - ENTRY_KEYS
            fail(f"{node_id}: trường '{sorted(unknown)[0]}' không có trong phiếu chấm điểm", line,
                 "dùng một trong: " + ", ".join(SCORING_KEYS) + ", evidence, note, reason")
        evidence = get(item, "evidence") or []
        if evidence.__class__ is str:
            evidence = [evidence]
        not_arising = get(item, "khong_phat_sinh")
        if not_arising not in (None, True, False):
            fail(f"{node_id}: 'khong_phat_sinh' phải là true hoặc false", line)
        entries[node_id] = Entry(
            node_id, line, get(item, "band"), get(item, "value"), get(item, "days_late"), get(item, "count"),
            get(item, "failed"), get(item, "checked"), get(item, "points"), not_arising is True,
            [_text(e) for e in evidence if e is not None] if evidence.__class__ is list else [],
            _text(get(item, "note")), _text(get(item, "reason")).strip())
    sheet.problems = problems
    return sheet


def read_sheet(path: str | os.PathLike) -> Sheet:
    """A sheet from its YAML file (fast loader, cached by content hash) or a filled Excel template.

    A file that is not YAML at all raises; anything else wrong is collected in `problems`.
    """
    if str(path).lower().endswith(".xlsx"):
        return sheet_from_xlsx(path)
    from ..yamlio import read_yaml

    return sheet_from_data(read_yaml(path), str(path))


# --------------------------------------------------------------------------- a folder of sheets

SETTINGS_NAME = "settings.yaml"


def sheet_files(scores_dir: str | os.PathLike) -> list[Path]:
    """Every sheet under scores/ (any depth), settings.yaml excepted, in a stable order."""
    root = Path(scores_dir)
    if not root.is_dir():
        return []
    found = [p for pattern in ("*.yaml", "*.xlsx") for p in root.rglob(pattern)]
    return sorted(p for p in found if p.name != SETTINGS_NAME and not p.name.startswith((".", "~$")))


def load_sheets(paths_or_dir: str | os.PathLike | list) -> list[Sheet]:
    """Sheets from a folder (recursively) or a list of files, with the collector paused.

    A file that is not readable YAML becomes a sheet whose `problems` say so, so
    one broken file never hides the others.
    """
    paths = sheet_files(paths_or_dir) if not isinstance(paths_or_dir, list) else [Path(p) for p in paths_or_dir]
    sheets: list[Sheet] = []
    with paused_gc():
        for path in paths:
            try:
                sheets.append(read_sheet(path))
            except CchcError as exc:
                broken = Sheet(office=path.stem.split(".")[0], rubric="", kind="self", date="", source=str(path),
                               entries={})
                broken.problems.append(exc)  # type: ignore[arg-type]
                sheets.append(broken)
    return sheets


def sheets_version(sheets: list[Sheet]) -> str | None:
    """The rubric version the sheets were written against, when they agree on one."""
    versions = {s.rubric for s in sheets if s.rubric}
    return versions.pop() if len(versions) == 1 else None


# --------------------------------------------------------------------------- the Excel form

#: Columns of the Excel sheet, in order: (key read back, header shown, width).
XLSX_COLUMNS = (
    ("id", "Mã", 10), ("title", "Tiêu chí", 45), ("max", "Điểm tối đa", 9), ("bands", "Các mức điểm", 55),
    ("band", "Mức chọn (số thứ tự)", 10), ("value", "Tỷ lệ (%)", 9), ("days_late", "Số ngày chậm", 9),
    ("count", "Số lượng", 9), ("items", "Nội dung không đạt (trừ điểm) / đạt (cộng điểm), ví dụ 1, 3", 18),
    ("khong_phat_sinh", "Không phát sinh (x)", 10), ("evidence", "Tài liệu kiểm chứng (mỗi dòng một tài liệu)", 30),
    ("note", "Ghi chú", 20), ("reason", "Lý do điều chỉnh (thẩm định)", 25), ("scoring", "cách chấm", 8),
)
XLSX_FIRST_ROW = 3
INFO_SHEET = "Thông tin"


def sheet_from_xlsx(path) -> Sheet:
    """A Sheet from a filled Excel template; a problem's line is the Excel row."""
    import io

    from openpyxl import load_workbook

    source = str(path)
    try:
        data = read_bytes(path)
        check_package(data, source, "tệp Excel")
        wb = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except CchcError as exc:
        sheet = Sheet("", "", "", "", source, {})
        sheet.problems.append(exc)
        return sheet
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        sheet = Sheet("", "", "", "", source, {})
        sheet.problems.append(ValidationError(f"không mở được tệp Excel: {damage_reason(exc)}", path=source,
                                              fix="lưu lại tệp bằng Excel (.xlsx)"))
        return sheet
    header: dict = {"__line__": 1}
    if INFO_SHEET in wb.sheetnames:
        for key, value, *_ in bounded_rows(wb[INFO_SHEET].iter_rows(values_only=True), source):
            if key:
                header[str(key)] = "" if value is None else str(value)
    sheet = sheet_from_data({**header, "scores": []}, source)
    keys = [key for key, _, _ in XLSX_COLUMNS]
    rows = bounded_rows(wb.worksheets[0].iter_rows(min_row=XLSX_FIRST_ROW, values_only=True), source)
    for number, row in enumerate(rows, XLSX_FIRST_ROW):
        cells = dict(zip(keys, row))
        node_id = str(cells.get("id") or "").strip()
        if not node_id:
            continue
        entry = Entry(id=node_id, line=number)
        for key in ("band", "value", "days_late", "count"):
            value = cells.get(key)
            if value is not None and value != "":
                setattr(entry, key, int(value) if isinstance(value, float) and value.is_integer() else value)
        items = cells.get("items")
        if items is not None and str(items).strip() != "":
            text = str(items).strip().lower()
            # "0", "không", "-": no item failed (deduction) or none done (checklist)
            numbers = [] if text in ("0", "không", "khong", "-") else [
                int(float(part)) if part.strip().replace(".0", "").isdigit() else part.strip()
                for part in str(items).replace(";", ",").split(",") if part.strip()]
            setattr(entry, "checked" if cells.get("scoring") == "checklist" else "failed", numbers)
        entry.not_arising = str(cells.get("khong_phat_sinh") or "").strip().lower() in ("x", "có", "1", "true")
        entry.evidence = [line.strip() for line in str(cells.get("evidence") or "").splitlines() if line.strip()]
        entry.note = str(cells.get("note") or "").strip()
        entry.reason = str(cells.get("reason") or "").strip()
        if node_id in sheet.entries:
            sheet.problems.append(ValidationError(f"tiêu chí {node_id} được chấm hai lần", path=source,
                                                  line=number, fix="xóa một trong hai dòng"))
            continue
        if sheet.kind == "appraisal" and not entry.answer_keys():
            continue  # an untouched row of an appraisal sheet changes nothing
        sheet.entries[node_id] = entry
    return sheet


# --------------------------------------------------------------------------- entry → points

class _Refuse(Exception):
    """An entry that cannot be scored: the message and fix, the line added by the caller."""

    def __init__(self, message: str, fix: str = ""):
        super().__init__(message)
        self.message, self.fix = message, fix


def _number(value: Any, key: str) -> Decimal:
    try:
        return parse_points(value)
    except PointsError:
        raise _Refuse(f"'{key}: {value}' không phải một số", "viết số như 3 hoặc 92,5") from None


def _whole(value: Any, key: str) -> Decimal:
    number = _number(value, key)
    if number < 0 or number != number.to_integral():
        raise _Refuse(f"'{key}: {value}' phải là số nguyên không âm")
    return number


def _percent(value: Any) -> Decimal:
    text = str(value).strip()
    if isinstance(value, str) and text.endswith("%"):
        text = text[:-1].strip()
    number = _number(text if isinstance(value, str) else value, "value")
    if not ZERO <= number <= 100:
        raise _Refuse(f"tỷ lệ {format_points(number)}% nằm ngoài 0–100%", "ghi tỷ lệ từ 0 đến 100, ví dụ \"92%\"")
    return number


def _yes_no(value: Any) -> Decimal:
    text = nfc(str(value)).strip().lower()
    if value is True or text in ("có", "co", "yes", "1"):
        return Decimal(1)
    if value is False or text in ("không", "khong", "no", "0"):
        return ZERO
    raise _Refuse(f"'value: {value}' phải là 'có' hoặc 'không'")


def _looks_yes_no(value: Any) -> bool:
    return isinstance(value, bool) or nfc(str(value)).strip().lower() in ("có", "co", "không", "khong", "yes", "no")


def _band_list(node: Node) -> str:
    return "; ".join(f"mức {i} = {format_points(b.points)} điểm" for i, b in enumerate(node.bands, 1))


def _indexes(value: Any, key: str, count: int, what: str) -> list[int]:
    if not isinstance(value, list):
        raise _Refuse(f"'{key}' phải là danh sách số thứ tự {what}, ví dụ [1, 3]")
    out: list[int] = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int) or not 1 <= item <= count:
            raise _Refuse(f"'{key}': {what} số {item!r} không tồn tại (chỉ có {count})",
                          f"ghi số thứ tự từ 1 đến {count}")
        if item in out:
            raise _Refuse(f"'{key}': {what} số {item} ghi hai lần")
        out.append(item)
    return out


def _measured(node: Node, entry: Entry) -> tuple[str, Decimal] | None:
    """(measure, value) from value/days_late/count, checked against what the bands measure."""
    measures = {b.condition.measure for b in node.bands if b.condition is not None}
    given = [k for k in ("value", "days_late", "count") if getattr(entry, k) is not None]
    if not given:
        return None
    if len(given) > 1:
        raise _Refuse(f"ghi cả {' và '.join(given)}; chỉ ghi một giá trị đo")
    key = given[0]
    if key == "days_late":
        measure, number = "days_late", _whole(entry.days_late, key)
    elif key == "count":
        measure, number = "count", _whole(entry.count, key)
    elif "percent" in measures:
        measure, number = "percent", _percent(entry.value)
    elif "yes_no" in measures or _looks_yes_no(entry.value):
        measure, number = "yes_no", _yes_no(entry.value)
    else:
        measure, number = "percent", _percent(entry.value)
    has_per_unit = any(b.per_unit is not None for b in node.bands)
    if measure not in measures and not (measure == "count" and has_per_unit):
        if not measures:
            raise _Refuse(f"tiêu chí này không có mức nào chấm theo giá trị đo ('{key}')",
                          f"chọn mức bằng 'band: N' ({_band_list(node)})")
        names = {"percent": "value: \"92%\"", "days_late": "days_late: N", "count": "count: N",
                 "yes_no": "value: có/không"}
        raise _Refuse(f"tiêu chí này không đo bằng '{key}'",
                      "dùng " + " hoặc ".join(names[m] for m in sorted(measures)))
    return measure, number


def entry_points(node: Node, entry: Entry) -> Decimal | None:
    """The points one entry earns on its leaf, within [0, max]; None when the task did not arise.

    Raises ValidationError (file/line set by `check_entries`) when the entry cannot be scored.
    """
    maximum = node.max if node.max is not None else ZERO
    keys = entry.answer_keys()
    if not keys:
        raise _Refuse("chưa ghi cách chấm", "ghi một trong: band, value, days_late, count, failed, checked, "
                                            "points hoặc khong_phat_sinh: true")
    if entry.not_arising:
        if len(keys) > 1:
            raise _Refuse("đã ghi 'khong_phat_sinh: true' thì không ghi thêm điểm hay mức")
        return None
    if entry.points is not None and set(keys) == {"band", "points"} and _range_band(node, entry.band):
        band = node.bands[entry.band - 1]  # a choice band "0,5-1": the appraiser's points within it
        points = _number(entry.points, "points")
        if not band.min_points <= points <= band.points:
            raise _Refuse(f"mức {entry.band} cho từ {format_points(band.min_points)} đến "
                          f"{format_points(band.points)} điểm, không nhận {format_points(points)}",
                          f"ghi 'points' từ {format_points(band.min_points)} đến {format_points(band.points)}")
        return min(points, maximum)
    if entry.points is not None:
        if len(keys) > 1:
            raise _Refuse("đã ghi 'points' thì không ghi thêm mức hay giá trị")
        points = _number(entry.points, "points")
        if points > maximum or points < 0:
            raise _Refuse(f"số điểm {format_points(points)} vượt điểm chuẩn {format_points(maximum)}"
                          if points > 0 else f"số điểm {format_points(points)} âm",
                          f"ghi từ 0 đến {format_points(maximum)}")
        return points
    if entry.failed is not None:
        if node.scoring != "deduction":
            raise _Refuse("'failed' chỉ dùng cho tiêu chí chấm theo cách trừ điểm từng nội dung")
        if len(keys) > 1:
            raise _Refuse("đã ghi 'failed' thì không ghi thêm mức hay giá trị")
        # Without a list of items, as many items as the deduction can take away.
        count = len(node.items) or (int(maximum / node.per_item) if node.per_item else 0)
        failed = _indexes(entry.failed, "failed", count, "nội dung")
        return max(ZERO, maximum - (node.per_item or ZERO) * len(failed))
    if entry.checked is not None:
        if node.scoring != "checklist":
            raise _Refuse("'checked' chỉ dùng cho tiêu chí cộng điểm từng nội dung (checklist)")
        if len(keys) > 1:
            raise _Refuse("đã ghi 'checked' thì không ghi thêm mức hay giá trị")
        checked = _indexes(entry.checked, "checked", len(node.bands), "nội dung")
        return min(maximum, sum((node.bands[i - 1].points for i in checked), ZERO))
    if node.scoring == "checklist":
        raise _Refuse("tiêu chí này cộng điểm từng nội dung", "ghi 'checked: [1, 2]' (các nội dung đạt)")
    measured = _measured(node, entry)
    band_index = entry.band
    if band_index is not None:
        if isinstance(band_index, bool) or not isinstance(band_index, int) or not 1 <= band_index <= len(node.bands):
            raise _Refuse(f"mức {band_index!r} không tồn tại (tiêu chí có {len(node.bands)} mức)",
                          _band_list(node) or "tiêu chí này chưa có mức điểm")
        band = node.bands[band_index - 1]
        if measured is not None and band.per_unit is None:
            measure, number = measured
            cond = band.condition
            if cond is not None and cond.measure == measure and not cond.contains(number):
                raise _Refuse(f"giá trị {format_points(number)} không thuộc mức {band_index} ({cond.describe()})",
                              "sửa giá trị hoặc chọn đúng mức")
    elif measured is not None:
        measure, number = measured
        if measure == "count" and not any(b.condition and b.condition.measure == "count" for b in node.bands):
            per_unit = [i for i, b in enumerate(node.bands, 1) if b.per_unit is not None]
            if len(per_unit) != 1:
                raise _Refuse("tiêu chí có nhiều mức tính theo đơn vị; chọn mức",
                              f"ghi thêm 'band: N' ({_band_list(node)})")
            band_index = per_unit[0]
        else:
            matching = [i for i, b in enumerate(node.bands, 1)
                        if b.condition is not None and b.condition.measure == measure and b.condition.contains(number)]
            if not matching:
                raise _Refuse(f"không mức điểm nào ứng với giá trị {format_points(number)}"
                              f"{'%' if measure == 'percent' else ''}",
                              f"chọn mức bằng 'band: N' ({_band_list(node)})")
            if len({node.bands[i - 1].points for i in matching}) > 1:
                options = ", ".join(f"mức {i} ({format_points(node.bands[i - 1].points)} điểm)" for i in matching)
                raise _Refuse(f"giá trị {format_points(number)} khớp nhiều mức: {options}",
                              "ghi thêm 'band: N' để chọn mức đúng")
            band_index = matching[0]
    else:
        raise _Refuse("chưa chọn mức", f"ghi 'band: N' ({_band_list(node)})")
    band = node.bands[band_index - 1]
    points = band.points
    if band.min_points is not None:
        raise _Refuse(f"mức {band_index} là khoảng điểm từ {format_points(band.min_points)} đến "
                      f"{format_points(band.points)}", "ghi thêm 'points: …' trong khoảng đó")
    if band.per_unit is not None:
        if entry.count is None:
            raise _Refuse(f"mức {band_index} tính theo số {band.per_unit.unit or 'đơn vị'}",
                          f"ghi thêm 'count: N' (01 {band.per_unit.unit} = {format_points(band.per_unit.points)} điểm)")
        points = min(points, _whole(entry.count, "count") * band.per_unit.points)
    return max(ZERO, min(points, maximum))


def _range_band(node: Node, index: object) -> bool:
    """Whether `index` names a choice band of the node whose points the appraiser picks in a range."""
    return (isinstance(index, int) and not isinstance(index, bool) and 1 <= index <= len(node.bands)
            and node.bands[index - 1].min_points is not None)


def _answer_key(entry: Entry) -> tuple:
    """An entry's answer as a tuple, so equal answers on one leaf are scored once.

    Unhashable when the sheet wrote a mapping where a value belongs: the caller's
    memo lookup raises TypeError then, and that answer is scored without the memo.
    """
    # Types are part of the key: `band: true` must not borrow the result of `band: 1` (True == 1).
    failed, checked = entry.failed, entry.checked
    return (entry.id, entry.band.__class__, entry.band, entry.value.__class__, entry.value,
            entry.days_late.__class__, entry.days_late, entry.count.__class__, entry.count,
            tuple(failed) if failed.__class__ is list else failed,
            tuple(checked) if checked.__class__ is list else checked,
            entry.points.__class__, entry.points, entry.not_arising)


def check_entries(node_index: dict[str, Node], sheet: Sheet, *, require_all: bool,
                  memo: dict | None = None) -> tuple[dict[str, Decimal | None], list[ValidationError]]:
    """Points per leaf id for a sheet, and every problem (unknown criterion, bad band, missing leaf…).

    `memo` (one dict per rubric, shared across sheets) remembers the points of an answer already
    seen on the same leaf: a round of a thousand sheets repeats "band: 1" tens of thousands of times.
    """
    problems = list(sheet.problems)
    points: dict[str, Decimal | None] = {}
    memo = {} if memo is None else memo
    appraisal = sheet.kind == "appraisal"
    for entry in sheet.entries.values():
        node = node_index.get(entry.id)
        if node is None:
            problems.append(ValidationError(f"tiêu chí '{entry.id}' không có trong bộ tiêu chí {sheet.rubric}",
                                            path=sheet.source, line=entry.line,
                                            fix="kiểm tra mã tiêu chí (ví dụ II.6.3) hoặc xóa mục này"))
            continue
        if node.children:
            problems.append(ValidationError(
                f"{entry.id} là tiêu chí có tiêu chí con; chỉ chấm các tiêu chí lá", path=sheet.source,
                line=entry.line, fix="chấm từng tiêu chí con: " + ", ".join(c.id for c in node.children)))
            continue
        if appraisal and not entry.reason:
            problems.append(ValidationError(f"{entry.id}: thẩm định điều chỉnh điểm mà không ghi lý do",
                                            path=sheet.source, line=entry.line,
                                            fix="thêm 'reason: \"…\"' nêu lý do điều chỉnh"))
        key = _answer_key(entry)
        try:
            result = memo.get(key, memo)
        except TypeError:  # an unhashable answer: scored, not remembered
            key, result = None, memo
        if result is memo:  # not seen yet
            try:
                result = entry_points(node, entry)
            except _Refuse as exc:
                result = exc
            if key is not None:
                memo[key] = result
        if isinstance(result, _Refuse):
            problems.append(ValidationError(f"{entry.id}: {result.message}", path=sheet.source, line=entry.line,
                                            fix=result.fix))
        else:
            points[entry.id] = result
    if require_all:
        missing = [i for i, n in node_index.items() if not n.children and i not in sheet.entries]
        if missing:
            problems.append(ValidationError(
                f"thiếu {len(missing)} tiêu chí chưa chấm: {', '.join(missing)}", path=sheet.source,
                line=sheet.line, fix="thêm một mục cho mỗi tiêu chí (ghi 'khong_phat_sinh: true' nếu không phát sinh)"))
    return points, problems
