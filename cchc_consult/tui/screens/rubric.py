"""The main screen: the rubric tree, the selected node in detail, the findings, the status line."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static, Tree

from ...findings import summary
from ...vn import format_points
from ..widgets.cells import TextField
from ..widgets.detail import NodeDetail
from ..widgets.findings import FindingsPanel
from ..widgets.keys import app_footer, screen_bindings
from ..widgets.rubric_tree import RubricTree

FILTER_DELAY = 0.15  # seconds without a key before the tree is filtered again
STATUS_VI = {"draft": "dự thảo", "circulated": "đã gửi lấy ý kiến", "final": "đã ban hành"}


class RubricScreen(Screen):
    """Browse and edit the open rubric version."""

    BINDINGS = screen_bindings(
        # Keys that open a dialog are priority bindings: the dialog is on the stack before the next key of a
        # burst is dispatched, so the keys typed after them go into the dialog (never to the tree); they run
        # once the keys before them are handled (`after_keys`): "↓ ↓ e" edits the line the arrows reach.
        Binding("e", "app.after_keys('edit_node')", "Sửa", id="rubric.edit", priority=True),
        Binding("b", "app.after_keys('edit_bands')", "Mức điểm", id="rubric.bands", priority=True),
        Binding("n", "app.after_keys('add_criterion')", "Thêm", id="rubric.add", priority=True),
        Binding("delete", "app.delete_criterion", "Xóa", show=False, id="rubric.delete"),
        Binding("K,ctrl+up", "app.move_criterion(-1)", "Lên", show=False, id="rubric.up"),
        Binding("J,ctrl+down", "app.move_criterion(1)", "Xuống", show=False, id="rubric.down"),
        Binding("f", "focus_findings", "Phát hiện", show=False, id="rubric.findings"),
        Binding("t", "focus_tree", "Cây", show=False, id="rubric.tree"),
        Binding("g", "app.after_keys('goto_prompt')", "Đến mã", show=False, id="rubric.goto", priority=True),
        Binding("slash", "app.after_keys('filter_tree')", "Lọc", id="rubric.filter", priority=True),
        Binding("c", "app.node_comments", "Góp ý mục", id="rubric.comments"),
        Binding("escape", "clear_filter", "Bỏ lọc", show=False, id="rubric.unfilter"),
    )

    _filter_timer = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="tree-pane"):
                yield TextField("", id="filter", placeholder="lọc: vài chữ của tên hoặc mã (không dấu cũng được)",
                                compact=True, select_on_focus=False)
                yield RubricTree(id="tree")
            with VerticalScroll(id="detail-scroll"):
                yield NodeDetail(id="detail")
        yield FindingsPanel(id="findings")
        yield Static(id="status")
        yield app_footer()

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

    def watch_focused(self, old, new) -> None:
        """The focus leaving a text field for the tree: the letters typed for the field are not shortcuts."""
        if isinstance(old, Input) and not isinstance(new, Input):
            self.app.retarget_keys()

    def action_focus_findings(self) -> None:
        self.query_one(FindingsPanel).focus()

    def action_focus_tree(self) -> None:
        self.query_one(RubricTree).focus()

    # -- the filter (/): the tree follows the words as they are typed; Enter goes to the tree, Esc clears
    def action_start_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.display = True
        self.set_focus(field)  # at once: the words typed right after "/" go into the field, none to the tree

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "filter":
            return
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_DELAY, self.apply_filter)

    def apply_filter(self) -> None:
        tree = self.query_one(RubricTree)
        text = self.query_one("#filter", Input).value.strip()
        count = tree.set_filter(text)
        if not text:
            tree.border_title = "Bộ tiêu chí"
        else:
            tree.border_title = f"Lọc “{text}”: {count} mục" if count else f"Lọc “{text}”: không có mục nào"
            if count and (tree.cursor_node is None or tree.cursor_node.data not in (tree.matched or ())):
                first = next(node.id for node in self.app.session.rubric.walk() if node.id in tree.matched)
                tree.select_id(first)
        self.show_detail()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            if self._filter_timer is not None:
                self._filter_timer.stop()
            self.apply_filter()
            self.action_focus_tree()

    def action_clear_filter(self) -> None:
        field = self.query_one("#filter", Input)
        if not field.display and not field.value:
            return
        if self._filter_timer is not None:
            self._filter_timer.stop()
        field.value = ""
        field.display = False
        self.apply_filter()
        tree = self.query_one(RubricTree)
        if tree.cursor_node is not None:
            tree.select_id(tree.cursor_node.data)
        self.action_focus_tree()
