"""Consistency findings: what a careful reader of a draft rubric would point out.

`check(rubric)` is a pure function over the model. Each `Finding` names the
node, says in Vietnamese what was expected and what was found, and — where the
arithmetic can tell — how to fix it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass
from decimal import Decimal

from .model import INF, ZERO, Condition, Node, Rubric, format_points

ERROR, WARNING = "error", "warning"

#: Every code `check` can emit, with its severity and a one-line meaning (shown by `cchc check --codes`).
CODES: dict[str, tuple[str, str]] = {
    "sum-mismatch": (ERROR, "điểm chuẩn của mục cha khác tổng các mục con (hoặc tổng cộng khác tổng các phần)"),
    "band-max-mismatch": (ERROR, "mức điểm cao nhất của tiêu chí khác điểm chuẩn"),
    "band-above-max": (ERROR, "một mức điểm vượt điểm chuẩn của tiêu chí"),
    "coverage-gap": (ERROR, "có giá trị đo được mà không mức điểm nào bao phủ"),
    "coverage-overlap": (ERROR, "một giá trị thuộc hai mức điểm khác nhau"),
    "duplicate-condition": (ERROR, "hai mức cùng điều kiện nhưng khác điểm"),
    "deduction-mismatch": (ERROR, "số điểm trừ theo từng nội dung không khớp điểm chuẩn"),
    "checklist-mismatch": (ERROR, "tổng điểm các nội dung kiểm tra khác điểm chuẩn"),
    "duplicate-id": (ERROR, "hai tiêu chí trùng mã"),
    "missing-max": (ERROR, "tiêu chí không có điểm chuẩn"),
    "missing-bands": (ERROR, "tiêu chí lá không có mức điểm nào để chấm"),
    "per-unit-mismatch": (WARNING, "quy tắc tính theo đơn vị (01 … = 0x điểm) mâu thuẫn với điểm của mức"),
    "ambiguous-deduction": (WARNING, "mức điểm vừa chọn theo mức vừa trừ theo từng nội dung"),
    "number-in-text": (WARNING, "ô chữ (nội dung, tài liệu kiểm chứng) chỉ chứa một con số"),
    "same-title": (WARNING, "tiêu chí con trùng tên với tiêu chí cha"),
    "date-year": (WARNING, "ngày tháng thuộc năm khác với năm của bộ tiêu chí"),
    "missing-evidence": (WARNING, "tiêu chí lá không có tài liệu kiểm chứng"),
    "band-order": (WARNING, "các mức điểm không xếp từ cao xuống thấp"),
    "near-duplicate-band": (WARNING, "hai mức điểm có lời gần như giống hệt nhau nhưng khác điểm"),
    "negative-points": (ERROR, "một mức điểm hoặc điểm chuẩn là số âm"),
}


@dataclass(slots=True)
class Finding:
    """One defect: its code and severity, the node, and what was expected against what was found."""

    code: str
    node: str
    message: str
    expected: str = ""
    actual: str = ""
    fix: str = ""
    severity: str = ""

    def __post_init__(self) -> None:
        if not self.severity:
            self.severity = CODES[self.code][0]

    def as_dict(self) -> dict:
        return asdict(self)


def _p(value: Decimal | None) -> str:
    return format_points(value) if value is not None else "—"


# --------------------------------------------------------------------------- sums

def _recomputed(node: Node, out: dict[str, Decimal]) -> Decimal:
    """Each parent's maximum recomputed bottom-up from its leaves."""
    if node.is_leaf:
        value = node.max or ZERO
    else:
        value = sum((_recomputed(c, out) for c in node.children), ZERO)
    out[node.id] = value
    return value


def _check_sums(rubric: Rubric, findings: list[Finding]) -> None:
    recomputed: dict[str, Decimal] = {}
    recomputed_total = sum((_recomputed(s, recomputed) for s in rubric.sections), ZERO)
    for node in rubric.walk():
        if node.is_leaf or node.max is None:
            continue
        expected = node.children_sum()
        if expected != node.max:
            parts = " + ".join(_p(c.max) for c in node.children)
            fix = f"tính lại từ các tiêu chí lá: {node.id} = {_p(recomputed[node.id])}"
            if recomputed[node.id] != expected:
                fix += " (sau khi sửa cả các mục con sai tổng)"
            fix += f"; khi đó tổng cộng = {_p(recomputed_total)}"
            findings.append(Finding(
                "sum-mismatch", node.id,
                f"{node.id} ghi {_p(node.max)} điểm nhưng các tiêu chí con cộng lại {parts} = {_p(expected)}",
                expected=_p(expected), actual=_p(node.max), fix=fix))
    if rubric.declared_total is not None:
        computed = rubric.computed_total()
        if computed != rubric.declared_total:
            parts = " + ".join(_p(s.max) for s in rubric.sections)
            fix = (f"tính lại từ các tiêu chí lá thì tổng cộng = {_p(recomputed_total)}"
                   + (" — đúng bằng số đã ghi, chỉ cần sửa điểm các mục" if recomputed_total == rubric.declared_total
                      else f"; hoặc ghi tổng cộng = {_p(computed)}"))
            findings.append(Finding(
                "sum-mismatch", "total",
                f"tổng cộng ghi {_p(rubric.declared_total)} điểm nhưng các phần cộng lại {parts} = {_p(computed)}",
                expected=_p(computed), actual=_p(rubric.declared_total), fix=fix))


# --------------------------------------------------------------------------- bands

def _interval_text(cond: Condition) -> str:
    return cond.describe()


def _intersects(a: Condition, b: Condition) -> bool:
    if a.high < b.low or b.high < a.low:
        return False
    if a.high == b.low:
        return a.high_closed and b.low_closed
    if b.high == a.low:
        return b.high_closed and a.low_closed
    return True


def _domain(measure: str) -> tuple[Decimal, Decimal, bool]:
    """(low, high, integer-valued) of what a measure can take."""
    if measure == "percent":
        return ZERO, Decimal(100), False
    if measure == "yes_no":
        return ZERO, Decimal(1), True
    return ZERO, INF, True  # days late, counts: whole numbers from 0


def _gaps(conds: list[Condition]) -> list[str]:
    """Human-readable pieces of the domain that no condition covers."""
    measure = conds[0].measure
    low, high, integer = _domain(measure)
    unit = "%" if measure == "percent" else (" ngày" if measure == "days_late" else "")
    if integer:
        return _integer_gaps(conds, low, high, unit)
    # Real-valued (percent): sweep the sorted intervals.
    pieces = sorted(conds, key=lambda c: (c.low, not c.low_closed))
    out = []
    cursor, cursor_closed = low, True  # the next value that must be covered; closed = cursor itself included
    for c in pieces:
        if c.high < cursor or (c.high == cursor and not (c.high_closed and cursor_closed)):
            if c.high < cursor or not c.high_closed:
                continue
        starts_after = c.low > cursor or (c.low == cursor and cursor_closed and not c.low_closed)
        if starts_after:
            left = "[" if cursor_closed else "("
            right = ")" if c.low_closed else "]"
            out.append(_gap_text(cursor, c.low, left, right, unit))
        if c.high > cursor or (c.high == cursor and c.high_closed):
            cursor, cursor_closed = c.high, not c.high_closed
    if cursor < high or (cursor == high and cursor_closed):
        out.append(_gap_text(cursor, high, "[" if cursor_closed else "(", "]", unit))
    return out


def _integer_gaps(conds: list[Condition], low: Decimal, high: Decimal, unit: str) -> list[str]:
    """Uncovered whole values (days, counts) by sweeping each condition as a closed integer range."""
    ranges = []
    for c in conds:
        first = c.low if c.low_closed and c.low == c.low.to_integral() else c.low.to_integral(rounding="ROUND_FLOOR") + 1
        if c.high == INF:
            last = INF
        elif c.high_closed and c.high == c.high.to_integral():
            last = c.high
        else:
            last = c.high.to_integral(rounding="ROUND_CEILING") - 1
        if first <= last:
            ranges.append((first, last))
    ranges.sort()
    out: list[str] = []
    cursor = low  # the smallest value not yet known to be covered
    for first, last in ranges:
        if first > cursor:
            out.append(_integer_gap_text(cursor, first - 1, unit))
        if last >= cursor:
            cursor = last + 1 if last != INF else INF
    if cursor <= high and cursor != INF:
        out.append(_integer_gap_text(cursor, high, unit))
    return out


def _integer_gap_text(first: Decimal, last: Decimal, unit: str) -> str:
    if last == INF:
        return f"từ {_p(first)}{unit} trở lên"
    if first == last:
        return f"đúng {_p(first)}{unit}"
    return f"từ {_p(first)} đến {_p(last)}{unit}"


def _gap_text(a: Decimal, b: Decimal, left: str, right: str, unit: str) -> str:
    if a == b:
        return f"đúng {_p(a)}{unit}"
    lo = f"từ {_p(a)}{unit}" if left == "[" else f"trên {_p(a)}{unit}"
    hi = f"đến {_p(b)}{unit}" if right == "]" else f"đến dưới {_p(b)}{unit}"
    return f"{lo} {hi}"


def _check_coverage(node: Node, findings: list[Finding]) -> None:
    measured = [(i, b) for i, b in enumerate(node.bands) if b.condition is not None]
    if len(measured) < 2 or node.scoring != "choice":
        return
    measures = {b.condition.measure for _, b in measured}  # type: ignore[union-attr]
    if len(measures) != 1:
        return
    conds = [b.condition for _, b in measured]
    gaps = _gaps(conds)  # type: ignore[arg-type]
    if gaps:
        boundary_hint = ""
        for gap in gaps:
            if gap.startswith("đúng "):
                boundary_hint = f"; sửa một mức để bao gồm cả {gap[5:]} (ví dụ 'từ … trở lên' thay cho 'trên …')"
        findings.append(Finding(
            "coverage-gap", node.id,
            f"không có mức điểm nào cho {', '.join(gaps)}",
            expected="các mức phủ kín mọi giá trị", actual="bỏ trống: " + "; ".join(gaps),
            fix="thêm mức điểm cho khoảng bỏ trống" + boundary_hint))
    for a_pos, (ia, a) in enumerate(measured):
        for ib, b in measured[a_pos + 1:]:
            ca, cb = a.condition, b.condition
            if a.points == b.points or ca.also != cb.also:  # type: ignore[union-attr]
                continue
            if _intersects(ca, cb):  # type: ignore[arg-type]
                same = (ca.low, ca.high, ca.low_closed, ca.high_closed) == (cb.low, cb.high, cb.low_closed, cb.high_closed)  # type: ignore[union-attr]
                code = "duplicate-condition" if same else "coverage-overlap"
                findings.append(Finding(
                    code, node.id,
                    f"mức {ia + 1} ({_interval_text(ca)}, {_p(a.points)} điểm) và mức {ib + 1} "  # type: ignore[arg-type]
                    f"({_interval_text(cb)}, {_p(b.points)} điểm) cùng bao phủ một giá trị",  # type: ignore[arg-type]
                    expected="mỗi giá trị thuộc đúng một mức", actual=f"trùng giữa mức {ia + 1} và mức {ib + 1}",
                    fix="sửa cận của một trong hai mức (ví dụ 'từ … đến dưới …')"))


def _check_bands(node: Node, findings: list[Finding]) -> None:
    if node.max is None:
        return
    if not node.bands:
        if node.scoring == "deduction" and node.per_item:
            return
        findings.append(Finding("missing-bands", node.id, f"{node.id} là tiêu chí lá nhưng không có mức điểm nào",
                                fix="thêm các mức điểm (điều kiện và số điểm)"))
        return
    points = [b.points for b in node.bands]
    if node.scoring == "checklist":
        total = sum(points, ZERO)
        if total != node.max:
            findings.append(Finding("checklist-mismatch", node.id,
                                    f"các nội dung kiểm tra cộng lại {_p(total)} điểm, điểm chuẩn {_p(node.max)}",
                                    expected=_p(node.max), actual=_p(total)))
    else:
        top = max(points)
        if top != node.max:
            findings.append(Finding(
                "band-max-mismatch", node.id,
                f"mức cao nhất của {node.id} là {_p(top)} điểm nhưng điểm chuẩn là {_p(node.max)}",
                expected=_p(node.max), actual=_p(top),
                fix=f"đặt điểm chuẩn {node.id} = {_p(top)} hoặc nâng mức cao nhất lên {_p(node.max)}"))
    for i, band in enumerate(node.bands):
        if band.points > node.max and node.scoring != "checklist" and band.points != max(points):
            findings.append(Finding("band-above-max", node.id,
                                    f"mức {i + 1} cho {_p(band.points)} điểm, vượt điểm chuẩn {_p(node.max)}",
                                    expected=f"≤ {_p(node.max)}", actual=_p(band.points)))
    if node.scoring == "choice" and points != sorted(points, reverse=True):
        findings.append(Finding("band-order", node.id, "các mức điểm không xếp theo thứ tự từ cao xuống thấp",
                                expected=" > ".join(_p(p) for p in sorted(points, reverse=True)),
                                actual=" , ".join(_p(p) for p in points), fix="sắp xếp lại các mức"))
    if node.scoring == "deduction":
        _check_deduction(node, findings)
    elif node.scoring == "choice":
        with_deduction = [i + 1 for i, b in enumerate(node.bands) if b.deduction is not None]
        if with_deduction and len(node.bands) > 1:
            findings.append(Finding(
                "ambiguous-deduction", node.id,
                f"mức {', '.join(map(str, with_deduction))} vừa là một mức điểm cố định vừa ghi 'trừ "
                f"{_p(node.bands[with_deduction[0] - 1].deduction)} điểm' cho mỗi nội dung không đạt: không rõ chấm thế nào",
                expected="một cách chấm", actual="chọn mức và trừ điểm",
                fix="chọn một cách: hoặc các mức điểm, hoặc điểm chuẩn trừ dần theo từng nội dung"))
    for i, band in enumerate(node.bands):
        if band.per_unit is not None and band.per_unit.points:
            multiple = band.points / band.per_unit.points
            if multiple != multiple.to_integral() or band.points > node.max:
                findings.append(Finding(
                    "per-unit-mismatch", node.id,
                    f"mức {i + 1} ghi {_p(band.points)} điểm nhưng quy tắc '01 {band.per_unit.unit} = "
                    f"{_p(band.per_unit.points)} điểm' chỉ cho bội số của {_p(band.per_unit.points)}",
                    expected=f"bội số của {_p(band.per_unit.points)}", actual=_p(band.points),
                    fix="nói rõ điểm tối đa của mức, hoặc sửa số điểm mỗi đơn vị"))
    _check_coverage(node, findings)
    _check_near_duplicates(node, findings)


def _check_deduction(node: Node, findings: list[Finding]) -> None:
    per_item = node.per_item or ZERO
    if not node.items:
        findings.append(Finding("deduction-mismatch", node.id,
                                f"trừ {_p(per_item)} điểm mỗi nội dung không đạt nhưng không liệt kê các nội dung",
                                expected="danh sách nội dung", actual="không có",
                                fix="liệt kê các nội dung bị trừ điểm (items)"))
        return
    full = per_item * len(node.items)
    if full != node.max:
        findings.append(Finding(
            "deduction-mismatch", node.id,
            f"{len(node.items)} nội dung × {_p(per_item)} điểm = {_p(full)} nhưng điểm chuẩn là {_p(node.max)}",
            expected=_p(node.max), actual=_p(full),
            fix=f"mỗi nội dung trừ {_p((node.max or ZERO) / len(node.items))} điểm để khớp điểm chuẩn"))


def _words(text: str) -> list[str]:
    return text.lower().split()


def _check_near_duplicates(node: Node, findings: list[Finding]) -> None:
    """Two bands a word or two apart with different points: often a dropped "không" or "chưa"."""
    for i, a in enumerate(node.bands):
        for j in range(i + 1, len(node.bands)):
            b = node.bands[j]
            if a.points == b.points or a.condition is not None or b.condition is not None:
                continue  # measured bands differ by their numbers on purpose
            wa, wb = _words(a.text), _words(b.text)
            if len(wa) < 4 or abs(len(wa) - len(wb)) > 1 or len(set(wa) ^ set(wb)) > 6:
                continue  # cheap tests first: difflib only for wordings a word or two apart
            changed = [op for op in difflib.SequenceMatcher(None, wa, wb).get_opcodes() if op[0] != "equal"]
            negation = {"không", "chưa", "chậm"}
            touched = set(wa[changed[0][1]:changed[0][2]] + wb[changed[0][3]:changed[0][4]]) if changed else set()
            if (len(changed) == 1 and changed[0][0] == "replace" and not touched & negation
                    and not any(ch.isdigit() for w in touched for ch in w)):
                findings.append(Finding(
                    "near-duplicate-band", node.id,
                    f"mức {i + 1} và mức {j + 1} chỉ khác nhau ở '{' '.join(wa[changed[0][1]:changed[0][2]])}' / "
                    f"'{' '.join(wb[changed[0][3]:changed[0][4]])}' mà khác điểm ({_p(a.points)} / {_p(b.points)})",
                    expected="lời của các mức phân biệt rõ", actual=f"“{a.text}” / “{b.text}”",
                    fix="kiểm tra lỗi đánh máy (thiếu chữ 'không'?)"))


# --------------------------------------------------------------------------- text fields

_NUMBER_ONLY = re.compile(r"^\s*\d+(?:[.,]\d+)?\s*$")
_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\d/])")


def _check_texts(rubric: Rubric, node: Node, findings: list[Finding]) -> None:
    for field_name, lines in (("title", [node.title]), ("evidence", node.evidence)):
        for line in lines:
            if line.lstrip()[:1].isdigit() and _NUMBER_ONLY.match(line):
                findings.append(Finding(
                    "number-in-text", node.id,
                    f"ô {'tài liệu kiểm chứng' if field_name == 'evidence' else 'nội dung'} của {node.id} chỉ ghi "
                    f"con số '{line.strip()}' — có thể là điểm gõ nhầm cột",
                    expected="lời văn", actual=line.strip(), fix="chuyển con số sang đúng cột hoặc xóa"))
    if rubric.meta.year:
        texts = [node.title, *node.evidence, *(e for b in node.bands for e in b.evidence), *(b.text for b in node.bands)]
        for text in texts:
            if "/" not in text:
                continue  # most lines hold no date; skip the regex
            for m in _DATE.finditer(text):
                year = int(m.group(3))
                before = text[: m.start()].rstrip().lower()
                if year == rubric.meta.year or before.endswith("ngày") or f"năm {year}" in text.lower():
                    # "Công văn 706/UBND ngày 01/4/2022" cites a document; "báo cáo năm 2022 trước
                    # 07/12/2022" is about that year on purpose. Neither is a slip.
                    continue
                findings.append(Finding(
                    "date-year", node.id,
                    f"ngày {m.group(0)} thuộc năm {year}, bộ tiêu chí là của năm {rubric.meta.year}",
                    expected=f"năm {rubric.meta.year}", actual=m.group(0),
                    fix=f"kiểm tra lại: có phải {m.group(1)}/{m.group(2)}/{rubric.meta.year}?"))


def _check_negative(node: Node, findings: list[Finding]) -> None:
    """Points below zero: a score adds achieved points from 0 up to the maximum, so a negative one is a slip."""
    if node.max is not None and node.max < 0:
        findings.append(Finding("negative-points", node.id, f"{node.id} có điểm chuẩn âm ({_p(node.max)})",
                                expected="từ 0 trở lên", actual=_p(node.max), fix="bỏ dấu '-' trước điểm chuẩn"))
    for band in node.bands:
        if band.points < 0:
            findings.append(Finding("negative-points", node.id,
                                    f"{node.id}: mức “{band.text[:80]}” có điểm âm ({_p(band.points)})",
                                    expected="từ 0 trở lên", actual=_p(band.points),
                                    fix="ghi mức thấp nhất là 0 điểm; điểm trừ theo từng nội dung ghi ở 'deduction'"))


def _has_evidence(node: Node, ancestors_evidence: bool) -> bool:
    return bool(node.evidence) or ancestors_evidence or any(b.evidence for b in node.bands)


# --------------------------------------------------------------------------- entry point

def check(rubric: Rubric) -> list[Finding]:
    """Every finding for a rubric, in document order (sums first, then node by node)."""
    findings: list[Finding] = []
    seen: dict[str, int] = {}
    for node in rubric.walk():
        seen[node.id] = seen.get(node.id, 0) + 1
    for node_id, count in seen.items():
        if count > 1:
            findings.append(Finding("duplicate-id", node_id, f"mã '{node_id}' xuất hiện {count} lần",
                                    expected="mỗi mã một lần", actual=f"{count} lần",
                                    fix="đánh lại số thứ tự của một trong các tiêu chí"))
    _check_sums(rubric, findings)

    def visit(node: Node, parent: Node | None, inherited_evidence: bool) -> None:
        if node.max is None and node.kind != "section":
            findings.append(Finding("missing-max", node.id, f"{node.id} chưa có điểm chuẩn",
                                    fix="ghi điểm chuẩn (max)"))
        if parent is not None and parent.kind != "section" and node.title.strip().lower() == parent.title.strip().lower():
            findings.append(Finding("same-title", node.id, f"{node.id} trùng tên với tiêu chí cha {parent.id}: "
                                                           f"“{node.title}”", expected="tên riêng", actual=node.title,
                                    fix="đặt tên cụ thể cho tiêu chí con"))
        _check_texts(rubric, node, findings)
        _check_negative(node, findings)
        if node.is_leaf and node.kind != "section":
            _check_bands(node, findings)
            if not _has_evidence(node, inherited_evidence):
                findings.append(Finding("missing-evidence", node.id, f"{node.id} không có tài liệu kiểm chứng",
                                        fix="ghi tài liệu kiểm chứng để cơ quan biết cần nộp gì"))
        for child in node.children:
            visit(child, node, inherited_evidence or bool(node.evidence))

    for section in rubric.sections:
        visit(section, None, False)
    return findings


def summary(findings: list[Finding]) -> tuple[int, int]:
    """(errors, warnings)."""
    errors = sum(1 for f in findings if f.severity == ERROR)
    return errors, len(findings) - errors
