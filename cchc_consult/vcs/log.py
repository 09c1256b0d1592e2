"""`cchc log`: what changed, when and by whom, from the git history, in the terms of each file.

A rubric version shows the rubric diff (criteria, points, bands); round, offices,
dispositions, settings and decision files show `statediff`'s labelled changes; the
version history shows which version changed status; any other file is named as
added, changed or removed. One home per idea: the diffs are those of `diff` and
`statediff` (DeepDiff was measured there and not taken: ~140 ms of imports for paths
that would still need turning into labels).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..diff import diff_rubrics
from ..history import STATUS_LABELS, history_from_data
from ..render.diff import change_lines
from ..schema import rubric_from_bytes
from ..statediff import FILES, diff_state
from ..vn import format_date_short
from ..yamlio import parse_yaml
from .merge import is_rubric
from .repo import CommitInfo, blob_at, open_repo, peel, tags, walk

_KIND_OF = {path: kind for kind, path in FILES.items()}


@dataclass
class LogEntry:
    commit: CommitInfo
    tags: list[str] = field(default_factory=list)
    #: path → the lines saying what changed in it.
    changes: dict[str, list[str]] = field(default_factory=dict)


def log(root: str | Path, path: str | None = None, limit: int | None = None) -> list[LogEntry]:
    """The commits (newest first) that changed `path` (or anything), each with its changes in domain terms."""
    repo = open_repo(root)
    try:
        tag_of: dict[str, list[str]] = {}
        for name, sha in tags(repo).items():
            tag_of.setdefault(peel(repo, sha).decode(), []).append(name)
        out = []
        for info in walk(root, path):
            parent = info.parents[0].encode() if info.parents else None
            changes = {p: file_changes(p, blob_at(repo, parent, p), blob_at(repo, info.id.encode(), p))
                       for p in info.paths}
            out.append(LogEntry(info, sorted(tag_of.get(info.id, [])), changes))
            if limit and len(out) >= limit:
                break
        return out
    finally:
        repo.close()


def file_changes(path: str, old: bytes | None, new: bytes | None) -> list[str]:
    """What changed in one file between two versions of its bytes, as lines for the clerk."""
    if old is None:
        what = ["thêm tệp"]
    elif new is None:
        return ["xóa tệp"]
    else:
        what = []
    try:
        if is_rubric(path):
            return what + _rubric_changes(path, old, new)
        if path in _KIND_OF:
            before = parse_yaml(old, path) if old is not None else None
            return what + [c.text() for c in diff_state(before, parse_yaml(new, path), _KIND_OF[path])]
        if path == "rubric/history.yaml":
            return what + _history_changes(path, old, new)
    except Exception as exc:  # a file that did not parse at that commit: say so, never stop the log
        return what + [f"(không đọc được nội dung: {str(exc).splitlines()[0]})"]
    return what or ["sửa tệp"]


def _rubric_changes(path: str, old: bytes | None, new: bytes) -> list[str]:
    after = rubric_from_bytes(new, path)
    if old is None:
        return [f"phiên bản mới: {len(after)} tiêu chí, trạng thái {STATUS_LABELS.get(after.meta.status, after.meta.status)}"]
    before = rubric_from_bytes(old, path)
    lines = change_lines(diff_rubrics(before, after).changes, "")
    if before.meta.status != after.meta.status:
        lines.insert(0, f"trạng thái: {STATUS_LABELS.get(before.meta.status, before.meta.status)} → "
                        f"{STATUS_LABELS.get(after.meta.status, after.meta.status)}")
    return lines or ["không đổi nội dung tiêu chí (chỉ chú thích hoặc cách ghi)"]


def _history_changes(path: str, old: bytes | None, new: bytes) -> list[str]:
    before = history_from_data(parse_yaml(old, path), path) if old is not None else {}
    after = history_from_data(parse_yaml(new, path), path)
    lines = []
    for name, record in after.items():
        was = before.get(name)
        if was is None:
            lines.append(f"{name}: ghi vào lịch sử ({STATUS_LABELS.get(record.status, record.status)})")
        elif was.status != record.status:
            lines.append(f"{name}: {STATUS_LABELS.get(was.status, was.status)} → "
                         f"{STATUS_LABELS.get(record.status, record.status)}")
        elif was.sha256 != record.sha256:
            lines.append(f"{name}: mã băm đổi")
    return lines or ["sửa lịch sử phiên bản"]


def log_text(entries: list[LogEntry]) -> str:
    """The log for the terminal: a header line per commit, then each file and its changes."""
    if not entries:
        return "Chưa có thay đổi nào trong lịch sử git."
    lines = []
    for e in entries:
        c = e.commit
        when = f"{format_date_short(c.when.date())} {c.when:%H:%M}"
        tag = f"  [nhãn {', '.join(e.tags)}]" if e.tags else ""
        lines.append(f"{when}  {c.author or '?'}  {c.message.splitlines()[0]}{tag}  ({c.id[:10]})")
        for path, changes in e.changes.items():
            if len(changes) == 1:
                lines.append(f"    {path}: {changes[0]}")
            else:
                lines.append(f"    {path}:")
                lines.extend(f"        {line}" for line in changes)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
