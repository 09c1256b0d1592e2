"""The scoring results on screen and on paper: text with unicode bars, JSON, HTML with a bar chart, XLSX."""

from __future__ import annotations

import json
from decimal import Decimal

from ..model import ZERO, format_points
from .compute import CriterionLoss, ScoreReport, display_index, points_text

_EIGHTHS = " ▏▎▍▌▋▊▉"


def unicode_bar(value: Decimal | None, width: int = 30, scale: Decimal = Decimal(100)) -> str:
    """A horizontal bar of `width` cells for value/scale, with eighth-cell precision."""
    if value is None or value <= 0:
        return ""
    eighths = int(min(value, scale) / scale * width * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[rest] if rest else "")


def index_text(index: Decimal | None) -> str:
    """The index for people: 2 decimals, decimal comma ("87,63")."""
    return display_index(index).replace(".", ",") if index is not None else "—"


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


def _office_names() -> dict[str, str]:
    from ..offices import DEFAULT_OFFICES

    return {o.code: o.name for o in DEFAULT_OFFICES}


def render_text(report: ScoreReport, top_losses: int = 10) -> str:
    """The ranking table, unicode bars, where points are lost, and the refused sheets."""
    meta = report.rubric.meta
    names = _office_names()
    rule = "không tính vào điểm tối đa" if report.settings.not_arising == "exclude" else "được đủ điểm"
    lines = [f"KẾT QUẢ CHẤM ĐIỂM CHỈ SỐ CCHC{f' NĂM {meta.year}' if meta.year else ''} — bộ tiêu chí {meta.version}",
             f"(tiêu chí không phát sinh {rule}; chỉ số = điểm đạt ÷ điểm tối đa áp dụng × 100)", ""]
    lines.append(f"{'Hạng':>4}  {'Cơ quan':8} {'Tự chấm':>8} {'Thẩm định':>9} {'Tối đa':>6} {'Chỉ số':>6}  "
                 f"{'Xếp loại':10} ")
    for o in report.offices:
        lines.append(f"{o.rank:>4}  {o.office:8} {format_points(o.self.total):>8} "
                     f"{format_points(o.appraised.total):>9} {format_points(o.appraised.max):>6} "
                     f"{index_text(o.appraised.index):>6}  {o.klass:10} {unicode_bar(o.appraised.index)}")
    adjusted = [o for o in report.offices if o.adjustments]
    if adjusted:
        lines += ["", "Điều chỉnh khi thẩm định:"]
        for o in adjusted:
            for a in o.adjustments:
                lines.append(f"  {o.office:8} {a.id:10} {points_text(a.self_points):>4} → "
                             f"{points_text(a.appraised_points):<4} {a.reason}")
    losses = [c for c in report.losses() if c.lost > 0][:top_losses]
    if losses:
        lines += ["", f"Các tiêu chí bị mất điểm nhiều nhất (theo điểm thẩm định, {len(losses)} tiêu chí đầu):"]
        for c in losses:
            lines.append(f"  {c.id:10} mất {format_points(c.lost):>5} điểm ở {len(c.offices_losing):>2} cơ quan "
                         f"({', '.join(c.offices_losing)}) — {c.title[:60]}")
    if report.failures:
        lines += ["", f"KHÔNG CHẤM ĐƯỢC {len(report.failures)} cơ quan vì phiếu có lỗi:"]
        for f in report.failures:
            lines.append(f"  {f.office} ({names.get(f.office, 'mã không có trong danh sách')}):")
            for e in f.problems:
                lines.append("    " + str(e).replace("\n", "\n    "))
    return "\n".join(lines) + "\n"


def _template_env():
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(loader=PackageLoader("cchc_consult", "templates"),
                       autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)


def render_html(report: ScoreReport, impact=None) -> str:
    """A self-contained HTML page: ranking with CSS bars, adjustments, losses, refused sheets."""
    env = _template_env()
    env.filters["p"] = format_points
    env.filters["pts"] = points_text
    env.filters["idx"] = index_text
    names = _office_names()
    return env.get_template("score_report.html.j2").render(
        report=report, names=names, losses=[c for c in report.losses() if c.lost > 0], impact=impact,
        leaves=list(report.rubric.leaves()))


def keep_text(workbook) -> None:
    """Cells holding text stay text: a title or a reason starting with "=" is not an Excel formula."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" and isinstance(cell.value, str):
                    cell.data_type = "s"


def render_xlsx(report: ScoreReport) -> bytes:
    """A workbook: the ranking, each office's points per leaf (self and appraised), and the refused sheets."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    names = _office_names()
    wb = Workbook()
    ws = wb.active
    ws.title = "Xếp hạng"
    ws.append(["Hạng", "Mã", "Cơ quan", "Tự chấm", "Thẩm định", "Điểm tối đa áp dụng", "Chỉ số", "Xếp loại"])
    for o in report.offices:
        ws.append([o.rank, o.office, names.get(o.office, o.office), float(o.self.total), float(o.appraised.total),
                   float(o.appraised.max), float(display_index(o.appraised.index) or 0), o.klass])
    detail = wb.create_sheet("Điểm từng tiêu chí")
    detail.append(["Mã", "Tiêu chí", "Điểm tối đa"] + [f"{o.office} (TC / TĐ)" for o in report.offices])
    for node in report.rubric.leaves():
        detail.append([node.id, node.title, float(node.max or 0)] + [
            f"{points_text(o.self_points.get(node.id))} / {points_text(o.appraised_points.get(node.id))}"
            for o in report.offices])
    adjusted = wb.create_sheet("Điều chỉnh thẩm định")
    adjusted.append(["Cơ quan", "Tiêu chí", "Tự chấm", "Thẩm định", "Lý do"])
    for o in report.offices:
        for a in o.adjustments:
            adjusted.append([o.office, a.id, points_text(a.self_points), points_text(a.appraised_points), a.reason])
    if report.failures:
        bad = wb.create_sheet("Phiếu lỗi")
        bad.append(["Cơ quan", "Tệp", "Dòng", "Lỗi", "Cách sửa"])
        for f in report.failures:
            for e in f.problems:
                bad.append([f.office, e.path, e.line, e.message, e.fix])
    for sheet in wb.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    from ..fileio import text_cells_only

    text_cells_only(wb)  # a title or reason starting with "=" stays text, never an Excel formula
    stream = io.BytesIO()
    wb.save(stream)
    return stream.getvalue()


def loss_rows(report: ScoreReport) -> list[CriterionLoss]:
    """Leaves where at least one office lost points, largest loss first."""
    return [c for c in report.losses() if c.lost > 0]
