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
from ..model import ZERO, Band, Node, Rubric, RubricMeta, parse_points
from ..offices import propose_owner
from ..vn import format_points, nfc

_ROMAN = re.compile(r"^(?=[IVXLC]+$)M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?$")
_TOTAL_WORDS = re.compile(r"^(?:cộng|tổng cộng|tổng|cộng điểm)\b", re.IGNORECASE)
#: The title given to a numbered row whose Nội dung cell is empty (a YAML node needs a title).
NO_TITLE = "(chưa có nội dung)"
_NOTE = re.compile(r"^\s*\*?\s*ghi chú", re.IGNORECASE)


_UNCLEAN = re.compile(r"[\u00a0\u200b\n\r\t\f\v]")


def clean_cell(text: object) -> str:
    """A cell's text with non-breaking and repeated spaces folded, in NFC."""
    if text is None:
        return ""
    value = str(text)
    if value == value.strip() and "  " not in value and not _UNCLEAN.search(value):
        return nfc(value)  # the usual cell: one clean line (a regex scan is far cheaper than the rebuild)
    value = value.replace("\u00a0", " ").replace("\u200b", "")
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
    #: The text of a "Cách tính điểm" column: the criterion's bands, one a line.
    method: str = ""
    #: Cells of columns that are not part of the rubric, by header ("Điểm tự chấm": "1,5").
    extras: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class ImportResult:
    """What an import produced: the rubric and every warning about rows it could not place."""

    rubric: Rubric
    warnings: list[str] = field(default_factory=list)
    #: Rows kept verbatim because they could not be placed.
    unplaced: list[Row] = field(default_factory=list)
    #: What the importer noticed and deliberately left out (an extra "Điểm tự chấm" column…).
    notes: list[str] = field(default_factory=list)
    #: Band wordings whose condition could not be read, each naming its row.
    not_understood: list[str] = field(default_factory=list)
    #: Values of the columns kept beside the rubric: header → node id → cell text.
    extra_values: dict[str, dict[str, str]] = field(default_factory=dict)


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
    """Whether a cell looks like a TT (row number) cell: empty, I, 1 / 1.1, I.1, a), (1), -, +."""
    t = clean_cell(text)
    return t == "" or bool(numbering_style(plain_number(t)))


def plain_number(tt: str) -> str:
    """A TT without its section prefix and final dot: "I.2.1" → "2.1", "1.1." → "1.1"; others unchanged."""
    m = _ROMAN_PREFIX.match(tt)
    if m:
        return m.group(2)
    return tt.rstrip(".") if is_number(tt) else tt


_NUM = r"\d+(?:[.,]\d+)?"
_POINTS_WORDS = re.compile(
    rf"^(?:(?P<deduct>trừ)\s*)?(?:tối\s+đa\s*)?\(?\s*(?P<low>{_NUM})\s*(?:điểm|đ)?\s*"
    rf"(?:(?:-|–|đến)\s*(?P<high>{_NUM})\s*(?:điểm|đ)?\s*)?\)?\.?$")


@dataclass(slots=True)
class PointsCell:
    """What a points cell says: "2 điểm" → 2; "0,5-1" → a range the appraiser picks in; "Trừ 0,5" → a deduction."""

    points: Decimal
    low: Decimal | None = None
    deduction: Decimal | None = None


def read_points_cell(text: str) -> PointsCell | None:
    """The points of a cell in any usual spelling ("2", "2 điểm", "2đ", "Tối đa 2", "(2)", "0,5-1", "Trừ 0,5")."""
    t = clean_cell(text)
    if not t:
        return None
    try:
        return PointsCell(parse_points(t))
    except PointsError:
        pass
    m = _POINTS_WORDS.match(t.lower())
    if not m:
        return None
    low = parse_points(m.group("low"))
    if m.group("deduct"):
        return None if m.group("high") else PointsCell(ZERO, deduction=low)
    if m.group("high"):
        high = parse_points(m.group("high"))
        return PointsCell(high, low=low) if low < high else None
    return PointsCell(low)


def read_points(text: str) -> Decimal | None:
    """Points from a cell ("1,5", "8,0", "12   ", "2 điểm", "Tối đa 2"), or None when the cell holds no number."""
    cell = read_points_cell(text)
    return None if cell is None or cell.deduction is not None else cell.points


def _evidence_lines(cells: list[str]) -> list[str]:
    out: list[str] = []
    for cell in cells:
        for line in clean_cell(cell).split("\n"):
            if line:
                out.append(line)
    return out


_LETTER = re.compile(r"^\(?([a-zđ])[).]$")
_PAREN_NUMBER = re.compile(r"^(?:\((\d+)\)|(\d+)\))$")
_BULLETS = ("-", "+", "•", "–", "*")
_ROMAN_PREFIX = re.compile(r"^([IVXLC]+)\.(\d+(?:\.\d+)*)\.?$")
#: "- Có ban hành kế hoạch: 2 điểm", "Chậm dưới 10 ngày (1 điểm)", "Không ban hành = 0đ".
#: A row with no points that only says how much each failure costs: "Mỗi báo cáo chậm trừ 1 điểm".
_DEDUCTION_ROW = re.compile(rf"^\(?mỗi\b.*\btrừ\s+{_NUM}\s*(?:điểm|đ)\b[^\d]*$", re.IGNORECASE)
_INLINE_BAND = re.compile(
    rf"^[-+•–*]?\s*(?P<text>\S.*?)\s*(?:[:：=]\s*|\(\s*|[-–]\s+)(?P<points>(?:trừ\s+|tối\s+đa\s+)?{_NUM}"
    rf"(?:\s*(?:-|–|đến)\s*{_NUM})?)\s*(?:điểm|đ)\b\s*\)?\s*[.;,]?$", re.IGNORECASE)


def numbering_style(tt: str) -> str:
    """The kind of a TT cell: roman, number (1, 1.1), letter (a), a.), paren ((1), 1)), bullet (-, +) or ""."""
    if is_roman(tt):
        return "roman"
    if is_number(tt):
        return "number"
    if _LETTER.match(tt):
        return "letter"
    if _PAREN_NUMBER.match(tt):
        return "paren"
    if tt in _BULLETS:
        return "bullet" + tt
    return ""


def inline_band(line: str) -> Band | None:
    """A band written in words with its points: "- Có ban hành…: 2 điểm" → Band("Có ban hành…", 2)."""
    m = _INLINE_BAND.match(clean_cell(line))
    if not m:
        return None
    cell = read_points_cell(m.group("points"))
    if cell is None:
        return None
    return Band(text=m.group("text").strip(" -–:"), points=cell.points, min_points=cell.low, deduction=cell.deduction)


def split_inline_bands(text: str) -> tuple[list[str], list[Band], list[str]]:
    """A cell's lines → (plain lines, bands written inline, lines that look like bands but were not read)."""
    plain, bands, unread = [], [], []
    for line in clean_cell(text).split("\n"):
        parts = [p for p in re.split(r";\s*", line) if p.strip()] if line.count("điểm") + line.count("đ") > 1 else [line]
        read = [inline_band(p) for p in parts]
        if parts and all(read):
            bands.extend(read)  # type: ignore[arg-type]
        elif re.search(rf"{_NUM}\s*(?:điểm|đ)\b", line, re.IGNORECASE) and bands:
            unread.append(line)
        else:
            plain.append(line)
    return plain, bands, unread


def _band_from_row(content: str, cell: PointsCell, evidence: list[str]) -> Band:
    return Band(text=content, points=cell.points, evidence=evidence, min_points=cell.low, deduction=cell.deduction)


def build_rubric(rows: list[Row], meta: RubricMeta | None = None) -> ImportResult:
    """Assemble a rubric tree from rows, then read band conditions and scoring rules."""
    meta = meta or RubricMeta()
    result = ImportResult(Rubric(meta=meta, sections=[]))
    rubric = result.rubric
    section: Node | None = None
    by_number: dict[str, Node] = {}
    current: Node | None = None  # the criterion bands attach to
    anchor: Node | None = None  # the last node numbered 1 / 1.1, which lettered rows nest under
    outline: list[tuple[str, Node]] = []  # lettered / bulleted levels open under the anchor
    unnumbered = 0
    where_of: dict[int, str] = {}

    def warn(row: Row, why: str) -> None:
        result.warnings.append(f"{row.where}: {why} — giữ nguyên dạng chữ: "
                               f"{' | '.join(x for x in (row.tt, row.content, row.points) if x)}")
        result.unplaced.append(row)

    def keep_extras(row: Row, node: Node | None) -> None:
        for header, value in row.extras.items():
            if clean_cell(value):
                result.extra_values.setdefault(header, {})[node.id if node else "total"] = clean_cell(value)

    def attach_bands(node: Node, row: Row, lines: list[str]) -> list[str]:
        """Bands written inline in the content or in a Cách tính điểm column; returns the remaining lines."""
        plain, bands, unread = split_inline_bands("\n".join(lines[1:])) if len(lines) > 1 else ([], [], [])
        method_plain, method_bands, method_unread = split_inline_bands(row.method) if row.method else ([], [], [])
        node.bands.extend(bands + method_bands)
        for line in unread + method_unread + method_plain:
            result.not_understood.append(f"{row.where}: không đọc được mức điểm “{line}” của {node.id}")
        return lines[:1] + plain

    def next_band_row(position: int) -> bool:
        """Whether the row after `position` is a plain band row (no number, points given)."""
        if position + 1 >= len(rows):
            return False
        nxt = rows[position + 1]
        return not clean_cell(nxt.tt) and read_points_cell(nxt.points) is not None

    def next_other_bullet(position: int, style: str) -> bool:
        """Whether the next row is a bullet of another kind ("-" then "+"): the "-" row heads those."""
        if position + 1 >= len(rows):
            return False
        other = numbering_style(clean_cell(rows[position + 1].tt))
        return other.startswith("bullet") and other != style

    for position, row in enumerate(rows):
        tt, content = clean_cell(row.tt), clean_cell(row.content)
        if tt.endswith(".") and not _LETTER.match(tt):
            tt = tt.rstrip(".")
        lines = content.split("\n") if content else []
        content = " ".join(lines)
        evidence = _evidence_lines(row.evidence)
        cell = read_points_cell(row.points)
        points = cell.points if cell is not None and cell.deduction is None else None
        if not tt and not content and not clean_cell(row.points):
            if evidence and current is not None:  # evidence spilling over into the next row
                (current.bands[-1].evidence if current.bands else current.evidence).extend(evidence)
            continue
        if _NOTE.match(content) or _NOTE.match(tt):
            rubric.meta.note = "\n".join(filter(None, [rubric.meta.note, content or tt]))
            continue
        if clean_cell(row.points) and cell is None:
            numbered = bool(numbering_style(tt)) and not tt.startswith(_BULLETS)
            warn(row, f"không đọc được số điểm '{clean_cell(row.points)}'"
                      + ("; tiêu chí vẫn được tạo, chưa có điểm chuẩn" if numbered else ""))
            if not numbered:
                continue  # a band without points cannot score; a criterion still holds its bands
        if is_roman(tt) and (_TOTAL_WORDS.match(content) or (section and not content)):
            rubric.declared_total = points
            rubric.total_label = content or "CỘNG ĐIỂM"
            section, current = None, None
            keep_extras(row, None)
            continue
        if not tt and _TOTAL_WORDS.match(content) and not evidence:
            rubric.declared_total = points
            rubric.total_label = content
            section, current = None, None
            keep_extras(row, None)
            continue
        if is_roman(tt):
            section = Node(id=tt, tt=tt, title=content, max=points, kind="section", evidence=evidence)
            rubric.sections.append(section)
            where_of[id(section)] = row.where
            keep_extras(row, section)
            by_number, current, unnumbered, anchor, outline = {}, None, 0, section, []
            continue
        if section is None:
            warn(row, "dòng nằm ngoài mọi mục I, II, III")
            continue
        prefixed = _ROMAN_PREFIX.match(tt)
        if prefixed and prefixed.group(1) == section.tt:
            tt = prefixed.group(2)  # "I.1" in section I is criterion 1
        style = numbering_style(tt)
        if style.startswith("bullet") and (cell is None or next_band_row(position) or row.method
                                           or split_inline_bands("\n".join(lines[1:]))[1]
                                           or next_other_bullet(position, style)):
            pass  # a bulleted row heading bands of its own: a criterion at a bullet level
        elif style.startswith("bullet"):
            style, tt = "", ""  # "- | Có ban hành | 1": a band written with a bullet
            content = content.lstrip("-+•–* ")
            lines = [content]
        if style == "number":
            parent_number = tt.rsplit(".", 1)[0] if "." in tt else ""
            parent = by_number.get(parent_number, section) if parent_number else section
            if parent_number and parent_number not in by_number:
                warn(row, f"không có tiêu chí cha '{parent_number}' cho '{tt}'; đặt thẳng dưới mục {section.tt}")
            if not content:
                result.warnings.append(f"{row.where}: tiêu chí '{tt}' không có nội dung; ghi tạm '{NO_TITLE}'")
            node = Node(id=f"{section.tt}.{tt}", tt=tt, title=content or NO_TITLE, max=points, evidence=evidence)
            lines = attach_bands(node, row, lines)
            node.title = " ".join(lines) or NO_TITLE
            parent.children.append(node)
            by_number[tt] = node
            current = anchor = node
            outline = []
            where_of[id(node)] = row.where
            keep_extras(row, node)
            continue
        if style:
            levels = [s for s, _ in outline]
            if style in levels:
                del outline[levels.index(style):]
            parent = outline[-1][1] if outline else (anchor or section)
            key = (_LETTER.match(tt) or _PAREN_NUMBER.match(tt))
            label = next(g for g in key.groups() if g) if key else str(
                sum(1 for c in parent.children if c.tt == tt) + 1)
            node = Node(id=f"{parent.id}.{label}", tt=tt, title=content or NO_TITLE, max=points, evidence=evidence)
            lines = attach_bands(node, row, lines)
            node.title = " ".join(lines) or NO_TITLE
            parent.children.append(node)
            outline.append((style, node))
            current = node
            where_of[id(node)] = row.where
            keep_extras(row, node)
            continue
        if tt:
            warn(row, f"số thứ tự '{tt}' không đọc được")
            continue
        # An unnumbered row: a band of the open criterion, or — right under a section — a criterion.
        if current is None or (current is section):
            unnumbered += 1
            node = Node(id=f"{section.tt}.{chr(ord('a') + unnumbered - 1)}", tt="", title=content, max=points,
                        evidence=evidence)
            lines = attach_bands(node, row, lines)
            node.title = " ".join(lines)
            section.children.append(node)
            current = anchor = node
            outline = []
            where_of[id(node)] = row.where
            keep_extras(row, node)
            continue
        if cell is None:
            band = inline_band(content) if content else None
            if band is not None:
                band.evidence = evidence
                current.bands.append(band)
                continue
            if not content and evidence:
                current.evidence.extend(evidence)
                continue
            rule = _DEDUCTION_ROW.match(clean_cell(content)) if content and current.bands else None
            if rule is not None:
                # "Mỗi báo cáo chậm trừ 1 điểm" under a band, its points cell empty: the rule of that band,
                # written the way the district's own draft writes it, "… (Mỗi tiêu chí không đạt … trừ 0,75 điểm)".
                # How many items it counts is not written, so no deduction is inferred: the words stay the rule.
                band = current.bands[-1]
                band.text = f"{band.text} ({content.strip(' ()')})"
                band.evidence.extend(evidence)
                result.notes.append(f"{row.where}: dòng không ghi số điểm “{content}” là điểm trừ của mức trên "
                                    f"({current.id}): đã ghép vào mức đó — kiểm tra")
                continue
            warn(row, "dòng mức điểm không có số điểm")
            continue
        current.bands.append(_band_from_row(content, cell, evidence))

    for node in rubric.walk():
        if node.max is None and node.kind != "section":
            result.warnings.append(f"tiêu chí {node.id}: không có điểm chuẩn")
        elif node.max is None:
            result.notes.append(f"{where_of.get(id(node), node.id)}: mục {node.id} không có điểm chuẩn (ô Điểm "
                                f"trống, hay bị gộp với ô Nội dung?) — ghi 'max:' của mục trong tệp YAML")
        if not node.owner and node.kind != "section":
            node.owner = propose_owner(node.evidence + [e for b in node.bands for e in b.evidence])
        finish_leaf(node)
        _report_unread_bands(node, where_of.get(id(node), node.id), result)
    return result


def _report_unread_bands(node: Node, where: str, result: ImportResult) -> None:
    """Bands left without a condition among measured siblings: a phrasing the parser did not understand."""
    if node.scoring != "choice" or len(node.bands) < 2:
        return
    if not any(b.condition is not None and b.condition.measure != "yes_no" for b in node.bands):
        return
    for band in node.bands:
        if band.condition is None and band.per_unit is None and band.deduction is None:
            result.not_understood.append(f"{where}: không đọc được điều kiện của mức “{band.text}” ({node.id})")


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
        if band.points == ZERO and node.max is not None:
            band.points = node.max  # "Trừ 0,75" in the points cell: the band starts from the full maximum
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
