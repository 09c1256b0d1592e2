"""Scoring results as documents: text with unicode bars, HTML with a bar chart (score.html.j2), XLSX.

Office names come from the workspace's offices.yaml, passed in as data
(code → name); the scores themselves are built in `cchc_consult.score`.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ..fileio import text_cells_only
from ..model import ZERO
from ..score.compute import ScoreReport, display_index, points_text
from ..score.impact import ImpactPreview
from ..score.report import loss_rows
from ..vn import format_index, format_points
from .env import render_template
from .escape import OfficeNotes, office_row
from .xlsx_form import INDEX_FORMAT, POINTS_FORMAT, finish_table, form_sheet

_EIGHTHS = " ▏▎▍▌▋▊▉"


def unicode_bar(value: Decimal | None, width: int = 30, scale: Decimal = Decimal(100)) -> str:
    """A horizontal bar of `width` cells for value/scale, with eighth-cell precision."""
    if value is None or value <= 0:
        return ""
    eighths = int(min(value, scale) / scale * width * 8)
    full, rest = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[rest] if rest else "")


def render_text(report: ScoreReport, office_names: dict[str, str] | None = None, top_losses: int = 10) -> str:
    """The ranking table, unicode bars, where points are lost, and the refused sheets.

    `office_names` (code → name, from the workspace's offices.yaml) names the offices whose sheets were refused.
    """
    meta = report.rubric.meta
    rule = "không tính vào điểm tối đa" if report.settings.not_arising == "exclude" else "được đủ điểm"
    lines = [f"KẾT QUẢ CHẤM ĐIỂM CHỈ SỐ CCHC{f' NĂM {meta.year}' if meta.year else ''} — bộ tiêu chí {meta.version}",
             f"(tiêu chí không phát sinh {rule}; chỉ số = điểm đạt ÷ điểm tối đa áp dụng × 100)", ""]
    lines.append(f"{'Hạng':>4}  {'Cơ quan':8} {'Tự chấm':>8} {'Thẩm định':>9} {'Tối đa':>6} {'Chỉ số':>6}  "
                 f"{'Xếp loại':10} ")
    for o in report.offices:
        # "*": no appraisal sheet yet, the appraised column only repeats the self-assessment
        appraised = format_points(o.appraised.total) + ("*" if not o.appraised_by_sheet else " ")
        lines.append(f"{o.rank:>4}  {o.office:8} {format_points(o.self.total):>8} "
                     f"{appraised:>10} {format_points(o.appraised.max):>5} "
                     f"{format_index(o.appraised.index):>6}  {o.klass:10} {unicode_bar(o.appraised.index)}")
    waiting = [o.office for o in report.offices if not o.appraised_by_sheet]
    if waiting:
        lines += ["", f"* chưa thẩm định ({len(waiting)} cơ quan: {', '.join(waiting)}): cột thẩm định tạm lấy điểm "
                      "tự chấm, thứ hạng chưa chính thức."]
    adjusted = [o for o in report.offices if o.adjustments]
    if adjusted:
        lines += ["", "Điều chỉnh khi thẩm định:"]
        for o in adjusted:
            for a in o.adjustments:
                lines.append(f"  {o.office:8} {a.id:10} {points_text(a.self_points):>4} → "
                             f"{points_text(a.appraised_points):<4} {a.reason}")
    losses = loss_rows(report)[:top_losses]
    if losses:
        lines += ["", f"Các tiêu chí bị mất điểm nhiều nhất (theo điểm thẩm định, {len(losses)} tiêu chí đầu):"]
        for c in losses:
            lines.append(f"  {c.id:10} mất {format_points(c.lost):>5} điểm ở {len(c.offices_losing):>2} cơ quan "
                         f"({', '.join(c.offices_losing)}) — {c.title[:60]}")
    if report.failures:
        lines += ["", f"KHÔNG CHẤM ĐƯỢC {len(report.failures)} cơ quan vì phiếu có lỗi:"]
        for f in report.failures:
            name = "" if office_names is None else f" ({office_names.get(f.office, 'mã không có trong danh sách')})"
            lines.append(f"  {f.office}{name}:")
            for e in f.problems:
                lines.append("    " + str(e).replace("\n", "\n    "))
    return "\n".join(lines) + "\n"


def render_html(report: ScoreReport, impact: ImpactPreview | None = None, office_names: dict[str, str] | None = None,
                workspace_templates: str | Path | None = None, notice: str = "") -> str:
    """A self-contained HTML page: ranking with CSS bars, adjustments, losses, refused sheets.

    `notice` says on the paper when the scores are not on the issued rubric.
    """
    return render_template("html", "score.html.j2", workspace_templates, report=report, names=office_names or {},
                           losses=loss_rows(report), impact=impact, leaves=list(report.rubric.leaves()),
                           notice=notice)


def _points_cell(points) -> float | str:
    """A leaf's points as a number for Excel; "KPS" (không phát sinh) when the criterion did not arise."""
    return float(points) if points is not None else "KPS"


def render_xlsx(report: ScoreReport, office_names: dict[str, str] | None = None, notice: str = "",
                notes: OfficeNotes | None = None) -> bytes:
    """A workbook laid out as forms: the ranking, each office's points per leaf (self and appraised),
    the appraisal's adjustments, the refused sheets. `notice` (scores not on the issued rubric) is printed
    under the title of every sheet; with `notes`, a control character replaced is noted under its office
    or criterion."""
    import io

    from openpyxl import Workbook

    names = office_names or {}
    meta = report.rubric.meta
    title = f"KẾT QUẢ CHẤM ĐIỂM CHỈ SỐ CCHC{f' NĂM {meta.year}' if meta.year else ''}"
    subtitle = f"Bộ tiêu chí {meta.version}; chỉ số = điểm đạt ÷ điểm tối đa áp dụng × 100"
    last_line = notice  # "" leaves the blank line above the header
    wb = Workbook()
    ws = wb.active
    ws.title = "Xếp hạng"
    widths = [7, 9, 42, 9, 10, 10, 9, 11, 30]
    header = form_sheet(ws, [title, subtitle, last_line], ["Hạng", "Mã", "Cơ quan", "Tự chấm", "Thẩm định",
                                                    "Điểm tối đa áp dụng", "Chỉ số", "Xếp loại",
                                                    "Tình trạng thẩm định"], widths)
    for o in report.offices:
        ws.append(office_row([o.rank, o.office, names.get(o.office, o.office), float(o.self.total),
                              float(o.appraised.total), float(o.appraised.max),
                              float(display_index(o.appraised.index) or 0), o.klass, o.appraisal_state],
                             notes, f"cơ quan {o.office}"))
        row = ws.max_row
        for column in (4, 5, 6):
            ws.cell(row, column).number_format = POINTS_FORMAT
        ws.cell(row, 7).number_format = INDEX_FORMAT
    finish_table(ws, header, widths)
    detail = wb.create_sheet("Điểm từng tiêu chí")
    headers = ["Mã", "Tiêu chí", "Điểm tối đa"]
    for o in report.offices:
        headers += [f"{o.office} tự chấm", f"{o.office} thẩm định"]
    widths = [10, 48, 9] + [9] * (2 * len(report.offices))
    header = form_sheet(detail, [title, subtitle, last_line], headers, widths, landscape=True)
    detail.freeze_panes = f"D{header + 1}"
    for node in report.rubric.leaves():
        values: list = [node.id, node.title, float(node.max or 0)]
        for o in report.offices:
            values += [_points_cell(o.self_points.get(node.id)), _points_cell(o.appraised_points.get(node.id))]
        detail.append(office_row(values, notes, f"tiêu chí {node.id}"))
        for column in range(3, len(values) + 1):
            detail.cell(detail.max_row, column).number_format = POINTS_FORMAT
    finish_table(detail, header, widths)
    adjusted = wb.create_sheet("Điều chỉnh thẩm định")
    widths = [10, 10, 9, 10, 70]
    header = form_sheet(adjusted, [title, "Các điều chỉnh khi thẩm định", last_line],
                        ["Cơ quan", "Tiêu chí", "Tự chấm", "Thẩm định", "Lý do"], widths)
    for o in report.offices:
        for a in o.adjustments:
            adjusted.append(office_row([o.office, a.id, _points_cell(a.self_points), _points_cell(a.appraised_points),
                                        a.reason], notes, f"lý do thẩm định {o.office}, tiêu chí {a.id}"))
            for column in (3, 4):
                adjusted.cell(adjusted.max_row, column).number_format = POINTS_FORMAT
    finish_table(adjusted, header, widths)
    if report.failures:
        bad = wb.create_sheet("Phiếu lỗi")
        widths = [10, 40, 7, 60, 50]
        header = form_sheet(bad, [title, "Phiếu có lỗi, chưa chấm được", ""],
                            ["Cơ quan", "Tệp", "Dòng", "Lỗi", "Cách sửa"], widths, landscape=True)
        for f in report.failures:
            for e in f.problems:
                bad.append(office_row([f.office, e.path, e.line, e.message, e.fix], notes, f"phiếu lỗi {f.office}"))
        finish_table(bad, header, widths)
    text_cells_only(wb)  # a title or reason starting with "=" stays text, never an Excel formula
    stream = io.BytesIO()
    wb.save(stream)
    return stream.getvalue()


def render_impact_text(preview: ImpactPreview) -> str:
    """The movement of each office, as a table a clerk reads before accepting a comment."""
    old_v, new_v = preview.base.rubric.meta.version, preview.new_rubric.meta.version
    lines = [f"ẢNH HƯỞNG ĐẾN ĐIỂM: phiếu chấm theo {old_v}, chấm lại theo {new_v}", "",
             f"{'Cơ quan':8} {'Chỉ số ' + old_v:>11} {'Chỉ số ' + new_v:>11} {'Thay đổi':>9}  "
             f"{'Hạng':>4} → {'Hạng':<4} {'Xếp loại mới':12}"]
    for row in preview.rows:
        delta = row.index_delta
        sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
        move = row.rank_delta
        arrow = f"▲{move}" if move > 0 else (f"▼{-move}" if move < 0 else "=")
        lines.append(f"{row.office:8} {format_index(row.before.appraised.index):>11} "
                     f"{format_index(row.after.appraised.index):>11} {sign + format_index(abs(delta)):>9}  "
                     f"{row.before.rank:>4} → {row.after.rank:<4} {row.after.klass:12} {arrow}")
    grouped: dict[tuple[str, str], list[str]] = {}
    for row in preview.rows:
        for old_id, why in row.dropped:
            grouped.setdefault((old_id, why), []).append(row.office)
    if grouped:
        lines += ["", "Câu trả lời không dùng được ở phiên bản mới (cần chấm lại, chưa tính điểm):"]
        for (old_id, why), offices in grouped.items():
            who = "mọi cơ quan" if len(offices) == len(preview.rows) else ", ".join(offices)
            lines.append(f"  {old_id:10} {why} — {who}")
    added = sorted({i for r in preview.rows for i in r.unanswered})
    if added:
        lines += ["", "Tiêu chí mới chưa có trong phiếu (chưa tính điểm): " + ", ".join(added)]
    total_old = preview.base.rubric
    lines += ["", f"(điểm tối đa áp dụng tính lại theo {new_v}; {format_points(sum((n.max or ZERO for n in preview.new_rubric.leaves()), ZERO))}"
                  f" điểm ở các tiêu chí lá, so với {format_points(sum((n.max or ZERO for n in total_old.leaves()), ZERO))})"]
    return "\n".join(lines) + "\n"
