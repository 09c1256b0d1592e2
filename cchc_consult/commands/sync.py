"""`cchc sync [KHO_CHUNG]`: share a git workspace through a remote; `--choose` settles what both sides changed."""

from __future__ import annotations

import sys
from pathlib import Path

from ._common import workspace_of
from ..schema import rubric_from_bytes
from ..yamlio import parse_yaml


def _empty(folder: Path) -> bool:
    return not folder.exists() or (folder.is_dir() and not any(folder.iterdir()))


def register(sub) -> None:
    p = sub.add_parser("sync", help="đồng bộ với kho chung (lấy về, hợp nhất, gửi lên); chọn bản khi hai người cùng sửa",
                       description="Ghi các thay đổi còn lại, lấy về các thay đổi của người khác từ kho chung (một "
                                   "thư mục trên máy chủ tệp của cơ quan hoặc một địa chỉ git), hợp nhất theo nội "
                                   "dung — câu trả lời theo từng ý kiến, bộ tiêu chí theo từng tiêu chí — rồi gửi "
                                   "lên. Chỗ hai người cùng sửa khác nhau: trong tệp giữ bản của máy này, bản kia "
                                   "được giữ lại và so sánh; chọn bằng --choose. Xem docs/git.md.")
    p.add_argument("remote", nargs="?", metavar="ĐỊA_CHỈ_KHO",
                   help="đường dẫn thư mục kho chung (tạo mới nếu trống) hoặc địa chỉ máy chủ git; ghi nhớ cho "
                        "các lần sau")
    p.add_argument("--choose", nargs=2, metavar=("BẢN", "MÃ"),
                   help="chọn cho một chỗ chờ chọn: BẢN là mine (bản của máy này) hoặc theirs (bản kia), như "
                        "--choose theirs rubric/drafts/v2.yaml#II.5.3 (hoặc chỉ II.5.3)")
    p.add_argument("--list", action="store_true", help="chỉ liệt kê các chỗ chờ chọn, không đồng bộ")
    p.add_argument("--by", metavar="TÊN", help="người đồng bộ (mặc định: tên trong cấu hình git hoặc tên đăng nhập)")
    p.set_defaults(handler=run)


def run(args) -> int:
    from ..errors import VcsError
    from ..vcs import is_git
    from ..vcs.hook import user_of
    from ..vcs.sync import choose, open_conflicts, sync
    from ..vcs.tamper import print_tampering

    if args.remote and args.workspace and _empty(Path(args.workspace)):
        # The second clerk's first sync: an empty folder becomes a copy of the shared workspace.
        from ..vcs.repo import init_empty

        init_empty(Path(args.workspace))
        (Path(args.workspace) / "rubric" / "drafts").mkdir(parents=True, exist_ok=True)
    ws = workspace_of(args)
    if not is_git(ws.root):
        raise VcsError("thư mục làm việc này chưa là kho git nên không đồng bộ được", path=str(ws.root),
                       fix=f"đưa vào git trước: cchc init {ws.root} --git")
    by = user_of(ws, args.by)
    if args.choose:
        side, ident = args.choose
        if side not in ("mine", "theirs"):
            raise VcsError(f"không hiểu '{side}'", fix="ghi mine (giữ bản của máy này) hoặc theirs (lấy bản kia)")
        entry = choose(ws, ident, side, by=by)
        print(f"Đã chọn {'bản của máy này' if side == 'mine' else 'bản kia'} cho {entry['id']}; "
              "chạy cchc sync để gửi lên kho chung.")
    elif not args.list:
        result = sync(ws, args.remote, by=by)
        print(f"Kho chung: {result.remote}")
        if result.resumed:
            print("Đã hoàn tất lần hợp nhất bị ngắt ở lần đồng bộ trước (hợp nhất đủ, không mất thay đổi nào).")
        if result.received:
            print(f"Đã nhận {len(result.received)} thay đổi:")
            for line in result.received:
                print(f"  {line}")
        else:
            print("Không có thay đổi mới từ kho chung.")
        if result.merged:
            print("Đã hợp nhất với các thay đổi của máy này"
                  + (f"; {len(result.new_conflicts)} chỗ hai bên cùng sửa khác nhau." if result.new_conflicts else
                     ", không có chỗ nào hai bên cùng sửa khác nhau."))
        if result.retried:
            print("Có người vừa gửi lên trong lúc đồng bộ: đã lấy về, hợp nhất lần nữa rồi gửi lại.")
        print("Đã gửi lên kho chung.")
        for name in result.tag_mismatches:
            print(f"Lỗi: GIẢ MẠO — nhãn {name} ở kho chung khác nhãn cùng tên ở máy này (một trong hai đã bị ghi lại)",
                  file=sys.stderr)
        if print_tampering(ws) or result.tag_mismatches:
            return 2
    entries = open_conflicts(ws)
    for entry in entries:
        print()
        print(conflict_text(ws, entry))
    if entries:
        print(f"\nCòn {len(entries)} chỗ chờ chọn: cchc sync --choose mine MÃ (giữ bản của máy này) "
              "hoặc cchc sync --choose theirs MÃ (lấy bản kia)")
        return 1
    if args.list:
        print("Không có chỗ nào chờ chọn.")
    return 0


def conflict_text(ws, entry: dict) -> str:
    """One open conflict: where, who, and the difference from mine to theirs in domain terms."""
    # start-up: command modules are imported for every --help
    from ..diff import diff_rubrics
    from ..render.diff import change_lines
    from ..statediff import FILES, diff_state
    from ..vcs.sync import mine_bytes, their_version

    head = (f"CHỜ CHỌN {entry['id']}: hai bên cùng sửa; trong tệp đang là bản của máy này, bản kia của "
            f"{entry.get('theirs_by') or '?'} (commit {entry.get('theirs_commit', '')})")
    mine, theirs = mine_bytes(ws, entry), their_version(ws, entry)
    lines = [head]
    if entry["kind"] == "criterion":
        diff = diff_rubrics(rubric_from_bytes(mine, entry["path"]), rubric_from_bytes(theirs, entry["path"]))
        changes = diff.changes_for(entry["key"]) or diff.changes
        lines.append(f"  Tiêu chí {entry['key']}, bản của máy này → bản kia:")
        lines += change_lines(changes, "    ") or ["    (khác nhau ở cách ghi, không khác nội dung)"]
        return "\n".join(lines)
    kind = next((k for k, name in FILES.items() if name == entry["path"]), None)
    if kind and mine is not None and theirs is not None:
        changes = diff_state(parse_yaml(mine, entry["path"]), parse_yaml(theirs, entry["path"]), kind)
        lines.append("  Bản của máy này → bản kia:")
        lines += [f"    {c.text()}" for c in changes]
        return "\n".join(lines)
    if entry["kind"] == "file":
        where = entry.get("theirs_file") or "(bên kia đã xóa tệp)"
        lines.append(f"  Cả tệp: bản kia giữ ở {where}")
    else:
        lines.append(f"  {entry['key']}: {entry.get('mine')!r} → {entry.get('theirs')!r}")
    return "\n".join(lines)
