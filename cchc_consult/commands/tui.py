"""`cchc tui [WORKSPACE]` (and `cchc` alone): open the terminal UI on a workspace."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("tui", help="mở giao diện làm việc trong cửa sổ dòng lệnh (mặc định khi gõ cchc)",
                       description="Mở giao diện: cây tiêu chí, sửa, phát hiện, góp ý, so sánh, chấm điểm. "
                                   "Phím ? hiện danh sách phím tắt; Ctrl+P mở bảng lệnh.")
    p.add_argument("path", nargs="?", metavar="WORKSPACE", help="thư mục làm việc (mặc định: như -w)")
    p.add_argument("--version", dest="rubric_version", help="phiên bản cần mở (vd v1); mặc định bản mới nhất")
    p.set_defaults(handler=run)


def run(args) -> int:
    from ..tui.app import create_app

    app = create_app(args.path or getattr(args, "workspace", None), args.rubric_version)
    app.run()
    return int(app.return_code or 0)
