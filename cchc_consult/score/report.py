"""The scoring results as data: the documented JSON shape and the losses table.

The documents (text with unicode bars, HTML with a bar chart, XLSX) are in `render.score`.
"""

from __future__ import annotations

import json
from decimal import Decimal

from ..model import ZERO
from .compute import CriterionLoss, ScoreReport, display_index



def decimal_text(value: Decimal) -> str:
    """An exact decimal for JSON: "92.5", "100", "0.75" (no exponent, no trailing zeros)."""
    if value == value.to_integral():
        return str(int(value))
    return format(value.normalize(), "f")


def report_to_json(report: ScoreReport) -> dict:
    """The documented JSON shape; decimals as strings with a dot."""
    offices = []
    for o in report.offices:
        criteria = {}
        full = report.settings.not_arising == "full"
        for node in report.rubric.walk():
            totals = o.nodes.get(node.id)
            if totals is None:
                continue
            if node.is_leaf:
                if node.id not in o.appraised_points or (o.appraised_points[node.id] is None and not full):
                    continue  # not scored, or did not arise and leaves the maximum
            elif totals.max == ZERO:
                continue
            criteria[node.id] = decimal_text(totals.total)
        offices.append({
            "office": o.office,
            "self": {"total": decimal_text(o.self.total), "max": decimal_text(o.self.max),
                     "index": display_index(o.self.index)},
            "appraised": {"total": decimal_text(o.appraised.total), "max": decimal_text(o.appraised.max),
                          "index": display_index(o.appraised.index)},
            "class": o.klass,
            "rank": o.rank,
            "appraisal": o.appraisal_state,
            "criteria": criteria,
        })
    out: dict = {"offices": offices}
    if report.failures:
        out["refused"] = [{"office": f.office, "files": f.sources,
                           "errors": [{"file": e.path, "line": e.line, "message": e.message, "fix": e.fix}
                                      for e in f.problems]} for f in report.failures]
    return out


def render_json(report: ScoreReport) -> str:
    return json.dumps(report_to_json(report), ensure_ascii=False, indent=2)


def loss_rows(report: ScoreReport) -> list[CriterionLoss]:
    """Leaves where at least one office lost points, largest loss first."""
    return [c for c in report.losses() if c.lost > 0]
