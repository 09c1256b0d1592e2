"""Score sheets, appraisal and ranking of the offices.

`sheet` reads and checks sheets, `compute` turns leaf points into totals,
classes and ranks (pure), `impact` re-scores sheets under another version,
`report` renders text/JSON/HTML/XLSX, `template` writes a blank sheet. This
module holds the I/O entry points a Python user calls.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..yamlio import paused_gc
from .compute import (
    DEFAULT_CLASSES, CriterionLoss, OfficeScore, ScoreReport, Settings, SheetFailure, Totals, classify,
    display_index, load_settings, node_totals, rank_offices, score_office, score_sheets, settings_from_data,
)
from .sheet import Entry, Sheet, check_entries, entry_points, read_sheet, sheet_from_data

__all__ = [
    "DEFAULT_CLASSES", "CriterionLoss", "Entry", "OfficeScore", "ScoreReport", "Settings", "Sheet", "SheetFailure",
    "Totals", "check_entries", "classify", "display_index", "entry_points", "load_settings", "load_sheets",
    "node_totals", "rank_offices", "read_sheet", "score_office", "score_sheets", "score_workspace",
    "set_appraisal", "settings_from_data", "sheet_files", "sheet_from_data",
]

SETTINGS_NAME = "settings.yaml"


def sheet_files(scores_dir: str | os.PathLike) -> list[Path]:
    """Every sheet under scores/ (any depth), settings.yaml excepted, in a stable order."""
    root = Path(scores_dir)
    if not root.is_dir():
        return []
    found = [p for pattern in ("*.yaml", "*.xlsx") for p in root.rglob(pattern)]
    return sorted(p for p in found if p.name != SETTINGS_NAME and not p.name.startswith((".", "~$")))


def load_sheets(paths_or_dir: str | os.PathLike | list) -> list[Sheet]:
    """Sheets from a folder (recursively) or a list of files, with the collector paused.

    A file that is not readable YAML becomes a sheet whose `problems` say so, so
    one broken file never hides the others.
    """
    from ..errors import CchcError

    paths = sheet_files(paths_or_dir) if not isinstance(paths_or_dir, list) else [Path(p) for p in paths_or_dir]
    sheets: list[Sheet] = []
    with paused_gc():
        for path in paths:
            try:
                sheets.append(read_sheet(path))
            except CchcError as exc:
                broken = Sheet(office=path.stem.split(".")[0], rubric="", kind="self", date="", source=str(path),
                               entries={})
                broken.problems.append(exc)  # type: ignore[arg-type]
                sheets.append(broken)
    return sheets


def sheets_version(sheets: list[Sheet]) -> str | None:
    """The rubric version the sheets were written against, when they agree on one."""
    versions = {s.rubric for s in sheets if s.rubric}
    return versions.pop() if len(versions) == 1 else None


def set_appraisal(workspace, office: str, criterion: str, points, reason: str, **options):
    """Record one appraised score (points or "KPS") with its reason; see `score.edit.set_appraisal`."""
    from .edit import set_appraisal as _set

    return _set(workspace, office, criterion, points, reason, **options)


def score_workspace(workspace, rubric_spec: str | None = None, settings: Settings | None = None) -> ScoreReport:
    """Score every sheet in a workspace's scores/ folder against a version (default: the sheets' own)."""
    sheets = load_sheets(workspace.scores)
    spec = rubric_spec or sheets_version(sheets)
    rubric = workspace.rubric_file(spec)  # a frozen version is checked against its recorded hash
    settings = settings or load_settings(workspace.scores, workspace.round_file)
    return score_sheets(rubric, sheets, settings)
