"""The rubric tree: sections, criteria, bands and their machine conditions.

Pure data with exact decimals. No file I/O and no Textual here: every other
layer (schema, check, diff, score, render, TUI) builds on these types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from collections.abc import Iterator

from .errors import PointsError
from .vn import format_points, nfc  # noqa: F401  (nfc: re-exported, the text form of every field)

ZERO = Decimal(0)
INF = Decimal("Infinity")

#: What a band's condition measures.
MEASURES = ("percent", "days_late", "count", "yes_no")
#: How a leaf turns an office's answer into points.
SCORING_KINDS = ("choice", "deduction", "checklist")
STATUSES = ("draft", "circulated", "final")

_POINTS_RE = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")




#: Larger than any real number of points (a rubric totals 100): beyond it a value is a typing slip or an attack.
MAX_POINTS = Decimal(1_000_000)
#: Most decimal places a number of points may have ("0,125" is the finest band seen).
MAX_POINT_PLACES = 3


def parse_points(value: object) -> Decimal:
    """An exact decimal from "1,5", "1.5", "1,50", 2 or 1.5; refuses "1.5.2", "một", .nan, .inf and 10^7.

    A YAML `.nan` or `.inf` arrives as a float; a number beyond a million points or with more
    than three decimals is refused too, so every later sum and rounding is exact and finite.
    """
    if isinstance(value, bool):
        raise PointsError(f"không phải số điểm: {value!r}")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        if abs(value) > MAX_POINTS:
            raise _absurd(value)
        number = Decimal(value)
    elif isinstance(value, float):
        # repr() gives the shortest text that reads back as this float: "1.5", not 1.5000000000000000001
        number = Decimal(repr(value))
    else:
        text = str(value).replace("\u00a0", " ").strip()
        if len(text) > 40 or not _POINTS_RE.match(text):
            raise PointsError(f"không đọc được số điểm {str(value)[:40]!r} (viết như 2 hoặc 1,5)")
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
            raise PointsError(f"không đọc được số điểm {value!r}") from exc
    if not number.is_finite():
        raise PointsError(f"số điểm {value!r} không phải một số hữu hạn (NaN hoặc vô cực)")
    if abs(number) > MAX_POINTS:
        raise _absurd(value)
    if number.as_tuple().exponent < -MAX_POINT_PLACES and number != number.quantize(Decimal(1).scaleb(-MAX_POINT_PLACES)):
        raise PointsError(f"số điểm {str(value)[:40]!r} có quá {MAX_POINT_PLACES} chữ số thập phân")
    return number


def _absurd(value: object) -> PointsError:
    return PointsError(f"số điểm {str(value)[:40]} quá lớn (giới hạn {format_points(MAX_POINTS)} điểm)")


def store_points(value: Decimal) -> str:
    """Points as written to YAML: the displayed form, so a clerk can edit it."""
    return format_points(value)


@dataclass(slots=True)
class Condition:
    """The measurable part of a band: a measure and an interval of its values.

    `also` carries any further requirement in words ("có ban hành kế hoạch",
    "có nhiệm vụ hoàn thành muộn"); two bands whose `also` differ may share an
    interval without overlapping.
    """

    measure: str
    low: Decimal = ZERO
    high: Decimal = INF
    low_closed: bool = True
    high_closed: bool = False
    also: str = ""

    def contains(self, value: Decimal) -> bool:
        """Whether a measured value falls in this condition's interval."""
        if value < self.low or (value == self.low and not self.low_closed):
            return False
        if value > self.high or (value == self.high and not self.high_closed):
            return False
        return True

    @property
    def range_text(self) -> str:
        """Interval notation as stored in YAML: "[70, 80)", "(80, 100]", "[10, inf)"."""
        low = format_points(self.low).replace(",", ".")
        high = "inf" if self.high == INF else format_points(self.high).replace(",", ".")
        return f"{'[' if self.low_closed else '('}{low}, {high}{']' if self.high_closed else ')'}"

    def describe(self) -> str:
        """The condition in Vietnamese, for screens and reports."""
        unit = {"percent": "%", "days_late": " ngày", "count": "", "yes_no": ""}[self.measure]
        if self.measure == "yes_no":
            text = "có" if self.low >= 1 else "không"
        elif self.low == self.high:
            text = f"= {format_points(self.low)}{unit}"
        elif self.high == INF:
            text = f"{'≥' if self.low_closed else '>'} {format_points(self.low)}{unit}"
        elif self.low == ZERO and self.low_closed:
            text = f"{'≤' if self.high_closed else '<'} {format_points(self.high)}{unit}"
        else:
            text = (f"{format_points(self.low)}{unit} {'≤' if self.low_closed else '<'} x "
                    f"{'≤' if self.high_closed else '<'} {format_points(self.high)}{unit}")
        label = {"percent": "tỷ lệ", "days_late": "số ngày chậm", "count": "số lượng", "yes_no": "có/không"}
        out = f"{label[self.measure]} {text}"
        return f"{out} (và: {self.also})" if self.also else out


@dataclass(slots=True)
class PerUnit:
    """Points per counted unit with the band's points as the cap: "01 sáng kiến = 02 điểm"."""

    unit: str
    points: Decimal


@dataclass(slots=True)
class Band:
    """One scoring level of a leaf: its words verbatim, its points, and a condition where the words carry one."""

    text: str
    points: Decimal
    condition: Condition | None = None
    per_unit: PerUnit | None = None
    #: Evidence written on the band's own row of the table (kept where it was).
    evidence: list[str] = field(default_factory=list)
    #: A deduction named inside the band's words: "(không đảm bảo trừ 0,5điểm)".
    deduction: Decimal | None = None
    #: A choice band "0,5-1": the appraiser gives any points from `min_points` to `points`.
    min_points: Decimal | None = None
    #: A condition the file states (`when:`) that the words contradict: the words win, check warns.
    overridden: Condition | None = None


@dataclass(slots=True)
class Node:
    """A section (I, II, III) or a criterion / sub-criterion at any depth."""

    id: str
    tt: str
    title: str
    max: Decimal | None
    kind: str = "criterion"  # "section" or "criterion"
    evidence: list[str] = field(default_factory=list)
    owner: str = ""
    bands: list[Band] = field(default_factory=list)
    #: choice: one band applies; deduction: max minus per_item for each failed item;
    #: checklist: the points of every checked band add up.
    scoring: str = "choice"
    per_item: Decimal | None = None
    items: list[str] = field(default_factory=list)
    children: list["Node"] = field(default_factory=list)
    #: Where the node starts in its file (1-based), for messages; 0 when built in code.
    line: int = field(default=0, compare=False)
    #: The raw text of the maximum as written, when it was not a clean number ("12   ").
    max_text: str = ""

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self) -> Iterator["Node"]:
        """This node and every node below it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def children_sum(self) -> Decimal:
        return sum((c.max or ZERO for c in self.children), ZERO)


@dataclass(slots=True)
class RubricMeta:
    """What the rubric is: who issues it, for which year, which version and its state."""

    issuer: str = ""
    year: int = 0
    title: str = ""
    version: str = ""
    status: str = "draft"
    letter: str = ""
    letter_date: str = ""
    subtitle: str = ""
    note: str = ""


@dataclass(slots=True)
class Rubric:
    """A whole rubric: metadata, the sections, and the declared grand total (row IV)."""

    meta: RubricMeta
    sections: list[Node]
    declared_total: Decimal | None = None
    total_label: str = "CỘNG ĐIỂM"
    #: The file it came from, for messages; "" when built in code.
    source: str = field(default="", compare=False)

    def walk(self) -> Iterator[Node]:
        for section in self.sections:
            yield from section.walk()

    def leaves(self) -> Iterator[Node]:
        return (n for n in self.walk() if n.is_leaf)

    def index(self) -> dict[str, Node]:
        """Nodes by id (the first one wins when an id is duplicated)."""
        out: dict[str, Node] = {}
        for node in self.walk():
            out.setdefault(node.id, node)
        return out

    def parents(self) -> dict[str, Node]:
        """Each node id mapped to its parent node (sections have none)."""
        out: dict[str, Node] = {}
        for node in self.walk():
            for child in node.children:
                out.setdefault(child.id, node)
        return out

    def computed_total(self) -> Decimal:
        return sum((s.max or ZERO for s in self.sections), ZERO)

    def __len__(self) -> int:
        return sum(1 for _ in self.walk())
