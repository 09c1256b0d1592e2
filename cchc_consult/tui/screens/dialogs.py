"""Modal dialogs: confirm, edit a node, edit its bands, add a criterion, pick a version, help."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from ...errors import CchcError, PointsError
from ...model import Node, format_points, parse_points
from ..session import preview_conditions


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; dismisses with True for yes."""

    BINDINGS = [Binding("escape", "no", "Không", id="confirm.no"),
                Binding("y,c", "yes", "Có", show=False, id="confirm.yes")]

    def __init__(self, question: str, yes: str = "Đồng ý", no: str = "Hủy") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.question), classes="question")
            with Horizontal(classes="buttons"):
                yield Button(self.yes, variant="primary", id="yes")
                yield Button(self.no, id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_yes(self) -> None:
        self.dismiss(True)

    def action_no(self) -> None:
        self.dismiss(False)


class ChoiceDialog(ModalScreen[str]):
    """A question with several answers; the first (the safe one) has the focus, Esc gives `cancel`.

    Used for every way out with unsaved edits, so Enter never destroys anything.
    """

    BINDINGS = [Binding("escape", "cancel", "Hủy", id="choice.cancel"),
                Binding("left,up", "app.focus_previous", show=False),
                Binding("right,down", "app.focus_next", show=False)]

    def __init__(self, question: str, choices: list[tuple[str, str, str]], cancel: str, details: str = "") -> None:
        super().__init__()
        self.question, self.choices, self.cancel, self.details = question, choices, cancel, details

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(Text(self.question), classes="question")
            if self.details:
                with VerticalScroll(classes="details"):
                    yield Static(Text(self.details))
            with Horizontal(classes="buttons"):
                for choice_id, label, variant in self.choices:
                    yield Button(label, variant=variant, id=choice_id)

    def on_mount(self) -> None:
        self.query_one(f"#{self.choices[0][0]}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or self.cancel)

    def action_cancel(self) -> None:
        self.dismiss(self.cancel)


class NodeEditor(ModalScreen[dict | None]):
    """Edit a node's title, maximum, owner and evidence; dismisses with the new values or None."""

    BINDINGS = [Binding("escape", "cancel", "Hủy", id="edit.cancel"),
                Binding("ctrl+s", "apply", "Ghi nhận", id="edit.apply", priority=True)]

    def __init__(self, node: Node) -> None:
        super().__init__()
        self.node = node

    def compose(self) -> ComposeResult:
        node = self.node
        with Vertical(classes="dialog wide"):
            yield Label(Text(f"Sửa {node.id}", style="bold"))
            yield Label("Tên tiêu chí")
            yield Input(node.title, id="title", compact=True)
            with Horizontal(classes="row"):
                with Vertical(classes="half"):
                    yield Label("Điểm tối đa")
                    yield Input(format_points(node.max) if node.max is not None else "", id="max",
                                placeholder="vd 2 hoặc 1,5", compact=True)
                with Vertical(classes="half"):
                    yield Label("Cơ quan phụ trách")
                    yield Input(node.owner, id="owner", compact=True)
            yield Label("Tài liệu kiểm chứng (mỗi dòng một tài liệu)")
            yield TextArea("\n".join(node.evidence), id="evidence", soft_wrap=True, compact=True)
            yield Static("", id="error", classes="error")
            yield Static("Ctrl+S: ghi nhận · Esc: hủy · Tab: ô tiếp theo", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_apply()

    def action_apply(self) -> None:
        values = {"title": self.query_one("#title", Input).value.strip(),
                  "max": self.query_one("#max", Input).value.strip(),
                  "owner": self.query_one("#owner", Input).value.strip(),
                  "evidence": self.query_one("#evidence", TextArea).text.splitlines()}
        error = self.query_one("#error", Static)
        if not values["title"]:
            error.update("Tên tiêu chí không được để trống.")
            return
        if values["max"]:
            try:
                parse_points(values["max"])
            except PointsError as exc:
                error.update(str(exc))
                self.query_one("#max", Input).focus()
                return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)


class NewCriterion(ModalScreen[dict | None]):
    """Title, maximum and id of a new criterion under a parent."""

    BINDINGS = [Binding("escape", "cancel", "Hủy", id="new.cancel")]

    def __init__(self, parent: Node, node_id: str, tt: str) -> None:
        super().__init__()
        self.parent_node, self.node_id, self.tt = parent, node_id, tt

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Text(f"Thêm tiêu chí vào {self.parent_node.id}", style="bold"))
            with Horizontal(classes="row"):
                with Vertical(classes="half"):
                    yield Label("Mã")
                    yield Input(self.node_id, id="id", compact=True)
                with Vertical(classes="half"):
                    yield Label("Điểm tối đa")
                    yield Input("1", id="max", compact=True)
            yield Label("Tên tiêu chí")
            yield Input("", id="title", placeholder="vd Ban hành kế hoạch kiểm tra CCHC", compact=True)
            yield Static("", id="error", classes="error")
            yield Static("Enter: thêm · Esc: hủy", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        node_id = self.query_one("#id", Input).value.strip()
        title = self.query_one("#title", Input).value.strip()
        maximum = self.query_one("#max", Input).value.strip()
        error = self.query_one("#error", Static)
        if not node_id or not title:
            error.update("Cần có mã và tên tiêu chí.")
            return
        try:
            parse_points(maximum)
        except PointsError as exc:
            error.update(str(exc))
            return
        tt = self.tt if node_id == self.node_id else node_id.split(".", 1)[-1]
        self.dismiss({"id": node_id, "tt": tt, "title": title, "max": maximum})

    def action_cancel(self) -> None:
        self.dismiss(None)


class BandEditor(ModalScreen[None]):
    """The bands of one leaf: reword, change points, add, remove, reorder — each an undoable edit.

    The condition the parser reads from the words is shown as they are typed.
    """

    BINDINGS = [
        Binding("escape", "close", "Đóng", id="bands.close"),
        Binding("a", "add", "Thêm mức", id="bands.add"),
        Binding("delete,x", "remove", "Xóa mức", id="bands.remove"),
        Binding("ctrl+up,K", "move(-1)", "Lên", id="bands.up"),
        Binding("ctrl+down,J", "move(1)", "Xuống", id="bands.down"),
        Binding("enter", "edit", "Sửa", id="bands.edit", show=False),
    ]

    def __init__(self, node_id: str) -> None:
        super().__init__()
        self.node_id = node_id
        self.editing: int | None = None  # index of the band in the inputs; -1 for a new band

    @property
    def node(self) -> Node:
        return self.app.session.rubric.index()[self.node_id]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            yield Label(Text(f"Mức điểm của {self.node_id}", style="bold"), id="heading")
            yield DataTable(id="bands", cursor_type="row")
            yield Label("Lời của mức điểm")
            yield Input("", id="text", placeholder="vd Thực hiện từ 70% đến 80% kế hoạch", compact=True)
            with Horizontal(classes="row"):
                yield Label("Điểm ")
                yield Input("", id="points", classes="points", compact=True)
                yield Static("", id="preview", classes="preview")
            yield Static("", id="error", classes="error")
            yield Static("Enter: sửa mức · a: thêm · x/Delete: xóa · J/K: xuống/lên · Esc: đóng", classes="hint",
                         id="hint")

    def on_mount(self) -> None:
        table = self.query_one("#bands", DataTable)
        table.add_column("#", width=2)
        table.add_column("Điểm", width=5)
        table.add_column("Lời", width=32)
        table.add_column("Điều kiện đọc được")
        self.refresh_table()
        table.focus()

    def refresh_table(self, cursor: int | None = None) -> None:
        table = self.query_one("#bands", DataTable)
        row = table.cursor_row if cursor is None else cursor
        table.clear()
        node = self.node
        self.query_one("#heading", Label).update(
            Text(f"Mức điểm của {node.id} — tối đa {format_points(node.max)}: {node.title}", style="bold",
                 no_wrap=True, overflow="ellipsis"))
        for i, band in enumerate(node.bands):
            condition = band.condition.describe() if band.condition else "chấm theo lời"
            table.add_row(str(i + 1), format_points(band.points), Text(band.text, no_wrap=True, overflow="ellipsis"),
                          Text(condition, style="cyan" if band.condition else "dim"), key=str(i))
        if node.bands:
            table.move_cursor(row=max(0, min(row, len(node.bands) - 1)), animate=False)

    def _error(self, message: str) -> None:
        self.query_one("#error", Static).update(Text(message))

    def _run(self, edit) -> bool:
        """Apply an edit through the app (which refreshes everything); report errors here."""
        try:
            edit()
        except CchcError as exc:
            self._error(str(exc))
            return False
        self._error("")
        self.app.after_edit(scope=self.node_id)
        return True

    # -- table actions
    def action_edit(self) -> None:
        table = self.query_one("#bands", DataTable)
        bands = self.node.bands
        if not bands:
            self.action_add()
            return
        index = table.cursor_row
        self.editing = index
        self.query_one("#text", Input).value = bands[index].text
        self.query_one("#points", Input).value = format_points(bands[index].points)
        self.query_one("#text", Input).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_add(self) -> None:
        self.editing = -1
        self.query_one("#text", Input).value = ""
        self.query_one("#points", Input).value = "0"
        self.query_one("#preview", Static).update("")
        self.query_one("#text", Input).focus()

    def action_remove(self) -> None:
        table = self.query_one("#bands", DataTable)
        if not self.node.bands or not table.has_focus:
            return
        index = table.cursor_row
        if self._run(lambda: self.app.session.remove_band(self.node_id, index)):
            self.refresh_table()

    def action_move(self, offset: int) -> None:
        table = self.query_one("#bands", DataTable)
        if not self.node.bands or not table.has_focus:
            return
        result: list[int] = []
        if self._run(lambda: result.append(self.app.session.move_band(self.node_id, table.cursor_row, offset))):
            self.refresh_table(cursor=result[0])

    def action_close(self) -> None:
        if self.editing is not None:
            self.editing = None
            self.query_one("#bands", DataTable).focus()
            return
        self.dismiss(None)

    # -- inputs
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "text" or self.editing is None:
            return
        texts = [b.text for b in self.node.bands]
        if self.editing == -1:
            texts.append(event.value)
            index = len(texts) - 1
        else:
            texts[self.editing] = event.value
            index = self.editing
        condition = preview_conditions(texts)[index]
        self.query_one("#preview", Static).update(
            Text(f"→ {condition.describe()}", style="cyan") if condition else Text("→ chấm theo lời", style="dim"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.editing is None:
            return
        text = self.query_one("#text", Input).value.strip()
        points = self.query_one("#points", Input).value.strip()
        if event.input.id == "text":
            self.query_one("#points", Input).focus()
            return
        if not text:
            self._error("Lời của mức điểm không được để trống.")
            return
        index = self.editing
        session = self.app.session
        if index == -1:
            done = self._run(lambda: session.add_band(self.node_id, text, points))
            cursor = len(self.node.bands) - 1
        else:
            done = self._run(lambda: session.set_band(self.node_id, index, text, points))
            cursor = index
        if done:
            self.editing = None
            self.refresh_table(cursor=cursor)
            self.query_one("#bands", DataTable).focus()


class GotoDialog(ModalScreen[str | None]):
    """Ask for a criterion id to jump to."""

    BINDINGS = [Binding("escape", "cancel", "Hủy", id="goto.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text("Đến mã tiêu chí", style="bold"))
            yield Input("", id="goto", placeholder="vd II.6.3 hoặc 2.1", compact=True)
            yield Static("Enter: đến · Esc: hủy", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class VersionPicker(ModalScreen[str | None]):
    """Choose a version of the rubric (or two, for a diff, by calling it twice)."""

    BINDINGS = [Binding("escape", "cancel", "Hủy", id="pick.cancel")]

    def __init__(self, title: str, versions: list[tuple[str, str]], current: str = "") -> None:
        super().__init__()
        self.title_text, self.versions, self.current = title, versions, current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text(self.title_text, style="bold"))
            yield OptionList(*[Option(Text(label), id=name) for name, label in self.versions], id="versions")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        names = [name for name, _ in self.versions]
        if self.current in names:
            options.highlighted = names.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    """Every key of the app and of the screen underneath, with what it does."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Đóng", id="help.close")]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        text = Text()
        for heading, rows in self.sections:
            text.append(f"{heading}\n", style="bold underline")
            for keys, description in rows:
                text.append(f"  {keys:<16}", style="bold cyan")
                text.append(f"{description}\n")
            text.append("\n")
        text.append("Ctrl+P mở bảng lệnh: gõ vài chữ để tìm mọi thao tác.", style="dim")
        with Vertical(classes="dialog wide tall"):
            yield Label(Text("Phím tắt", style="bold"))
            with VerticalScroll():
                yield Static(text)

    def action_close(self) -> None:
        self.dismiss(None)
