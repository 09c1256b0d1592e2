"""The diff screen: pick two versions, read the rubric-aware changes, jump from a change to its node."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from ...errors import CchcError
from ..widgets.keys import app_footer, screen_bindings
from ...diff import KINDS, diff_rubrics, points_lines

CURRENT = "(đang mở)"


class DiffScreen(Screen):
    """Changes from an older version (a) to a newer one (b); by default the previous version to the open one."""

    BINDINGS = screen_bindings(
        Binding("a", "pick('old')", "Chọn bản cũ", id="diff.old"),
        Binding("b", "pick('new')", "Chọn bản mới", id="diff.new"),
        Binding("r", "recompute", "Tính lại", id="diff.refresh"),
        Binding("f", "focus_changes", "Thay đổi", show=False, id="diff.focus"),
    )
    HELP_SECTIONS = [("So sánh (phím 3)", [("a / b", "chọn phiên bản cũ / mới"), ("r", "tính lại"),
                                           ("Enter", "đến mục trong Bộ tiêu chí"), ("↑ ↓", "xem từng thay đổi")])]

    def __init__(self) -> None:
        super().__init__()
        self.old_name = ""
        self.new_name = CURRENT
        self.diff = None

    def compose(self) -> ComposeResult:
        yield Static(id="diff-heading")
        yield DataTable(id="changes", cursor_type="row")
        with VerticalScroll(id="change-detail"):
            yield Static(id="change-text")
        yield app_footer()

    def on_mount(self) -> None:
        table = self.query_one("#changes", DataTable)
        table.add_column("Loại", width=20)
        table.add_column("Mục", width=10)
        table.add_column("Nội dung")
        self.query_one("#change-detail").border_title = "Chi tiết"
        self.query_one("#changes").border_title = "Các thay đổi"
        versions = self.app.workspace.versions()
        current = self.app.session.path.stem
        position = versions.index(current) if current in versions else len(versions)
        if position > 0:
            self.old_name, self.new_name = versions[position - 1], CURRENT
        elif len(versions) > 1:
            self.old_name, self.new_name = CURRENT, versions[1]
        else:
            self.old_name, self.new_name = current, CURRENT  # the file on disk against unsaved edits
        self.action_recompute()
        table.focus()

    def on_screen_resume(self) -> None:
        if self.new_name == CURRENT and self.diff is not None:
            self.action_recompute()

    def _label(self, name: str) -> str:
        if name == CURRENT:
            session = self.app.session
            return f"{session.version} (đang mở{', chưa lưu' if session.modified else ''})"
        return name

    def action_recompute(self) -> None:
        self.query_one("#diff-heading", Static).update(
            Text(f" So sánh {self._label(self.old_name)} → {self._label(self.new_name)}: đang tính…", style="bold"))
        self.compute(self.old_name, self.new_name)

    def _rubric(self, name: str):
        if name == CURRENT:
            return self.app.session.rubric
        return self.app.workspace.rubric(name)

    @work(thread=True, exclusive=True, group="diff")
    def compute(self, old: str, new: str) -> None:

        try:
            diff = diff_rubrics(self._rubric(old), self._rubric(new))
        except CchcError as exc:
            self.app.call_from_thread(self.app.notify, str(exc), title="Không so sánh được", severity="error")
            return
        self.app.call_from_thread(self.show_diff, diff)

    def show_diff(self, diff) -> None:

        self.diff = diff
        heading = Text(f" So sánh {self._label(self.old_name)} → {self._label(self.new_name)}: ", style="bold")
        counts = diff.counts()
        heading.append(f"{len(diff.changes)} thay đổi — " + ", ".join(f"{n} {KINDS.get(k, k)}" for k, n in counts.items())
                       if counts else "không có thay đổi nào")
        self.query_one("#diff-heading", Static).update(heading)
        table = self.query_one("#changes", DataTable)
        table.clear()
        for i, change in enumerate(diff.changes):
            table.add_row(Text(KINDS.get(change.kind, change.kind), style=_kind_style(change.kind)), change.node_id,
                          Text(change.message, no_wrap=True, overflow="ellipsis"), key=str(i))
        self.show_change()

    def show_change(self) -> None:

        text = self.query_one("#change-text", Static)
        diff = self.diff
        if diff is None:
            return
        table = self.query_one("#changes", DataTable)
        if not diff.changes:
            rows = [Text("Hai phiên bản giống nhau về nội dung tiêu chí.")]
        else:
            change = diff.changes[min(table.cursor_row, len(diff.changes) - 1)]
            rows = [Text(change.message, style="bold")]
            if change.old_id and change.new_id and change.old_id != change.new_id:
                rows.append(Text(f"Mã: {change.old_id} → {change.new_id}", style="dim"))
            words = change.detail.get("words")
            if words:
                line = Text()
                for op, part in words:
                    style = {"-": "strike red", "+": "bold green"}.get(op, "")
                    line.append(part + " ", style=style)
                rows.append(line)
            else:
                if change.before:
                    rows.append(Text.assemble(("Trước: ", "red"), change.before))
                if change.after:
                    rows.append(Text.assemble(("Sau:   ", "green"), change.after))
            rows.append(Text("Enter: đến mục này trong Bộ tiêu chí", style="dim"))
        rows.append(Text("\nĐiểm", style="bold underline"))
        for label, value, note in points_lines(diff):
            rows.append(Text.assemble(f"{label}: ", (value, "cyan"), (f"  ({note})" if note else "", "dim")))
        text.update(Group(*rows))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_change()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if self.diff is None or not self.diff.changes:
            return
        change = self.diff.changes[event.cursor_row]
        self.jump_to(change)

    def jump_to(self, change) -> None:
        """Show the changed node in the rubric screen (the new id if it is there, else the old one)."""
        app = self.app
        index = app.session.rubric.index()
        target = next((i for i in (change.new_id, change.old_id) if i and i in index), None)
        if target is None:
            app.notify(f"{change.node_id} không có trong phiên bản đang mở ({app.session.version}).",
                       severity="warning")
            return
        app.action_show_rubric()
        app.rubric_screen.select(target)
        app.rubric_screen.action_focus_tree()

    def action_pick(self, side: str) -> None:
        # start-up: the picker is loaded when first opened
        from .dialogs import VersionPicker

        choices = [(CURRENT, f"{self.app.session.version} đang mở (kể cả thay đổi chưa lưu)")]
        choices += self.app.version_choices()

        def picked(name: str | None) -> None:
            if not name:
                return
            if side == "old":
                self.old_name = name
            else:
                self.new_name = name
            self.action_recompute()

        current = self.old_name if side == "old" else self.new_name
        title = "Phiên bản cũ (a)" if side == "old" else "Phiên bản mới (b)"
        self.app.push_screen(VersionPicker(title, choices, current), picked)

    def action_focus_changes(self) -> None:
        self.query_one("#changes", DataTable).focus()


def _kind_style(kind: str) -> str:
    if kind in ("added", "band-added"):
        return "green"
    if kind in ("removed", "band-removed"):
        return "red"
    if kind in ("total-changed", "max-changed", "band-points-changed"):
        return "yellow"
    return "cyan"
