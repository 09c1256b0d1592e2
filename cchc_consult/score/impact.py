"""Score-impact preview: the sheets written against one version, re-scored under another.

Before accepting a comment that changes points, Nội vụ wants to know how each
office's index and rank would move. Entries follow their criterion through the
diff's id map (renumbered criteria keep their answers); a measured value is
re-banded under the new conditions; an answer the new version cannot take
(a band that no longer exists, a removed criterion) is listed, not guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..model import ZERO, Rubric
from .compute import OfficeScore, RubricPlan, ScoreReport, Settings, classify, node_totals, rank_offices
from .sheet import Sheet, check_entries
from ..diff import band_map, diff_rubrics


@dataclass(slots=True)
class ImpactRow:
    """One office before and after: index, class and rank, and what could not be carried over."""

    office: str
    before: OfficeScore
    after: OfficeScore
    #: Old ids whose answer could not be used under the new version, with why.
    dropped: list[tuple[str, str]] = field(default_factory=list)
    #: New leaves no sheet answers (added criteria): not counted until scored.
    unanswered: list[str] = field(default_factory=list)

    @property
    def index_delta(self) -> Decimal:
        return (self.after.appraised.index or ZERO) - (self.before.appraised.index or ZERO)

    @property
    def rank_delta(self) -> int:
        """Places gained (positive) or lost (negative)."""
        return self.before.rank - self.after.rank


@dataclass(slots=True)
class ImpactPreview:
    """The base report, the re-scored offices ranked under the new version, and the id map used."""

    base: ScoreReport
    new_rubric: Rubric
    rows: list[ImpactRow]
    id_map: dict[str, str]


def _band_number(value) -> int | None:
    """A 1-based band number as a sheet writes it (2, "2"), or None when it is not one."""
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _remap_bands(entry, bands: dict[int, int]) -> str:
    """Renumber an entry's chosen/checked bands through the band alignment; the reason when one is gone."""
    if entry.band is not None:
        number = _band_number(entry.band)
        if number is not None:
            if number - 1 not in bands:
                return f"mức {number} đã chọn không còn ở phiên bản mới"
            entry.band = bands[number - 1] + 1
    if isinstance(entry.checked, list):
        numbers = [_band_number(v) for v in entry.checked]
        if None not in numbers:
            missing = [n for n in numbers if n - 1 not in bands]  # type: ignore[operator]
            if missing:
                return f"nội dung {', '.join(map(str, missing))} đã đánh dấu không còn ở phiên bản mới"
            entry.checked = [bands[n - 1] + 1 for n in numbers]  # type: ignore[operator]
    return ""


def remap_sheet(sheet: Sheet, id_map: dict[str, str],
                band_maps: dict[str, dict[int, int]] | None = None) -> tuple[Sheet, list[tuple[str, str]]]:
    """A copy of a sheet with entries keyed by their new ids; entries of removed criteria are listed.

    With `band_maps` (old id → old band index → new band index, from `diff.band_map`), a chosen
    band follows its words when bands were added, removed or reordered.
    """
    entries, dropped = {}, []
    for old_id, entry in sheet.entries.items():
        new_id = id_map.get(old_id)
        if new_id is None:
            dropped.append((old_id, "tiêu chí bị bỏ ở phiên bản mới"))
            continue
        moved = type(entry)(**{name: getattr(entry, name) for name in entry.__slots__})  # type: ignore[attr-defined]
        moved.id = new_id
        if band_maps is not None and old_id in band_maps:
            why = _remap_bands(moved, band_maps[old_id])
            if why:
                dropped.append((old_id, why))
                continue
        entries[new_id] = moved
    copy = Sheet(sheet.office, sheet.rubric, sheet.kind, sheet.date, sheet.source, entries, sheet.assessor,
                 sheet.line)
    return copy, dropped


def _carry(plan: RubricPlan, sheet: Sheet, id_map: dict[str, str],
           band_maps: dict[str, dict[int, int]] | None = None) -> tuple[dict, list[tuple[str, str]]]:
    remapped, dropped = remap_sheet(sheet, id_map, band_maps)
    points, problems = check_entries(plan.index, remapped, require_all=False, memo=plan.memo)
    by_line = {p.line: p.message for p in problems}
    reverse = {v: k for k, v in id_map.items()}
    for new_id, entry in remapped.entries.items():
        if new_id not in points:
            dropped.append((reverse.get(new_id, new_id), by_line.get(entry.line, "không chấm được")))
    return points, dropped


def impact_preview(base: ScoreReport, new_rubric: Rubric, sheets: list[Sheet],
                   id_map: dict[str, str] | None = None) -> ImpactPreview:
    """Re-score the offices of `base` under `new_rubric` (id map from the diff when not given)."""
    if id_map is None:

        id_map = diff_rubrics(base.rubric, new_rubric).id_map()

    settings: Settings = base.settings
    plan = RubricPlan(new_rubric)
    old_index, new_index = base.rubric.index(), new_rubric.index()
    band_maps = {old: band_map(old_index[old], new_index[new]) for old, new in id_map.items()
                 if old in old_index and new in new_index and old_index[old].bands}
    by_office: dict[tuple[str, str], Sheet] = {(s.office, s.kind): s for s in sheets}
    rows: list[ImpactRow] = []
    after_scores: list[OfficeScore] = []
    for before in base.offices:
        self_sheet = by_office[(before.office, "self")]
        self_points, dropped = _carry(plan, self_sheet, id_map, band_maps)
        appraised_points = dict(self_points)
        appraisal = by_office.get((before.office, "appraisal"))
        if appraisal is not None:
            changes, more = _carry(plan, appraisal, id_map, band_maps)
            dropped += more
            appraised_points.update(changes)
        self_totals, _ = node_totals(plan, self_points, settings)
        appraised_totals, nodes = node_totals(plan, appraised_points, settings)
        after = OfficeScore(before.office, self_totals, appraised_totals, self_points, appraised_points, nodes,
                            klass=classify(appraised_totals.index, settings), sources=before.sources,
                            appraised_by_sheet=before.appraised_by_sheet)
        answered = {id_map[old] for old in self_sheet.entries if old in id_map}
        unanswered = [n.id for n in new_rubric.leaves() if n.id not in answered]
        after_scores.append(after)
        rows.append(ImpactRow(before.office, before, after, dropped, unanswered))
    rank_offices(after_scores)
    rows.sort(key=lambda r: (r.after.rank, r.office))
    return ImpactPreview(base, new_rubric, rows, id_map)
