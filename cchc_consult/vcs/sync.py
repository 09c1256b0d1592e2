"""`cchc sync`: fetch from the shared remote, merge in domain terms, push; the conflicts kept until chosen.

The remote is a bare repository on the office's file share (a folder path, made on the
first sync when it does not exist) or a git server's URL. Merging never writes a
conflict marker: each file is merged by `merge.merge_file`, and what both sides changed
differently stays as MINE in the file and THEIRS in `.cchc-sync/conflicts.yaml` (a file
kept whole goes to `.cchc-sync/theirs/`), committed and pushed like any change, so both
clerks see the same open choices until one runs `cchc sync --choose mine|theirs ID`.

Crash and race safety: one sync at a time per clone (`.git/.cchc-sync.lock`, a second is refused);
the merge is planned from the commits alone and `.cchc-sync/merging.yaml` (local, never committed)
names it before the first merged file is written, so the next sync finishes a merge a kill cut
short; a push refused because the remote moved after our fetch runs fetch-merge-push once more.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import fileio
from ..errors import NotFoundError, VcsError
from ..yamlio import dump_round_trip, dump_yaml, parse_yaml, read_round_trip, read_yaml, to_round_trip
from .merge import LIST_KEYS, Conflict, find_node, merge_file, plain, set_own_data
from .repo import CONFLICTS_DIR, MERGE_JOURNAL, branch_of, commit, files_at, head_commit, open_repo, tags

if TYPE_CHECKING:
    from ..workspace import Workspace

CONFLICTS_FILE = f"{CONFLICTS_DIR}/conflicts.yaml"
REMOTE = b"origin"
_JOURNAL_HEADER = ("Một lần cchc sync đang hợp nhất (do cchc ghi, không sửa tay): nếu lần đó bị ngắt, lần "
                   "cchc sync sau hoàn tất việc hợp nhất.")
_HEADER = ("Chỗ hai người cùng sửa khác nhau, chờ chọn — do cchc sync ghi, không sửa tay.\n"
           "Trong tệp đang là bản của máy này (mine); bản kia (theirs) ở đây. Chọn: cchc sync --choose mine|theirs ID")


@dataclass
class SyncResult:
    remote: str
    #: The messages of the commits taken from the remote, oldest first.
    received: list[str] = field(default_factory=list)
    pushed: bool = False
    merged: bool = False
    #: The conflicts this sync found (already recorded), and every conflict still open.
    new_conflicts: list[Conflict] = field(default_factory=list)
    open_conflicts: list[dict] = field(default_factory=list)
    #: Tags whose id differs here and on the remote (one of them was rewritten).
    tag_mismatches: list[str] = field(default_factory=list)
    #: Whether a merge a killed sync left half written was finished first.
    resumed: bool = False
    #: Whether the first push was refused (someone pushed after our fetch) and fetch-merge-push ran again.
    retried: bool = False


# ------------------------------------------------------------------------------------------ remote

def remote_location(ws: Workspace, remote: str | None) -> str:
    """The remote to use (remembered as 'origin' when given); refused when none is known."""
    repo = open_repo(ws.root)
    try:
        config = repo.get_config()
        if remote:
            location = _as_location(remote)
            config.set((b"remote", REMOTE), b"url", location.encode("utf-8"))
            config.set((b"remote", REMOTE), b"fetch", b"+refs/heads/*:refs/remotes/origin/*")
            config.write_to_path()
            return location
        try:
            return config.get((b"remote", REMOTE), b"url").decode("utf-8")
        except KeyError:
            raise VcsError("chưa biết kho chung để đồng bộ", path=str(ws.root),
                           fix=r"ghi địa chỉ một lần: cchc sync \\may-chu\chung\cchc.git (hoặc địa chỉ máy chủ git)") from None
    finally:
        repo.close()


def _as_location(remote: str) -> str:
    if "://" in remote or remote.startswith("git@"):
        return remote
    return str(Path(remote).expanduser().resolve())


def ensure_bare(location: str) -> None:
    """A bare repository at a folder path that is missing or empty (the first sync makes the shared remote)."""
    from dulwich.repo import Repo

    if "://" in location or location.startswith("git@"):
        return
    path = Path(location)
    if not path.exists() or (path.is_dir() and not any(path.iterdir())):
        path.mkdir(parents=True, exist_ok=True)
        Repo.init_bare(str(path)).close()
        return
    if not ((path / "HEAD").is_file() or (path / ".git").exists()):
        raise VcsError(f"{path} không phải một kho git", path=str(path),
                       fix="chọn một thư mục trống (cchc tạo kho chung ở đó) hoặc đúng thư mục kho chung")


# -------------------------------------------------------------------------------------------- sync

def sync(ws: Workspace, remote: str | None = None, *, by: str | None = None) -> SyncResult:
    """Commit what is pending, fetch, merge (fast-forward or in domain terms), push; what happened.

    One sync at a time per clone (a second is refused); a merge a killed sync left half written is
    finished first; a push refused because someone pushed after our fetch is tried once more
    (fetch, merge, push) before giving up.
    """
    with _sync_lock(ws):
        location = remote_location(ws, remote)
        ensure_bare(location)
        result = SyncResult(location)
        result.resumed = _finish_interrupted_merge(ws, by=by)
        commit(ws.root, "Lưu các thay đổi trước khi đồng bộ", by=by)
        for attempt in (1, 2):
            refs = _fetch_and_merge(ws, location, result, by=by)
            if _push(ws, location, refs):
                break
            result.retried = True
            if attempt == 2:
                raise VcsError(f"không gửi được lên kho chung {location}: lại có người vừa gửi lên trong lúc đồng bộ "
                               "(đã thử lại một lần)", path=location,
                               fix="chạy lại cchc sync: các thay đổi của máy này đã được ghi, không mất gì")
        result.pushed = True
        result.open_conflicts = open_conflicts(ws)
        return result


@contextlib.contextmanager
def _sync_lock(ws: Workspace):
    """Hold this clone's sync lock for the block; refused at once (never waits) when another sync has it."""
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(fileio.file_lock(ws.root / ".git" / "cchc-sync", wait=False))
        except BlockingIOError:
            raise VcsError("một lần cchc sync khác đang chạy trên thư mục làm việc này (ở cửa sổ hoặc giao diện "
                           "khác)", path=str(ws.root),
                           fix="chờ lần đồng bộ kia xong rồi chạy lại cchc sync nếu cần") from None
        yield


def _fetch_and_merge(ws: Workspace, location: str, result: SyncResult, *, by: str | None) -> dict[bytes, bytes]:
    """Fetch, then fast-forward or merge (committed) into `result`; the remote's refs as fetched."""
    from dulwich.client import get_transport_and_path
    from dulwich.graph import find_merge_base

    merged_with: bytes | None = None
    conflicts: list[Conflict] = []
    repo = open_repo(ws.root)
    try:
        client, path = get_transport_and_path(location)
        try:
            fetched = client.fetch(path, repo)
        except Exception as exc:  # dulwich raises OSError, HangupException, GitProtocolError…
            raise VcsError(f"không lấy được dữ liệu từ kho chung {location}: {exc}", path=location,
                           fix="kiểm tra đường dẫn/mạng và quyền đọc thư mục kho chung, rồi chạy lại cchc sync") from None
        refs = dict(fetched.refs)
        branch = branch_of(repo)
        theirs = refs.get(branch)
        if theirs is not None:
            repo.refs[b"refs/remotes/origin/main"] = theirs
        mine_tags = tags(repo)
        for ref, sha in refs.items():
            if ref.startswith(b"refs/tags/") and not ref.endswith(b"^{}"):
                name = ref[len(b"refs/tags/"):].decode("utf-8")
                if name not in mine_tags:
                    repo.refs[ref] = sha
                elif mine_tags[name] != sha and name not in result.tag_mismatches:
                    result.tag_mismatches.append(name)
        ours = head_commit(repo)
        if theirs is not None and theirs != ours:
            base = find_merge_base(repo, [ours, theirs]) if ours is not None else []
            if base and base[0] == theirs:
                pass  # the remote is behind: only a push
            else:
                result.received += _messages_between(repo, theirs, base[0] if base else None)
                if ours is None or (base and base[0] == ours):
                    _checkout(ws, repo, ours, theirs)
                    repo.refs[branch] = theirs
                else:
                    merged_with = theirs
                    conflicts = _merge(ws, repo, base[0] if base else None, ours, theirs)
    finally:
        repo.close()
    if merged_with is not None:
        _commit_merge(ws, merged_with, conflicts, by=by)
        result.merged = True
        result.new_conflicts += conflicts
    return refs


def _commit_merge(ws: Workspace, theirs: bytes, conflicts: list[Conflict], *, by: str | None,
                  note: str = "") -> None:
    count = len(conflicts)
    commit(ws.root, "Hợp nhất với kho chung" + note + (f" ({count} chỗ hai bên cùng sửa, chờ chọn)" if count else ""),
           by=by, merge_heads=[theirs])
    _drop_journal(ws)  # after the commit: a kill before this line leaves a journal already done


def _drop_journal(ws: Workspace) -> None:
    """Remove the merge journal, and .cchc-sync/ with it when nothing else is kept there."""
    _write(ws, MERGE_JOURNAL, None)
    with contextlib.suppress(OSError):
        (ws.root / CONFLICTS_DIR).rmdir()


def _messages_between(repo, head: bytes, stop: bytes | None) -> list[str]:
    walker = repo.get_walker(include=[head], exclude=[stop] if stop else None, reverse=True)
    return [f"{e.commit.author.decode('utf-8', 'replace').split(' <')[0]}: "
            f"{e.commit.message.decode('utf-8', 'replace').strip().splitlines()[0]}" for e in walker]


def _write(ws: Workspace, rel: str, data: bytes | None) -> None:
    target = ws.root / rel
    if data is None:
        if target.exists():
            target.unlink()
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fileio.atomic_write(target, data)


def _checkout(ws: Workspace, repo, ours: bytes | None, theirs: bytes) -> None:
    """Fast-forward the working files from `ours` to `theirs` (nothing is pending: sync committed it)."""
    before, after = files_at(repo, ours), files_at(repo, theirs)
    for rel in sorted(set(before) | set(after)):
        if before.get(rel) != after.get(rel):
            _write(ws, rel, repo[after[rel]].data if rel in after else None)
    repo.get_worktree().reset_index(repo[theirs].tree)


def _merge(ws: Workspace, repo, base: bytes | None, ours: bytes, theirs: bytes) -> list[Conflict]:
    """Write the merge of `theirs` into the working files (`ours`, all committed), journal first."""
    writes, conflicts = _plan_merge(repo, base, ours, theirs)
    # On disk (fsync) before the first merged file; no file lock of its own: the sync lock is held.
    fileio.atomic_write(ws.root / MERGE_JOURNAL, dump_yaml({"format": "cchc-sync-merging/1", "ours": ours.decode(
        "ascii"), "theirs": theirs.decode("ascii")}, _JOURNAL_HEADER), lock=False)
    for rel, data in writes.items():
        _write(ws, rel, data)
    return conflicts


def _plan_merge(repo, base: bytes | None, ours: bytes, theirs: bytes) -> tuple[dict[str, bytes | None], list[Conflict]]:
    """What the merge writes (path → bytes, None to delete) and its conflicts; from the commits alone."""
    base_files, mine_files, their_files = files_at(repo, base), files_at(repo, ours), files_at(repo, theirs)
    who = repo[theirs].author.decode("utf-8", "replace").split(" <")[0]
    writes: dict[str, bytes | None] = {}
    conflicts: list[Conflict] = []
    for rel in sorted(set(base_files) | set(mine_files) | set(their_files)):
        b, m, t = base_files.get(rel), mine_files.get(rel), their_files.get(rel)
        if t == b or t == m or rel == CONFLICTS_FILE:
            continue
        if m == b:
            writes[rel] = repo[t].data if t else None
            continue
        merged = merge_file(rel, repo[b].data if b else None, repo[m].data if m else None,
                            repo[t].data if t else None)
        writes[rel] = merged.content
        conflicts.extend(merged.conflicts)
    _record_conflicts(repo, mine_files, their_files, conflicts, who, theirs.decode()[:10], writes)
    return writes, conflicts


def _finish_interrupted_merge(ws: Workspace, *, by: str | None) -> bool:
    """Finish the merge a killed sync left half written (its journal says which); whether one was finished.

    When the branch has moved since (the merge commit was made, or a command committed the half-merged
    files) or a file was changed by hand since, the journal is dropped and this sync's own merge takes
    their side in again, with both parents, nothing lost.
    """
    from dulwich.graph import find_merge_base

    journal = ws.root / MERGE_JOURNAL
    if not journal.is_file():
        return False
    try:
        entry = read_yaml(journal, use_cache=False) or {}
        ours, theirs = str(entry["ours"]).encode("ascii"), str(entry["theirs"]).encode("ascii")
    except Exception:  # an unreadable journal: only this sync's own merge is left to do
        _drop_journal(ws)
        return False
    repo = open_repo(ws.root)
    try:
        if head_commit(repo) != ours or theirs not in repo.object_store:
            writes = None
        else:
            base = find_merge_base(repo, [ours, theirs])
            writes, conflicts = _plan_merge(repo, base[0] if base else None, ours, theirs)
            before = files_at(repo, ours)
            for rel, data in writes.items():
                disk = fileio.read_bytes(ws.root / rel) if (ws.root / rel).is_file() else None
                if disk not in (data, repo[before[rel]].data if rel in before else None):
                    writes = None  # changed by hand after the kill: merged again below, as a change of mine
                    break
    finally:
        repo.close()
    if writes is None:
        _drop_journal(ws)
        return False
    for rel, data in writes.items():
        _write(ws, rel, data)
    _commit_merge(ws, theirs, conflicts, by=by, note=" (hoàn tất lần đồng bộ bị ngắt)")
    return True


# --------------------------------------------------------------------------------------- conflicts

def open_conflicts(ws: Workspace) -> list[dict]:
    """The conflicts recorded and not yet chosen (plain entries of .cchc-sync/conflicts.yaml)."""
    path = ws.root / CONFLICTS_FILE
    if not path.is_file():
        return []
    return [plain(e) for e in (read_yaml(path, use_cache=False) or {}).get("conflicts") or []]


def _conflicts_bytes(entries: list[dict]) -> bytes | None:
    if not entries:
        return None
    return dump_yaml({"format": "cchc-sync-conflicts/1", "conflicts": entries}, _HEADER).encode("utf-8")


def _save_conflicts(ws: Workspace, entries: list[dict]) -> None:
    _write(ws, CONFLICTS_FILE, _conflicts_bytes(entries))


def _record_conflicts(repo, mine_files, their_files, conflicts, who, their_commit, writes) -> None:
    # Both sides may have open conflicts recorded: keep the union, by id (mine first).
    entries: dict[str, dict] = {}
    for record in (mine_files.get(CONFLICTS_FILE), their_files.get(CONFLICTS_FILE)):
        if record:
            for e in (parse_yaml(repo[record].data, CONFLICTS_FILE) or {}).get("conflicts") or []:
                entries.setdefault(plain(e)["id"], plain(e))
    for c in conflicts:
        entry: dict[str, Any] = {"id": c.id, "path": c.path, "key": c.key, "kind": c.kind, "theirs_by": who,
                                 "theirs_commit": their_commit}
        if c.kind == "file":
            stored = f"{CONFLICTS_DIR}/theirs/{c.path}"
            writes[stored] = c.theirs
            entry["theirs_file"] = stored if c.theirs is not None else ""
        else:
            entry["mine"], entry["theirs"] = c.mine, c.theirs
        entries[c.id] = entry
    if entries or mine_files.get(CONFLICTS_FILE):
        writes[CONFLICTS_FILE] = _conflicts_bytes(list(entries.values()))


def _find(ws: Workspace, ident: str) -> dict:
    entries = open_conflicts(ws)
    exact = [e for e in entries if e["id"] == ident]
    matches = exact or [e for e in entries if e["id"].endswith(ident) or e.get("key") == ident]
    if len(matches) != 1:
        known = ", ".join(e["id"] for e in entries) or "không có"
        raise NotFoundError(f"không có (hoặc có nhiều hơn một) chỗ chờ chọn '{ident}'", path=CONFLICTS_FILE,
                            fix=f"ghi đúng mã, một trong: {known}")
    return matches[0]


def choose(ws: Workspace, ident: str, side: str, *, by: str | None = None) -> dict:
    """Resolve one conflict: keep mine (the file as it is) or put theirs in; committed. The entry resolved."""
    with _sync_lock(ws):  # not while a sync is rewriting the same files
        entry = _find(ws, ident)
        if side == "theirs":
            _apply_theirs(ws, entry)
        entries = [e for e in open_conflicts(ws) if e["id"] != entry["id"]]
        if entry["kind"] == "file" and entry.get("theirs_file"):
            _write(ws, entry["theirs_file"], None)
        _save_conflicts(ws, entries)
        label = "bản của máy này" if side == "mine" else f"bản của {entry.get('theirs_by') or 'bên kia'}"
        commit(ws.root, f"Chọn {label} cho {entry['id']}", by=by)
        return entry


def _apply_theirs(ws: Workspace, entry: dict) -> None:
    target = ws.root / entry["path"]
    if entry["kind"] == "file":
        stored = entry.get("theirs_file")
        _write(ws, entry["path"], (ws.root / stored).read_bytes() if stored else None)
        return
    tree, _ = read_round_trip(target)
    if entry["kind"] == "criterion":
        found = find_node(tree, entry["key"])
        if entry["theirs"] is None:
            if found:
                siblings, node = found
                siblings[:] = [n for n in siblings if n is not node]
        elif found:
            set_own_data(found[1], entry["theirs"])
    else:
        _set_path(tree, entry["key"].split("/"), entry["theirs"])
    fileio.atomic_write(target, dump_round_trip(tree))


def _set_path(tree: Any, keys: list[str], value: Any) -> None:
    node = tree
    for k in keys[:-1]:
        node = _step(node, k)
    last = keys[-1]
    if isinstance(node, list):
        items = [i for i in node if isinstance(i, dict) and any(str(i.get(n)) == last for n in LIST_KEYS)]
        if value is None:
            node[:] = [i for i in node if i not in items]
        elif items:
            node[node.index(items[0])] = to_round_trip(value)
        else:
            node.append(to_round_trip(value))
    elif value is None:
        node.pop(last, None)
    else:
        node[last] = to_round_trip(value)


def _step(node: Any, key: str) -> Any:
    if isinstance(node, list):
        for item in node:
            if isinstance(item, dict) and any(str(item.get(n)) == key for n in LIST_KEYS):
                return item
        raise NotFoundError(f"không còn mục {key} trong tệp", fix="chọn mine (giữ bản đang có)")
    return node[key]


# ------------------------------------------------------------------------------------------- push

def _push(ws: Workspace, location: str, remote_refs: dict[bytes, bytes]) -> bool:
    """Push the branch and the tags the remote does not have (a tag there is never replaced).

    False when the remote's branch moved since the fetch (someone pushed in between): fetch and merge again.
    """
    from dulwich import porcelain

    repo = open_repo(ws.root)
    try:
        refspecs = [branch_of(repo)] + [ref for ref in (f"refs/tags/{t}".encode("utf-8") for t in tags(repo))
                               if ref not in remote_refs]
        if head_commit(repo) is None:
            return True
        out, err = io.BytesIO(), io.BytesIO()
        try:
            porcelain.push(repo, location, refspecs=refspecs, outstream=out, errstream=err)
        except porcelain.DivergedBranches:
            return False
        except Exception as exc:  # a server's refusal, no permission, no network
            raise VcsError(f"không gửi được lên kho chung {location}: {exc!r}", path=location,
                           fix="chạy lại cchc sync (có người vừa gửi lên trước); nếu vẫn lỗi: kiểm tra quyền ghi "
                               "thư mục kho chung") from None
    finally:
        repo.close()
    return True


def their_version(ws: Workspace, entry: dict) -> bytes | None:
    """The file as it would be with theirs chosen for this conflict (for showing the difference)."""
    if entry["kind"] == "file":
        stored = entry.get("theirs_file")
        return (ws.root / stored).read_bytes() if stored else None
    tree, _ = read_round_trip(ws.root / entry["path"])
    if entry["kind"] == "criterion":
        found = find_node(tree, entry["key"])
        if entry["theirs"] is None and found:
            found[0][:] = [n for n in found[0] if n is not found[1]]
        elif found:
            set_own_data(found[1], entry["theirs"])
    else:
        _set_path(tree, entry["key"].split("/"), entry["theirs"])
    return dump_round_trip(tree).encode("utf-8")


def mine_bytes(ws: Workspace, entry: dict) -> bytes | None:
    path = ws.root / entry["path"]
    return path.read_bytes() if path.is_file() else None
