"""The scoring screen: offices' self-assessed and appraised scores, the ranking, a per-criterion drill-down.

Scores come from `score.score_workspace` (in a worker). Correcting an
appraisal value goes through the score module's writer when it has one
(`score.set_appraisal`); no widget writes a file.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Input, Label, Static

from ...errors import CchcError, PointsError
from ...model import parse_points
from ...score import score_workspace, set_appraisal
from ...score.compute import points_text as _p
from ...vn import format_index, format_points
from ..widgets.keys import app_footer, screen_bindings


class ScoringScreen(Screen):
    """Ranking of the offices (top) and the selected office's criteria (bottom)."""

    BINDINGS = screen_bindings(
        Binding("tab", "switch_table", "Bảng kia", show=False, id="scores.switch"),
        Binding("enter", "drill", "Xem chi tiết", show=False, id="scores.drill"),
        Binding("e", "appraise", "Sửa điểm thẩm định", id="scores.appraise"),
        Binding("l", "only_changed", "Chỉ mục bị điều chỉnh", id="scores.changed"),
        Binding("r", "reload", "Tính lại", id="scores.reload"),
    )
    HELP_SECTIONS = [("Chấm điểm (phím 4)", [("↑ ↓", "chọn cơ quan (bảng trên) hoặc tiêu chí (bảng dưới)"),
                                             ("Enter / Tab", "xem các tiêu chí của cơ quan / đổi bảng"),
                                             ("e", "nhập hoặc sửa điểm thẩm định của tiêu chí đang chọn"),
                                             ("l", "chỉ hiện tiêu chí có điểm thẩm định khác điểm tự chấm"),
                                             ("r", "đọc lại các phiếu và tính lại")])]

    def __init__(self) -> None:
        super().__init__()
        self.report = None
        self.office = ""
        self.only_changed = False
        self.leaf_rows: list[str] = []
        #: Office code → full name, from the workspace's offices.yaml (read with the scores).
        self.office_names: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static(" Đang đọc các phiếu chấm…", id="scores-heading")
        yield DataTable(id="ranking", cursor_type="row")
        yield DataTable(id="drill", cursor_type="row")
        yield app_footer()

    def on_mount(self) -> None:
        ranking = self.query_one("#ranking", DataTable)
        for label, width in (("Hạng", 4), ("Cơ quan", 28), ("Tự chấm", 7), ("Thẩm định", 9), ("Chỉ số", 7),
                             ("Xếp loại", 10)):
            ranking.add_column(label, width=width)
        drill = self.query_one("#drill", DataTable)
        for label, width in (("Tiêu chí", 10), ("Tối đa", 6), ("Tự chấm", 7), ("Thẩm định", 9), ("Lý do", None)):
            drill.add_column(label, width=width)
        ranking.border_title = "Xếp hạng (theo chỉ số thẩm định)"
        drill.border_title = "Chi tiết theo tiêu chí"
        ranking.focus()
        self.load()

    def action_reload(self) -> None:
        self.query_one("#scores-heading", Static).update(" Đang tính lại…")
        self.load()

    @work(thread=True, exclusive=True, group="scores")
    def load(self) -> None:

        try:
            report = score_workspace(self.app.workspace)
            names = {o.code: o.name for o in self.app.workspace.offices()}
        except CchcError as exc:
            self.app.call_from_thread(self.query_one("#scores-heading", Static).update,
                                      Text(f" Không chấm được: {exc}", style="red"))
            return
        self.app.call_from_thread(self.show_report, report, names)

    def office_name(self, code: str) -> str:
        return self.office_names.get(code, code)

    def show_report(self, report, office_names: dict[str, str] | None = None) -> None:
        self.report = report
        if office_names is not None:
            self.office_names = office_names
        ranking = self.query_one("#ranking", DataTable)
        row = ranking.cursor_row
        ranking.clear()
        for score in report.offices:
            ranking.add_row(str(score.rank), self.office_name(score.office), format_points(score.self.total),
                            Text(format_points(score.appraised.total),
                                 style="yellow" if score.appraised.total != score.self.total else ""),
                            format_index(score.appraised.index), score.klass, key=score.office)
        for failure in report.failures:
            ranking.add_row("—", self.office_name(failure.office), "", "", "", Text("phiếu lỗi", style="red"),
                            key=f"!{failure.office}")
        if report.offices:
            ranking.move_cursor(row=min(row, len(report.offices) - 1), animate=False)
        heading = Text(f" Chấm điểm theo {report.rubric.meta.version or '—'} · {len(report.offices)} cơ quan", style="bold")
        if report.failures:
            heading.append(f" · {len(report.failures)} cơ quan có phiếu lỗi", style="red")
        self.query_one("#scores-heading", Static).update(heading)
        self.show_office()

    def current_office(self):
        if self.report is None or not self.report.offices:
            return None
        ranking = self.query_one("#ranking", DataTable)
        return self.report.offices[min(ranking.cursor_row, len(self.report.offices) - 1)]

    def show_office(self) -> None:
        score = self.current_office()
        drill = self.query_one("#drill", DataTable)
        drill.clear()
        self.leaf_rows = []
        if score is None:
            return
        self.office = score.office
        reasons = {a.id: a.reason for a in score.adjustments}
        for node in self.report.rubric.leaves():
            if node.id not in score.self_points and node.id not in score.appraised_points:
                continue
            mine, theirs = score.self_points.get(node.id), score.appraised_points.get(node.id)
            changed = node.id in reasons or mine != theirs
            if self.only_changed and not changed:
                continue
            drill.add_row(node.id, format_points(node.max), _p(mine),
                          Text(_p(theirs), style="bold yellow" if changed else ""),
                          Text(reasons.get(node.id, ""), no_wrap=True, overflow="ellipsis"), key=node.id)
            self.leaf_rows.append(node.id)
        drill.border_title = (f"{self.office_name(score.office)}: tự chấm {format_points(score.self.total)}, "
                              f"thẩm định {format_points(score.appraised.total)} / {format_points(score.appraised.max)}")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "ranking":
            self.show_office()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "ranking":
            event.stop()
            self.query_one("#drill", DataTable).focus()
        elif event.data_table.id == "drill":
            event.stop()
            self.action_appraise()

    def action_drill(self) -> None:
        self.query_one("#drill", DataTable).focus()

    def action_switch_table(self) -> None:
        ranking = self.query_one("#ranking", DataTable)
        (self.query_one("#drill", DataTable) if ranking.has_focus else ranking).focus()

    def action_only_changed(self) -> None:
        self.only_changed = not self.only_changed
        self.show_office()

    def action_appraise(self) -> None:
        drill = self.query_one("#drill", DataTable)
        score = self.current_office()
        if score is None or not self.leaf_rows:
            return
        if not drill.has_focus:
            drill.focus()
            return
        node_id = self.leaf_rows[min(drill.cursor_row, len(self.leaf_rows) - 1)]
        node = self.report.rubric.index()[node_id]
        reason = next((a.reason for a in score.adjustments if a.id == node_id), "")

        def done(result: dict | None) -> None:
            if result:
                self.save_appraisal(score.office, node_id, result)

        self.app.push_screen(AppraisalDialog(score.office, node, score.appraised_points.get(node_id), reason), done)


    @work(thread=True, exclusive=True, group="appraise")
    def save_appraisal(self, office: str, node_id: str, result: dict) -> None:
        """Write one appraised score off the UI thread, then re-score."""
        try:
            set_appraisal(self.app.workspace, office, node_id, result["points"], result["reason"],
                          rubric_version=self.report.rubric.meta.version or "v1")  # a new sheet's date: blank, as the CLI's
        except CchcError as exc:
            self.app.call_from_thread(self.app.notify, str(exc), title="Chưa ghi được", severity="error")
            return
        self.app.call_from_thread(self.app.notify, f"Đã ghi điểm thẩm định {node_id} của {office}: {result['points']}.")
        self.app.call_from_thread(self.action_reload)


class AppraisalDialog(ModalScreen[dict | None]):
    """The appraised points of one criterion for one office, with the reason for any change."""

    BINDINGS = [Binding("escape", "cancel", "Hủy", id="appraise.cancel")]

    def __init__(self, office: str, node, points, reason: str) -> None:
        super().__init__()
        self.office, self.node, self.points, self.reason = office, node, points, reason

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(f"Điểm thẩm định {self.node.id} — {self.office}", style="bold"))
            yield Static(Text(self.node.title, overflow="ellipsis"), classes="hint")
            yield Label(f"Điểm (tối đa {format_points(self.node.max)}; KPS nếu không phát sinh)")
            yield Input(_p(self.points), id="points", compact=True)
            yield Label("Lý do điều chỉnh")
            yield Input(self.reason, id="reason", compact=True)
            yield Static("", id="error", classes="error")
            yield Static("Enter: ghi · Esc: hủy", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "points":
            self.query_one("#reason", Input).focus()
            return
        text = self.query_one("#points", Input).value.strip()
        if text.upper() != "KPS":
            try:
                value = parse_points(text)
            except PointsError as exc:
                self.query_one("#error", Static).update(str(exc))
                return
            if self.node.max is not None and not (0 <= value <= self.node.max):
                self.query_one("#error", Static).update(f"Điểm phải từ 0 đến {format_points(self.node.max)}.")
                return
        reason = self.query_one("#reason", Input).value.strip()
        if not reason:
            self.query_one("#error", Static).update("Ghi lý do điều chỉnh điểm.")
            return
        self.dismiss({"points": text, "reason": reason})

    def action_cancel(self) -> None:
        self.dismiss(None)
