"""The rubric being edited in the TUI: what is shown, the round-trip document, and undo/redo.

No Textual here, so the editing rules can be tested without a screen. The
display model comes from the fast `store.load_rubric`; the round-trip
`RubricDocument` (seconds on a large file) is opened separately, in a worker,
and edits are possible once it is there. Every edit is recorded as a pair of
functions over the YAML tree (do, undo), so undo never re-parses the file and
the objects put back are the very ones taken out (their comments and quoting
stay as they were).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..bands import parse_band_conditions, parse_deduction, parse_per_unit
from ..consult.round import Round, load_round
from ..errors import CchcError, FrozenVersionError
from ..model import Band, Condition, Node, Rubric, nfc, parse_points
from ..store import RubricDocument, load_rubric
from ..workspace import Workspace

_MISSING = object()


@dataclass
class Edit:
    """One undoable change: what it was called, and how to do and undo it on the YAML tree."""

    label: str
    do: Callable[[], None]
    undo: Callable[[], None]
    #: The node to select after doing or undoing it.
    node_id: str = ""
    #: The node whose subtree the edit touches (re-read alone after the edit); "" = the whole rubric.
    scope: str = ""


class NotReadyError(CchcError):
    """The round-trip document is still being opened; an edit has to wait."""


@dataclass
class EditSession:
    """One rubric version open in the TUI."""

    workspace: Workspace
    path: Path
    rubric: Rubric
    doc: RubricDocument | None = None
    undo_stack: list[Edit] = field(default_factory=list)
    redo_stack: list[Edit] = field(default_factory=list)
    #: len(undo_stack) when the file was last written (or opened).
    saved_depth: int = 0
    #: Increases with each change, so a finished background check can tell whether it is stale.
    generation: int = 0

    @classmethod
    def load(cls, workspace: Workspace, path: Path) -> "EditSession":
        """The display model only (fast path); call `open_document` later to be able to edit."""
        return cls(workspace=workspace, path=Path(path), rubric=load_rubric(path))

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
        return len(self.undo_stack) != self.saved_depth

    def open_document(self) -> RubricDocument:
        """Open the round-trip document (slow: run it in a worker)."""
        self.doc = RubricDocument.open(self.path)
        return self.doc

    def rebuild(self, scope: str = "") -> Rubric:
        """The model again from the edited YAML tree: only the `scope` subtree when given.

        Re-reading the whole round-trip tree costs ~60-150 ms at 1,000 criteria; one
        criterion's subtree costs well under a millisecond.
        """
        if self.doc is None:
            return self.rubric
        if scope:
            try:
                self._replace_subtree(scope)
                return self.rubric
            except (KeyError, CchcError):
                pass  # fall back to reading everything, which also reports what is wrong
        self.rubric = self.doc.rubric
        return self.rubric

    def _replace_subtree(self, node_id: str) -> None:
        from ..store import rubric_from_data

        mapping = self.doc.node_map(node_id)
        old = self.rubric.index()[node_id]
        # rubric_from_data reads any node mapping given as the only "section"; the kind is restored below.
        new = rubric_from_data({"sections": [mapping]}, str(self.path)).sections[0]
        new.kind = old.kind
        holder = self.rubric.sections
        parent = self.rubric.parents().get(node_id)
        if parent is not None:
            holder = parent.children
        position = next(i for i, n in enumerate(holder) if n is old)
        holder[position] = new

    def _require(self) -> RubricDocument:
        if self.frozen:
            raise FrozenVersionError(f"phiên bản {self.version} đã ở trạng thái '{self.rubric.meta.status}', "
                                     "không sửa trực tiếp được", fix="tạo dự thảo mới từ phiên bản này")
        if self.doc is None:
            raise NotReadyError("đang mở tệp để sửa, vui lòng chờ trong giây lát")
        return self.doc

    # -- undo / redo
    def apply(self, edit: Edit) -> Edit:
        edit.do()
        self.undo_stack.append(edit)
        if self.saved_depth > len(self.undo_stack) - 1:
            self.saved_depth = -1  # the saved state can no longer be reached by undo
        self.redo_stack.clear()
        self.generation += 1
        return edit

    def undo(self) -> Edit | None:
        if not self.undo_stack:
            return None
        edit = self.undo_stack.pop()
        edit.undo()
        self.redo_stack.append(edit)
        self.generation += 1
        return edit

    def redo(self) -> Edit | None:
        if not self.redo_stack:
            return None
        edit = self.redo_stack.pop()
        edit.do()
        self.undo_stack.append(edit)
        self.generation += 1
        return edit

    def save(self) -> None:
        """Write the file atomically through the round-trip store: only edited lines change."""
        doc = self._require()
        from .. import fileio

        if fileio.read_text(self.path) != doc.original_text:
            # Someone (another window, a text editor, a colleague's copy) changed the file since it was opened.
            raise FrozenVersionError("tệp đã bị sửa ở nơi khác sau khi mở; lưu lúc này sẽ xóa mất các sửa đổi đó",
                                     path=str(self.path),
                                     fix="mở lại phiên bản (phím o), làm lại các thay đổi rồi lưu")
        doc.save()
        self.saved_depth = len(self.undo_stack)

    # -- edits on a node
    def set_fields(self, node_id: str, values: dict[str, Any]) -> Edit | None:
        """Change title, max, owner, evidence (a list of lines)… of one node in one undoable step."""
        doc = self._require()
        mapping = doc.node_map(node_id)
        changes = {}
        for key, value in values.items():
            if key == "max":
                if value in (None, ""):
                    continue
                parse_points(value)  # refuse "1.5.2" before anything changes
            if key == "evidence":
                value = [nfc(line).strip() for line in value if nfc(line).strip()]
                if [str(v) for v in (mapping.get("evidence") or [])] == value:
                    continue
            elif key == "max":
                current = mapping.get("max")
                if current is not None and str(current).strip() and parse_points(current) == parse_points(value):
                    continue
            elif str(mapping.get(key, "") or "") == nfc(value):
                continue
            changes[key] = value
        if not changes:
            return None
        before = {key: mapping.get(key, _MISSING) for key in changes}

        def do() -> None:
            for key, value in changes.items():
                if key == "evidence" and not value:
                    mapping.pop("evidence", None)
                else:
                    doc.set_field(node_id, key, value)

        def undo() -> None:
            _restore(mapping, before)

        names = {"title": "tên", "max": "điểm chuẩn", "owner": "cơ quan phụ trách", "evidence": "tài liệu kiểm chứng"}
        label = "sửa " + ", ".join(names.get(k, k) for k in changes) + f" của {node_id}"
        return self.apply(Edit(label, do, undo, node_id, node_id))

    def set_band(self, node_id: str, index: int, text: str, points: Any) -> Edit | None:
        """Reword a band and/or change its points; its condition is re-read from the new words."""
        doc = self._require()
        band = doc.node_map(node_id)["bands"][index]
        text = nfc(text).strip()
        new_points = parse_points(points)
        if str(band.get("text")) == text and parse_points(band.get("points")) == new_points:
            return None
        texts = [str(b.get("text", "")) for b in doc.node_map(node_id)["bands"]]
        texts[index] = text
        condition = parse_band_conditions(texts)[index]
        before = {key: band.get(key, _MISSING) for key in ("text", "points", "when")}

        def do() -> None:
            # A condition a person wrote stays when the new words carry none the parser can read.
            doc.set_band(node_id, index, text=text, points=new_points,
                         condition=condition if condition is not None else False)

        def undo() -> None:
            _restore(band, before)

        return self.apply(Edit(f"sửa mức điểm {index + 1} của {node_id}", do, undo, node_id, node_id))

    def add_band(self, node_id: str, text: str, points: Any, index: int | None = None) -> Edit:
        doc = self._require()
        mapping = doc.node_map(node_id)
        texts = [str(b.get("text", "")) for b in mapping.get("bands") or []]
        position = len(texts) if index is None else index
        texts.insert(position, text)
        band = Band(text=nfc(text).strip(), points=parse_points(points),
                    condition=parse_band_conditions(texts)[position],
                    per_unit=parse_per_unit(text), deduction=parse_deduction(text))
        had_bands = "bands" in mapping

        def do() -> None:
            doc.add_band(node_id, band, position)

        def undo() -> None:
            del mapping["bands"][position]
            if not had_bands and not mapping["bands"]:
                del mapping["bands"]

        return self.apply(Edit(f"thêm mức điểm vào {node_id}", do, undo, node_id, node_id))

    def remove_band(self, node_id: str, index: int) -> Edit:
        doc = self._require()
        bands = doc.node_map(node_id)["bands"]
        removed = bands[index]

        def do() -> None:
            bands.remove(removed)

        def undo() -> None:
            bands.insert(index, removed)

        return self.apply(Edit(f"xóa mức điểm {index + 1} của {node_id}", do, undo, node_id, node_id))

    def move_band(self, node_id: str, index: int, offset: int) -> int:
        """Move a band up (-1) or down (+1); returns its new position."""
        doc = self._require()
        count = len(doc.node_map(node_id).get("bands") or [])
        target = max(0, min(count - 1, index + offset))
        if target == index:
            return index
        self.apply(Edit(f"đổi thứ tự mức điểm của {node_id}",
                        lambda: doc.move_band(node_id, index, target - index),
                        lambda: doc.move_band(node_id, target, index - target), node_id, node_id))
        return target

    # -- edits on the tree
    def next_child_id(self, parent_id: str) -> tuple[str, str]:
        """(id, tt) for a new last child: "II.6" → ("II.6.4", "6.4")."""
        parent = self.rubric.index()[parent_id]
        taken = {n.id for n in self.rubric.walk()}
        number = len(parent.children) + 1
        while True:
            tt = f"{parent.tt}.{number}" if parent.kind != "section" else str(number)
            node_id = f"{parent_id}.{number}"
            if node_id not in taken:
                return node_id, tt
            number += 1

    def add_child(self, parent_id: str, title: str, maximum: Any, node_id: str = "", tt: str = "") -> Edit:
        doc = self._require()
        if not node_id:
            node_id, tt = self.next_child_id(parent_id)
        node = Node(id=nfc(node_id).strip(), tt=nfc(tt or node_id.rsplit(".", 1)[-1]).strip(),
                    title=nfc(title).strip(), max=parse_points(maximum))
        mapping = doc.node_map(parent_id)
        had_children = "children" in mapping

        def do() -> None:
            doc.add_child(parent_id, node)

        def undo() -> None:
            doc.remove_node(node.id)
            if not had_children and not mapping["children"]:
                del mapping["children"]

        return self.apply(Edit(f"thêm tiêu chí {node.id}", do, undo, node.id, parent_id))

    def remove_node(self, node_id: str) -> Edit:
        doc = self._require()
        found = doc._find(node_id)
        if found is None:
            raise KeyError(node_id)
        mapping, holder = found
        index = holder.index(mapping)
        parent = self.rubric.parents().get(node_id)

        def do() -> None:
            holder.remove(mapping)

        def undo() -> None:
            holder.insert(index, mapping)

        return self.apply(Edit(f"xóa tiêu chí {node_id}", do, undo, parent.id if parent else "",
                               parent.id if parent else ""))

    def move_node(self, node_id: str, offset: int) -> Edit | None:
        """Move a criterion up (-1) or down (+1) among its siblings."""
        doc = self._require()
        found = doc._find(node_id)
        if found is None:
            raise KeyError(node_id)
        mapping, holder = found
        index = holder.index(mapping)
        target = max(0, min(len(holder) - 1, index + offset))
        if target == index:
            return None
        parent = self.rubric.parents().get(node_id)
        return self.apply(Edit(f"di chuyển {node_id}", lambda: doc.move_node(node_id, target - index),
                               lambda: doc.move_node(node_id, index - target), node_id,
                               parent.id if parent else ""))


def _restore(mapping: Any, before: dict[str, Any]) -> None:
    for key, value in before.items():
        if value is _MISSING:
            mapping.pop(key, None)
        else:
            mapping[key] = value


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
        return load_round(workspace)
    except CchcError:
        return None
