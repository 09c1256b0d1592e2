"""`cchc log [ĐƯỜNG_DẪN]`: the git history of a workspace — what changed, when, by whom — in domain terms."""

from __future__ import annotations

from ._common import workspace_of


def register(sub) -> None:
    p = sub.add_parser("log", help="lịch sử thay đổi (git): cái gì đổi, khi nào, ai làm",
                       description="Mỗi lần ghi (mới nhất trước): ngày giờ, người, nội dung; với bộ tiêu chí: "
                                   "thay đổi theo tiêu chí, điểm, mức điểm; với round.yaml, offices.yaml, "
                                   "comments/dispositions.yaml, scores/settings.yaml, decision.yaml: thay đổi "
                                   "theo từng trường. Chỉ dùng được với thư mục làm việc là kho git.")
    p.add_argument("path", nargs="?", metavar="ĐƯỜNG_DẪN",
                   help="chỉ các lần ghi đổi tệp/thư mục này (tính từ thư mục làm việc), như rubric/drafts/v2.yaml")
    p.add_argument("-n", "--max", type=int, metavar="SỐ", help="chỉ SỐ lần ghi mới nhất")
    p.set_defaults(handler=run)


def run(args) -> int:
    from pathlib import Path

    from ..vcs.log import log, log_text

    ws = workspace_of(args)
    path = args.path
    if path:
        target = Path(path)
        if target.is_absolute() or target.exists():
            try:
                path = target.resolve().relative_to(ws.root).as_posix()
            except ValueError:
                pass
        path = path.replace("\\", "/").strip("/")
    print(log_text(log(ws.root, path, args.max)), end="")
    return 0
