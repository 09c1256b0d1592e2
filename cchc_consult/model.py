"""The rubric tree: sections, criteria, bands and their machine conditions.

Pure data with exact decimals. No file I/O and no Textual here: every other
layer (schema, check, diff, score, render, TUI) builds on these types.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from collections.abc import Iterator

from .errors import PointsError
from .vn import format_points

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


class Record:
    """Value semantics for a class whose fields are its `__slots__`: what @dataclass would add, without it.

    Importing `dataclasses` (it imports `inspect`, `ast`, `dis`…) and generating each class's methods
    cost ~15 ms of every `cchc check`; a record writes its `__init__` and inherits equality (over the
    fields but those in `_uncompared`), `repr`, `replace` and `as_dict` from here.
    """

    __slots__ = ()
    _uncompared: frozenset[str] = frozenset()

    def _compared(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__ if name not in self._uncompared)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._compared() == other._compared()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]  # mutable, so unhashable (as a dataclass without frozen=True)

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{self.__class__.__qualname__}({fields})"

    def replace(self, **changes):
        """A copy with some fields changed (what dataclasses.replace does)."""
        return self.__class__(**{name: getattr(self, name) for name in self.__slots__} | changes)

    def as_dict(self) -> dict:
        """The fields as a dict, records inside (and in lists) as dicts too (what dataclasses.asdict does)."""
        return {name: _plain(getattr(self, name)) for name in self.__slots__}


class FrozenRecord(Record):
    """A record whose fields never change once made (a dataclass with frozen=True): hashable by its fields."""

    __slots__ = ()

    def _set(self, **fields) -> None:
        """For `__init__`: set the fields that `__setattr__` refuses afterwards."""
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{self.__class__.__qualname__}.{name} cannot be changed")

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(self._compared())


def _plain(value):
    if isinstance(value, Record):
        return value.as_dict()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class Condition(Record):
    """The measurable part of a band: a measure and an interval of its values.

    `also` carries any further requirement in words ("có ban hành kế hoạch",
    "có nhiệm vụ hoàn thành muộn"); two bands whose `also` differ may share an
    interval without overlapping.
    """

    __slots__ = ("measure", "low", "high", "low_closed", "high_closed", "also")

    def __init__(self, measure: str, low: Decimal = ZERO, high: Decimal = INF, low_closed: bool = True,
                 high_closed: bool = False, also: str = "") -> None:
        self.measure = measure
        self.low = low
        self.high = high
        self.low_closed = low_closed
        self.high_closed = high_closed
        self.also = also

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


class PerUnit(Record):
    """Points per counted unit with the band's points as the cap: "01 sáng kiến = 02 điểm"."""

    __slots__ = ("unit", "points")

    def __init__(self, unit: str, points: Decimal) -> None:
        self.unit = unit
        self.points = points


class Band(Record):
    """One scoring level of a leaf: its words verbatim, its points, and a condition where the words carry one.

    `evidence`: written on the band's own row of the table (kept where it was). `deduction`: named
    inside the band's words, "(không đảm bảo trừ 0,5điểm)". `min_points`: a choice band "0,5-1", the
    appraiser gives any points from `min_points` to `points`. `overridden`: a condition the file states
    (`when:`) that the words contradict — the words win, check warns.
    """

    __slots__ = ("text", "points", "condition", "per_unit", "evidence", "deduction", "min_points", "overridden")

    def __init__(self, text: str, points: Decimal, condition: Condition | None = None,
                 per_unit: PerUnit | None = None, evidence: list[str] | None = None,
                 deduction: Decimal | None = None, min_points: Decimal | None = None,
                 overridden: Condition | None = None) -> None:
        self.text = text
        self.points = points
        self.condition = condition
        self.per_unit = per_unit
        self.evidence = [] if evidence is None else evidence
        self.deduction = deduction
        self.min_points = min_points
        self.overridden = overridden


class Node(Record):
    """A section (I, II, III) or a criterion / sub-criterion at any depth.

    `kind`: "section" or "criterion". `scoring` — choice: one band applies; deduction: max minus
    `per_item` for each failed item; checklist: the points of every checked band add up. `line`:
    where the node starts in its file (1-based), for messages, 0 when built in code (not compared).
    `max_text`: the raw text of the maximum as written, when it was not a clean number ("12   ").
    """

    __slots__ = ("id", "tt", "title", "max", "kind", "evidence", "owner", "bands", "scoring", "per_item", "items",
                 "children", "line", "max_text")
    _uncompared = frozenset({"line"})

    def __init__(self, id: str, tt: str, title: str, max: Decimal | None, kind: str = "criterion",  # noqa: A002
                 evidence: list[str] | None = None, owner: str = "", bands: list[Band] | None = None,
                 scoring: str = "choice", per_item: Decimal | None = None, items: list[str] | None = None,
                 children: list[Node] | None = None, line: int = 0, max_text: str = "") -> None:
        self.id = id
        self.tt = tt
        self.title = title
        self.max = max
        self.kind = kind
        self.evidence = [] if evidence is None else evidence
        self.owner = owner
        self.bands = [] if bands is None else bands
        self.scoring = scoring
        self.per_item = per_item
        self.items = [] if items is None else items
        self.children = [] if children is None else children
        self.line = line
        self.max_text = max_text

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


class RubricMeta(Record):
    """What the rubric is: who issues it, for which year, which version and its state."""

    __slots__ = ("issuer", "year", "title", "version", "status", "letter", "letter_date", "subtitle", "note")

    def __init__(self, issuer: str = "", year: int = 0, title: str = "", version: str = "", status: str = "draft",
                 letter: str = "", letter_date: str = "", subtitle: str = "", note: str = "") -> None:
        self.issuer = issuer
        self.year = year
        self.title = title
        self.version = version
        self.status = status
        self.letter = letter
        self.letter_date = letter_date
        self.subtitle = subtitle
        self.note = note


class Rubric(Record):
    """A whole rubric: metadata, the sections, and the declared grand total (row IV).

    `source`: the file it came from, for messages; "" when built in code (not compared).
    """

    __slots__ = ("meta", "sections", "declared_total", "total_label", "source")
    _uncompared = frozenset({"source"})

    def __init__(self, meta: RubricMeta, sections: list[Node], declared_total: Decimal | None = None,
                 total_label: str = "CỘNG ĐIỂM", source: str = "") -> None:
        self.meta = meta
        self.sections = sections
        self.declared_total = declared_total
        self.total_label = total_label
        self.source = source

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
