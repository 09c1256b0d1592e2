"""Every change of state is a commit: the one place the CLI (and the TUI's save) records a change in git.

`after_command` runs after a command returned 0. Only commands that may change the
workspace are looked at (`message_for`); a read-only command never opens the
repository, and a plain folder is left as it is. The message is built from the
command's arguments, in Vietnamese; the author is the acting user.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from ..errors import CchcError
from ..vn import format_date_short, parse_date
from . import acting_user, is_git
from .repo import blob_at, commit, create_tag, head_commit, open_repo, tags
from .tamper import HISTORY_PATH, freeze_points

if TYPE_CHECKING:
    from ..workspace import Workspace


def _name(path: Any) -> str:
    return os.path.basename(str(path)) if path else ""


def day_text(value: Any) -> str:
    """A date as the papers write it (26/7/2023); as typed when it does not read as a date."""
    try:
        return format_date_short(parse_date(value))
    except CchcError:
        return str(value)


def message_for(args) -> str | None:
    """The commit message of a command that may change the workspace; None for one that only reads."""
    command = getattr(args, "command", None)
    action = getattr(args, "action", None) or getattr(args, "comments_command", None)
    a = vars(args)
    if command == "import":
        return f"Nhập bộ tiêu chí từ {_name(a.get('source'))} vào {a.get('output')}"
    if command == "draft" and action == "circulate":
        return f"Gửi lấy ý kiến {a['version']} theo Công văn {a['letter']} ngày {day_text(a['date'])}"
    if command == "draft" and action == "new":
        return f"Tạo dự thảo mới {a.get('name') or ''} từ {a['source']}".replace("  ", " ")
    if command == "comments":
        return {
            "answer": lambda: f"Trả lời ý kiến {a['comment_id']}: {a['status']}"
                              + (f" — {a['reason']}" if a.get("reason") else ""),
            "undo": lambda: f"Rút lại câu trả lời ý kiến {a.get('comment_id') or '(gần nhất)'}",
            "initiative": lambda: f"Ghi sửa đổi tự đề xuất ở tiêu chí {a['criterion']}: {a['reason']}",
            "owners": lambda: "Xác nhận cơ quan sở hữu tiêu chí " + ", ".join(a.get("confirm") or [])
                              if a.get("confirm") is not None else None,
            "template": lambda: f"Tạo phiếu góp ý cho {a['office']}" if a.get("output") else None,
            "resolve": lambda: f"Ghi cách xử lý tệp {a['file']}: {a['note']}",
        }.get(action, lambda: None)()
    if command == "report":
        saved = [k for k in ("submission", "submission_date", "signer", "signer_title") if a.get(k)]
        return "Ghi thông tin Tờ trình (bảng tổng hợp góp ý) vào decision.yaml" if saved else None
    if command == "publish":
        return f"Ban hành {a['version']} theo Quyết định số {a['number']} ngày {day_text(a['date'])}"
    if command == "submit":
        return f"Lập tờ trình ban hành {a['version']}"
    if command == "announce":
        return f"Công bố kết quả chấm điểm theo Quyết định số {a['number']} ngày {day_text(a['date'])}"
    if command == "score":
        if a.get("template_output"):
            return f"Tạo phiếu {'tự chấm' if a.get('kind') == 'self' else 'thẩm định'} cho {a.get('office')}"
        return f"Chấm điểm theo {a.get('rubric') or 'bộ tiêu chí của đợt'}" if a.get("output") else None
    if command == "decision" and action == "set":
        return f"Điền {a['key']} trong decision.yaml"
    if command == "check" and a.get("accept"):
        code, node = a["accept"]
        return f"Chấp nhận lỗi {code} ở tiêu chí {node}: {a.get('reason') or ''}".rstrip(": ")
    if command == "history" and a.get("repair"):
        return "Sửa chỗ tệp và lịch sử phiên bản không khớp (cchc history --repair)"
    if command == "export" and a.get("output"):
        return f"Xuất {a.get('rubric') or 'bộ tiêu chí'} ra {a['output']}"
    return None


def after_command(args, ws: Workspace | None) -> str | None:
    """Commit what a successful command changed in a git workspace (and tag a freeze); the commit id or None."""
    if ws is None or not is_git(ws.root):
        return None
    message = message_for(args)
    if message is None:
        return None
    return record(ws, message, by=getattr(args, "by", None))


def record(ws: Workspace, message: str, *, by: str | None = None, when=None, quiet: bool = False) -> str | None:
    """Commit every change of a git workspace with `message`, tag new freezes; says so on stderr.

    A failure is a warning, not an error: the files are written, and the next commit takes them in.
    """
    if not is_git(ws.root):
        return None
    try:
        made = commit(ws.root, message, by=user_of(ws, by), when=when)
        # Only a commit that changed the version history can have frozen a version (walking every
        # commit for freeze points after each answer made a 300-answer round's commits 2x slower).
        if made is not None and history_changed(ws.root, made):
            for tag in ensure_tags(ws, by=by, when=when):
                if not quiet:
                    print(f"Đã gắn nhãn {tag}", file=sys.stderr)
    except (CchcError, OSError) as exc:
        if not quiet:
            print(f"Cảnh báo: thay đổi đã ghi vào tệp nhưng chưa ghi vào git ({exc}); lần ghi sau sẽ đưa vào",
                  file=sys.stderr)
        return None
    if made is None:
        return None
    if not quiet:
        print(f"Đã ghi vào lịch sử git: {made.decode()[:10]} {message}", file=sys.stderr)
    return made.decode()


def record_save(ws: Workspace, path, *, what: str = "", by: str | None = None) -> str | None:
    """For the TUI: commit a save (and anything else changed) when the workspace is a repository; the commit id.

    Silent (the screen is Textual's): a failure leaves the change for the next commit. `what` is the
    message ("Trả lời ý kiến TCKH-3: tiếp thu"); by default "Lưu v2.yaml (giao diện)".
    """
    if not is_git(ws.root):
        return None
    return record(ws, what or f"Lưu {_name(path)} (giao diện)", by=by, quiet=True)


def history_changed(root, commit_id: bytes) -> bool:
    """Whether a commit changed rubric/history.yaml against its first parent."""
    repo = open_repo(root)
    try:
        parents = repo[commit_id].parents
        return blob_at(repo, commit_id, HISTORY_PATH) != blob_at(repo, parents[0] if parents else None, HISTORY_PATH)
    finally:
        repo.close()


def user_of(ws: Workspace, by: str | None) -> str:
    """The acting user: --by, $CCHC_USER, git's user.name (repository or personal settings), the login name."""
    if by or os.environ.get("CCHC_USER"):
        return acting_user(by)
    try:
        from dulwich.config import StackedConfig

        repo = open_repo(ws.root)
        try:
            stack = StackedConfig([repo.get_config(), *StackedConfig.default_backends()])
            name = stack.get((b"user",), b"name").decode("utf-8")
        finally:
            repo.close()
        if name.strip():
            return acting_user(name)
    except (KeyError, OSError, CchcError, UnicodeDecodeError):
        pass
    return acting_user(None)


def ensure_tags(ws: Workspace, *, by: str | None = None, when=None) -> list[str]:
    """Tag every freeze point that has no tag yet (annotated, on the commit of the freeze); the names made."""
    repo = open_repo(ws.root)
    try:
        head = head_commit(repo)
        if head is None:
            return []
        points, known = freeze_points(repo, head), tags(repo)
    finally:
        repo.close()
    made = []
    for point in points.values():
        if point.tag in known:
            continue
        r = point.record
        text = (f"Ban hành {r.name} theo Quyết định số {r.decision} ngày {day_text(r.decision_date)}"
                if r.status == "final" else
                f"Gửi lấy ý kiến {r.name} theo Công văn {r.letter} ngày {day_text(r.letter_date)}")
        create_tag(ws.root, point.tag, text, by=user_of(ws, by), when=when, target=point.commit)
        made.append(point.tag)
    return made
