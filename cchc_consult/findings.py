"""What `check` finds: the `Finding` (code, node, what was expected and found, the fix), every code, the report.

A light module of its own, apart from the checks and their patterns: `cchc check` on
unchanged bytes prints its report from the cache (`Workspace.check_report`) without importing
`check`, and the TUI, `accepted` and the papers read findings too.
"""

from __future__ import annotations

from .model import Record
from .vn import format_points

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing at start-up
if TYPE_CHECKING:
    from .model import Rubric

ERROR, WARNING = "error", "warning"

#: Every code `check` can emit, with its severity and a one-line meaning (shown by `cchc check --codes`).
CODES: dict[str, tuple[str, str]] = {
    "sum-mismatch": (ERROR, "điểm chuẩn của mục cha khác tổng các mục con (hoặc tổng cộng khác tổng các phần)"),
    "band-max-mismatch": (ERROR, "mức điểm cao nhất của tiêu chí khác điểm chuẩn"),
    "band-above-max": (ERROR, "một mức điểm vượt điểm chuẩn của tiêu chí"),
    "band-range": (ERROR, "mức điểm chọn trong khoảng (0,5-1) có cận dưới không nhỏ hơn cận trên"),
    "coverage-gap": (ERROR, "có giá trị đo được mà không mức điểm nào bao phủ"),
    "coverage-overlap": (ERROR, "một giá trị thuộc hai mức điểm khác nhau"),
    "duplicate-condition": (ERROR, "hai mức cùng điều kiện nhưng khác điểm"),
    "deduction-mismatch": (ERROR, "số điểm trừ theo từng nội dung không khớp điểm chuẩn"),
    "checklist-mismatch": (ERROR, "tổng điểm các nội dung kiểm tra khác điểm chuẩn"),
    "duplicate-id": (ERROR, "hai tiêu chí trùng mã"),
    "missing-max": (ERROR, "tiêu chí không có điểm chuẩn"),
    "missing-bands": (ERROR, "tiêu chí lá không có mức điểm nào để chấm"),
    "inline-deduction": (ERROR, "một nội dung kiểm tra ghi điểm trừ ngay trong lời: phiếu chấm không chấm được"),
    "per-unit-mismatch": (WARNING, "quy tắc tính theo đơn vị (01 … = 0x điểm) mâu thuẫn với điểm của mức"),
    "ambiguous-deduction": (WARNING, "mức điểm vừa chọn theo mức vừa trừ theo từng nội dung"),
    "number-in-text": (WARNING, "ô chữ (nội dung, tài liệu kiểm chứng) chỉ chứa một con số"),
    "same-title": (WARNING, "tiêu chí con trùng tên với tiêu chí cha"),
    "date-year": (WARNING, "ngày tháng thuộc năm khác với năm của bộ tiêu chí"),
    "missing-evidence": (WARNING, "tiêu chí lá không có tài liệu kiểm chứng"),
    "band-order": (WARNING, "các mức điểm không xếp từ cao xuống thấp"),
    "near-duplicate-band": (WARNING, "hai mức điểm có lời gần như giống hệt nhau nhưng khác điểm"),
    "repeated-word": (WARNING, "một từ (hoặc cụm từ) lặp liền nhau: 'cập nhật nhật', 'tiêu chí tiêu chí'"),
    "tone-mark": (WARNING, "dấu thanh đặt sai nguyên âm ('Qúy' → 'Quý')"),
    "tone-style": (WARNING, "cùng một văn bản lẫn hai cách bỏ dấu ('hòa' / 'hoà')"),
    "missing-space": (WARNING, "thiếu khoảng trắng sau dấu câu hoặc giữa số và chữ ('nội dung,biểu mẫu', '0,5điểm')"),
    "glued-bullet": (WARNING, "gạch đầu dòng dính liền chữ ('-Thống kê')"),
    "spaced-standard": (WARNING, "số hiệu tiêu chuẩn bị tách bởi khoảng trắng ('TCVN ISO 9001: 2015')"),
    "stale-condition": (WARNING, "điều kiện ghi trong tệp (when) trái với lời của mức điểm: chấm theo lời"),
    "negative-points": (ERROR, "một mức điểm hoặc điểm chuẩn là số âm"),
}


class Finding(Record):
    """One defect: its code and severity (the code's own by default), the node, what was expected, what was found."""

    __slots__ = ("code", "node", "message", "expected", "actual", "fix", "severity")

    def __init__(self, code: str, node: str, message: str, expected: str = "", actual: str = "", fix: str = "",
                 severity: str = "") -> None:
        self.code = code
        self.node = node
        self.message = message
        self.expected = expected
        self.actual = actual
        self.fix = fix
        self.severity = severity or CODES[code][0]


def summary(findings: list[Finding]) -> tuple[int, int]:
    """(errors, warnings)."""
    errors = sum(1 for f in findings if f.severity == ERROR)
    return errors, len(findings) - errors


# --------------------------------------------------------------------------- the report `cchc check` prints

class CheckReport(Record):
    """What `cchc check` says of one rubric file: the rubric's heading and totals (as shown), and its findings."""

    __slots__ = ("title", "year", "version", "status", "letter", "letter_date", "declared_total", "computed_total",
                 "nodes", "findings")

    def __init__(self, title: str, year: int, version: str, status: str, letter: str, letter_date: str,
                 declared_total: str | None, computed_total: str, nodes: int, findings: list[Finding]) -> None:
        self.title = title
        self.year = year
        self.version = version
        self.status = status
        self.letter = letter
        self.letter_date = letter_date
        self.declared_total = declared_total  # "100", "1,5" (vn.format_points); None when the file gives none
        self.computed_total = computed_total
        self.nodes = nodes
        self.findings = findings

    @classmethod
    def of(cls, rubric: Rubric, findings: list[Finding]) -> CheckReport:
        meta = rubric.meta
        declared = format_points(rubric.declared_total) if rubric.declared_total is not None else None
        return cls(meta.title, meta.year, meta.version, meta.status, meta.letter, meta.letter_date, declared,
                   format_points(rubric.computed_total()), len(rubric), findings)

    @classmethod
    def from_data(cls, data: dict) -> CheckReport:
        return cls(**{**data, "findings": [Finding(**f) for f in data["findings"]]})
