"""Scoring results as documents: text with unicode bars, HTML with a bar chart (score.html.j2), XLSX.

Office names come from the workspace's offices.yaml, passed in as data
(code → name); the scores themselves are built in `cchc_consult.score`.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ..fileio import text_cells_only
from ..model import ZERO, format_points
from ..score.compute import ScoreReport, display_index, points_text
from ..score.impact import ImpactPreview
from ..score.report import loss_rows
from ..vn import format_index
from .env import render_template
from .escape import OfficeNotes, office_row

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
                workspace_templates: str | Path | None = None) -> str:
    """A self-contained HTML page: ranking with CSS bars, adjustments, losses, refused sheets."""
    return render_template("html", "score.html.j2", workspace_templates, report=report, names=office_names or {},
                           losses=loss_rows(report), impact=impact, leaves=list(report.rubric.leaves()))


def _form_sheet(sheet, title: str, subtitle: str, headers: list[str], widths: list[float], *,
                landscape: bool = False) -> int:
    """Lay a sheet out like a paper form: title block, bold header row frozen and repeated on every printed
    page, column widths, A4 fitted to the page width. Returns the header's row number."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    last = get_column_letter(len(headers))
    sheet.append([title])
    sheet.append([subtitle])
    sheet.append([])
    sheet.append(headers)
    for row, size in ((1, 14), (2, 12)):
        sheet.merge_cells(f"A{row}:{last}{row}")
        cell = sheet.cell(row, 1)
        cell.font = Font(bold=row == 1, italic=row == 2, size=size)
        cell.alignment = Alignment(horizontal="center")
    for cell in sheet[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A5"
    sheet.print_title_rows = "4:4"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    return 4


#: Points and indices are numbers in the workbook; Excel shows the decimal comma on a Vietnamese system.
POINTS_FORMAT, INDEX_FORMAT = "0.##", "0.00"


def render_xlsx(report: ScoreReport, office_names: dict[str, str] | None = None,
                notes: OfficeNotes | None = None) -> bytes:
    """A workbook laid out as forms: the ranking, each office's points per leaf (self and appraised), the refused sheets.

    With `notes`, a control character replaced is noted under its office or criterion.
    """
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    names = office_names or {}
    meta = report.rubric.meta
    title = f"KẾT QUẢ CHẤM ĐIỂM CHỈ SỐ CCHC{f' NĂM {meta.year}' if meta.year else ''}"
    subtitle = f"Bộ tiêu chí {meta.version}; chỉ số = điểm đạt ÷ điểm tối đa áp dụng × 100"
    wb = Workbook()
    ws = wb.active
    ws.title = "Xếp hạng"
    _form_sheet(ws, title, subtitle, ["Hạng", "Mã", "Cơ quan", "Tự chấm", "Thẩm định", "Điểm tối đa áp dụng",
                                      "Chỉ số", "Xếp loại", "Thẩm định"],
                [6, 8, 40, 9, 10, 11, 8, 10, 28])
    for o in report.offices:
        ws.append(office_row([o.rank, o.office, names.get(o.office, o.office), float(o.self.total),
                              float(o.appraised.total), float(o.appraised.max),
                              float(display_index(o.appraised.index) or 0), o.klass, o.appraisal_state],
                             notes, f"cơ quan {o.office}"))
        row = ws.max_row
        for column in (4, 5, 6):
            ws.cell(row, column).number_format = POINTS_FORMAT
        ws.cell(row, 7).number_format = INDEX_FORMAT
        ws.cell(row, 3).alignment = Alignment(wrap_text=True)
    detail = wb.create_sheet("Điểm từng tiêu chí")
    headers = ["Mã", "Tiêu chí", "Điểm tối đa"]
    for o in report.offices:
        headers += [f"{o.office} tự chấm", f"{o.office} thẩm định"]
    _form_sheet(detail, title, subtitle, headers, [10, 48, 9] + [9] * (2 * len(report.offices)), landscape=True)
    detail.freeze_panes = "D5"
    for node in report.rubric.leaves():
        values: list = [node.id, node.title, float(node.max or 0)]
        for o in report.offices:
            for points in (o.self_points.get(node.id), o.appraised_points.get(node.id)):
                values.append(float(points) if points is not None else "KPS")  # không phát sinh
        detail.append(office_row(values, notes, f"tiêu chí {node.id}"))
        row = detail.max_row
        detail.cell(row, 2).alignment = Alignment(wrap_text=True, vertical="top")
        # Excel sizes wrapped rows itself; LibreOffice's PDF export does not: give the lines their height
        detail.row_dimensions[row].height = 15 * max(1, -(-len(node.title) // 52))
        for column in range(3, len(values) + 1):
            detail.cell(row, column).number_format = POINTS_FORMAT
    adjusted = wb.create_sheet("Điều chỉnh thẩm định")
    _form_sheet(adjusted, title, "Các điều chỉnh khi thẩm định", ["Cơ quan", "Tiêu chí", "Tự chấm", "Thẩm định",
                                                                   "Lý do"], [10, 10, 9, 10, 70])
    for o in report.offices:
        for a in o.adjustments:
            adjusted.append(office_row([o.office, a.id, points_text(a.self_points), points_text(a.appraised_points),
                                        a.reason], notes, f"lý do thẩm định {o.office}, tiêu chí {a.id}"))
            adjusted.cell(adjusted.max_row, 5).alignment = Alignment(wrap_text=True, vertical="top")
    if report.failures:
        bad = wb.create_sheet("Phiếu lỗi")
        _form_sheet(bad, title, "Phiếu có lỗi, chưa chấm được", ["Cơ quan", "Tệp", "Dòng", "Lỗi", "Cách sửa"],
                    [10, 40, 7, 60, 50], landscape=True)
        for f in report.failures:
            for e in f.problems:
                bad.append(office_row([f.office, e.path, e.line, e.message, e.fix], notes, f"phiếu lỗi {f.office}"))
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
