"""`cchc demo THƯ_MỤC`: a copy of the bundled 2023 example to try the tool on (never the checkout)."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("demo", help="chép bộ mẫu 2023 vào một thư mục để dùng thử",
                       description="Ghi bộ mẫu (dự thảo, góp ý, phiếu chấm, round.yaml…) vào THƯ_MỤC, rồi: "
                                   "cchc -w THƯ_MỤC")
    p.add_argument("folder", metavar="THƯ_MỤC", help="thư mục mới (chưa có hoặc trống)")
    p.add_argument("--force", action="store_true", help="thay các tệp của bộ mẫu nếu thư mục đã có")
    p.set_defaults(handler=run)


def run(args) -> int:
    from ..workspace import copy_example

    ws = copy_example(args.folder, force=args.force)
    print(f"Đã chép bộ mẫu 2023 vào {ws.root}")
    print(f"Mở giao diện: cchc -w {ws.root}   ·   kiểm tra: cchc -w {ws.root} check v1")
    return 0
