"""Modal dialogs: confirm, edit a node, edit its bands, add a criterion, pick a version, help."""

from __future__ import annotations


from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.actions import SkipAction
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Footer, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from ...check import check
from ...errors import CchcError, PointsError
from ...model import Node, parse_points
from ...vn import format_points
from ..session import preview_conditions
from ..widgets.cells import TextField, cell
from ..widgets.keys import after_queued
from ..widgets.live_findings import LiveFindings, bands_as_typed, own_findings, what_if, with_node


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
        self.set_focus(self.query_one(f"#{self.choices[0][0]}", Button))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or self.cancel)

    def action_cancel(self) -> None:
        self.dismiss(self.cancel)


#: The keys every edit dialog shares (and shows in its footer): Enter or F2 confirms, Ctrl+S confirms and writes
#: the file — Ctrl+S means "write the file" everywhere —, Esc cancels.
CONFIRM_KEYS = "f2"
#: Tab and Shift+Tab in a dialog (see LiveDialog).
FOCUS_KEYS = [Binding("tab", "app.focus_next", show=False, priority=True, id="dialog.next"),
              Binding("shift+tab", "app.focus_previous", show=False, priority=True, id="dialog.previous")]
LIVE_DELAY = 0.15  # seconds without a key before the findings are recomputed


def _edit_bindings(prefix: str, cancel: str = "Hủy") -> list[Binding]:
    return [Binding("escape", "cancel", cancel, id=f"{prefix}.cancel"),
            Binding(CONFIRM_KEYS, "apply", "Ghi nhận (hoặc Enter)", id=f"{prefix}.apply", priority=True),
            Binding("ctrl+s", "apply(True)", "Ghi nhận và lưu tệp", id=f"{prefix}.save", priority=True)]


def text_input(value: str, input_id: str, **kwargs) -> Input:
    """A compact field whose cursor lands at the end of its text: focusing it never selects (so never replaces) it."""
    field = TextField(value, id=input_id, compact=True, select_on_focus=False, **kwargs)
    field.cursor_position = len(value)
    return field


class TypingDialog(ModalScreen):
    """A dialog that keeps the keys typed before it can take them and types them, in order, once it can.

    A burst right after the key that opened it (a fast typist, a paste, tmux) arrives while the
    dialog is being built: the app holds those keys in `early_keys` (see `CchcApp.on_event` and
    `hold_key`) and `release_keys`, called when the first field has the focus, hands them on one by
    one — Tab included, so "Tab 3" types the 3 into the next field. The keys that open a dialog are
    priority bindings, so the dialog is on the stack before the next key is dispatched. A key whose
    work moves the focus later (after what its widget still has to handle) holds the keys behind it
    the same way: `wait_for`.
    """

    BINDINGS = FOCUS_KEYS
    #: Each dialog focuses its first field itself, before the early keys: no second focus when the screen resumes.
    AUTO_FOCUS = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        #: Keys that came before the dialog was ready; None once they are handed on.
        self.early_keys: list[events.Key] | None = []
        self._replaying: events.Key | None = None
        self._waiting = False  # a key's work is pending (`wait_for`): the keys behind it wait too

    def hold_key(self, event: events.Key) -> bool:
        """Keep a key for later while keys are held (True); the key being handed on now goes through."""
        if self.early_keys is None or event is self._replaying:
            return False
        self.early_keys.append(event)
        return True

    def wait_for(self, widget, work) -> None:
        """Run `work` after the keys already sent to `widget` have been handled, holding the keys typed behind it until then."""
        if self.early_keys is None:
            self.early_keys = []
        self._waiting = True

        def run() -> None:
            try:
                work()
            finally:
                self._waiting = False
                self.release_keys()

        after_queued(widget, run)

    def release_keys(self) -> None:
        self.call_later(self._replay_keys)

    async def _replay_keys(self) -> None:
        pending = self.early_keys or []
        while pending and not self._waiting:  # keys arriving meanwhile join the end of the same list
            self._replaying = pending.pop(0)
            await self.app.on_event(self._replaying)
        self._replaying = None
        if not self._waiting:
            self.early_keys = None


class LiveDialog(TypingDialog):
    """An edit dialog whose findings are recomputed a moment after the last key (`refresh_live`)."""

    _live_timer = None
    _live_generation = 0

    def schedule_live(self) -> None:
        if self._live_timer is not None:
            self._live_timer.stop()
        self._live_timer = self.set_timer(LIVE_DELAY, self.refresh_live)

    def refresh_live(self) -> None:
        raise NotImplementedError

    def show_live(self, compute, problem: str = "") -> None:
        """Run `compute` (the findings of what is typed) off the UI thread and show its answer here.

        A check of the whole rubric costs ~0.2 s at 1,000 criteria: in a thread the keys keep coming.
        """
        self._live_generation += 1
        self._compute_live(compute, problem, self._live_generation)

    @work(thread=True, exclusive=True, group="live")
    def _compute_live(self, compute, problem: str, generation: int) -> None:
        findings = compute()
        self.app.call_from_thread(self._live_computed, findings, problem, generation)

    def _live_computed(self, findings, problem: str, generation: int) -> None:
        if generation == self._live_generation and self.is_mounted:  # else a newer key is being checked
            self.live.show(findings, problem)

    @property
    def live(self) -> LiveFindings:
        return self.query_one("#live", LiveFindings)


def _typed_points(text: str, fallback):
    """(points, problem): the points typed, or the fallback and why what is typed cannot be read yet."""
    if not text.strip():
        return fallback, ""
    try:
        return parse_points(text), ""
    except PointsError as exc:
        return fallback, str(exc)


class NodeEditor(LiveDialog):
    """Edit a node's title, maximum, owner and evidence; dismisses with the new values (and "save") or None."""

    BINDINGS = _edit_bindings("edit")

    def __init__(self, node: Node, offices: list[tuple[str, str]] | None = None) -> None:
        super().__init__()
        self.node = node
        #: (label, code) of the workspace's offices, for the owner list.
        self.offices = list(offices or [])
        if node.owner and node.owner not in {code for _, code in self.offices}:
            self.offices.append((f"{node.owner} (không có trong danh sách cơ quan)", node.owner))

    def compose(self) -> ComposeResult:
        node = self.node
        with Vertical(classes="dialog wide"):
            yield Label(Text(f"Sửa {node.id}", style="bold"))
            yield Label("Tên tiêu chí")
            yield text_input(node.title, "title")
            with Horizontal(classes="row"):
                with Vertical(classes="half"):
                    yield Label("Điểm tối đa")
                    yield text_input(format_points(node.max) if node.max is not None else "", "max",
                                     placeholder="vd 2 hoặc 1,5")
                with Vertical(classes="half"):
                    yield Label("Cơ quan phụ trách")
                    yield Select([(Text(label, no_wrap=True, overflow="ellipsis"), code)
                                  for label, code in self.offices],
                                 value=node.owner or Select.NULL, allow_blank=True, prompt="— không có —",
                                 id="owner", compact=True)
            yield Label("Tài liệu kiểm chứng (mỗi dòng một tài liệu)")
            yield TextArea("\n".join(node.evidence), id="evidence", soft_wrap=True, compact=True)
            yield Static("", id="error", classes="error")
            yield LiveFindings(id="live", classes="live")
        yield Footer()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#title", Input))  # now, not later: a Tab already typed moves on from it
        self.refresh_live()
        self.release_keys()

    def values(self) -> dict:
        owner = self.query_one("#owner", Select).value
        return {"title": self.query_one("#title", Input).value.strip(),
                "max": self.query_one("#max", Input).value.strip(),
                "owner": owner if isinstance(owner, str) else "",
                "evidence": self.query_one("#evidence", TextArea).text.splitlines()}

    def on_input_changed(self, event: Input.Changed) -> None:
        self.schedule_live()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.schedule_live()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.schedule_live()

    def refresh_live(self) -> None:
        values = self.values()
        maximum, problem = _typed_points(values["max"], self.node.max)
        typed = self.node.replace(title=values["title"] or self.node.title, max=maximum, owner=values["owner"],
                        evidence=[line.strip() for line in values["evidence"] if line.strip()])
        rubric = self.app.session.rubric
        self.show_live(lambda: what_if(rubric, typed), problem)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_apply()

    def action_apply(self, save: bool = False) -> None:
        values = self.values()
        error = self.query_one("#error", Static)
        if not values["title"]:
            error.update("Tên tiêu chí không được để trống.")
            return
        if values["max"]:
            try:
                parse_points(values["max"])
            except PointsError as exc:
                error.update(str(exc))
                self.set_focus(self.query_one("#max", Input))
                return
        self.dismiss(values | {"save": save})

    def action_cancel(self) -> None:
        self.dismiss(None)


class NewCriterion(LiveDialog):
    """Title, maximum and id of a new criterion under a parent; dismisses with them (and "save") or None."""

    BINDINGS = _edit_bindings("new")

    def __init__(self, parent: Node, node_id: str, tt: str) -> None:
        super().__init__()
        self.parent_node, self.node_id, self.tt = parent, node_id, tt

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Text(f"Thêm tiêu chí vào {self.parent_node.id}", style="bold"))
            with Horizontal(classes="row"):
                with Vertical(classes="half"):
                    yield Label("Mã")
                    yield text_input(self.node_id, "id")
                with Vertical(classes="half"):
                    yield Label("Điểm tối đa")
                    yield text_input("1", "max")
            yield Label("Tên tiêu chí")
            yield text_input("", "title", placeholder="vd Ban hành kế hoạch kiểm tra CCHC")
            yield Static("", id="error", classes="error")
            yield LiveFindings(id="live", classes="live")
        yield Footer()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#title", Input))  # now, not later: a Tab already typed moves on from it
        self.refresh_live()
        self.release_keys()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.schedule_live()

    def refresh_live(self) -> None:
        rubric = self.app.session.rubric
        parent = rubric.index().get(self.parent_node.id)
        if parent is None:
            return
        maximum, problem = _typed_points(self.query_one("#max", Input).value, None)
        node_id = self.query_one("#id", Input).value.strip() or self.node_id
        child = Node(id=node_id, tt=self.tt, title=self.query_one("#title", Input).value.strip() or "…",
                     max=maximum, evidence=["…"])  # no band and no evidence yet: not what she is asked about
        typed = with_node(rubric, parent.replace(children=[*parent.children, child]))
        self.show_live(lambda: [f for f in own_findings(typed, node_id, check(typed)) if f.code != "missing-bands"],
                       problem)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_apply()

    def action_apply(self, save: bool = False) -> None:
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
        self.dismiss({"id": node_id, "tt": tt, "title": title, "max": maximum, "save": save})

    def action_cancel(self) -> None:
        self.dismiss(None)


class BandEditor(LiveDialog):
    """The bands of one leaf: reword, change points, add, remove, reorder — each an undoable edit.

    The condition the parser reads from the words, and the criterion's own
    findings (top band, gaps, overlaps, the sums above it), follow what is typed.
    """

    BINDINGS = [
        Binding("escape", "close", "Đóng", id="bands.close"),
        Binding(CONFIRM_KEYS, "apply", "Ghi nhận mức (hoặc Enter)", id="bands.apply", priority=True),
        Binding("ctrl+s", "apply(True)", "Lưu tệp", id="bands.save", priority=True),
        Binding("a", "add", "Thêm mức", id="bands.add"),
        Binding("delete,x", "remove", "Xóa mức", id="bands.remove"),
        Binding("ctrl+up,K", "move(-1)", "Lên", id="bands.up"),
        Binding("ctrl+down,J", "move(1)", "Xuống", id="bands.down"),
        # A priority key, handled before the next key is dispatched: the table's own Enter (a message, handled
        # later) and the fields' Submitted let a burst's next keys land in the widget that had the focus.
        Binding("enter", "enter", "Sửa", id="bands.edit", show=False, priority=True),
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
            yield text_input("", "text", placeholder="vd Thực hiện từ 70% đến 80% kế hoạch")
            with Horizontal(classes="row"):
                yield Label("Điểm ")
                yield text_input("", "points", classes="points")
                yield Static("", id="preview", classes="preview")
            yield Static("", id="error", classes="error")
            yield LiveFindings(id="live", classes="live")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#bands", DataTable)
        table.add_column("#", width=2)
        table.add_column("Điểm", width=5)
        table.add_column("Lời", width=32)
        table.add_column("Điều kiện đọc được")
        self.refresh_table()
        self.set_focus(table)
        self.refresh_live()
        self.release_keys()

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
            table.add_row(str(i + 1), format_points(band.points), cell(band.text),
                          cell(condition, "cyan" if band.condition else "dim"), key=str(i))
        if node.bands:
            table.move_cursor(row=max(0, min(row, len(node.bands) - 1)), animate=False)

    def refresh_live(self) -> None:
        """The criterion's findings with the band being typed in place of the one it edits (or added)."""
        node = self.node
        problem = ""
        if self.editing is not None:
            text = self.query_one("#text", Input).value
            fallback = node.bands[self.editing].points if self.editing >= 0 else None
            points, problem = _typed_points(self.query_one("#points", Input).value, fallback)
            if text.strip() and points is not None:
                node = node.replace(bands=bands_as_typed(node.bands, self.editing, text, points))
        rubric = self.app.session.rubric
        self.show_live(lambda: what_if(rubric, node), problem)

    def _error(self, message: str) -> None:
        self.query_one("#error", Static).update(Text(message))

    def _run(self, edit) -> bool:
        """Apply an edit through the app (which refreshes everything); report errors here."""
        if self.app.saving:
            self._error("Đang lưu tệp, vui lòng chờ giây lát rồi sửa tiếp.")
            return False
        try:
            edit()
        except CchcError as exc:
            self._error(str(exc))
            return False
        self._error("")
        self.app.after_edit(scope=self.node_id)
        self.refresh_live()
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
        self._fill(bands[index].text, format_points(bands[index].points))

    def _fill(self, text: str, points: str) -> None:
        text_field, points_field = self.query_one("#text", Input), self.query_one("#points", Input)
        text_field.value, points_field.value = text, points
        text_field.cursor_position, points_field.cursor_position = len(text), len(points)
        self.set_focus(text_field)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:  # a click on a row
        event.stop()
        self.action_edit()

    def action_enter(self) -> None:
        """Enter on the table edits the band, in its words goes to its points, in its points applies it.

        Its work moves the focus once the widget has handled the keys before it; the keys after it wait.
        """
        focused = self.focused
        if isinstance(focused, DataTable):
            self.wait_for(focused, self.action_edit)
        elif isinstance(focused, Input) and focused.id in ("text", "points"):
            self.wait_for(focused, lambda: self._submitted(focused.id))
        else:
            raise SkipAction()

    def _submitted(self, field_id: str) -> None:
        if self.editing is None:
            return
        if field_id == "text":
            self.set_focus(self.query_one("#points", Input))
        else:
            self.commit()

    def action_add(self) -> None:
        self.editing = -1
        self.query_one("#preview", Static).update("")
        self._fill("", "0")

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
            self.set_focus(self.query_one("#bands", DataTable))
            self.refresh_live()
            return
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.action_close()

    # -- inputs
    def on_input_changed(self, event: Input.Changed) -> None:
        if self.editing is None:
            return
        self.schedule_live()
        if event.input.id != "text":
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

    def commit(self) -> bool:
        """Apply the band being typed; True when there was none or it was applied."""
        if self.editing is None:
            return True
        text = self.query_one("#text", Input).value.strip()
        points = self.query_one("#points", Input).value.strip()
        if not text:
            self._error("Lời của mức điểm không được để trống.")
            return False
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
            self.set_focus(self.query_one("#bands", DataTable))
            self.refresh_live()
        return done

    def action_apply(self, save: bool = False) -> None:
        """F2 applies the band being typed; Ctrl+S applies it and writes the file (the dialog stays open)."""
        if self.commit() and save:
            self.app.action_save()


class GotoDialog(TypingDialog):
    """Ask for a criterion id to jump to."""

    BINDINGS = [Binding("escape", "cancel", "Hủy", id="goto.cancel")]

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#goto", Input))
        self.release_keys()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Text("Đến mã tiêu chí", style="bold"))
            yield text_input("", "goto", placeholder="vd II.6.3 hoặc 2.1")
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
        self.set_focus(options)

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
