"""The rubric open in the TUI: which file, the model on screen, readiness to edit.

No Textual here, so the session's rules can be tested without a screen. The
display model comes from the fast read; the round-trip `RubricDocument`
(seconds on a large file) is opened separately, in a worker, and edits are
possible once it is there. The edits and their undo/redo are the document's
(`cchc_consult.document`); the session refuses them on a frozen version or
before the document is open, and rebuilds the model shown after each one.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, TypeVar

from ..bands import parse_band_conditions
from ..consult.round import Round
from ..diff import RubricDiff, diff_rubrics
from ..document import Edit, JournalEntry, RecoveryJournal, RubricDocument, recover, reload_and_reapply, warm_up
from ..errors import CchcError, ConcurrentEditError, FrozenVersionError, NotReadyError, from_os_error
from ..model import Condition, Rubric
from ..vn import nfc
from ..workspace import Workspace

_Result = TypeVar("_Result")


@dataclass
class EditSession:
    """One rubric version open in the TUI."""

    workspace: Workspace
    path: Path
    rubric: Rubric
    doc: RubricDocument | None = None
    #: Increases with each change, so a finished background check can tell whether it is stale.
    generation: int = 0
    #: The unsaved edits on disk as she works (None until the document is open).
    journal: RecoveryJournal | None = None
    #: The state of the file changed elsewhere that she chose to keep her version against (not asked again).
    kept_against: str = ""

    @classmethod
    def load(cls, workspace: Workspace, path: Path) -> "EditSession":
        """The display model only (fast path, a frozen version hash-checked); call `open_document` later to edit."""
        return cls(workspace=workspace, path=Path(path), rubric=workspace.rubric_file(path))

    # -- state
    @property
    def version(self) -> str:
        return self.rubric.meta.version or self.path.stem

    @property
    def frozen(self) -> bool:
        """Circulated or final: read-only, a new draft has to be started from it."""
        return self.rubric.meta.status != "draft"

    @property
    def ready(self) -> bool:
        return self.doc is not None

    @property
    def modified(self) -> bool:
        return self.doc is not None and self.doc.modified

    @property
    def undo_stack(self) -> list[Edit]:
        """The document's edits that can be undone, the last one last."""
        return self.doc.undo_stack if self.doc is not None else []

    def open_document(self) -> RubricDocument:
        """Open the round-trip document (slow: run it in a worker) and start its recovery journal."""
        # The model on screen was just built from this file: validating it again would cost ~70 ms.
        doc = RubricDocument.open(self.path, validate=False)
        if len(doc.index) - 1 != len(self.rubric.index()):  # the file changed in between: read it whole
            self.rubric = doc.rubric
        self.doc = doc
        self.journal = RecoveryJournal(recovery_folder(self.workspace), self.path)
        self.record()
        # ruamel's first use costs ~60 ms: paid in the background, not by the first edit or by readiness.
        threading.Thread(target=warm_up, daemon=True).start()
        return self.doc

    # -- the file changed elsewhere (another window, a command, a colleague)
    def outside_change(self) -> str:
        """The state of the file on disk when it changed since it was opened or saved, and she did not keep hers.

        "" when the file is as opened (or she already chose to keep her version against this state).
        """
        if self.doc is None:
            return ""
        state = self.doc.disk_state()
        return state if state and state != self.kept_against else ""

    def keep_mine(self, state: str) -> None:
        """Do not ask again about this state of the file (a save is still refused until she reloads)."""
        self.kept_against = state

    def reload_and_reapply(self) -> list[tuple[dict, str]]:
        """Read the file as it is on disk now and apply her unsaved edits again; returns those that no longer apply."""
        doc = self._require()
        fresh, failed = reload_and_reapply(doc)
        self.doc = fresh
        self.rubric = fresh.rubric
        self.kept_against = ""
        self.generation += 1
        self.record()
        return failed

    def outside_diff(self) -> RubricDiff:
        """What changed on disk: the file as she opened it (or last saved) against the file now."""
        doc = self._require()
        diff = diff_rubrics(doc.opened_rubric(), self.workspace.rubric_file(self.path))
        diff.old_name, diff.new_name = f"{self.version} (lúc mở)", f"{self.version} (trên đĩa bây giờ)"
        return diff

    # -- the recovery journal
    def record(self) -> None:
        """Write the unsaved edits to the journal; a journal that cannot be written never stops an edit."""
        if self.journal is not None and self.doc is not None:
            try:
                self.journal.record(self.doc)
            except (CchcError, OSError):
                pass

    def left_behind(self) -> list[JournalEntry]:
        """Unsaved edits another window left on this file when it crashed or was killed."""
        return self.journal.left_behind() if self.journal is not None else []

    def other_windows(self) -> list[JournalEntry]:
        """Other windows that have this file open now."""
        return self.journal.live_others() if self.journal is not None else []

    def recover(self, entry: JournalEntry) -> list[tuple[dict, str]]:
        """Re-apply a left-behind journal's edits (undoable); returns those that no longer apply."""
        doc = self._require()
        failed = recover(doc, entry)
        self.generation += 1
        self.discard_left_behind()
        self.record()
        return failed

    def discard_left_behind(self) -> None:
        if self.journal is not None:
            self.journal.clear_left_behind()

    def close(self) -> None:
        """The window ends with nothing to keep: its journal goes."""
        if self.journal is not None:
            self.journal.discard()

    def rebuild(self, scope: str = "") -> Rubric:
        """The model again from the edited YAML tree: only the `scope` subtree when given.

        Re-reading the whole round-trip tree costs ~60-150 ms at 1,000 criteria; one
        criterion's subtree costs well under a millisecond.
        """
        if self.doc is None:
            return self.rubric
        if scope:
            old = self.rubric.index().get(scope)
            try:
                if old is not None:
                    self._replace(old, self.doc.read_node(scope, old.kind))
                    return self.rubric
            except CchcError:
                pass  # read everything instead, which also reports what is wrong
        self.rubric = self.doc.rubric
        return self.rubric

    def _replace(self, old: Any, new: Any) -> None:
        parent = self.rubric.parents().get(old.id)
        holder = parent.children if parent is not None else self.rubric.sections
        holder[next(i for i, n in enumerate(holder) if n is old)] = new

    def _require(self) -> RubricDocument:
        if self.frozen:
            raise FrozenVersionError(f"phiên bản {self.version} đã ở trạng thái '{self.rubric.meta.status}', "
                                     "không sửa trực tiếp được", fix="tạo dự thảo mới từ phiên bản này")
        if self.doc is None:
            raise NotReadyError("đang mở tệp để sửa, vui lòng chờ trong giây lát")
        return self.doc

    def _edit(self, operation: Callable[[RubricDocument], _Result]) -> _Result:
        """Run one of the document's operations, counting a change when it made one."""
        doc = self._require()
        revision = doc.revision
        result = operation(doc)
        if doc.revision != revision:
            self.generation += 1
            self.record()
        return result

    # -- undo / redo / save
    def undo(self) -> Edit | None:
        return self._edit(lambda doc: doc.undo())

    def redo(self) -> Edit | None:
        return self._edit(lambda doc: doc.redo())

    def save(self) -> None:
        """Write the file atomically: only edited lines change; a file changed elsewhere is refused."""
        doc = self._require()
        try:
            doc.save()
        except ConcurrentEditError as exc:
            raise ConcurrentEditError(exc.message, path=exc.path,
                                      fix="nhấn Ctrl+S lần nữa và chọn 'Tải lại và áp dụng lại các sửa đổi của tôi'") from None
        except OSError as exc:
            error = from_os_error(exc, str(self.path))
            error.fix = (f"{error.fix}; các thay đổi vẫn còn trong cửa sổ này và trong nhật ký khôi phục: "
                         "khắc phục rồi lưu lại (Ctrl+S)")
            raise error from None
        self.record()

    # -- edits (see RubricDocument for what each does)
    def set_fields(self, node_id: str, values: dict[str, Any]) -> Edit | None:
        return self._edit(lambda doc: doc.set_fields(node_id, values))

    def set_band(self, node_id: str, index: int, text: str, points: Any) -> Edit | None:
        return self._edit(lambda doc: doc.set_band(node_id, index, text, points))

    def add_band(self, node_id: str, text: str, points: Any, index: int | None = None) -> Edit:
        return self._edit(lambda doc: doc.add_band(node_id, text, points, index))

    def remove_band(self, node_id: str, index: int) -> Edit:
        return self._edit(lambda doc: doc.remove_band(node_id, index))

    def move_band(self, node_id: str, index: int, offset: int) -> int:
        return self._edit(lambda doc: doc.move_band(node_id, index, offset))

    def next_child_id(self, parent_id: str) -> tuple[str, str]:
        return self._require().next_child_id(parent_id)

    def add_child(self, parent_id: str, title: str, maximum: Any, node_id: str = "", tt: str = "") -> Edit:
        return self._edit(lambda doc: doc.add_child(parent_id, title, maximum, node_id, tt))

    def remove_node(self, node_id: str) -> Edit:
        return self._edit(lambda doc: doc.remove_node(node_id))

    def move_node(self, node_id: str, offset: int) -> Edit | None:
        return self._edit(lambda doc: doc.move_node(node_id, offset))


def recovery_folder(workspace: Workspace) -> Path:
    """Where the windows keep their recovery journals: a hidden folder of the workspace."""
    return workspace.root / ".cchc" / "recovery"


def preview_conditions(texts: list[str]) -> list[Condition | None]:
    """What the band parser reads from the words as typed, for the live preview."""
    return parse_band_conditions([nfc(t) for t in texts])


def read_round(workspace: Workspace) -> Round | None:
    """The consultation round for the status line: None without round.yaml (no deadline is shown).

    A round.yaml that cannot be read shows no deadline either; the comments screen reports why.
    """
    if not workspace.round_file.exists():
        return None
    try:
        return workspace.round()
    except CchcError:
        return None
