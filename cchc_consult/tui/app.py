"""The Textual app for Phòng Nội vụ: one factory, `create_app`, used by `cchc tui` and by the tests.

The app holds the open `EditSession` and what was computed from it (findings,
marks); screens show it and call the app's actions. Slow work — opening the
round-trip document, saving, checking — runs in thread workers that post
their results back, so the screen never freezes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from textual import events, work
from textual._time import get_time  # the clock Textual stamps each key with (Message.time)
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.widgets import Input, TextArea

from .. import versions
from ..check import check
from ..findings import Finding
from ..errors import CchcError, from_os_error
from ..vcs import is_git
from ..vcs.hook import record_save
from ..vcs.repo import walk
from ..vn import format_date_short
from ..workspace import Workspace, find_workspace
from .commands import ActionCommands
from .widgets.keys import after_queued
from .screens.outside_change import offer_outside_change
from .session import EditSession, read_round


@dataclass(frozen=True)
class ActionEntry:
    """One thing the user can do: its binding id, keys, Vietnamese label and the action it runs."""

    id: str
    keys: str
    label: str
    action: str
    help_text: str = ""
    show: bool = True
    palette: bool = True
    priority: bool = False

    def binding(self) -> Binding:
        return Binding(self.keys, self.action, self.label, show=self.show, id=self.id, priority=self.priority)


APP_ACTIONS = [
    ActionEntry("app.rubric", "1", "Bộ tiêu chí", "show_rubric", "cây tiêu chí, chi tiết và phát hiện"),
    ActionEntry("app.comments", "2", "Góp ý", "show_comments", "ý kiến góp ý của các cơ quan"),
    ActionEntry("app.diff", "3", "So sánh", "show_diff", "so sánh hai phiên bản"),
    ActionEntry("app.scores", "4", "Chấm điểm", "show_scores", "điểm tự chấm, thẩm định và xếp hạng"),
    ActionEntry("app.save", "ctrl+s", "Lưu", "save", "ghi tệp (chỉ các dòng đã sửa thay đổi)"),
    ActionEntry("app.undo", "ctrl+z", "Hoàn tác", "undo", "bỏ thao tác sửa vừa rồi", show=False),
    ActionEntry("app.redo", "ctrl+y", "Làm lại", "redo", "làm lại thao tác vừa hoàn tác", show=False),
    ActionEntry("app.open", "o", "Mở phiên bản", "open_version", "mở một phiên bản khác của bộ tiêu chí",
                show=False),
    ActionEntry("app.help", "question_mark,f1", "Trợ giúp", "help", "danh sách phím tắt"),
    ActionEntry("app.palette", "ctrl+p", "Bảng lệnh", "command_palette", "tìm và chạy mọi thao tác",
                show=False, palette=False, priority=True),
    # Ctrl+Q and Ctrl+C are Textual's own bindings; their actions (quit, help_quit) lead to the same guard.
    ActionEntry("app.quit", "q", "Thoát", "quit_app", "thoát (hỏi lại nếu còn thay đổi chưa lưu; cả Ctrl+Q, Ctrl+C)"),
]

#: Actions of the rubric screen, for the palette and the help screen (the keys live on the screen).
RUBRIC_ACTIONS = [
    ActionEntry("rubric.edit", "e", "Sửa tên, điểm, tài liệu kiểm chứng", "edit_node"),
    ActionEntry("rubric.bands", "b", "Sửa mức điểm", "edit_bands", "thêm, xóa, đổi thứ tự, sửa lời và điểm"),
    ActionEntry("rubric.add", "n", "Thêm tiêu chí con", "add_criterion"),
    ActionEntry("rubric.delete", "delete", "Xóa tiêu chí", "delete_criterion"),
    ActionEntry("rubric.up", "K / ctrl+↑", "Chuyển tiêu chí lên", "move_criterion(-1)"),
    ActionEntry("rubric.down", "J / ctrl+↓", "Chuyển tiêu chí xuống", "move_criterion(1)"),
    ActionEntry("rubric.findings", "f", "Đến bảng phát hiện", "focus_findings_panel"),
    ActionEntry("rubric.tree", "t", "Về cây tiêu chí", "focus_tree_panel"),
    ActionEntry("rubric.goto", "g", "Đến mã tiêu chí", "goto_prompt", "vd II.6.3, hoặc 2.1 trong phần đang chọn"),
    ActionEntry("rubric.filter", "/", "Lọc cây theo từ", "filter_tree", "vài chữ của tên hoặc mã, có dấu hay không; "
                "Esc bỏ lọc"),
    ActionEntry("rubric.comments", "c", "Góp ý về mục này", "node_comments", "các ý kiến về tiêu chí đang chọn"),
]


class CchcApp(App):
    """Soạn thảo, góp ý, so sánh và chấm điểm Bộ tiêu chí CCHC."""

    TITLE = "Bộ tiêu chí chỉ số CCHC"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {ActionCommands}
    ACTIONS = APP_ACTIONS + RUBRIC_ACTIONS
    BINDINGS = [entry.binding() for entry in APP_ACTIONS]

    def __init__(self, workspace: Workspace, path: Path, *, today: date | None = None,
                 open_document: bool = True) -> None:
        super().__init__()
        self.workspace = workspace
        self.session = EditSession.load(workspace, path)
        self.findings: list[Finding] = []
        self.severity: dict[str, str] = {}
        self.comment_counts: dict[str, int] = {}
        self.today = today or date.today()
        #: The consultation round (deadline and its rule), None without round.yaml.
        self.round = read_round(workspace)
        self.saving = False
        #: What to do once the running save succeeds (exit, open another version); nothing when it fails.
        self._after_save = None
        self._open_document = open_document
        #: The consultation round (Workspace.consultation), read in the background; None until then.
        self.consultation = None
        self.findings = check(self.session.rubric)  # tens of ms even at 1,000 criteria
        self._index_findings()
        #: When the keys last changed target without her asking: a dialog closed, the focus left a text field.
        self.keys_retargeted_at = 0.0
        self._stale_key_noted_at = -1.0
        #: Keys typed while a key's work waits for the keys before it (`after_keys`); None when none waits.
        self._waiting_keys: list[events.Key] | None = None
        self._replaying_key: events.Key | None = None

    async def on_event(self, event: events.Event) -> None:
        """Keys typed while a dialog is still being built wait for it (`TypingDialog.hold_key`), in order."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._waiting_keys is not None and event is not self._replaying_key:
                self._waiting_keys.append(event)
                return
            hold_key = getattr(self.screen, "hold_key", None)
            if hold_key is not None and hold_key(event):
                return
            if self._typed_for_what_closed(event):
                return
        await super().on_event(event)

    def action_after_keys(self, action: str) -> None:
        """Run an app action once the keys typed before its key are handled ("↓ ↓ e" edits the third line).

        A priority key runs at once, while the arrows before it still wait in the tree's queue; the keys
        typed after it wait too, then go to the dialog it opened (or wherever the focus is).
        """
        if self._waiting_keys is None:
            self._waiting_keys = []

        def run() -> None:
            try:
                getattr(self, f"action_{action}")()
            finally:
                keys, self._waiting_keys = self._waiting_keys or [], None
                early = getattr(self.screen, "early_keys", None)
                if early is not None:
                    early.extend(keys)  # a dialog being built: it types them itself once ready
                elif keys:
                    self.call_later(self._replay_waiting, keys)

        after_queued(self.focused or self.screen, run)

    async def _replay_waiting(self, keys: list[events.Key]) -> None:
        while keys:
            if self._waiting_keys is not None:  # a replayed key's work waits in turn: the rest wait with it
                self._waiting_keys[:0] = keys
                return
            self._replaying_key = keys.pop(0)
            await self.on_event(self._replaying_key)
        self._replaying_key = None

    def retarget_keys(self) -> None:
        """The keys typed until now were meant for a dialog or a field that is gone: none runs as a shortcut."""
        self.keys_retargeted_at = get_time()

    def _typed_for_what_closed(self, event: events.Key) -> bool:
        """True (and the key dropped) for a letter typed before a dialog closed or a field let go of the focus.

        Such a key was meant as text; arriving at the tree (or a table) it would edit, move or delete a
        criterion. Text fields still take it: there it is text again.
        """
        if event.time >= self.keys_retargeted_at or not (event.is_printable or event.key == "delete"):
            return False
        if isinstance(self.focused, (Input, TextArea)):
            return False
        if self._stale_key_noted_at != self.keys_retargeted_at:
            self._stale_key_noted_at = self.keys_retargeted_at
            self.notify("Các phím gõ trước khi hộp thoại đóng hoặc ô nhập rời đi đã được bỏ qua, "
                        "không chạy như phím tắt.", title="Bỏ qua phím", timeout=4)
        return True

    def pop_screen(self):
        self.retarget_keys()  # whatever closes a dialog, the keys typed for it are not shortcuts on what is below
        return super().pop_screen()

    # -- start
    def on_mount(self) -> None:
        # start-up: a screen is loaded when first opened, not before the first paint
        from .screens.rubric import RubricScreen

        self.install_screen(RubricScreen(), "rubric")
        self.push_screen("rubric")
        # The document opens in about 0.1 s (the fast reader, line patches): in parallel with the first frame.
        self._start_document()

    def _start_document(self) -> None:
        if self._open_document and not self.session.frozen:
            self.load_document()
        if self.consultation is None and self.workspace.round_file.exists():
            self.load_comments()

    @work(thread=True, exclusive=True, group="comments")
    def load_comments(self) -> None:
        """Read the round's comment files (for the comment marks and the comments screen)."""
        try:
            consultation = self.workspace.consultation()
        except CchcError as exc:
            self.call_from_thread(self.notify, str(exc), title="Không đọc được các tệp góp ý", severity="warning")
            return
        self.call_from_thread(self._comments_loaded, consultation)

    def _comments_loaded(self, consultation) -> None:
        self.consultation = consultation
        counts: dict[str, int] = {}
        for comment in consultation.comments.comments:
            if comment.matched and not comment.superseded_by:
                counts[comment.criterion] = counts.get(comment.criterion, 0) + 1
        self.comment_counts = counts
        self.rubric_screen.show_findings()
        if self.is_screen_installed("comments"):
            self.get_screen("comments").show_consultation()

    @work(thread=True, exclusive=True, group="document")
    def load_document(self) -> None:
        """Open the round-trip document in the background (seconds on a large rubric)."""
        session = self.session
        try:
            session.open_document()
            left_behind, others = session.left_behind(), session.other_windows()
        except (CchcError, OSError) as exc:
            self.call_from_thread(self.notify, str(exc), title="Không mở được tệp để sửa", severity="error")
            return
        if session is self.session:
            self.call_from_thread(self.refresh_status)
            self.call_from_thread(self._document_opened, session, left_behind, others)

    def _document_opened(self, session: EditSession, left_behind, others) -> None:
        """Say when another window has the file open; offer back the edits a crashed window left."""
        if others:
            pids = ", ".join(str(entry.pid) for entry in others)
            self.notify(f"{session.path.name} đang mở ở một cửa sổ khác (tiến trình {pids}). "
                        "Hai cửa sổ cùng sửa sẽ ghi đè lên nhau: nên đóng bớt một cửa sổ.",
                        title="Tệp đang mở ở nơi khác", severity="warning", timeout=12)
        if left_behind:
            self.offer_recovery(session, left_behind[0])

    def offer_recovery(self, session: EditSession, entry) -> None:
        # start-up: a screen is loaded when first opened, not before the first paint
        from .screens.dialogs import ChoiceDialog

        labels = entry.labels()
        details = "\n".join(f"• {label}" for label in labels)
        question = (f"Lần trước {session.path.name} được sửa mà chưa lưu (cửa sổ bị đóng hoặc dừng đột ngột): "
                    f"{len(labels)} thay đổi. Khôi phục các thay đổi đó?")

        def done(choice: str) -> None:
            if choice == "restore":
                failed = session.recover(entry)
                self.after_edit(scope="")
                kept = len(labels) - len(failed)
                self.notify(f"Đã khôi phục {kept} thay đổi; nhấn Ctrl+S để lưu.", title="Đã khôi phục")
                if failed:
                    self.show_failed(failed, "Một số thay đổi không áp dụng lại được")
            elif choice == "drop":
                session.discard_left_behind()
                self.notify("Đã bỏ các thay đổi chưa lưu của lần trước.")

        self.push_screen(ChoiceDialog(question, [("restore", "Khôi phục", "primary"),
                                                 ("later", "Để sau", "default"),
                                                 ("drop", "Bỏ các thay đổi đó", "error")],
                                      cancel="later", details=details), done)

    def show_failed(self, failed, title: str) -> None:
        """The edits that no longer apply, each with why, in a dialog she closes herself (a notice goes by)."""
        # start-up: a screen is loaded when first opened, not before the first paint
        from .screens.dialogs import ChoiceDialog

        details = "\n".join(f"• {op.get('label') or op.get('op')}\n    vì: {why}" for op, why in failed)
        question = (f"{title}: {len(failed)} thay đổi chưa lưu không còn áp dụng được lên tệp hiện tại "
                    "và đã được bỏ qua. Các thay đổi khác vẫn giữ nguyên; nếu cần, sửa lại các mục dưới đây.")
        self.push_screen(ChoiceDialog(question, [("ok", "Đã hiểu", "primary")], cancel="ok", details=details))

    @property
    def rubric_screen(self):
        return self.get_screen("rubric")

    def refresh_status(self) -> None:
        self.rubric_screen.show_status()

    # -- findings
    def _index_findings(self) -> None:
        severity: dict[str, str] = {}
        for finding in self.findings:
            if severity.get(finding.node) != "error":
                severity[finding.node] = finding.severity
        self.severity = severity

    @work(thread=True, exclusive=True, group="check")
    def run_check(self) -> None:
        session = self.session
        generation = session.generation
        findings = check(session.rubric)
        self.call_from_thread(self._checked, session, generation, findings)

    def _checked(self, session: EditSession, generation: int, findings: list[Finding]) -> None:
        if session is not self.session or generation != session.generation:
            return  # a newer edit is being checked
        self.findings = findings
        self._index_findings()
        self.rubric_screen.show_findings()

    # -- editing
    def _can_edit(self) -> bool:
        session = self.session
        if session.frozen:
            self.offer_new_draft()
            return False
        if self.saving:
            self.notify("Đang lưu tệp, vui lòng chờ.", severity="warning")
            return False
        if not session.ready:
            self.notify("Đang mở tệp để sửa, vui lòng chờ trong giây lát.", severity="warning")
            return False
        return True

    def _edit(self, change) -> bool:
        """Run one session edit; show errors as a notification; refresh afterwards."""
        try:
            edit = change()
        except CchcError as exc:
            self.notify(str(exc), title="Không sửa được", severity="error")
            return False
        self.after_edit(scope=edit.scope if edit is not None else "")
        return True

    def after_edit(self, select: str | None = None, scope: str | None = None) -> None:
        """The model again from the edited tree, the screen redrawn, the findings rechecked.

        `scope` is the subtree the edit touched (re-read alone); None means the last edit's scope.
        """
        if scope is None:
            scope = self.session.undo_stack[-1].scope if self.session.undo_stack else ""
        self.session.rebuild(scope)
        screen = self.rubric_screen
        screen.show_rubric()
        if select:
            screen.select(select)
        self.run_check()

    def _current_node(self):
        if self.screen is not self.rubric_screen:
            self.notify("Chuyển sang màn hình Bộ tiêu chí (phím 1) để sửa.", severity="warning")
            return None
        node_id = self.rubric_screen.current_id()
        return self.session.rubric.index().get(node_id or "")

    def action_edit_node(self) -> None:
        node = self._current_node()
        if node is None or not self._can_edit():
            return
        # start-up: a screen is loaded when first opened, not before the first paint
        from .screens.dialogs import NodeEditor

        def done(values: dict | None) -> None:
            if values:
                save = values.pop("save", False)
                if self._edit(lambda: self.session.set_fields(node.id, values)) and save:
                    self.action_save()

        self.push_screen(NodeEditor(node, self.office_choices()), done)

    def office_choices(self) -> list[tuple[str, str]]:
        """(label, code) of the workspace's offices for the owner list; none when offices.yaml cannot be read."""
        try:
            offices = self.workspace.offices()
        except CchcError as exc:
            self.notify(str(exc), title="Không đọc được danh sách cơ quan", severity="warning")
            return []
        return [(f"{office.code} — {office.short or office.name}", office.code) for office in offices]

    def action_edit_bands(self) -> None:
        node = self._current_node()
        if node is None or not self._can_edit():
            return
        if node.children:
            self.notify(f"{node.id} có mục con: mức điểm đặt ở các tiêu chí lá.", severity="warning")
            return
        # start-up: a screen is loaded when first opened, not before the first paint
        from .screens.dialogs import BandEditor

        self.push_screen(BandEditor(node.id))

    def action_add_criterion(self) -> None:
        node = self._current_node()
        if node is None or not self._can_edit():
            return
        # start-up: a screen is loaded when first opened, not before the first paint
        from .screens.dialogs import NewCriterion

        node_id, tt = self.session.next_child_id(node.id)

        def done(values: dict | None) -> None:
            if values and self._edit(lambda: self.session.add_child(node.id, values["title"], values["max"],
                                                                     values["id"], values["tt"])):
                self.rubric_screen.select(values["id"])
                if values["save"]:
                    self.action_save()

        self.push_screen(NewCriterion(node, node_id, tt), done)

    def action_delete_criterion(self) -> None:
        node = self._current_node()
        if node is None or not self._can_edit():
            return
        if node.kind == "section":
            self.notify("Không xóa cả một phần (I, II, III) từ đây.", severity="warning")
            return
        # start-up: a screen is loaded when first opened, not before the first paint
        from .screens.dialogs import ConfirmDialog

        below = sum(1 for _ in node.walk()) - 1
        question = f"Xóa tiêu chí {node.id} “{node.title}”" + (f" cùng {below} mục con" if below else "") + "?"

        def done(yes: bool | None) -> None:
            if yes:
                parent = self.session.rubric.parents().get(node.id)
                if self._edit(lambda: self.session.remove_node(node.id)) and parent is not None:
                    self.rubric_screen.select(parent.id)

        self.push_screen(ConfirmDialog(question, yes="Xóa"), done)

    def action_move_criterion(self, offset: int) -> None:
        node = self._current_node()
        if node is None or not self._can_edit():
            return
        if self._edit(lambda: self.session.move_node(node.id, offset)):
            self.rubric_screen.select(node.id)

    def go_to(self, node_id: str) -> None:
        """Show a node in the rubric tree (from the palette or the jump)."""
        self.action_show_rubric()
        if self.rubric_screen.select(node_id):
            self.rubric_screen.action_focus_tree()

    def resolve_id(self, text: str) -> str | None:
        """A typed id as a node id: exact (any case), else a number inside the section under the cursor."""
        wanted = text.strip().lower()
        index = self.session.rubric.index()
        exact = [node_id for node_id in index if node_id.lower() == wanted]
        if exact:
            return exact[0]
        current = self.rubric_screen.current_id() or ""
        section = current.split(".", 1)[0]
        for node_id in ([f"{section}.{text.strip()}"] if section else []) + list(index):
            if node_id in index and node_id.lower().endswith("." + wanted):
                return node_id
        return None

    def action_goto_prompt(self) -> None:
        # start-up: a screen is loaded when first opened, not before the first paint
        from .screens.dialogs import GotoDialog

        def done(text: str | None) -> None:
            if not text:
                return
            node_id = self.resolve_id(text)
            if node_id is None:
                self.notify(f"Không có tiêu chí “{text}”.", severity="warning")
            else:
                self.go_to(node_id)

        self.push_screen(GotoDialog(), done)

    def action_filter_tree(self) -> None:
        self.action_show_rubric()
        self.rubric_screen.action_start_filter()

    def action_focus_findings_panel(self) -> None:
        self.action_show_rubric()
        self.rubric_screen.action_focus_findings()

    def action_focus_tree_panel(self) -> None:
        self.action_show_rubric()
        self.rubric_screen.action_focus_tree()

    def action_undo(self) -> None:
        if self.saving:
            return
        edit = self.session.undo()
        if edit is None:
            self.notify("Không còn gì để hoàn tác.")
            return
        self.after_edit(edit.node_id or None, scope=edit.scope)
        self.notify(f"Đã hoàn tác: {edit.label}")

    def action_redo(self) -> None:
        if self.saving:
            return
        edit = self.session.redo()
        if edit is None:
            self.notify("Không còn gì để làm lại.")
            return
        self.after_edit(edit.node_id or None, scope=edit.scope)
        self.notify(f"Đã làm lại: {edit.label}")

    def action_save(self) -> None:
        session = self.session
        if session.frozen:
            self.offer_new_draft()
            return
        if not session.modified:
            self.notify("Không có thay đổi nào cần lưu.")
            return
        if not session.ready or self.saving:
            return
        if offer_outside_change(self, before_save=True):  # the save would be refused: reload first
            return
        self.saving = True
        self.save_worker()

    def on_app_focus(self) -> None:
        """Back in this window: notice when the open file changed on disk meanwhile."""
        offer_outside_change(self)

    @work(thread=True, exclusive=True, group="save")
    def save_worker(self) -> None:
        session = self.session
        saved = False
        try:
            session.save()
            saved = True
            record_save(session.workspace, session.path)  # a commit, when the workspace is a git repository
        except CchcError as exc:
            self.call_from_thread(self.notify, str(exc), title="Không lưu được", severity="error", timeout=15)
        except OSError as exc:  # the recovery journal, written after the save
            self.call_from_thread(self.notify, str(from_os_error(exc, str(session.path))), title="Không lưu được",
                                  severity="error", timeout=15)
        else:
            self.call_from_thread(self.notify, f"Đã lưu {session.path.name}", title="Đã lưu")
        finally:
            self.call_from_thread(self._saved, saved)

    def _saved(self, saved: bool = True) -> None:
        self.saving = False
        self.refresh_status()
        then, self._after_save = self._after_save, None
        if then is not None and saved:
            then()

    # -- frozen versions
    def offer_new_draft(self) -> None:
        # start-up: a screen is loaded when first opened, not before the first paint
        from .screens.dialogs import ConfirmDialog

        session = self.session
        # start-up: a screen is loaded when first opened, not before the first paint
        from .screens.rubric import STATUS_VI

        status = STATUS_VI.get(session.rubric.meta.status, session.rubric.meta.status)
        question = (f"Phiên bản {session.version} {status} nên chỉ được xem, "
                    f"không sửa trực tiếp. Tạo dự thảo mới từ {session.version} để sửa?")

        def done(yes: bool | None) -> None:
            if yes:
                self.start_new_draft(session.version)

        self.push_screen(ConfirmDialog(question, yes="Tạo dự thảo mới"), done)

    @work(thread=True, exclusive=True, group="new-draft")
    def start_new_draft(self, from_version: str) -> None:
        """Copy a frozen version into the next draft (versions.new_draft) and open it."""
        try:
            path = versions.new_draft(self.workspace, from_version)
        except CchcError as exc:
            self.call_from_thread(self.notify, str(exc), title="Không tạo được dự thảo", severity="error")
            return
        self.call_from_thread(self.open_path, path)
        self.call_from_thread(self.notify, f"Đã tạo dự thảo mới {path.stem} từ {from_version}.")

    # -- versions
    def open_path(self, path: Path) -> None:
        """Show another version (the current one must be saved or its changes dropped)."""
        try:
            session = EditSession.load(self.workspace, path)
        except CchcError as exc:
            self.notify(str(exc), title="Không mở được", severity="error")
            return
        self.session.close()
        self.session = session
        self.findings = check(session.rubric)
        self._index_findings()
        self.rubric_screen.show_rubric(keep_state=False)
        self._start_document()

    def version_choices(self) -> list[tuple[str, str]]:
        # start-up: a screen is loaded when first opened, not before the first paint
        from .screens.rubric import STATUS_VI

        try:
            records = self.workspace.history()  # the status by the history: no version file is read for a label
        except CchcError:
            return [(name, name) for name in self.workspace.versions()]
        changed = last_changes(self.workspace)
        out = []
        for name in self.workspace.versions():
            record = records.get(name)
            status = record.status if record is not None else "draft"
            label = f"{name} — {STATUS_VI.get(status, status)}"
            commit = changed.get(name)
            if commit is not None:
                label += f" · sửa lần cuối {format_date_short(commit.when.date())} {commit.when:%H:%M}, {commit.author or '?'}"
            out.append((name, label))
        return out

    def action_open_version(self) -> None:
        # start-up: a screen is loaded when first opened, not before the first paint
        from .screens.dialogs import VersionPicker

        def picked(name: str | None) -> None:
            if name and name != self.session.path.stem:
                self.open_path(self.workspace.version_path(name))

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.push_screen(VersionPicker("Mở phiên bản", self.version_choices(), self.session.path.stem),
                                 picked)

        self.guard_unsaved("mở phiên bản khác", lambda: confirmed(True), save_label="Lưu rồi mở",
                           discard_label="Bỏ thay đổi")

    # -- screens
    def _switch(self, name: str, factory) -> None:
        if not self.is_screen_installed(name):
            self.install_screen(factory(), name)
        while len(self.screen_stack) > 1 and isinstance(self.screen, _modal_types()):
            self.pop_screen()
        if self.screen is not self.get_screen(name):
            self.switch_screen(name)

    def action_show_rubric(self) -> None:
        self._switch("rubric", lambda: None)

    def action_show_comments(self) -> None:
        # start-up: a screen is loaded when first opened, not before the first paint
        from .screens.comments import CommentsScreen

        self._switch("comments", CommentsScreen)

    def action_node_comments(self) -> None:
        """The comments screen with only the comments on the criterion under the cursor (and below it)."""
        node = self._current_node()
        if node is None:
            return
        if not self.workspace.round_file.exists():
            self.notify("Chưa có đợt lấy ý kiến (round.yaml) nên chưa có góp ý nào.", severity="warning")
            return
        self.action_show_comments()
        self.get_screen("comments").show_criterion(node.id)

    def action_show_diff(self) -> None:
        # start-up: a screen is loaded when first opened, not before the first paint
        from .screens.diff import DiffScreen

        self._switch("diff", DiffScreen)

    def action_show_scores(self) -> None:
        # start-up: a screen is loaded when first opened, not before the first paint
        from .screens.scoring import ScoringScreen

        self._switch("scores", ScoringScreen)

    def action_help(self) -> None:
        # start-up: a screen is loaded when first opened, not before the first paint
        from .screens.dialogs import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        sections = [("Chung", [(e.keys.replace(",", " / ").replace("question_mark", "?"), e.label)
                               for e in APP_ACTIONS]),
                    ("Bộ tiêu chí (phím 1)", [(e.keys, e.label) for e in RUBRIC_ACTIONS]
                     + [("↑ ↓ → ←", "đi trong cây, mở / đóng mục"), ("Enter", "mở / đóng mục; ở bảng phát hiện: đến mục"),
                        ("● ▲", "mục có lỗi / cảnh báo"), ("·", "có lỗi hoặc cảnh báo ở mục con"),
                        ("✉", "mục có ý kiến góp ý")]),
                    ("Hộp thoại sửa (e, n, b)", [("Enter / F2", "ghi nhận (ô nhiều dòng: F2; Enter xuống dòng)"),
                                                ("Ctrl+S", "ghi nhận rồi lưu tệp — Ctrl+S luôn là ghi tệp"),
                                                ("Esc", "hủy"),
                                                ("", "khung Phát hiện tính lại khi gõ")]),
                    ("Sửa mức điểm (phím b)", [("Enter", "sửa mức đang chọn"), ("a", "thêm mức"),
                                              ("x / Delete", "xóa mức"), ("J / K", "chuyển mức xuống / lên"),
                                              ("Esc", "đóng")])]
        for extra in getattr(self.screen, "HELP_SECTIONS", []):
            sections.append(extra)
        self.push_screen(HelpScreen(sections))

    def action_quit_app(self) -> None:
        """The one way out (q, Ctrl+Q, Ctrl+C, the palette): asks when edits are unsaved, saving is the default."""
        self.guard_unsaved("thoát", self._exit_clean, save_label="Lưu rồi thoát", discard_label="Thoát không lưu")

    async def action_quit(self) -> None:
        self.action_quit_app()

    def action_help_quit(self) -> None:
        self.action_quit_app()

    def _exit_clean(self) -> None:
        self.session.close()
        self.exit()

    def guard_unsaved(self, what: str, then, *, save_label: str, discard_label: str) -> None:
        """Run `then` at once when nothing is unsaved; otherwise ask: save first (focused), stay, or drop the edits."""
        # start-up: a screen is loaded when first opened, not before the first paint
        from .screens.dialogs import ChoiceDialog

        session = self.session
        if not session.modified:
            then()
            return
        if any(isinstance(screen, ChoiceDialog) for screen in self.screen_stack):
            return  # the question is already on screen

        def done(choice: str) -> None:
            if choice == "save":
                self._after_save = then
                self.action_save()
            elif choice == "discard":
                then()

        count = len(session.undo_stack)
        question = (f"Có thay đổi chưa lưu trong {session.path.name} ({count} thao tác). "
                    f"Lưu trước khi {what}?")
        self.push_screen(ChoiceDialog(question, [("save", save_label, "primary"), ("stay", "Ở lại", "default"),
                                                 ("discard", discard_label, "error")], cancel="stay"), done)

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if not CommandPalette.is_open(self):
            palette = CommandPalette(id="--command-palette", placeholder="Tìm thao tác hoặc mã tiêu chí…")
            self.push_screen(palette)

    def get_system_commands(self, screen):
        """The palette's own entries, in Vietnamese (Textual's are English)."""
        yield SystemCommand("Giao diện", "đổi bảng màu của ứng dụng", self.action_change_theme)
        yield SystemCommand("Thoát", "thoát (hỏi lại nếu còn thay đổi chưa lưu)", self.action_quit_app)
        yield SystemCommand("Chụp màn hình", "lưu ảnh màn hình dạng SVG", lambda: self.deliver_screenshot())


def last_changes(ws: Workspace) -> dict:
    """Version name → the newest commit that changed its file, in a git workspace (`cchc init --git`); else {}."""
    if not is_git(ws.root):
        return {}
    prefix = ws.drafts.relative_to(ws.root).as_posix()
    names, out = set(ws.versions()), {}
    try:
        for commit in walk(ws.root, prefix):  # newest first
            for path in commit.paths:
                name = path.rsplit("/", 1)[-1].removesuffix(".yaml")
                if name in names and name not in out:
                    out[name] = commit
            if len(out) == len(names):
                break
    except Exception:  # a damaged repository never keeps the picker from opening; `cchc log` says why
        return out
    return out


def _modal_types():
    from textual.screen import ModalScreen

    return (ModalScreen,)


def create_app(workspace: Path | str | None = None, version: str | None = None, *,
               today: date | None = None, open_document: bool = True) -> CchcApp:
    """The app on a workspace (default: `find_workspace`) and a version (default: the newest)."""
    ws = find_workspace(workspace) if not isinstance(workspace, Workspace) else workspace
    path = ws.resolve_rubric(version)
    return CchcApp(ws, path, today=today, open_document=open_document)
