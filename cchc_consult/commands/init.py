"""`cchc init THƯ_MỤC --year NĂM`: a complete empty workspace for a new round."""

from __future__ import annotations

from pathlib import Path

from ..errors import ValidationError, WorkspaceError
from ..workspace import Workspace, is_workspace


def register(sub) -> None:
    p = sub.add_parser("init", help="tạo thư mục làm việc mới cho một năm (đợt lấy ý kiến mới)",
                       description="Tạo rubric/drafts/, comments/, scores/, offices.yaml, round.yaml, decision.yaml, "
                                   "scores/settings.yaml và một tệp hướng dẫn từng bước. Với --from: v1 là bản "
                                   "sao bản ban hành (hoặc bản mới nhất) của năm trước, năm được đổi và liệt kê.")
    p.add_argument("folder", metavar="THƯ_MỤC", help="thư mục mới (chưa có hoặc trống)")
    p.add_argument("--year", type=int, metavar="NĂM", example="2024", help="năm của bộ tiêu chí (bắt buộc khi tạo mới)")
    p.add_argument("--unit", default="", metavar="CƠ_QUAN", help='cơ quan ban hành, như "UBND huyện TÊN"')
    p.add_argument("--from", dest="source", metavar="THƯ_MỤC_CŨ", help="thư mục làm việc năm trước")
    p.add_argument("--git", action="store_true",
                   help="thư mục làm việc là một kho git: mỗi thay đổi được ghi lại (ai, khi nào), chia sẻ bằng "
                        "cchc sync; với một thư mục làm việc đã có: chỉ biến nó thành kho git")
    p.add_argument("--by", metavar="TÊN", help="người tạo (mặc định: tên đăng nhập máy tính)")
    p.set_defaults(handler=run)


def run(args) -> int:
    from ..newround import init_workspace
    from ._common import wrote

    if args.git and is_workspace(Path(args.folder)):
        return make_git(Workspace(Path(args.folder).expanduser().resolve()), args.by, "Đưa thư mục làm việc vào git")
    if args.year is None:
        raise WorkspaceError("thiếu năm của bộ tiêu chí", fix=f"thêm --year NĂM, ví dụ: cchc init {args.folder} --year 2024")
    if not 2000 <= args.year <= 2100:
        raise ValidationError(f"--year {args.year}: không phải năm của một bộ tiêu chí", fix="viết đủ bốn chữ số, như --year 2024")
    ws, changes = init_workspace(args.folder, args.year, args.unit, args.source)
    print(f"Đã tạo thư mục làm việc năm {args.year}: {ws.root}")
    for path in sorted(p for p in ws.root.rglob("*") if p.is_file() and not p.name.startswith(".")):
        wrote(path)
    if changes:
        print(f"Sao từ năm trước; {len(changes)} chỗ đã đổi hoặc cần xem lại — hãy kiểm tra:")
        for change in changes:
            print(f"  {change}")
    print(f"Bước tiếp theo: xem {ws.root / 'README.txt'}")
    if args.git:
        make_git(ws, args.by, f"Khởi tạo thư mục làm việc năm {args.year}")
    return 0


def make_git(ws: Workspace, by: str | None, message: str) -> int:
    """Make the workspace a git repository with its first commit (and the tags of versions already frozen)."""
    # start-up: command modules are imported for every --help
    from ..vcs.hook import ensure_tags, user_of
    from ..vcs.repo import init

    made = init(ws.root, by=user_of(ws, by), message=message)
    print(f"Kho git: {ws.root / '.git'}" + (f" (commit đầu {made.decode()[:10]})" if made else ""))
    for tag in ensure_tags(ws, by=by):
        print(f"Đã gắn nhãn {tag}")
    print("Chia sẻ: cchc sync ĐỊA_CHỈ_KHO_CHUNG (xem docs/git.md)")
    return 0
