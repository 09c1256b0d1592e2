"""Scoring and ranking: leaf points → totals, index, classification, rank. Pure over the model.

Exact decimals throughout; the index is rounded only for display
(`display_index`). How a task that did not arise ("không phát sinh") counts and
the classification thresholds are `Settings`, read from `scores/settings.yaml`
(or a `scoring:` block of `round.yaml`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

from ..errors import ValidationError
from ..model import ZERO, Node, Rubric
from ..schema import FieldReader
from ..vn import index_plain, points_or_kps
from .sheet import Sheet, check_entries

#: The index rounded to 2 decimals for JSON and spreadsheets ("87.63"); the rule lives in `vn.round_index`.
display_index = index_plain
#: Points for a table cell: "1,5", or "KPS" for a task that did not arise.
points_text = points_or_kps

HUNDRED = Decimal(100)
NOT_ARISING_RULES = ("exclude", "full")
DEFAULT_CLASSES: tuple[tuple[str, Decimal], ...] = (
    ("xuất sắc", Decimal(90)), ("tốt", Decimal(80)), ("khá", Decimal(70)), ("trung bình", Decimal(60)),
    ("yếu", ZERO),
)


@dataclass(slots=True)
class Settings:
    """How to count tasks that did not arise, and the classification scale (highest threshold first)."""

    not_arising: str = "exclude"
    classes: tuple[tuple[str, Decimal], ...] = DEFAULT_CLASSES


def settings_from_data(data: Any, source: str = "") -> Settings:
    """Settings from YAML data: `{not_arising: exclude|full, classes: [{name, min}, …]}`."""
    if data is None:
        return Settings()
    read = FieldReader(source)
    data = read.mapping(data, what="cấu hình chấm điểm phải là một khối")
    rule = read.text(data, "not_arising") or "exclude"
    if rule not in NOT_ARISING_RULES:
        raise read.fail(f"'not_arising: {rule}' không hợp lệ", data,
                        fix="dùng 'exclude' (không tính vào điểm tối đa) hoặc 'full' (cho đủ điểm)")
    classes = DEFAULT_CLASSES
    if data.get("classes") is not None:
        fix = "ví dụ: - {name: xuất sắc, min: 90}"
        parsed = []
        for item in read.sequence(data, "classes", required=True, what="'classes' phải là danh sách {name, min}",
                                  fix=fix):
            if not isinstance(item, dict):
                raise read.fail("mỗi xếp loại cần 'name' và 'min'", data, fix)
            name = read.text(item, "name", required=True, label="tên xếp loại", fix=fix)
            parsed.append((name, read.points(item, "min", required=True)[0]))
        classes = tuple(sorted(parsed, key=lambda c: c[1], reverse=True))
    return Settings(not_arising=rule, classes=classes)


def load_settings(scores_dir: str | os.PathLike, round_file: str | os.PathLike | None = None) -> Settings:
    """The workspace's settings: scores/settings.yaml, else round.yaml's `scoring:` block, else defaults."""
    from ..yamlio import read_yaml

    own = Path(scores_dir) / "settings.yaml"
    if own.is_file():
        return settings_from_data(read_yaml(own), str(own))
    if round_file is not None and Path(round_file).is_file():
        data = read_yaml(round_file)
        if isinstance(data, dict) and data.get("scoring") is not None:
            return settings_from_data(data["scoring"], str(round_file))
    return Settings()


def classify(index: Decimal | None, settings: Settings) -> str:
    """The classification of an index under the settings' scale ("" when nothing was scored)."""
    if index is None:
        return ""
    for name, minimum in settings.classes:
        if index >= minimum:
            return name
    return settings.classes[-1][0]


@dataclass(slots=True)
class Totals:
    """Achieved points, the applicable maximum and the index = total ÷ max × 100 (exact)."""

    total: Decimal
    max: Decimal

    @property
    def index(self) -> Decimal | None:
        return self.total / self.max * HUNDRED if self.max else None


class RubricPlan:
    """What scoring needs from a rubric, computed once per batch: nodes by id, the tree bottom-up,
    and the memo of answers already scored (see `check_entries`)."""

    def __init__(self, rubric: Rubric):
        self.rubric = rubric
        self.index = rubric.index()
        self.memo: dict = {}
        #: (id, leaf maximum or None for a parent, child ids), children before their parent.
        self.bottom_up: list[tuple[str, Decimal | None, list[str]]] = []
        seen: set[str] = set()

        def visit(node: Node) -> None:
            for child in node.children:
                visit(child)
            if node.id in seen:
                return  # a duplicated id (a defect check reports) is counted once, as rubric.index() does
            seen.add(node.id)
            self.bottom_up.append((node.id, (node.max or ZERO) if not node.children else None,
                                   [c.id for c in node.children]))

        for section in rubric.sections:
            visit(section)
        self.section_ids = list(dict.fromkeys(s.id for s in rubric.sections))


def node_totals(rubric: Rubric | RubricPlan, leaf_points: dict[str, Decimal | None],
                settings: Settings) -> tuple[Totals, dict[str, Totals]]:
    """Totals of the whole rubric and of every node: leaves as given, parents as sums.

    A leaf with `None` did not arise: under `exclude` it leaves both the total
    and the maximum; under `full` it earns its maximum. A leaf absent from
    `leaf_points` is not counted at all (used by the impact preview for new leaves).
    """
    plan = rubric if isinstance(rubric, RubricPlan) else RubricPlan(rubric)
    full = settings.not_arising == "full"
    per_node: dict[str, Totals] = {}
    missing = object()
    for node_id, leaf_max, child_ids in plan.bottom_up:
        if leaf_max is not None:
            points = leaf_points.get(node_id, missing)
            if points is missing:
                per_node[node_id] = Totals(ZERO, ZERO)
            elif points is None:
                per_node[node_id] = Totals(leaf_max, leaf_max) if full else Totals(ZERO, ZERO)
            else:
                per_node[node_id] = Totals(points, leaf_max)  # type: ignore[arg-type]
        else:
            total = maximum = ZERO
            for child_id in child_ids:
                sub = per_node[child_id]
                total += sub.total
                maximum += sub.max
            per_node[node_id] = Totals(total, maximum)
    grand_total = grand_max = ZERO
    for section_id in plan.section_ids:
        sub = per_node[section_id]
        grand_total += sub.total
        grand_max += sub.max
    return Totals(grand_total, grand_max), per_node


@dataclass(slots=True)
class Adjustment:
    """An appraisal change to one leaf: self-assessed and appraised points (None = không phát sinh) and why."""

    id: str
    self_points: Decimal | None
    appraised_points: Decimal | None
    reason: str


@dataclass(slots=True)
class OfficeScore:
    """One office's result: self-assessed and appraised totals side by side, class and rank."""

    office: str
    self: Totals
    appraised: Totals
    self_points: dict[str, Decimal | None]
    appraised_points: dict[str, Decimal | None]
    nodes: dict[str, Totals]
    adjustments: list[Adjustment] = field(default_factory=list)
    klass: str = ""
    rank: int = 0
    sources: list[str] = field(default_factory=list)
    #: Whether an appraisal sheet was read: without one the appraised column only repeats the self-assessment.
    appraised_by_sheet: bool = False

    @property
    def appraisal_state(self) -> str:
        """chưa thẩm định · đã thẩm định (không điều chỉnh) · đã thẩm định (có điều chỉnh)."""
        if not self.appraised_by_sheet:
            return APPRAISAL_STATES[0]
        return APPRAISAL_STATES[2] if self.adjustments else APPRAISAL_STATES[1]


APPRAISAL_STATES = ("chưa thẩm định", "đã thẩm định (không điều chỉnh)", "đã thẩm định (có điều chỉnh)")


@dataclass(slots=True)
class SheetFailure:
    """An office whose sheets have errors: reported, never scored."""

    office: str
    sources: list[str]
    problems: list[ValidationError]


@dataclass(slots=True)
class CriterionLoss:
    """Where offices lose points on one leaf (appraised), over the offices where it applied."""

    id: str
    title: str
    max: Decimal
    lost: Decimal
    offices_losing: list[str]
    applicable: int
    not_arising: int


@dataclass(slots=True)
class ScoreReport:
    """All offices of a round scored against one rubric: ranked scores and refused sheets."""

    rubric: Rubric
    settings: Settings
    offices: list[OfficeScore]
    failures: list[SheetFailure]

    def losses(self) -> list[CriterionLoss]:
        """Per leaf, the points lost across offices, largest loss first."""
        out = []
        for node in self.rubric.leaves():
            maximum = node.max or ZERO
            lost, losing, applicable, absent = ZERO, [], 0, 0
            for office in self.offices:
                if node.id not in office.appraised_points:
                    continue
                points = office.appraised_points[node.id]
                if points is None:
                    absent += 1
                    continue
                applicable += 1
                if points < maximum:
                    lost += maximum - points
                    losing.append(office.office)
            out.append(CriterionLoss(node.id, node.title, maximum, lost, losing, applicable, absent))
        out.sort(key=lambda c: (-c.lost, -len(c.offices_losing)))
        return out


def score_office(rubric: Rubric | RubricPlan, self_sheet: Sheet, appraisal: Sheet | None = None,
                 settings: Settings | None = None, *, require_all: bool = True) -> OfficeScore | SheetFailure:
    """One office scored from its self-assessment and (optional) appraisal; a failure if either has errors."""
    settings = settings or Settings()
    plan = rubric if isinstance(rubric, RubricPlan) else RubricPlan(rubric)
    index, memo = plan.index, plan.memo
    self_points, problems = check_entries(index, self_sheet, require_all=require_all, memo=memo)
    sources = [self_sheet.source]
    appraised_points = dict(self_points)
    adjustments: list[Adjustment] = []
    if appraisal is not None:
        sources.append(appraisal.source)
        changes, more = check_entries(index, appraisal, require_all=False, memo=memo)
        problems += more
        if appraisal.rubric and self_sheet.rubric and appraisal.rubric != self_sheet.rubric:
            problems.append(ValidationError(
                f"phiếu thẩm định theo phiên bản {appraisal.rubric}, phiếu tự chấm theo {self_sheet.rubric}",
                path=appraisal.source, line=appraisal.line, fix="chấm và thẩm định theo cùng một phiên bản"))
        for node_id, points in changes.items():
            adjustments.append(Adjustment(node_id, self_points.get(node_id), points,
                                          appraisal.entries[node_id].reason))
            appraised_points[node_id] = points
    if problems:
        return SheetFailure(self_sheet.office, sources, problems)
    appraised_totals, nodes = node_totals(plan, appraised_points, settings)
    self_totals = appraised_totals if not adjustments else node_totals(plan, self_points, settings)[0]
    return OfficeScore(self_sheet.office, self_totals, appraised_totals, self_points, appraised_points, nodes,
                       adjustments, classify(appraised_totals.index, settings), sources=sources,
                       appraised_by_sheet=appraisal is not None)


def rank_offices(scores: list[OfficeScore]) -> list[OfficeScore]:
    """Sorted by appraised index, highest first, with shared ranks for ties (1, 2, 2, 4)."""
    ordered = sorted(scores, key=lambda s: (-(s.appraised.index or ZERO), s.office))
    previous, rank = None, 0
    for position, score in enumerate(ordered, 1):
        if score.appraised.index != previous:
            rank, previous = position, score.appraised.index
        score.rank = rank
    return ordered


def score_sheets(rubric: Rubric, sheets: Iterable[Sheet], settings: Settings | None = None) -> ScoreReport:
    """Every office's sheets (self + appraisal) scored and ranked; offices with bad sheets are set apart."""
    settings = settings or Settings()
    plan = RubricPlan(rubric)
    by_office: dict[str, dict[str, list[Sheet]]] = {}
    failures: list[SheetFailure] = []
    for sheet in sheets:
        if not sheet.office or sheet.kind not in ("self", "appraisal"):
            failures.append(SheetFailure(sheet.office or "?", [sheet.source], list(sheet.problems)))
            continue
        by_office.setdefault(sheet.office, {"self": [], "appraisal": []})[sheet.kind].append(sheet)
    scored: list[OfficeScore] = []
    for office, kinds in by_office.items():
        selves, appraisals = kinds["self"], kinds["appraisal"]
        sources = [s.source for s in selves + appraisals]
        if len(selves) != 1 or len(appraisals) > 1:
            kind_name, group = ("tự chấm", selves) if len(selves) != 1 else ("thẩm định", appraisals)
            message = (f"cơ quan {office} chưa có phiếu tự chấm" if not selves else
                       f"cơ quan {office} có {len(group)} phiếu {kind_name}: " + ", ".join(s.source for s in group))
            failures.append(SheetFailure(office, sources, [ValidationError(
                message, path=(appraisals or selves)[0].source, fix="mỗi cơ quan một phiếu tự chấm và tối đa "
                                                                   "một phiếu thẩm định")]))
            continue
        for sheet in selves + appraisals:
            if sheet.rubric and rubric.meta.version and sheet.rubric != rubric.meta.version:
                sheet.problems.append(ValidationError(
                    f"phiếu chấm theo phiên bản {sheet.rubric}, đang chấm theo {rubric.meta.version}",
                    path=sheet.source, line=sheet.line, fix=f"chấm với --rubric {sheet.rubric}"))
        result = score_office(plan, selves[0], appraisals[0] if appraisals else None, settings)
        (failures if isinstance(result, SheetFailure) else scored).append(result)  # type: ignore[arg-type]
    failures.sort(key=lambda f: f.office)
    return ScoreReport(rubric, settings, rank_offices(scored), failures)
