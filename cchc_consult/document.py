"""The editable rubric: the file's text, undoable edit operations as line patches, a line-exact save.

Opening reads the file with the fast parser (its cached plain data and line
marks, well under a second on 1,000 criteria) and indexes where each node's
lines are. An edit on a node's own fields loads only that node's lines (its
children left out) into ruamel's round-trip tree, makes the change there, and
writes the dumped lines back in place: the rest of the file is never touched,
so a save changes only the edited lines and every comment survives. Moving,
removing and adding criteria move, remove and insert whole blocks of lines.
Each patch is verified by reading the new lines back with the fast parser and
comparing them with the data expected; where a patch cannot be located (odd
indentation inside the node, a flow-style list…) the edit falls back to a
round-trip load and dump of the whole file (seconds on a large file), counted
in `fallbacks`. Undo and redo swap the patched lines back, so they never parse.
Saving re-reads the whole text as a rubric and refuses when the file changed on
disk since it was opened.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, NamedTuple

from . import fileio
from .bands import parse_band_conditions, parse_deduction, parse_per_unit
from .errors import CchcError, ConcurrentEditError, FrozenVersionError, NotFoundError, ValidationError
from .model import Band, Node, Rubric, parse_points, store_points
from .schema import RubricReader, band_to_data, condition_to_data, node_to_data, rubric_from_data
from .vn import nfc
from .yamlio import (
    LINE_KEY, PROJECT_INDENT, dump_round_trip, hash_bytes, parse_yaml, read_yaml_bytes, round_trip_tree, text_scalar, to_round_trip,
)

_MISSING = object()
#: What a node's fields are called in an edit's label.
_FIELD_NAMES = {"title": "tên", "max": "điểm chuẩn", "owner": "cơ quan phụ trách", "evidence": "tài liệu kiểm chứng"}
#: Indentations tried, in order, to reproduce a node's lines exactly (the project's first).
_INDENTS = [PROJECT_INDENT, (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (2, 4, 0), (3, 3, 1), (4, 2, 0)]
#: The start of a list item's line: its indentation, the dash, the spaces before the first key.
_ITEM_START = re.compile(r"( *)- +")


class _CannotPatch(Exception):
    """This edit cannot be written as a line patch here: the whole-file round trip does it instead."""


class _Span(NamedTuple):
    """Where one node's block of lines is: [start, end) (0-based, trailing comments left out)."""

    start: int
    end: int
    #: The column of the node's keys (after "- "); -1 when its first line is not "- key: …".
    col: int
    parent: str
    children: tuple[str, ...]

    def shifted(self, by: int) -> "_Span":
        return self._replace(start=self.start + by, end=self.end + by)


@dataclass
class _Patch:
    """Lines [start, start + len(old)) replaced by `new`, with the node index before and after."""

    start: int
    old: list[str]
    new: list[str]
    index_before: dict[str, _Span]
    index_after: dict[str, _Span]


@dataclass
class _Fragment:
    """One node's own lines, dedented, its children's lines cut out, loaded into ruamel for an edit."""

    node_id: str
    span: _Span
    #: [start, end) of the children's lines left out (absolute), or None.
    cut: tuple[int, int] | None
    text: str
    mapping: Any
    #: The indentation ruamel reproduces these lines with (mapping, sequence, dash offset).
    indent: tuple[int, int, int] = PROJECT_INDENT


@dataclass
class Edit:
    """One undoable change: what it was called, and how to do and undo it."""

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
    """An editable rubric file: its text, edits as line patches with undo/redo, and an atomic save.

    `rubric` reads the model from the current text, `read_node` one subtree of it.
    `tree` (the whole round-trip tree, seconds to load) is there for callers that
    change the file through ruamel and then call `dumps()`.
    """

    def __init__(self, path: str | os.PathLike, text: str, data: Any = None):
        self.path = Path(path)
        self.original_text = text
        self._lines = text.splitlines(keepends=True)
        self._text: str | None = text
        self.index = _build_index(parse_yaml(text, str(self.path)) if data is None else data, self._lines)
        self.undo_stack: list[Edit] = []
        self.redo_stack: list[Edit] = []
        #: len(undo_stack) when the file was last written (or opened); -1 once undo cannot reach it.
        self.saved_depth = 0
        #: Increases with every edit, undo and redo.
        self.revision = 0
        #: Edits that had to go through the whole-file round trip (no line patch could be located).
        self.fallbacks = 0
        self._tree: tuple[str, Any] | None = None  # (the text it was loaded from, ruamel's tree)
        self._model: tuple[int, Rubric] | None = None
        self._target: _Fragment | Any = None  # what node_map and _locate look in during an edit
        self._capturing: list[Edit] | None = None
        self._status = _status_of(data) if data is not None else self.rubric.meta.status or "draft"

    @classmethod
    def open(cls, path: str | os.PathLike, *, validate: bool = True) -> "RubricDocument":
        """Read a rubric file to edit: the fast parser's data (cached by the bytes' hash), validated now.

        `validate=False` is for a caller that has just built the model from the same file.
        """
        raw = fileio.read_bytes(path)
        text = fileio.decode_bytes(raw, str(path))
        data = read_yaml_bytes(raw, path)
        if validate:
            rubric_from_data(data, str(path))  # an editor never opens a broken file
        return cls(path, text, data)

    # -- state
    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(self._lines)
        return self._text

    @property
    def rubric(self) -> Rubric:
        if self._model is None or self._model[0] != self.revision:
            self._model = (self.revision, rubric_from_data(parse_yaml(self.text, str(self.path)), str(self.path)))
        return self._model[1]

    @property
    def status(self) -> str:
        return self._status

    @property
    def tree(self) -> Any:
        """ruamel's round-trip tree of the current text (loaded on first use: seconds on a large file)."""
        if self._tree is None or self._tree[0] != self.text:
            self._tree = (self.text, round_trip_tree(self.text, self.path))
        return self._tree[1]

    def dumps(self) -> str:
        """The text to save: the current text, or the round-trip tree's dump when a caller changed the tree."""
        if self._tree is not None and self._tree[0] == self.text:
            return dump_round_trip(self._tree[1])
        return self.text

    @property
    def dirty(self) -> bool:
        """Whether the text to save differs from the file as opened (or last saved)."""
        return self.dumps() != self.original_text

    @property
    def modified(self) -> bool:
        """Whether edits were made since the last save (undoing them all back to it clears this)."""
        return len(self.undo_stack) != self.saved_depth

    def disk_changed(self) -> bool:
        """Whether the file on disk is no longer the text opened or last saved (another window, a command…)."""
        return bool(self.disk_state())

    def disk_state(self) -> str:
        """The hash of the file's text on disk when it is not the text opened or last saved; "" when it is.

        A file gone or unreadable counts as changed ("-").
        """
        try:
            disk = fileio.read_text(self.path)
        except CchcError:
            return "-"
        return "" if disk == self.original_text else hash_bytes(disk.encode("utf-8"))

    def opened_rubric(self) -> Rubric:
        """The model of the file as opened or last saved (what the edits start from)."""
        return rubric_from_data(parse_yaml(self.original_text, str(self.path)), str(self.path))

    def save(self) -> None:
        """Write the text atomically; a circulated or final version, or a file changed on disk, is refused.

        Each patch was read back when it was made, so the text is not parsed again here
        (that would cost more than the whole save budget on a large file), except when a
        caller changed the round-trip tree.
        """
        text = self.dumps()
        status = self._status
        if text != self.text:
            status = rubric_from_data(parse_yaml(text, str(self.path)), str(self.path)).meta.status or "draft"
        if status != "draft":
            raise FrozenVersionError(
                f"phiên bản này đã ở trạng thái '{status}', không được sửa trực tiếp",
                path=str(self.path), fix="tạo dự thảo mới: cchc draft new --from <phiên bản>")
        with fileio.file_lock(self.path):
            # Someone else (another window, another clerk, a command) saved the file since we read
            # it: writing now would silently drop their change.
            if self.path.exists() and fileio.read_text(self.path) != self.original_text:
                raise ConcurrentEditError(
                    "tệp đã được sửa ở nơi khác sau khi mở; lưu bây giờ sẽ xóa mất thay đổi đó",
                    path=str(self.path), fix="mở lại tệp để thấy thay đổi mới, rồi sửa lại và lưu")
            fileio.atomic_write(self.path, text)
        if text != self.text:  # a caller changed the round-trip tree: that is the text now
            lines = text.splitlines(keepends=True)
            self._set_lines(lines, _build_index(parse_yaml(text, str(self.path)), lines))
        self.original_text = text
        self._status = status
        self.saved_depth = len(self.undo_stack)

    # -- finding things
    def node_map(self, node_id: str) -> Any:
        """The round-trip mapping of a node, by id: the edited fragment's during an edit."""
        target = self._target
        if isinstance(target, _Fragment):
            if target.node_id == node_id:
                return target.mapping
            raise _CannotPatch
        if target is not None:
            return self._locate(node_id)[0]
        try:
            return self._fragment(node_id).mapping
        except _CannotPatch:
            return self.tree_map(node_id)

    def tree_map(self, node_id: str) -> Any:
        return _find_in_tree(self.tree, node_id, self.path)[0]

    def read_node(self, node_id: str, kind: str = "criterion") -> Node:
        """The model of one node's subtree, read from its lines alone (milliseconds)."""
        mapping = self._block_data(node_id)
        return RubricReader(str(self.path)).node(mapping, mapping, kind)

    def _span(self, node_id: str) -> _Span:
        span = self.index.get(node_id) if node_id else None
        if span is None:
            raise NotFoundError(f"không có tiêu chí '{node_id}' trong tệp", path=str(self.path))
        return span

    def _locate(self, node_id: str) -> tuple[Any, Any, Any]:
        """(mapping, the list that holds it, the parent mapping or None) in the round-trip tree of a fallback."""
        tree = self._target if self._target is not None and not isinstance(self._target, _Fragment) else self.tree
        return _find_in_tree(tree, node_id, self.path)

    def _ids(self) -> set[str]:
        return {node_id for node_id in self.index if node_id}

    def _block_data(self, node_id: str, lines: list[str] | None = None, index: dict | None = None) -> Any:
        """The fast parser's data of a node's whole block ("" = the whole file), line marks as in the file."""
        lines = self._lines if lines is None else lines
        index = self.index if index is None else index
        if not node_id:
            return parse_yaml("".join(lines), str(self.path))
        span = index[node_id]
        if span.col < 0:
            return _find_plain(parse_yaml("".join(lines), str(self.path)), node_id)
        body = _dedent(lines[span.start:span.end], span.col, strict=False)
        return parse_yaml("\n" * span.start + body, str(self.path))

    # -- fragments: one node's own lines in ruamel
    def _fragment(self, node_id: str) -> _Fragment:
        span = self._span(node_id)
        if span.col < 0 or any("\r" in line for line in self._lines[span.start:span.end]):
            raise _CannotPatch
        cut = None
        if span.children:
            key_line = self._children_key_line(span)
            cut = (key_line + 1, self.index[span.children[-1]].end)
        lines = self._lines[span.start:cut[0]] + self._lines[cut[1]:span.end] if cut else \
            self._lines[span.start:span.end]
        text = _dedent(lines, span.col, strict=True)
        mapping = round_trip_tree(text, self.path)
        # The indentation these lines were written with: the project's, or a hand-laid one.
        for indent in _INDENTS:
            if dump_round_trip(mapping, indent) == text:
                return _Fragment(node_id, span, cut, text, mapping, indent)
        raise _CannotPatch  # ruamel would re-lay-out these lines: no exact patch here

    def _children_key_line(self, span: _Span) -> int:
        """The line of a node's `children:` key, found above its first child's block."""
        line = self.index[span.children[0]].start - 1
        while line > span.start and _is_blank_or_comment(self._lines[line]):
            line -= 1
        content = self._lines[line]
        if (len(content) - len(content.lstrip(" ")) != span.col
                or content.strip().split("#", 1)[0].strip() != "children:"):
            raise _CannotPatch
        return line

    def _fragment_patch(self, fragment: _Fragment) -> _Patch:
        """The line patch that writes the edited fragment back in place, verified by the fast parser."""
        new_text = dump_round_trip(fragment.mapping, fragment.indent)
        if _bare(parse_yaml(new_text, str(self.path))) != _plain_round_trip(fragment.mapping):
            raise _CannotPatch  # the fast reader would not read back what ruamel holds (YAML 1.1 vs 1.2…)
        span = fragment.span
        first = self._lines[span.start]
        prefix = first[:span.col]
        dumped = new_text.split("\n")[:-1]
        block = [prefix + dumped[0] + "\n"] + [(" " * span.col + line if line else "") + "\n" for line in dumped[1:]]
        children_shift = 0
        if fragment.cut is not None:
            old_key = fragment.cut[0] - 1
            key_text = self._lines[old_key]
            at = next((i for i, line in enumerate(block) if line == key_text), None)
            if at is None:
                raise _CannotPatch
            block[at + 1:at + 1] = self._lines[fragment.cut[0]:fragment.cut[1]]
            children_shift = (span.start + at) - old_key
        old = self._lines[span.start:span.end]
        delta = len(block) - len(old)
        descendants = _descendants(self.index, fragment.node_id)
        after: dict[str, _Span] = {}
        for node_id, other in self.index.items():
            if node_id in descendants:
                other = other.shifted(children_shift)
            elif other.start >= span.end and node_id:
                other = other.shifted(delta)
            elif not node_id or (other.start <= span.start and other.end >= span.end):
                other = other._replace(end=other.end + delta)  # the node itself and its ancestors
            after[node_id] = other
        gained_children = fragment.cut is None and bool(fragment.mapping.get("children"))
        if str(fragment.mapping.get("id")) != fragment.node_id or gained_children:
            lines = self._lines[:span.start] + block + self._lines[span.end:]
            after = _build_index(parse_yaml("".join(lines), str(self.path)), lines)
        return _trimmed(_Patch(span.start, old, block, self.index, after))

    # -- applying, undoing, redoing
    def apply(self, edit: Edit) -> Edit:
        """Do an edit and record it; the redo history is dropped."""
        if self._capturing is not None:  # inside an edit operation: the patch is made afterwards
            edit.do()
            self._capturing.append(edit)
            return edit
        edit.do()
        self.undo_stack.append(edit)
        if self.saved_depth > len(self.undo_stack) - 1:
            self.saved_depth = -1  # the saved state can no longer be reached by undo
        self.redo_stack.clear()
        self.revision += 1
        return edit

    def _set_lines(self, lines: list[str], index: dict[str, _Span]) -> None:
        self._lines = lines
        self._text = None
        self.index = index

    def _do_patch(self, patch: _Patch) -> None:
        self._lines[patch.start:patch.start + len(patch.old)] = patch.new
        self._text = None
        self.index = patch.index_after

    def _undo_patch(self, patch: _Patch) -> None:
        self._lines[patch.start:patch.start + len(patch.new)] = patch.old
        self._text = None
        self.index = patch.index_before

    def _record_patch(self, edit: Edit, patch: _Patch) -> Edit:
        edit.do = lambda: self._do_patch(patch)
        edit.undo = lambda: self._undo_patch(patch)
        return self.apply(edit)

    def _run(self, body: Callable[[], Any], target: Any) -> tuple[Any, Edit | None]:
        """Run an edit operation's body against a fragment or a tree; (its result, the edit it made)."""
        captured: list[Edit] = []
        self._target, self._capturing = target, captured
        try:
            result = body()
        finally:
            self._target, self._capturing = None, None
        return result, (captured[-1] if captured else None)

    def _node_edit(self, node_id: str, body: Callable[[], Any]) -> Any:
        """An edit of one node's own fields and bands: through its fragment, else the whole tree."""
        try:
            fragment = self._fragment(node_id)
            result, edit = self._run(body, fragment)
            if edit is None:
                return result
            patch = self._fragment_patch(fragment)
        except _CannotPatch:
            return self._tree_edit(body)
        self._record_patch(edit, patch)
        return result

    def _tree_edit(self, body: Callable[[], Any]) -> Any:
        """The fallback: the edit on the whole round-trip tree, then a patch of the lines that changed."""
        tree = round_trip_tree(self.text, self.path)
        result, edit = self._run(body, tree)
        if edit is None:
            return result
        self.fallbacks += 1
        text = dump_round_trip(tree)
        lines = text.splitlines(keepends=True)
        index = _build_index(parse_yaml(text, str(self.path)), lines)
        self._record_patch(edit, _trimmed(_Patch(0, list(self._lines), lines, self.index, index)))
        return result

    def _block_edit(self, edit: Edit, start: int, end: int, new: list[str], index_after: dict[str, _Span],
                    expected: dict[str, Any]) -> Edit:
        """Record a patch of whole blocks (move, remove, add), verified on the blocks it moved or touched.

        `expected` holds, for each node to check, its data as the fast parser must read it from the
        patched lines (each block read alone, so a move in a section of 300 criteria stays cheap).
        """
        lines = self._lines[:start] + new + self._lines[end:]
        for node_id, data in expected.items():
            if _bare(self._block_data(node_id, lines, index_after)) != data:
                raise _CannotPatch
        return self._record_patch(edit, _trimmed(_Patch(start, self._lines[start:end], new, self.index,
                                                        index_after)))

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
        """The operations that lead from the file as last saved to the text now; None when undo went below the save."""
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
                conflict = self._conflict(operation)
                if conflict:
                    failed.append((operation, conflict))
                    continue
                method(**operation.get("args", {}))
            except CchcError as exc:
                failed.append((operation, exc.message))
            except (KeyError, IndexError, TypeError):
                failed.append((operation, "mục hoặc mức điểm không còn ở chỗ cũ"))
        return failed

    def _conflict(self, operation: dict) -> str:
        """Why a recorded field edit would overwrite a change made elsewhere to the same field ("" if none)."""
        before = operation.get("before")
        if not before:
            return ""
        args = operation.get("args", {})
        mapping = self._fragment_or_block(str(args.get("node_id")))
        if operation.get("op") == "set_band":
            mapping = (mapping.get("bands") or [])[int(args.get("index", 0))]
        for key, was in before.items():
            now = _comparable(mapping.get(key, _MISSING))
            if now != was:
                return (f"'{key}' đã được sửa ở nơi khác (trước: {_shown(was)}, nay: {_shown(now)}); "
                        "giữ bản trên đĩa — sửa lại nếu cần")
        return ""

    def restore_snapshot(self, text: str, label: str) -> Edit:
        """Replace the whole text by a snapshot's (one undoable edit): the journal's way when undo passed a save."""
        data = parse_yaml(text, str(self.path))
        rubric_from_data(data, str(self.path))
        self._status = _status_of(data)
        lines = text.splitlines(keepends=True)
        patch = _trimmed(_Patch(0, list(self._lines), lines, self.index, _build_index(data, lines)))
        return self._record_patch(Edit(label, lambda: None, lambda: None), patch)

    # -- edits on a node (each checks its input before anything changes)
    def set_fields(self, node_id: str, values: dict[str, Any]) -> Edit | None:
        """Change title, max, owner, tt, evidence (a list of lines)… of one node in one step; None if nothing changes."""
        return self._node_edit(node_id, lambda: self._set_fields(node_id, values))

    def _set_fields(self, node_id: str, values: dict[str, Any]) -> Edit | None:
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
                               node_id, node_id,
                               # only what changed, and what it was: re-applied on a file changed
                               # elsewhere, it neither undoes their other changes nor overwrites theirs
                               dict(_operation("set_fields", node_id=node_id,
                                               values={k: values[k] for k in changes}),
                                    before={k: _comparable(before[k]) for k in changes})))

    def set_band(self, node_id: str, index: int, text: str | None = None, points: Any = None) -> Edit | None:
        """Reword a band and/or change its points; its condition is re-read from the new words.

        A condition a person wrote stays when the new words carry none the parser can read.
        """
        return self._node_edit(node_id, lambda: self._set_band(node_id, index, text, points))

    def _set_band(self, node_id: str, index: int, text: str | None, points: Any) -> Edit | None:
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
        changed = {key: value for key, value in (("text", text), ("points", new_points))
                   if after[key] is not band.get(key)}
        return self.apply(Edit(f"sửa mức điểm {index + 1} của {node_id}", lambda: _restore(band, after),
                               lambda: _restore(band, before), node_id, node_id,
                               dict(_operation("set_band", node_id=node_id, index=index, **changed),
                                    before={key: _comparable(before[key]) for key in changed})))

    def add_band(self, node_id: str, text: str, points: Any, index: int | None = None) -> Edit:
        """A new band from its words and points (condition, per-unit rule and deduction read from the words)."""
        return self._node_edit(node_id, lambda: self._add_band(node_id, text, points, index))

    def _add_band(self, node_id: str, text: str, points: Any, index: int | None) -> Edit:
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
        return self._node_edit(node_id, lambda: self._remove_band(node_id, index))

    def _remove_band(self, node_id: str, index: int) -> Edit:
        bands = self.node_map(node_id)["bands"]
        removed = bands[index]
        return self.apply(Edit(f"xóa mức điểm {index + 1} của {node_id}", lambda: bands.remove(removed),
                               lambda: bands.insert(index, removed), node_id, node_id,
                               _operation("remove_band", node_id=node_id, index=index)))

    def move_band(self, node_id: str, index: int, offset: int) -> int:
        """Move a band up (-1) or down (+1); returns its new position (the same when it cannot move)."""
        return self._node_edit(node_id, lambda: self._move_band(node_id, index, offset))

    def _move_band(self, node_id: str, index: int, offset: int) -> int:
        bands = self.node_map(node_id).get("bands") or []
        target = max(0, min(len(bands) - 1, index + offset))
        if target == index:
            return index
        self.apply(Edit(f"đổi thứ tự mức điểm của {node_id}", lambda: _move(bands, index, target),
                        lambda: _move(bands, target, index), node_id, node_id,
                        _operation("move_band", node_id=node_id, index=index, offset=offset)))
        return target

    # -- edits on the tree of criteria
    def next_child_id(self, parent_id: str) -> tuple[str, str]:
        """(id, tt) for a new last child: "II.6" → ("II.6.4", "6.4")."""
        parent = self._span(parent_id)
        in_section = not parent.parent
        parent_tt = nfc(str(self._fragment_or_block(parent_id).get("tt", "")))
        taken = self._ids()
        number = len(parent.children) + 1
        while True:
            tt = str(number) if in_section else f"{parent_tt}.{number}"
            node_id = f"{parent_id}.{number}"
            if node_id not in taken:
                return node_id, tt
            number += 1

    def _fragment_or_block(self, node_id: str) -> Any:
        try:
            return self._fragment(node_id).mapping
        except _CannotPatch:
            return self._block_data(node_id)

    def add_child(self, parent_id: str, title: str, maximum: Any, node_id: str = "", tt: str = "",
                  index: int | None = None) -> Edit:
        """A new criterion under a node (last unless `index`); its id is the next free one unless given."""
        self._span(parent_id)
        if not node_id:
            node_id, tt = self.next_child_id(parent_id)
        node = Node(id=nfc(node_id).strip(), tt=nfc(tt or node_id.rsplit(".", 1)[-1]).strip(),
                    title=nfc(title).strip(), max=parse_points(maximum))
        if node.id in self._ids():
            raise ValidationError(f"mã tiêu chí '{node.id}' đã tồn tại", path=str(self.path),
                                  fix="chọn một mã khác")
        edit = Edit(f"thêm tiêu chí {node.id}", lambda: None, lambda: None, node.id, parent_id,
                    _operation("add_child", parent_id=parent_id, title=title, maximum=maximum,
                               node_id=node.id, tt=node.tt, index=index))
        try:
            return self._insert_child(edit, parent_id, node, index)
        except _CannotPatch:
            pass
        body = lambda: self._add_child(edit, parent_id, node, index)  # noqa: E731
        if not self.index[parent_id].children:
            return self._node_edit(parent_id, body)  # a first child: the parent's own lines gain `children:`
        return self._tree_edit(body)

    def _insert_child(self, edit: Edit, parent_id: str, node: Node, index: int | None) -> Edit:
        parent = self.index[parent_id]
        siblings = parent.children
        if not siblings or any(self.index[s].col < 0 for s in siblings):
            raise _CannotPatch
        data = to_round_trip(node_to_data(node))
        dumped = dump_round_trip([data]).split("\n")[:-1]
        item = _ITEM_START.match(dumped[0])
        sibling = self.index[siblings[0]]
        sibling_item = _ITEM_START.match(self._lines[sibling.start])
        if item is None or sibling_item is None or item.end() - len(item.group(1)) != \
                sibling_item.end() - len(sibling_item.group(1)):
            raise _CannotPatch
        shift = len(sibling_item.group(1)) - len(item.group(1))
        if shift < 0 and any(line[:-shift].strip() for line in dumped):
            raise _CannotPatch
        new = [((" " * shift + line) if shift >= 0 else line[-shift:]) + "\n" for line in dumped]
        position = len(siblings) if index is None else max(0, min(index, len(siblings)))
        at = self.index[siblings[position]].start if position < len(siblings) else self.index[siblings[-1]].end
        ancestors = _ancestors(self.index, parent_id)
        after: dict[str, _Span] = {}
        for other_id, other in self.index.items():
            if other_id in ancestors or not other_id:
                other = other._replace(end=other.end + len(new))
            elif other.start >= at:
                other = other.shifted(len(new))
            after[other_id] = other
        children = list(siblings)
        children.insert(position, node.id)
        after[parent_id] = after[parent_id]._replace(children=tuple(children))
        after[node.id] = _Span(at, at + len(new), sibling.col, parent_id, ())
        expected = {node.id: _plain_round_trip(data)}
        if position < len(siblings):  # the one it goes in front of still reads the same
            expected[siblings[position]] = _bare(self._block_data(siblings[position]))
        return self._block_edit(edit, at, at, new, after, expected)

    def _add_child(self, edit: Edit, parent_id: str, node: Node, index: int | None) -> Edit:
        from ruamel.yaml.comments import CommentedSeq

        mapping = self.node_map(parent_id)
        had_children = "children" in mapping
        data = to_round_trip(node_to_data(node))

        def do() -> None:
            if "children" not in mapping or mapping["children"] is None:
                mapping["children"] = CommentedSeq()
            children = mapping["children"]
            children.insert(len(children) if index is None else index, data)

        def undo() -> None:
            mapping["children"].remove(data)
            if not had_children and not mapping["children"]:
                del mapping["children"]

        edit.do, edit.undo = do, undo
        return self.apply(edit)

    def remove_node(self, node_id: str) -> Edit:
        span = self._span(node_id)
        parent_id = span.parent
        edit = Edit(f"xóa tiêu chí {node_id}", lambda: None, lambda: None, parent_id, parent_id,
                    _operation("remove_node", node_id=node_id))
        try:
            return self._remove_block(edit, node_id)
        except _CannotPatch:
            return self._tree_edit(lambda: self._remove_node(edit, node_id))

    def _remove_block(self, edit: Edit, node_id: str) -> Edit:
        span = self.index[node_id]
        siblings = self.index[span.parent].children
        if span.col < 0 or not _ITEM_START.match(self._lines[span.start]):
            raise _CannotPatch
        gone = _descendants(self.index, node_id) | {node_id}
        start, new = self._lead(span), []
        if len(siblings) == 1:  # the only child: its parent keeps `children: []`, as the round trip writes it
            if not span.parent:
                raise _CannotPatch
            key_line = self._children_key_line(self.index[span.parent])
            key = self._lines[key_line]
            if "#" in key:
                raise _CannotPatch
            new = [key.rstrip("\n") + " []\n"] + self._lines[key_line + 1:start]
            start = key_line
        delta = len(new) - (span.end - start)
        ancestors = _ancestors(self.index, span.parent)
        after: dict[str, _Span] = {}
        for other_id, other in self.index.items():
            if other_id in gone:
                continue
            if other_id in ancestors or not other_id:
                other = other._replace(end=other.end + delta)
            elif other.start >= span.end:
                other = other.shifted(delta)
            after[other_id] = other
        after[span.parent] = after[span.parent]._replace(children=tuple(s for s in siblings if s != node_id))
        if len(siblings) == 1:
            expected = {span.parent: dict(_bare(self._block_data(span.parent)), children=[])}
        else:
            position = siblings.index(node_id)
            neighbour = siblings[position + 1] if position + 1 < len(siblings) else siblings[position - 1]
            expected = {neighbour: _bare(self._block_data(neighbour))}  # the lines next to the gap read the same
        return self._block_edit(edit, start, span.end, new, after, expected)

    def _remove_node(self, edit: Edit, node_id: str) -> Edit:
        mapping, holder, _ = self._locate(node_id)
        index = holder.index(mapping)
        edit.do, edit.undo = (lambda: holder.remove(mapping)), (lambda: holder.insert(index, mapping))
        return self.apply(edit)

    def move_node(self, node_id: str, offset: int) -> Edit | None:
        """Move a node up (-1) or down (+1) among its siblings; None when it cannot move."""
        span = self._span(node_id)
        siblings = self.index[span.parent].children
        index = siblings.index(node_id)
        target = max(0, min(len(siblings) - 1, index + offset))
        if target == index:
            return None
        edit = Edit(f"di chuyển {node_id}", lambda: None, lambda: None, node_id, span.parent,
                    _operation("move_node", node_id=node_id, offset=offset))
        try:
            return self._move_block(edit, span.parent, index, target)
        except _CannotPatch:
            return self._tree_edit(lambda: self._move_node(edit, node_id, offset))

    def _move_block(self, edit: Edit, parent_id: str, index: int, target: int) -> Edit:
        """Swap a block of lines with its neighbour's (a move by more than one goes through the tree)."""
        siblings = self.index[parent_id].children
        if abs(target - index) != 1:
            raise _CannotPatch
        first_id, second_id = siblings[min(index, target)], siblings[max(index, target)]
        first, second = self.index[first_id], self.index[second_id]
        if first.col < 0 or second.col < 0 or first.col != second.col:
            raise _CannotPatch
        first_lead, second_lead = self._lead(first), self._lead(second)
        new = self._lines[second_lead:second.end] + self._lines[first.end:second_lead] + \
            self._lines[first_lead:first.end]
        in_first = _descendants(self.index, first_id) | {first_id}
        in_second = _descendants(self.index, second_id) | {second_id}
        after: dict[str, _Span] = {}
        for other_id, other in self.index.items():
            if other_id in in_first:
                other = other.shifted(second.end - first.end)
            elif other_id in in_second:
                other = other.shifted(first_lead - second_lead)
            after[other_id] = other
        order = list(siblings)
        order[index], order[target] = order[target], order[index]
        after[parent_id] = after[parent_id]._replace(children=tuple(order))
        expected = {first_id: _bare(self._block_data(first_id)), second_id: _bare(self._block_data(second_id))}
        return self._block_edit(edit, first_lead, second.end, new, after, expected)

    def _lead(self, span: _Span) -> int:
        """Where a node's block starts with the comment lines just above it (they go where it goes)."""
        dash = len(self._lines[span.start]) - len(self._lines[span.start].lstrip(" "))
        parent_start = self.index[span.parent].start if span.parent else 0
        start = span.start
        while start - 1 > parent_start:
            line = self._lines[start - 1]
            if not line.lstrip(" ").startswith("#") or len(line) - len(line.lstrip(" ")) != dash:
                break
            start -= 1
        return start

    def _move_node(self, edit: Edit, node_id: str, offset: int) -> Edit:
        mapping, holder, _ = self._locate(node_id)
        index = holder.index(mapping)
        target = max(0, min(len(holder) - 1, index + offset))
        edit.do, edit.undo = (lambda: _move(holder, index, target)), (lambda: _move(holder, target, index))
        return self.apply(edit)


_REPLAYABLE = {"set_fields", "set_band", "add_band", "remove_band", "move_band", "add_child", "remove_node",
               "move_node"}


# --------------------------------------------------------------------------- lines and spans

def _is_blank_or_comment(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _build_index(data: Any, lines: list[str]) -> dict[str, _Span]:
    """Where each node's lines are, from the fast parser's line marks; "" is the whole file."""
    indents = [None if _is_blank_or_comment(line) else len(line) - len(line.lstrip(" ")) for line in lines]
    index: dict[str, _Span] = {}

    def end_of(start: int, col: int) -> int:
        end = start + 1
        while end < len(lines) and (indents[end] is None or indents[end] >= col):
            end += 1
        while end - 1 > start and indents[end - 1] is None:
            end -= 1
        return end

    def walk(items: Any, parent: str) -> tuple[str, ...]:
        ids = []
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict) or LINE_KEY not in item:
                continue
            node_id = str(item.get("id"))
            start = int(item[LINE_KEY]) - 1
            match = _ITEM_START.match(lines[start]) if 0 <= start < len(lines) else None
            col = match.end() if match and lines[start][match.end():match.end() + 1] not in ("", "\n", "#") \
                and match.end() < len(lines[start]) else -1
            end = end_of(start, col) if col >= 0 else start + 1
            children = walk(item.get("children"), node_id)
            if col >= 0 and children and any(index[c].col < 0 for c in children):
                col = -1
            index[node_id] = _Span(start, end, col, parent, children)
            ids.append(node_id)
        return tuple(ids)

    sections = walk((data or {}).get("sections") if isinstance(data, dict) else None, "")
    index[""] = _Span(0, len(lines), 0, "", sections)
    return index


def _status_of(data: Any) -> str:
    meta = data.get("meta") if isinstance(data, dict) else None
    return str((meta if isinstance(meta, dict) else {}).get("status") or "draft")


def _dedent(lines: list[str], col: int, *, strict: bool) -> str:
    """A node's lines as a mapping at column 0 (its first line without the "- "); strict refuses shallower lines."""
    out = [lines[0][col:].rstrip("\n")]
    for line in lines[1:]:
        body = line.rstrip("\n")
        if not body.strip():
            if strict and body:
                raise _CannotPatch  # spaces on an empty line: would not come back as they were
            out.append("")
        elif body[:col].strip():
            if strict or not body.lstrip().startswith("#"):
                raise _CannotPatch
            out.append(body.lstrip())
        else:
            out.append(body[col:])
    return "\n".join(out) + "\n"


def _trimmed(patch: _Patch) -> _Patch:
    """The same patch without its leading and trailing unchanged lines."""
    old, new, start = patch.old, patch.new, patch.start
    head = 0
    while head < len(old) and head < len(new) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < len(old) - head and tail < len(new) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return _Patch(start + head, old[head:len(old) - tail], new[head:len(new) - tail],
                  patch.index_before, patch.index_after)


def _descendants(index: dict[str, _Span], node_id: str) -> set[str]:
    out: set[str] = set()
    stack = list(index[node_id].children)
    while stack:
        child = stack.pop()
        out.add(child)
        stack.extend(index[child].children)
    return out


def _ancestors(index: dict[str, _Span], node_id: str) -> set[str]:
    """The node and every node above it (not the file's "")."""
    out: set[str] = set()
    while node_id:
        out.add(node_id)
        node_id = index[node_id].parent
    return out


def _find_in_tree(tree: Any, node_id: str, path: Path) -> tuple[Any, Any, Any]:
    """(mapping, the list that holds it, the parent mapping or None) for a node id in a round-trip tree."""
    sections = tree["sections"]
    stack = [(s, sections, None) for s in sections]
    while stack:
        mapping, holder, parent = stack.pop()
        if str(mapping.get("id")) == node_id:
            return mapping, holder, parent
        for child in mapping.get("children") or []:
            stack.append((child, mapping["children"], mapping))
    raise NotFoundError(f"không có tiêu chí '{node_id}' trong tệp", path=str(path))


def _find_plain(data: Any, node_id: str) -> Any:
    stack = list((data or {}).get("sections") or [])
    while stack:
        mapping = stack.pop()
        if str(mapping.get("id")) == node_id:
            return mapping
        stack.extend(mapping.get("children") or [])
    raise KeyError(node_id)


def _bare(value: Any) -> Any:
    """Fast-parser data without its line marks, for comparing."""
    if isinstance(value, dict):
        return {k: _bare(v) for k, v in value.items() if k != LINE_KEY}
    if isinstance(value, list):
        return [_bare(v) for v in value]
    return value


def _plain_round_trip(value: Any) -> Any:
    """ruamel's containers and scalars as the plain types the fast parser gives."""
    if isinstance(value, dict):
        return {str(k): _plain_round_trip(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_round_trip(v) for v in value]
    for kind in (bool, int, float, str):
        if isinstance(value, kind):
            return kind(value)
    return value


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


def _comparable(value: Any) -> Any:
    """A field's value as the journal keeps it, to tell later whether someone else changed it."""
    if value is _MISSING or value is None:
        return None
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _comparable(v) for k, v in value.items()}
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return str(parse_points(value))
    text = str(value)
    try:
        return str(parse_points(text)) if text.strip() and any(ch.isdigit() for ch in text) and \
            all(ch.isdigit() or ch in ",. " for ch in text.strip()) else text
    except CchcError:
        return text


def _shown(value: Any) -> str:
    if value is None:
        return "(trống)"
    if isinstance(value, list):
        return "; ".join(value) or "(trống)"
    return f"'{value}'"


def reload_and_reapply(doc: RubricDocument) -> tuple[RubricDocument, list[tuple[dict, str]]]:
    """The file as it is on disk now, with `doc`'s unsaved edits applied to it again (undoable).

    Returns the new document and the edits that no longer apply, each with why (the
    criterion is gone, the band moved, the same field was changed elsewhere…).
    """
    fresh = RubricDocument.open(doc.path)
    operations = doc.operations()
    if operations is None:
        return fresh, [({"op": "snapshot", "label": "các thay đổi chưa lưu"},
                        "đã hoàn tác qua lần lưu trước nên không tách được thành từng thao tác")]
    return fresh, fresh.replay(operations)


def warm_up() -> None:
    """Load and dump a line through ruamel once, so the first edit does not pay for its set-up."""
    dump_round_trip(round_trip_tree("a: 1\n"))


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
