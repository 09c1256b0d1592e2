"""The open file changed on disk: reload it and re-apply her edits, see what changed, or keep hers for now.

The app calls `offer_outside_change` when it gets the focus back and before a
save. With no unsaved edits the file is simply read again; with edits she
chooses. The work itself (re-applying the edits, listing those that no longer
apply, the rubric diff) is the session's and the document's, tested without a
screen.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ...errors import CchcError
from ...diff import KINDS, counts_text, points_lines

RELOAD = "Tải lại và áp dụng lại các sửa đổi của tôi"
SHOW_DIFF = "Xem khác biệt"
KEEP = "Giữ nguyên"


class OutsideChangeDialog(ModalScreen[str]):
    """Reload and re-apply (focused, the safe way), show the diff in place, or keep (Esc)."""

    DEFAULT_CSS = """
    OutsideChangeDialog .details { height: auto; max-height: 18; }
    """
    BINDINGS = [Binding("escape", "keep", KEEP, id="outside.keep"),
                Binding("left,up", "app.focus_previous", show=False),
                Binding("right,down", "app.focus_next", show=False)]

    def __init__(self, file_name: str, labels: list[str]) -> None:
        super().__init__()
        self.file_name, self.labels = file_name, labels

    def compose(self) -> ComposeResult:
        question = (f"{self.file_name} vừa được sửa ở nơi khác (một cửa sổ khác, một lệnh cchc hoặc người khác) "
                    f"sau khi mở, trong khi cửa sổ này có {len(self.labels)} thay đổi chưa lưu: lưu đè bây giờ sẽ "
                    "xóa mất thay đổi ở nơi khác.")
        with Vertical(classes="dialog wide"):
            yield Static(Text(question), classes="question")
            with VerticalScroll(classes="details"):
                yield Static(self._edits_text(), id="outside-details")
            with Horizontal(classes="buttons"):
                yield Button(RELOAD, variant="primary", id="reload")
                yield Button(SHOW_DIFF, id="diff")
                yield Button(KEEP, id="keep")

    def on_mount(self) -> None:
        self.query_one("#reload", Button).focus()

    def _edits_text(self) -> Text:
        text = Text("Các thay đổi chưa lưu ở cửa sổ này (sẽ được áp dụng lại lên tệp mới):\n", style="bold")
        for label in self.labels:
            text.append(f"• {label}\n")
        return text

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "diff":
            self.show_diff()
            return
        self.dismiss(event.button.id or "keep")

    def show_diff(self) -> None:
        """The rubric diff from the file as she opened it to the file on disk now, in place of the list."""
        try:
            diff = self.app.session.outside_diff()
        except CchcError as exc:
            self.query_one("#outside-details", Static).update(Text(f"Không so sánh được: {exc}", style="red"))
            return
        text = Text(f"Thay đổi ở nơi khác: {diff.old_name} → {diff.new_name}: {counts_text(diff)}\n", style="bold")
        for change in diff.changes:
            text.append(f"• {KINDS.get(change.kind, change.kind)}: ", style="cyan")
            text.append(f"{change.message}\n")
        text.append("\nĐiểm\n", style="bold underline")
        for label, value, note in points_lines(diff):
            text.append(f"{label}: {value}{f'  ({note})' if note else ''}\n")
        text.append("\n")
        text.append_text(self._edits_text())
        self.query_one("#outside-details", Static).update(text)
        self.query_one("#reload", Button).focus()

    def action_keep(self) -> None:
        self.dismiss("keep")


def offer_outside_change(app, *, before_save: bool = False) -> bool:
    """When the open file changed on disk, deal with it; True when it did (a dialog may be up).

    Without unsaved edits the file is read again at once. Before a save she is asked
    even when she chose to keep her version earlier: the save would be refused.
    """
    session = app.session
    if not session.ready or session.frozen or app.saving or isinstance(app.screen, OutsideChangeDialog):
        return False  # (during our own save the file on disk is briefly ahead of what the document knows)
    state = session.doc.disk_state() if before_save else session.outside_change()
    if not state:
        return False
    if not session.modified:
        reload_and_reapply(app)
        app.notify(f"{session.path.name} đã được sửa ở nơi khác; đã đọc lại tệp mới.", title="Tệp đã thay đổi")
        return True
    labels = [edit.label for edit in session.undo_stack[max(session.doc.saved_depth, 0):]]
    if before_save:
        app._after_save = None  # "save, then quit/open…" waits: she sees what was re-applied, then saves again

    def done(choice: str | None) -> None:
        if choice == "reload":
            reload_and_reapply(app)
        else:
            session.keep_mine(state)
            app.notify("Đã giữ nguyên bản đang sửa. Khi lưu, chọn tải lại để không xóa mất thay đổi ở nơi khác.",
                       severity="warning")

    app.push_screen(OutsideChangeDialog(session.path.name, labels), done)
    return True


def reload_and_reapply(app) -> None:
    """Read the file on disk again and apply her unsaved edits to it; say which no longer apply."""
    session = app.session
    try:
        failed = session.reload_and_reapply()
    except CchcError as exc:
        app.notify(str(exc), title="Không tải lại được", severity="error", timeout=15)
        return
    app.after_edit(scope="")
    if session.modified:
        app.notify(f"Đã tải lại tệp mới và áp dụng lại {len(session.undo_stack)} thay đổi; nhấn Ctrl+S để lưu.",
                   title="Đã tải lại")
    if failed:
        app.show_failed(failed, "Một số thay đổi không áp dụng lại được")
