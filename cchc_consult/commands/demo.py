"""`cchc demo THƯ_MỤC`: a copy of the bundled 2023 example to try the tool on (never the checkout)."""

from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("demo", help="chép bộ mẫu 2023 vào một thư mục để dùng thử",
                       description="Ghi bộ mẫu (dự thảo, góp ý, phiếu chấm, round.yaml…) vào THƯ_MỤC, rồi: "
                                   "cchc -w THƯ_MỤC")
    p.add_argument("folder", metavar="THƯ_MỤC", help="thư mục mới (chưa có hoặc trống)")
    p.add_argument("--force", action="store_true", help="thay các tệp của bộ mẫu nếu thư mục đã có")
    p.add_argument("--git", action="store_true",
                   help="ghi bộ mẫu thành một kho git kể lại đợt 2023 từng bước (nhập v1, gửi lấy ý kiến, góp ý "
                        "của từng cơ quan, tiếp thu, v2, ban hành, chấm điểm), đúng ngày của từng bước; xem: cchc log")
    p.add_argument("--by", metavar="TÊN", help="người ghi các bước (với --git; mặc định: chuyên viên cơ quan soạn thảo)")
    p.set_defaults(handler=run)


def run(args) -> int:
    from ..workspace import copy_example

    if args.git:
        from ..vcs.story import write_story

        ws = write_story(args.folder, by=args.by)
        print(f"Đã ghi bộ mẫu 2023 thành kho git ở {ws.root}; xem từng bước: cchc -w {ws.root} log")
        return 0
    ws = copy_example(args.folder, force=args.force)
    print(f"Đã chép bộ mẫu 2023 vào {ws.root}")
    print(f"Mở giao diện: cchc -w {ws.root}   ·   kiểm tra: cchc -w {ws.root} check v1")
    return 0
