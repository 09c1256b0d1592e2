"""The editable rubric: ruamel's round-trip tree, undoable edit operations, a line-exact save.

Opening costs seconds on a large file (the round-trip loader), so the TUI opens a
document in a worker and shows the fast-read model meanwhile. Every edit is
recorded as a pair of functions over the YAML tree (do, undo), so undo never
re-parses the file and the objects put back are the very ones taken out (their
comments and quoting stay as they were). Saving writes only the lines that
changed, and refuses when the file changed on disk since it was opened.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from . import fileio
from .bands import parse_band_conditions, parse_deduction, parse_per_unit
from .errors import CchcError, ConcurrentEditError, FrozenVersionError, NotFoundError, ValidationError
from .model import Band, Node, Rubric, nfc, parse_points, store_points
from .schema import RubricReader, band_to_data, condition_to_data, node_to_data, rubric_from_data
from .yamlio import dump_round_trip, hash_bytes, read_round_trip, text_scalar, to_round_trip

_MISSING = object()
#: What a node's fields are called in an edit's label.
_FIELD_NAMES = {"title": "tên", "max": "điểm chuẩn", "owner": "cơ quan phụ trách", "evidence": "tài liệu kiểm chứng"}


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
    #: The operation as plain data ({"op": method name, "args": {...}}), for the recovery journal and replay.
    operation: dict | None = None


class RubricDocument:
    """An editable rubric file: the round-trip tree, its edits with undo/redo, and an atomic save.

    Edits go to the YAML tree, so saving changes only what changed; `rubric`
    rebuilds the model from the tree, `read_node` one subtree of it.
    """

    def __init__(self, path: str | os.PathLike, tree: Any, text: str):
        self.path = Path(path)
        self.tree = tree
        self.original_text = text
        self.undo_stack: list[Edit] = []
        self.redo_stack: list[Edit] = []
        #: len(undo_stack) when the file was last written (or opened); -1 once undo cannot reach it.
        self.saved_depth = 0
        #: Increases with every edit, undo and redo.
        self.revision = 0

    @classmethod
    def open(cls, path: str | os.PathLike) -> "RubricDocument":
        tree, text = read_round_trip(path)
        doc = cls(path, tree, text)
        rubric_from_data(tree, str(path))  # validate now, so an editor never opens a broken file
        return doc

    # -- state
    @property
    def rubric(self) -> Rubric:
        return rubric_from_data(self.tree, str(self.path))

    @property
    def status(self) -> str:
        return str((self.tree.get("meta") or {}).get("status", "draft"))

    def dumps(self) -> str:
        return dump_round_trip(self.tree)

    @property
    def dirty(self) -> bool:
        """Whether the text to save differs from the file as opened (or last saved)."""
        return self.dumps() != self.original_text

    @property
    def modified(self) -> bool:
        """Whether edits were made since the last save (undoing them all back to it clears this)."""
        return len(self.undo_stack) != self.saved_depth

    def save(self) -> None:
        """Write the edited tree atomically; a circulated or final version, or a file changed on disk, is refused."""
        if self.status != "draft":
            raise FrozenVersionError(
                f"phiên bản này đã ở trạng thái '{self.status}', không được sửa trực tiếp",
                path=str(self.path), fix="tạo dự thảo mới: cchc draft new --from <phiên bản>")
        text = self.dumps()
        with fileio.file_lock(self.path):
            # Someone else (another window, another clerk, a command) saved the file since we read
            # it: writing now would silently drop their change.
            if self.path.exists() and fileio.read_text(self.path) != self.original_text:
                raise ConcurrentEditError(
                    "tệp đã được sửa ở nơi khác sau khi mở; lưu bây giờ sẽ xóa mất thay đổi đó",
                    path=str(self.path), fix="mở lại tệp để thấy thay đổi mới, rồi sửa lại và lưu")
            fileio.atomic_write(self.path, text)
        self.original_text = text
        self.saved_depth = len(self.undo_stack)

    # -- finding things in the tree
    def node_map(self, node_id: str) -> Any:
        """The YAML mapping of a node, by id."""
        return self._locate(node_id)[0]

    def read_node(self, node_id: str, kind: str = "criterion") -> Node:
        """The model of one node's subtree, read from the tree alone (well under a millisecond)."""
        mapping = self.node_map(node_id)
        return RubricReader(str(self.path)).node(mapping, mapping, kind)

    def _find(self, node_id: str) -> tuple[Any, Any, Any] | None:
        """(mapping, the list that holds it, the parent mapping or None) for a node id."""
        sections = self.tree["sections"]
        stack = [(s, sections, None) for s in sections]
        while stack:
            mapping, holder, parent = stack.pop()
            if str(mapping.get("id")) == node_id:
                return mapping, holder, parent
            for child in mapping.get("children") or []:
                stack.append((child, mapping["children"], mapping))
        return None

    def _locate(self, node_id: str) -> tuple[Any, Any, Any]:
        found = self._find(node_id)
        if found is None:
            raise NotFoundError(f"không có tiêu chí '{node_id}' trong tệp", path=str(self.path))
        return found

    def _ids(self) -> set[str]:
        out: set[str] = set()
        stack = list(self.tree["sections"])
        while stack:
            mapping = stack.pop()
            out.add(str(mapping.get("id")))
            stack.extend(mapping.get("children") or [])
        return out

    # -- undo / redo
    def apply(self, edit: Edit) -> Edit:
        """Do an edit and record it; the redo history is dropped."""
        edit.do()
        self.undo_stack.append(edit)
        if self.saved_depth > len(self.undo_stack) - 1:
            self.saved_depth = -1  # the saved state can no longer be reached by undo
        self.redo_stack.clear()
        self.revision += 1
        return edit

    def undo(self) -> Edit | None:
        if not self.undo_stack:
            return None
        edit = self.undo_stack.pop()
        edit.undo()
        self.redo_stack.append(edit)
        self.revision += 1
        return edit

    def redo(self) -> Edit | None:
        if not self.redo_stack:
            return None
        edit = self.redo_stack.pop()
        edit.do()
        self.undo_stack.append(edit)
        self.revision += 1
        return edit

    # -- edits as data: the journal and the replay after a crash or an outside change
    def operations(self) -> list[dict] | None:
        """The operations that lead from the file as last saved to the tree now; None when undo went below the save."""
        if self.saved_depth < 0 or self.saved_depth > len(self.undo_stack):
            return None
        edits = self.undo_stack[self.saved_depth:]
        if any(edit.operation is None for edit in edits):
            return None
        return [dict(edit.operation, label=edit.label) for edit in edits]

    def replay(self, operations: list[dict]) -> list[tuple[dict, str]]:
        """Apply recorded operations as new edits (undoable); returns those that no longer apply, with why."""
        failed: list[tuple[dict, str]] = []
        for operation in operations:
            method = getattr(self, str(operation.get("op")), None) if operation.get("op") in _REPLAYABLE else None
            if method is None:
                failed.append((operation, "không rõ thao tác"))
                continue
            try:
                method(**operation.get("args", {}))
            except CchcError as exc:
                failed.append((operation, exc.message))
            except (KeyError, IndexError, TypeError):
                failed.append((operation, "mục hoặc mức điểm không còn ở chỗ cũ"))
        return failed

    def restore_snapshot(self, text: str, label: str) -> Edit:
        """Replace the whole tree by a snapshot's text (one undoable edit): the journal's way when undo passed a save."""
        from .yamlio import _rt_yaml

        new_tree = _rt_yaml().load(text)
        rubric_from_data(new_tree, str(self.path))
        old_tree = self.tree

        def put(tree: Any) -> Callable[[], None]:
            return lambda: setattr(self, "tree", tree)

        return self.apply(Edit(label, put(new_tree), put(old_tree)))

    # -- edits on a node (each checks its input before anything changes)
    def set_fields(self, node_id: str, values: dict[str, Any]) -> Edit | None:
        """Change title, max, owner, tt, evidence (a list of lines)… of one node in one step; None if nothing changes."""
        mapping = self.node_map(node_id)
        changes = {}
        for key, value in values.items():
            if key in ("max", "per_item"):
                if value in (None, ""):
                    continue
                new_points = parse_points(value)  # refuse "1.5.2" before anything changes
                current = mapping.get(key)
                if current is not None and str(current).strip() and parse_points(current) == new_points:
                    continue
                changes[key] = to_round_trip({key: store_points(new_points)})[key]
            elif key == "evidence":
                lines = [nfc(line).strip() for line in value if nfc(line).strip()]
                if [str(v) for v in (mapping.get("evidence") or [])] == lines:
                    continue
                changes[key] = to_round_trip(lines) if lines else _MISSING
            elif str(mapping.get(key, "") or "") != nfc(value):
                # A cleared optional field leaves the file, never as `owner: ""`.
                changes[key] = _MISSING if not nfc(value).strip() and key != "title" else text_scalar(nfc(value))
        if not changes:
            return None
        before = {key: mapping.get(key, _MISSING) for key in changes}
        label = "sửa " + ", ".join(_FIELD_NAMES.get(k, k) for k in changes) + f" của {node_id}"
        return self.apply(Edit(label, lambda: _restore(mapping, changes), lambda: _restore(mapping, before),
                               node_id, node_id, _operation("set_fields", node_id=node_id, values=values)))

    def set_band(self, node_id: str, index: int, text: str | None = None, points: Any = None) -> Edit | None:
        """Reword a band and/or change its points; its condition is re-read from the new words.

        A condition a person wrote stays when the new words carry none the parser can read.
        """
        bands = self.node_map(node_id)["bands"]
        band = bands[index]
        text = nfc(band.get("text", "") if text is None else text).strip()
        new_points = parse_points(band.get("points") if points is None else points)
        if str(band.get("text")) == text and parse_points(band.get("points")) == new_points:
            return None
        texts = [str(b.get("text", "")) for b in bands]
        texts[index] = text
        condition = parse_band_conditions(texts)[index]
        after: dict[str, Any] = {"text": text_scalar(text),
                                 "points": to_round_trip({"points": store_points(new_points)})["points"]}
        if condition is not None:
            after["when"] = to_round_trip({"when": condition_to_data(condition)})["when"]
        for key in ("text", "points"):
            if str(band.get(key)) == str(after[key]):
                after[key] = band[key]  # unchanged: keep the very scalar, its quoting and comments
        before = {key: band.get(key, _MISSING) for key in after}
        return self.apply(Edit(f"sửa mức điểm {index + 1} của {node_id}", lambda: _restore(band, after),
                               lambda: _restore(band, before), node_id, node_id,
                               _operation("set_band", node_id=node_id, index=index, text=text, points=new_points)))

    def add_band(self, node_id: str, text: str, points: Any, index: int | None = None) -> Edit:
        """A new band from its words and points (condition, per-unit rule and deduction read from the words)."""
        from ruamel.yaml.comments import CommentedSeq

        mapping = self.node_map(node_id)
        texts = [str(b.get("text", "")) for b in mapping.get("bands") or []]
        position = len(texts) if index is None else index
        texts.insert(position, text)
        band = Band(text=nfc(text).strip(), points=parse_points(points),
                    condition=parse_band_conditions(texts)[position],
                    per_unit=parse_per_unit(text), deduction=parse_deduction(text))
        had_bands = "bands" in mapping

        def do() -> None:
            if "bands" not in mapping:
                mapping["bands"] = CommentedSeq()
            mapping["bands"].insert(position, to_round_trip(band_to_data(band)))

        def undo() -> None:
            del mapping["bands"][position]
            if not had_bands and not mapping["bands"]:
                del mapping["bands"]

        return self.apply(Edit(f"thêm mức điểm vào {node_id}", do, undo, node_id, node_id,
                               _operation("add_band", node_id=node_id, text=text, points=points, index=position)))

    def remove_band(self, node_id: str, index: int) -> Edit:
        bands = self.node_map(node_id)["bands"]
        removed = bands[index]
        return self.apply(Edit(f"xóa mức điểm {index + 1} của {node_id}", lambda: bands.remove(removed),
                               lambda: bands.insert(index, removed), node_id, node_id,
                               _operation("remove_band", node_id=node_id, index=index)))

    def move_band(self, node_id: str, index: int, offset: int) -> int:
        """Move a band up (-1) or down (+1); returns its new position (the same when it cannot move)."""
        bands = self.node_map(node_id).get("bands") or []
        target = max(0, min(len(bands) - 1, index + offset))
        if target == index:
            return index
        self.apply(Edit(f"đổi thứ tự mức điểm của {node_id}", lambda: _move(bands, index, target),
                        lambda: _move(bands, target, index), node_id, node_id,
                        _operation("move_band", node_id=node_id, index=index, offset=offset)))
        return target

    # -- edits on the tree
    def next_child_id(self, parent_id: str) -> tuple[str, str]:
        """(id, tt) for a new last child: "II.6" → ("II.6.4", "6.4")."""
        parent, holder, _ = self._locate(parent_id)
        in_section = holder is self.tree["sections"]
        parent_tt = nfc(str(parent.get("tt", "")))
        taken = self._ids()
        number = len(parent.get("children") or []) + 1
        while True:
            tt = str(number) if in_section else f"{parent_tt}.{number}"
            node_id = f"{parent_id}.{number}"
            if node_id not in taken:
                return node_id, tt
            number += 1

    def add_child(self, parent_id: str, title: str, maximum: Any, node_id: str = "", tt: str = "",
                  index: int | None = None) -> Edit:
        """A new criterion under a node (last unless `index`); its id is the next free one unless given."""
        from ruamel.yaml.comments import CommentedSeq

        mapping = self.node_map(parent_id)
        if not node_id:
            node_id, tt = self.next_child_id(parent_id)
        node = Node(id=nfc(node_id).strip(), tt=nfc(tt or node_id.rsplit(".", 1)[-1]).strip(),
                    title=nfc(title).strip(), max=parse_points(maximum))
        if node.id in self._ids():
            raise ValidationError(f"mã tiêu chí '{node.id}' đã tồn tại", path=str(self.path),
                                  fix="chọn một mã khác")
        had_children = "children" in mapping
        data = to_round_trip(node_to_data(node))

        def do() -> None:
            if "children" not in mapping:
                mapping["children"] = CommentedSeq()
            children = mapping["children"]
            children.insert(len(children) if index is None else index, data)

        def undo() -> None:
            mapping["children"].remove(data)
            if not had_children and not mapping["children"]:
                del mapping["children"]

        return self.apply(Edit(f"thêm tiêu chí {node.id}", do, undo, node.id, parent_id,
                               _operation("add_child", parent_id=parent_id, title=title, maximum=maximum,
                                          node_id=node.id, tt=node.tt, index=index)))

    def remove_node(self, node_id: str) -> Edit:
        mapping, holder, parent = self._locate(node_id)
        index = holder.index(mapping)
        parent_id = str(parent.get("id")) if parent is not None else ""
        return self.apply(Edit(f"xóa tiêu chí {node_id}", lambda: holder.remove(mapping),
                               lambda: holder.insert(index, mapping), parent_id, parent_id,
                               _operation("remove_node", node_id=node_id)))

    def move_node(self, node_id: str, offset: int) -> Edit | None:
        """Move a node up (-1) or down (+1) among its siblings; None when it cannot move."""
        mapping, holder, parent = self._locate(node_id)
        index = holder.index(mapping)
        target = max(0, min(len(holder) - 1, index + offset))
        if target == index:
            return None
        parent_id = str(parent.get("id")) if parent is not None else ""
        return self.apply(Edit(f"di chuyển {node_id}", lambda: _move(holder, index, target),
                               lambda: _move(holder, target, index), node_id, parent_id,
                               _operation("move_node", node_id=node_id, offset=offset)))


_REPLAYABLE = {"set_fields", "set_band", "add_band", "remove_band", "move_band", "add_child", "remove_node",
               "move_node"}


def _plain(value: Any) -> Any:
    """A value as JSON can hold it: Decimal points as text, tuples as lists."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _operation(name: str, **args: Any) -> dict:
    return {"op": name, "args": _plain(args)}


@dataclass
class JournalEntry:
    """What one window recorded about its unsaved edits to one rubric file."""

    file: Path
    rubric: str
    pid: int
    base_sha256: str
    operations: list[dict] = field(default_factory=list)
    snapshot: str | None = None

    @property
    def has_edits(self) -> bool:
        return bool(self.operations) or self.snapshot is not None

    def labels(self) -> list[str]:
        if self.snapshot is not None and not self.operations:
            return ["toàn bộ nội dung chưa lưu (bản chụp)"]
        return [str(op.get("label") or op.get("op")) for op in self.operations]


class RecoveryJournal:
    """The unsaved edits of one window on one rubric file, kept on disk as she works.

    One small JSON file per (rubric file, process) in `folder`: the hash of the file
    the edits start from and the edit operations as data (or, when undo went below
    the last save, a snapshot of the whole text). A clean exit removes it; after a
    crash or a kill it is there for the next window to offer back. A journal whose
    process still runs means another window has the same file open.
    """

    def __init__(self, folder: str | os.PathLike, rubric_path: str | os.PathLike, pid: int | None = None):
        self.folder = Path(folder)
        self.rubric_path = Path(rubric_path)
        self.pid = os.getpid() if pid is None else pid
        key = hash_bytes(str(self.rubric_path.resolve()).encode("utf-8"))[:10]
        self.prefix = f"{self.rubric_path.stem}-{key}"
        self.file = self.folder / f"{self.prefix}.{self.pid}.json"

    def record(self, doc: RubricDocument) -> None:
        """Write what `doc` holds beyond the file on disk (an empty list right after opening or saving)."""
        operations = doc.operations()
        payload = {"format": 1, "rubric": str(self.rubric_path), "pid": self.pid,
                   "base_sha256": hash_bytes(doc.original_text.encode("utf-8")),
                   "operations": operations or [],
                   "snapshot": doc.dumps() if operations is None else None}
        fileio.atomic_write(self.file, json.dumps(payload, ensure_ascii=False, indent=1),
                           lock=False, durable=False)  # one writer per file: its own process

    def discard(self) -> None:
        self.file.unlink(missing_ok=True)

    def others(self) -> list[JournalEntry]:
        """The journals other processes left (or keep) for the same rubric file, newest first."""
        out = []
        files = sorted(self.folder.glob(f"{self.prefix}.*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for path in files:
            if path == self.file:
                continue
            try:
                data = json.loads(fileio.read_text(path))
                out.append(JournalEntry(path, str(data["rubric"]), int(data["pid"]), str(data["base_sha256"]),
                                        list(data.get("operations") or []), data.get("snapshot")))
            except (CchcError, OSError, ValueError, KeyError, TypeError):
                continue  # a half-written or foreign file: nothing to offer
        return out

    def live_others(self) -> list[JournalEntry]:
        """Journals of processes that still run: the same file is open in another window."""
        return [entry for entry in self.others() if _process_alive(entry.pid)]

    def left_behind(self) -> list[JournalEntry]:
        """Journals with edits whose process is gone (a crash, a kill, a closed terminal)."""
        return [entry for entry in self.others() if entry.has_edits and not _process_alive(entry.pid)]

    def clear_left_behind(self) -> None:
        for entry in self.others():
            if not _process_alive(entry.pid):
                entry.file.unlink(missing_ok=True)


def recover(doc: RubricDocument, entry: JournalEntry) -> list[tuple[dict, str]]:
    """Put a journal's edits onto a freshly opened document; returns the operations that no longer apply."""
    if entry.operations:
        return doc.replay(entry.operations)
    if entry.snapshot is not None:
        try:
            doc.restore_snapshot(entry.snapshot, "khôi phục các thay đổi chưa lưu")
        except CchcError as exc:
            return [({"op": "snapshot", "label": "bản chụp các thay đổi chưa lưu"}, exc.message)]
    return []


def _process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, it is someone else's
    except OSError:
        return False
    return True


def _restore(mapping: Any, values: dict[str, Any]) -> None:
    """Put values into a mapping; `_MISSING` removes the key."""
    for key, value in values.items():
        if value is _MISSING:
            mapping.pop(key, None)
        else:
            mapping[key] = value


def _move(items: Any, index: int, target: int) -> None:
    items.insert(target, items.pop(index))
