"""From table rows (TT | Nội dung | Điểm | Tài liệu kiểm chứng) to a Rubric.

Every importer (web-page text, Word, Excel) reduces its source to `Row`s and
calls `build_rubric`. Structure comes from the numbering: a Roman numeral opens
a section, "1", "1.1", "1.1.1" nest inside it (numbering restarts per section),
a row without number is a band of the open criterion — or, where no criterion
is open (right under a section), a criterion of its own. Nothing is dropped: a
row that cannot be placed becomes a warning that names it, kept as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..bands import annotate_bands
from ..errors import PointsError
from ..model import Band, Node, Rubric, RubricMeta, format_points, nfc, parse_points
from ..offices import propose_owner

_ROMAN = re.compile(r"^(?=[IVXLC]+$)M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?$")
_TOTAL_WORDS = re.compile(r"^(?:cộng|tổng cộng|tổng|cộng điểm)\b", re.IGNORECASE)
#: The title given to a numbered row whose Nội dung cell is empty (a YAML node needs a title).
NO_TITLE = "(chưa có nội dung)"
_NOTE = re.compile(r"^\s*\*?\s*ghi chú", re.IGNORECASE)


def clean_cell(text: object) -> str:
    """A cell's text with non-breaking and repeated spaces folded, in NFC."""
    if text is None:
        return ""
    value = str(text).replace("\u00a0", " ").replace("\u200b", "")
    lines = [" ".join(line.split()) for line in value.splitlines()]
    return nfc("\n".join(line for line in lines if line))


@dataclass(slots=True)
class Row:
    """One table row as text; `where` names it in warnings ("dòng 123", "bảng 1, hàng 7")."""

    tt: str
    content: str
    points: str
    evidence: list[str] = field(default_factory=list)
    where: str = ""


@dataclass(slots=True)
class ImportResult:
    """What an import produced: the rubric and every warning about rows it could not place."""

    rubric: Rubric
    warnings: list[str] = field(default_factory=list)
    #: Rows kept verbatim because they could not be placed.
    unplaced: list[Row] = field(default_factory=list)
    #: What the importer noticed and deliberately left out (an extra "Điểm tự chấm" column…).
    notes: list[str] = field(default_factory=list)


_LEADING_NUMBER = re.compile(r"^\s*((?:[IVXLC]+)|(?:\d+(?:\.\d+)*))\s*[.)]\s+(\S.*)$", re.DOTALL)


def split_numbered(text: str) -> tuple[str, str]:
    """"I. CÔNG TÁC CHỈ ĐẠO" → ("I", "CÔNG TÁC CHỈ ĐẠO"); text without a leading number → ("", text).

    For a cell merged across the TT and Nội dung columns, where the number was
    typed in front of the title.
    """
    m = _LEADING_NUMBER.match(text)
    if m and (is_roman(m.group(1)) or is_number(m.group(1))):
        return m.group(1), m.group(2).strip()
    return "", text


def points_text(value: object) -> str:
    """A spreadsheet value as the text of a points cell: 1.5 → "1,5", 2.0 → "2", "1,5" unchanged."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_points(Decimal(repr(value)))
    return str(value)


def tt_text(value: object) -> str:
    """A spreadsheet value as the text of a TT cell: 2 or 2.0 → "2", 1.1 → "1.1" (a number, not points)."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return "" if value is None else str(value)


def is_roman(tt: str) -> bool:
    return bool(tt) and bool(_ROMAN.match(tt.upper())) and tt.isupper()


def is_number(tt: str) -> bool:
    return bool(_NUMBER.match(tt))


def is_tt(text: str) -> bool:
    """Whether a cell looks like a TT (row number) cell: empty, a Roman numeral or 1 / 1.1 / 1.1.1."""
    t = clean_cell(text)
    return t == "" or is_roman(t) or is_number(t)


def read_points(text: str) -> Decimal | None:
    """Points from a cell ("1,5", "8,0", "12   "), or None when the cell holds no number."""
    t = clean_cell(text)
    if not t:
        return None
    try:
        return parse_points(t)
    except PointsError:
        return None


def _evidence_lines(cells: list[str]) -> list[str]:
    out: list[str] = []
    for cell in cells:
        for line in clean_cell(cell).split("\n"):
            if line:
                out.append(line)
    return out


def build_rubric(rows: list[Row], meta: RubricMeta | None = None) -> ImportResult:
    """Assemble a rubric tree from rows, then read band conditions and scoring rules."""
    meta = meta or RubricMeta()
    result = ImportResult(Rubric(meta=meta, sections=[]))
    rubric = result.rubric
    section: Node | None = None
    by_number: dict[str, Node] = {}
    current: Node | None = None  # the criterion bands attach to
    unnumbered = 0

    def warn(row: Row, why: str) -> None:
        result.warnings.append(f"{row.where}: {why} — giữ nguyên dạng chữ: "
                               f"{' | '.join(x for x in (row.tt, row.content, row.points) if x)}")
        result.unplaced.append(row)

    for row in rows:
        tt, content = clean_cell(row.tt).rstrip("."), clean_cell(row.content)
        evidence = _evidence_lines(row.evidence)
        points = read_points(row.points)
        if not tt and not content and not clean_cell(row.points):
            if evidence and current is not None:  # evidence spilling over into the next row
                (current.bands[-1].evidence if current.bands else current.evidence).extend(evidence)
            continue
        if _NOTE.match(content) or _NOTE.match(tt):
            rubric.meta.note = "\n".join(filter(None, [rubric.meta.note, content or tt]))
            continue
        if clean_cell(row.points) and points is None:
            numbered = is_roman(tt) or is_number(tt)
            warn(row, f"không đọc được số điểm '{clean_cell(row.points)}'"
                      + ("; tiêu chí vẫn được tạo, chưa có điểm chuẩn" if numbered else ""))
            if not numbered:
                continue  # a band without points cannot score; a criterion still holds its bands
        if is_roman(tt) and (_TOTAL_WORDS.match(content) or (section and not content)):
            rubric.declared_total = points
            rubric.total_label = content or "CỘNG ĐIỂM"
            section, current = None, None
            continue
        if not tt and _TOTAL_WORDS.match(content) and not evidence:
            rubric.declared_total = points
            rubric.total_label = content
            section, current = None, None
            continue
        if is_roman(tt):
            section = Node(id=tt, tt=tt, title=content, max=points, kind="section", evidence=evidence)
            rubric.sections.append(section)
            by_number, current, unnumbered = {}, None, 0
            continue
        if section is None:
            warn(row, "dòng nằm ngoài mọi mục I, II, III")
            continue
        if is_number(tt):
            parent_number = tt.rsplit(".", 1)[0] if "." in tt else ""
            parent = by_number.get(parent_number, section) if parent_number else section
            if parent_number and parent_number not in by_number:
                warn(row, f"không có tiêu chí cha '{parent_number}' cho '{tt}'; đặt thẳng dưới mục {section.tt}")
            if not content:
                result.warnings.append(f"{row.where}: tiêu chí '{tt}' không có nội dung; ghi tạm '{NO_TITLE}'")
            node = Node(id=f"{section.tt}.{tt}", tt=tt, title=content or NO_TITLE, max=points, evidence=evidence)
            parent.children.append(node)
            by_number[tt] = node
            current = node
            continue
        if tt:
            warn(row, f"số thứ tự '{tt}' không đọc được")
            continue
        # An unnumbered row: a band of the open criterion, or — right under a section — a criterion.
        if current is None or (current is section):
            unnumbered += 1
            node = Node(id=f"{section.tt}.{chr(ord('a') + unnumbered - 1)}", tt="", title=content, max=points,
                        evidence=evidence)
            section.children.append(node)
            current = node
            continue
        if points is None:
            if not content and evidence:
                current.evidence.extend(evidence)
                continue
            warn(row, "dòng mức điểm không có số điểm")
            continue
        current.bands.append(Band(text=content, points=points, evidence=evidence))

    for node in rubric.walk():
        if node.max is None and node.kind != "section":
            result.warnings.append(f"tiêu chí {node.id}: không có điểm chuẩn")
        if not node.owner and node.kind != "section":
            node.owner = propose_owner(node.evidence + [e for b in node.bands for e in b.evidence])
        finish_leaf(node)
    return result


_ITEM_SPLIT = re.compile(r",\s*|\s+và\s+")


def _items_from(text: str) -> list[str]:
    """"Báo cáo Quý 1 trước 07/3, Qúy II trước 07/6, …" → the report names, one per item."""
    parts = [p.strip(" -;.") for p in _ITEM_SPLIT.split(text)]
    return [p for p in parts if p]


def finish_leaf(node: Node) -> None:
    """Read conditions, per-unit rules, deductions and checklists from a node's bands (in place)."""
    if not node.bands:
        return
    annotate_bands(node.bands)
    if node.children:
        return
    if len(node.bands) == 1 and node.bands[0].deduction is not None and node.scoring == "choice":
        band = node.bands[0]
        node.scoring = "deduction"
        node.per_item = band.deduction
        source = band.evidence[0] if band.evidence else (node.evidence[0] if node.evidence else "")
        node.items = _items_from(source) if source else []
        band.deduction = None
        return
    positive = [b.points for b in node.bands]
    if (len(node.bands) > 1 and all(p > 0 for p in positive) and node.max is not None
            and sum(positive) == node.max and max(positive) < node.max):
        node.scoring = "checklist"
