"""Score sheets, appraisal and ranking of the offices.

`sheet` reads and checks sheets (one file or a folder), `compute` turns leaf
points into totals, classes and ranks (pure), `impact` re-scores sheets under
another version, `report` gives the JSON shape, `template` writes a blank
sheet, `edit` records an appraisal. The documents are in `render.score`. This
module holds the I/O entry points a Python user calls.
"""

from __future__ import annotations

from .compute import (
    DEFAULT_CLASSES, CriterionLoss, OfficeScore, ScoreReport, Settings, SheetFailure, Totals, classify,
    display_index, load_settings, node_totals, rank_offices, score_office, score_sheets, settings_from_data,
)
from .edit import set_appraisal
from .sheet import (
    Entry, Sheet, check_entries, entry_points, load_sheets, read_sheet, sheet_files, sheet_from_data, sheets_version,
)

__all__ = [
    "DEFAULT_CLASSES", "CriterionLoss", "Entry", "OfficeScore", "ScoreReport", "Settings", "Sheet", "SheetFailure",
    "Totals", "check_entries", "classify", "display_index", "entry_points", "load_settings", "load_sheets",
    "node_totals", "rank_offices", "read_sheet", "score_office", "score_sheets", "score_workspace",
    "set_appraisal", "settings_from_data", "sheet_files", "sheet_from_data", "sheets_version",
]


def score_workspace(workspace, rubric_spec: str | None = None, settings: Settings | None = None) -> ScoreReport:
    """Score every sheet in a workspace's scores/ folder against a version (default: the sheets' own)."""
    sheets = load_sheets(workspace.scores)
    spec = rubric_spec or sheets_version(sheets)
    rubric = workspace.rubric_file(spec)  # a frozen version is checked against its recorded hash
    settings = settings or load_settings(workspace.scores, workspace.round_file)
    return score_sheets(rubric, sheets, settings)
