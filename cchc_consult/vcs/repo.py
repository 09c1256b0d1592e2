"""The git repository of a workspace through dulwich: init, commit everything, tags, files at a commit.

Every function imports dulwich inside itself, so importing this module costs nothing.
Paths inside the repository are POSIX text ("rubric/drafts/v1.yaml").
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from ..errors import VcsError
from ..vn import strip_marks
from . import acting_user, is_git

if TYPE_CHECKING:
    from dulwich.repo import Repo

#: Written into a new repository: what never belongs in the history (locks, half-written files, outputs).
GITIGNORE = """\
# Do cchc ghi: các tệp khóa, tệp ghi dở và văn bản in ra (tạo lại được) không đưa vào lịch sử git.
.*.lock
*.tmp
__pycache__/
out/
.cchc-sync/merging.yaml
"""
#: The branch every workspace repository uses.
BRANCH = b"refs/heads/main"
#: Folder of versions kept until the clerk chooses (`cchc sync --choose`); committed, so both clerks see it.
CONFLICTS_DIR = ".cchc-sync"
#: Written by `cchc sync` before it writes merged files, removed after the merge commit: a sync killed
#: in between is finished by the next one. Local to this clone, never committed (like git's MERGE_HEAD).
MERGE_JOURNAL = f"{CONFLICTS_DIR}/merging.yaml"


def tracked(rel: str) -> bool:
    """Whether a workspace path belongs in git: not a lock, a temporary, a cache or a generated document."""
    parts = rel.split("/")
    if parts[0] in (".git", "out") or rel == MERGE_JOURNAL:
        return False
    if any(p.startswith(".") and p not in (".gitignore", CONFLICTS_DIR) for p in parts):
        return False
    return not (rel.endswith((".tmp", ".lock", ".pyc")) or "__pycache__" in parts)


def open_repo(root: str | os.PathLike) -> "Repo":
    from dulwich.repo import Repo

    if not is_git(root):
        raise VcsError("thư mục làm việc này không phải kho git", path=str(root),
                       fix=f"đưa thư mục này vào git: cchc init {root} --git; hoặc lấy bản từ kho chung vào một thư "
                           "mục trống: cchc -w THƯ_MỤC_TRỐNG sync ĐỊA_CHỈ_KHO")
    return Repo(str(root))


def identity(name: str) -> bytes:
    """A git identity from a person's name; no e-mail is known, so it stays empty ("Tên <>")."""
    clean = (name or "cchc").replace("<", "").replace(">", "").replace("\n", " ").strip() or "cchc"
    return f"{clean} <>".encode("utf-8")


def _stamp(when: datetime | None) -> tuple[int, int]:
    """(seconds since the epoch, offset from UTC in seconds) of a moment; now when None."""
    moment = when if when is not None and when.tzinfo is not None else (when or datetime.now()).astimezone()
    offset = moment.utcoffset()
    return int(moment.timestamp()), int(offset.total_seconds()) if offset else 0


def init(root: str | os.PathLike, *, by: str | None = None, when: datetime | None = None,
         message: str = "Khởi tạo thư mục làm việc") -> bytes | None:
    """Make a workspace folder a repository (branch main, .gitignore) and commit what it holds."""
    root = Path(root)
    init_empty(root)
    ignore = root / ".gitignore"
    if not ignore.exists():
        ignore.write_text(GITIGNORE, encoding="utf-8")
    return commit(root, message, by=by, when=when)


def init_empty(root: str | os.PathLike) -> None:
    """A repository on branch main in a folder (made if missing), marked as a cchc workspace.

    An existing repository (made with git by hand) is adopted: marked, its history kept.
    """
    from dulwich.repo import Repo

    root = Path(root)
    if is_git(root):
        return
    root.mkdir(parents=True, exist_ok=True)
    repo = Repo(str(root)) if (root / ".git").is_dir() else Repo.init(str(root))
    try:
        if head_commit(repo) is None:
            repo.refs.set_symbolic_ref(b"HEAD", BRANCH)
        config = repo.get_config()
        config.set((b"cchc",), b"workspace", b"true")  # the mark `is_git` looks for
        config.write_to_path()
    finally:
        repo.close()


def _working_files(root: Path) -> set[str]:
    out = set()
    for folder, dirs, files in os.walk(root):
        rel_folder = Path(folder).relative_to(root).as_posix()
        prefix = "" if rel_folder == "." else rel_folder + "/"
        dirs[:] = [d for d in dirs if tracked(prefix + d)]
        out.update(prefix + f for f in files if tracked(prefix + f))
    return out


def commit(root: str | os.PathLike, message: str, *, by: str | None = None, when: datetime | None = None,
           merge_heads: list[bytes] | None = None) -> bytes | None:
    """Stage every change of the workspace (new, changed, deleted files) and commit it; None when nothing changed."""
    repo = open_repo(root)
    try:
        index = repo.open_index()
        paths = sorted(_working_files(Path(root)) | {p.decode("utf-8") for p in index})
        if paths:
            repo.get_worktree().stage(paths)
        index = repo.open_index()
        tree = index.commit(repo.object_store)
        head = head_commit(repo)
        if not merge_heads and (repo[head].tree == tree if head is not None else not len(index)):
            return None
        who = identity(acting_user(by))
        stamp, offset = _stamp(when)
        return repo.get_worktree().commit(
            message=message.encode("utf-8"), author=who, committer=who, author_timestamp=stamp,
            author_timezone=offset, commit_timestamp=stamp, commit_timezone=offset, merge_heads=merge_heads)
    finally:
        repo.close()


def branch_of(repo: "Repo") -> bytes:
    """The branch HEAD names (main for a repository cchc made; an adopted one may say master)."""
    try:
        return repo.refs.follow(b"HEAD")[0][-1]
    except (KeyError, IndexError):
        return BRANCH


def head_commit(repo: "Repo") -> bytes | None:
    """The commit id the branch points at; None in a repository without commits."""
    try:
        return repo.refs[b"HEAD"]
    except KeyError:
        return None


# ---------------------------------------------------------------------------------------------- tags

def tag_slug(text: str) -> str:
    """A paper number as a tag name part: "125/QĐ-UBND" → "125-QD-UBND"."""
    plain = strip_marks(text).replace("đ", "d").replace("Đ", "D")
    out = "".join(c if c.isascii() and c.isalnum() else "-" for c in plain)
    return "-".join(part for part in out.split("-") if part)


def tag_name(version: str, status: str, paper: str) -> str:
    """The tag of a frozen version: v1-circulated-1632-UBND, v2-final-125-QD-UBND."""
    return "-".join(part for part in (tag_slug(version), status, tag_slug(paper)) if part)


def tags(repo: "Repo") -> dict[str, bytes]:
    """Tag name → the id of the tag ref (the annotated tag object, or a commit for a light tag)."""
    prefix = b"refs/tags/"
    return {ref[len(prefix):].decode("utf-8"): sha for ref, sha in repo.get_refs().items()
            if ref.startswith(prefix)}


def create_tag(root: str | os.PathLike, name: str, message: str, *, by: str | None = None,
               when: datetime | None = None, target: bytes | None = None) -> bytes:
    """An annotated tag on `target` (the head commit by default); an existing tag of that name is kept."""
    from dulwich.objects import Commit, Tag

    repo = open_repo(root)
    try:
        ref = f"refs/tags/{name}".encode("utf-8")
        if ref in repo.refs:
            return repo.refs[ref]
        target = target or head_commit(repo)
        if target is None:
            raise VcsError("kho chưa có commit nào để gắn nhãn", path=str(root), fix="ghi một thay đổi trước")
        tag = Tag()
        tag.name = name.encode("utf-8")
        tag.object = (Commit, target)
        tag.tagger = identity(acting_user(by))
        tag.message = message.encode("utf-8") + b"\n"
        tag.tag_time, tag.tag_timezone = _stamp(when)
        repo.object_store.add_object(tag)
        repo.refs[ref] = tag.id
        return tag.id
    finally:
        repo.close()


def peel(repo: "Repo", sha: bytes) -> bytes:
    """The commit an (annotated) tag points at."""
    from dulwich.objects import Tag

    obj = repo[sha]
    while isinstance(obj, Tag):
        obj = repo[obj.object[1]]
    return obj.id


# ------------------------------------------------------------------------------------- reading history

def blob_at(repo: "Repo", commit_id: bytes | None, path: str) -> bytes | None:
    """The bytes of a file at a commit; None when it does not exist there."""
    from dulwich.object_store import tree_lookup_path

    if commit_id is None:
        return None
    try:
        _, sha = tree_lookup_path(repo.__getitem__, repo[commit_id].tree, path.encode("utf-8"))
    except KeyError:
        return None
    return repo[sha].data


def files_at(repo: "Repo", commit_id: bytes | None) -> dict[str, bytes]:
    """Every file path of a commit → its blob id."""
    if commit_id is None:
        return {}
    return {entry.path.decode("utf-8"): entry.sha
            for entry in repo.object_store.iter_tree_contents(repo[commit_id].tree)}


@dataclass
class CommitInfo:
    """One commit as `cchc log` shows it."""

    id: str
    when: datetime
    author: str
    message: str
    parents: list[str] = field(default_factory=list)
    #: Paths changed against the first parent (all files for the first commit).
    paths: list[str] = field(default_factory=list)


def _moment(stamp: int, offset: int) -> datetime:
    from datetime import timedelta, timezone

    return datetime.fromtimestamp(stamp, timezone(timedelta(seconds=offset)))


def walk(root: str | os.PathLike, path: str | None = None) -> Iterator[CommitInfo]:
    """The commits of the branch, newest first; with `path`, only those that changed it (a file or folder)."""
    repo = open_repo(root)
    try:
        head = head_commit(repo)
        if head is None:
            return
        for entry in repo.get_walker(include=[head]):
            c = entry.commit
            before = files_at(repo, c.parents[0]) if c.parents else {}
            after = files_at(repo, c.id)
            changed = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))
            if path:
                prefix = path.rstrip("/")
                changed = [p for p in changed if p == prefix or p.startswith(prefix + "/")]
                if not changed:
                    continue
            yield CommitInfo(id=c.id.decode("ascii"), when=_moment(c.author_time, c.author_timezone),
                             author=c.author.decode("utf-8", "replace").split(" <")[0],
                             message=c.message.decode("utf-8", "replace").strip(),
                             parents=[p.decode("ascii") for p in c.parents], paths=changed)
    finally:
        repo.close()
