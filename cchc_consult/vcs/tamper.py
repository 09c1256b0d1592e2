"""Tampering with frozen versions, seen through git: a file, its history entry or its tag changed after the freeze.

The freeze point of a version is the oldest commit whose rubric/history.yaml marks it
circulated (or final); the file's bytes in that commit are what was sent out. Then:
the file on disk must still be those bytes; today's history.yaml must still carry the
hash it had then (a file and its hash edited together and committed pass the hash
check of `Workspace.rubric`, not this one); and the version's tag must exist and point
at that very commit (a tag deleted, or moved onto a later commit, was rewritten).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from ..history import FROZEN_STATUSES, STATUS_LABELS, VersionRecord, history_from_data
from ..vn import format_date_short
from ..yamlio import hash_bytes, read_yaml_bytes
from . import is_git
from .repo import blob_at, head_commit, open_repo, peel, tag_name, tags

if TYPE_CHECKING:
    from dulwich.repo import Repo

    from ..workspace import Workspace

HISTORY_PATH = "rubric/history.yaml"


@dataclass
class FreezePoint:
    """Where a version was frozen: the commit, the record then, and the file's bytes in that commit."""

    commit: bytes
    record: VersionRecord
    content: bytes | None

    @property
    def tag(self) -> str:
        paper = self.record.decision if self.record.status == "final" else self.record.letter
        return tag_name(self.record.name, self.record.status, paper)


def freeze_points(repo, head: bytes) -> dict[tuple[str, str], FreezePoint]:
    """(version, status) → its freeze point: the commit whose history first marks it so (no parent does)."""
    from dulwich.object_store import tree_lookup_path

    parsed: dict[bytes, dict[str, VersionRecord]] = {}
    records_of: dict[bytes, dict[str, VersionRecord]] = {}
    parents_of: dict[bytes, list[bytes]] = {}
    order = []
    for entry in repo.get_walker(include=[head], reverse=True):
        commit = entry.commit
        order.append(commit.id)
        parents_of[commit.id] = list(commit.parents)
        try:
            _, blob = tree_lookup_path(repo.__getitem__, commit.tree, HISTORY_PATH.encode())
        except KeyError:
            records_of[commit.id] = {}
            continue
        if blob not in parsed:
            try:
                parsed[blob] = history_from_data(read_yaml_bytes(repo[blob].data, HISTORY_PATH), HISTORY_PATH)
            except Exception:  # an unreadable history at some commit says nothing about freezes
                parsed[blob] = {}
        records_of[commit.id] = parsed[blob]
    out: dict[tuple[str, str], FreezePoint] = {}
    # Walk order breaks ties of equal dates arbitrarily: the freeze is where no parent had it yet.
    for commit_id in order:
        for record in records_of[commit_id].values():
            for status in FROZEN_STATUSES:
                key = (record.name, status)
                if key in out or not _reached(record, status):
                    continue
                if any(_reached(records_of.get(p, {}).get(record.name) or VersionRecord(record.name), status)
                       for p in parents_of[commit_id]):
                    continue
                out[key] = FreezePoint(commit_id, _as_of(record, status),
                                       blob_at(repo, commit_id, f"rubric/drafts/{record.name}.yaml"))
    return out


def _reached(record: VersionRecord, status: str) -> bool:
    return record.status == status or (status == "circulated" and any(e.what == "circulated" for e in record.events))


def _as_of(record: VersionRecord, status: str) -> VersionRecord:
    return record.replace(status=status)


def tampering(ws: Workspace) -> list[str]:
    """What in a git workspace's frozen versions no longer matches their freeze, in Vietnamese ([] when none)."""
    with _freezes(ws) as found:
        if found is None:
            return []
        repo, points = found
        current = ws.history()
        known_tags = tags(repo)
        out = []
        for (name, status), point in sorted(points.items()):
            path = f"rubric/drafts/{name}.yaml"
            short = point.commit.decode()[:10]
            label = f"{name} ({STATUS_LABELS[status]}, commit {short}, nhãn {point.tag})"
            # The bytes frozen as final are those of a later freeze of the same file only when it was
            # circulated first; a circulated version later issued as final changes one meta line.
            latest = _latest_point(points, name)
            if point is latest:
                disk = ws.root / path
                now = disk.read_bytes() if disk.is_file() else None
                if point.content is not None and now != point.content:
                    out.append(f"{path}: tệp khác với bản đã đóng băng {label}")
                record = current.get(name)
                if point.content is not None and record is not None and record.frozen \
                        and record.sha256 != hash_bytes(point.content):
                    out.append(f"{ws.history_file.relative_to(ws.root).as_posix()}: mã băm của {name} đã bị sửa "
                               f"sau khi đóng băng {label}")
            tag = known_tags.get(point.tag)
            if tag is None:
                out.append(f"nhãn {point.tag} của {name} không còn trong kho (bị xóa hoặc chưa lấy về)")
            elif (target := peel(repo, tag)) != point.commit:
                moved = blob_at(repo, target, path)
                what = "và trỏ tới một nội dung khác" if moved != point.content else "sang commit khác"
                out.append(f"nhãn {point.tag} đã bị ghi lại {what} (lúc đóng băng: commit {short}, "
                           f"bây giờ: {target.decode()[:10]})")
        return out


@contextmanager
def _freezes(ws: Workspace) -> Iterator[tuple[Repo, dict[tuple[str, str], FreezePoint]] | None]:
    """The repository and the freeze points up to HEAD; None for a plain folder or a repository with no commit."""
    if not is_git(ws.root):
        yield None
        return
    repo = open_repo(ws.root)
    try:
        head = head_commit(repo)
        yield None if head is None else (repo, freeze_points(repo, head))
    finally:
        repo.close()


def _latest_point(points: dict[tuple[str, str], FreezePoint], name: str) -> FreezePoint:
    mine = [points[(n, s)] for (n, s) in points if n == name]
    return points.get((name, "final")) or mine[-1]


def print_tampering(ws: Workspace) -> bool:
    """Say on stderr what was tampered with (one line each, with what to do); whether anything was."""
    found = tampering(ws)
    for line in found:
        print(f"Lỗi: GIẢ MẠO — {line}", file=sys.stderr)
    if found:
        print("  → Cách sửa: khôi phục đúng bản đã đóng băng từ nhãn (cchc log rubric/ để xem ai sửa, khi nào); "
              "muốn sửa nội dung thì tạo dự thảo mới: cchc draft new --from PHIÊN_BẢN", file=sys.stderr)
    return bool(found)


def git_history_lines(ws: Workspace) -> list[str]:
    """Each freeze as git recorded it (commit, date, who, tag), and whether it agrees with history.yaml."""
    with _freezes(ws) as found:
        if found is None:
            return []
        repo, points = found
        current = ws.history()
        lines = []
        for (name, status), point in sorted(points.items(), key=lambda kv: kv[1].record.name):
            c = repo[point.commit]
            when = datetime.fromtimestamp(c.author_time, timezone(timedelta(seconds=c.author_timezone)))
            who = c.author.decode("utf-8", "replace").split(" <")[0]
            record = current.get(name)
            agrees = point.content is not None and record is not None and (
                record.sha256 == hash_bytes(point.content) or status != record.status)
            lines.append(f"{name} {STATUS_LABELS[status]}: commit {point.commit.decode()[:10]} ngày "
                         f"{format_date_short(when.date())} {when:%H:%M}, {who}, nhãn {point.tag}"
                         + (" — khớp history.yaml" if agrees else " — KHÔNG khớp history.yaml"))
        return lines
