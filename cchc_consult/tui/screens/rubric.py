"""The main screen: the rubric tree, the selected node in detail, the findings, the status line."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static, Tree

from ...check import summary
from ...model import format_points
from ..widgets.detail import NodeDetail
from ..widgets.findings import FindingsPanel
from ..widgets.rubric_tree import RubricTree

STATUS_VI = {"draft": "dự thảo", "circulated": "đã gửi lấy ý kiến", "final": "đã ban hành"}


class RubricScreen(Screen):
    """Browse and edit the open rubric version."""

    BINDINGS = [
        # Keys that open a dialog are priority bindings: the dialog is on the stack before the next key of a
        # burst is dispatched, so the keys typed after them go into the dialog (never to the tree).
        Binding("e", "app.edit_node", "Sửa", id="rubric.edit", priority=True),
        Binding("b", "app.edit_bands", "Mức điểm", id="rubric.bands", priority=True),
        Binding("n", "app.add_criterion", "Thêm", id="rubric.add", priority=True),
        Binding("delete", "app.delete_criterion", "Xóa", id="rubric.delete"),
        Binding("K,ctrl+up", "app.move_criterion(-1)", "Lên", show=False, id="rubric.up"),
        Binding("J,ctrl+down", "app.move_criterion(1)", "Xuống", show=False, id="rubric.down"),
        Binding("f", "focus_findings", "Phát hiện", show=False, id="rubric.findings"),
        Binding("t", "focus_tree", "Cây", show=False, id="rubric.tree"),
        Binding("g", "app.goto_prompt", "Đến mã", show=False, id="rubric.goto", priority=True),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield RubricTree(id="tree")
            with VerticalScroll(id="detail-scroll"):
                yield NodeDetail(id="detail")
        yield FindingsPanel(id="findings")
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#detail-scroll").border_title = "Chi tiết"
        self.query_one("#tree").border_title = "Bộ tiêu chí"
        self.show_rubric(keep_state=False)
        self.query_one(RubricTree).focus()

    # -- what the app calls after loading, editing or checking
    def show_rubric(self, keep_state: bool = True) -> None:
        session = self.app.session
        tree = self.query_one(RubricTree)
        tree.severity = self.app.severity
        tree.comments = self.app.comment_counts
        tree.show(session.rubric, keep_state=keep_state)
        if not keep_state and session.rubric.sections:
            tree.select_id(session.rubric.sections[0].id, highlight_only=True)
        self.show_findings()
        self.show_detail()
        self.show_status()

    def show_findings(self) -> None:
        self.query_one(FindingsPanel).show(self.app.findings)
        tree = self.query_one(RubricTree)
        tree.set_marks(self.app.severity, self.app.comment_counts)
        self.show_detail()
        self.show_status()

    def current_id(self) -> str | None:
        node = self.query_one(RubricTree).cursor_node
        return node.data if node is not None else None

    def select(self, node_id: str) -> bool:
        return self.query_one(RubricTree).select_id(node_id)

    def show_detail(self) -> None:
        node_id = self.current_id()
        node = self.app.session.rubric.index().get(node_id or "")
        findings = [f for f in self.app.findings if f.node == node_id]
        self.query_one(NodeDetail).show(node, findings, self.app.comment_counts.get(node_id or "", 0))

    def show_status(self) -> None:
        app = self.app
        session = app.session
        rubric = session.rubric
        meta = rubric.meta
        text = Text()
        text.append(f" {session.version} ", style="reverse")
        text.append(f" {STATUS_VI.get(meta.status, meta.status)}", style="bold red" if session.frozen else "bold")
        if session.modified:
            text.append(" · chưa lưu", style="bold yellow")
        if not session.ready and not session.frozen:
            text.append(" · đang mở để sửa…", style="dim")
        declared = format_points(rubric.declared_total) if rubric.declared_total is not None else "—"
        computed = format_points(rubric.computed_total())
        text.append(f" · tổng ghi {declared}, cộng lại ")
        text.append(computed, style="green" if declared == computed else "bold red")
        errors, warnings = summary(app.findings)
        text.append(f" · {errors} lỗi {warnings} c.báo", style="red" if errors else "")
        if app.round is not None and app.round.deadline is not None:
            text.append(f" · {app.round.countdown_text(app.today)}", style="dim")
        self.query_one("#status", Static).update(text)

    # -- events
    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        self.show_detail()

    def on_findings_panel_jump(self, event: FindingsPanel.Jump) -> None:
        if self.select(event.node_id):
            self.query_one(RubricTree).focus()

    def action_focus_findings(self) -> None:
        self.query_one(FindingsPanel).focus()

    def action_focus_tree(self) -> None:
        self.query_one(RubricTree).focus()
