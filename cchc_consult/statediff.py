"""What changed between two states of a workspace's YAML files, in Vietnamese labels.

For round.yaml, offices.yaml, decision.yaml, scores/settings.yaml and
comments/dispositions.yaml. Lists of mappings are matched by their id (an
office by its code, a class by its name) before they are compared, so an
insert does not shift every later item; mappings keyed by id (dispositions by
comment id, owners by criterion) are compared key by key; lists of text are
aligned with difflib. Hand-written rather than DeepDiff: these files are small
and shallow, and DeepDiff costs ~140 ms of imports (it pulls in pydantic) to
produce paths that would still have to be parsed back into labels.
"""

from __future__ import annotations

import difflib
import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import WorkspaceError
from .yamlio import LINE_KEY, read_yaml
from .workspace import Workspace

ADDED, REMOVED, CHANGED = "thêm", "bỏ", "sửa"


@dataclass(frozen=True)
class Change:
    """One difference: where (a Vietnamese label), the value before and after, and what happened."""

    path_label: str
    old: Any
    new: Any
    #: ADDED ("thêm"), REMOVED ("bỏ") or CHANGED ("sửa").
    what: str
    #: Vietnamese labels of the keys of a mapping added or removed whole, for `text`.
    labels: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def text(self) -> str:
        """The change as one line: 'Hạn góp ý: "2023-08-18" → "2023-08-25"'."""
        if self.what == ADDED:
            return f"{self.path_label}: thêm {_shown(self.new, self.labels)}"
        if self.what == REMOVED:
            return f"{self.path_label}: bỏ {_shown(self.old, self.labels)}"
        return f"{self.path_label}: {_shown(self.old)} → {_shown(self.new)}"


@dataclass(frozen=True)
class _Part:
    """How one level of a file is labelled.

    `label` may hold "{key}" (the mapping key or the item's id); `fields` label
    the known keys of a mapping; `each` labels every value of a mapping keyed by
    id, or every item of a list; `key` is the id field of a list of mappings;
    `item` labels a list position ("Điều {n}").
    """

    label: str = ""
    fields: dict[str, "_Part"] = field(default_factory=dict)
    each: "_Part | None" = None
    key: str = ""
    item: str = ""


def _fields(**labels: str | _Part) -> dict[str, _Part]:
    return {k: v if isinstance(v, _Part) else _Part(v) for k, v in labels.items()}


_OFFICE = _fields(code="mã", name="tên", short="tên ngắn", aliases="cách viết khác")

#: The labels of each kind of file.
KINDS: dict[str, _Part] = {
    "round": _Part(fields=_fields(
        format="Định dạng tệp", version="Phiên bản gửi lấy ý kiến", letter="Số công văn",
        letter_date="Ngày công văn", deadline="Hạn góp ý", deadline_rule="Cách tính hạn góp ý",
        decision_due="Hạn ban hành quyết định", drafter="Cơ quan soạn thảo", consulted="Cơ quan được lấy ý kiến",
        reviewers=_Part(each=_Part("Tiêu chí cơ quan {key} rà soát")),
        owners=_Part(each=_Part("Cơ quan sở hữu tiêu chí {key}",
                                _fields(office="cơ quan", confirmed="đã xác nhận"))))),
    "offices": _Part(fields=_fields(offices=_Part(each=_Part("Cơ quan {key}", _OFFICE), key="code",
                                                item="Cơ quan thứ {n}"))),
    "decision": _Part(fields=_fields(
        format="Định dạng tệp",
        issuer=_Part("Cơ quan ban hành", _fields(parent="dòng trên", name="dòng dưới",
                                                 authority="dòng thẩm quyền", short="cách viết trong câu")),
        place="Địa danh", number_suffix="Phần sau số quyết định", subject="Trích yếu",
        legal_bases=_Part("Căn cứ", item="Căn cứ thứ {n}"), proposal="Dòng đề nghị",
        articles=_Part("Điều", item="Điều {n}"), recipients=_Part("Nơi nhận", item="Nơi nhận thứ {n}"),
        signer=_Part("Người ký", _fields(authority="thẩm quyền ký", title="chức vụ", name="họ tên")),
        appendix=_Part("Phụ lục", _fields(title="tiêu đề", subtitle="dòng dưới tiêu đề")))),
    "settings": _Part(fields=_fields(
        not_arising="Cách tính tiêu chí không phát sinh",
        classes=_Part(each=_Part("Xếp loại {key}", _fields(name="tên", min="ngưỡng thấp nhất")), key="name",
                      item="Xếp loại thứ {n}"))),
    "dispositions": _Part(fields=_fields(
        format="Định dạng tệp",
        dispositions=_Part(each=_Part("Ý kiến {key}", _fields(criterion="tiêu chí", status="trạng thái",
                                                               reason="lý do", version="phiên bản đã sửa",
                                                               by="người trả lời", at="lúc trả lời",
                                                               history="các câu trả lời trước"))),
        initiatives=_Part(each=_Part("Sửa đổi tự đề xuất ở tiêu chí {key}",
                                     _fields(criterion="tiêu chí", reason="nội dung")), key="criterion",
                          item="Sửa đổi tự đề xuất thứ {n}"))),
}

#: Where each kind of file lives in a workspace.
FILES: dict[str, str] = {"round": "round.yaml", "offices": "offices.yaml", "decision": "decision.yaml",
                         "settings": "scores/settings.yaml", "dispositions": "comments/dispositions.yaml"}


def diff_state(old_data: Any, new_data: Any, kind: str) -> list[Change]:
    """The changes from `old_data` to `new_data`, the parsed contents of one kind of file (a key of KINDS).

    A file that does not exist is None: every top-level key then shows as added or removed.
    """
    out: list[Change] = []
    _diff(_top(old_data, kind), _top(new_data, kind), KINDS[kind], "", out)
    return out


def diff_workspaces(old: Workspace | str | os.PathLike, new: Workspace | str | os.PathLike) -> dict[str, list[Change]]:
    """The changes in each kind of file between two workspace folders (kinds without a change left out)."""
    old_root, new_root = (w.root if isinstance(w, Workspace) else Path(w) for w in (old, new))
    for root in (old_root, new_root):
        if not root.is_dir():
            raise WorkspaceError(f"không có thư mục {root}", fix="ghi đường dẫn hai thư mục làm việc cần so sánh")
    out = {}
    for kind, name in FILES.items():
        changes = diff_state(_read(old_root / name), _read(new_root / name), kind)
        if changes:
            out[kind] = changes
    return out


def changes_text(by_kind: dict[str, list[Change]]) -> str:
    """The changes of `diff_workspaces` as lines under each file's name, for the terminal."""
    if not by_kind:
        return "Không có thay đổi."
    lines = []
    for kind, changes in by_kind.items():
        lines.append(f"{FILES[kind]}: {len(changes)} thay đổi")
        lines.extend(f"  {c.text()}" for c in changes)
    return "\n".join(lines)


def _read(path: Path) -> Any:
    return read_yaml(path) if path.is_file() else None


def _top(data: Any, kind: str) -> Any:
    data = _plain(data)
    if kind == "offices" and isinstance(data, list):  # offices.yaml may be a bare list
        return {"offices": data}
    return {} if data is None else data


def _plain(data: Any) -> Any:
    """The data without the reader's line marks."""
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items() if k != LINE_KEY}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data


def _join(prefix: str, label: str) -> str:
    return f"{prefix}: {label}" if prefix and label else prefix or label


def _child(part: _Part, key: Any) -> _Part:
    if key in part.fields:
        return part.fields[key]
    if part.each is not None:
        return replace(part.each, label=part.each.label.format(key=key))
    return _Part(str(key))  # a key this tool does not know: shown as written in the file


def _diff(old: Any, new: Any, part: _Part, label: str, out: list[Change]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            child = _child(part, key)
            where = _join(label, child.label)
            if key not in new:
                out.append(Change(where, old[key], None, REMOVED, _labels(child)))
            elif key not in old:
                out.append(Change(where, None, new[key], ADDED, _labels(child)))
            else:
                _diff(old[key], new[key], child, where, out)
    elif isinstance(old, list) and isinstance(new, list):
        keyed_old, keyed_new = _by_key(old, part.key), _by_key(new, part.key)
        if keyed_old is not None and keyed_new is not None:
            _diff(keyed_old, keyed_new, _Part(each=part.each), label, out)
        else:
            _diff_sequence(old, new, part, label, out)
    elif old != new:
        out.append(Change(label, old, new, CHANGED))


def _by_key(items: list, key: str) -> dict | None:
    """A list of mappings as a mapping from each item's id; None when an id is missing or repeated."""
    if not key or not all(isinstance(i, dict) and i.get(key) not in (None, "") for i in items):
        return None
    keyed = {str(i[key]): i for i in items}
    return keyed if len(keyed) == len(items) else None


def _diff_sequence(old: list, new: list, part: _Part, label: str, out: list[Change]) -> None:
    """Lists aligned by content, so an inserted line shows as one addition."""
    escaped = label.replace("{", "{{").replace("}", "}}")
    item_label = part.item or (f"{escaped}, mục {{n}}" if label else "mục {n}")
    each = part.each or _Part()
    matcher = difflib.SequenceMatcher(a=[fingerprint(x) for x in old], b=[fingerprint(x) for x in new],
                                      autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(pairs):
            _diff(old[i1 + k], new[j1 + k], each, item_label.format(n=j1 + k + 1), out)
        for i in range(i1 + pairs, i2):
            out.append(Change(item_label.format(n=i + 1), old[i], None, REMOVED, _labels(each)))
        for j in range(j1 + pairs, j2):
            out.append(Change(item_label.format(n=j + 1), None, new[j], ADDED, _labels(each)))


def _labels(part: _Part) -> dict[str, str]:
    return {k: p.label for k, p in part.fields.items()}


def fingerprint(value: Any) -> str:
    """A plain value as text that is equal exactly when the values are (for aligning lists by content)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _shown(value: Any, labels: dict[str, str] | None = None) -> str:
    """A value as a clerk reads it: text in quotes, yes/no in words, a mapping with its labels."""
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, dict):
        labels = labels or {}
        return "(" + "; ".join(f"{labels.get(k, k)}: {_shown(v)}" for k, v in value.items()) + ")"
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    return f'"{value}"' if isinstance(value, str) else str(value)
