"""`cchc draft circulate|new`: freeze a draft for comments, or start the next draft from a version."""

from __future__ import annotations

from ..vn import format_date_short, parse_date
from ._common import workspace_of


def register(sub) -> None:
    p = sub.add_parser("draft", help="đóng băng dự thảo để gửi lấy ý kiến, hoặc tạo dự thảo mới",
                       description="Vòng đời phiên bản: dự thảo (sửa được) → đã gửi lấy ý kiến (đóng băng) → "
                                   "đã ban hành. Phiên bản đã đóng băng được ghi mã băm vào "
                                   "rubric/history.yaml; tệp bị sửa sau đó sẽ bị từ chối.")
    actions = p.add_subparsers(dest="action", metavar="VIỆC", required=True)
    c = actions.add_parser("circulate", help="đóng băng một dự thảo: đã gửi lấy ý kiến theo công văn",
                           description="Ghi trạng thái đã gửi lấy ý kiến (status: circulated) vào tệp, rồi ghi mã băm, số và ngày công văn "
                                       "vào lịch sử. Ví dụ: cchc draft circulate v1 --letter 1632/UBND "
                                       "--date NGÀY/THÁNG/NĂM")
    c.add_argument("version", metavar="PHIÊN_BẢN", help="tên phiên bản, ví dụ v1")
    c.add_argument("--letter", required=True, metavar="SỐ_CÔNG_VĂN", help='số công văn gửi lấy ý kiến, ví dụ "1632/UBND"')
    c.add_argument("--date", required=True, metavar="NGÀY", help="ngày công văn: ngày/tháng/năm hoặc năm-tháng-ngày")
    c.add_argument("--reason", default="", metavar="GHI_CHÚ", help="ghi chú thêm vào lịch sử")
    c.add_argument("--no-pdf", action="store_true", help="công văn chỉ in ra Word, không chuyển sang PDF")
    c.set_defaults(handler=run_circulate)
    n = actions.add_parser("new", help="tạo dự thảo mới bằng cách sao một phiên bản",
                           description="Sao phiên bản nguồn (giữ nguyên chú thích) thành vN kế tiếp, trạng thái "
                                       "dự thảo. Ví dụ: cchc draft new --from v1")
    n.add_argument("--from", dest="source", required=True, metavar="PHIÊN_BẢN", help="phiên bản nguồn, ví dụ v1")
    n.add_argument("--name", metavar="TÊN", help="tên phiên bản mới (mặc định: vN kế tiếp)")
    n.add_argument("--reason", default="", metavar="GHI_CHÚ", help="ghi chú vào lịch sử")
    n.set_defaults(handler=run_new)


def run_circulate(args) -> int:
    from ..versions import circulate

    ws = workspace_of(args)
    record = circulate(ws, args.version, args.letter, args.date, reason=args.reason)
    print(f"Đã đóng băng {record.name}: đã gửi lấy ý kiến theo Công văn {record.letter} ngày "
          f"{format_date_short(parse_date(record.letter_date))}.")
    print(f"Mã băm SHA-256: {record.sha256}")
    from ..circulation import write_letter

    files, _ = write_letter(ws, record.name, record.letter, record.letter_date, pdf=not args.no_pdf)
    print("Công văn gửi lấy ý kiến (kèm Phụ lục dự thảo): " + ", ".join(str(p) for p in files.values()))
    print(f"Muốn sửa tiếp: cchc draft new --from {record.name}")
    return 0


def run_new(args) -> int:
    from ..versions import new_draft

    ws = workspace_of(args)
    path = new_draft(ws, args.source, args.name, reason=args.reason)
    print(f"Đã tạo dự thảo {path.stem} từ {args.source}: {path}")
    return 0

