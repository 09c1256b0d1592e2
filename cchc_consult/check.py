"""Consistency findings: what a careful reader of a draft rubric would point out.

`check(rubric)` is a pure function over the model. Each `Finding` names the
node, says in Vietnamese what was expected and what was found, and — where the
arithmetic can tell — how to fix it.
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal

from .findings import Finding
from .lazyre import LazyPattern
from .model import INF, ZERO, Condition, Node, Rubric
from .vn import format_points

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


def _check_sums(rubric: Rubric, nodes: list[Node], findings: list[Finding]) -> None:
    recomputed: dict[str, Decimal] = {}
    recomputed_total = sum((_recomputed(s, recomputed) for s in rubric.sections), ZERO)
    for node in nodes:
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
            if a.points == b.points or not _same_case(ca.also, cb.also):  # type: ignore[union-attr]
                continue
            if _intersects(ca, cb):  # type: ignore[arg-type]
                same = (ca.low, ca.high, ca.low_closed, ca.high_closed) == (cb.low, cb.high, cb.low_closed, cb.high_closed)  # type: ignore[union-attr]
                code = "duplicate-condition" if same else "coverage-overlap"
                findings.append(Finding(
                    code, node.id,
                    f"mức {ia + 1} ({_interval_text(ca)}, {_p(a.points)} điểm) và mức {ib + 1} "  # type: ignore[arg-type]
                    f"({_interval_text(cb)}, {_p(b.points)} điểm) cùng bao phủ một giá trị",  # type: ignore[arg-type]
                    expected="mỗi giá trị thuộc đúng một mức", actual=f"trùng giữa mức {ia + 1} và mức {ib + 1}",
                    fix="sửa cận của một trong hai mức (ví dụ 'từ … đến dưới …')" if ca.also == cb.also  # type: ignore[union-attr]
                    else f"viết lại lời để một trường hợp chỉ thuộc một mức: điều kiện của mức {ia + 1} cũng đúng "
                         f"cho trường hợp của mức {ib + 1} (ghi rõ điều gì phân biệt hai mức)"))


_CONNECTORS = {"và", "nhưng", "mà", "…"}
_PARENTHESIS = re.compile(r"\([^)]*\)")
#: Words that turn the word after them into its opposite: "không có" is one word for `_cases`, never "có".
_NEGATIONS = {"không", "chưa"}


def _cases(also: str) -> list[set[str]]:
    """The words of each alternative ("… hoặc …") of a band's further requirement; [set()] when there is none.

    A negation and the word it negates are kept together ("không có"), so "không có nhiệm vụ muộn" does not
    contain the words of "có nhiệm vụ muộn".
    """
    text = _PARENTHESIS.sub(" ", also.lower())
    return [_case_words(part.split()) - _CONNECTORS for part in re.split(r"\bhoặc\b", text)] or [set()]


def _case_words(words: list[str]) -> set[str]:
    """The words of one alternative, each negation joined to the word after it."""
    if _NEGATIONS.isdisjoint(words):
        return set(words)
    out: set[str] = set()
    negation = ""
    for word in words:
        if word in _NEGATIONS:
            negation += word + " "  # "không phải không có": each negation stays with what follows it
            continue
        out.add(negation + word)
        negation = ""
    if negation:
        out.add(negation.strip())
    return out


def _same_case(a: str, b: str) -> bool:
    """Whether one situation meets the further requirements of both bands.

    It does when the words of one alternative are all among the words of an
    alternative of the other: "Hoàn thành 100%" (no further words) also holds
    for "100% … nhưng có nhiệm vụ hoàn thành muộn"; "có ban hành kế hoạch và …
    dưới 20%" is one alternative of "Không ban hành hoặc có ban hành … dưới 20%".
    A negated requirement is another case: "không có nhiệm vụ muộn" / "có nhiệm vụ muộn".
    """
    if a == b:
        return True
    return any(x <= y or y <= x for x in _cases(a) for y in _cases(b))


def _check_inline_deductions(node: Node, findings: list[Finding]) -> None:
    """A checklist item is met (its points) or not (0): a deduction written in its words cannot be scored."""
    if node.scoring != "checklist":
        return
    for i, band in enumerate(node.bands):
        if band.deduction is None:
            continue
        inline = _PARENTHESIS.findall(band.text)
        said = next((p for p in inline if "điểm" in p), f"trừ {_p(band.deduction)} điểm")
        findings.append(Finding(
            "inline-deduction", node.id,
            f"nội dung {i + 1} của {node.id} ghi {said} ngay trong lời, nhưng mỗi nội dung kiểm tra chỉ chấm "
            f"đạt ({_p(band.points)}) hoặc không đạt (0): phần trừ {_p(band.deduction)} điểm không chấm được",
            expected="mỗi nội dung: đạt hoặc không đạt", actual=said,
            fix=f"bỏ phần trừ trong lời, hoặc tách nội dung {i + 1} thành tiêu chí thành phần có các mức "
                f"({_p(band.points)} / {_p(band.points - band.deduction)} / 0)"))


def _check_bands(node: Node, findings: list[Finding], parent: Node | None = None, keep_max: bool = False) -> None:
    """Band findings of a leaf; `keep_max` when its maximum is part of sums that add up (never suggest lowering it)."""
    if node.max is None:
        return
    if not node.bands:
        if node.scoring == "deduction" and node.per_item:
            return
        findings.append(Finding("missing-bands", node.id, f"{node.id} là tiêu chí lá nhưng không có mức điểm nào",
                                fix="thêm các mức điểm (điều kiện và số điểm)"))
        return
    points = [b.points for b in node.bands]
    for i, band in enumerate(node.bands):
        if band.min_points is not None and not ZERO <= band.min_points < band.points:
            findings.append(Finding("band-range", node.id,
                                    f"mức {i + 1} cho từ {_p(band.min_points)} đến {_p(band.points)} điểm: "
                                    "khoảng không hợp lệ", expected=f"0 ≤ cận dưới < {_p(band.points)}",
                                    actual=f"{_p(band.min_points)}-{_p(band.points)}",
                                    fix="sửa khoảng điểm, ví dụ 0,5-1"))
    top = max(points)
    if node.scoring == "checklist":
        total = sum(points, ZERO)
        if total != node.max:
            findings.append(Finding("checklist-mismatch", node.id,
                                    f"các nội dung kiểm tra cộng lại {_p(total)} điểm, điểm chuẩn {_p(node.max)}",
                                    expected=_p(node.max), actual=_p(total)))
    elif top != node.max:
        fix = f"đặt điểm chuẩn {node.id} = {_p(top)} hoặc nâng mức cao nhất lên {_p(node.max)}"
        if keep_max or (parent is not None and parent.max is not None and parent.children_sum() == parent.max):
            # the sums add up: lowering the maximum would break them (and the 100 of the total)
            fix = (f"nâng mức cao nhất lên {_p(node.max)} (và chia lại các mức dưới); hạ điểm chuẩn "
                   f"xuống {_p(top)} sẽ làm lệch tổng điểm" + (f" của {parent.id}" if parent is not None else ""))
        findings.append(Finding(
            "band-max-mismatch", node.id,
            f"mức cao nhất của {node.id} là {_p(top)} điểm nhưng điểm chuẩn là {_p(node.max)}",
            expected=_p(node.max), actual=_p(top), fix=fix))
    for i, band in enumerate(node.bands):
        if band.points > node.max and node.scoring != "checklist" and band.points != top:
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
    _check_inline_deductions(node, findings)


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
    bands = node.bands
    if len(bands) < 2:
        return
    # Measured bands differ by their numbers on purpose: only wordings are compared, each split once.
    words = [_words(b.text) if b.condition is None else None for b in bands]
    for i, a in enumerate(bands):
        wa = words[i]
        if wa is None or len(wa) < 4:
            continue
        for j in range(i + 1, len(bands)):
            b, wb = bands[j], words[j]
            if wb is None or a.points == b.points:
                continue
            if abs(len(wa) - len(wb)) > 1 or len(set(wa) ^ set(wb)) > 6:
                continue  # cheap tests first: difflib only for wordings a word or two apart
            changed = [op for op in difflib.SequenceMatcher(None, wa, wb).get_opcodes() if op[0] != "equal"]
            negation = {"không", "chưa", "chậm"}
            touched = set(wa[changed[0][1]:changed[0][2]] + wb[changed[0][3]:changed[0][4]]) if changed else set()
            if (len(changed) == 1 and changed[0][0] == "replace" and not touched & negation
                    and not any(ch.isdigit() for w in touched for ch in w)
                    and not _two_sides(wa[changed[0][1]:changed[0][2]], wb[changed[0][3]:changed[0][4]],
                                       [a.text, b.text])):
                findings.append(Finding(
                    "near-duplicate-band", node.id,
                    f"mức {i + 1} và mức {j + 1} chỉ khác nhau ở '{' '.join(wa[changed[0][1]:changed[0][2]])}' / "
                    f"'{' '.join(wb[changed[0][3]:changed[0][4]])}' mà khác điểm ({_p(a.points)} / {_p(b.points)})",
                    expected="lời của các mức phân biệt rõ", actual=f"“{a.text}” / “{b.text}”",
                    fix=_near_duplicate_fix(touched, [(i + 1, a.text), (j + 1, b.text)])))


#: Words whose swap makes the other case on purpose ("trước ngày …" / "sau ngày …"), not a slip.
_OPPOSITES = {frozenset(pair) for pair in (("trước", "sau"), ("trên", "dưới"), ("đúng", "quá"), ("có", "không"),
                                           ("sớm", "muộn"), ("cao", "thấp"), ("nhiều", "ít"), ("tăng", "giảm"),
                                           ("đủ", "thiếu"), ("lên", "xuống"))}


def _two_sides(removed: list[str], added: list[str], texts: list[str]) -> bool:
    """Whether two bands differ only by a word and its opposite ("trước" / "sau"): the two cases of one rule.

    Not when a band then says both directions at once ("thấp hơn … trở lên"): that is still a slip.
    """
    if len(removed) != 1 or len(added) != 1:
        return False
    if frozenset((removed[0].strip(".,;:()"), added[0].strip(".,;:()"))) not in _OPPOSITES:
        return False
    return all(_contrary_direction(text.lower()) is None for text in texts)


def _contrary_direction(low: str) -> tuple[str, str] | None:
    """The two words of a band (lower case) that point both ways: ("dưới", "trở lên"); None when none do."""
    below = next((w for w in _BELOW if re.search(rf"\b{w}\b", low)), "")
    above = next((w for w in _ABOVE if re.search(rf"\b{w}\b", low)), "")
    if below and "trở lên" in low:
        return below, "trở lên"
    if above and "trở xuống" in low:
        return above, "trở xuống"
    return None


_BELOW = ("thấp hơn", "dưới", "ít hơn", "chưa đến", "chưa đạt")
_ABOVE = ("cao hơn", "trên", "nhiều hơn", "vượt")
_COMPARISON = {"từ", "trên", "dưới", "thấp", "cao", "hơn", "ít", "nhiều", "vượt", "trở", "lên", "xuống"}


def _near_duplicate_fix(touched: set[str], bands: list[tuple[int, str]]) -> str:
    """The hint for two near-identical bands: a threshold's two sides, or a dropped negation."""
    if not touched & _COMPARISON:
        return "kiểm tra lỗi đánh máy (thiếu chữ 'không' hay 'chưa'?)"
    for number, text in bands:
        contrary = _contrary_direction(text.lower())
        if contrary is not None:
            word, way = contrary
            return f"mức {number} ghi '{word}' cùng '{way}', hai chiều ngược nhau: bỏ '{way}' ở mức {number}"
    return "hai mức là hai phía của một ngưỡng: kiểm tra từ so sánh (từ … trở lên / dưới …) của mỗi mức"


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


# --------------------------------------------------------------------------- wording (warnings, each with its fix)

_WORD = r"[^\W\d_]+"
#: The patterns a text rarely needs are compiled on the first text that needs one.
_REPEATED = LazyPattern(rf"(?<!\w)((?:{_WORD})(?:\s+{_WORD})?)\s+\1(?!\w)", re.IGNORECASE)
#: After "qu" the tone mark sits on the next vowel: "Quý", "quả", not "Qúy", "qủa".
_QU_TONE = re.compile(r"(?<!\w)([qQ])([úùủũụ])([aăâeêioôơyu])", re.UNICODE)
_MISSING_SPACE = LazyPattern(r"(?<=[^\W\d_])([,;])(?=[^\W\d_])|(?<=\d)(?=[^\W\d_]{2,})")
_GLUED_BULLET = re.compile(r"^\s*([-+•])(?=[^\W\d_])")
_SPACED_STANDARD = LazyPattern(r"\b((?:TCVN|ISO)[^,;()]*?\b\d{3,5})\s*:\s+(\d{4})\b")
_LETTER_RUN = re.compile(_WORD)
#: What each alternative of _MISSING_SPACE needs, as a plain search: a digit before a letter; ",;" between letters.
_GLUED_DIGIT = re.compile(r"\d[^\W\d_]")
_GLUED_MARK = re.compile(r"[^\W\d_][,;][^\W\d_]")
#: Syllables written in the old style (hòa, khỏe, thủy) and the new (hoà, khoẻ, thuỷ): a document keeps one.
#: A word's style is told by its last two letters (lower case): one set lookup per word.
_OLD_ENDINGS = frozenset([a + b for a in "òóỏõọ" for b in "ae"] + [a + "y" for a in "ùúủũụ"])
_NEW_ENDINGS = frozenset(["o" + b for b in "àáảãạèéẻẽẹ"] + ["u" + b for b in "ỳýỷỹỵ"])
_STYLE_MARKS = frozenset("òóỏõọùúủũụàáảãạèéẻẽẹỳýỷỹỵ" + "òóỏõọùúủũụàáảãạèéẻẽẹỳýỷỹỵ".upper())
#: Syllables that end one word and begin the next: "phân công công chức", "hành chính chính quyền".
_OVERLAPPING = {"công", "chính", "người", "nhà", "dân", "việc"}
#: Units written straight after a number in the seed's own style, never a slip: "01/01/2023", "9001:2015".
_GLUED_UNITS = {"km", "ha", "kg", "m2", "m3"}
#: Old-style words whose "new style" has another reading: "qúy" is handled by _QU_TONE.
_UNSTYLED = {"quá", "quà", "quả", "quạ", "quý", "qúy"}


def _texts(rubric: Rubric, nodes: list[Node]) -> list[tuple[str, str | int, str]]:
    """(node id, what the text is, the text) for every free text of the rubric, the note last.

    What a band's text is stays its number (its evidence: minus the number) until a finding needs the
    words (`_what`): most texts have none, and the labels cost more than the scan.
    """
    out: list[tuple[str, str | int, str]] = []
    for node in nodes:
        out.append((node.id, "nội dung", node.title))
        out += [(node.id, "tài liệu kiểm chứng", line) for line in node.evidence]
        for i, band in enumerate(node.bands, 1):
            out.append((node.id, i, band.text))
            out += [(node.id, -i, line) for line in band.evidence]
    if rubric.meta.note:
        out.append(("ghi chú", "ghi chú", rubric.meta.note))
    return out


def _what(what: str | int) -> str:
    """The words for a `_texts` label: "mức 2", "tài liệu kiểm chứng của mức 2", or the label itself."""
    if isinstance(what, str):
        return what
    return f"mức {what}" if what > 0 else f"tài liệu kiểm chứng của mức {-what}"


def _quote(text: str, start: int, end: int) -> str:
    """The words around a match, for the message: "…nội dung,biểu mẫu…"."""
    left, right = max(0, start - 18), min(len(text), end + 18)
    return ("…" if left else "") + text[left:right].strip() + ("…" if right < len(text) else "")


def _maybe_repeated(runs: list[str]) -> bool:
    """Whether _REPEATED can match: its two copies are neighbouring letter runs (a word, or two words, repeated)."""
    joined = "\x00".join(runs)
    if "İ" in joined or "Σ" in joined:
        # re compares a back-reference by each letter's simple lower case; str.lower() writes "İ" as two
        # letters and a final "Σ" as "ς". These two are all the difference.
        joined = joined.replace("İ", "i").replace("Σ", "σ")
    folded = joined.lower().split("\x00")
    if len(set(folded)) == len(folded):
        return False
    return any(a == b for a, b in zip(folded, folded[1:])) or any(a == b for a, b in zip(folded, folded[2:]))


def _text_slips(text: str) -> tuple | None:
    """What the wording checks find in one text, before it is said of a node; None for most texts, which have none.

    The seven parts: repeated (words, quote), qu-tone (word, right), missing-space (quote, glued, mark),
    glued-bullet (quote, actual, mark) or None, spaced-standard (written, right), old- and new-style words.
    Each pattern runs only where a plain test shows it can match.
    """
    runs = _LETTER_RUN.findall(text)
    repeated = []
    if len(runs) > 1 and _maybe_repeated(runs):
        for m in _REPEATED.finditer(text):
            words = m.group(1)
            if words.lower() not in _OVERLAPPING:
                repeated.append((words, _quote(text, m.start(), m.end())))
    qu_tone = []
    if "q" in text or "Q" in text:
        for m in _QU_TONE.finditer(text):
            word = re.match(r"\w+", text[m.start():]).group(0)  # type: ignore[union-attr]
            qu_tone.append((word, _move_qu_tone(word)))
    missing_space = []
    if _GLUED_DIGIT.search(text) or (("," in text or ";" in text) and _GLUED_MARK.search(text)):
        for m in _MISSING_SPACE.finditer(text):
            glued = (re.search(r"\S*$", text[:m.start()]).group(0)  # type: ignore[union-attr]
                     + re.match(r"\S*", text[m.start():]).group(0)).strip("()[]{}.,;:“”\"'")  # type: ignore[union-attr]
            if m.group(1) is None and re.sub(r"^[\d.,]+", "", glued).lower() in _GLUED_UNITS:
                continue
            if m.group(1) is None and not re.fullmatch(r"[\d.,]+[^\W\d_]+", glued):
                continue  # "QĐ-UBND", "130/2005/NĐ-CP", "6.6.3a": codes, not a number glued to a word
            missing_space.append((_quote(text, m.start(), m.end()), glued, m.group(1) or ""))
    glued_bullet = None
    m = _GLUED_BULLET.match(text)
    if m:
        glued_bullet = (_quote(text, m.start(), m.end() + 10), text[:m.end() + 10].strip(), m.group(1))
    spaced_standard = []
    if ("TCVN" in text or "ISO" in text) and ":" in text:
        spaced_standard = [(m.group(0), f"{m.group(1)}:{m.group(2)}") for m in _SPACED_STANDARD.finditer(text)]
    old_style: list[str] = []
    new_style: list[str] = []
    if not _STYLE_MARKS.isdisjoint(text):
        for word in runs:
            ending = word[-2:].lower()
            if ending in _OLD_ENDINGS:
                if word.lower() not in _UNSTYLED:
                    old_style.append(word)
            elif ending in _NEW_ENDINGS and word.lower() not in _UNSTYLED:
                new_style.append(word)
    if not (repeated or qu_tone or missing_space or glued_bullet or spaced_standard or old_style or new_style):
        return None
    return repeated, qu_tone, missing_space, glued_bullet, spaced_standard, old_style, new_style


def _check_wording(rubric: Rubric, nodes: list[Node], findings: list[Finding]) -> None:
    """Typing slips a reader would circle in red: each a warning naming the words and the fix."""
    texts = _texts(rubric, nodes)
    slips_of: dict[str, tuple | None] = {}  # a text met again (a band wording repeated) is scanned once
    old: list[tuple[str, str]] = []
    new: list[tuple[str, str]] = []
    for node_id, what, text in texts:
        if text in slips_of:
            slips = slips_of[text]
        else:
            slips = slips_of[text] = _text_slips(text)
        if slips is None:
            continue
        repeated, qu_tone, missing_space, glued_bullet, spaced_standard, old_style, new_style = slips
        what = _what(what)
        where = what if what == node_id else f"{what} của {node_id}"
        for words, quote in repeated:
            findings.append(Finding("repeated-word", node_id, f"{where} lặp '{words} {words}': “{quote}”",
                                    expected=words, actual=f"{words} {words}", fix=f"bỏ một lần '{words}'"))
        for word, right in qu_tone:
            findings.append(Finding("tone-mark", node_id, f"{where}: '{word}' đặt dấu sai nguyên âm",
                                    expected=right, actual=word, fix=f"viết '{right}'"))
        for quote, glued, mark in missing_space:
            findings.append(Finding("missing-space", node_id, f"{where} thiếu khoảng trắng: “{quote}”", actual=glued,
                                    fix=f"thêm khoảng trắng sau '{mark}'" if mark else "thêm khoảng trắng giữa số và chữ"))
        if glued_bullet is not None:
            quote, actual, mark = glued_bullet
            findings.append(Finding("glued-bullet", node_id, f"{where}: gạch đầu dòng dính liền chữ “{quote}”",
                                    actual=actual, fix=f"thêm khoảng trắng sau '{mark}'"))
        for written, right in spaced_standard:
            findings.append(Finding("spaced-standard", node_id, f"{where}: số hiệu tiêu chuẩn viết tách “{written}”",
                                    expected=right, actual=written, fix=f"viết '{right}'"))
        old += [(node_id, word) for word in old_style]
        new += [(node_id, word) for word in new_style]
    _check_tone_style(old, new, findings)


def _move_qu_tone(word: str) -> str:
    """"Qúy" → "Quý": the tone moves from the u of "qu" to the vowel after it."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", word)
    marks = "\u0300\u0301\u0303\u0309\u0323"
    tone = next((ch for ch in decomposed[:4] if ch in marks), "")
    plain = decomposed.replace(tone, "", 1)
    # the u of "qu" is at index 1; the tone goes on the vowel after it (after its own hat/horn, if any)
    at = 3 if len(plain) > 3 and plain[3] in "\u0302\u0306\u031b" else 2
    return unicodedata.normalize("NFC", plain[:at + 1] + tone + plain[at + 1:])


def _check_tone_style(old: list[tuple[str, str]], new: list[tuple[str, str]], findings: list[Finding]) -> None:
    """A document that writes both "hòa" and "hoà" (each list: (node id, word)): the fewer style is the slip."""
    if not old or not new:
        return
    fewer, more, label = (new, old, "cũ (hòa, thủy)") if len(new) < len(old) else (old, new, "mới (hoà, thuỷ)")
    example = more[0][1]
    for node_id, word in fewer:
        findings.append(Finding("tone-style", node_id,
                                f"'{word}' bỏ dấu khác kiểu với phần còn lại của văn bản (kiểu {label}, ví dụ "
                                f"'{example}': {len(more)} chỗ)", expected=f"kiểu {label}", actual=word,
                                fix=f"viết theo một kiểu bỏ dấu trong cả văn bản (kiểu {label})"))


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
    nodes = list(rubric.walk())  # walked once: a walk of 1,000 criteria costs more than most checks
    seen: dict[str, int] = {}
    for node in nodes:
        seen[node.id] = seen.get(node.id, 0) + 1
    for node_id, count in seen.items():
        if count > 1:
            findings.append(Finding("duplicate-id", node_id, f"mã '{node_id}' xuất hiện {count} lần",
                                    expected="mỗi mã một lần", actual=f"{count} lần",
                                    fix="đánh lại số thứ tự của một trong các tiêu chí"))
    _check_sums(rubric, nodes, findings)
    leaves = sum((n.max or ZERO for n in nodes if n.is_leaf and n.kind != "section"), ZERO)
    leaves_make_total = rubric.declared_total is not None and leaves == rubric.declared_total

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
            _check_stale_conditions(node, findings)
            _check_bands(node, findings, parent, leaves_make_total)
            if not _has_evidence(node, inherited_evidence):
                findings.append(Finding("missing-evidence", node.id, f"{node.id} không có tài liệu kiểm chứng",
                                        fix="ghi tài liệu kiểm chứng để cơ quan biết cần nộp gì"))
        for child in node.children:
            visit(child, node, inherited_evidence or bool(node.evidence))

    for section in rubric.sections:
        visit(section, None, False)
    _check_wording(rubric, nodes, findings)
    return findings


def _check_stale_conditions(node: Node, findings: list[Finding]) -> None:
    """A `when:` the words contradict (the words were edited by hand): the words are what is scored."""
    for i, band in enumerate(node.bands, start=1):
        if band.overridden is not None and band.condition is not None:
            stored, words = (c.replace(also="").describe() for c in (band.overridden, band.condition))
            findings.append(Finding(
                "stale-condition", node.id,
                f"mức {i} (“{band.text}”): dòng 'when' ghi {stored} nhưng lời ghi {words}; chương trình chấm "
                "theo lời",
                expected=band.condition.range_text, actual=band.overridden.range_text,
                fix=f"xóa dòng 'when' của mức {i} (lời đã đủ), hoặc sửa lời nếu {stored} mới đúng"))
