"""The comments screen: every office's comments by criterion or by office, answered in place.

Answers go through `consult.set_disposition` (only that comment's lines change
in dispositions.yaml). Late replies are marked; the silence ledger — who
replied, who is deemed to agree and from when — is one key away.
"""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Footer, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from ...consult import set_disposition
from ...consult.dispositions import ACCEPTED, PARTLY, REJECTED, undo_disposition
from ...consult.ledger import BLANK, CHECK, LATE, ON_TIME, PENDING, SILENT, UNREADABLE
from ...vcs.hook import record_save
from ...errors import CchcError
from ...vn import format_date_short, format_points
from ..widgets.cells import FillingTable, cell
from ..widgets.keys import app_footer, screen_bindings
from .dialogs import CONFIRM_KEYS, TypingDialog, text_input

ALL = "tất cả"
UNANSWERED = "chưa xử lý"
#: A comment its office replaced by a later one: nothing to answer, never counted as "chưa xử lý".
SUPERSEDED = "thay thế"
STATUS_ORDER = [ALL, UNANSWERED, ACCEPTED, PARTLY, REJECTED, SUPERSEDED]
STATUS_STYLE = {UNANSWERED: "bold red", ACCEPTED: "green", PARTLY: "green", REJECTED: "magenta", SUPERSEDED: "dim"}
LEDGER_STYLE = {ON_TIME: "green", LATE: "yellow", SILENT: "cyan", PENDING: "dim",
                UNREADABLE: "bold red", CHECK: "bold magenta", BLANK: "magenta"}
#: States that wait for Phòng Nội vụ (read the file, check whose it is, ask for a filled form): marked, not only coloured.
LEDGER_TO_DO = {UNREADABLE, CHECK, BLANK}


class CommentsScreen(Screen):
    """Comments of the round, filterable by office and by answer, with the silence ledger."""

    BINDINGS = screen_bindings(
        Binding("enter,a", "answer", "Trả lời", id="comments.answer"),
        Binding("c", "cycle_office", "Lọc cơ quan", id="comments.office"),
        Binding("s", "cycle_status", "Lọc xử lý", id="comments.status"),
        Binding("g", "toggle_group", "Theo TC/CQ", id="comments.group"),
        Binding("l", "toggle_ledger", "Sổ theo dõi", id="comments.ledger"),
        Binding("j", "jump", "Đến tiêu chí", show=False, id="comments.jump"),
        Binding("r", "reload", "Đọc lại", show=False, id="comments.reload"),
        Binding("escape", "clear_criterion", "Mọi tiêu chí", show=False, id="comments.all"),
        # Answers are undone like edits: Ctrl+Z here takes back the last answer given in this window.
        Binding("ctrl+z", "undo_answer", "Hoàn tác trả lời", show=False, id="comments.undo"),
        Binding("ctrl+y", "redo_answer", "Làm lại trả lời", show=False, id="comments.redo"),
    )
    HELP_SECTIONS = [("Góp ý (phím 2)", [("Enter / a", "trả lời ý kiến: tiếp thu, tiếp thu một phần, không tiếp thu"),
                                         ("c", "lọc theo cơ quan (lần lượt)"), ("s", "lọc theo tình trạng xử lý"),
                                         ("g", "xếp theo tiêu chí / theo cơ quan"),
                                         ("l", "sổ theo dõi: ai trả lời, ai quá hạn, ai coi như đồng ý"),
                                         ("j", "đến tiêu chí trong Bộ tiêu chí"), ("r", "đọc lại các tệp"),
                                         ("Esc", "bỏ lọc theo tiêu chí (mở bằng phím c ở Bộ tiêu chí)"),
                                         ("Ctrl+Z / Ctrl+Y", "hoàn tác / làm lại câu trả lời vừa ghi")])]

    def __init__(self) -> None:
        super().__init__()
        self.office_filter = ALL
        self.status_filter = ALL
        self.by_office = False
        self.rows: list = []
        #: Only the comments on this criterion and those below it (from `c` on a criterion); None for all.
        self.criterion_filter: str | None = None
        #: Comments answered in this window, the last one last (what Ctrl+Z takes back), and those taken back.
        self.answered: list = []
        self.taken_back: list = []

    def compose(self) -> ComposeResult:
        yield Static(id="comments-heading")
        yield FillingTable(id="comments-table", cursor_type="row", fill="text")
        with ContentSwitcher(initial="comment-detail", id="comments-bottom"):
            with VerticalScroll(id="comment-detail"):
                yield Static(id="comment-text")
            yield FillingTable(id="ledger", cursor_type="row", fill="notes")
        yield app_footer()

    def on_mount(self) -> None:
        table = self.query_one("#comments-table", DataTable)
        table.add_column("Mã", width=9)
        table.add_column("CQ", width=6)
        table.add_column("Tiêu chí", width=10)
        table.add_column("Nội dung góp ý", key="text")
        table.add_column("Xử lý", width=17)
        ledger = self.query_one("#ledger", DataTable)
        ledger.add_column("Cơ quan", width=30)
        ledger.add_column("Tình trạng", width=32)
        ledger.add_column("Ngày", width=10)
        ledger.add_column("Ý kiến", width=6)
        ledger.add_column("Ghi chú", key="notes")
        self.query_one("#comment-detail").border_title = "Ý kiến"
        ledger.border_title = "Sổ theo dõi ý kiến (im lặng = đồng ý)"
        self.query_one("#comments-table").border_title = "Các ý kiến góp ý"
        if self.app.consultation is None:
            self.query_one("#comments-heading", Static).update(" Đang đọc các tệp góp ý…")
            self.app.load_comments()
        else:
            self.show_consultation()
        table.focus()

    # -- data
    def show_consultation(self) -> None:
        c = self.app.consultation
        if c is None:
            return
        self._fill_ledger()
        self.refresh_rows()

    def status_of(self, comment) -> str:
        """The status column: the answer's status, "thay thế" for a replaced comment, else "chưa xử lý"."""
        if comment.superseded_by:
            return SUPERSEDED
        answer = self.app.consultation.dispositions.items.get(comment.id)
        return answer.status if answer is not None and answer.answered else UNANSWERED

    def _on_criterion(self, comment) -> bool:
        wanted = self.criterion_filter
        return wanted is None or comment.criterion == wanted or comment.criterion.startswith(wanted + ".")

    def _visible(self) -> list:
        c = self.app.consultation
        out = []
        for comment in c.comments.comments:
            if self.office_filter != ALL and comment.office != self.office_filter:
                continue
            if not self._on_criterion(comment):
                continue
            if self.status_filter != ALL and self.status_of(comment) != self.status_filter:
                continue
            out.append(comment)
        order = _criterion_order(c.rubric)
        if self.by_office:
            codes = [o.code for o in c.offices]
            out.sort(key=lambda x: (codes.index(x.office) if x.office in codes else 99, order.get(x.criterion, 10**6)))
        else:
            out.sort(key=lambda x: (order.get(x.criterion, 10**6), x.office))
        return out

    def refresh_rows(self, keep: str | None = None) -> None:
        c = self.app.consultation
        table = self.query_one("#comments-table", DataTable)
        current = keep or (self.rows[table.cursor_row].id if self.rows and table.cursor_row < len(self.rows) else None)
        self.rows = self._visible()
        table.clear()
        for comment in self.rows:
            status = self.status_of(comment)
            mark = cell(comment.id + (" ⏰" if comment.late else ""), "yellow" if comment.late else "")
            text = comment.text or (f"Đề xuất: {comment.proposal}" if comment.proposal else "")
            if comment.superseded_by:
                text = f"(thay bằng {comment.superseded_by}) {text}"
            table.add_row(mark, cell(comment.office), cell(comment.criterion_label),
                          cell(text, "dim" if comment.superseded_by or not comment.matched else ""),
                          cell(status, STATUS_STYLE.get(status, "")), key=comment.id)
        if current and any(r.id == current for r in self.rows):
            table.move_cursor(row=[r.id for r in self.rows].index(current), animate=False)
        shown = [x for x in c.comments.comments if self._on_criterion(x)]
        statuses = [self.status_of(x) for x in shown]
        late = sum(1 for x in shown if x.late)
        heading = Text(f" Góp ý về {c.round.version} · hạn {c.round.deadline_text} · ", style="bold")
        if self.criterion_filter is not None:
            heading.append(f"tiêu chí {self.criterion_filter} (Esc: mọi tiêu chí) · ", style="bold cyan")
        heading.append(f"{len(shown)} ý kiến, {statuses.count(UNANSWERED)} chưa xử lý, ")
        if statuses.count(SUPERSEDED):
            heading.append(f"{statuses.count(SUPERSEDED)} đã được thay thế, ")
        heading.append(f"{late} quá hạn", style="yellow" if late else "")
        heading.append(f" · xếp theo {'cơ quan' if self.by_office else 'tiêu chí'}", style="dim")
        heading.append(f" · cơ quan: {self.office_filter} · xử lý: {self.status_filter}", style="dim")
        self.query_one("#comments-heading", Static).update(heading)
        self.show_comment()

    def _fill_ledger(self) -> None:
        c = self.app.consultation
        ledger = self.query_one("#ledger", DataTable)
        ledger.clear()
        for entry in c.ledger(self.app.today):
            mark = "⚠ " if entry.status in LEDGER_TO_DO else ""
            ledger.add_row(cell(entry.office.name), cell(mark + entry.status_text, LEDGER_STYLE.get(entry.status, "")),
                           format_date_short(entry.date) if entry.date else "—", str(entry.comments or ""),
                           cell("; ".join(entry.notes), "dim"))
        ledger.fit_fill_column()

    def current(self):
        table = self.query_one("#comments-table", DataTable)
        if not self.rows or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    def show_comment(self) -> None:
        comment = self.current()
        out = self.query_one("#comment-text", Static)
        if comment is None:
            out.update(Text("Không có ý kiến nào theo bộ lọc này.", style="dim"))
            return
        c = self.app.consultation
        office = c.office(comment.office)
        parts = [Text.assemble((f"{comment.id} ", "bold"), office.name, (f" · {comment.kind}" if comment.kind else ""),
                               (f" · nhận {format_date_short(comment.received)}" if comment.received else "", "dim"),
                               (" · QUÁ HẠN" if comment.late else "", "bold yellow")),
                 Text.assemble(("Tiêu chí: ", "dim"), comment.criterion_label,
                               (" — " + c.rubric.index()[comment.criterion].title
                                if comment.criterion in c.rubric.index() else "", "dim")),
                 Text(comment.text)]
        if comment.proposal:
            parts.append(Text.assemble(("Đề xuất: ", "bold"), comment.proposal))
        if comment.proposed_points is not None or comment.proposed_points_text:

            shown = format_points(comment.proposed_points) if comment.proposed_points is not None else \
                comment.proposed_points_text
            parts.append(Text.assemble(("Điểm đề xuất: ", "bold"), shown, (f"  ({comment.impact})" if comment.impact
                                                                          else "", "cyan")))
        for label, text in comment.extra:  # the office's own extra columns, as it wrote them
            parts.append(Text.assemble((f"{label}: ", "bold"), text))
        for error in comment.errors:
            parts.append(Text(f"⚠ {error}", style="red"))
        answer = c.dispositions.items.get(comment.id)
        if comment.superseded_by:
            parts.append(Text.assemble(("Xử lý: ", "bold"), (f"đã được thay bằng ý kiến {comment.superseded_by} "
                                                             "(không cần trả lời ý kiến này)", "dim")))
        else:
            parts.append(Text.assemble(("Xử lý: ", "bold"),
                                       (answer.describe(), "green" if answer.accepted else "magenta")
                                       if answer is not None and answer.answered
                                       else ("chưa xử lý — Enter để trả lời", "red")))
        out.update(Group(*parts))

    # -- events and actions
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "comments-table":
            self.show_comment()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "comments-table":
            event.stop()
            self.action_answer()

    def action_answer(self) -> None:
        comment = self.current()
        if comment is None:
            return
        if comment.superseded_by:
            self.app.notify(f"Ý kiến {comment.id} đã được thay bằng {comment.superseded_by}: trả lời ý kiến đó.",
                            severity="warning")
            return
        c = self.app.consultation
        session = self.app.session
        version = session.version if session.version != c.round.version else ""

        def done(result: dict | None) -> None:
            if result:
                self.save_answer(comment, result)

        answer = c.dispositions.items.get(comment.id)
        self.app.push_screen(AnswerDialog(comment, answer if answer is not None and answer.answered else None,
                                          version), done)

    @work(thread=True, exclusive=True, group="answer")
    def save_answer(self, comment, result: dict) -> None:
        """Write one answer off the UI thread (a file write can stall on a network share), then show it."""
        c = self.app.consultation
        try:
            set_disposition(self.app.workspace, comment, result["status"], result["reason"],
                            result["version"], replace=True)  # the dialog showed the answer it replaces
            record_save(self.app.workspace, "comments/dispositions.yaml", what=f"Trả lời ý kiến {comment.id}: {result['status']}")
            dispositions = self.app.workspace.dispositions(c.comments)
        except CchcError as exc:
            self.app.call_from_thread(self.app.notify, str(exc), title="Chưa ghi được", severity="error")
            return
        self.app.call_from_thread(self._answer_saved, comment, result["status"], dispositions)

    def _answer_saved(self, comment, status: str, dispositions, redone: bool = False) -> None:
        self.app.consultation.dispositions = dispositions
        self.answered.append(comment)
        if not redone:
            self.taken_back.clear()
        self.app.notify(f"Đã ghi ý kiến xử lý cho {comment.id}: {status}. Ctrl+Z để hoàn tác.")
        self.refresh_rows(keep=comment.id)

    # -- undo / redo of answers (consult.dispositions.undo_disposition: the answer taken back stays in the history)
    def action_undo_answer(self) -> None:
        if not self.answered:
            self.app.notify("Không còn câu trả lời nào (ghi ở cửa sổ này) để hoàn tác.")
            return
        self.undo_answer(self.answered[-1])

    @work(thread=True, exclusive=True, group="answer")
    def undo_answer(self, comment) -> None:
        c = self.app.consultation
        try:
            undone = undo_disposition(self.app.workspace, comment)
            record_save(self.app.workspace, "comments/dispositions.yaml", what=f"Rút lại câu trả lời ý kiến {comment.id}")
            dispositions = self.app.workspace.dispositions(c.comments)
        except CchcError as exc:
            self.app.call_from_thread(self.app.notify, str(exc), title="Chưa hoàn tác được", severity="error")
            return
        self.app.call_from_thread(self._answer_undone, comment, undone, dispositions)

    def _answer_undone(self, comment, undone, dispositions) -> None:
        self.app.consultation.dispositions = dispositions
        self.answered.pop()
        self.taken_back.append((comment, undone.taken_back))
        now = undone.restored.status if undone.restored is not None else UNANSWERED
        self.app.notify(f"Đã hoàn tác câu trả lời cho {comment.id}: trở lại “{now}”. Ctrl+Y để làm lại.")
        self.refresh_rows(keep=comment.id)

    def action_redo_answer(self) -> None:
        if not self.taken_back:
            self.app.notify("Không còn câu trả lời nào để làm lại.")
            return
        comment, answer = self.taken_back.pop()
        self.redo_answer(comment, answer)

    @work(thread=True, exclusive=True, group="answer")
    def redo_answer(self, comment, answer) -> None:
        c = self.app.consultation
        try:
            set_disposition(self.app.workspace, comment, answer.status, answer.reason, answer.version, replace=True)
            record_save(self.app.workspace, "comments/dispositions.yaml", what=f"Trả lời lại ý kiến {comment.id}: {answer.status}")
            dispositions = self.app.workspace.dispositions(c.comments)
        except CchcError as exc:
            self.app.call_from_thread(self.app.notify, str(exc), title="Chưa làm lại được", severity="error")
            return
        self.app.call_from_thread(self._answer_saved, comment, answer.status, dispositions, True)

    # -- filters
    def show_criterion(self, node_id: str | None) -> None:
        """Only the comments on one criterion and below it (None: every comment)."""
        self.criterion_filter = node_id
        if self.is_mounted and self.app.consultation is not None:
            self.refresh_rows()

    def action_clear_criterion(self) -> None:
        if self.criterion_filter is not None:
            self.show_criterion(None)

    def action_cycle_office(self) -> None:
        c = self.app.consultation
        if c is None:
            return
        codes = [ALL] + sorted({x.office for x in c.comments.comments})
        self.office_filter = codes[(codes.index(self.office_filter) + 1) % len(codes)] \
            if self.office_filter in codes else ALL
        self.refresh_rows()

    def action_cycle_status(self) -> None:
        order = STATUS_ORDER
        self.status_filter = order[(order.index(self.status_filter) + 1) % len(order)]
        if self.app.consultation is not None:
            self.refresh_rows()

    def action_toggle_group(self) -> None:
        self.by_office = not self.by_office
        if self.app.consultation is not None:
            self.refresh_rows()

    def action_toggle_ledger(self) -> None:
        switcher = self.query_one("#comments-bottom", ContentSwitcher)
        switcher.current = "ledger" if switcher.current == "comment-detail" else "comment-detail"

    def action_jump(self) -> None:
        comment = self.current()
        if comment is None or not comment.matched:
            return
        app = self.app
        if comment.criterion not in app.session.rubric.index():
            app.notify(f"{comment.criterion} không có trong phiên bản đang mở.", severity="warning")
            return
        app.action_show_rubric()
        app.rubric_screen.select(comment.criterion)
        app.rubric_screen.action_focus_tree()

    def action_reload(self) -> None:
        self.app.consultation = None
        self.query_one("#comments-heading", Static).update(" Đang đọc các tệp góp ý…")
        self.app.load_comments()


class AnswerDialog(TypingDialog):
    """Disposition (tiếp thu / một phần / không tiếp thu) and its reason, several lines long, for one comment.

    The keys are those of every edit dialog: F2 writes the answer (Enter in the version field too; in the
    reason box Enter starts a new line), Ctrl+S writes it as well — Ctrl+S always writes a file —, Esc cancels.
    """

    BINDINGS = [Binding("escape", "cancel", "Hủy", id="answer.cancel"),
                Binding(CONFIRM_KEYS, "apply", "Ghi câu trả lời", id="answer.apply", priority=True),
                Binding("ctrl+s", "apply", "Ghi câu trả lời", show=False, id="answer.save", priority=True)]

    def __init__(self, comment, answer, version: str) -> None:
        super().__init__()
        self.comment, self.answer, self.version = comment, answer, version

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(Text(f"Trả lời ý kiến {self.comment.id} ({self.comment.office}, "
                             f"{self.comment.criterion_label})", style="bold"))
            yield Static(Text(self.comment.text, overflow="ellipsis"), classes="hint")
            yield OptionList(Option("Tiếp thu", id=ACCEPTED), Option("Tiếp thu một phần", id=PARTLY),
                             Option("Không tiếp thu (giải trình)", id=REJECTED), id="status")
            yield Label("Lý do / nội dung tiếp thu, giải trình (Enter: xuống dòng)")
            yield TextArea(self.answer.reason if self.answer else "", id="reason", soft_wrap=True, compact=True)
            with Horizontal(classes="row"):
                yield Label("Đã sửa ở phiên bản ")
                yield text_input(self.answer.version if self.answer and self.answer.version else self.version,
                                 "version", classes="points")
            yield Static("", id="error", classes="error")
            yield Static("↑↓ chọn cách xử lý, Enter: sang ô lý do · Tab: ô tiếp theo", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        options = self.query_one("#status", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = ids.index(self.answer.status) if self.answer and self.answer.status in ids else 0
        self.set_focus(options)
        self.release_keys()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        reason = self.query_one("#reason", TextArea)
        self.set_focus(reason)
        reason.move_cursor(reason.document.end)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_apply()

    def action_apply(self) -> None:
        options = self.query_one("#status", OptionList)
        if options.highlighted is None:
            return
        status = options.get_option_at_index(options.highlighted).id
        reason = "\n".join(line.rstrip() for line in self.query_one("#reason", TextArea).text.strip().splitlines())
        if status != ACCEPTED and not reason:
            self.query_one("#error", Static).update("Không tiếp thu hoặc tiếp thu một phần thì phải ghi lý do.")
            self.set_focus(self.query_one("#reason", TextArea))
            return
        self.dismiss({"status": status, "reason": reason, "version": self.query_one("#version", Input).value.strip()})

    def action_cancel(self) -> None:
        self.dismiss(None)


def _criterion_order(rubric) -> dict[str, int]:
    return {node.id: i for i, node in enumerate(rubric.walk())}
